package invapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/invapi-go/invapi/internal/envelope"
	"github.com/invapi-go/invapi/internal/loose"
)

// Operation is an async action under way: InvAPI answered with a callback
// key, and the outcome is read from eq_callback.php (nat_callback.php for NAT
// actions). Wait blocks until it ends; Progress and Watch stream its stages.
//
// A callback key answers "OK" only once, then it is deleted. The Operation
// keeps that answer, so any number of Wait calls on it (and on operations
// resumed from the same key through Client.ResumeOperation) all see it.
// Polling starts with the first Wait, Progress or Watch and stops when nobody
// waits; all operations of a client share one poller.
type Operation struct {
	c        *Client
	key      string
	kind     callbackKind
	module   string
	action   string
	serverID int
	resumed  bool // built from a saved key: its OK may already be gone

	mu      sync.Mutex
	events  []Progress    // every progress event, in order
	changed chan struct{} // closed and replaced on each new event
	done    chan struct{} // closed when the operation ended
	result  *OperationResult
	err     error

	// poll is the poller's record of this operation (poller.go):
	// waiters, its place in the queue, when to check next, what the
	// schedule has learned. It belongs to the poller and is guarded by the
	// poller's mutex; the Operation only carries it, so that an operation
	// dropped from the poller's table keeps its schedule.
	poll *pollState
}

// ProgressStatus is the kind of a progress event.
type ProgressStatus string

// Progress event kinds.
const (
	StatusPending ProgressStatus = "Not ready" // the operation is queued or running (reported once, see Operation.Progress)
	StatusStage   ProgressStatus = "Stage"     // a step completed (reinstalls report five)
	StatusDone    ProgressStatus = "OK"        // finished successfully
	StatusFailed  ProgressStatus = "Failed"    // finished with an error
)

// Progress is one event of an operation.
type Progress struct {
	Status ProgressStatus
	// Step is the action the event belongs to ("reboot", "create_pxe"...):
	// set on the events a workflow passes on; empty on an Operation's own.
	Step    string
	Stage   int    // 1-based number of a StatusStage event
	Message string // the API's "scope" text, e.g. "1st stage: OS installation was started"
	Context OperationContext
	Time    time.Time

	client *Client // masks the client's secrets when the event is printed
}

// Format implements fmt.Formatter: every verb prints the event with the
// client's secrets masked (a stage message may echo the session token).
func (p Progress) Format(f fmt.State, verb rune) {
	type plain Progress
	q := plain(p)
	q.client = nil
	p.client.formatRedacted(f, verb, q, "Progress")
}

// LogValue logs the event with the client's secrets masked.
func (p Progress) LogValue() slog.Value {
	m := p.client.redactOrMask
	return slog.GroupValue(slog.String("status", string(p.Status)), slog.String("step", p.Step),
		slog.Int("stage", p.Stage), slog.String("message", m(p.Message)), slog.Int("id", p.Context.ID),
		slog.Time("time", p.Time))
}

// OperationResult is what a finished operation reported ("OK").
type OperationResult struct {
	Key string
	// Scope is the message to the user (for eq console, the .vv file). When
	// the API sends an object, Scope holds its JSON text.
	Scope   string
	Context OperationContext
	// Debug is the device's output, e.g. "Chassis Power Control: Up/On".
	Debug string
	RawJSON

	client *Client // masks the client's secrets when the result is printed
}

// Format implements fmt.Formatter: every verb prints the result with the
// client's secrets masked (a callback answer may echo the session token).
// The fields themselves are as received.
func (r OperationResult) Format(f fmt.State, verb rune) {
	type plain OperationResult
	p := plain(r)
	p.client = nil
	r.client.formatRedacted(f, verb, p, "OperationResult")
}

