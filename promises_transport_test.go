package invapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The transport half of the SDK's two promises, proven over every endpoint
// in endpointRegistry: a state change is never sent twice once it may have
// reached the server, whatever the transport does below the SDK (HTTP/2
// stream resets, redirects, answers that say "Invalid token" with a 5xx,
// connections that break), and nothing is sent after Close.

// stateChanges returns every declared endpoint that changes state.
func stateChanges() []*endpoint {
	var out []*endpoint
	for _, ep := range endpointRegistry {
		if !ep.class.Idempotent() {
			out = append(out, ep)
		}
	}
	return out
}

// epParams is what the registry walks send: an id, the object most
// actions name.
func epParams() url.Values { return url.Values{"id": {"12345"}} }

// countingServer counts requests by module/action and answers with fn.
type countingServer struct {
	srv *httptest.Server
	mu  sync.Mutex
	n   map[string]int
	fn  func(w http.ResponseWriter, r *http.Request, form url.Values, n int)
}

func newCountingServer(t testing.TB, tls bool, fn func(w http.ResponseWriter, r *http.Request, form url.Values, n int)) *countingServer {
	t.Helper()
	s := &countingServer{n: map[string]int{}, fn: fn}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		k := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/"), ".php") + "/" + form.Get("action")
		s.mu.Lock()
		s.n[k]++
		n := s.n[k]
		s.mu.Unlock()
		s.fn(w, r, form, n)
	})
	s.srv = httptest.NewUnstartedServer(h)
	if tls {
		s.srv.EnableHTTP2 = true
		s.srv.StartTLS()
	} else {
		s.srv.Start()
	}
	t.Cleanup(s.srv.Close)
	return s
}

func (s *countingServer) count(ep *endpoint) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n[ep.module+"/"+ep.action]
}

func (s *countingServer) total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, v := range s.n {
		n += v
	}
	return n
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// quietClient is a token client for the registry walks: fast retries, the
// PIN set, no login needed.
func quietClient(t testing.TB, base string, opts ...Option) *Client {
	t.Helper()
	all := append([]Option{WithBaseURL(base), WithToken(testToken), WithPIN(testPIN),
		WithRetry(3, 2*time.Millisecond), WithPollInterval(time.Millisecond, 5*time.Millisecond), WithPollBudget(1e6)}, opts...)
	c, err := NewClient(all...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// Item 1: an HTTP/2 server that reads a whole state change and resets the
// stream must not see it again, from any layer. httptest's server resets a
// stream with INTERNAL_ERROR when the handler aborts.
func TestStateChangesSentOnceOverHTTP2Abort(t *testing.T) {
	t.Parallel()
	s := newCountingServer(t, true, func(w http.ResponseWriter, r *http.Request, _ url.Values, _ int) {
		if r.ProtoMajor != 2 {
			t.Errorf("request over HTTP/%d, want HTTP/2", r.ProtoMajor)
		}
		panic(http.ErrAbortHandler) // RST_STREAM(INTERNAL_ERROR) after the whole body was read
	})
	c := quietClient(t, s.srv.URL, WithHTTPClient(s.srv.Client()))
	for _, ep := range stateChanges() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, err := c.call(ctx, ep, epParams(), nil)
		cancel()
		require.Error(t, err, "%s", ep)
		assert.ErrorIs(t, err, ErrOutcomeUnknown, "%s", ep)
		assert.Equal(t, 1, s.count(ep), "%s was sent %d times", ep, s.count(ep))
		assertErrorHidesSecrets(t, err)
	}
}

// Item 1, with every stream error code from a raw HTTP/2 server. Go's
// transport resends a request reset with PROTOCOL_ERROR (or REFUSED_STREAM)
// whenever it can rewind the body; REFUSED_STREAM means "not processed"
// (RFC 9113 §8.7), so the SDK itself may send that one again.
func TestStateChangesSentOnceUnderHTTP2StreamResets(t *testing.T) {
	t.Parallel()
	for name, code := range h2Codes {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			refused := code == h2Codes["REFUSED_STREAM"]
			s := newH2Server(t, func(n int, _ url.Values) (uint32, string) {
				if refused && n > 1 {
					return 0, `{"result":"OK"}`
				}
				return code, ""
			})
			c := quietClient(t, s.url, WithHTTPClient(s.client))
			for _, ep := range stateChanges() {
				s.reset()
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				_, err := c.call(ctx, ep, epParams(), nil)
				cancel()
				if refused {
					require.NoError(t, err, "%s: a refused stream was never processed: send it again", ep)
					assert.Equal(t, 2, s.count(), "%s: one refusal, one answer", ep)
					continue
				}
				require.Error(t, err, "%s", ep)
				assert.ErrorIs(t, err, ErrOutcomeUnknown, "%s", ep)
				assert.NotErrorIs(t, err, context.DeadlineExceeded, "%s: the SDK must not loop until the deadline", ep)
				assert.Equal(t, 1, s.count(), "%s received %d times under RST_STREAM(%s)", ep, s.count(), name)
				assertErrorHidesSecrets(t, err)
			}
		})
	}
}

