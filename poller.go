package invapi

import (
	"container/heap"
	"context"
	"errors"
	"math/rand/v2"
	"sort"
	"sync"
	"time"
)

// pollOptions tune the shared poller.
type pollOptions struct {
	minInterval time.Duration // first pause, and the pause after progress
	maxInterval time.Duration // longest pause between checks of one key
	concurrency int           // checks in flight at once, per client
	perSecond   float64       // checks started per second, per client
	maxFailures int           // consecutive failed checks before giving up
	// checkTimeout bounds one check, retries included: a check the API
	// leaves hanging frees its slot then, and counts as a failed check.
	checkTimeout time.Duration
	// keepIdle is how long an operation nobody waits on stays in the
	// table; maxTracked bounds the table (see pruneLocked).
	keepIdle   time.Duration
	maxTracked int
}

// Defaults of the poller's bounds.
const (
	defaultCheckTimeout = 30 * time.Second
	defaultKeepIdle     = 10 * time.Minute
	defaultMaxTracked   = 10000
)

// defaultPollOptions: the first check comes 1 s after the action (a power
// action often finishes within seconds, and a stand-in or test server at
// once); the pause then grows by half per "Not ready" up to 20 s, so a
// 20-minute reinstall costs only a few checks more than starting at 2 s.
func defaultPollOptions() pollOptions {
	return pollOptions{minInterval: time.Second, maxInterval: 20 * time.Second,
		concurrency: 8, perSecond: 20, maxFailures: 6,
		checkTimeout: defaultCheckTimeout, keepIdle: defaultKeepIdle, maxTracked: defaultMaxTracked}
}

// poller is the one scheduler behind every wait of a client. Pending
// operations sit in a heap ordered by their next check; a single loop
// goroutine (alive only while something is queued) starts each check when it
// is due, within a concurrency bound and a request budget, on at most
// `concurrency` short-lived worker goroutines. Nothing grows per operation
// but the operation itself.
type poller struct {
	c    *Client
	opts pollOptions

	mu        sync.Mutex
	queue     opQueue
	ops       map[opKey]*Operation // pending operations by key, so resumes share them
	running   bool
	closed    bool
	wake      chan struct{}
	sem       chan struct{}
	nextSlot  time.Time // budget: earliest start of the next check
	lastPrune time.Time
	pruneAt   int // table size that forces a prune before the minute is up
	ctx       context.Context
	cancel    context.CancelFunc
}

type opKey struct {
	kind callbackKind
	key  string
}

func newPoller(c *Client, opts pollOptions) *poller {
	ctx, cancel := context.WithCancel(context.Background())
	return &poller{c: c, opts: opts, ops: make(map[opKey]*Operation), pruneAt: opts.maxTracked,
		wake: make(chan struct{}, 1), sem: make(chan struct{}, opts.concurrency), ctx: ctx, cancel: cancel}
}

func (p *poller) newOperation(key string, kind callbackKind, module, action string, serverID int, resumed bool) *Operation {
	return &Operation{c: p.c, key: key, kind: kind, module: module, action: action, serverID: serverID,
		resumed: resumed, changed: make(chan struct{}), done: make(chan struct{}), index: -1}
}

// operation returns the pending Operation for key, creating it if needed.
func (p *poller) operation(key string, kind callbackKind, module, action string, serverID int, resumed bool) *Operation {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pruneLocked(time.Now())
	k := opKey{kind, key}
	if op, ok := p.ops[k]; ok {
		return op
	}
	op := p.newOperation(key, kind, module, action, serverID, resumed)
	op.idleSince = time.Now()
	p.ops[k] = op
	return op
}

// keepFinished is how long a finished operation stays findable by its key,
// so that resuming a key just after its Wait returned gets the kept OK
// rather than a "not found" from the API.
const keepFinished = 5 * time.Minute

// retireLocked marks op finished in the table; pruneLocked drops it later.
func (p *poller) retireLocked(op *Operation) {
	op.retiredAt = time.Now()
}

