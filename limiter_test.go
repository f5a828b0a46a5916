package invapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// admit takes one place in l, failing the test if it cannot within a second.
func admit(t *testing.T, l *limiter, q int) grant {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	g, err := l.acquire(ctx, q)
	require.NoError(t, err)
	return g
}

func TestLimiterStartsPermissiveThenCutsAndRecovers(t *testing.T) {
	t.Parallel()
	l := newLimiter(limitConfig{adaptive: true}, time.Minute)
	assert.True(t, l.free.Load(), "no rate before the API pushes back")
	// 40 accepted answers within the last second.
	var g grant
	for range 40 {
		g = admit(t, l, queueRead)
		l.done(g, http.StatusOK, 0)
	}
	assert.Equal(t, 0.0, l.stats().Rate)

	// A 429: the rate becomes what the API accepted over the last second.
	g = admit(t, l, queueRead)
	stale := admit(t, l, queueRead) // admitted in the same generation
	l.done(g, http.StatusTooManyRequests, 0)
	st := l.stats()
	assert.Equal(t, 40.0, st.Rate)
	assert.Equal(t, int64(1), st.RateLimited)
	assert.False(t, l.free.Load())

	// A 429 to a request admitted before the cut does not cut again.
	l.done(stale, http.StatusTooManyRequests, 0)
	assert.Equal(t, 40.0, l.stats().Rate)
	assert.Equal(t, int64(2), l.stats().RateLimited)

	// Accepted answers after the first cut grow the rate by slowStartStep each.
	for range 10 {
		g = admit(t, l, queueRead)
		l.done(g, http.StatusOK, 0)
	}
	assert.InDelta(t, 40+10*slowStartStep, l.stats().Rate, 1e-9)

	// A later 429 cuts multiplicatively, to beta times the lower of the
	// rate and the accepted answers of the last second (50).
	g = admit(t, l, queueRead)
	l.done(g, http.StatusTooManyRequests, 0)
	assert.InDelta(t, 50*beta, l.stats().Rate, 1e-9)

	// Then additive increase: recoverPerSecond of the cut rate per second.
	cut := l.stats().Rate
	for range 20 {
		g = admit(t, l, queueRead)
		l.done(g, http.StatusOK, 0)
	}
	got := l.stats().Rate
	assert.Greater(t, got, cut)
	assert.Less(t, got, cut+20*recoverPerSecond*cut/cut+0.01, "additive: about recoverPerSecond·cut per second, not per answer")

	// Five minutes without a 429: permissive again.
	l.mu.Lock()
	l.last429 = time.Now().Add(-restoreAfter - time.Second)
	l.mu.Unlock()
	g = admit(t, l, queueRead)
	l.done(g, http.StatusOK, 0)
	assert.Equal(t, 0.0, l.stats().Rate)
	assert.True(t, l.free.Load())
}

func TestLimiterWindowBoundsInFlightBeforeAny429(t *testing.T) {
	t.Parallel()
	l := newLimiter(limitConfig{adaptive: true}, time.Minute)
	var gs []grant
	for range initialWindow {
		gs = append(gs, admit(t, l, queueRead))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err := l.acquire(ctx, queueRead)
	require.ErrorIs(t, err, context.DeadlineExceeded, "the window is full")
	// An answer frees a place; answers while the window is in use widen
	// it, by one every windowGrowth.
	for i := range windowGrowth {
		l.done(gs[i], http.StatusOK, 0)
		gs[i] = admit(t, l, queueRead)
	}
	assert.Equal(t, int64(initialWindow+1), l.window.Load())
	gs = append(gs, admit(t, l, queueRead))
	assert.Equal(t, int64(initialWindow+1), l.inflight.Load())

	// A waiter queued behind a full window is let in by the next answer.
	got := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, err := l.acquire(ctx, queueChange)
		got <- err
	}()
	require.Eventually(t, func() bool { return l.stats().Queued == 1 }, time.Second, time.Millisecond)
	l.done(gs[0], http.StatusOK, 0)
	require.NoError(t, <-got)
}

func TestLimiterRetryAfterPausesEveryone(t *testing.T) {
	t.Parallel()
	for _, adaptive := range []bool{true, false} {
		cfg := limitConfig{adaptive: adaptive}
		if !adaptive {
			cfg.rate, cfg.burst = 1000, 10
		}
		l := newLimiter(cfg, 150*time.Millisecond)
		for range 100 { // accepted answers: the cut sets 100/s
			l.done(admit(t, l, queueRead), http.StatusOK, 0)
		}
		g := admit(t, l, queueRead)
		waits0 := l.stats().Waits
		start := time.Now()
		l.done(g, http.StatusTooManyRequests, time.Hour) // capped at 150 ms
		var wg sync.WaitGroup
		var mu sync.Mutex
		var waits []time.Duration
		var reasons []string
		for i := range 6 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				g := admit(t, l, i%2)
				mu.Lock()
				waits = append(waits, time.Since(start))
				reasons = append(reasons, g.reason)
				mu.Unlock()
				l.done(g, http.StatusOK, 0)
			}()
		}
		wg.Wait()
		for _, w := range waits {
			assert.GreaterOrEqual(t, w, 150*time.Millisecond, "adaptive=%v: every request waits out Retry-After", adaptive)
		}
		assert.Contains(t, reasons, waitRetryAfter)
		st := l.stats()
		assert.Equal(t, int64(6), st.Waits-waits0)
		assert.GreaterOrEqual(t, st.WaitTime, 6*100*time.Millisecond)
		if !adaptive {
			assert.Equal(t, 1000.0, st.Rate, "a fixed rate is not cut")
		}
	}
}

