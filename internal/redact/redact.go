// Package redact removes secrets (tokens, PINs, passwords, API keys) from text
// before it reaches an error message or a log line.
//
// Two passes are applied. Known secret values are masked wherever they
// stand, in any encoding a server may echo them in: as sent, URL-encoded
// (%XX, + for a space), HTML-escaped (&amp; &#39; &#x2B;), JSON-escaped
// (\u0041, \/), in any mix of these and in any letter case, even inside a
// longer word. A secret made of digits only (a PIN) is masked unless it is
// part of a longer number, so PIN 1234 does not disfigure server id 123456.
// Then any value that follows a secret-looking field name (token=...,
// "pin": "...", password: ..., also URL-encoded or escaped) is masked
// whatever it is, so even a secret the client never knew about (a new API
// key echoed back, a root password in a form) does not leak.
//
// Mask text before shortening it: a secret cut in two is no longer
// recognised.
package redact

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Mask replaces a secret.
const Mask = "***"

// MinLength is the length below which a known secret is not masked by
// value (it would mask half the text); such values are still masked after
// a secret field name.
const MinLength = 4

// secretNames are the form and JSON field names that carry a secret.
var secretNames = []string{
	"token", "pin", "new_pin", "old_pin", "password", "password2", "new_password", "passwd", "pass",
	"root_pass", "admin_pass", "key", "api_key", "apikey", "secret", "secret_key", "code",
	"reset_token", "reinstall_key", "otp", "2fa_code",
}

// quote matches a quote around a field name or value as it may be echoed:
// plain, JSON-escaped (\"), HTML-escaped or URL-encoded.
const quote = `(?:\\*"|&quot;|&#34;|&#x22;|%22)?`

// secretField matches a secret-looking field name followed by = or : (also
// URL-encoded) and a value, in form bodies, JSON and free text alike. The
// field name is kept.
var secretField = regexp.MustCompile(`(?i)((?:^|[^a-z0-9_])` + quote + `(?:` + strings.Join(secretNames, "|") + `)` +
	quote + `\s*(?:[=:]|%3d|%3a)\s*` + quote + `)((?:[^"&\s,;}<\\]|\\[^"])+)`)

// IsSecretField reports whether a form or JSON field name carries a secret.
func IsSecretField(name string) bool {
	for _, n := range secretNames {
		if strings.EqualFold(name, n) {
			return true
		}
	}
	return false
}

// Text masks every known secret in s (see the package documentation;
// secrets shorter than MinLength are ignored) and every value that follows
// a secret field name.
func Text(s string, secrets ...string) string {
	for _, secret := range secrets {
		if len(secret) < MinLength {
			continue
		}
		s = maskSecret(s, secret)
	}
	if strings.ContainsAny(s, "=:%") {
		s = secretField.ReplaceAllString(s, "${1}"+Mask)
	}
	return s
}

// maskSecret replaces every occurrence of secret in s, in any encoding.
func maskSecret(s, secret string) string {
	digits := allDigits(secret)
	first := lower(secret[0])
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; lower(c) != first && c != '%' && c != '&' && c != '\\' && c != '+' {
			continue
		}
		end, ok := matchAt(s, i, secret)
		if !ok {
			continue
		}
		if digits && (i > 0 && isDigit(s[i-1]) || end < len(s) && isDigit(s[end])) {
			continue // part of a longer number
		}
		b.WriteString(s[last:i])
		b.WriteString(Mask)
		last = end
		i = end - 1
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// matchAt reports whether secret, in any encoding and letter case, starts
// at s[i], and where it ends. Each byte of s stands for itself, or starts an
// escape that stands for one character: both readings are tried (a '%' in
// a password may be followed by hex digits), so the search walks states
// (position in s, position in secret), each visited once.
func matchAt(s string, i int, secret string) (int, bool) {
	if n := len(secret); len(s)-i >= n && strings.EqualFold(s[i:i+n], secret) {
		return i + n, true // as sent, the usual case
	}
	type state struct{ j, k int }
	var buf [16]state
	stack := append(buf[:0], state{i, 0})
	var seenBuf [32]state
	seen := seenBuf[:0]
	for len(stack) > 0 {
		st := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if st.k == len(secret) {
			return st.j, true
		}
		if st.j >= len(s) {
			continue
		}
		push := func(j, k int) {
			next := state{j, k}
			for _, v := range seen {
				if v == next {
					return
				}
			}
			seen = append(seen, next)
			stack = append(stack, next)
		}
		if lower(s[st.j]) == lower(secret[st.k]) {
			push(st.j+1, st.k+1)
		}
		if dec, n := unescape(s, st.j); n > 0 && len(dec) <= len(secret)-st.k && strings.EqualFold(dec, secret[st.k:st.k+len(dec)]) {
			push(st.j+n, st.k+len(dec))
		}
	}
	return 0, false
}

// unescape decodes the escape at s[j], if one starts there: what it stands
// for and how many bytes it takes (0 for none).
func unescape(s string, j int) (string, int) {
	switch s[j] {
	case '+':
		return " ", 1
	case '%':
		if j+2 < len(s) {
			if n, err := strconv.ParseUint(s[j+1:j+3], 16, 8); err == nil {
				return string([]byte{byte(n)}), 3
			}
		}
	case '&':
		return htmlEntity(s, j)
	case '\\':
		if j+1 >= len(s) {
			return "", 0
		}
		switch s[j+1] {
		case '/', '\\', '"', '\'':
			return s[j+1 : j+2], 2
		case 'u', 'U':
			r, ok := hex4(s, j+2)
			if !ok {
				return "", 0
			}
			if utf16.IsSurrogate(r) {
				if j+12 <= len(s) && s[j+6] == '\\' && (s[j+7] == 'u' || s[j+7] == 'U') {
					if r2, ok := hex4(s, j+8); ok {
						return string(utf16.DecodeRune(r, r2)), 12
					}
				}
				return "", 0
			}
			return string(r), 6
		}
	}
	return "", 0
}

var namedEntities = map[string]string{"amp": "&", "lt": "<", "gt": ">", "quot": `"`, "apos": "'", "plus": "+", "percnt": "%", "sol": "/", "lowbar": "_", "hyphen": "-", "dash": "-"}

// htmlEntity decodes &name; &#NN; or &#xHH; at s[j] (the ';' may be
// missing after a numeric one, as browsers allow).
func htmlEntity(s string, j int) (string, int) {
	end := j + 1
	for end < len(s) && end-j <= 10 && s[end] != ';' && (isDigit(s[end]) || isLetter(s[end]) || s[end] == '#') {
		end++
	}
	body := s[j+1 : end]
	width := end - j
	if end < len(s) && s[end] == ';' {
		width++
	}
	if strings.HasPrefix(body, "#") {
		num := body[1:]
		base := 10
		if strings.HasPrefix(num, "x") || strings.HasPrefix(num, "X") {
			num, base = num[1:], 16
		}
		n, err := strconv.ParseUint(num, base, 32)
		if err != nil || !utf8.ValidRune(rune(n)) {
			return "", 0
		}
		return string(rune(n)), width
	}
	if end >= len(s) || s[end] != ';' {
		return "", 0 // a named entity needs its ';'
	}
	if v, ok := namedEntities[strings.ToLower(body)]; ok {
		return v, width
	}
	return "", 0
}

func hex4(s string, j int) (rune, bool) {
	if j+4 > len(s) {
		return 0, false
	}
	n, err := strconv.ParseUint(s[j:j+4], 16, 16)
	return rune(n), err == nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { c = lower(c); return c >= 'a' && c <= 'z' }
