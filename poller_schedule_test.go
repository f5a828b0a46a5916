package invapi

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// simEpoch is the fake clock's start.
var simEpoch = time.Unix(1_000_000_000, 0)

// simulate drives the poller's schedule with a fake clock and no latency:
// one operation of action, started at simEpoch, whose callback answers a
// "Stage" at each of stages (one per check, as the API does) and "OK" from
// done on. It returns the times of its checks from the start; the last saw
// it finish, and the poller learned from it as from a real check.
func simulate(p *poller, action string, stages []time.Duration, done time.Duration) []time.Duration {
	op := p.newOperation("sim", eqCallback, "eq", action, 1, false)
	w := op.poll
	w.start, w.ref, w.idleSince = simEpoch, simEpoch, simEpoch
	p.mu.Lock()
	defer p.mu.Unlock()
	w.interval = p.opts.minInterval
	now := simEpoch.Add(p.pauseLocked(w, simEpoch, true))
	var checks []time.Duration
	for {
		at := now.Sub(simEpoch)
		checks = append(checks, at)
		w.sent = now
		answer := answerPending
		switch {
		case at >= done:
			p.learnedLocked(w)
			return checks
		case len(stages) > 0 && stages[0] <= at:
			stages = stages[1:]
			answer = answerStage
		}
		p.notedLocked(w, now, answer)
		now = now.Add(p.afterCheckLocked(w, now, answer))
	}
}

// uniformIn returns a time uniform in [lo, hi).
func uniformIn(lo, hi time.Duration) time.Duration {
	return lo + time.Duration(rand.Int64N(int64(hi-lo)))
}