// formatRedacted prints v, a method-less copy of a value of the type
// named name, for verb with the client's secrets masked; %#v names the
// type, not the copy's.
func (c *Client) formatRedacted(f fmt.State, verb rune, v any, name string) {
	s := fmt.Sprintf(fmt.FormatString(f, verb), v)
	if verb == 'v' && f.Flag('#') {
		s = strings.Replace(s, "invapi.plain", "invapi."+name, 1)
	}
	_, _ = f.Write([]byte(c.redactOrMask(s)))
}

// LogValue logs the result with the client's secrets masked.
func (r OperationResult) LogValue() slog.Value {
	m := r.client.redactOrMask
	return slog.GroupValue(slog.String("key", r.Key), slog.String("scope", m(r.Scope)),
		slog.String("debug", m(r.Debug)), slog.String("action", r.Context.Action),
		slog.Int("id", r.Context.ID), slog.String("location", m(r.Context.Location)))
}

// OperationContext is the "context" of a callback answer: the request that
// started the operation and data gathered on the way.
type OperationContext struct {
	Action   string `json:"action"`
	ID       int    `json:"id"` // server id
	Location string `json:"location"`
	// Fields holds every context field as text, including those above.
	Fields map[string]string `json:"-"`
}

// Key returns the callback key. Save it to resume the wait later with
// Client.ResumeOperation.
func (op *Operation) Key() string { return op.key }

// Module returns the module of the action that started the operation.
func (op *Operation) Module() string { return op.module }

// Action returns the action that started the operation.
func (op *Operation) Action() string { return op.action }

// ServerID returns the server the operation acts on, when known.
func (op *Operation) ServerID() int { return op.serverID }

// CallbackModule returns "eq_callback" or "nat_callback".
func (op *Operation) CallbackModule() string { return op.kind.module() }

// Done returns a channel closed when the operation has ended. It does not
// start polling by itself: use Wait, Progress or Watch.
func (op *Operation) Done() <-chan struct{} { return op.done }

// Result returns the outcome once the operation has ended, or (nil, nil)
// while it is pending.
func (op *Operation) Result() (*OperationResult, error) {
	op.mu.Lock()
	defer op.mu.Unlock()
	return op.result, op.err
}

// Wait polls until the operation ends or ctx is done (eq_callback.php check;
// nat_callback.php check for NAT). It returns the OK answer, an
// *OperationError (errors.Is ErrOperationFailed or ErrCallbackKeyGone), a
// polling error, or, when ctx ends first, a *WaitError naming the key,
// action and server (errors.Is ctx.Err()). To wait for many, see WaitAll.
func (op *Operation) Wait(ctx context.Context) (*OperationResult, error) {
	select {
	case <-op.done:
		return op.Result()
	default:
	}
	op.c.poller.watch(op)
	defer op.c.poller.unwatch(op)
	select {
	case <-op.done:
		return op.Result()
	case <-ctx.Done():
		return nil, op.waitErr(ctx)
	}
}

// Progress streams the operation's events in order, none dropped, and closes
// the channel after the final one (StatusDone or StatusFailed) or when ctx is
// done. "Not ready" answers are merged: the first is one StatusPending
// event, and the "Not ready" answers after it (before or between stages)
// add none, so a wait of any length yields at most one StatusPending (none
// when the first answer is already a stage or the result), one StatusStage
// per stage, and the final event. Call Wait afterwards for the result. A slow reader never stalls the
// poller: events are buffered on the Operation. To stop reading early,
// cancel ctx: the goroutine feeding the channel ends with it.
func (op *Operation) Progress(ctx context.Context) <-chan Progress {
	ch := make(chan Progress)
	go func() {
		defer close(ch)
		for p, err := range op.Watch(ctx) {
			if err != nil && p.Status == "" {
				return
			}
			select {
			case ch <- p:
			case <-ctx.Done():
				return
			}
		}
	}()
	return ch
}

