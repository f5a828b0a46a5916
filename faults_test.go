package invapi_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invapi-go/invapi"
	"github.com/invapi-go/invapi/invapitest"
)

// The fault tests run the client against the simulator's injected faults.
// For each fault they check that reads succeed once it clears, that a
// state-changing action reaches the server at most once, that every failure
// is a typed error whose text holds no secret, and that no goroutine is left
// behind. They are not parallel, so the goroutine count is theirs alone.

const (
	faultServer = 12345   // the simulator's first default server
	faultPIN    = "80417" // set on the simulator's account: DefaultPIN "1234" is inside "12345"
)

// tokenSniffer is a transport that records every session token the
// simulator hands out, so the tests can look for them in errors.
type tokenSniffer struct {
	base   *http.Transport
	mu     sync.Mutex
	tokens []string
}

var tokenField = regexp.MustCompile(`"token"\s*:\s*"([^"]+)"`)

func (s *tokenSniffer) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := s.base.RoundTrip(r)
	if err != nil || !strings.HasSuffix(r.URL.Path, "/auth.php") {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	for _, m := range tokenField.FindAllSubmatch(body, -1) {
		s.tokens = append(s.tokens, string(m[1]))
	}
	s.mu.Unlock()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

func (s *tokenSniffer) seen() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.tokens...)
}

// faultEnv is one simulator and one client with a transport of its own.
type faultEnv struct {
	t     *testing.T
	srv   *invapitest.Server
	c     *invapi.Client
	sniff *tokenSniffer
	ctx   context.Context
}

// runFault runs fn against a fresh simulator and client, then closes both
// and checks that the goroutines started meanwhile have all ended.
func runFault(t *testing.T, name string, simOpts []invapitest.Option, opts []invapi.Option, fn func(t *testing.T, e *faultEnv)) {
	t.Run(name, func(t *testing.T) {
		g0 := runtime.NumGoroutine()
		func() {
			srv := invapitest.NewServer(simOpts...)
			defer srv.Close()
			srv.SetPIN(invapitest.DefaultCustomerID, faultPIN)
			sniff := &tokenSniffer{base: &http.Transport{}}
			defer sniff.base.CloseIdleConnections()
			hc := &http.Client{Transport: sniff,
				CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			base := []invapi.Option{invapi.WithBaseURL(srv.URL), invapi.WithAPIKey(invapitest.DefaultAPIKey),
				invapi.WithPIN(faultPIN), invapi.WithHTTPClient(hc), invapi.WithRetry(4, 10*time.Millisecond),
				invapi.WithPollInterval(time.Millisecond, 5*time.Millisecond), invapi.WithPollBudget(1e6)}
			c, err := invapi.NewClient(append(base, opts...)...)
			require.NoError(t, err)
			defer c.Close()
			fn(t, &faultEnv{t: t, srv: srv, c: c, sniff: sniff, ctx: context.Background()})
		}()
		assertNoGoroutineLeak(t, g0)
	})
}

// assertNoGoroutineLeak polls by hand (assert.Eventually would run a
// goroutine of its own) until the count is back to g0.
func assertNoGoroutineLeak(t *testing.T, g0 int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > g0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > g0 {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		t.Errorf("%d goroutines left behind:\n%s", n-g0, buf)
	}
}

// defaultPIN matches the simulator's default PIN as a number of its own.
var defaultPIN = regexp.MustCompile(`(^|\D)` + invapitest.DefaultPIN + `(\D|$)`)

// typed asserts err is one of the SDK's typed errors (or a context error)
// and that no way of printing it shows a secret. It returns err.
func (e *faultEnv) typed(err error) error {
	t := e.t
	t.Helper()
	require.Error(t, err)
	var (
		apiErr  *invapi.APIError
		respErr *invapi.ResponseError
		unknown *invapi.OutcomeUnknownError
		opErr   *invapi.OperationError
	)
	ok := errors.As(err, &apiErr) || errors.As(err, &respErr) || errors.As(err, &unknown) ||
		errors.As(err, &opErr) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)
	assert.True(t, ok, "untyped error %T: %v", err, err)
	e.noSecrets(err)
	return err
}

