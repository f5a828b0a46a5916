package invapi

import (
	"context"
	"math"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/invapi-go/invapi/internal/retry"
)

// The client-wide rate limiter. Every HTTP attempt the client makes (calls,
// the retries go-retryablehttp makes of reads, logins, the poller's
// callback checks) passes it at the transport (limitTransport), so one
// budget covers them all.
//
// By default it is adaptive, in the style of the AWS SDKs' "adaptive" retry
// mode: a 429 slows everyone down but stops no one except the request it
// answered.
//
//   - Until the API first answers 429 there is no rate, only a window on the
//     requests in flight, which starts at initialWindow and grows by one
//     every windowGrowth answers while it is in use (by a quarter per round
//     trip, as TCP's slow start doubles): a program that sends a few
//     requests at a time never meets it, a fleet sweep of thousands of
//     goroutines does not put them all on the wire in the same millisecond,
//     and the API's burst is used at the start.
//   - A 429 cuts the rate, once per generation of admitted requests (the
//     429s answered to requests admitted before the cut say nothing about
//     the new rate). The request it answered waits out its Retry-After on
//     its own (a read is resent after it by the retry policy; a state
//     change is never resent by the SDK); everyone else goes on at the new
//     rate. Only a Retry-After of longRetryAfter or more pauses every
//     request (see longRetryAfter).
//   - The first cut sets the rate to the answers the API accepted over the
//     last second, counted as a rate (the first 429 usually comes within
//     milliseconds, when the API's burst runs out: the burst counts as one
//     second's worth, an underestimate, never as the burst divided by the
//     milliseconds it took). The rate then grows by slowStartStep with every
//     accepted answer (exponential) until the next 429.
//   - A later cut measures what the API sustains: a 429 says its budget is
//     spent, so between two of them it accepted what it refilled, and the
//     accepted answers since the last cut over the time since it are its
//     rate. The new rate is that measure less headroom (or the rate, if
//     lower). It then grows back along CUBIC's curve (RFC 9438), around the
//     measure: quickly up to near it, flat around it for a few seconds, then
//     faster and faster beyond it, probing for more, until the next 429
//     cuts it again. So the API is refused rarely while its rate holds (the
//     next 429 comes some 8 s after a cut against a burst of 50 at 200 req/s,
//     where a probe growing from the cut met it in under 4 s), and a rate
//     that was raised is found within seconds. It never grows beyond twice
//     the answers accepted over the last second: a client that sends little
//     learns nothing of the API's rate by it. The cut that ends the slow
//     start measures a lower bound (see cutLocked), and its curve is
//     steeper (cubicScaleRamp). A cut too soon after the last
//     one to measure (minSpan) multiplies the rate by beta, and the curve
//     centres on the rate before it; one long after it (maxSpan: the API may
//     have refilled its burst while the client sent little) measures over
//     the last second instead. A limiter that has seen no 429 for
//     restoreAfter is permissive again.
//
// With adaptation off (WithRateLimit, WithAdaptiveRateLimit(false)) the rate
// never changes, so the only way the client yields is to wait: every
// Retry-After pauses every request.
//
// A 503 (Service Unavailable) with a Retry-After that would pause every
// request after a 429 pauses them the same way (maintenance: all would meet
// the same answer), without cutting the rate. A shorter one holds only its
// own request, in the retry policy's backoff.
//
// Requests wait in two FIFO queues, reads and state changes, served in
// turn when both hold waiters: a mass reboot never starves a show, nor a
// sweep of shows the reboots.
const (
	initialWindow = 16
	windowGrowth  = 4   // answers per widening of the window by one
	slowStartStep = 2.0 // requests per second added per accepted answer after the first cut
	minRate       = 1.0 // requests per second, the floor of a cut
	firstCutFloor = 5.0 // the floor of the first cut, measured on few answers
	beta          = 0.9 // multiplicative decrease, when the API's rate cannot be measured
	headroom      = 0.02
	// cubicScale is CUBIC's C, relative to the rate the curve centres on:
	// t seconds from the curve's plateau the rate is off it by
	// cubicScale·t³ of it (0.1 % at 1 s, 0.8 % at 2 s, 6.4 % at 4 s, twice
	// the rate 10 s past it). The AWS SDKs' adaptive mode uses 0.4
	// requests/s³, twice this at 200 req/s. Gentler, because a probe that
	// meets the limit costs the refused request its Retry-After, a whole
	// second at least, and an API whose limit is not published seldom
	// raises it: from a cut to 0.98 of the measure the curve is back on it
	// after 2.7 s, and meets an API of 200 req/s with a burst of 50 again
	// some 8 s after the cut.
	cubicScale = 0.001
	// cubicScaleRamp is C after the cut that ends the slow start, whose
	// measure is a lower bound (see cutLocked): 1.6 % off at 1 s, 12.8 % at
	// 2 s.
	cubicScaleRamp = 0.016
	minSpan        = 250 * time.Millisecond // shortest span between cuts that measures the API's rate
	maxSpan        = 5 * time.Second        // longest: beyond it, the last second measures
	restoreAfter   = 5 * time.Minute
	rateBucket     = 125 * time.Millisecond // the accepted-answer window is 8 of them

	// longRetryAfter is the shortest Retry-After that pauses every request
	// of an adaptive client. A token bucket (what an API's limit usually
	// is) answers with the time until its next token, which HTTP's whole
	// seconds round up to 1 s, 2 s with an HTTP-date and a clock a second
	// off: the API is not closed, it serves at its rate, and the cut rate
	// is all the others need; waiting out such a Retry-After on every
	// request only leaves the API's capacity unused (about 1.3x the time
	// of the best fixed rate in BenchmarkFleet). A Retry-After of 3 s or
	// more says there is nothing to serve for that long (a per-minute
	// quota, maintenance): every request would be refused, so all wait.
	longRetryAfter = 3 * time.Second
)