func TestLimiterServesReadsAndChangesInTurn(t *testing.T) {
	t.Parallel()
	l := newLimiter(limitConfig{rate: 200, burst: 1}, time.Minute)
	admit(t, l, queueChange) // the one token

	var mu sync.Mutex
	var order []string
	var wg sync.WaitGroup
	enqueue := func(name string, q int) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			g := admit(t, l, q)
			mu.Lock()
			order = append(order, name)
			mu.Unlock()
			l.done(g, http.StatusOK, 0)
		}()
	}
	// A flood of 40 changes queued first...
	for i := range 40 {
		enqueue(fmt.Sprint("change", i), queueChange)
	}
	require.Eventually(t, func() bool { return l.stats().Queued >= 30 }, time.Second, time.Millisecond)
	// ...then one read: it is served within two grants, not after the flood.
	before := func() int { mu.Lock(); defer mu.Unlock(); return len(order) }()
	enqueue("read", queueRead)
	wg.Wait()
	pos := -1
	for i, name := range order {
		if name == "read" {
			pos = i
		}
	}
	require.GreaterOrEqual(t, pos, 0)
	assert.LessOrEqual(t, pos-before, 2, "the read waited behind the changes: %v", order)
	assert.Len(t, order, 41)
}

func TestLimiterCancelWhileQueuedSendsNothing(t *testing.T) {
	t.Parallel()
	l := newLimiter(limitConfig{rate: 0.01, burst: 1}, time.Minute)
	admit(t, l, queueRead)
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := l.acquire(ctx, queueChange)
		errc <- err
	}()
	require.Eventually(t, func() bool { return l.stats().Queued == 1 }, time.Second, time.Millisecond)
	start := time.Now()
	cancel()
	select {
	case err := <-errc:
		assert.ErrorIs(t, err, context.Canceled)
		assert.Less(t, time.Since(start), 200*time.Millisecond)
	case <-time.After(2 * time.Second):
		t.Fatal("a canceled wait did not return")
	}
	assert.Equal(t, 0, l.stats().Queued)
	assert.Equal(t, 1, l.stats().InFlight)
}

func TestLimiterCloseWakesWaiters(t *testing.T) {
	t.Parallel()
	l := newLimiter(limitConfig{rate: 0.01, burst: 1}, time.Minute)
	admit(t, l, queueRead)
	errc := make(chan error, 1)
	go func() {
		_, err := l.acquire(context.Background(), queueRead)
		errc <- err
	}()
	require.Eventually(t, func() bool { return l.stats().Queued == 1 }, time.Second, time.Millisecond)
	l.close()
	assert.ErrorIs(t, <-errc, ErrClosed)
	_, err := l.acquire(context.Background(), queueRead)
	assert.ErrorIs(t, err, ErrClosed)
}

// A call queued in the limiter whose context ends returns ctx.Err() and is
// never sent: for a state change, not an unknown outcome.
func TestClientCanceledWhileQueuedSendsNothing(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t, WithToken(testToken), WithRateLimit(0.05, 1))
	m.on("eq", "show", `{"result":"OK","server_data":{"id":"12345"}}`)
	m.on("eq", "reboot", `{"result":"OK","callback":"k-1"}`)
	_, err := c.Eq.Show(context.Background(), 12345) // takes the only token
	require.NoError(t, err)

	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = c.Eq.Reboot(ctx, 12345)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown, "never sent, so the outcome is known")
	assert.Less(t, time.Since(start), time.Second)
	assert.Equal(t, 0, m.count("eq", "reboot"))

	ctx2, cancel2 := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel2()
	_, err = c.Eq.Show(ctx2, 12345)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Equal(t, 1, m.count("eq", "show"))
}

