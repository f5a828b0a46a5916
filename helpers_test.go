package invapi

import (
	"errors"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Test credentials used by newTestClient. Tests that scan output for
// secrets look for these values.
const (
	testAPIKey = "test-api-key-0123456789"
	testToken  = "tok-5f2a9c0e7b1d4a3c"
	testPIN    = "4826"
)

// mockAPI is a scripted InvAPI: handlers by module/action, a record of every
// request's form. Each test gets its own, so tests can run in parallel.
type mockAPI struct {
	t        testing.TB
	srv      *httptest.Server
	mu       sync.Mutex
	handlers map[string]func(form url.Values) (int, string)
	raw      map[string]func(w http.ResponseWriter, form url.Values)
	requests []mockRequest
}

type mockRequest struct {
	Module, Action string
	Method         string
	Query          url.Values // must stay free of secrets
	Form           url.Values
	Header         http.Header
}

// newTestClient returns a client logged in (lazily) against a fresh mockAPI.
// auth/login answers with testToken unless a test overrides it.
func newTestClient(t testing.TB, opts ...Option) (*Client, *mockAPI) {
	t.Helper()
	m := &mockAPI{t: t, handlers: map[string]func(url.Values) (int, string){},
		raw: map[string]func(http.ResponseWriter, url.Values){}}
	m.srv = httptest.NewServer(http.HandlerFunc(m.serve))
	t.Cleanup(m.srv.Close)
	m.on("auth", "login", `{"result":{"token":"`+testToken+`","ttl":7200,"role":"client","servers":["12345"]}}`)
	// Every log line of every test client is scanned for secrets at the end.
	logs := &lockedBuffer{}
	t.Cleanup(func() { assertNoSecrets(t, "log output", logs.String()) })
	base := []Option{WithBaseURL(m.srv.URL), WithAPIKey(testAPIKey), WithPIN(testPIN),
		WithLogger(slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))),
		WithRetry(3, 5*time.Millisecond), WithPollInterval(time.Millisecond, 5*time.Millisecond), WithPollBudget(1e6)}
	c, err := NewClient(append(base, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c, m
}

// dropConnection, returned as a status by a handler, closes the connection
// without answering: the request reached the server, the answer is lost.
const dropConnection = -1

// testSecrets are every secret value the tests use.
var testSecrets = []string{testAPIKey, testToken, testPIN, "s3cret-Pass", "Root-pass_123", test2FACode, testResetToken}

// More secrets the redaction tests send and expect masked.
const (
	test2FACode    = "739104"
	testResetToken = "rst-8c1e55d07f3b"
)

// secretPatterns match each test secret, in any letter case, even inside
// a longer word. Secrets of digits (PIN, 2FA code) must not be part of a
// longer number or follow a '.': the digits may well appear inside a
// duration or an id ("2.4826ms", "148260").
var secretPatterns = func() []*regexp.Regexp {
	var out []*regexp.Regexp
	for _, s := range testSecrets {
		if strings.Trim(s, "0123456789") == "" {
			out = append(out, regexp.MustCompile(`(^|[^0-9.])`+regexp.QuoteMeta(s)+`($|[^0-9])`))
			continue
		}
		out = append(out, regexp.MustCompile(`(?i)`+regexp.QuoteMeta(s)))
	}
	return out
}()

var (
	urlEscape  = regexp.MustCompile(`%[0-9a-fA-F]{2}`)
	jsonEscape = regexp.MustCompile(`\\[uU]([0-9a-fA-F]{4})`)
)

// decodings returns text as read after each decoding a server or a printer
// may have applied (URL, HTML, JSON, %q), alone and combined.
func decodings(text string) []string {
	unURL := func(s string) string {
		return urlEscape.ReplaceAllStringFunc(s, func(m string) string {
			b, _ := strconv.ParseUint(m[1:], 16, 8)
			return string([]byte{byte(b)})
		})
	}
	unJSON := func(s string) string {
		s = jsonEscape.ReplaceAllStringFunc(s, func(m string) string {
			r, _ := strconv.ParseUint(m[2:], 16, 16)
			return string(rune(r))
		})
		return strings.NewReplacer(`\/`, "/", `\"`, `"`, `\\`, `\`).Replace(s)
	}
	out := []string{text, unURL(text), strings.ReplaceAll(unURL(text), "+", " "), html.UnescapeString(text), unJSON(text)}
	out = append(out, unJSON(html.UnescapeString(unURL(text))), unURL(html.UnescapeString(unJSON(text))))
	if q, err := strconv.Unquote(`"` + strings.ReplaceAll(text, `"`, `\"`) + `"`); err == nil {
		out = append(out, q)
	}
	return out
}

// assertNoSecrets fails the test if text holds any test secret, in any
// encoding, or the first half of a long one (a secret cut by an excerpt).
func assertNoSecrets(t testing.TB, what, text string) {
	t.Helper()
	for _, variant := range decodings(text) {
		low := strings.ToLower(variant)
		for i, s := range testSecrets {
			leak := false
			if strings.Trim(s, "0123456789") == "" {
				leak = strings.Contains(low, s) && secretPatterns[i].MatchString(variant)
			} else {
				leak = strings.Contains(low, strings.ToLower(s))
			}
			if leak {
				t.Errorf("%s leaks a secret (%q...): %s", what, s[:3], text)
				return
			}
			if len(s) >= 12 && strings.Contains(low, strings.ToLower(s[:len(s)/2])) {
				t.Errorf("%s leaks half a secret (%q...): %s", what, s[:3], text)
				return
			}
		}
	}
}

// assertErrorHidesSecrets checks every way an error is usually printed.
func assertErrorHidesSecrets(t testing.TB, err error) {
	t.Helper()
	if err == nil {
		return
	}
	for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		assertNoSecrets(t, "error printed with "+format, fmt.Sprintf(format, err))
	}
	for e := errors.Unwrap(err); e != nil; e = errors.Unwrap(e) {
		assertNoSecrets(t, "wrapped error", fmt.Sprintf("%+v", e))
	}
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// on answers module/action with HTTP 200 and body.
func (m *mockAPI) on(module, action, body string) {
	m.onFunc(module, action, func(url.Values) (int, string) { return http.StatusOK, body })
}

// onSeq answers successive calls with successive bodies; the last repeats.
func (m *mockAPI) onSeq(module, action string, bodies ...string) {
	var mu sync.Mutex
	i := 0
	m.onFunc(module, action, func(url.Values) (int, string) {
		mu.Lock()
		defer mu.Unlock()
		b := bodies[min(i, len(bodies)-1)]
		i++
		return http.StatusOK, b
	})
}

// onFunc answers module/action with fn's status and body.
func (m *mockAPI) onFunc(module, action string, fn func(form url.Values) (int, string)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.handlers[module+"/"+action] = fn
}

// onRaw gives a handler full control of the answer (headers, status, body).
func (m *mockAPI) onRaw(module, action string, fn func(w http.ResponseWriter, form url.Values)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.raw[module+"/"+action] = fn
}

func (m *mockAPI) serve(w http.ResponseWriter, r *http.Request) {
	module := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/"), ".php")
	body, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(body))
	action := form.Get("action")
	m.mu.Lock()
	m.requests = append(m.requests, mockRequest{Module: module, Action: action, Method: r.Method,
		Query: r.URL.Query(), Form: form, Header: r.Header.Clone()})
	h := m.handlers[module+"/"+action]
	rawHandler := m.raw[module+"/"+action]
	m.mu.Unlock()
	if rawHandler != nil {
		rawHandler(w, form)
		return
	}
	if h == nil {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"code":-1,"message":"Unknown action"}`)
		return
	}
	status, out := h(form)
	if status == dropConnection {
		hj, ok := w.(http.Hijacker)
		if !ok {
			panic("mockAPI: response writer cannot hijack")
		}
		conn, _, err := hj.Hijack()
		if err == nil {
			_ = conn.Close()
		}
		return
	}
	if status == 429 && out == "" {
		w.Header().Set("Retry-After", "1")
	}
	if strings.HasPrefix(strings.TrimSpace(out), "{") || strings.HasPrefix(strings.TrimSpace(out), "[") {
		w.Header().Set("Content-Type", "application/json")
	} else if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, out)
}

// calls returns the requests sent to module/action, in order.
func (m *mockAPI) calls(module, action string) []mockRequest {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []mockRequest
	for _, r := range m.requests {
		if r.Module == module && r.Action == action {
			out = append(out, r)
		}
	}
	return out
}

// count returns how many requests reached module/action.
func (m *mockAPI) count(module, action string) int { return len(m.calls(module, action)) }

// lastForm returns the form of the last request to module/action, without
// the token (asserted separately), failing the test if there was none.
func (m *mockAPI) lastForm(module, action string) url.Values {
	m.t.Helper()
	calls := m.calls(module, action)
	require.NotEmpty(m.t, calls, "no request to %s/%s", module, action)
	f := calls[len(calls)-1].Form
	out := url.Values{}
	for k, v := range f {
		if k != "token" {
			out[k] = v
		}
	}
	return out
}

// fixture returns testdata/<name>.
func fixture(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return string(b)
}