// Queues of the limiter.
const (
	queueRead   = 0
	queueChange = 1 // change and money
)

// Reasons of a wait, in RateLimitWaitInfo.Reason.
const (
	waitRetryAfter = "retry_after" // the API answered 429 or 503 with a long Retry-After (any, adaptation off): everyone waits it out
	waitRate       = "rate"        // the rate the limiter allows now
	waitWindow     = "concurrency" // the window on requests in flight (before any 429)
	waitQueue      = "queue"       // others were waiting first
)

// LimiterStats describe the client-wide rate limiter (Client.LimiterStats).
type LimiterStats struct {
	// Adaptive reports whether the limiter adapts to the API's 429 answers
	// (the default; WithRateLimit and WithAdaptiveRateLimit(false) turn it
	// off).
	Adaptive bool
	// Rate is the requests per second allowed now; 0 means no rate is set
	// (before the API ever pushed back, or with adaptation off and no
	// WithRateLimit).
	Rate float64
	// Estimate is the rate the API was measured to sustain when it last
	// answered 429: the answers it accepted per second between two 429s
	// (see WithAdaptiveRateLimit). 0 until measured, and with adaptation
	// off. It is a good WithRateLimit for the next run of the same work.
	Estimate float64
	// Waits counts the requests that had to wait before being sent, and
	// WaitTime is their total wait.
	Waits    int64
	WaitTime time.Duration
	// RateLimited counts the 429 answers received.
	RateLimited int64
	// Queued is the requests waiting now, InFlight those on the wire.
	Queued   int
	InFlight int
}

// limitConfig is the limiter's part of the client configuration.
type limitConfig struct {
	adaptive bool
	rate     float64 // fixed rate (requests per second); 0: none
	burst    int
}

type waiter struct {
	ch      chan struct{} // receives once: granted or closed
	since   time.Time
	granted bool
	closed  bool
	epoch   uint64
}