func (e *faultEnv) noSecrets(err error) {
	t := e.t
	t.Helper()
	secrets := append([]string{invapitest.DefaultAPIKey, invapitest.DefaultPassword, faultPIN}, e.sniff.seen()...)
	var texts []string
	for _, f := range []string{"%v", "%+v", "%#v", "%q"} {
		texts = append(texts, fmt.Sprintf(f, err))
	}
	for u := errors.Unwrap(err); u != nil; u = errors.Unwrap(u) {
		texts = append(texts, fmt.Sprintf("%+v", u))
	}
	for _, text := range texts {
		for _, s := range secrets {
			if s != "" && strings.Contains(text, s) {
				t.Errorf("error text leaks a secret (%s...): %s", s[:3], text)
			}
		}
		if defaultPIN.MatchString(text) {
			t.Errorf("error text holds the default PIN: %s", text)
		}
	}
}

// sent asserts how many requests for module/action reached the simulator,
// faulted or not. The simulator logs a request when its answer ends, which
// can be just after the client has seen it: the log is polled for a while.
func (e *faultEnv) sent(module, action string, want int) {
	e.t.Helper()
	count := func() int {
		n := 0
		for _, r := range e.srv.Requests() {
			if r.Module == module && r.Action == action {
				n++
			}
		}
		return n
	}
	deadline := time.Now().Add(2 * time.Second)
	n := count()
	for n < want && time.Now().Before(deadline) {
		time.Sleep(2 * time.Millisecond)
		n = count()
	}
	assert.Equal(e.t, want, n, "requests sent to %s/%s", module, action)
}

// readOK asserts reads work (the fault is gone).
func (e *faultEnv) readOK() {
	e.t.Helper()
	info, err := e.c.Auth.Info(e.ctx)
	require.NoError(e.t, err)
	assert.Equal(e.t, invapitest.DefaultCustomerID, info.CustomerID)
	tags, err := e.c.Tags.List(e.ctx, faultServer)
	require.NoError(e.t, err)
	_ = tags
}

func (e *faultEnv) addTag(ctx context.Context, value string) (*invapi.TagAddResult, error) {
	return e.c.Tags.Add(ctx, &invapi.TagAddRequest{ID: faultServer, Tag: "role", Value: value})
}

// tagValue reads the server's "role" tag from the simulator's state.
func (e *faultEnv) tagValue() string {
	eq, ok := e.srv.Server(faultServer)
	require.True(e.t, ok)
	for _, tg := range eq.Tags {
		if tg.Name == "role" {
			return tg.Value
		}
	}
	return ""
}

func TestFaults5xxBurst(t *testing.T) {
	runFault(t, "read retried through a burst", nil, nil, func(t *testing.T, e *faultEnv) {
		e.srv.Fault(invapitest.Fault{Module: "tags", Action: "list", Kind: invapitest.FaultStatus, Status: 503, Times: 3})
		_, err := e.c.Tags.List(e.ctx, faultServer)
		require.NoError(t, err)
		e.sent("tags", "list", 4)
	})
	runFault(t, "read past the retries, then the fault clears", nil, nil, func(t *testing.T, e *faultEnv) {
		e.srv.Fault(invapitest.Fault{Module: "tags", Action: "list", Kind: invapitest.FaultStatus, Status: 500, Times: -1})
		_, err := e.c.Tags.List(e.ctx, faultServer)
		e.typed(err)
		assert.ErrorIs(t, err, invapi.ErrServer)
		e.sent("tags", "list", 5)
		e.srv.ClearFaults()
		e.readOK()
	})
	runFault(t, "state change not resent", nil, nil, func(t *testing.T, e *faultEnv) {
		e.srv.Fault(invapitest.Fault{Module: "tags", Action: "add", Kind: invapitest.FaultStatus, Status: 502, Times: 3})
		_, err := e.addTag(e.ctx, "web")
		e.typed(err)
		assert.ErrorIs(t, err, invapi.ErrOutcomeUnknown)
		assert.ErrorIs(t, err, invapi.ErrServer)
		e.sent("tags", "add", 1)
		assert.Equal(t, 0, e.srv.Count("tags", "add"))
		e.srv.ClearFaults()
		e.readOK()
	})
}

