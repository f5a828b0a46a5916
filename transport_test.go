package invapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
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
				hidesSecrets(t, err)
			}
		})
	}
}

// Item 1: a GOAWAY whose last stream id is below the request's proves it
// was not processed (RFC 9113 §6.8): the SDK sends the state change again,
// once, on a new connection.
func TestStateChangesResentAfterGoAwayUnprocessed(t *testing.T) {
	t.Parallel()
	s := newH2Server(t, func(n int, _ url.Values) (uint32, string) {
		if n%2 == 1 {
			return h2GoAwayUnprocessed, ""
		}
		return 0, `{"result":"OK"}`
	})
	c := quietClient(t, s.url, WithHTTPClient(s.client))
	for _, ep := range stateChanges() {
		s.reset()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, err := c.call(ctx, ep, epParams(), nil)
		cancel()
		require.NoError(t, err, "%s", ep)
		assert.Equal(t, 2, s.count(), "%s: one unprocessed, one answered", ep)
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
		got, err := get[quirkRecord](ctx, c, &testRead, nil)
		cancel()
		require.NoError(t, err, name)
		assert.Equal(t, 12345, got.ID, name)
		assert.Equal(t, 2, s.count(), name)
	}
}

// Item 1: net/http replays a read reset with PROTOCOL_ERROR with no bound;
// the SDK bounds it, so a read with no deadline still returns.
func TestReadsBoundedUnderEndlessHTTP2Resets(t *testing.T) {
	t.Parallel()
	s := newH2Server(t, func(int, url.Values) (uint32, string) { return h2Codes["PROTOCOL_ERROR"], "" })
	c := quietClient(t, s.url, WithHTTPClient(s.client))
	start := time.Now()
	_, err := c.call(context.Background(), &testRead, nil, nil)
	assert.ErrorIs(t, err, ErrNetwork)
	assert.Less(t, time.Since(start), 20*time.Second)
	// one send, maxReplays replays, then one send per retry (WithRetry(3, ...))
	assert.LessOrEqual(t, s.count(), 1+maxReplays+3)
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
				// A caller who logs in again and resends on ErrUnauthorized
				// must not be led to send it twice.
				assert.NotErrorIs(t, err, ErrUnauthorized, "%d %s: %s", status, body, ep)
				assert.ErrorIs(t, err, ErrServer, "%d %s: %s", status, body, ep)
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
		// &http.Client{} as a caller writes it, but with a transport of its
		// own: http.DefaultTransport is shared with every parallel test, and
		// one that closes its idle connections breaks this one's requests.
		{"http to another port, &http.Client{}", false, otherHTTP, func(*countingServer) *http.Client { return &http.Client{Transport: freshTransport()} }},
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
					hidesSecrets(t, err)
					assert.NotContains(t, err.Error(), "steal.php?", "the Location's query is not printed")
					processed := status != 307 && status != 308
					if ep.class.Idempotent() || !processed {
						assert.NotErrorIs(t, err, ErrOutcomeUnknown, "%s: a %d is no unknown outcome", ep, status)
					} else {
						assert.ErrorIs(t, err, ErrOutcomeUnknown, "%s: a %d may follow a processed form", ep, status)
					}
					if ep.class.Idempotent() {
						// A read may be retried legitimately (a connection
						// broken under load), but only at home.
						assert.GreaterOrEqual(t, home.count(ep)-sentBefore, 1, "%s", ep)
					} else {
						assert.Equal(t, 1, home.count(ep)-sentBefore, "%s", ep)
					}
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
	c := quietClient(t, home.srv.URL, WithHTTPClient(&http.Client{Transport: freshTransport()}))
	got, err := get[quirkRecord](context.Background(), c, &testRead, nil)
	require.NoError(t, err)
	assert.Equal(t, 12345, got.ID)

	_, err = c.call(context.Background(), &testChange, epParams(), nil)
	assert.ErrorIs(t, err, ErrRedirected)
	assert.Equal(t, 1, home.count(&testChange), "a state change is not sent again, even within the origin")

	// The SDK's default client follows nothing.
	d := quietClient(t, home.srv.URL)
	_, err = get[quirkRecord](context.Background(), d, &testRead, nil)
	assert.ErrorIs(t, err, ErrRedirected)
}

// freshTransport is http.DefaultTransport's settings in a transport of
// its own.
func freshTransport() *http.Transport {
	return http.DefaultTransport.(*http.Transport).Clone()
}

// hidesSecrets is assertErrorHidesSecrets for the registry walks, where
// its regular expressions cost too much under -race: the token and API key
// are long enough to look for as plain text, and the whole check runs on
// every fifth error.
var hideChecks sync.Map

