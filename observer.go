package invapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Observer watches what a client does: every HTTP attempt, retry and wait
// of the rate limiter, every callback check and the end of every
// operation. Set it with WithObserver; each field is optional, and a nil
// field costs nothing. Like net/http/httptrace.ClientTrace, new fields
// may be added in later versions, so build it with field names.
//
// The events carry names, numbers, durations and categories, never a
// secret: no token, PIN, password, API key, form field or answer text.
// Callback keys are not secrets and are shown.
//
// The hooks are called on the goroutine making the request, outside the
// client's locks, and are part of its latency: keep them quick (count,
// record a metric, hand off to a channel). A hook may call the client. A
// hook that panics does not bring the client down: the panic is recovered
// and logged at debug level (the hook's name and the panic value's type,
// never the value), and the request goes on.
type Observer struct {
	// OnRequestStart is called when an HTTP attempt leaves for the API,
	// after any wait in the rate limiter.
	OnRequestStart func(RequestStartInfo)
	// OnRequestDone is called when an attempt has its outcome.
	OnRequestDone func(RequestDoneInfo)
	// OnRetry is called before an attempt after the first of one call:
	// a retried read, a state change the API proved it did not receive, a
	// call sent again after a new login.
	OnRetry func(RetryInfo)
	// OnRateLimitWait is called when an attempt had to wait in the rate
	// limiter, with how long and why.
	OnRateLimitWait func(RateLimitWaitInfo)
	// OnPollCheck is called when a callback check of the poller has its
	// answer, on the poller's goroutine.
	OnPollCheck func(PollCheckInfo)
	// OnOperationDone is called once when an operation ends: finished,
	// failed, or given up (the client closed, too many failed checks).
	// Waiters are released first, so it may come just after Wait returns;
	// the final check's OnPollCheck comes before it.
	OnOperationDone func(OperationDoneInfo)
}

// Error categories of RequestDoneInfo.Err and RetryInfo.Reason: a small
// stable set, to count and to alert on.
const (
	CategoryNone         = ""             // success
	CategoryNetwork      = "network"      // no answer: connection failed, broke off, timed out
	CategoryServer       = "server"       // HTTP 5xx, or an API error reported as a server error
	CategoryRateLimited  = "rate_limited" // HTTP 429 or the API's "too many requests"
	CategoryUnauthorized = "unauthorized" // the session or the credentials were refused
	CategoryAPI          = "api"          // the API refused the call (wrong PIN, not found, access denied...)
	CategoryBadAnswer    = "bad_answer"   // an answer the SDK could not read
	CategoryCanceled     = "canceled"     // the caller's context ended
	CategoryClosed       = "closed"       // the client was closed
)

// RequestStartInfo describes an HTTP attempt as it leaves.
type RequestStartInfo struct {
	Module  string // "eq"
	Action  string // "show"
	Class   string // "read", "change" or "money"
	Attempt int    // 1 for the first attempt of a call
}

// RequestDoneInfo describes the outcome of one HTTP attempt.
type RequestDoneInfo struct {
	Module     string
	Action     string
	Class      string
	Attempt    int
	HTTPStatus int           // 0 when no answer arrived
	Duration   time.Duration // on the wire: from leaving to the answer's headers, or to the whole call's outcome for its last attempt
	// Err is the error category (Category*), "" for a success. For the
	// last attempt of a call it is the call's outcome as the SDK read it
	// (an HTTP 200 whose body refuses the call is "api"); for an attempt
	// that was retried, what its HTTP answer showed.
	Err string
}

// RetryInfo describes an attempt about to be made after an earlier one of
// the same call.
type RetryInfo struct {
	Module  string
	Action  string
	Class   string
	Attempt int           // the attempt about to be made: 2 for the first retry
	Reason  string        // the category of the attempt before (Category*)
	After   time.Duration // since the attempt before ended
}

// RateLimitWaitInfo describes a wait in the client-wide rate limiter.
type RateLimitWaitInfo struct {
	Module string
	Action string
	Class  string
	Wait   time.Duration
	// Reason is what the request waited for when it was queued:
	// "retry_after" (the API answered 429 or 503 with a Retry-After of
	// 3 s or more, or any with adaptation off, and every request waits it
	// out),
	// "rate" (the rate allowed now), "concurrency"
	// (the window on requests in flight, before any 429), "queue" (other
	// requests were waiting first).
	Reason string
}

