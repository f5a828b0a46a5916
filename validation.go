package invapi

import (
	"net/mail"
	"net/url"
	"strings"
)

// Checks shared by the request types of every module: they run before
// anything is sent, and name the form field in the *ValidationError.

// validatePIN checks the documented PIN format: 4 to 6 digits.
func validatePIN(field, pin string) error {
	if len(pin) < 4 || len(pin) > 6 {
		return invalid(field, "must be 4 to 6 digits, got %d characters", len(pin))
	}
	for _, r := range pin {
		if r < '0' || r > '9' {
			return invalid(field, "must be digits only")
		}
	}
	return nil
}

// requiredText refuses a blank value (empty or white space only) with
// reason, for the check tag's required and the requests that say more.
func requiredText(field, v, reason string) error {
	if strings.TrimSpace(v) == "" {
		return invalid(field, reason)
	}
	return nil
}

// requiredOrExtra is requiredText for a field whose wire name is not
// published: Extra may carry it under another name instead.
func requiredOrExtra(field, v string, extra Fields, reason string) error {
	if len(extra) > 0 {
		return nil
	}
	return requiredText(field, v, reason)
}

// validEach checks every value of a list field with valid; the first error.
func validEach(field string, vs []string, valid func(field, v string) error) error {
	for _, v := range vs {
		if err := valid(field, v); err != nil {
			return err
		}
	}
	return nil
}

// validServerID checks a server id before it is sent.
func validServerID(id int) error {
	if id <= 0 {
		return invalid("id", "must be a positive server id, got %d", id)
	}
	return nil
}

// validHTTPURL checks that field holds an absolute http(s) URL.
func validHTTPURL(field, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return invalid(field, "must be an http(s) URL")
	}
	return nil
}

// validateEmail checks the syntax of a bare e-mail address.
func validateEmail(field, email string) error {
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || a.Name != "" || !strings.Contains(email[strings.LastIndexByte(email, '@')+1:], ".") {
		return invalid(field, "must be an e-mail address such as name@example.com")
	}
	return nil
}

// validateRootPass applies HOSTKEY's own root password policy, as strict as
// their WHMCS module's validatePassword and their MCP server's schema
// (evidence.md §3): 8 to 30 characters of letters, digits and % - _ +
// (no @, #, spaces or other symbols), with at least one upper-case letter,
// one lower-case letter, one digit and one of % - _ +, and not starting
// with one of % - _ +. Errors never show the password.
func validateRootPass(field, p string) error {
	if p == "" {
		return invalid(field, "is required")
	}
	if n := len(p); n < 8 || n > 30 {
		return invalid(field, "must be 8 to 30 characters, got %d", n)
	}
	var upper, lower, digit, special bool
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c >= 'A' && c <= 'Z':
			upper = true
		case c >= 'a' && c <= 'z':
			lower = true
		case c >= '0' && c <= '9':
			digit = true
		case c == '%', c == '-', c == '_', c == '+':
			special = true
			if i == 0 {
				return invalid(field, "must not start with %% - _ or +")
			}
		default:
			return invalid(field, "may hold only letters, digits and %% - _ + (no @, #, spaces or other symbols)")
		}
	}
	switch {
	case !upper:
		return invalid(field, "needs at least one upper-case letter")
	case !lower:
		return invalid(field, "needs at least one lower-case letter")
	case !digit:
		return invalid(field, "needs at least one digit")
	case !special:
		return invalid(field, "needs at least one of %% - _ +")
	}
	return nil
}

// positiveAmount refuses zero and negative amounts.
func positiveAmount(field string, m Money) error {
	if !m.IsPositive() {
		return invalid(field, "must be a positive amount, got %s", m)
	}
	return nil
}
