package invapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/invapi-go/invapi/internal/form"
)

// fuzzAPI answers every request with the body under test. A fuzz worker
// runs its inputs one at a time, so one body at a time is enough.
type fuzzAPI struct {
	srv    *httptest.Server
	hc     *http.Client
	mu     sync.Mutex
	body   []byte
	counts map[string]int
}

func newFuzzAPI(f *testing.F) *fuzzAPI {
	fa := &fuzzAPI{counts: map[string]int{}}
	fa.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		fields, _ := url.ParseQuery(string(raw))
		fa.mu.Lock()
		fa.counts[strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/"), ".php")+"/"+fields.Get("action")]++
		body := fa.body
		fa.mu.Unlock()
		if len(body) > 0 && (body[0] == '{' || body[0] == '[') {
			w.Header().Set("Content-Type", "application/json")
		} else {
			w.Header().Set("Content-Type", "text/html; charset=UTF-8")
		}
		_, _ = w.Write(body)
	}))
	fa.hc = &http.Client{Transport: &http.Transport{}}
	f.Cleanup(func() {
		fa.hc.CloseIdleConnections()
		fa.srv.Close()
	})
	return fa
}

func (fa *fuzzAPI) set(body []byte) {
	fa.mu.Lock()
	defer fa.mu.Unlock()
	fa.body = body
	fa.counts = map[string]int{}
}

func (fa *fuzzAPI) count(key string) int {
	fa.mu.Lock()
	defer fa.mu.Unlock()
	return fa.counts[key]
}

// fuzzSeeds adds every documented and quirk body under testdata/*/ as a seed.
func fuzzSeeds(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*", "*"))
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil && len(b) < 64<<10 {
			f.Add(b)
		}
	}
	for _, s := range []string{
		"", "null", "[]", "{}", "0", `"OK"`, "<html><body>502 Bad Gateway</body></html>",
		`{"result":"OK","callback":"k1"}`,
		`{"result":"Not ready"}`,
		`{"result":"Stage","scope":"1st stage","context":"{\"id\":\"12345\"}"}`,
		`{"result":"OK","scope":{"a":1},"context":{"action":"reboot","id":"12345"},"debug":["x"]}`,
		`{"code":-2,"message":"Invalid token ` + testToken + `"}`,
		`{"result":-1,"error":"Wrong PIN ` + testPIN + `"}`,
		`{"code":"-1","message":"AsyncKey k1 not found"}`,
		"<br />\n<b>Warning</b>: x in <b>/var/www/eq.php</b><br />\n{\"result\":\"OK\",\"token_data\":{\"customer_id\":\"1001\"}}",
		`{"result":"OK","token_data":{"customer_id":"1001","servers":{"0":"1","5":"2"}}}`,
		`{"result":"OK","tags":{"id":"1","tag":"a","value":7}}`,
		`{"result":"OK","data":{"data":{"data":[[[[[[[[]]]]]]]]}}}`,
		`{"result":"OK","token_data":{"customer_id":1e400,"servers":[1.5,"x",null,true]}}`,
	} {
		f.Add([]byte(s))
	}
}

// fuzzTyped fails the test unless err is nil with a value, or one of the
// SDK's typed errors (or a context error) without a value and without a
// secret in its text.
func fuzzTyped(t *testing.T, what string, hasValue bool, err error) {
	t.Helper()
	if err == nil {
		if !hasValue {
			t.Fatalf("%s: neither a value nor an error", what)
		}
		return
	}
	if hasValue {
		t.Fatalf("%s: both a value and an error: %v", what, err)
	}
	var (
		apiErr  *APIError
		respErr *ResponseError
		unknown *OutcomeUnknownError
		opErr   *OperationError
	)
	if !errors.As(err, &apiErr) && !errors.As(err, &respErr) && !errors.As(err, &unknown) &&
		!errors.As(err, &opErr) && !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) {
		t.Fatalf("%s: untyped error %T: %v", what, err, err)
	}
	assertErrorHidesSecrets(t, err)
}

// FuzzResponse answers the fuzzed body to a read (auth info, and tags list
// for lists), a state change (eq reboot) and a callback check (a wait on
// the reboot's operation, or on a resumed key), through the whole request
// path. None may panic; each returns a value or a typed error without
// secrets; the state change is sent exactly once.
//
//	go test -run '^$' -fuzz '^FuzzResponse$' -fuzztime 60s .
func FuzzResponse(f *testing.F) {
	fuzzSeeds(f)
	fa := newFuzzAPI(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		// A hang is a failure too: crash the worker with every stack, so
		// the fuzzer saves the input.
		watchdog := time.AfterFunc(15*time.Second, func() {
			buf := make([]byte, 1<<20)
			panic(fmt.Sprintf("FuzzResponse: input still running after 15s:\n%s", buf[:runtime.Stack(buf, true)]))
		})
		defer watchdog.Stop()
		fa.set(body)
		c, err := NewClient(WithBaseURL(fa.srv.URL), WithHTTPClient(fa.hc), WithToken(testToken), WithPIN(testPIN),
			WithRetry(0, time.Millisecond), WithPollInterval(time.Millisecond, time.Millisecond), WithPollBudget(1e6),
			WithMaxResponseBytes(1<<20))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()

		info, err := c.Auth.Info(ctx)
		fuzzTyped(t, "auth/info", info != nil, err)

		tags, err := c.Tags.List(ctx, 12345)
		if err != nil {
			fuzzTyped(t, "tags/list", tags != nil, err)
		}

		op, err := c.Eq.Reboot(ctx, 12345)
		fuzzTyped(t, "eq/reboot", op != nil, err)
		if n := fa.count("eq/reboot"); n != 1 {
			t.Fatalf("eq/reboot sent %d times", n)
		}
		if op == nil {
			if op, err = c.ResumeOperation("k1", ""); err != nil {
				t.Fatal(err)
			}
		}
		wctx, wcancel := context.WithTimeout(ctx, 50*time.Millisecond)
		defer wcancel()
		res, err := op.Wait(wctx)
		fuzzTyped(t, "wait", res != nil, err)
		for p, err := range op.Watch(wctx) {
			if err != nil {
				fuzzTyped(t, "watch", p.Status == StatusDone, err)
			}
		}
	})
}