// Watch is Progress as an iterator: it yields each event in order; the last
// yields the final event with the operation's error, if any. If ctx ends
// first it yields a zero Progress with a *WaitError (errors.Is ctx.Err()).
//
//	for p, err := range op.Watch(ctx) {
//		if err != nil { return err }
//		fmt.Println(p.Status, p.Message)
//	}
func (op *Operation) Watch(ctx context.Context) iter.Seq2[Progress, error] {
	return func(yield func(Progress, error) bool) {
		op.c.poller.watch(op)
		defer op.c.poller.unwatch(op)
		for i := 0; ; {
			op.mu.Lock()
			events, changed, finished, err := op.events[i:], op.changed, isClosed(op.done), op.err
			op.mu.Unlock()
			for _, p := range events {
				i++
				var perr error
				if p.Status == StatusFailed {
					perr = err
				}
				if !yield(p, perr) {
					return
				}
			}
			if finished && len(events) == 0 {
				return
			}
			if len(events) > 0 {
				continue
			}
			select {
			case <-changed:
			case <-ctx.Done():
				yield(Progress{}, op.waitErr(ctx))
				return
			}
		}
	}
}

// ResumeOperation returns an Operation for a callback key saved earlier
// (Operation.Key), to wait on it again. callbackModule is "eq_callback"
// (default when empty) or "nat_callback". If the key's OK was already read,
// Wait reports ErrCallbackKeyGone.
func (c *Client) ResumeOperation(key, callbackModule string) (*Operation, error) {
	if strings.TrimSpace(key) == "" {
		return nil, invalid("key", "is empty")
	}
	kind := eqCallback
	switch callbackModule {
	case "", "eq_callback", "eq_callback.php":
	case "nat_callback", "nat_callback.php":
		kind = natCallback
	default:
		return nil, invalid("callback module", "must be eq_callback or nat_callback, got %q", callbackModule)
	}
	return c.poller.operation(key, kind, "", "", 0, true), nil
}

// finish records the outcome and releases every waiter.
func (op *Operation) finish(res *OperationResult, err error) {
	if op.finishOnce(res, err) {
		op.c.operationDone(op, err)
	}
}

// finishOnce records the outcome; false if op had one already.
func (op *Operation) finishOnce(res *OperationResult, err error) bool {
	op.mu.Lock()
	defer op.mu.Unlock()
	if isClosed(op.done) {
		return false
	}
	op.result, op.err = res, err
	final := Progress{Status: StatusDone, Time: time.Now()}
	if err != nil {
		final.Status = StatusFailed
		final.Message = err.Error()
	} else if res != nil {
		final.Message, final.Context = res.Scope, res.Context
	}
	op.appendLocked(final)
	close(op.done)
	return true
}

func (op *Operation) appendLocked(p Progress) {
	if p.client == nil {
		p.client = op.c
	}
	op.events = append(op.events, p)
	close(op.changed)
	op.changed = make(chan struct{})
}

