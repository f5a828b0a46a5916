package invapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
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

// fakeClock is a limiter's clock that moves only when told.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Unix(1_800_000_000, 0)} }

func (c *fakeClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *fakeClock) advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// tryAdmit takes a place in l if it may be had now, without waiting.
func tryAdmit(l *limiter, q int) (grant, bool) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	g, err := l.acquire(ctx, q)
	return g, err == nil
}

func TestLimiterStartsPermissiveThenCutsAndRecovers(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	l := newLimiterClock(limitConfig{adaptive: true}, time.Minute, clk.now)
	assert.True(t, l.free.Load(), "no rate before the API pushes back")
	// 40 accepted answers within the last second.
	var g grant
	for range 40 {
		g = admit(t, l, queueRead)
		clk.advance(time.Millisecond)
		l.done(g, http.StatusOK, 0)
	}
	assert.Equal(t, 0.0, l.stats().Rate)

	// A 429: the rate becomes what the API accepted over the last second.
	g = admit(t, l, queueRead)
	stale := admit(t, l, queueRead) // admitted in the same generation
	l.done(g, http.StatusTooManyRequests, 0)
	st := l.stats()
	assert.Equal(t, 40.0, st.Rate)
	assert.Equal(t, 0.0, st.Estimate, "nothing measured yet")
	assert.Equal(t, int64(1), st.RateLimited)
	assert.False(t, l.free.Load())

	// A 429 to a request admitted before the cut does not cut again.
	l.done(stale, http.StatusTooManyRequests, 0)
	assert.Equal(t, 40.0, l.stats().Rate)
	assert.Equal(t, int64(2), l.stats().RateLimited)

	// Accepted answers after the first cut grow the rate by slowStartStep
	// each: 10 of them over 300 ms.
	for range 10 {
		clk.advance(30 * time.Millisecond)
		g, ok := tryAdmit(l, queueRead)
		require.True(t, ok)
		l.done(g, http.StatusOK, 0)
	}
	assert.InDelta(t, 40+10*slowStartStep, l.stats().Rate, 1e-9)

	// A later 429 measures: 10 accepted in the 300 ms since the cut, 33.3/s.
	g, ok := tryAdmit(l, queueRead)
	require.True(t, ok)
	l.done(g, http.StatusTooManyRequests, 0)
	st = l.stats()
	assert.InDelta(t, 10/0.3, st.Estimate, 1e-6)
	assert.InDelta(t, 10/0.3*(1-headroom), st.Rate, 1e-6)

	// One within minSpan of the cut is too soon to measure: times beta.
	clk.advance(minSpan / 2)
	g, ok = tryAdmit(l, queueRead)
	require.True(t, ok)
	l.done(g, http.StatusTooManyRequests, 0)
	cut := l.stats().Rate
	assert.InDelta(t, 10/0.3*(1-headroom)*beta, cut, 1e-6)
	assert.InDelta(t, 10/0.3, l.stats().Estimate, 1e-6, "the estimate stays")

	// Then it grows back along CUBIC's curve, centred on the rate before
	// that cut: by time, not by answers.
	before := cut / beta
	plateau := math.Cbrt((before - cut) / (cubicScale * before))
	for range 20 {
		clk.advance(40 * time.Millisecond)
		g, ok := tryAdmit(l, queueRead)
		require.True(t, ok)
		l.done(g, http.StatusOK, 0)
	}
	tau := 0.8 - plateau
	assert.InDelta(t, before*(1+cubicScale*tau*tau*tau), l.stats().Rate, 1e-6, "0.8 s after the cut, on the curve")
	assert.Greater(t, l.stats().Rate, cut)

	// Five minutes without a 429: permissive again.
	clk.advance(restoreAfter + time.Second)
	g = admit(t, l, queueRead)
	l.done(g, http.StatusOK, 0)
	assert.Equal(t, 0.0, l.stats().Rate)
	assert.Equal(t, 0.0, l.stats().Estimate)
	assert.True(t, l.free.Load())
}