func TestFaultsRateLimited(t *testing.T) {
	// Retry-After 1s is more than this client waits: the read gives up at
	// once with the wait the API asked for.
	runFault(t, "read with Retry-After beyond the cap", nil, []invapi.Option{invapi.WithMaxRetryAfter(50 * time.Millisecond)}, func(t *testing.T, e *faultEnv) {
		e.srv.Fault(invapitest.Fault{Module: "tags", Action: "list", Kind: invapitest.FaultRateLimit, RetryAfter: 1, Times: -1})
		_, err := e.c.Tags.List(e.ctx, faultServer)
		e.typed(err)
		assert.ErrorIs(t, err, invapi.ErrRateLimited)
		var apiErr *invapi.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, time.Second, apiErr.RetryAfter)
		e.sent("tags", "list", 1)
		e.srv.ClearFaults()
		e.readOK()
	})
	runFault(t, "state change refused with 429 is not resent", nil, nil, func(t *testing.T, e *faultEnv) {
		e.srv.Fault(invapitest.Fault{Module: "tags", Action: "add", Kind: invapitest.FaultRateLimit, RetryAfter: 1})
		_, err := e.addTag(e.ctx, "web")
		e.typed(err)
		assert.ErrorIs(t, err, invapi.ErrRateLimited)
		assert.NotErrorIs(t, err, invapi.ErrOutcomeUnknown, "a 429 proves the action was refused")
		e.sent("tags", "add", 1)
		assert.Equal(t, 0, e.srv.Count("tags", "add"))
		_, err = e.addTag(e.ctx, "web") // the caller may send it again
		require.NoError(t, err)
		assert.Equal(t, "web", e.tagValue())
	})
}

func TestFaultsConnectionReset(t *testing.T) {
	runFault(t, "read reset before processing is retried", nil, nil, func(t *testing.T, e *faultEnv) {
		e.srv.Fault(invapitest.Fault{Module: "tags", Action: "list", Kind: invapitest.FaultDropBefore, Times: 2})
		_, err := e.c.Tags.List(e.ctx, faultServer)
		require.NoError(t, err)
		assert.Equal(t, 1, e.srv.Count("tags", "list"))
	})
	runFault(t, "read reset after processing is retried", nil, nil, func(t *testing.T, e *faultEnv) {
		e.srv.Fault(invapitest.Fault{Module: "tags", Action: "list", Kind: invapitest.FaultDropAfter})
		_, err := e.c.Tags.List(e.ctx, faultServer)
		require.NoError(t, err)
		assert.Equal(t, 2, e.srv.Count("tags", "list"))
	})
	runFault(t, "read reset until the retries run out", nil, nil, func(t *testing.T, e *faultEnv) {
		e.srv.Fault(invapitest.Fault{Module: "tags", Action: "list", Kind: invapitest.FaultDropBefore, Times: -1})
		_, err := e.c.Tags.List(e.ctx, faultServer)
		require.Error(t, err)
		// A network failure on a read is reported as the SDK's net error,
		// wrapping *url.Error: a net.Error, none of the API error types.
		var ne net.Error
		assert.True(t, errors.As(err, &ne), "%T: %v", err, err)
		e.noSecrets(err)
		e.sent("tags", "list", 5)
		e.srv.ClearFaults()
		e.readOK()
	})
	runFault(t, "state change reset before processing", nil, nil, func(t *testing.T, e *faultEnv) {
		e.srv.Fault(invapitest.Fault{Module: "tags", Action: "add", Kind: invapitest.FaultDropBefore})
		_, err := e.addTag(e.ctx, "web")
		e.typed(err)
		// The request was written before the connection dropped: the
		// client cannot know it was not processed.
		assert.ErrorIs(t, err, invapi.ErrOutcomeUnknown)
		e.sent("tags", "add", 1)
		assert.Equal(t, 0, e.srv.Count("tags", "add"))
		assert.Equal(t, "", e.tagValue())
		e.readOK()
	})
	runFault(t, "state change reset after processing", nil, nil, func(t *testing.T, e *faultEnv) {
		e.srv.Fault(invapitest.Fault{Module: "tags", Action: "add", Kind: invapitest.FaultDropAfter})
		_, err := e.addTag(e.ctx, "web")
		e.typed(err)
		var unknown *invapi.OutcomeUnknownError
		require.ErrorAs(t, err, &unknown)
		assert.NotEmpty(t, unknown.Settle)
		e.sent("tags", "add", 1)
		assert.Equal(t, 1, e.srv.Count("tags", "add"))
		assert.Equal(t, "web", e.tagValue(), "the action took effect once")
		e.readOK()
	})
	runFault(t, "callback check reset is retried", nil, nil, func(t *testing.T, e *faultEnv) {
		// Two lost "Not ready" answers (the simulator answers two before the OK).
		e.srv.Fault(invapitest.Fault{Module: "eq_callback", Action: "check", Kind: invapitest.FaultDropAfter, Times: 2})
		op, err := e.c.Eq.Reboot(e.ctx, faultServer)
		require.NoError(t, err)
		res, err := op.Wait(e.ctx)
		require.NoError(t, err)
		assert.Equal(t, faultServer, res.Context.ID)
		assert.Equal(t, 1, e.srv.Count("eq", "reboot"))
	})
}