type limiter struct {
	// The fast path reads these without the lock.
	free     atomic.Bool  // no rate, no pause, nobody queued: only the window counts
	inflight atomic.Int64 // admitted and not answered
	window   atomic.Int64 // cap on inflight while free
	grown    atomic.Int64 // answers that could widen the window
	queued   atomic.Int64
	epoch    atomic.Uint64 // generation of admissions; a cut starts a new one
	accepted rateWindow    // answers that were not 429, adaptive only
	t0       time.Time
	now      func() time.Time // time.Now; tests set a fake clock

	mu         sync.Mutex
	adaptive   bool
	rate       float64 // requests per second; 0: none
	burst      float64
	fixedBurst bool
	tokens     float64
	last       time.Time // of the last refill
	pauseUntil time.Time
	slowStart  bool
	center     float64   // the rate the growth after the last cut centres on (CUBIC's W_max)
	plateau    float64   // seconds from the last cut to where the growth reaches center (CUBIC's K)
	scale      float64   // CUBIC's C of the growth since the last cut: cubicScale or cubicScaleRamp
	est        float64   // the API's rate measured at the last cut (LimiterStats.Estimate)
	acceptedN  int64     // accepted answers counted while a rate is set
	mark       time.Time // the last cut: the API's budget was spent then
	markN      int64     // acceptedN at mark
	last429    time.Time
	maxPause   time.Duration
	queues     [2][]*waiter
	turn       int
	timer      *time.Timer
	closed     bool

	waits     int64
	waitTotal time.Duration
	limited   int64
}

func newLimiter(cfg limitConfig, maxPause time.Duration) *limiter {
	return newLimiterClock(cfg, maxPause, time.Now)
}

func newLimiterClock(cfg limitConfig, maxPause time.Duration, now func() time.Time) *limiter {
	l := &limiter{adaptive: cfg.adaptive && cfg.rate == 0, rate: cfg.rate, maxPause: maxPause, t0: now(), now: now}
	l.last = l.t0
	if cfg.rate > 0 {
		l.burst = float64(max(cfg.burst, 1))
		l.fixedBurst = true
		l.tokens = l.burst
	}
	if l.adaptive {
		l.window.Store(initialWindow)
	} else {
		l.window.Store(math.MaxInt64)
	}
	l.updateFreeLocked(l.t0)
	return l
}

// grant is an admission: the generation it belongs to, and how long it
// waited for what.
type grant struct {
	epoch  uint64
	waited time.Duration
	reason string
}

// acquire admits one request to queue q, waiting if need be. It returns
// ctx.Err() if ctx ends first (the request is then not sent), ErrClosed
// after close. Without a rate, a pause or anyone queued, it costs three
// atomic operations and no allocation.
func (l *limiter) acquire(ctx context.Context, q int) (grant, error) {
	if l.free.Load() {
		if n := l.inflight.Add(1); n <= l.window.Load() {
			return grant{epoch: l.epoch.Load()}, nil
		}
		l.release()
	}
	return l.wait(ctx, q)
}

func (l *limiter) wait(ctx context.Context, q int) (grant, error) {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return grant{}, ErrClosed
	}
	now := l.now()
	l.refillLocked(now)
	if l.queued.Load() == 0 && l.admissibleLocked(now) {
		l.admitLocked()
		g := grant{epoch: l.epoch.Load()}
		l.updateFreeLocked(now)
		l.mu.Unlock()
		return g, nil
	}
	reason := l.reasonLocked(now)
	w := &waiter{ch: make(chan struct{}, 1), since: now}
	l.queues[q] = append(l.queues[q], w)
	l.queued.Add(1)
	l.free.Store(false)
	// Look again now that the waiter counts: an answer that freed a place
	// in the window between the look above and queued.Add saw nobody
	// queued and dispatched nothing (done reads queued after it frees).
	l.dispatchLocked(now)
	l.mu.Unlock()

	select {
	case <-w.ch:
		if w.closed {
			return grant{}, ErrClosed
		}
		return grant{epoch: w.epoch, waited: l.now().Sub(now), reason: reason}, nil
	case <-ctx.Done():
	}
	l.mu.Lock()
	switch {
	case w.granted:
		// Admitted as ctx ended: give the place back, unsent.
		l.inflight.Add(-1)
		if l.rate > 0 {
			l.tokens = min(l.burst, l.tokens+1)
		}
		l.dispatchLocked(l.now())
	case !w.closed:
		l.removeLocked(q, w)
		l.updateFreeLocked(l.now())
	}
	l.mu.Unlock()
	return grant{}, ctx.Err()
}