func isClosed(ch chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// The callback checks: a read, sent with the key alone (mcp sends no token;
// tf sends one, which the API ignores).
var (
	eqCallbackCheck  = endpoint{module: "eq_callback", action: "check", class: read, noAuth: true, evidence: byClient("tf", "mcp")}
	natCallbackCheck = endpoint{module: "nat_callback", action: "check", class: read, noAuth: true, evidence: documented}
)

// checkAnswer is what one callback check said about an operation.
type checkAnswer uint8

const (
	answerPending checkAnswer = iota // "Not ready", or a transient failure (checkResult.err)
	answerStage                      // "Stage": a step completed, the operation goes on
	answerFinal                      // the operation ended: checkResult.res or checkResult.err
)

// checkResult is the outcome of one check.
type checkResult struct {
	answer checkAnswer
	res    *OperationResult // answerFinal, on success
	err    error            // answerFinal: the operation's error; answerPending: a transient failure
}

// checkOperation asks the callback endpoint about op once. It records the
// progress events on op ("Not ready", "Stage"); ending the operation is the
// poller's (poller.ended), with the result returned here.
func (c *Client) checkOperation(ctx context.Context, op *Operation) checkResult {
	ep := &eqCallbackCheck
	if op.kind == natCallback {
		ep = &natCallbackCheck
	}
	env, _, err := c.exchange(ctx, ep, url.Values{"key": {op.key}}, false)
	if err != nil {
		var apiErr *APIError
		if !errors.As(err, &apiErr) || errors.Is(err, ErrRateLimited) || errors.Is(err, ErrServer) {
			return checkResult{answer: answerPending, err: err} // network, 5xx, 429, unreadable: try again later
		}
		opErr := &OperationError{Key: op.key, Module: op.module, Action: op.action, Message: apiErr.Message, Code: apiErr.Code}
		// A key the API handed out that now reads "not found" was consumed
		// (its OK read by another reader, or by an earlier check whose answer
		// was lost) or expired: whether the operation succeeded is unknown,
		// which is not the same as a failure.
		opErr.Gone = errors.Is(err, ErrNotFound)
		return checkResult{answer: answerFinal, err: opErr}
	}
	switch strings.ToLower(env.Result) {
	case "not ready":
		op.notePending()
		return checkResult{answer: answerPending}
	case "stage":
		op.noteStage(scopeText(env), decodeOpContext(env.Field("context")))
		return checkResult{answer: answerStage}
	case "ok", "success":
		res := &OperationResult{Key: op.key, Scope: scopeText(env), Context: decodeOpContext(env.Field("context")), client: c}
		if raw := env.Field("debug"); len(raw) > 0 {
			res.Debug = rawText(raw)
		}
		res.setRaw(env.Body)
		return checkResult{answer: answerFinal, res: res}
	}
	// An answer that is neither pending, done nor an error (no result, an
	// unknown word) does not say how the action ended: that is not a
	// failure, it is an unknown outcome.
	settle := op.kind.module() + "/check key=" + op.key
	if op.serverID != 0 {
		settle = "eq/show id=" + itoa(op.serverID) + " or " + settle
	}
	return checkResult{answer: answerFinal, err: &OutcomeUnknownError{Module: op.module, Action: op.action, Settle: settle,
		Err: &ResponseError{Module: ep.module, Action: ep.action, HTTPStatus: http.StatusOK, ContentType: "application/json",
			Reason:  c.redact("unexpected callback result " + excerpt(strings.TrimSpace(env.Result+" "+env.Text()), 1<<16)),
			Excerpt: c.redactExcerpt(string(env.Body), 120)}}}
}

// notePending records a "Not ready" answer: the first event of the
// operation is one StatusPending; a "Not ready" after any event adds none.
func (op *Operation) notePending() {
	op.mu.Lock()
	defer op.mu.Unlock()
	if len(op.events) == 0 {
		op.appendLocked(Progress{Status: StatusPending, Time: time.Now()})
	}
}

// noteStage records a "Stage" answer as the next numbered StatusStage event.
func (op *Operation) noteStage(msg string, oc OperationContext) {
	op.mu.Lock()
	defer op.mu.Unlock()
	n := 1
	for _, e := range op.events {
		if e.Status == StatusStage {
			n++
		}
	}
	op.appendLocked(Progress{Status: StatusStage, Stage: n, Message: msg, Context: oc, Time: time.Now()})
}

func scopeText(env *envelope.Envelope) string {
	return rawText(env.Field("scope"))
}

// decodeOpContext reads "context": an object (ids as numbers or strings) or
// a string holding JSON.
func decodeOpContext(raw json.RawMessage) OperationContext {
	var oc OperationContext
	if len(raw) == 0 {
		return oc
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) != nil || !strings.HasPrefix(strings.TrimSpace(s), "{") {
			return oc
		}
		raw = json.RawMessage(s)
	}
	if raw[0] != '{' {
		return oc
	}
	_ = loose.Unmarshal(raw, &oc)
	var fields map[string]json.RawMessage
	if json.Unmarshal(raw, &fields) == nil {
		oc.Fields = make(map[string]string, len(fields))
		for k, v := range fields {
			oc.Fields[k] = rawText(v)
		}
	}
	return oc
}