func TestFaultsLostCallbackOK(t *testing.T) {
	runFault(t, "lost OK", nil, nil, func(t *testing.T, e *faultEnv) {
		// Not ready, Not ready, OK: all three answers are lost.
		e.srv.Fault(invapitest.Fault{Module: "eq_callback", Action: "check", Kind: invapitest.FaultDropAfter, Times: 3})
		op, err := e.c.Eq.Reboot(e.ctx, faultServer)
		require.NoError(t, err)
		_, err = op.Wait(e.ctx)
		e.typed(err)
		assert.ErrorIs(t, err, invapi.ErrCallbackKeyGone, "the operation may well have succeeded")
		assert.NotErrorIs(t, err, invapi.ErrOperationFailed)
	})
}

func TestFaultsSlowAnswers(t *testing.T) {
	runFault(t, "read past the deadline, then on time", nil, nil, func(t *testing.T, e *faultEnv) {
		e.srv.Fault(invapitest.Fault{Module: "tags", Action: "list", Kind: invapitest.FaultSlow, Delay: 5 * time.Second})
		ctx, cancel := context.WithTimeout(e.ctx, 100*time.Millisecond)
		defer cancel()
		_, err := e.c.Tags.List(ctx, faultServer)
		e.typed(err)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		e.readOK()
	})
	runFault(t, "state change past the deadline", nil, nil, func(t *testing.T, e *faultEnv) {
		e.srv.Fault(invapitest.Fault{Module: "tags", Action: "add", Kind: invapitest.FaultSlow, Delay: 5 * time.Second})
		// Long enough for the request to reach the server on a loaded
		// machine: the test counts it there.
		ctx, cancel := context.WithTimeout(e.ctx, 2*time.Second)
		defer cancel()
		_, err := e.addTag(ctx, "web")
		e.typed(err)
		assert.ErrorIs(t, err, invapi.ErrOutcomeUnknown)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		// Count, not the request log: a slow request is logged when its
		// answer ends, which may be after the client gave up.
		assert.Equal(t, 1, e.srv.Count("tags", "add"))
		assert.Equal(t, "web", e.tagValue(), "handled before the slow answer")
		e.readOK()
		e.sent("tags", "add", 1)
		e.readOK()
	})
	runFault(t, "wait past the deadline on slow checks", nil, nil, func(t *testing.T, e *faultEnv) {
		// A check in flight runs on the poller's context, not the waiter's:
		// it ends with the slow answer (or Close), so keep the delay short.
		e.srv.Fault(invapitest.Fault{Module: "eq_callback", Action: "check", Kind: invapitest.FaultSlow, Delay: 300 * time.Millisecond, Times: -1})
		op, err := e.c.Eq.Reboot(e.ctx, faultServer)
		require.NoError(t, err)
		ctx, cancel := context.WithTimeout(e.ctx, 50*time.Millisecond)
		defer cancel()
		_, err = op.Wait(ctx)
		e.typed(err)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		e.srv.ClearFaults()
		_, err = op.Wait(e.ctx) // the operation is still there to wait on
		require.NoError(t, err)
		assert.Equal(t, 1, e.srv.Count("eq", "reboot"))
	})
}