// PollCheckInfo describes one callback check of the poller.
type PollCheckInfo struct {
	Module string // the action's module ("eq"), not the callback module
	Action string // "reboot"
	Key    string // the callback key (not a secret)
	Check  int    // 1 for the first check of this operation
	// Status is what the check read: "Not ready", "Stage", "OK",
	// "Failed", or "error" when it got no usable answer (network, 5xx,
	// 429...; the poller checks again later).
	Status   string
	Err      string // the error category when Status is "error"
	Duration time.Duration
}

// OperationDoneInfo describes the end of an operation.
type OperationDoneInfo struct {
	Module   string
	Action   string
	Key      string
	Duration time.Duration // since the SDK learned the key
	Checks   int           // callback checks sent
	// Outcome is "OK", "Failed" (the API reported a failure, or the
	// poller gave up), "unknown" (the key is gone or the answer did not
	// say how it ended: see OutcomeUnknownError) or "closed".
	Outcome string
	Err     string // the error category, "" for OK
}

// Check statuses of PollCheckInfo.
const checkError = "error"

// safely runs a hook, recovering from a panic.
func (c *Client) safely(hook string, f func()) {
	defer func() {
		if r := recover(); r != nil {
			// Only the panic's type: its value may hold anything, a
			// token the client has not learned to mask yet included.
			c.logger.LogAttrs(context.Background(), slog.LevelDebug, "invapi observer panicked",
				slog.String("hook", hook), slog.String("panic", fmt.Sprintf("%T", r)))
		}
	}()
	f()
}

// callTrace follows one call (one exchange) for the observer: its
// attempts, numbered across go-retryablehttp's retries, the state
// change's resend after a refused connection, and the resend after a new
// login. The attempts of one call are sequential, on one goroutine.
type callTrace struct {
	c        *Client
	ep       *endpoint
	class    string
	attempt  int
	pending  bool // an attempt whose Done waits for the call's outcome
	start    time.Time
	end      time.Time
	status   int
	category string
}

type traceKey struct{}

// traced returns ctx carrying a new trace of a call to ep, when the
// client has an observer; else ctx and nil.
func (c *Client) traced(ctx context.Context, ep *endpoint) (context.Context, *callTrace) {
	if c.observer == nil {
		return ctx, nil
	}
	t := &callTrace{c: c, ep: ep, class: ep.class.String()}
	return context.WithValue(ctx, traceKey{}, t), t
}

func traceOf(ctx context.Context) *callTrace {
	t, _ := ctx.Value(traceKey{}).(*callTrace)
	return t
}

// beforeAttempt runs as an attempt reaches the limiter: the attempt
// before, if any, ends, and this one is a retry.
func (t *callTrace) beforeAttempt() {
	if t == nil || t.attempt == 0 {
		return
	}
	if t.pending {
		// A 2xx or 4xx answer is sent again only when the SDK could not
		// read it or the session was refused.
		cat := CategoryBadAnswer
		if t.status >= 400 {
			cat = CategoryUnauthorized
		}
		t.emitDone(cat)
	}
	o := t.c.observer
	if o.OnRetry != nil {
		info := RetryInfo{Module: t.ep.module, Action: t.ep.action, Class: t.class,
			Attempt: t.attempt + 1, Reason: t.category, After: time.Since(t.end)}
		t.c.safely("OnRetry", func() { o.OnRetry(info) })
	}
}

func (t *callTrace) attemptStart(g grant) {
	o := t.c.observer
	if g.waited > 0 && o.OnRateLimitWait != nil {
		info := RateLimitWaitInfo{Module: t.ep.module, Action: t.ep.action, Class: t.class, Wait: g.waited, Reason: g.reason}
		t.c.safely("OnRateLimitWait", func() { o.OnRateLimitWait(info) })
	}
	t.attempt++
	t.start, t.status, t.category, t.pending = time.Now(), 0, "", false
	if o.OnRequestStart != nil {
		info := RequestStartInfo{Module: t.ep.module, Action: t.ep.action, Class: t.class, Attempt: t.attempt}
		t.c.safely("OnRequestStart", func() { o.OnRequestStart(info) })
	}
}

// attemptDone records an attempt's HTTP outcome. One whose category the
// status settles (no answer, 401, 429, 5xx) is reported at once; a 2xx or
// another 4xx waits for the call's reading of the body (finish) or for
// the next attempt.
func (t *callTrace) attemptDone(status int, err error) {
	t.end, t.status = time.Now(), status
	switch {
	case err != nil:
		t.emitDone(CategoryNetwork)
	case status == 429:
		t.emitDone(CategoryRateLimited)
	case status == 401:
		t.emitDone(CategoryUnauthorized)
	case status >= 500:
		t.emitDone(CategoryServer)
	default:
		t.pending = true
	}
}