// The API's rate is measured from the answers it accepted between two
// 429s (its budget spent at both), not from the last second, which still
// holds its initial burst; and a short Retry-After stops no one.
func TestLimiterMeasuresTheAPIRateBetween429s(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	l := newLimiterClock(limitConfig{adaptive: true}, time.Minute, clk.now)
	// The API's burst: 300 answers in 30 ms.
	for range 300 {
		g := admit(t, l, queueRead)
		clk.advance(100 * time.Microsecond)
		l.done(g, http.StatusOK, 0)
	}
	g := admit(t, l, queueRead)
	l.done(g, http.StatusTooManyRequests, time.Second)
	assert.Equal(t, 300.0, l.stats().Rate, "the burst counts as one second's worth")
	assert.Equal(t, 0.0, l.stats().Estimate)

	// Then it accepts 200 a second, one every 5 ms, for 500 ms. No
	// request waited out the Retry-After: each is let in 5 ms after the
	// one before.
	for range 100 {
		clk.advance(5 * time.Millisecond)
		g, ok := tryAdmit(l, queueRead)
		require.True(t, ok, "a short Retry-After paused the limiter")
		l.done(g, http.StatusOK, 0)
	}
	require.Equal(t, 400.0, l.accepted.perSecond(clk.now().Sub(l.t0)), "the last second holds the burst")
	g, ok := tryAdmit(l, queueRead)
	require.True(t, ok)
	l.done(g, http.StatusTooManyRequests, time.Second)
	st := l.stats()
	assert.InDelta(t, 200, st.Estimate, 1e-6)
	assert.InDelta(t, 200*(1-headroom), st.Rate, 1e-6)
	assert.Equal(t, int64(2), st.RateLimited)
	assert.Zero(t, st.Waits, "nobody waited")

	// At the new rate: the next token comes 1/196 s after the cut, not
	// after the Retry-After.
	_, ok = tryAdmit(l, queueChange)
	assert.False(t, ok, "no token left at the cut: the API's budget is spent")
	clk.advance(6 * time.Millisecond)
	_, ok = tryAdmit(l, queueChange)
	assert.True(t, ok)
}

