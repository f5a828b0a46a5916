package invapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var reinstallStages = []string{
	"1st stage: OS installation was started",
	"2nd stage: base OS was installed, proceed with post-install tasks",
	"3rd stage: Post-install tasks are completed, running final tasks",
	"4th stage: Install is completed, restarting the server",
	"5th stage: The server is online",
}

// scriptCallback makes eq_callback check answer Not ready twice, then each
// reinstall stage, then OK once, then "not found" (the key burns).
func scriptCallback(m *mockAPI, key string) {
	bodies := []string{
		`{"result":"Not ready","key":"` + key + `"}`,
		`{"result":"Not ready","key":"` + key + `"}`,
	}
	for _, s := range reinstallStages {
		bodies = append(bodies, `{"result":"Stage","scope":"`+s+`","context":{"action":"reinstall","id":"12345","location":"NL"},"key":"`+key+`"}`)
	}
	bodies = append(bodies,
		`{"result":"OK","scope":"Reinstall completed","context":{"action":"reinstall","id":"12345","location":"NL"},"debug":"","key":"`+key+`"}`,
		`{"code":-1,"message":"AsyncKey `+key+` not found"}`)
	m.onSeq("eq_callback", "check", bodies...)
}

func TestWaitReturnsOK(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "reboot", fixture(t, "quirks/async_accepted.json"))
	m.onSeq("eq_callback", "check", fixture(t, "quirks/callback_not_ready.json"), fixture(t, "quirks/callback_ok.json"),
		fixture(t, "quirks/callback_key_gone.json"))
	op, err := c.Eq.Reboot(context.Background(), 12345)
	require.NoError(t, err)
	assert.Equal(t, "f685eaa0f06e47faa2e6bb5002828b00", op.Key())
	assert.Equal(t, "eq_callback", op.CallbackModule())
	assert.Equal(t, 12345, op.ServerID())

	res, err := op.Wait(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "Post is on", res.Scope)
	assert.Equal(t, "Chassis Power Control: Up/On", res.Debug)
	assert.Equal(t, OperationContext{Action: "on", ID: 12345, Location: "NL",
		Fields: map[string]string{"action": "on", "id": "12345", "location": "NL"}}, res.Context)

	// The OK was read once; a second Wait gets it from the Operation, without
	// asking the API (where the key is gone now).
	res2, err := op.Wait(context.Background())
	require.NoError(t, err)
	assert.Same(t, res, res2)
	assert.Equal(t, 2, m.count("eq_callback", "check"))
	assert.Equal(t, url.Values{"action": {"check"}, "key": {"f685eaa0f06e47faa2e6bb5002828b00"}}, m.lastForm("eq_callback", "check"))
	assert.Empty(t, m.calls("eq_callback", "check")[0].Form.Get("token"), "callback checks carry only the key")
}

func TestCallbackShapes(t *testing.T) {
	t.Parallel()
	for file, want := range map[string]OperationResult{
		"callback_ok_scope_object.json":   {Scope: `{"user":"ipmi_tmp","url":"https://10.0.0.5"}`, Context: OperationContext{Action: "add_ipmi_user", ID: 12345, Location: "US"}},
		"callback_ok_context_string.json": {Scope: "done", Context: OperationContext{Action: "reboot", ID: 12345, Location: "NL"}},
	} {
		t.Run(file, func(t *testing.T) {
			c, m := newTestClient(t)
			m.on("eq_callback", "check", fixture(t, "quirks/"+file))
			op, err := c.ResumeOperation("7bc29eb23fb1b879b21fce509597f07c", "")
			require.NoError(t, err)
			res, err := op.Wait(context.Background())
			require.NoError(t, err)
			assert.Equal(t, want.Scope, res.Scope)
			assert.Equal(t, want.Context.Action, res.Context.Action)
			assert.Equal(t, want.Context.ID, res.Context.ID)
			assert.Equal(t, want.Context.Location, res.Context.Location)
		})
	}
}

func TestProgressDeliversEveryStageInOrder(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	scriptCallback(m, "k1")
	op, err := c.ResumeOperation("k1", "eq_callback")
	require.NoError(t, err)

	var got []Progress
	for p := range op.Progress(context.Background()) {
		got = append(got, p)
		time.Sleep(2 * time.Millisecond) // a slow reader must not lose events
	}
	require.Len(t, got, 1+len(reinstallStages)+1)
	assert.Equal(t, StatusPending, got[0].Status)
	for i, s := range reinstallStages {
		assert.Equal(t, StatusStage, got[i+1].Status)
		assert.Equal(t, i+1, got[i+1].Stage)
		assert.Equal(t, s, got[i+1].Message)
		assert.Equal(t, 12345, got[i+1].Context.ID)
	}
	last := got[len(got)-1]
	assert.Equal(t, StatusDone, last.Status)
	assert.Equal(t, "Reinstall completed", last.Message)
	res, err := op.Wait(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "Reinstall completed", res.Scope)
}

