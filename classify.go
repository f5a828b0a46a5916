package invapi

import (
	"regexp"
	"strings"
)

// How an API error gets its category sentinel (APIError.Is): by its code and
// HTTP status first, then by its message against knownMessages, the one list
// of texts whose meaning is known. A message matches an entry as a whole
// (after an optional "module/action: " prefix and surrounding punctuation
// are set aside), or, for the few entries marked phrase, as words anywhere
// in it. No entry is a short word matched as a substring: "pin" would match
// "Ping to the server failed" and "Shipping address invalid".

// knownMessage is one API answer text whose meaning is known.
type knownMessage struct {
	// text is the message in lower case; {} stands for a variable word (an
	// id, a key, a name), {token} for a session token. A masked secret
	// ("***") at the end of a message is set aside before matching.
	text string
	kind error
	// phrase makes text match as whole words anywhere in the message, not
	// as the whole message. Only for phrases that cannot mean anything else.
	phrase bool
	// source says where the text was seen: "docs 001" (the vendor's
	// reference), "evidence §3" (what HOSTKEY's own clients match, see
	// /work/shared/api/evidence.md), "simulator" (invapitest's answers,
	// modelled on the docs), "unverified" (kept from earlier SDK versions,
	// seen in no source).
	source string
}

// knownMessages lists, by category, every message the SDK gives a meaning.
// Order matters only between categories: the first match wins.
var knownMessages = []knownMessage{
	// Two-factor login (before the session texts: it comes with code -2).
	{text: "2fa required", kind: ErrTwoFactorRequired, source: "simulator"},
	{text: "2fa code required", kind: ErrTwoFactorRequired, source: "unverified"},

	// A missing, bad or expired session: the client logs in again once and
	// resends, so these must be exact. "invalid token data, too long" (a tag
	// value) is not one of them.
	{text: "authentication required", kind: ErrUnauthorized, source: "docs 001 (code -2)"},
	{text: "token missing or invalid", kind: ErrUnauthorized, source: "docs 001 (description of code -2)"},
	{text: "invalid token", kind: ErrUnauthorized, source: "evidence §3 (tf client.go); simulator"},
	{text: "invalid token {token}", kind: ErrUnauthorized, source: "simulator (the token echoed after the text, masked by the SDK)"},
	{text: "invalid hash", kind: ErrUnauthorized, source: "evidence §3 (tf client.go)"},
	{text: "token expired", kind: ErrUnauthorized, source: "evidence §3 (tf client.go, mcp client.ts)"},
	{text: "token is invalid", kind: ErrUnauthorized, source: "evidence §3 (tf client.go, mcp client.ts)"},
	{text: "token is expired", kind: ErrUnauthorized, source: "evidence §3 (mcp client.ts)"},
	{text: "token has expired", kind: ErrUnauthorized, source: "evidence §3 (mcp client.ts)"},
	{text: "not authorized", kind: ErrUnauthorized, source: "evidence §3 (tf client.go)"},
	{text: "not authorised", kind: ErrUnauthorized, source: "evidence §3 (tf client.go, British spelling)"},
	{text: "authentication failed", kind: ErrUnauthorized, source: "evidence §3 (tf client.go)"},
	{text: "unauthorized", kind: ErrUnauthorized, source: "unverified (HTTP 401 reason)"},
	{text: "invalid session", kind: ErrUnauthorized, source: "unverified"},
	{text: "session expired", kind: ErrUnauthorized, source: "unverified"},
	{text: "session not found", kind: ErrUnauthorized, source: "unverified"},
	{text: "token not found", kind: ErrUnauthorized, source: "unverified"},
	{text: "token missing", kind: ErrUnauthorized, source: "unverified"},
	{text: "invalid api key", kind: ErrUnauthorized, source: "simulator (auth login)"},

	// An API key login for an account without servers.
	{text: "no appropriate servers found", kind: ErrNoServers, source: "evidence §3 (tf auth.go, code NO_APPROPRIATE_SERVERS)"},
	{text: "no_appropriate_servers", kind: ErrNoServers, source: "evidence §3 (the code as message)"},

	// PIN. The docs quote no PIN error text: these are the simulator's and
	// the spellings earlier SDK versions matched.
	{text: "wrong pin", kind: ErrWrongPIN, source: "simulator"},
	{text: "wrong pin code", kind: ErrWrongPIN, source: "unverified"},
	{text: "invalid pin", kind: ErrWrongPIN, source: "unverified"},
	{text: "invalid pin code", kind: ErrWrongPIN, source: "unverified"},
	{text: "incorrect pin", kind: ErrWrongPIN, source: "unverified"},
	{text: "incorrect pin code", kind: ErrWrongPIN, source: "unverified"},
	{text: "pin mismatch", kind: ErrWrongPIN, source: "unverified"},
	{text: "pin required", kind: ErrPINRequired, source: "simulator"},
	{text: "pin is required", kind: ErrPINRequired, source: "unverified"},
	{text: "pin code required", kind: ErrPINRequired, source: "unverified"},
	{text: "pin code is required", kind: ErrPINRequired, source: "unverified"},
	{text: "empty pin", kind: ErrPINRequired, source: "docs 001 (\"will not work ... with an empty PIN\")"},
	{text: "pin is empty", kind: ErrPINRequired, source: "unverified"},
	{text: "missing pin", kind: ErrPINRequired, source: "unverified"},

	// Rate limits: no client names one (evidence §3); HTTP 429 is the rule.
	{text: "too many requests", kind: ErrRateLimited, phrase: true, source: "HTTP 429 reason"},
	{text: "rate limit exceeded", kind: ErrRateLimited, phrase: true, source: "unverified"},

	// Access.
	{text: "access denied", kind: ErrAccessDenied, phrase: true, source: "simulator (a server outside the session)"},
	{text: "permission denied", kind: ErrAccessDenied, phrase: true, source: "unverified"},
	{text: "forbidden", kind: ErrAccessDenied, source: "HTTP 403 reason"},

	// Not found: the server, key or object does not exist. tf treats the
	// first five as "gone" anywhere in a message (evidence §3, IsNotFound).
	{text: "not found", kind: ErrNotFound, phrase: true, source: "evidence §3 (tf errors.go); simulator \"AsyncKey {} not found\""},
	{text: "no such", kind: ErrNotFound, phrase: true, source: "evidence §3 (tf errors.go)"},
	{text: "unknown server", kind: ErrNotFound, phrase: true, source: "evidence §3 (tf errors.go)"},
	{text: "server not exist", kind: ErrNotFound, phrase: true, source: "evidence §3 (tf errors.go)"},
	{text: "does not exist", kind: ErrNotFound, phrase: true, source: "evidence §3 (tf errors.go)"},
	{text: "nothing found for id", kind: ErrNotFound, source: "docs 001 (eq show, stocks show)"},
	{text: "nothing found", kind: ErrNotFound, source: "docs 001"},
	{text: "incorrect server id", kind: ErrNotFound, source: "docs 001 (eq off: \"eq/off: incorrect server id\")"},
	{text: "invalid server id", kind: ErrNotFound, source: "docs 001 (\"EQ/sensors: invalid server id\", \"EQ/add_ipmi_user: invalid server id\")"},
}