// After a measured cut the rate follows CUBIC's curve around the measure:
// near it within a second, flat around it (so the API is not refused again
// soon while its rate holds), then probing beyond it ever faster; and it
// never grows beyond twice what the client was accepted over the last
// second.
func TestLimiterGrowsBackAlongCubic(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	l := newLimiterClock(limitConfig{adaptive: true}, time.Minute, clk.now)
	answer := func(status int) {
		t.Helper()
		g, ok := tryAdmit(l, queueRead)
		require.True(t, ok, "no token at %v", clk.now().Sub(l.t0))
		l.done(g, status, time.Second)
	}
	// A burst, a first cut, 200 accepted a second for 500 ms, a measuring cut.
	for range 300 {
		clk.advance(100 * time.Microsecond)
		answer(http.StatusOK)
	}
	answer(http.StatusTooManyRequests)
	for range 100 {
		clk.advance(5 * time.Millisecond)
		answer(http.StatusOK)
	}
	answer(http.StatusTooManyRequests)
	require.InDelta(t, 200, l.stats().Estimate, 1e-6)
	cutAt := clk.now()
	rateAt := func(secs float64) float64 {
		t.Helper()
		for clk.now().Sub(cutAt).Seconds() < secs {
			// Always one more waiting than the rate lets in.
			clk.advance(500 * time.Microsecond)
			if g, ok := tryAdmit(l, queueRead); ok {
				l.done(g, http.StatusOK, 0)
			}
		}
		return l.stats().Rate
	}
	// That measure ended the slow start, a lower bound: the curve is steep.
	ramp := math.Cbrt(headroom / cubicScaleRamp)
	assert.InDelta(t, 200*(1+cubicScaleRamp*math.Pow(2-ramp, 3)), rateAt(2), 0.1, "past the measure by 1.3 % 2 s after it")

	// The next 429 measures between two cuts at that rate: trusted, and the
	// curve is flat around it.
	for {
		g, ok := tryAdmit(l, queueRead)
		if ok {
			l.done(g, http.StatusTooManyRequests, time.Second)
			break
		}
		clk.advance(500 * time.Microsecond)
	}
	est := l.stats().Estimate
	require.InDelta(t, 200, est, 2)
	cutAt = clk.now()
	plateau := math.Cbrt(headroom / cubicScale)
	on := func(secs float64) float64 { return est * (1 + cubicScale*math.Pow(secs-plateau, 3)) }
	assert.InDelta(t, on(1), rateAt(1), 0.1, "near the measure within a second")
	assert.Less(t, est-rateAt(1), 0.01*est)
	assert.InDelta(t, est, rateAt(plateau), 0.1, "on it at the plateau")
	assert.InDelta(t, on(plateau+1), rateAt(plateau+1), 0.1, "a second past it")
	assert.Less(t, rateAt(plateau+1)-est, 0.002*est, "barely above")
	assert.InDelta(t, on(plateau+4), rateAt(plateau+4), 0.2, "then probing")
	assert.Greater(t, rateAt(plateau+4)-est, 0.05*est, "5 % above 4 s past it")

	// Sending one request a second, the rate does not grow on the curve:
	// at most twice what was accepted over the last second, or as it was.
	held := l.stats().Rate
	for range 10 {
		clk.advance(time.Second)
		answer(http.StatusOK)
	}
	assert.Equal(t, held, l.stats().Rate, "little sent, nothing learned")
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

// A short Retry-After holds only the request it answered (the caller's
// retry waits it out) when the limiter adapts: the others go on at the cut
// rate. A long one, or any with adaptation off, pauses every request.
func TestLimiterRetryAfterPause(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		adaptive   bool
		retryAfter time.Duration
		maxPause   time.Duration
		pauses     bool
	}{
		{"adaptive, 1s", true, time.Second, time.Minute, false},
		{"adaptive, just short", true, longRetryAfter - time.Second, time.Minute, false},
		{"adaptive, long", true, longRetryAfter, 150 * time.Millisecond, true},
		{"adaptive, an hour", true, time.Hour, 150 * time.Millisecond, true},
		{"fixed rate, 1s", false, time.Second, 150 * time.Millisecond, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := limitConfig{adaptive: tc.adaptive}
			if !tc.adaptive {
				cfg.rate, cfg.burst = 1000, 10
			}
			l := newLimiter(cfg, tc.maxPause)
			for range 100 { // accepted answers: the cut sets 100/s
				l.done(admit(t, l, queueRead), http.StatusOK, 0)
			}
			g := admit(t, l, queueRead)
			waits0 := l.stats().Waits
			start := time.Now()
			l.done(g, http.StatusTooManyRequests, tc.retryAfter)
			var wg sync.WaitGroup
			var mu sync.Mutex
			var waits []time.Duration
			var reasons []string
			for i := range 6 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
					defer cancel()
					g, err := l.acquire(ctx, i%2)
					if !assert.NoError(t, err) {
						return
					}
					mu.Lock()
					waits = append(waits, time.Since(start))
					reasons = append(reasons, g.reason)
					mu.Unlock()
					l.done(g, http.StatusOK, 0)
				}()
			}
			wg.Wait()
			st := l.stats()
			if tc.pauses {
				for _, w := range waits {
					assert.GreaterOrEqual(t, w, 150*time.Millisecond, "every request waits out the (capped) Retry-After")
				}
				assert.Contains(t, reasons, waitRetryAfter)
				assert.Equal(t, int64(6), st.Waits-waits0)
				assert.GreaterOrEqual(t, st.WaitTime, 6*100*time.Millisecond)
			} else {
				// Six at 100/s: 60 ms; a second's pause would show.
				for _, w := range waits {
					assert.Less(t, w, 700*time.Millisecond, "a short Retry-After paused a request it did not answer")
				}
				assert.NotContains(t, reasons, waitRetryAfter)
			}
			if tc.adaptive {
				// Cut to the accepted answers of the last second, then
				// slow start: slowStartStep more per answer.
				assert.InDelta(t, 100+6*slowStartStep, st.Rate, 1e-9)
			} else {
				assert.Equal(t, 1000.0, st.Rate, "a fixed rate is not cut")
			}
		})
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
// check) passes the one limiter: while a (long) Retry-After pause holds,
// none of them reaches the server, and each reports its wait.
func TestEveryRequestKindPassesTheLimiter(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var waits []RateLimitWaitInfo
	obs := Observer{OnRateLimitWait: func(w RateLimitWaitInfo) {
		mu.Lock()
		waits = append(waits, w)
		mu.Unlock()
	}}
	const pause = 200 * time.Millisecond
	// A long Retry-After, capped at 200 ms: it pauses everyone.
	c, m := newTestClient(t, WithObserver(obs), WithMaxRetryAfter(pause))
	m.on("eq", "show", `{"result":"OK","server_data":{"id":"12345"}}`)
	m.on("eq", "reboot", `{"result":"OK","callback":"k-1"}`)
	m.on("eq_callback", "check", `{"result":"OK","scope":"done","key":"k-1"}`)

	pauseStart := time.Now()
	c.limiter.rateLimited(c.limiter.epoch.Load(), longRetryAfter)

	// The login (first call), then a read and a change and a check.
	_, err := c.Eq.Show(context.Background(), 12345)
	require.NoError(t, err)
	op, err := c.Eq.Reboot(context.Background(), 12345)
	require.NoError(t, err)
	c.limiter.rateLimited(c.limiter.epoch.Load(), longRetryAfter)
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
	c.limiter.rateLimited(c.limiter.epoch.Load(), longRetryAfter)
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

// A 429 to a state change is never resent, whatever its Retry-After: the
// API answered, so the SDK cannot prove it did not act. The call returns
// at once with the Retry-After for the caller to decide.
func TestRateLimitedChangeIsNotResent(t *testing.T) {
	t.Parallel()
	for _, ra := range []string{"0", "1", "5"} {
		t.Run("Retry-After "+ra, func(t *testing.T) {
			t.Parallel()
			var mu sync.Mutex
			var retries []RetryInfo
			var dones []RequestDoneInfo
			c, m := newTestClient(t, WithToken(testToken), WithMaxRetryAfter(100*time.Millisecond), WithObserver(Observer{
				OnRetry:       func(r RetryInfo) { mu.Lock(); retries = append(retries, r); mu.Unlock() },
				OnRequestDone: func(d RequestDoneInfo) { mu.Lock(); dones = append(dones, d); mu.Unlock() },
			}))
			m.onRaw("eq", "reboot", func(w http.ResponseWriter, _ url.Values) {
				w.Header().Set("Retry-After", ra)
				w.WriteHeader(http.StatusTooManyRequests)
			})
			start := time.Now()
			_, err := c.Eq.Reboot(context.Background(), 12345)
			require.ErrorIs(t, err, ErrRateLimited)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			secs, _ := strconv.Atoi(ra)
			assert.Equal(t, time.Duration(secs)*time.Second, apiErr.RetryAfter, "for the caller")
			assert.Less(t, time.Since(start), 900*time.Millisecond, "the SDK does not wait for the caller")
			// Give a resend, if there were one, the time to arrive.
			time.Sleep(150 * time.Millisecond)
			assert.Equal(t, 1, m.count("eq", "reboot"), "sent exactly once")
			assert.Equal(t, int64(1), c.LimiterStats().RateLimited)
			mu.Lock()
			defer mu.Unlock()
			assert.Empty(t, retries)
			require.Len(t, dones, 1)
			assert.Equal(t, RequestDoneInfo{Module: "eq", Action: "reboot", Class: "change", Attempt: 1,
				HTTPStatus: 429, Duration: dones[0].Duration, Err: CategoryRateLimited}, dones[0])
		})
	}
}

// arrivals records when each request reached a test server.
type arrivals struct {
	mu sync.Mutex
	at map[string][]time.Time
}

func (a *arrivals) add(name string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.at == nil {
		a.at = map[string][]time.Time{}
	}
	a.at[name] = append(a.at[name], time.Now())
	return len(a.at[name])
}

func (a *arrivals) get(name string) []time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]time.Time(nil), a.at[name]...)
}