func TestWatchIteratorAndLateReader(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	scriptCallback(m, "k2")
	op, err := c.ResumeOperation("k2", "")
	require.NoError(t, err)
	_, err = op.Wait(context.Background())
	require.NoError(t, err)

	// A reader that starts after the end still sees every event.
	var stages []string
	var final Progress
	for p, err := range op.Watch(context.Background()) {
		require.NoError(t, err)
		if p.Status == StatusStage {
			stages = append(stages, p.Message)
		}
		final = p
	}
	assert.Equal(t, reinstallStages, stages)
	assert.Equal(t, StatusDone, final.Status)
}

func TestBurnedKeyIsItsOwnError(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.onSeq("eq_callback", "check", fixture(t, "quirks/callback_not_ready.json"), fixture(t, "quirks/callback_key_gone.json"))
	op, err := c.ResumeOperation("f685eaa0f06e47faa2e6bb5002828b00", "")
	require.NoError(t, err)
	_, err = op.Wait(context.Background())
	assert.ErrorIs(t, err, ErrCallbackKeyGone)
	assert.NotErrorIs(t, err, ErrOperationFailed)
	var opErr *OperationError
	require.ErrorAs(t, err, &opErr)
	assert.True(t, opErr.Gone)
	assert.Contains(t, err.Error(), "check the server's state")
}

func TestFreshKeyNotFoundIsGoneNotFailed(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "reboot", fixture(t, "quirks/async_accepted.json"))
	m.on("eq_callback", "check", fixture(t, "quirks/callback_key_gone.json"))
	op, err := c.Eq.Reboot(context.Background(), 12345)
	require.NoError(t, err)
	_, err = op.Wait(context.Background())
	assert.ErrorIs(t, err, ErrCallbackKeyGone, "the OK may have been lost in transit: unknown, not failed")
	assert.NotErrorIs(t, err, ErrOperationFailed)
}

func TestOperationFailure(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq_callback", "check", fixture(t, "quirks/error_result_string.json"))
	op, err := c.ResumeOperation("k3", "")
	require.NoError(t, err)
	var final Progress
	var finalErr error
	for p, err := range op.Watch(context.Background()) {
		final, finalErr = p, err
	}
	assert.Equal(t, StatusFailed, final.Status)
	assert.ErrorIs(t, finalErr, ErrOperationFailed)
	_, err = op.Wait(context.Background())
	var opErr *OperationError
	require.ErrorAs(t, err, &opErr)
	assert.Equal(t, "IPMI is unreachable", opErr.Message)
}

func TestTransientCheckErrorsAreRetried(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t, WithRetry(0, time.Millisecond)) // no HTTP-level retry: the poller retries
	var n atomic.Int32
	m.onFunc("eq_callback", "check", func(url.Values) (int, string) {
		switch n.Add(1) {
		case 1, 2:
			return http.StatusBadGateway, "<html>502</html>"
		case 3:
			return 200, "<html>maintenance</html>"
		}
		return 200, fixture(t, "quirks/callback_ok.json")
	})
	op, err := c.ResumeOperation("k4", "")
	require.NoError(t, err)
	res, err := op.Wait(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "Post is on", res.Scope)
	assert.Equal(t, 4, m.count("eq_callback", "check"))
}

func TestPersistentCheckErrorsEndTheWait(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t, WithRetry(0, time.Millisecond))
	m.onFunc("eq_callback", "check", func(url.Values) (int, string) { return http.StatusBadGateway, "bad gateway" })
	op, err := c.ResumeOperation("k5", "")
	require.NoError(t, err)
	_, err = op.Wait(context.Background())
	assert.ErrorIs(t, err, ErrServer)
	assert.Equal(t, defaultPollOptions().maxFailures, m.count("eq_callback", "check"))
}

func TestNATOperationsUseNATCallback(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("nat_callback", "check", fixture(t, "quirks/callback_ok.json"))
	op, err := c.ResumeOperation("k6", "nat_callback")
	require.NoError(t, err)
	_, err = op.Wait(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 1, m.count("nat_callback", "check"))
	assert.Zero(t, m.count("eq_callback", "check"))

	_, err = c.ResumeOperation("k6", "bogus")
	assert.ErrorIs(t, err, ErrInvalidInput)
	_, err = c.ResumeOperation(" ", "")
	assert.ErrorIs(t, err, ErrInvalidInput)
}