func (l *limiter) removeLocked(q int, w *waiter) {
	for i, x := range l.queues[q] {
		if x == w {
			copy(l.queues[q][i:], l.queues[q][i+1:])
			l.queues[q][len(l.queues[q])-1] = nil
			l.queues[q] = l.queues[q][:len(l.queues[q])-1]
			l.queued.Add(-1)
			return
		}
	}
}

// reasonLocked says what a request arriving now waits for.
func (l *limiter) reasonLocked(now time.Time) string {
	switch {
	case now.Before(l.pauseUntil):
		return waitRetryAfter
	case l.queued.Load() > 0:
		return waitQueue
	case l.rate > 0:
		return waitRate
	}
	return waitWindow
}

func (l *limiter) admissibleLocked(now time.Time) bool {
	if l.closed || now.Before(l.pauseUntil) {
		return false
	}
	if l.rate > 0 {
		return l.tokens >= 1
	}
	return l.inflight.Load() < l.window.Load()
}

func (l *limiter) admitLocked() {
	l.inflight.Add(1)
	if l.rate > 0 {
		l.tokens--
	}
}

func (l *limiter) refillLocked(now time.Time) {
	if dt := now.Sub(l.last); dt > 0 {
		if l.rate > 0 {
			l.tokens = min(l.burst, l.tokens+l.rate*dt.Seconds())
		}
		l.last = now
	}
}

// dispatchLocked admits waiters while it may, reads and changes in turn.
func (l *limiter) dispatchLocked(now time.Time) {
	l.refillLocked(now)
	for l.queued.Load() > 0 && l.admissibleLocked(now) {
		q := l.turn
		if len(l.queues[q]) == 0 {
			q = 1 - q
		}
		w := l.queues[q][0]
		l.queues[q][0] = nil
		l.queues[q] = l.queues[q][1:]
		l.turn = 1 - q
		l.queued.Add(-1)
		l.admitLocked()
		w.granted, w.epoch = true, l.epoch.Load()
		l.waits++
		l.waitTotal += now.Sub(w.since)
		w.ch <- struct{}{}
	}
	l.scheduleLocked(now)
	l.updateFreeLocked(now)
}

// scheduleLocked sets the timer for the next moment something may change
// without an answer arriving: the end of a pause, the next token.
func (l *limiter) scheduleLocked(now time.Time) {
	var at time.Time
	switch {
	case now.Before(l.pauseUntil):
		at = l.pauseUntil
	case l.queued.Load() == 0:
		return
	case l.rate > 0:
		need := max(0, 1-l.tokens)
		at = now.Add(time.Duration(need / l.rate * float64(time.Second)))
	default:
		return // the window: an answer (release) dispatches
	}
	d := max(at.Sub(now), 0)
	if l.timer == nil {
		l.timer = time.AfterFunc(d, l.kick)
	} else {
		l.timer.Reset(d)
	}
}

func (l *limiter) updateFreeLocked(now time.Time) {
	l.free.Store(!l.closed && l.rate == 0 && l.queued.Load() == 0 && !now.Before(l.pauseUntil))
}

// kick dispatches after a timer or an answer.
func (l *limiter) kick() {
	l.mu.Lock()
	if !l.closed {
		l.dispatchLocked(l.now())
	}
	l.mu.Unlock()
}

// release ends an admission without an answer to learn from.
func (l *limiter) release() {
	l.inflight.Add(-1)
	if l.queued.Load() > 0 {
		l.kick()
	}
}