// A short Retry-After holds only the read it answered: the others reach
// the server at the cut rate meanwhile, and the read is resent after it.
func TestShortRetryAfterHoldsOnlyTheThrottledRead(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t, WithToken(testToken))
	var arr arrivals
	m.onRaw("eq", "show", func(w http.ResponseWriter, form url.Values) {
		id := form.Get("id")
		w.Header().Set("Content-Type", "application/json")
		if arr.add("show"+id) == 1 && id == "1" {
			w.Header().Set("Retry-After", "2") // short: under longRetryAfter
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		_, _ = io.WriteString(w, `{"result":"OK","server_data":{"id":"`+id+`"}}`)
	})
	acceptReboots(m, &arr)
	// Accepted answers before the 429: the cut sets a rate from them.
	for id := 100; id < 140; id++ {
		_, err := c.Eq.Show(context.Background(), id)
		require.NoError(t, err)
	}
	throttled := make(chan error, 1)
	go func() {
		_, err := c.Eq.Show(context.Background(), 1)
		throttled <- err
	}()
	require.Eventually(t, func() bool { return c.LimiterStats().RateLimited == 1 }, 5*time.Second, time.Millisecond)
	first := arr.get("show1")[0]
	// Others meanwhile: two reads and a change.
	for _, id := range []int{2, 3} {
		_, err := c.Eq.Show(context.Background(), id)
		require.NoError(t, err)
	}
	_, err := c.Eq.Reboot(context.Background(), 12345)
	require.NoError(t, err)
	require.NoError(t, <-throttled)

	resent := arr.get("show1")
	require.Len(t, resent, 2, "the read is resent once")
	assert.GreaterOrEqual(t, resent[1].Sub(first), 1900*time.Millisecond, "the read waited out its Retry-After")
	for _, name := range []string{"show2", "show3", "reboot"} {
		got := arr.get(name)
		require.Len(t, got, 1, name)
		assert.Less(t, got[0].Sub(first), 1500*time.Millisecond, "%s waited out a Retry-After not its own", name)
		assert.True(t, got[0].Before(resent[1]), "%s came after the throttled read's resend", name)
	}
	st := c.LimiterStats()
	assert.Equal(t, int64(1), st.RateLimited)
	assert.Positive(t, st.Rate, "the rate was cut")
}