// Every kind of request (the login, a read, a state change, a callback
// check) passes the one limiter: while a Retry-After pause holds, none of
// them reaches the server, and each reports its wait.
func TestEveryRequestKindPassesTheLimiter(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var waits []RateLimitWaitInfo
	obs := Observer{OnRateLimitWait: func(w RateLimitWaitInfo) {
		mu.Lock()
		waits = append(waits, w)
		mu.Unlock()
	}}
	c, m := newTestClient(t, WithObserver(obs))
	m.on("eq", "show", `{"result":"OK","server_data":{"id":"12345"}}`)
	m.on("eq", "reboot", `{"result":"OK","callback":"k-1"}`)
	m.on("eq_callback", "check", `{"result":"OK","scope":"done","key":"k-1"}`)

	const pause = 200 * time.Millisecond
	pauseStart := time.Now()
	c.limiter.rateLimited(c.limiter.epoch.Load(), pause)

	// The login (first call), then a read and a change and a check.
	_, err := c.Eq.Show(context.Background(), 12345)
	require.NoError(t, err)
	op, err := c.Eq.Reboot(context.Background(), 12345)
	require.NoError(t, err)
	c.limiter.rateLimited(c.limiter.epoch.Load(), pause)
	checkPause := time.Now()
	_, err = op.Wait(context.Background())
	require.NoError(t, err)

	// Nothing arrived during the first pause.
	assert.GreaterOrEqual(t, time.Since(pauseStart), pause)
	mu.Lock()
	seen := map[string]string{}
	for _, w := range waits {
		seen[w.Module+"/"+w.Action] = w.Reason
		assert.Positive(t, w.Wait)
	}
	mu.Unlock()
	assert.Equal(t, waitRetryAfter, seen["auth/login"], "the login waited: %v", waits)
	assert.Contains(t, seen, "eq/show")
	assert.Equal(t, waitRetryAfter, seen["eq_callback/check"], "the callback check waited: %v", waits)
	assert.GreaterOrEqual(t, time.Since(checkPause), pause)

	// The change, alone: a pause holds it too.
	c.limiter.rateLimited(c.limiter.epoch.Load(), pause)
	start := time.Now()
	_, err = c.Eq.Reboot(context.Background(), 12345)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(start), pause-10*time.Millisecond)
	found := false
	mu.Lock()
	defer mu.Unlock()
	for _, w := range waits {
		found = found || (w.Module == "eq" && w.Action == "reboot" && w.Class == "change")
	}
	assert.True(t, found, "the change waited: %v", waits)
	assert.Equal(t, 1, m.count("auth", "login"))
}

// A 429 to a state change pauses the client and is never resent: the API
// answered, so the SDK cannot prove it did not act.
func TestRateLimitedChangeIsNotResent(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var retries []RetryInfo
	var dones []RequestDoneInfo
	c, m := newTestClient(t, WithToken(testToken), WithObserver(Observer{
		OnRetry:       func(r RetryInfo) { mu.Lock(); retries = append(retries, r); mu.Unlock() },
		OnRequestDone: func(d RequestDoneInfo) { mu.Lock(); dones = append(dones, d); mu.Unlock() },
	}))
	m.onRaw("eq", "reboot", func(w http.ResponseWriter, _ url.Values) {
		w.Header().Set("Retry-After", "0")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	_, err := c.Eq.Reboot(context.Background(), 12345)
	require.ErrorIs(t, err, ErrRateLimited)
	assert.Equal(t, 1, m.count("eq", "reboot"))
	assert.Equal(t, int64(1), c.LimiterStats().RateLimited)
	mu.Lock()
	defer mu.Unlock()
	assert.Empty(t, retries)
	require.Len(t, dones, 1)
	assert.Equal(t, RequestDoneInfo{Module: "eq", Action: "reboot", Class: "change", Attempt: 1,
		HTTPStatus: 429, Duration: dones[0].Duration, Err: CategoryRateLimited}, dones[0])
}

func TestRateLimitOptions(t *testing.T) {
	t.Parallel()
	for _, bad := range []Option{WithRateLimit(0, 1), WithRateLimit(-1, 1), WithRateLimit(10, 0)} {
		_, err := NewClient(bad)
		var verr *ValidationError
		assert.True(t, errors.As(err, &verr), "%v", err)
	}
	c, err := NewClient(WithRateLimit(5, 2))
	require.NoError(t, err)
	st := c.LimiterStats()
	assert.False(t, st.Adaptive)
	assert.Equal(t, 5.0, st.Rate)
	c, err = NewClient()
	require.NoError(t, err)
	assert.True(t, c.LimiterStats().Adaptive)
	assert.Equal(t, 0.0, c.LimiterStats().Rate)
	c, err = NewClient(WithAdaptiveRateLimit(false))
	require.NoError(t, err)
	assert.False(t, c.LimiterStats().Adaptive)
	assert.True(t, c.limiter.free.Load())
	assert.Greater(t, c.limiter.window.Load(), int64(1)<<40, "no window with adaptation off")
	c, err = NewClient(WithRateLimit(5, 2), WithAdaptiveRateLimit(true))
	require.NoError(t, err)
	assert.True(t, c.LimiterStats().Adaptive)
	assert.Equal(t, 0.0, c.LimiterStats().Rate)
}