// messageMatcher is knownMessages compiled.
type messageMatcher struct {
	re   *regexp.Regexp
	kind error
}

var messageMatchers = compileKnownMessages(knownMessages)

func compileKnownMessages(list []knownMessage) []messageMatcher {
	out := make([]messageMatcher, len(list))
	for i, m := range list {
		pat := regexp.QuoteMeta(m.text)
		pat = strings.ReplaceAll(pat, regexp.QuoteMeta("{token}"), `[0-9a-z._-]{6,}`)
		pat = strings.ReplaceAll(pat, regexp.QuoteMeta("{}"), `\S+`)
		if m.phrase {
			pat = `\b` + pat + `\b`
		} else {
			pat = `^` + pat + `$`
		}
		out[i] = messageMatcher{re: regexp.MustCompile(pat), kind: m.kind}
	}
	return out
}

// actionPrefix is the "module/action: " some answers put before their text
// ("eq/off: incorrect server id", "EQ/sensors: invalid server id").
var actionPrefix = regexp.MustCompile(`^\s*([A-Za-z_]+/[A-Za-z0-9_]+):\s*`)

// splitActionPrefix returns a message's "module/action" prefix, if any, and
// the text after it.
func splitActionPrefix(message string) (prefix, rest string) {
	if m := actionPrefix.FindStringSubmatchIndex(message); m != nil {
		return message[m[2]:m[3]], message[m[1]:]
	}
	return "", message
}

// maskedEcho is a secret the API echoed after its text ("Wrong PIN 1234"),
// as the SDK masks it.
var maskedEcho = regexp.MustCompile(`[\s:]*\*{3,}$`)

// normalizeMessage lowers a message and sets aside its action prefix, a
// masked secret at its end, outer spaces and punctuation, and runs of
// spaces.
func normalizeMessage(message string) string {
	_, m := splitActionPrefix(message)
	m = strings.ToLower(strings.Join(strings.Fields(m), " "))
	m = maskedEcho.ReplaceAllString(strings.Trim(m, " .!;,\"'()[]"), "")
	return strings.Trim(m, " .!:;,\"'()[]")
}

// classifyMessage returns the category of a message, or nil.
func classifyMessage(message string) error {
	m := normalizeMessage(message)
	if m == "" {
		return nil
	}
	for _, mm := range messageMatchers {
		if mm.re.MatchString(m) {
			return mm.kind
		}
	}
	return nil
}

// classify maps an API answer's code, text and HTTP status to a category
// sentinel, or nil when none applies.
func classify(code, message string, status int) error {
	byMessage := classifyMessage(message)
	switch {
	case status == 401 || code == "-2":
		if byMessage == ErrTwoFactorRequired {
			return ErrTwoFactorRequired
		}
		return ErrUnauthorized
	case strings.EqualFold(code, "NO_APPROPRIATE_SERVERS"):
		return ErrNoServers
	case status == 429:
		return ErrRateLimited
	case byMessage != nil:
		return byMessage
	case status >= 500:
		return ErrServer
	}
	return nil
}

// innerText is the text of a wrapped error without what its wrapper says
// already: the "invapi: " prefix, and the "module/action: " that follows
// it when it names the same action ("invapi: eq/off: outcome unknown, not
// resent: invapi: eq/off: unreadable answer" says eq/off once).
func innerText(err error, module, action string) string {
	if err == nil {
		return "<nil>"
	}
	text := strings.TrimPrefix(err.Error(), "invapi: ")
	if prefix, rest := splitActionPrefix(text); prefix != "" && module != "" && strings.EqualFold(prefix, module+"/"+action) {
		return rest
	}
	return text
}