func (t *callTrace) emitDone(category string) {
	t.pending, t.category = false, category
	o := t.c.observer
	if o.OnRequestDone == nil {
		return
	}
	info := RequestDoneInfo{Module: t.ep.module, Action: t.ep.action, Class: t.class, Attempt: t.attempt,
		HTTPStatus: t.status, Duration: t.end.Sub(t.start), Err: category}
	t.c.safely("OnRequestDone", func() { o.OnRequestDone(info) })
}

// finish ends the call: its last attempt, if its Done waited, takes the
// category of the call's outcome.
func (t *callTrace) finish(err error) {
	if t == nil || !t.pending {
		return
	}
	t.end = time.Now()
	t.emitDone(categoryOf(err))
}

// categoryOf sorts an error of the request path into a Category*.
func categoryOf(err error) string {
	var rerr *ResponseError
	var apiErr *APIError
	switch {
	case err == nil:
		return CategoryNone
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return CategoryCanceled
	case errors.Is(err, ErrClosed):
		return CategoryClosed
	case errors.Is(err, ErrRateLimited):
		return CategoryRateLimited
	case errors.Is(err, ErrUnauthorized) || errors.Is(err, ErrTwoFactorRequired):
		return CategoryUnauthorized
	case errors.Is(err, ErrNetwork):
		return CategoryNetwork
	case errors.Is(err, ErrServer):
		return CategoryServer
	case errors.As(err, &rerr):
		if rerr.HTTPStatus >= 500 {
			return CategoryServer
		}
		return CategoryBadAnswer
	case errors.As(err, &apiErr):
		return CategoryAPI
	}
	return CategoryBadAnswer
}

// observeCheck reports a check of w's operation, sent at sent, that
// answered r (nothing without an observer). It runs on the check's
// goroutine before the poller records the answer, so w.checks is this
// check's number.
func (c *Client) observeCheck(w *pollState, sent time.Time, r checkResult) {
	if c.observer == nil || c.observer.OnPollCheck == nil {
		return
	}
	op := w.op
	info := PollCheckInfo{Module: op.module, Action: op.action, Key: op.key, Check: w.checks, Duration: time.Since(sent)}
	switch {
	case r.answer != answerFinal && r.err != nil:
		info.Status, info.Err = checkError, categoryOf(r.err)
	case r.answer == answerStage:
		info.Status = string(StatusStage)
	case r.answer == answerPending:
		info.Status = string(StatusPending)
	case r.err != nil:
		info.Status, info.Err = string(StatusFailed), categoryOf(r.err)
	default:
		info.Status = string(StatusDone)
	}
	o := c.observer
	c.safely("OnPollCheck", func() { o.OnPollCheck(info) })
}

// operationDone reports the end of op (called once, by finish).
func (c *Client) operationDone(op *Operation, err error) {
	if c == nil || c.observer == nil || c.observer.OnOperationDone == nil {
		return
	}
	info := OperationDoneInfo{Module: op.module, Action: op.action, Key: op.key,
		Duration: op.age(), Checks: op.checksSeen(), Outcome: string(StatusDone)}
	var unknown *OutcomeUnknownError
	var opErr *OperationError
	switch {
	case err == nil:
	case errors.Is(err, ErrClosed):
		info.Outcome, info.Err = "closed", CategoryClosed
	case errors.As(err, &unknown) || (errors.As(err, &opErr) && opErr.Gone):
		info.Outcome, info.Err = "unknown", categoryOf(err)
	default:
		info.Outcome, info.Err = string(StatusFailed), categoryOf(err)
		if errors.As(err, &opErr) {
			info.Err = CategoryAPI
		}
	}
	o := c.observer
	c.safely("OnOperationDone", func() { o.OnOperationDone(info) })
}

// checksSeen is the number of checks sent for op (the poller's mutex
// guards it; finish is never called with it held).
func (op *Operation) checksSeen() int {
	if op.c == nil || op.c.poller == nil || op.poll == nil {
		return 0
	}
	op.c.poller.mu.Lock()
	defer op.c.poller.mu.Unlock()
	return op.poll.checks
}

// age is how long ago op was made (its record's start is set once, when
// the poller makes it).
func (op *Operation) age() time.Duration {
	if op.poll == nil {
		return 0
	}
	return time.Since(op.poll.start)
}