// A long Retry-After pauses every request, of every kind, for as long as
// it says (capped by WithMaxRetryAfter).
func TestLongRetryAfterPausesEveryRequest(t *testing.T) {
	t.Parallel()
	const pause = 300 * time.Millisecond
	c, m := newTestClient(t, WithToken(testToken), WithMaxRetryAfter(pause))
	var arr arrivals
	refuseFirstShow(m, &arr, http.StatusTooManyRequests, "60", "") // the API's window is spent: a minute
	acceptReboots(m, &arr)
	_, err := c.Eq.Show(context.Background(), 1)
	require.ErrorIs(t, err, ErrRateLimited, "beyond WithMaxRetryAfter: the read gives up")
	first := arr.get("show")[0]
	_, err = c.Eq.Reboot(context.Background(), 12345)
	require.NoError(t, err)
	_, err = c.Eq.Show(context.Background(), 1)
	require.NoError(t, err)
	reboot, shows := arr.get("reboot"), arr.get("show")
	require.Len(t, reboot, 1)
	require.Len(t, shows, 2, "the refused read was not resent")
	assert.GreaterOrEqual(t, reboot[0].Sub(first), pause-20*time.Millisecond, "the change waited out the pause")
	assert.GreaterOrEqual(t, shows[1].Sub(first), pause-20*time.Millisecond, "the read waited out the pause")
}