// Item 1: reads keep their rewindable body and are answered after a reset.
func TestReadsRetriedAfterHTTP2StreamReset(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"PROTOCOL_ERROR", "REFUSED_STREAM", "INTERNAL_ERROR"} {
		code := h2Codes[name]
		s := newH2Server(t, func(n int, _ url.Values) (uint32, string) {
			if n == 1 {
				return code, ""
			}
			return 0, `{"result":"OK","id":"12345","name":"web-1"}`
		})
		c := quietClient(t, s.url, WithHTTPClient(s.client))
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		got, err := do[quirkRecord](ctx, c, &testRead, nil)
		cancel()
		require.NoError(t, err, name)
		assert.Equal(t, 12345, got.ID, name)
		assert.Equal(t, 2, s.count(), name)
	}
}

// Item 2: "Invalid token" in a 5xx does not prove the API refused the call:
// a state change is not resent after a new login. In a 200 or a 401 it
// does, and the call is sent again once.
func TestStateChangesNotResentOnAuthErrorIn5xx(t *testing.T) {
	t.Parallel()
	bodies := []string{`{"result":-1,"error":"Invalid token"}`, `{"code":-2,"message":"Token expired"}`, `{"result":"Error","message":"unauthorized"}`}
	for _, status := range []int{500, 502, 503} {
		for _, body := range bodies {
			c, m := newTestClient(t)
			for _, ep := range stateChanges() {
				m.onFunc(ep.module, ep.action, func(url.Values) (int, string) { return status, body })
			}
			for _, ep := range stateChanges() {
				_, err := c.call(context.Background(), ep, epParams(), nil)
				require.Error(t, err, "%s", ep)
				assert.ErrorIs(t, err, ErrOutcomeUnknown, "%d %s: %s", status, body, ep)
				assert.Equal(t, 1, m.count(ep.module, ep.action), "%d %s: %s sent %d times", status, body, ep, m.count(ep.module, ep.action))
				assert.Contains(t, err.Error(), "not resent")
			}
			assert.LessOrEqual(t, m.count("auth", "login"), 1, "no new login after a 5xx")
		}
	}
}

func TestStateChangesResentOnceOnProvenRefusal(t *testing.T) {
	t.Parallel()
	for _, status := range []int{200, 401, 403} {
		c, m := newTestClient(t)
		for _, ep := range stateChanges() {
			var mu sync.Mutex
			seen := map[string]bool{}
			m.onFunc(ep.module, ep.action, func(f url.Values) (int, string) {
				mu.Lock()
				defer mu.Unlock()
				if !seen[f.Get("token")] && f.Get("token") != "" {
					seen[f.Get("token")] = true
					if len(seen) == 1 { // the first token is refused
						return status, `{"result":-1,"error":"Invalid token"}`
					}
				}
				return 200, `{"result":"OK"}`
			})
		}
		var tokens sync.Mutex
		n := 0
		m.onFunc("auth", "login", func(url.Values) (int, string) {
			tokens.Lock()
			defer tokens.Unlock()
			n++
			return 200, fmt.Sprintf(`{"result":{"token":"tok-%04d-abcdef","ttl":7200}}`, n)
		})
		for _, ep := range stateChanges() {
			if ep.noAuth {
				continue // sent without a session: no re-login applies
			}
			_, err := c.call(context.Background(), ep, epParams(), nil)
			require.NoError(t, err, "HTTP %d: %s", status, ep)
			assert.Equal(t, 2, m.count(ep.module, ep.action), "HTTP %d: %s: refused, then resent once after a new login", status, ep)
		}
	}
}

