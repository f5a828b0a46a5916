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
