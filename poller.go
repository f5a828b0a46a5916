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
	minInterval time.Duration // shortest pause between checks of one key (the first check may come sooner)
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

// defaultPollOptions: pauses between 1 s and 20 s. A fresh client checks a
// new operation at once (its priors keep a share for actions that answer at
// once, and a stand-in or test server does), then where its kind's priors,
// and soon what the client saw, say operations finish (poller_schedule.go).
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
// but the operation itself and its pollState.
//
// When to check is learned (poller_schedule.go): per kind of action, the
// poller keeps what it saw of completion times and places each operation's
// checks where operations of its kind finished before.
type poller struct {
	c    *Client
	opts pollOptions

	mu        sync.Mutex
	queue     opQueue
	ops       map[opKey]*pollState // pending operations by key, so resumes share them
	running   bool
	closed    bool
	wake      chan struct{}
	sem       chan struct{}
	nextSlot  time.Time // budget: earliest start of the next check
	lastPrune time.Time
	pruneAt   int // table size that forces a prune before the minute is up
	ctx       context.Context
	cancel    context.CancelFunc

	learned  learner // completion times by kind of action
	checks   int64   // checks sent
	finished int64   // operations ended by the poller (not by Close)
}

// pollState is the poller's record of one operation: who waits on it, its
// place in the queue, when its next check is due, and what its checks saw
// so far (for the schedule and for learning). Every field is guarded by the
// poller's mutex.
type pollState struct {
	op *Operation

	waiters   int
	queued    bool
	inflight  bool
	index     int       // in the queue, -1 when not queued
	next      time.Time // when the next check is due
	interval  time.Duration
	failures  int       // consecutive failed checks
	checks    int       // checks sent
	retiredAt time.Time // when the poller saw it finish
	idleSince time.Time // since when nobody waits on it
	ended     bool      // ended has run
	sent      time.Time // when the last check went out

	// The schedule (poller_schedule.go).
	kind      opKind
	phase     float64   // how far into a round this operation's check after a skip comes early, in [0, 1)
	start     time.Time // when the Operation was made (the action's answer, or the resume)
	ref       time.Time // the last event: start, or the check that saw the last stage
	stage     int       // stages seen
	lastSent  time.Time // the last check since ref that saw nothing new (zero: none)
	lastEmpty time.Time // the last check that saw the operation not finished (zero: none)
}

type opKey struct {
	kind callbackKind
	key  string
}

func newPoller(c *Client, opts pollOptions) *poller {
	ctx, cancel := context.WithCancel(context.Background())
	return &poller{c: c, opts: opts, ops: make(map[opKey]*pollState), pruneAt: opts.maxTracked,
		wake: make(chan struct{}, 1), sem: make(chan struct{}, opts.concurrency), ctx: ctx, cancel: cancel}
}

func (p *poller) newOperation(key string, kind callbackKind, module, action string, serverID int, resumed bool) *Operation {
	now := time.Now()
	op := &Operation{c: p.c, key: key, kind: kind, module: module, action: action, serverID: serverID,
		resumed: resumed, changed: make(chan struct{}), done: make(chan struct{})}
	op.poll = &pollState{op: op, index: -1, kind: actionKind(kind, module, action), phase: rand.Float64(),
		start: now, ref: now, idleSince: now}
	return op
}

// operation returns the pending Operation for key, creating it if needed.
func (p *poller) operation(key string, kind callbackKind, module, action string, serverID int, resumed bool) *Operation {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pruneLocked(time.Now())
	k := opKey{kind, key}
	if w, ok := p.ops[k]; ok {
		return w.op
	}
	op := p.newOperation(key, kind, module, action, serverID, resumed)
	p.ops[k] = op.poll
	return op
}

// keepFinished is how long a finished operation stays findable by its key,
// so that resuming a key just after its Wait returned gets the kept OK
// rather than a "not found" from the API.
const keepFinished = 5 * time.Minute

