package redact

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"form body", "action=show&id=1&pin=4321&token=abcdef0123", "action=show&id=1&pin=***&token=***"},
		{"json", `{"token":"abcdef0123","id":"5"}`, `{"token":"***","id":"5"}`},
		{"known secret in prose", "Invalid token deadbeefcafe given", "Invalid token *** given"},
		{"pin inside a longer number is kept", "server 123456 not found", "server 123456 not found"},
		{"root_pass", "root_pass=Hunter2-pass&os=1", "root_pass=***&os=1"},
		{"api key field", `api_key: sk_live_1`, `api_key: ***`},
		{"no secrets", "Nothing found for id", "Nothing found for id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Text(tt.in, "deadbeefcafe", "1234"))
		})
	}
}

func TestIsSecretField(t *testing.T) {
	for _, f := range []string{"token", "PIN", "root_pass", "password", "key", "code"} {
		assert.True(t, IsSecretField(f), f)
	}
	for _, f := range []string{"id", "action", "hostname"} {
		assert.False(t, IsSecretField(f), f)
	}
}