// pruneLocked bounds the table of operations by key. It forgets
//   - an operation finished more than keepFinished ago;
//   - an operation nobody has waited on for keepIdle (10 minutes): never
//     waited on, or abandoned (every Wait's context ended);
//   - while the table holds more than maxTracked (10000) operations, the
//     finished ones and then the longest idle ones, oldest first.
//
// Operations being waited on are never dropped. A dropped operation still
// works for whoever holds it (its next Wait puts it back in the table); a
// ResumeOperation for its key after the drop builds a new one. The walk runs
// at most once a minute, or when the table outgrows its bound.
func (p *poller) pruneLocked(now time.Time) {
	over := len(p.ops) >= p.pruneAt
	if now.Sub(p.lastPrune) < time.Minute && !over {
		return
	}
	p.lastPrune = now
	var idle []*Operation
	for k, op := range p.ops {
		switch {
		case !op.retiredAt.IsZero() && now.Sub(op.retiredAt) > keepFinished:
			delete(p.ops, k)
		case op.waiters > 0 || op.queued || op.inflight:
		case op.retiredAt.IsZero() && now.Sub(op.idleSince) > p.opts.keepIdle:
			delete(p.ops, k)
		default:
			idle = append(idle, op)
		}
	}
	if excess := len(p.ops) - p.opts.maxTracked; excess > 0 {
		// finished first, then by idle time, oldest first
		sort.Slice(idle, func(i, j int) bool {
			a, b := idle[i], idle[j]
			if a.retiredAt.IsZero() != b.retiredAt.IsZero() {
				return !a.retiredAt.IsZero()
			}
			return a.idleSince.Before(b.idleSince)
		})
		for _, op := range idle[:min(excess, len(idle))] {
			delete(p.ops, opKey{op.kind, op.key})
		}
	}
	// Operations in use may keep the table above its bound: walk again only
	// once it has grown by a quarter more.
	p.pruneAt = max(p.opts.maxTracked, len(p.ops)+p.opts.maxTracked/4+1)
}

// watch registers a waiter on op and makes sure op is being polled.
func (p *poller) watch(op *Operation) {
	p.mu.Lock()
	defer p.mu.Unlock()
	op.waiters++
	if op.key != "" {
		if k := (opKey{op.kind, op.key}); p.ops[k] == nil {
			p.ops[k] = op // dropped while idle: findable by its key again
		}
	}
	if isClosed(op.done) || op.queued || op.inflight {
		return
	}
	if p.closed {
		go op.finish(nil, ErrClosed)
		return
	}
	if op.interval == 0 {
		op.interval = p.opts.minInterval
		op.next = time.Now() // first check at once: fast actions answer quickly
	}
	p.pushLocked(op)
}

// unwatch drops a waiter; an operation nobody waits for leaves the queue at
// its next turn (its key stays valid on the server for a later wait).
func (p *poller) unwatch(op *Operation) {
	p.mu.Lock()
	op.waiters--
	if op.waiters <= 0 {
		op.idleSince = time.Now()
	}
	p.mu.Unlock()
}

func (p *poller) pushLocked(op *Operation) {
	heap.Push(&p.queue, op)
	op.queued = true
	if !p.running {
		p.running = true
		go p.loop()
	} else {
		select {
		case p.wake <- struct{}{}:
		default:
		}
	}
}

