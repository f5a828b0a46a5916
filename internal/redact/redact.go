// Package redact removes secrets (tokens, PINs, passwords, API keys) from text
// before it reaches an error message or a log line.
//
// Two passes are applied: known secret values are masked wherever they stand
// as a whole word, and any value that follows a secret-looking field name
// (token=..., "pin": "...", password: ...) is masked whatever it is, so even a
// secret the client never knew about (a new API key echoed back, a root
// password in a form) does not leak.
package redact

import (
	"regexp"
	"strings"
)

// Mask replaces a secret.
const Mask = "***"

// secretField matches a secret-looking field name followed by = or : and a
// value, in form bodies, JSON and free text alike. The field name is kept.
var secretField = regexp.MustCompile(`(?i)((?:^|[^a-z0-9_])"?(?:token|pin|new_pin|old_pin|password|passwd|pass|root_pass|key|api_key|apikey|secret|code)"?\s*[=:]\s*"?)([^"&\s,;}<]+)`)

// IsSecretField reports whether a form or JSON field name carries a secret.
func IsSecretField(name string) bool {
	switch strings.ToLower(name) {
	case "token", "pin", "new_pin", "old_pin", "password", "passwd", "pass", "root_pass",
		"key", "api_key", "apikey", "secret", "code":
		return true
	}
	return false
}

// Text masks every known secret in s (as a whole word, ignoring secrets
// shorter than 4 bytes) and every value that follows a secret field name.
func Text(s string, secrets ...string) string {
	for _, secret := range secrets {
		if len(secret) < 4 {
			continue
		}
		s = maskWord(s, secret)
	}
	if strings.ContainsAny(s, "=:") {
		s = secretField.ReplaceAllString(s, "${1}"+Mask)
	}
	return s
}

// maskWord replaces occurrences of secret in s that are not part of a longer
// word, so a PIN of 1234 does not disfigure server id 123456.
func maskWord(s, secret string) string {
	var b strings.Builder
	rest := s
	for {
		i := strings.Index(rest, secret)
		if i < 0 {
			break
		}
		end := i + len(secret)
		if (i > 0 && isWordByte(rest[i-1])) || (end < len(rest) && isWordByte(rest[end])) {
			b.WriteString(rest[:end])
			rest = rest[end:]
			continue
		}
		b.WriteString(rest[:i])
		b.WriteString(Mask)
		rest = rest[end:]
	}
	if b.Len() == 0 {
		return s
	}
	b.WriteString(rest)
	return b.String()
}

func isWordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