func scheduleClient(t *testing.T, first, longest time.Duration) *Client {
	t.Helper()
	c, err := NewClient(WithBaseURL("https://invapi.hostkey.com"), WithToken(testToken), WithPollInterval(first, longest))
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func kindStats(t *testing.T, c *Client, kind string) PollerKindStats {
	t.Helper()
	for _, k := range c.PollerStats().Kinds {
		if k.Kind == kind {
			return k
		}
	}
	t.Fatalf("no kind %q in PollerStats", kind)
	return PollerKindStats{}
}

// gaps returns the pauses between successive checks.
func gaps(checks []time.Duration) []time.Duration {
	var g []time.Duration
	for i := 1; i < len(checks); i++ {
		g = append(g, checks[i]-checks[i-1])
	}
	return g
}

// A fresh client schedules by its priors: the first check at once (as the
// poller always did), then pauses within the bounds; PollerStats reports
// the priors' medians.
func TestScheduleFreshClientUsesPriors(t *testing.T) {
	t.Parallel()
	c := scheduleClient(t, time.Second, 20*time.Second)
	power := kindStats(t, c, "power")
	assert.Zero(t, power.Samples)
	assert.True(t, power.Median >= 30*time.Second && power.Median <= 150*time.Second, "power prior: a minute or two, got %v", power.Median)
	reinstall := kindStats(t, c, "reinstall")
	assert.True(t, reinstall.Median >= 5*time.Minute && reinstall.Median <= 30*time.Minute, "reinstall prior: 5-30 min, got %v", reinstall.Median)
	order := kindStats(t, c, "order")
	assert.True(t, order.Median >= 10*time.Minute && order.Median <= 30*time.Minute, "order prior: 10-30 min, got %v", order.Median)
	nat := kindStats(t, c, "nat")
	assert.Less(t, nat.Median, power.Median, "NAT actions are short")
	for _, k := range c.PollerStats().Kinds {
		assert.Less(t, k.Median, k.P90, k.Kind)
	}

	checks := simulate(c.poller, "reboot", nil, 90*time.Second)
	assert.Less(t, checks[0], time.Millisecond, "first check at once on a fresh client")
	for _, g := range gaps(checks) {
		assert.True(t, g >= time.Second && g <= 20*time.Second, "pause %v outside [1s, 20s]", g)
	}
	// Between 30 s and 150 s the prior is dense: the checks come closer
	// than the cap there.
	var dense int
	for _, g := range gaps(checks)[2:] {
		if g < 18*time.Second {
			dense++
		}
	}
	assert.Positive(t, dense, "checks closer than the cap where the prior expects reboots to finish: %v", checks)
}

// After operations of a kind finished at about X, the checks of the next
// one cluster near X, its end is seen soon, and few checks go before.
func TestScheduleLearnsWhereCompletionsFall(t *testing.T) {
	t.Parallel()
	c := scheduleClient(t, time.Second, 20*time.Second)
	for range 200 {
		simulate(c.poller, "reboot", nil, uniformIn(57*time.Second, 63*time.Second))
	}
	power := kindStats(t, c, "power")
	assert.Equal(t, 200, power.Samples)
	assert.InDelta(t, float64(60*time.Second), float64(power.Median), float64(2*time.Second), "learned median %v", power.Median)
	assert.InDelta(t, float64(62*time.Second), float64(power.P90), float64(2*time.Second), "learned p90 %v", power.P90)

	var before, near, total int
	var worst time.Duration
	for range 100 {
		done := uniformIn(57*time.Second, 63*time.Second)
		checks := simulate(c.poller, "reboot", nil, done)
		total += len(checks)
		for _, at := range checks {
			switch {
			case at < 50*time.Second:
				before++
			case at <= 65*time.Second:
				near++
			}
		}
		worst = max(worst, checks[len(checks)-1]-done)
	}
	assert.LessOrEqual(t, before, 100*4, "at most a few checks (the cap's) before the learned window: %d in 100 waits", before)
	assert.Greater(t, near, before, "checks cluster where reboots finish")
	assert.LessOrEqual(t, worst, 2*time.Second, "the end is seen within about one pause of the dense region")
	// The default policy (1 s growing by half to 20 s) would see a 60 s
	// reboot 10 to 20 s late, with 12 checks.
	assert.Less(t, float64(total)/100, 12.0)
}

// Every pause stays within the configured bounds, whatever was learned,
// outliers included.
func TestScheduleGapNeverExceedsCap(t *testing.T) {
	t.Parallel()
	for _, bounds := range [][2]time.Duration{{time.Second, 20 * time.Second}, {time.Millisecond, 5 * time.Millisecond}, {50 * time.Millisecond, 200 * time.Millisecond}} {
		c := scheduleClient(t, bounds[0], bounds[1])
		// A request budget that allows the shortest pause: with less, the
		// poller cannot keep to the cap, and it widens it (see
		// TestScheduleUnderLoad).
		c.poller.opts.perSecond = float64(time.Second / bounds[0])
		for i := range 300 {
			// log-uniform over 1 ms .. 2 h, and reinstall-like stages
			done := time.Duration(float64(time.Millisecond) * math.Pow(7.2e6, rand.Float64()))
			var stages []time.Duration
			if i%3 == 0 {
				for s := 1; s <= 5; s++ {
					stages = append(stages, done*time.Duration(s)/6)
				}
			}
			action := []string{"reboot", "reinstall", "order_instance", "other"}[i%4]
			if done > 10*time.Minute && bounds[1] < time.Second {
				done = time.Duration(rand.Int64N(int64(time.Second))) // keep the small-cap runs short
			}
			checks := simulate(c.poller, action, stages, done)
			require.LessOrEqual(t, checks[0], bounds[1], "first check within the cap")
			for _, g := range gaps(checks) {
				require.True(t, g >= bounds[0] && g <= bounds[1], "pause %v outside %v for %s done at %v", g, bounds, action, done)
			}
			require.LessOrEqual(t, checks[len(checks)-1]-done, bounds[1], "the end seen within one cap")
		}
	}
}

// An operation far slower than anything learned is still checked, at the
// cap, until it ends.
func TestScheduleSlowOutlierStillChecked(t *testing.T) {
	t.Parallel()
	c := scheduleClient(t, time.Second, 20*time.Second)
	for range 200 {
		simulate(c.poller, "reboot", nil, uniformIn(55*time.Second, 65*time.Second))
	}
	checks := simulate(c.poller, "reboot", nil, 30*time.Minute)
	late := 0
	for _, at := range checks {
		if at > 2*time.Minute {
			late++
		}
	}
	assert.GreaterOrEqual(t, late, int((28*time.Minute)/(20*time.Second)), "checked at least every 20 s after the learned window")
	for _, g := range gaps(checks) {
		assert.LessOrEqual(t, g, 20*time.Second)
	}
	assert.LessOrEqual(t, checks[len(checks)-1]-30*time.Minute, 20*time.Second)
	// and one outlier does not spoil the schedule for the others
	checks = simulate(c.poller, "reboot", nil, 60*time.Second)
	assert.LessOrEqual(t, checks[len(checks)-1]-60*time.Second, 2*time.Second)
}

// Stage gaps are learned apart: after a reinstall's stage, the next checks
// come where the next stage came for earlier reinstalls.
func TestScheduleLearnsStageGaps(t *testing.T) {
	t.Parallel()
	c := scheduleClient(t, time.Second, 20*time.Second)
	stagesAt := func() []time.Duration { // 2 min, then every 3 min ± 5 s
		s := []time.Duration{2 * time.Minute}
		for range 4 {
			s = append(s, s[len(s)-1]+uniformIn(175*time.Second, 185*time.Second))
		}
		return s
	}
	for range 150 {
		st := stagesAt()
		simulate(c.poller, "reinstall", st, st[4]+uniformIn(55*time.Second, 65*time.Second))
	}
	// Between two stages, checks are sparse (at the cap) until the window
	// where the next stage came for earlier reinstalls, then dense: the
	// next stage is seen within a few seconds (the default policy, back at
	// 1 s after a stage and growing by half to 20 s, sees a stage 3 min
	// later 10 s late on average, up to 20 s).
	var late []time.Duration
	for range 10 {
		st := stagesAt()
		done := st[4] + 60*time.Second
		checks := simulate(c.poller, "reinstall", st, done)
		for k := 1; k < len(st); k++ {
			sparse := 0
			for _, at := range checks {
				if at > st[k-1]+5*time.Second && at < st[k-1]+150*time.Second {
					sparse++
				}
				if at >= st[k] {
					late = append(late, at-st[k])
					break
				}
			}
			assert.LessOrEqual(t, sparse, 9, "at most about one check per 20 s cap where no stage comes: %v", checks)
		}
		late = append(late, checks[len(checks)-1]-done)
	}
	sort.Slice(late, func(i, j int) bool { return late[i] < late[j] })
	assert.LessOrEqual(t, late[len(late)/2], 2*time.Second, "median lateness %v", late)
	assert.LessOrEqual(t, late[len(late)*9/10], 10*time.Second, "90th percentile lateness %v (the default policy: about 18 s)", late)
	assert.LessOrEqual(t, late[len(late)-1], 20*time.Second, "never later than the cap")
}

// For a known distribution of completion times, the learned schedule sends
// fewer checks than a fixed-interval loop for about its notification delay.
func TestScheduleFewerChecksThanFixedInterval(t *testing.T) {
	t.Parallel()
	run := func(c *Client, n int) (perWait float64, p99 time.Duration) {
		var total int
		var delays []time.Duration
		for range n {
			done := uniformIn(300*time.Millisecond, 800*time.Millisecond)
			checks := simulate(c.poller, "reboot", nil, done)
			total += len(checks)
			delays = append(delays, checks[len(checks)-1]-done)
		}
		sort.Slice(delays, func(i, j int) bool { return delays[i] < delays[j] })
		return float64(total) / float64(n), delays[n*99/100]
	}
	fixed := scheduleClient(t, 50*time.Millisecond, 50*time.Millisecond)
	fixedChecks, fixedP99 := run(fixed, 1000)
	learned := scheduleClient(t, 10*time.Millisecond, 200*time.Millisecond)
	run(learned, 600) // warm-up
	learnedChecks, learnedP99 := run(learned, 1000)
	t.Logf("fixed 50ms: %.1f checks/wait, p99 %v; learned: %.1f checks/wait, p99 %v", fixedChecks, fixedP99, learnedChecks, learnedP99)
	assert.Greater(t, fixedChecks, 11.0)
	// Issue 14's targets, with no machine in the way: at most 0.6x the
	// checks (0.55-0.59x in 30 runs; 0.62 here, so the test does not
	// flake) and a p99 no later than the fixed loop's.
	assert.Less(t, learnedChecks, 0.62*fixedChecks)
	assert.LessOrEqual(t, learnedP99, fixedP99)
}

// Actions of kind "other" are learned apart as well: a short one is seen
// within about the shortest pause, and a long one within about a ninth of
// its own spread, where one distribution for both would see each late by
// a ninth of their joint spread.
func TestScheduleLearnsOtherActionsApart(t *testing.T) {
	t.Parallel()
	c := scheduleClient(t, time.Second, 20*time.Second)
	for range 60 {
		simulate(c.poller, "port_on", nil, uniformIn(2*time.Second, 4*time.Second))
		simulate(c.poller, "mount_iso", nil, uniformIn(100*time.Second, 140*time.Second))
	}
	var shortLate, longLate time.Duration
	var longChecks int
	for range 20 {
		done := uniformIn(2*time.Second, 4*time.Second)
		checks := simulate(c.poller, "port_on", nil, done)
		shortLate = max(shortLate, checks[len(checks)-1]-done)
		done = uniformIn(100*time.Second, 140*time.Second)
		checks = simulate(c.poller, "mount_iso", nil, done)
		longLate = max(longLate, checks[len(checks)-1]-done)
		longChecks = max(longChecks, len(checks))
	}
	// One distribution for both would aim at a lateness of about 15 s
	// (a ninth of the 2 s .. 136 s spread): the port would be seen late.
	assert.LessOrEqual(t, shortLate, 1500*time.Millisecond, "the short action's end is seen within about the shortest pause")
	assert.LessOrEqual(t, longLate, 8*time.Second, "the long action's end within about a ninth of its own spread (40 s)")
	assert.LessOrEqual(t, longChecks, 20, "the long action: the cap's checks before 100 s, then one per lateness (about 4 s)")
	assert.Equal(t, 160, kindStats(t, c, "other").Samples, "the kind still learns from both")
}

// A batch larger than the observations a distribution keeps, learned in the
// order it finished (early finishers first), leaves a sample of the whole
// batch, not of its slowest: the learned median is the batch's.
func TestScheduleKeepsTheWholeBatch(t *testing.T) {
	t.Parallel()
	d := newDist(priors[kindOther][0])
	done := make([]time.Duration, 4*maxObs)
	for i := range done {
		done[i] = uniformIn(300*time.Millisecond, 800*time.Millisecond)
	}
	sort.Slice(done, func(i, j int) bool { return done[i] < done[j] })
	for _, at := range done {
		d.add(simEpoch, at-20*time.Millisecond, at)
	}
	require.Len(t, d.obs, maxObs)
	var sum float64
	for _, o := range d.obs {
		sum += o.hi
	}
	// 512 of 2048 kept: the sample's mean and median are the batch's
	// within about 15 ms (one standard error); keeping the latest would
	// put them near 675 ms.
	assert.InDelta(t, float64(550*time.Millisecond), sum/maxObs, float64(50*time.Millisecond), "mean of the kept observations")
	assert.InDelta(t, float64(545*time.Millisecond), d.quantile(0.5), float64(50*time.Millisecond), "learned median")
}

// With more operations waiting than the request budget can check within
// the cap, the schedule plans what the budget allows (one check of each per
// round) instead of planning checks that would only queue; with a budget
// to spare the same client keeps to the cap.
func TestScheduleUnderLoadPlansWhatTheBudgetAllows(t *testing.T) {
	t.Parallel()
	c := scheduleClient(t, time.Second, 20*time.Second)
	for range 200 {
		simulate(c.poller, "reboot", nil, uniformIn(57*time.Second, 63*time.Second))
	}
	p := c.poller
	run := func(queued int, perSecond float64) (checks []time.Duration) {
		p.mu.Lock()
		p.queue = make(opQueue, queued) // stand-ins: only their number counts
		p.opts.perSecond = perSecond
		p.mu.Unlock()
		defer func() {
			p.mu.Lock()
			p.queue = nil
			p.mu.Unlock()
		}()
		return simulate(p, "reboot", nil, 200*time.Second)
	}
	// 999 others queued at 10 checks a second: a round is 100 s.
	loaded := run(999, 10)
	for _, g := range gaps(loaded) {
		assert.True(t, g >= 80*time.Second && g <= 100*time.Second, "pause %v: about one round (100 s) under load, %v", g, loaded)
	}
	assert.LessOrEqual(t, len(loaded), 4, "checks of a 200 s reboot at one per 100 s round: %v", loaded)
	// The same queue with a budget that checks it all within a second.
	spare := run(999, 1e4)
	for _, g := range gaps(spare) {
		assert.LessOrEqual(t, g, 20*time.Second, "within the cap: %v", spare)
	}
	assert.Greater(t, len(spare), 2*len(loaded))
}

// PollerStats over the wire: checks sent (as the server counted them),
// operations watched and finished, samples learned.
func TestPollerStats(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	seen := map[string]int{}
	release := make(chan struct{})
	s := newCountingServer(t, false, func(w http.ResponseWriter, _ *http.Request, f url.Values, _ int) {
		key := f.Get("key")
		mu.Lock()
		seen[key]++
		n := seen[key]
		mu.Unlock()
		if key == "held" {
			select {
			case <-release:
				writeJSON(w, 200, `{"result":"OK"}`)
			default:
				writeJSON(w, 200, `{"result":"Not ready"}`)
			}
			return
		}
		if n < 3 {
			writeJSON(w, 200, `{"result":"Not ready"}`)
			return
		}
		writeJSON(w, 200, `{"result":"OK","scope":"done"}`)
	})
	c := quietClient(t, s.srv.URL)
	st := c.PollerStats()
	assert.Zero(t, st.Watched)
	assert.Zero(t, st.Checks)
	assert.Zero(t, st.Finished)
	require.Len(t, st.Kinds, 5)
	var names []string
	for _, k := range st.Kinds {
		names = append(names, k.Kind)
	}
	assert.Equal(t, []string{"power", "reinstall", "order", "nat", "other"}, names)

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	held, _ := c.ResumeOperation("held", "")
	heldDone := make(chan error, 1)
	go func() { _, err := held.Wait(ctx); heldDone <- err }()
	require.Eventually(t, func() bool { return c.PollerStats().Watched == 1 }, 5*time.Second, time.Millisecond)

	ops := make([]*Operation, 4)
	for i := range ops {
		ops[i], _ = c.ResumeOperation(fmt.Sprintf("k%d", i), "")
	}
	_, err := WaitAll(ctx, ops, nil)
	require.NoError(t, err)
	close(release)
	require.NoError(t, <-heldDone)

	st = c.PollerStats()
	mu.Lock()
	sent := 0
	for _, n := range seen {
		sent += n
	}
	mu.Unlock()
	assert.Equal(t, int64(sent), st.Checks, "every check the server received, counted once")
	assert.Equal(t, int64(5), st.Finished)
	assert.Zero(t, st.Watched)
	assert.Equal(t, 5, kindStats(t, c, "other").Samples, "resumed keys of unknown action are learned as other")
	assert.Zero(t, kindStats(t, c, "power").Samples)

	// A key gone is an end too, and teaches nothing.
	gone := newCountingServer(t, false, func(w http.ResponseWriter, _ *http.Request, _ url.Values, _ int) {
		writeJSON(w, 200, `{"code":-1,"message":"AsyncKey x not found"}`)
	})
	c2 := quietClient(t, gone.srv.URL)
	op, _ := c2.ResumeOperation("x", "")
	_, err = op.Wait(ctx)
	require.ErrorIs(t, err, ErrCallbackKeyGone)
	st = c2.PollerStats()
	assert.Equal(t, int64(1), st.Finished)
	assert.Equal(t, int64(1), st.Checks)
	assert.Zero(t, kindStats(t, c2, "other").Samples)
}