func hidesSecrets(t *testing.T, err error) {
	t.Helper()
	for _, text := range []string{fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
		for _, secret := range []string{testToken, testAPIKey} {
			if strings.Contains(text, secret) {
				t.Errorf("error leaks a secret: %s", text)
			}
		}
	}
	n, _ := hideChecks.LoadOrStore(t.Name(), new(int))
	if *n.(*int)%5 == 0 {
		assertErrorHidesSecrets(t, err)
	}
	*n.(*int)++
}

var _ = errors.Is

// Item 7: a PIN refusal is final whatever its status: a read answered
// "Wrong PIN" with a 5xx or a 429 is not asked again.
func TestPINRefusalNotRetriedWhateverTheStatus(t *testing.T) {
	t.Parallel()
	var pinReads []*endpoint
	for _, ep := range endpointRegistry {
		if ep.pin && ep.class.Idempotent() {
			pinReads = append(pinReads, ep)
		}
	}
	require.NotEmpty(t, pinReads)
	pinReads = append(pinReads, &endpoint{module: "eq", action: "show_pin_read", class: read, pin: true})
	answers := map[string]error{
		`{"result":-1,"error":"Wrong PIN"}`:           ErrWrongPIN,
		`{"code":-1,"message":"Incorrect PIN code"}`:  ErrWrongPIN,
		`{"result":"Error","message":"PIN required"}`: ErrPINRequired,
	}
	for _, status := range []int{429, 500, 502, 503, 504} {
		for body, want := range answers {
			c, m := newTestClient(t)
			for _, ep := range pinReads {
				m.onFunc(ep.module, ep.action, func(url.Values) (int, string) { return status, body })
				_, err := c.call(context.Background(), ep, epParams(), nil)
				if status == 429 {
					assert.ErrorIs(t, err, ErrRateLimited, "%d %s: %s", status, body, ep)
				} else {
					assert.ErrorIs(t, err, want, "%d %s: %s", status, body, ep)
				}
				assert.Equal(t, 1, m.count(ep.module, ep.action), "%d %s: %s asked %d times", status, body, ep, m.count(ep.module, ep.action))
			}
		}
	}
	// The control: any other 5xx of a read is retried.
	c, m := newTestClient(t)
	m.onFunc("eq", "show", func(url.Values) (int, string) { return 503, `{"result":-1,"error":"Ping to the server failed"}` })
	_, err := c.call(context.Background(), &testRead, nil, nil)
	assert.ErrorIs(t, err, ErrServer)
	assert.Equal(t, 4, m.count("eq", "show"), "tried once and retried 3 times")
}

// Item 10: a read is asked again wherever its answer breaks off: in the
// status line, in the headers, or in the body, fixed-length or chunked. A
// state change whose answer breaks off is an unknown outcome, sent once.
func TestReadsRetriedAtEveryCutPoint(t *testing.T) {
	t.Parallel()
	const body = `{"result":"OK","id":"12345","name":"web-1"}`
	answers := map[string]string{
		"content-length": "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: " + fmt.Sprint(len(body)) + "\r\n\r\n" + body,
		"chunked": "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" +
			fmt.Sprintf("%x\r\n%s\r\n%x\r\n%s\r\n0\r\n\r\n", 10, body[:10], len(body)-10, body[10:]),
	}
	for name, raw := range answers {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var mu sync.Mutex
			cut, served := 0, 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.ReadAll(r.Body)
				mu.Lock()
				n := cut
				served++
				first := served == 1
				mu.Unlock()
				conn, _, err := w.(http.Hijacker).Hijack()
				if err != nil {
					return
				}
				defer conn.Close()
				if first {
					_, _ = io.WriteString(conn, raw[:n]) // cut, then close
					return
				}
				_, _ = io.WriteString(conn, raw)
			}))
			t.Cleanup(srv.Close)
			c := quietClient(t, srv.URL)
			for n := 0; n < len(raw); n++ {
				mu.Lock()
				cut, served = n, 0
				mu.Unlock()
				got, err := get[quirkRecord](context.Background(), c, &testRead, nil)
				if assert.NoError(t, err, "read cut after %d of %d bytes", n, len(raw)) {
					assert.Equal(t, 12345, got.ID)
				}
				mu.Lock()
				assert.Equal(t, 2, served, "cut after %d bytes: asked once more", n)
				mu.Unlock()

				mu.Lock()
				served = 0
				mu.Unlock()
				_, err = c.call(context.Background(), &testChange, epParams(), nil)
				assert.ErrorIs(t, err, ErrOutcomeUnknown, "change cut after %d bytes", n)
				mu.Lock()
				assert.Equal(t, 1, served, "change cut after %d bytes: sent once", n)
				mu.Unlock()
			}
		})
	}
}

