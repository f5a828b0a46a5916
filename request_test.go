package invapi

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
)

// A read resent after a broken body, an unreadable 2xx answer and a 502
// draws on one budget, go-retryablehttp's (WithRetry(3, ...): four sends
// in all, whatever the mix), and a state change meeting any is sent once.
func TestOneResendBudgetForBrokenAndUnreadableAnswers(t *testing.T) {
	t.Parallel()
	for _, ep := range []*endpoint{&testRead, &eqReboot} {
		var mu sync.Mutex
		served := 0
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			served++
			n := served
			mu.Unlock()
			if n%3 == 0 {
				w.WriteHeader(http.StatusBadGateway)
				return
			}
			if n%3 == 1 { // a body that breaks off
				w.Header().Set("Content-Length", "100")
				w.WriteHeader(200)
				_, _ = io.WriteString(w, `{"result":`)
				w.(http.Flusher).Flush()
				conn, _, _ := w.(http.Hijacker).Hijack()
				conn.Close()
				return
			}
			w.Header().Set("Content-Type", "text/html")
			_, _ = io.WriteString(w, "<html>Fatal error</html>") // an unreadable 200
		}))
		c := quietClient(t, srv.URL)
		_, err := c.call(context.Background(), ep, nil, nil)
		assert.Error(t, err, "%s", ep)
		mu.Lock()
		if ep.class.Idempotent() {
			assert.Equal(t, 4, served, "%s: sent once and resent 3 times in all", ep)
		} else {
			assert.Equal(t, 1, served, "%s: a state change is sent once", ep)
			assert.ErrorIs(t, err, ErrOutcomeUnknown)
		}
		mu.Unlock()
		srv.Close()
	}
}