// retireLocked marks w finished in the table; pruneLocked drops it later.
func (p *poller) retireLocked(w *pollState) {
	w.retiredAt = time.Now()
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
	var idle []*pollState
	for k, w := range p.ops {
		switch {
		case !w.retiredAt.IsZero() && now.Sub(w.retiredAt) > keepFinished:
			delete(p.ops, k)
		case w.waiters > 0 || w.queued || w.inflight:
		case w.retiredAt.IsZero() && now.Sub(w.idleSince) > p.opts.keepIdle:
			delete(p.ops, k)
		default:
			idle = append(idle, w)
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
		for _, w := range idle[:min(excess, len(idle))] {
			delete(p.ops, opKey{w.op.kind, w.op.key})
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
	w := op.poll
	w.waiters++
	if op.key != "" {
		if k := (opKey{op.kind, op.key}); p.ops[k] == nil {
			p.ops[k] = w // dropped while idle: findable by its key again
		}
	}
	if isClosed(op.done) || w.queued || w.inflight {
		return
	}
	if p.closed {
		go p.ended(w, nil, ErrClosed)
		return
	}
	now := time.Now()
	if w.interval == 0 {
		w.interval = p.opts.minInterval
		// The first check: a lateness after the first completions of its
		// kind may come, or at the cap if sooner (at once on a fresh
		// client, whose priors expect some actions to answer at once).
		w.next = now.Add(p.pauseLocked(w, now, true))
	}
	p.pushLocked(w)
}

// unwatch drops a waiter; an operation nobody waits for leaves the queue at
// its next turn (its key stays valid on the server for a later wait).
func (p *poller) unwatch(op *Operation) {
	p.mu.Lock()
	w := op.poll
	w.waiters--
	if w.waiters <= 0 {
		w.idleSince = time.Now()
	}
	p.mu.Unlock()
}

func (p *poller) pushLocked(w *pollState) {
	heap.Push(&p.queue, w)
	w.queued = true
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
		w := p.queue[0]
		if w.waiters <= 0 {
			heap.Pop(&p.queue)
			w.queued = false
			p.mu.Unlock()
			continue
		}
		now := time.Now()
		due := w.next
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
		if len(p.queue) == 0 || p.queue[0] != w || p.closed {
			p.mu.Unlock()
			<-p.sem
			continue
		}
		heap.Pop(&p.queue)
		w.queued, w.inflight = false, true
		w.checks++
		p.checks++
		slot := time.Duration(float64(time.Second) / p.opts.perSecond)
		if p.nextSlot.Before(now) {
			p.nextSlot = now
		}
		p.nextSlot = p.nextSlot.Add(slot)
		p.mu.Unlock()
		go p.run(w)
	}
}

// run performs one check of w's operation.
func (p *poller) run(w *pollState) {
	defer func() { <-p.sem }()
	// Each check has its own deadline, so a key the API leaves hanging
	// frees its slot for the others.
	ctx, cancel := context.WithTimeout(p.ctx, p.opts.checkTimeout)
	sent := time.Now()
	r := p.c.checkOperation(ctx, w.op)
	cancel()
	p.c.observeCheck(w, sent, r)
	p.checked(w, sent, r)
}

// checked is the one place where a check completes: sent is when it went
// out, r what it said. It ends the operation (ended) or schedules its next
// check.
func (p *poller) checked(w *pollState, sent time.Time, r checkResult) {
	p.mu.Lock()
	w.inflight = false
	w.sent = sent
	if r.answer == answerFinal || p.closed {
		p.mu.Unlock()
		if r.answer == answerFinal {
			p.ended(w, r.res, r.err)
		} else {
			p.ended(w, nil, ErrClosed)
		}
		return
	}
	defer p.mu.Unlock()
	err := r.err
	// A 429 is the API asking for patience, not failing: wait as long as it
	// says (at least), without counting it against the operation.
	var wait time.Duration
	var apiErr *APIError
	if errors.As(err, &apiErr) && errors.Is(err, ErrRateLimited) {
		wait = apiErr.RetryAfter
	} else if err != nil {
		w.failures++
		if w.failures >= p.opts.maxFailures {
			go p.ended(w, nil, err)
			return
		}
	} else {
		w.failures = 0
	}
	now := time.Now()
	if err != nil {
		// A failed check says nothing of the operation: back off, growing
		// the pause by half up to the maximum.
		w.interval = min(w.interval+w.interval/2, p.opts.maxInterval)
		w.next = now.Add(max(jitter(w.interval), wait))
	} else {
		p.notedLocked(w, sent, r.answer)
		w.next = now.Add(p.afterCheckLocked(w, now, r.answer))
	}
	if w.waiters > 0 {
		p.pushLocked(w)
	}
}

// ended is the one place where an operation the poller watched ends, with
// its result or error. Operations that finished with OK teach the schedule
// how long their kind takes.
func (p *poller) ended(w *pollState, res *OperationResult, err error) {
	p.mu.Lock()
	if !w.ended && !isClosed(w.op.done) {
		w.ended = true
		p.retireLocked(w)
		if err == nil {
			p.learnedLocked(w)
		}
		if !errors.Is(err, ErrClosed) {
			p.finished++
		}
	}
	p.mu.Unlock()
	w.op.finish(res, err)
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
	pending := make([]*pollState, 0, len(p.ops))
	for _, w := range p.ops {
		if !w.inflight {
			pending = append(pending, w)
		}
	}
	p.queue = nil
	p.mu.Unlock()
	p.cancel()
	for _, w := range pending {
		p.ended(w, nil, ErrClosed)
	}
}

// opQueue is a min-heap of operations by next check time.
type opQueue []*pollState

func (q opQueue) Len() int           { return len(q) }
func (q opQueue) Less(i, j int) bool { return q[i].next.Before(q[j].next) }
func (q opQueue) Swap(i, j int) {
	q[i], q[j] = q[j], q[i]
	q[i].index, q[j].index = i, j
}
func (q *opQueue) Push(x any) {
	w := x.(*pollState)
	w.index = len(*q)
	*q = append(*q, w)
}
func (q *opQueue) Pop() any {
	old := *q
	n := len(old)
	w := old[n-1]
	old[n-1] = nil
	w.index = -1
	*q = old[:n-1]
	return w
}