// Item 10: the retry of a broken body is bounded by the retry budget.
func TestBrokenBodyRetriesBounded(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	served := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		served++
		mu.Unlock()
		w.Header().Set("Content-Length", "100")
		w.WriteHeader(200)
		_, _ = io.WriteString(w, `{"result":`)
		w.(http.Flusher).Flush()
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
	}))
	t.Cleanup(srv.Close)
	c := quietClient(t, srv.URL)
	_, err := c.call(context.Background(), &testRead, nil, nil)
	assert.ErrorIs(t, err, ErrNetwork)
	mu.Lock()
	assert.Equal(t, 4, served, "tried once and retried 3 times (WithRetry(3, ...))")
	mu.Unlock()
}

// Item 11: Close is final. After it nothing is sent, by any endpoint.
func TestNothingSentAfterClose(t *testing.T) {
	t.Parallel()
	s := newCountingServer(t, false, func(w http.ResponseWriter, _ *http.Request, _ url.Values, _ int) {
		writeJSON(w, 200, `{"result":"OK","callback":"cb-1"}`)
	})
	c := quietClient(t, s.srv.URL)
	require.NoError(t, c.Close())
	for _, ep := range endpointRegistry {
		_, err := c.call(context.Background(), ep, epParams(), nil)
		assert.ErrorIs(t, err, ErrClosed, "%s", ep)
	}
	_, err := c.Eq.Reboot(context.Background(), 12345)
	assert.ErrorIs(t, err, ErrClosed)
	assert.Equal(t, 0, s.total(), "requests sent after Close")
	// A key client (login first) sends no login either.
	k := quietClient(t, s.srv.URL, WithAPIKey(testAPIKey))
	require.NoError(t, k.Close())
	_, err = k.Eq.Reboot(context.Background(), 12345)
	assert.ErrorIs(t, err, ErrClosed)
	assert.Equal(t, 0, s.total())
}

// Item 11: a retry that falls due after Close is not sent.
func TestRetryAfterCloseNotSent(t *testing.T) {
	t.Parallel()
	var c *Client
	s := newCountingServer(t, false, func(w http.ResponseWriter, _ *http.Request, _ url.Values, _ int) {
		go c.Close()
		writeJSON(w, 503, `{"result":-1,"error":"busy"}`)
	})
	c = quietClient(t, s.srv.URL, WithRetry(3, 100*time.Millisecond))
	_, err := c.call(context.Background(), &testRead, nil, nil)
	assert.ErrorIs(t, err, ErrClosed)
	assert.Equal(t, 1, s.total())
}

// Item 12: construction refuses what it should, naming the field and
// never printing a password.
func TestConstructionRefuses(t *testing.T) {
	t.Parallel()
	cases := map[string]Option{
		"http to a name under .localhost": WithBaseURL("http://evil.localhost"),
		"http to a public host":           WithBaseURL("http://invapi.hostkey.com"),
		"http to localhost.evil.com":      WithBaseURL("http://localhost.evil.com:8080"),
		"user info in the base URL":       WithBaseURL("https://admin:hunter2-pw@invapi.hostkey.com"),
		"user only in the base URL":       WithBaseURL("https://hunter2-pw@invapi.hostkey.com"),
		"empty query":                     WithBaseURL("https://invapi.hostkey.com/?"),
		"query":                           WithBaseURL("https://invapi.hostkey.com/?a=1"),
		"empty fragment":                  WithBaseURL("https://invapi.hostkey.com/#"),
		"CR in the base URL":              WithBaseURL("https://invapi.hostkey.com/\r\nX: y"),
		"not absolute with user info":     WithBaseURL("//admin:hunter2-pw@"),
		"NaN poll budget":                 WithPollBudget(math.NaN()),
		"+Inf poll budget":                WithPollBudget(math.Inf(1)),
		"-Inf poll budget":                WithPollBudget(math.Inf(-1)),
		"tiny poll budget":                WithPollBudget(1e-300),
		"zero poll budget":                WithPollBudget(0),
		"zero Retry-After cap":            WithMaxRetryAfter(0),
		"negative Retry-After cap":        WithMaxRetryAfter(-time.Second),
		"zero poll check timeout":         WithPollCheckTimeout(0),
		"CR LF in the user agent":         WithUserAgent("app/1\r\nX-Evil: 1"),
		"NUL in the user agent":           WithUserAgent("app\x00"),
		"LF in the token":                 WithToken("tok\nhunter2-pw"),
		"CR in the API key":               WithAPIKey("key\rhunter2-pw"),
		"DEL in the API key":              WithAPIKey("key\x7f"),
		"tab in the billing user":         WithBillingCredentials("a@b.c\t", "pw"),
	}
	for name, opt := range cases {
		c, err := NewClient(opt)
		assert.Nil(t, c, name)
		if assert.Error(t, err, name) {
			assert.ErrorIs(t, err, ErrInvalidInput, name)
			assert.NotContains(t, fmt.Sprintf("%v %+v %#v", err, err, err), "hunter2", name)
		}
	}
	for _, ok := range []string{"http://localhost:8080", "http://LOCALHOST", "http://127.0.0.1:1", "http://[::1]:80", "https://invapi.hostkey.com/api"} {
		_, err := NewClient(WithBaseURL(ok))
		assert.NoError(t, err, ok)
	}
}