// A 503 whose Retry-After is long (maintenance) pauses every request, reads
// and changes, without cutting the rate; a short one holds only the read it
// answered (resent after it by the retry policy).
func TestUnavailableRetryAfter(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		retryAfter string
		pauses     bool
	}{{"60", true}, {"1", false}} {
		t.Run("Retry-After "+tc.retryAfter, func(t *testing.T) {
			t.Parallel()
			const pause = 300 * time.Millisecond
			c, m := newTestClient(t, WithToken(testToken), WithMaxRetryAfter(pause))
			var arr arrivals
			refuseFirstShow(m, &arr, http.StatusServiceUnavailable, tc.retryAfter, `<html>Down for maintenance</html>`)
			acceptReboots(m, &arr)
			shown := make(chan error, 1)
			go func() { _, err := c.Eq.Show(context.Background(), 1); shown <- err }()
			require.Eventually(t, func() bool { return len(arr.get("show")) == 1 }, 5*time.Second, time.Millisecond)
			first := arr.get("show")[0]
			time.Sleep(20 * time.Millisecond) // the 503 answered
			_, err := c.Eq.Reboot(context.Background(), 12345)
			require.NoError(t, err)
			require.NoError(t, <-shown, "the read is resent after the Retry-After")
			reboot, shows := arr.get("reboot"), arr.get("show")
			require.Len(t, reboot, 1)
			require.Len(t, shows, 2)
			assert.GreaterOrEqual(t, shows[1].Sub(first), pause-20*time.Millisecond, "the read waited out the Retry-After")
			if tc.pauses {
				assert.GreaterOrEqual(t, reboot[0].Sub(first), pause-20*time.Millisecond, "the change waited out the pause")
			} else {
				assert.Less(t, reboot[0].Sub(first), pause/2, "the change was not held by another request's short Retry-After")
			}
			st := c.LimiterStats()
			assert.Zero(t, st.RateLimited, "a 503 is not a 429")
			assert.Zero(t, st.Rate, "nor does it cut the rate")
		})
	}
}

// A change queued behind a pause of the adaptive limiter, whose context
// ends, is never sent.
func TestCanceledDuringPauseSendsNothing(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t, WithToken(testToken))
	m.on("eq", "reboot", `{"result":"OK","callback":"k-1"}`)
	m.on("eq", "show", `{"result":"OK","server_data":{"id":"12345"}}`)
	c.limiter.rateLimited(c.limiter.epoch.Load(), time.Hour) // capped at a minute
	for _, call := range []func(context.Context) error{
		func(ctx context.Context) error { _, err := c.Eq.Reboot(ctx, 12345); return err },
		func(ctx context.Context) error { _, err := c.Eq.Show(ctx, 12345); return err },
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		err := call(ctx)
		cancel()
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.NotErrorIs(t, err, ErrOutcomeUnknown, "never sent, so the outcome is known")
	}
	assert.Equal(t, 0, m.count("eq", "reboot"))
	assert.Equal(t, 0, m.count("eq", "show"))
	assert.Equal(t, 0, c.LimiterStats().Queued)
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

// acceptReboots answers eq reboot with a callback key, and records each
// arrival in arr as "reboot".
func acceptReboots(m *mockAPI, arr *arrivals) {
	m.onRaw("eq", "reboot", func(w http.ResponseWriter, _ url.Values) {
		arr.add("reboot")
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"result":"OK","callback":"k-1"}`)
	})
}

// refuseFirstShow answers the first eq show with status, Retry-After and
// body, and every later one with server 1; it records each arrival in arr
// as "show".
func refuseFirstShow(m *mockAPI, arr *arrivals, status int, retryAfter, body string) {
	m.onRaw("eq", "show", func(w http.ResponseWriter, _ url.Values) {
		w.Header().Set("Content-Type", "application/json")
		if arr.add("show") == 1 {
			w.Header().Set("Retry-After", retryAfter)
			w.WriteHeader(status)
			_, _ = io.WriteString(w, body)
			return
		}
		_, _ = io.WriteString(w, `{"result":"OK","server_data":{"id":"1"}}`)
	})
}