// done ends an admission with the answer's HTTP status (0: no answer) and
// Retry-After (a 429's or a 503's).
func (l *limiter) done(g grant, status int, retryAfter time.Duration) {
	l.inflight.Add(-1)
	if status == http.StatusTooManyRequests {
		l.rateLimited(g.epoch, retryAfter)
		return
	}
	if status == http.StatusServiceUnavailable && l.pausesFor(retryAfter) {
		l.unavailable(retryAfter)
	}
	if !l.adaptive || status == 0 || status >= 500 {
		if l.queued.Load() > 0 {
			l.kick()
		}
		return
	}
	now := l.now()
	l.accepted.add(now.Sub(l.t0))
	if l.free.Load() {
		// Permissive: widen the window while it is in use, by one every
		// windowGrowth answers (a quarter more per round trip).
		if w := l.window.Load(); l.inflight.Load()*2+2 >= w && l.grown.Add(1)%windowGrowth == 0 {
			l.window.CompareAndSwap(w, w+1)
		}
		if l.queued.Load() > 0 { // queued while free was read
			l.kick()
		}
		return
	}
	l.mu.Lock()
	l.acceptedN++
	if l.rate > 0 {
		if l.slowStart {
			l.rate += slowStartStep
		} else {
			l.rate = l.cubicLocked(now)
		}
		l.burst = max(1, l.rate/20)
		if now.Sub(l.last429) > restoreAfter {
			l.rate, l.slowStart, l.est = 0, false, 0
			l.mark = time.Time{}
			l.window.Store(max(l.window.Load(), initialWindow))
		}
	} else if w := l.window.Load(); l.inflight.Load()*2+2 >= w && l.grown.Add(1)%windowGrowth == 0 {
		l.window.Store(w + 1)
	}
	l.dispatchLocked(now)
	l.mu.Unlock()
}

// rateLimited takes a 429. A long Retry-After (any, with adaptation off)
// pauses every request; an adaptive limiter cuts its rate once per
// generation.
func (l *limiter) rateLimited(epoch uint64, retryAfter time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.limited++
	l.last429 = now
	if l.pausesFor(retryAfter) {
		l.pauseLocked(now, retryAfter)
	}
	if l.adaptive && epoch == l.epoch.Load() {
		l.cutLocked(now)
	}
	l.free.Store(false)
	l.scheduleLocked(now)
	if !now.Before(l.pauseUntil) {
		l.dispatchLocked(now)
	}
}

// pausesFor reports whether a Retry-After pauses every request: a long one
// (longRetryAfter or more), or any with adaptation off.
func (l *limiter) pausesFor(retryAfter time.Duration) bool {
	return retryAfter > 0 && (!l.adaptive || retryAfter >= longRetryAfter)
}

// pauseLocked holds every request for retryAfter (at most the
// WithMaxRetryAfter bound) from now.
func (l *limiter) pauseLocked(now time.Time, retryAfter time.Duration) {
	if l.maxPause > 0 && retryAfter > l.maxPause {
		retryAfter = l.maxPause
	}
	if until := now.Add(retryAfter); until.After(l.pauseUntil) {
		l.pauseUntil = until
		l.tokens = 0
		l.last = until // no tokens gather during the pause
	}
}

// unavailable takes a 503 whose Retry-After pauses every request (see
// pausesFor): the API says it serves nothing for that long (maintenance),
// so every request waits it out instead of meeting the same answer. A 503
// says nothing of the API's rate: nothing is cut, and the limiter is
// permissive again once the pause is over if it was before.
func (l *limiter) unavailable(retryAfter time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.pauseLocked(now, retryAfter)
	l.free.Store(false)
	l.scheduleLocked(now)
}

// cutLocked sets the rate after a 429 (see the top of the file) and starts
// a new generation of admissions.
func (l *limiter) cutLocked(now time.Time) {
	l.refillLocked(now)
	l.epoch.Add(1)
	span := now.Sub(l.mark)
	l.scale = cubicScale
	switch {
	case l.rate == 0:
		l.rate, l.slowStart = max(firstCutFloor, l.accepted.perSecond(now.Sub(l.t0))), true
	default:
		// Its budget was spent at the last cut and is spent now: what
		// it accepted in between is what it refilled.
		est := 0.0
		switch {
		case span > maxSpan:
			est = l.accepted.perSecond(now.Sub(l.t0))
		case span >= minSpan:
			est = float64(l.acceptedN-l.markN) / span.Seconds()
		}
		if est <= 0 {
			// The API refused again at once (too few answers to measure
			// by how much the rate is too high), or accepted nothing
			// since: cut by beta, and centre the curve on the rate that
			// was refused.
			l.center = l.rate
			l.rate, l.slowStart = max(minRate, l.rate*beta), false
			break
		}
		l.est, l.center = est, est
		if l.slowStart {
			// The measure ends the slow start: while the rate climbed to
			// the API's, the API's budget filled up and refilled nothing
			// more for a while, so it accepted less than it could. A
			// lower bound: do not dwell on it.
			l.scale = cubicScaleRamp
		}
		l.rate, l.slowStart = max(minRate, min(l.rate, est)*(1-headroom)), false
	}
	// The curve starts at the cut rate: it reaches center plateau seconds
	// after the cut.
	l.plateau = 0
	if l.center > l.rate {
		l.plateau = math.Cbrt((l.center - l.rate) / (l.scale * l.center))
	}
	l.mark, l.markN = now, l.acceptedN
	l.burst = max(1, l.rate/20)
	l.tokens = 0 // the API's budget is spent: wait for the next token
}