// Item 12: WithMaxResponseBytes(math.MaxInt64) means no cap, not "read
// nothing" (the +1 of the bound overflowed).
func TestMaxResponseBytesAtTheEdge(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t, WithMaxResponseBytes(math.MaxInt64))
	m.on("eq", "show", `{"result":"OK","id":"12345","name":"web-1"}`)
	got, err := get[quirkRecord](context.Background(), c, &testRead, nil)
	require.NoError(t, err)
	assert.Equal(t, 12345, got.ID)
}

// Item 12: a prompt that ignores its context still ends with it.
func TestPromptsEndWithTheContext(t *testing.T) {
	t.Parallel()
	_, m := newTestClient(t)
	block := make(chan struct{})
	t.Cleanup(func() { close(block) })
	stuck := func(context.Context) (string, error) { <-block; return "1234", nil }
	m.on("auth", "whmcslogin", `{"result":{"token":"`+testToken+`","2fa":1}}`)
	for name, opts := range map[string][]Option{
		"PIN": {WithAPIKey(testAPIKey), WithPINPrompt(stuck)},
		"2FA": {WithBillingCredentials("a@example.com", "s3cret-Pass"), WithTwoFactorPrompt(stuck)},
	} {
		c, err := NewClient(append([]Option{WithBaseURL(m.srv.URL)}, opts...)...)
		require.NoError(t, err)
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		start := time.Now()
		_, err = c.Eq.Reboot(ctx, 12345)
		cancel()
		assert.ErrorIs(t, err, context.DeadlineExceeded, name)
		assert.Less(t, time.Since(start), 2*time.Second, name)
	}
	assert.Equal(t, 0, m.count("eq", "reboot"))
}

// Item 6: each callback check has its own deadline. Eight keys whose
// checks hang hold all eight slots only that long: a healthy key's wait
// still ends quickly.
func TestStalledChecksDoNotStarveOthers(t *testing.T) {
	t.Parallel()
	quit := make(chan struct{})
	s := newCountingServer(t, false, func(w http.ResponseWriter, r *http.Request, f url.Values, n int) {
		if strings.HasPrefix(f.Get("key"), "stall-") {
			select { // hang until the client gives up
			case <-r.Context().Done():
			case <-quit:
			}
			return
		}
		if n < 3 {
			writeJSON(w, 200, `{"result":"Not ready"}`)
			return
		}
		writeJSON(w, 200, `{"result":"OK","scope":"done"}`)
	})
	t.Cleanup(func() { close(quit) }) // before the server closes
	c := quietClient(t, s.srv.URL, WithPollConcurrency(8), WithPollCheckTimeout(100*time.Millisecond))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for i := range 8 {
		op, err := c.ResumeOperation(fmt.Sprintf("stall-%d", i), "")
		require.NoError(t, err)
		go func() { _, _ = op.Wait(ctx) }()
	}
	time.Sleep(20 * time.Millisecond) // the stalled checks take every slot
	op, err := c.ResumeOperation("healthy", "")
	require.NoError(t, err)
	wctx, wcancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer wcancel()
	start := time.Now()
	res, err := op.Wait(wctx)
	require.NoError(t, err, "a healthy key's wait must not starve behind stalled ones")
	assert.Equal(t, "done", res.Scope)
	assert.Less(t, time.Since(start), 2*time.Second)
}