func TestFaultsUnreadableBodies(t *testing.T) {
	runFault(t, "HTML page with 200 on a read is asked again", nil, nil, func(t *testing.T, e *faultEnv) {
		e.srv.Fault(invapitest.Fault{Module: "auth", Action: "info", Kind: invapitest.FaultHTML})
		e.readOK()
		sent := 0
		for _, r := range e.srv.Requests() {
			if r.Module == "auth" && r.Action == "info" {
				sent++
			}
		}
		assert.Equal(t, 2, sent, "the HTML answer, then the retry")
	})
	runFault(t, "HTML pages with 200 on a read until retries run out", nil, nil, func(t *testing.T, e *faultEnv) {
		e.srv.Fault(invapitest.Fault{Module: "auth", Action: "info", Kind: invapitest.FaultHTML, Times: -1})
		_, err := e.c.Auth.Info(e.ctx)
		e.typed(err)
		assert.ErrorIs(t, err, invapi.ErrBadResponse)
		var respErr *invapi.ResponseError
		require.ErrorAs(t, err, &respErr)
		assert.Contains(t, respErr.Excerpt, "<html>")
		e.srv.ClearFaults()
		e.readOK()
	})
	runFault(t, "HTML 5xx pages on a read are retried", nil, nil, func(t *testing.T, e *faultEnv) {
		e.srv.Fault(invapitest.Fault{Module: "auth", Action: "info", Kind: invapitest.FaultHTML, Status: 500, Times: 2})
		e.readOK()
	})
	runFault(t, "HTML page on a state change", nil, nil, func(t *testing.T, e *faultEnv) {
		e.srv.Fault(invapitest.Fault{Module: "tags", Action: "add", Kind: invapitest.FaultHTML})
		_, err := e.addTag(e.ctx, "web")
		e.typed(err)
		assert.ErrorIs(t, err, invapi.ErrOutcomeUnknown)
		assert.ErrorIs(t, err, invapi.ErrBadResponse)
		e.sent("tags", "add", 1)
		e.readOK()
	})
	runFault(t, "PHP warnings before the JSON", nil, nil, func(t *testing.T, e *faultEnv) {
		e.srv.Fault(invapitest.Fault{Kind: invapitest.FaultPHPWarning, Times: -1})
		res, err := e.addTag(e.ctx, "web")
		require.NoError(t, err)
		assert.Equal(t, "role", res.Name)
		assert.Equal(t, 1, e.srv.Count("tags", "add"))
		tags, err := e.c.Tags.List(e.ctx, faultServer)
		require.NoError(t, err)
		assert.Contains(t, tags, invapi.Tag{ID: tags[len(tags)-1].ID, Component: tags[len(tags)-1].Component,
			ComponentID: tags[len(tags)-1].ComponentID, Name: "role", Value: "web"})
		op, err := e.c.Eq.Reboot(e.ctx, faultServer)
		require.NoError(t, err)
		_, err = op.Wait(e.ctx)
		require.NoError(t, err)
		assert.Equal(t, 1, e.srv.Count("eq", "reboot"))
	})
	runFault(t, "truncated JSON on a state change", nil, nil, func(t *testing.T, e *faultEnv) {
		e.srv.Fault(invapitest.Fault{Module: "tags", Action: "add", Kind: invapitest.FaultTruncated})
		_, err := e.addTag(e.ctx, "web")
		e.typed(err)
		assert.ErrorIs(t, err, invapi.ErrOutcomeUnknown)
		assert.ErrorIs(t, err, invapi.ErrBadResponse)
		assert.Equal(t, 1, e.srv.Count("tags", "add"))
		assert.Equal(t, "web", e.tagValue())
		e.readOK()
	})
	runFault(t, "truncated callback checks are retried", nil, nil, func(t *testing.T, e *faultEnv) {
		e.srv.Fault(invapitest.Fault{Module: "eq_callback", Action: "check", Kind: invapitest.FaultTruncated, Times: 2})
		op, err := e.c.Eq.Reboot(e.ctx, faultServer)
		require.NoError(t, err)
		_, err = op.Wait(e.ctx)
		require.NoError(t, err)
	})
	runFault(t, "truncated JSON on every check ends the wait with a typed error", nil, nil, func(t *testing.T, e *faultEnv) {
		e.srv.Fault(invapitest.Fault{Module: "eq_callback", Action: "check", Kind: invapitest.FaultTruncated, Times: -1})
		op, err := e.c.Eq.Reboot(e.ctx, faultServer)
		require.NoError(t, err)
		_, err = op.Wait(e.ctx)
		e.typed(err)
		assert.ErrorIs(t, err, invapi.ErrBadResponse)
		assert.Equal(t, 1, e.srv.Count("eq", "reboot"))
	})
	runFault(t, "wrong types everywhere", nil, nil, func(t *testing.T, e *faultEnv) {
		e.srv.Fault(invapitest.Fault{Kind: invapitest.FaultWrongTypes, Times: -1})
		res, err := e.addTag(e.ctx, "web")
		require.NoError(t, err)
		assert.Equal(t, "web", res.Value)
		tags, err := e.c.Tags.List(e.ctx, faultServer)
		require.NoError(t, err)
		require.NotEmpty(t, tags)
		op, err := e.c.Eq.Reboot(e.ctx, faultServer)
		require.NoError(t, err)
		out, err := op.Wait(e.ctx)
		require.NoError(t, err)
		assert.Equal(t, faultServer, out.Context.ID)
		info, err := e.c.Auth.Info(e.ctx)
		require.NoError(t, err)
		assert.Contains(t, info.Servers, faultServer)
	})
}