// cubicLocked returns the rate now on the curve from the last cut (see the
// top of the file): center·(1 + scale·(t − plateau)³), t the seconds
// since the cut, but never more than twice the answers accepted over the
// last second (nor less than the rate now, for that cap).
func (l *limiter) cubicLocked(now time.Time) float64 {
	t := now.Sub(l.mark).Seconds() - l.plateau
	r := max(minRate, l.center*(1+l.scale*t*t*t))
	if used := 2 * l.accepted.perSecond(now.Sub(l.t0)); r > used {
		r = max(used, l.rate)
	}
	return r
}

// close wakes every waiter with ErrClosed; later requests get it at once.
func (l *limiter) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.closed = true
	l.free.Store(false)
	for q := range l.queues {
		for _, w := range l.queues[q] {
			w.closed = true
			w.ch <- struct{}{}
		}
		l.queues[q] = nil
	}
	l.queued.Store(0)
	if l.timer != nil {
		l.timer.Stop()
	}
}

func (l *limiter) stats() LimiterStats {
	l.mu.Lock()
	defer l.mu.Unlock()
	return LimiterStats{Adaptive: l.adaptive, Rate: l.rate, Estimate: l.est, Waits: l.waits, WaitTime: l.waitTotal,
		RateLimited: l.limited, Queued: int(l.queued.Load()), InFlight: int(max(0, l.inflight.Load()))}
}

// rateWindow counts events over the last second in 8 buckets, without a
// lock.
type rateWindow struct {
	stamp [8]atomic.Int64
	count [8]atomic.Int64
}

func (w *rateWindow) add(since time.Duration) {
	s := int64(since / rateBucket)
	i := s & 7
	if old := w.stamp[i].Load(); old != s && w.stamp[i].CompareAndSwap(old, s) {
		w.count[i].Store(0)
	}
	w.count[i].Add(1)
}

// perSecond is the count over the last 8 buckets (one second).
func (w *rateWindow) perSecond(since time.Duration) float64 {
	s := int64(since / rateBucket)
	var n int64
	for i := range w.stamp {
		if st := w.stamp[i].Load(); st > s-8 && st <= s {
			n += w.count[i].Load()
		}
	}
	return float64(n)
}

// limitTransport puts every HTTP attempt through the client's limiter and
// tells the observer about it.
type limitTransport struct {
	rt http.RoundTripper
	c  *Client
}

func (t limitTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	class := retry.ClassOf(ctx)
	q := queueRead
	if !class.Idempotent() {
		q = queueChange
	}
	var tr *callTrace
	if t.c.observer != nil {
		tr = traceOf(ctx)
		tr.beforeAttempt()
	}
	g, err := t.c.limiter.acquire(ctx, q)
	if err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, err
	}
	if tr != nil {
		tr.attemptStart(g)
	}
	resp, err := t.rt.RoundTrip(req)
	status := 0
	var retryAfter time.Duration
	if err == nil && resp != nil {
		status = resp.StatusCode
		if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
			retryAfter, _ = retry.RetryAfter(resp)
		}
	}
	t.c.limiter.done(g, status, retryAfter)
	if tr != nil {
		tr.attemptDone(status, err)
	}
	return resp, err
}

// CloseIdleConnections passes on to the transport below, when it has it
// (a caller's transport hides it: see keepIdle).
func (t limitTransport) CloseIdleConnections() {
	if ci, ok := t.rt.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}

// LimiterStats returns the state of the client-wide rate limiter that
// every request passes.
func (c *Client) LimiterStats() LimiterStats { return c.limiter.stats() }