func TestAsyncActionAnsweredSynchronously(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "reboot", `{"result":"OK","action":"reboot","id":"12345"}`)
	op, err := c.Eq.Reboot(context.Background(), 12345)
	require.NoError(t, err)
	select {
	case <-op.Done():
	default:
		t.Fatal("an answer without a callback key is already done")
	}
	res, err := op.Wait(context.Background())
	require.NoError(t, err)
	assert.Contains(t, string(res.Raw()), `"id":"12345"`)
	assert.Zero(t, m.count("eq_callback", "check"))
}

func TestWaitCancellationLeaksNoGoroutine(t *testing.T) {
	c, m := newTestClient(t)
	m.on("eq_callback", "check", fixture(t, "quirks/callback_not_ready.json"))
	before := runtime.NumGoroutine()

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	var wg sync.WaitGroup
	for i := range 20 {
		op, err := c.ResumeOperation(fmt.Sprintf("key-%d", i), "")
		require.NoError(t, err)
		wg.Add(2)
		go func() { defer wg.Done(); _, err := op.Wait(ctx); assert.ErrorIs(t, err, context.DeadlineExceeded) }()
		go func() {
			defer wg.Done()
			for range op.Progress(ctx) {
			}
		}()
	}
	wg.Wait()
	// Polled by hand: assert.Eventually runs its condition on a goroutine of its own.
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		c.http.HTTPClient.CloseIdleConnections() // keep-alive connections are not ours to count
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		t.Fatalf("goroutines: %d before, %d after the waits ended\n%s", before, n, buf[:runtime.Stack(buf, true)])
	}
}

func TestManyWaitsShareOnePoller(t *testing.T) {
	c, m := newTestClient(t, WithPollConcurrency(4))
	var inflight, peak atomic.Int32
	m.onFunc("eq_callback", "check", func(f url.Values) (int, string) {
		n := inflight.Add(1)
		defer inflight.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(time.Millisecond)
		return 200, `{"result":"OK","scope":"done","key":"` + f.Get("key") + `"}`
	})
	before := runtime.NumGoroutine()
	const waits = 300
	var wg sync.WaitGroup
	var maxGoroutines atomic.Int64
	for i := range waits {
		op, err := c.ResumeOperation(fmt.Sprintf("many-%d", i), "")
		require.NoError(t, err)
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := op.Wait(context.Background())
			assert.NoError(t, err)
			if g := int64(runtime.NumGoroutine()); g > maxGoroutines.Load() {
				maxGoroutines.Store(g)
			}
		}()
	}
	wg.Wait()
	assert.LessOrEqual(t, peak.Load(), int32(4), "checks in flight are bounded")
	assert.GreaterOrEqual(t, m.count("eq_callback", "check"), waits, "one check per wait, plus any retried under load")
	// waiters + a constant: the poller loop, 4 workers, and per connection
	// (at most 4 in use) the transport's and the test server's goroutines.
	assert.LessOrEqual(t, maxGoroutines.Load(), int64(before+waits+40), "goroutines must not grow with the number of waits")
}

func TestResumeSharesPendingOperation(t *testing.T) {
	t.Parallel()
	c, _ := newTestClient(t)
	a, err := c.ResumeOperation("same", "")
	require.NoError(t, err)
	b, err := c.ResumeOperation("same", "")
	require.NoError(t, err)
	assert.Same(t, a, b)
}

func TestCloseEndsWaits(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq_callback", "check", fixture(t, "quirks/callback_not_ready.json"))
	op, err := c.ResumeOperation("closing", "")
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() { _, err := op.Wait(context.Background()); done <- err }()
	require.Eventually(t, func() bool { return m.count("eq_callback", "check") > 0 }, 10*time.Second, time.Millisecond)
	require.NoError(t, c.Close())
	select {
	case err := <-done:
		assert.ErrorIs(t, err, ErrClosed)
	case <-time.After(2 * time.Second):
		t.Fatal("Wait did not return after Close")
	}
}

func TestRateLimitedChecksWaitAndDoNotFail(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t, WithRetry(0, time.Millisecond)) // one request per check
	var n atomic.Int32
	m.onRaw("eq_callback", "check", func(w http.ResponseWriter, _ url.Values) {
		if n.Add(1) <= 8 { // more than maxFailures
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		_, _ = w.Write([]byte(fixture(t, "quirks/callback_ok.json")))
	})
	op, err := c.ResumeOperation("k-429", "")
	require.NoError(t, err)
	_, err = op.Wait(context.Background())
	require.NoError(t, err, "429s are not failures of the operation")
	assert.Equal(t, 9, m.count("eq_callback", "check"))
}