// FuzzFormEncoding fills real request types with fuzzed strings and ints:
// Validate and form encoding never panic, Validate fails only with a
// *ValidationError, the encoded form survives a round trip, the extra
// fields never replace action or token, and no secret (password, reset
// token, 2FA code) appears in a validation error.
//
//	go test -run '^$' -fuzz '^FuzzFormEncoding$' -fuzztime 60s .
func FuzzFormEncoding(f *testing.F) {
	f.Add("web-1", "role", "198.51.100.7", 12345, 2)
	f.Add("", "", "", 0, 0)
	f.Add("ops@example.com", "reset-token-0123456789", "Root-pass_123", 1, -1)
	f.Add("host.example.com", "2001:db8::1", "198.51.100.0/24", -5, 25)
	f.Add("action", "token", "pin", 1<<62, 24)
	f.Add("a b\x00c", "é\u2028\"'<>&=%", strings.Repeat("x", 300), 7, 7)
	f.Fuzz(func(t *testing.T, s1, s2, s3 string, n1, n2 int) {
		reqs := []validator{
			&TagAddRequest{ID: n1, IDList: []int{n2}, Tag: s1, Value: s2, ExtraValue: s3},
			&TagRemoveRequest{ID: n1, Tag: s1},
			&UpdatePTRRequest{ID: n1, IP: s1, PTR: PTRNames{s2, s3}},
			&AddStaticNATRequest{ID: n1, IPACL: s1, TTL: n2},
			&APIKeyAddRequest{Params: APIKeyParams{Name: s1, ServerID: n1, IPACL: []string{s2}}, Extra: Fields{s3: s2}},
		}
		for _, r := range reqs {
			checkForm(t, r, nil)
		}
		// Secrets: the reset token and the new password, and the 2FA code.
		code := strconv.Itoa(n1)
		reset := &ResetPasswordRequest{Email: s1, ResetToken: s2, Password: s3, Code: code, Extra: Fields{"action": s1, "x": s2}}
		checkForm(t, reset, func(err error) {
			alt := *reset
			alt.ResetToken, alt.Password = mask(s2), mask(s3)
			template := ""
			if e := alt.Validate(); e != nil {
				template = e.Error()
			}
			for _, secret := range []string{s2, s3} {
				if len(secret) < 6 || strings.Contains(s1, secret) || strings.Contains(code, secret) ||
					strings.Contains(template, secret) {
					continue // too short to tell, or in the text for another reason
				}
				for _, format := range []string{"%v", "%+v", "%#v", "%q"} {
					if text := fmt.Sprintf(format, err); strings.Contains(text, secret) {
						t.Fatalf("validation error shows a secret: %s", text)
					}
				}
			}
		})
	})
}

// mask returns a string as long as s that shares no byte with ordinary text.
func mask(s string) string { return strings.Repeat("\x01", len(s)) }

// checkForm validates r and encodes it; onErr sees a validation error.
func checkForm(t *testing.T, r validator, onErr func(error)) {
	t.Helper()
	if err := r.Validate(); err != nil {
		var ve *ValidationError
		if !errors.As(err, &ve) || ve.Field == "" {
			t.Fatalf("%T.Validate: not a *ValidationError naming a field: %v", r, err)
		}
		if onErr != nil {
			onErr(err)
		}
	}
	v, err := form.Encode(r)
	if err != nil {
		return // encoding refused the value: the request path reports it as invalid params
	}
	if v.Get("action") != "" || v.Get("token") != "" {
		t.Fatalf("%T: extra fields replaced action or token: %v", r, v)
	}
	back, err := url.ParseQuery(v.Encode())
	if err != nil {
		t.Fatalf("%T: form does not parse back: %v", r, err)
	}
	if len(back) != len(v) {
		t.Fatalf("%T: form round trip changed the fields: %v != %v", r, back, v)
	}
	for k, vals := range v {
		if strings.Join(back[k], "\x00") != strings.Join(vals, "\x00") {
			t.Fatalf("%T: field %q changed in the round trip: %q != %q", r, k, back[k], vals)
		}
	}
}