// loop starts checks when they are due. It exits when the queue is empty.
func (p *poller) loop() {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		p.mu.Lock()
		if p.closed || len(p.queue) == 0 {
			p.running = false
			p.mu.Unlock()
			return
		}
		op := p.queue[0]
		if op.waiters <= 0 {
			heap.Pop(&p.queue)
			op.queued = false
			p.mu.Unlock()
			continue
		}
		now := time.Now()
		due := op.next
		if p.nextSlot.After(due) {
			due = p.nextSlot
		}
		if wait := due.Sub(now); wait > 0 {
			p.mu.Unlock()
			timer.Reset(wait)
			select {
			case <-timer.C:
			case <-p.wake:
				if !timer.Stop() {
					<-timer.C
				}
			case <-p.ctx.Done():
			}
			continue
		}
		p.mu.Unlock()

		select { // concurrency bound
		case p.sem <- struct{}{}:
		case <-p.ctx.Done():
			continue
		}
		p.mu.Lock()
		if len(p.queue) == 0 || p.queue[0] != op || p.closed {
			p.mu.Unlock()
			<-p.sem
			continue
		}
		heap.Pop(&p.queue)
		op.queued, op.inflight = false, true
		op.checks++
		slot := time.Duration(float64(time.Second) / p.opts.perSecond)
		if p.nextSlot.Before(now) {
			p.nextSlot = now
		}
		p.nextSlot = p.nextSlot.Add(slot)
		p.mu.Unlock()
		go p.run(op)
	}
}

// run performs one check of op and schedules the next.
func (p *poller) run(op *Operation) {
	defer func() { <-p.sem }()
	// Each check has its own deadline, so a key the API leaves hanging
	// frees its slot for the others.
	ctx, cancel := context.WithTimeout(p.ctx, p.opts.checkTimeout)
	pending, err := p.c.checkOperation(ctx, op)
	cancel()

	p.mu.Lock()
	defer p.mu.Unlock()
	op.inflight = false
	if !pending || p.closed {
		p.retireLocked(op)
		if p.closed && pending {
			go op.finish(nil, ErrClosed)
		}
		return
	}
	// A 429 is the API asking for patience, not failing: wait as long as it
	// says (at least), without counting it against the operation.
	var wait time.Duration
	var apiErr *APIError
	if errors.As(err, &apiErr) && errors.Is(err, ErrRateLimited) {
		wait = apiErr.RetryAfter
	} else if err != nil {
		op.failures++
		if op.failures >= p.opts.maxFailures {
			p.retireLocked(op)
			go op.finish(nil, err)
			return
		}
	} else {
		op.failures = 0
	}
	op.interval = p.nextInterval(op, err)
	op.next = time.Now().Add(max(jitter(op.interval), wait))
	if op.waiters > 0 {
		p.pushLocked(op)
	}
}

// nextInterval grows the pause by half after "Not ready" or a failure, up to
// the maximum, and returns to the minimum after a new stage, so stages of a
// reinstall are seen soon after they happen.
func (p *poller) nextInterval(op *Operation, err error) time.Duration {
	if err == nil && op.stages > 0 && op.lastStages != op.stages {
		op.lastStages = op.stages
		return p.opts.minInterval
	}
	d := op.interval + op.interval/2
	if d > p.opts.maxInterval {
		d = p.opts.maxInterval
	}
	return d
}

// jitter spreads d over ±10%, so many operations started together do not
// poll in lockstep.
func jitter(d time.Duration) time.Duration {
	spread := int64(d) / 10
	if spread <= 0 {
		return d
	}
	return d - time.Duration(spread) + time.Duration(rand.Int64N(2*spread+1))
}

// close stops polling and ends every pending wait.
func (p *poller) close() {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.closed = true
	pending := make([]*Operation, 0, len(p.ops))
	for _, op := range p.ops {
		if !op.inflight {
			pending = append(pending, op)
		}
	}
	p.queue = nil
	p.mu.Unlock()
	p.cancel()
	for _, op := range pending {
		op.finish(nil, ErrClosed)
	}
}

// opQueue is a min-heap of operations by next check time.
type opQueue []*Operation

func (q opQueue) Len() int           { return len(q) }
func (q opQueue) Less(i, j int) bool { return q[i].next.Before(q[j].next) }
func (q opQueue) Swap(i, j int) {
	q[i], q[j] = q[j], q[i]
	q[i].index, q[j].index = i, j
}
func (q *opQueue) Push(x any) {
	op := x.(*Operation)
	op.index = len(*q)
	*q = append(*q, op)
}
func (q *opQueue) Pop() any {
	old := *q
	n := len(old)
	op := old[n-1]
	old[n-1] = nil
	op.index = -1
	*q = old[:n-1]
	return op
}
