package invapi

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestClassify(t *testing.T) {
	tests := []struct {
		code, message string
		status        int
		want          error
	}{
		{"-2", "Authentication required", 200, ErrUnauthorized},
		{"", "Invalid token", 200, ErrUnauthorized},
		{"", "Invalid hash", 200, ErrUnauthorized},
		{"", "Session expired", 200, ErrUnauthorized},
		{"", "Invalid token tok-5f2a9c0e7b1d4a3c", 200, ErrUnauthorized},
		{"", "Invalid token ***", 200, ErrUnauthorized},
		{"", "Token missing or invalid", 200, ErrUnauthorized},
		{"", "", 401, ErrUnauthorized},
		{"-2", "2FA required", 200, ErrTwoFactorRequired},
		{"-1", "tag/add: invalid token data, too long", 200, nil},
		{"NO_APPROPRIATE_SERVERS", "NO_APPROPRIATE_SERVERS", 200, ErrNoServers},
		{"-1", "Wrong PIN", 200, ErrWrongPIN},
		{"-1", "Invalid PIN code", 200, ErrWrongPIN},
		{"-1", "PIN required", 200, ErrPINRequired},
		{"-1", "Empty PIN", 200, ErrPINRequired},
		{"-1", "Nothing found for id", 200, ErrNotFound},
		{"-1", "AsyncKey abc not found", 200, ErrNotFound},
		{"-1", "Access denied", 200, ErrAccessDenied},
		{"", "", 429, ErrRateLimited},
		{"", "", 503, ErrServer},
		{"-1", "Server is locked", 200, nil},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, classify(tt.code, tt.message, tt.status), "%s %q %d", tt.code, tt.message, tt.status)
	}
}
