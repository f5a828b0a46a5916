package invapi

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A test server's pace is honoured on loopback only, and never over the
// caller's own WithPollInterval.
func TestPaceHeaderOnlyForLoopback(t *testing.T) {
	h := http.Header{}
	h.Set(PaceHeader, "1ms, 5ms")
	def := defaultPollOptions()
	tests := []struct {
		name      string
		opts      []Option
		wantFirst time.Duration
	}{
		{"real portal", []Option{WithBaseURL(BaseURLCom)}, def.minInterval},
		{"other https host", []Option{WithBaseURL("https://127.0.0.1.nip.io")}, def.minInterval},
		{"loopback", []Option{WithBaseURL("http://127.0.0.1:8080")}, time.Millisecond},
		{"loopback ipv6", []Option{WithBaseURL("http://[::1]:8080")}, time.Millisecond},
		{"loopback with the caller's own pace", []Option{WithBaseURL("http://127.0.0.1:8080"),
			WithPollInterval(50*time.Millisecond, time.Second)}, 50 * time.Millisecond},
	}
	for _, tt := range tests {
		c, err := NewClient(append(tt.opts, WithToken("t0ken-for-tests"))...)
		require.NoError(t, err)
		c.notePace(h)
		first, _ := c.poller.pace()
		assert.Equal(t, tt.wantFirst, first, tt.name)
		_ = c.Close()
	}
}

func TestParsePace(t *testing.T) {
	first, longest, ok := parsePace("1ms, 5ms")
	assert.True(t, ok)
	assert.Equal(t, []time.Duration{time.Millisecond, 5 * time.Millisecond}, []time.Duration{first, longest})
	for _, bad := range []string{"", "1ms", "5ms, 1ms", "0s, 1s", "-1ms, 1s", "1ms, 2h", "fast, faster"} {
		_, _, ok := parsePace(bad)
		assert.False(t, ok, "%q", bad)
	}
}