// Item 8: the poller's table of operations by key is bounded: operations
// never waited on, and abandoned waits, are dropped after keepIdle, and
// beyond maxTracked the idle ones go first. Operations being waited on stay.
func TestPollerTableBounded(t *testing.T) {
	t.Parallel()
	s := newCountingServer(t, false, func(w http.ResponseWriter, _ *http.Request, f url.Values, _ int) {
		if f.Get("key") == "finish" {
			writeJSON(w, 200, `{"result":"OK"}`)
			return
		}
		writeJSON(w, 200, `{"result":"Not ready"}`)
	})
	c := quietClient(t, s.srv.URL)
	p := c.poller
	p.mu.Lock()
	p.opts.maxTracked, p.pruneAt = 100, 100
	p.mu.Unlock()
	size := func() int { p.mu.Lock(); defer p.mu.Unlock(); return len(p.ops) }

	// Never waited on: the count bound holds.
	for i := range 1000 {
		_, err := c.ResumeOperation(fmt.Sprintf("never-%d", i), "")
		require.NoError(t, err)
	}
	assert.LessOrEqual(t, size(), 126, "maxTracked plus a quarter at most")

	// An active wait is never dropped, whatever the pressure.
	active, _ := c.ResumeOperation("active", "")
	actx, acancel := context.WithCancel(context.Background())
	defer acancel()
	go func() { _, _ = active.Wait(actx) }()
	// An abandoned wait: its context ends, nobody waits any more.
	abandoned, _ := c.ResumeOperation("abandoned", "")
	bctx, bcancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	_, err := abandoned.Wait(bctx)
	bcancel()
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.Eventually(t, func() bool {
		p.mu.Lock()
		defer p.mu.Unlock()
		return active.poll.waiters == 1 && !abandoned.poll.queued && !abandoned.poll.inflight
	}, 2*time.Second, time.Millisecond)
	for i := range 1000 {
		_, _ = c.ResumeOperation(fmt.Sprintf("more-%d", i), "")
	}
	p.mu.Lock()
	_, kept := p.ops[opKey{eqCallback, "active"}]
	p.mu.Unlock()
	assert.True(t, kept, "an operation being waited on stays")

	// After keepIdle, every idle one is gone; the active one stays.
	p.mu.Lock()
	p.pruneLocked(time.Now().Add(defaultKeepIdle + time.Second))
	_, kept = p.ops[opKey{eqCallback, "active"}]
	_, keptAbandoned := p.ops[opKey{eqCallback, "abandoned"}]
	n := len(p.ops)
	p.mu.Unlock()
	assert.True(t, kept)
	assert.False(t, keptAbandoned, "an abandoned wait is dropped")
	assert.Equal(t, 1, n, "only the active operation is left")

	// A dropped operation still works for its holder, and is findable again.
	dropped, _ := c.ResumeOperation("finish", "")
	p.mu.Lock()
	p.pruneLocked(time.Now().Add(defaultKeepIdle + 2*time.Minute)) // a minute after the last prune
	_, there := p.ops[opKey{eqCallback, "finish"}]
	p.mu.Unlock()
	require.False(t, there)
	wctx, wcancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer wcancel()
	_, err = dropped.Wait(wctx)
	require.NoError(t, err)
	again, _ := c.ResumeOperation("finish", "")
	assert.Same(t, dropped, again, "the kept OK is shared again after the wait")

	// Finished operations go after keepFinished (the clock moved on past
	// the earlier prunes).
	require.Eventually(t, func() bool {
		p.mu.Lock()
		defer p.mu.Unlock()
		return !dropped.poll.retiredAt.IsZero()
	}, 2*time.Second, time.Millisecond)
	p.mu.Lock()
	p.pruneLocked(time.Now().Add(defaultKeepIdle + keepFinished + 2*time.Minute))
	_, there = p.ops[opKey{eqCallback, "finish"}]
	p.mu.Unlock()
	assert.False(t, there)
}

// idleCounter counts CloseIdleConnections calls on a caller's transport.
type idleCounter struct {
	*http.Transport
	closes atomic.Int32
}

func (t *idleCounter) CloseIdleConnections() { t.closes.Add(1); t.Transport.CloseIdleConnections() }

// A client given with WithHTTPClient is the caller's: neither a failed read
// (go-retryablehttp closes its client's idle connections then) nor Close
// touches its idle connections, which on a shared transport could break
// another request in flight.
func TestCallersIdleConnectionsLeftAlone(t *testing.T) {
	t.Parallel()
	s := newCountingServer(t, false, func(w http.ResponseWriter, _ *http.Request, _ url.Values, _ int) {
		writeJSON(w, 503, `{"result":-1,"error":"busy"}`)
	})
	tr := &idleCounter{Transport: freshTransport()}
	c := quietClient(t, s.srv.URL, WithHTTPClient(&http.Client{Transport: tr}))
	_, err := c.call(context.Background(), &testRead, nil, nil)
	require.ErrorIs(t, err, ErrServer)
	require.NoError(t, c.Close())
	assert.Zero(t, tr.closes.Load())
}
