package invapi

import (
	"container/heap"
	"net/http"
	"strings"
	"time"
)

// PaceHeader is the answer header with which a test server tells its
// clients how fast to poll callback keys: two Go durations, the first and
// the longest pause between checks ("1ms, 5ms"). invapitest sends it, so a
// client of the simulator waits milliseconds instead of seconds with no
// option of its own.
//
// The SDK honours it only when the base URL is a loopback address (a real
// portal never paces the client) and WithPollInterval was not given.
const PaceHeader = "Invapi-Poll-Interval"

// notePace applies a PaceHeader of an answer, once per client.
func (c *Client) notePace(h http.Header) {
	if c.paced.Load() || !c.paceable {
		return
	}
	v := h.Get(PaceHeader)
	if v == "" {
		return
	}
	first, max, ok := parsePace(v)
	if !ok || !c.paced.CompareAndSwap(false, true) {
		return
	}
	c.poller.setPace(first, max)
}

// parsePace reads "first, max".
func parsePace(v string) (first, max time.Duration, ok bool) {
	a, b, found := strings.Cut(v, ",")
	if !found {
		return 0, 0, false
	}
	first, err1 := time.ParseDuration(strings.TrimSpace(a))
	max, err2 := time.ParseDuration(strings.TrimSpace(b))
	if err1 != nil || err2 != nil || first <= 0 || max < first || max > time.Minute {
		return 0, 0, false
	}
	return first, max, true
}

// setPace changes the pauses between checks, with no request budget to
// speak of (a test server), and brings forward checks already scheduled.
func (p *poller) setPace(first, longest time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.opts.minInterval, p.opts.maxInterval = first, longest
	p.opts.perSecond = max(p.opts.perSecond, 1e5)
	latest := time.Now().Add(longest)
	for _, w := range p.queue {
		if w.interval > longest {
			w.interval = longest
		}
		if w.next.After(latest) {
			w.next = latest
		}
	}
	heap.Init(&p.queue)
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// pace returns the pauses between checks now in force, for the workflows
// that poll a state themselves (eq status, update_servers).
func (p *poller) pace() (first, max time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.opts.minInterval, p.opts.maxInterval
}