func TestFaultsBurnedCallbackKeys(t *testing.T) {
	runFault(t, "key read after its OK", nil, nil, func(t *testing.T, e *faultEnv) {
		op, err := e.c.Eq.Reboot(e.ctx, faultServer)
		require.NoError(t, err)
		_, err = op.Wait(e.ctx)
		require.NoError(t, err)
		// Another program (a second client) resumes the saved key.
		other, err := invapi.NewClient(invapi.WithBaseURL(e.srv.URL), invapi.WithHTTPClient(&http.Client{Transport: e.sniff}),
			invapi.WithPollInterval(time.Millisecond, 5*time.Millisecond))
		require.NoError(t, err)
		defer other.Close()
		again, err := other.ResumeOperation(op.Key(), op.CallbackModule())
		require.NoError(t, err)
		_, err = again.Wait(e.ctx)
		e.typed(err)
		assert.ErrorIs(t, err, invapi.ErrCallbackKeyGone)
		_, err = op.Wait(e.ctx) // the first operation keeps its OK
		require.NoError(t, err)
	})
	runFault(t, "key burned by another reader while pending", []invapitest.Option{invapitest.WithNotReadyChecks(50)}, nil, func(t *testing.T, e *faultEnv) {
		op, err := e.c.Eq.Reboot(e.ctx, faultServer)
		require.NoError(t, err)
		var final error
		for p, err := range op.Watch(e.ctx) {
			if p.Status == invapi.StatusPending && final == nil {
				// Someone else read the OK: the key now reads "not found".
				e.srv.Fault(invapitest.Fault{Module: "eq_callback", Action: "check", Kind: invapitest.FaultAPIError,
					Message: "AsyncKey " + op.Key() + " not found", Times: -1})
				final = errors.New("injected")
			}
			if err != nil {
				final = err
			}
		}
		e.typed(final)
		assert.ErrorIs(t, final, invapi.ErrCallbackKeyGone)
		var opErr *invapi.OperationError
		require.ErrorAs(t, final, &opErr)
		assert.True(t, opErr.Gone)
		assert.Equal(t, 1, e.srv.Count("eq", "reboot"))
		e.srv.ClearFaults()
		e.readOK()
	})
}

func TestFaultsTokenExpiry(t *testing.T) {
	runFault(t, "sessions expire between calls", nil, nil, func(t *testing.T, e *faultEnv) {
		e.readOK()
		e.srv.ExpireSessions()
		_, err := e.addTag(e.ctx, "web")
		require.NoError(t, err)
		assert.Equal(t, "web", e.tagValue())
		assert.Equal(t, 2, e.srv.Count("auth", "login"))
		// The first try was refused for its token, so it was resent once.
		e.sent("tags", "add", 2)
		e.readOK()
		assert.Equal(t, 2, e.srv.Count("auth", "login"))
	})
	runFault(t, "a token that keeps expiring is not a login loop", nil, nil, func(t *testing.T, e *faultEnv) {
		e.readOK()
		e.srv.Fault(invapitest.Fault{Module: "auth", Action: "info", Kind: invapitest.FaultExpireToken, Times: -1})
		_, err := e.c.Auth.Info(e.ctx)
		e.typed(err)
		assert.ErrorIs(t, err, invapi.ErrUnauthorized)
		assert.Equal(t, 2, e.srv.Count("auth", "login"), "one re-login, no loop")
		e.srv.ClearFaults()
		e.readOK()
	})
	runFault(t, "token expired during a wait", []invapitest.Option{invapitest.WithNotReadyChecks(5)}, nil, func(t *testing.T, e *faultEnv) {
		op, err := e.c.Eq.Reboot(e.ctx, faultServer)
		require.NoError(t, err)
		e.srv.ExpireSessions()
		_, err = op.Wait(e.ctx)
		require.NoError(t, err, "callback checks need no session")
		e.readOK()
		assert.Equal(t, 1, e.srv.Count("eq", "reboot"))
	})
}
