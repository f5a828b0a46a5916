package invapi

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewClientOptions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		opts  []Option
		field string
	}{
		{"plain http refused", []Option{WithBaseURL("http://invapi.hostkey.com")}, "base URL"},
		{"bad scheme", []Option{WithBaseURL("ftp://127.0.0.1")}, "base URL"},
		{"relative URL", []Option{WithBaseURL("/eq.php")}, "base URL"},
		{"short PIN", []Option{WithPIN("12")}, "pin"},
		{"PIN with letters", []Option{WithPIN("12ab")}, "pin"},
		{"empty key", []Option{WithAPIKey("")}, "api key"},
		{"empty password", []Option{WithBillingCredentials("a@b.c", "")}, "password"},
		{"bad poll interval", []Option{WithPollInterval(time.Second, time.Millisecond)}, "poll interval"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewClient(tt.opts...)
			var verr *ValidationError
			require.ErrorAs(t, err, &verr)
			assert.Equal(t, tt.field, verr.Field)
			assert.ErrorIs(t, err, ErrInvalidInput)
		})
	}
	_, err := NewClient(WithPIN(""))
	require.NoError(t, err, "an empty PIN sets none")
	for _, ok := range []string{"http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:9", BaseURLCom, BaseURLRU, BaseURLAPI} {
		c, err := NewClient(WithBaseURL(ok))
		require.NoError(t, err, ok)
		assert.Equal(t, ok, c.BaseURL())
	}
}