// Item 3: redirects. Whatever *http.Client the user passes, nothing follows
// a redirect off the base URL's origin (scheme, host, port), nor to http.
func TestRedirectsNeverLeaveTheOrigin(t *testing.T) {
	t.Parallel()
	// other receives whatever escapes: it must receive nothing.
	otherHTTP := newCountingServer(t, false, func(w http.ResponseWriter, _ *http.Request, _ url.Values, _ int) {
		writeJSON(w, 200, `{"result":"OK"}`)
	})
	otherTLS := newCountingServer(t, true, func(w http.ResponseWriter, _ *http.Request, _ url.Values, _ int) {
		writeJSON(w, 200, `{"result":"OK"}`)
	})
	type setup struct {
		name   string
		tls    bool
		target *countingServer
		client func(home *countingServer) *http.Client
	}
	setups := []setup{
		{"http to another port, &http.Client{}", false, otherHTTP, func(*countingServer) *http.Client { return &http.Client{} }},
		{"https to another origin, following client", true, otherTLS, func(h *countingServer) *http.Client { return h.srv.Client() }},
		{"https down to http, following client", true, otherHTTP, func(h *countingServer) *http.Client { return h.srv.Client() }},
	}
	for _, su := range setups {
		for _, status := range []int{301, 302, 303, 307, 308} {
			t.Run(fmt.Sprintf("%s/%d", su.name, status), func(t *testing.T) {
				target := su.target.srv.URL + "/steal.php?token=" + testToken + "&pin=" + testPIN
				home := newCountingServer(t, su.tls, func(w http.ResponseWriter, r *http.Request, _ url.Values, _ int) {
					http.Redirect(w, r, target, status)
				})
				hc := su.client(home)
				before := su.target.total()
				c := quietClient(t, home.srv.URL, WithHTTPClient(hc))
				assert.Nil(t, hc.CheckRedirect, "the user's client is not changed")
				for _, ep := range endpointRegistry {
					sentBefore := home.count(ep) // two endpoints may share one action
					_, err := c.call(context.Background(), ep, epParams(), nil)
					require.Error(t, err, "%s", ep)
					assert.ErrorIs(t, err, ErrRedirected, "%s", ep)
					assertErrorHidesSecrets(t, err)
					assert.NotContains(t, err.Error(), "steal.php?", "the Location's query is not printed")
					processed := status != 307 && status != 308
					if ep.class.Idempotent() || !processed {
						assert.NotErrorIs(t, err, ErrOutcomeUnknown, "%s: a %d is no unknown outcome", ep, status)
					} else {
						assert.ErrorIs(t, err, ErrOutcomeUnknown, "%s: a %d may follow a processed form", ep, status)
					}
					assert.Equal(t, 1, home.count(ep)-sentBefore, "%s", ep)
				}
				assert.Equal(t, before, su.target.total(), "a request followed the redirect off the origin")
			})
		}
	}
}

// Item 3: within the origin, a read follows a 307 or 308 when the user's
// client would; a state change never follows any redirect.
func TestRedirectsWithinTheOrigin(t *testing.T) {
	t.Parallel()
	home := newCountingServer(t, false, func(w http.ResponseWriter, r *http.Request, _ url.Values, _ int) {
		if strings.HasPrefix(r.URL.Path, "/moved/") {
			writeJSON(w, 200, `{"result":"OK","id":"12345"}`)
			return
		}
		http.Redirect(w, r, "/moved"+r.URL.Path, http.StatusTemporaryRedirect)
	})
	c := quietClient(t, home.srv.URL, WithHTTPClient(&http.Client{}))
	got, err := do[quirkRecord](context.Background(), c, &testRead, nil)
	require.NoError(t, err)
	assert.Equal(t, 12345, got.ID)

	_, err = c.call(context.Background(), &testChange, epParams(), nil)
	assert.ErrorIs(t, err, ErrRedirected)
	assert.Equal(t, 1, home.count(&testChange), "a state change is not sent again, even within the origin")

	// The SDK's default client follows nothing.
	d := quietClient(t, home.srv.URL)
	_, err = do[quirkRecord](context.Background(), d, &testRead, nil)
	assert.ErrorIs(t, err, ErrRedirected)
}

var _ = errors.Is
