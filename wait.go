package invapi

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// WaitError is a wait that ended before its operation did, because ctx was
// cancelled or its deadline passed. The operation may still finish on the
// API: resume the wait with Client.ResumeOperation(Key, CallbackModule).
// errors.Is(err, context.DeadlineExceeded) (or context.Canceled) holds.
type WaitError struct {
	Key            string // the callback key
	CallbackModule string // "eq_callback" or "nat_callback"
	Module         string // module of the action that started the operation ("" when resumed)
	Action         string // "reboot", "order_instance"...
	ServerID       int    // the server concerned, when known
	Err            error  // ctx.Err()
}

// Error names the operation and its key, and says the operation may still
// finish: resume it with Client.ResumeOperation.
func (e *WaitError) Error() string {
	what := e.Module + "/" + e.Action
	if e.Module == "" && e.Action == "" {
		what = "resumed operation"
	}
	if e.ServerID > 0 {
		what += fmt.Sprintf(" of server %d", e.ServerID)
	}
	return fmt.Sprintf("invapi: %s: stopped waiting for callback key %s (it may still finish; resume it): %v", what, e.Key, e.Err)
}

// Unwrap returns ctx's error, so errors.Is(err, context.DeadlineExceeded)
// holds.
func (e *WaitError) Unwrap() error { return e.Err }

// waitErr is the error of a wait on op that ctx ended.
func (op *Operation) waitErr(ctx context.Context) error {
	return &WaitError{Key: op.key, CallbackModule: op.kind.module(), Module: op.module, Action: op.action,
		ServerID: op.serverID, Err: ctx.Err()}
}

// WaitAllOptions tune WaitAll and StartAndWaitAll. The zero value (or nil)
// waits for everything and returns every error.
type WaitAllOptions struct {
	// FailFast stops at the first failure: the waits still running end
	// with a *WaitError (their operations go on on the API and can be
	// resumed by key), servers not yet started are not started, and the
	// error returned is that first failure.
	FailFast bool
	// Concurrency bounds, for StartAndWaitAll, how many servers are under
	// way at once (started and not yet finished); 0 means 8. WaitAll needs
	// no bound: every wait shares the client's one poller, which bounds the
	// checks in flight and their rate (WithPollConcurrency, WithPollBudget).
	Concurrency int
}

// OperationOutcome is how one operation of WaitAll or StartAndWaitAll
// ended.
type OperationOutcome struct {
	ServerID  int
	Operation *Operation // nil when it was not started, or its start failed
	// Started is false for a server StartAndWaitAll did not start, because
	// an earlier one failed (FailFast) or ctx ended first.
	Started bool
	Result  *OperationResult // the OK answer; nil on failure
	Err     error            // nil on success
}

// Key returns the operation's callback key, "" when there is none.
func (o *OperationOutcome) Key() string {
	if o.Operation == nil {
		return ""
	}
	return o.Operation.Key()
}

// WaitAll waits for every operation (on the client's one shared poller)
// and returns their outcomes, outcomes[i] for ops[i]. The error is nil when
// all succeeded; else, with FailFast, the first failure, and without it
// every failure joined (errors.Join), each naming its server. A deadline of
// ctx ends each pending wait with a *WaitError naming its key, action and
// server.
func WaitAll(ctx context.Context, ops []*Operation, opts *WaitAllOptions) ([]OperationOutcome, error) {
	if opts == nil {
		opts = &WaitAllOptions{}
	}
	out := make([]OperationOutcome, len(ops))
	b := newBatch(ctx, opts)
	defer b.cancel(nil)
	for i, op := range ops {
		out[i] = OperationOutcome{Operation: op, Started: true}
		if op == nil {
			out[i].Err = invalid("operation", "ops[%d] is nil", i)
			b.failed(out[i].Err)
			continue
		}
		out[i].ServerID = op.ServerID()
		b.wg.Add(1)
		go func() {
			defer b.wg.Done()
			out[i].Result, out[i].Err = op.Wait(b.ctx)
			b.failed(out[i].Err)
		}()
	}
	b.wg.Wait()
	return out, b.result(out)
}

// StartAndWaitAll starts an operation for each server with start (for
// example c.Eq.Reboot), at most Concurrency at once, waits for each, and
// returns their outcomes, outcomes[i] for serverIDs[i]. A start that fails
// is never retried (a state change may have reached the API: its error
// says so). The error is as for WaitAll.
//
//	outcomes, err := invapi.StartAndWaitAll(ctx, ids, c.Eq.Reboot, &invapi.WaitAllOptions{Concurrency: 5})
func StartAndWaitAll(ctx context.Context, serverIDs []int, start func(ctx context.Context, id int) (*Operation, error),
	opts *WaitAllOptions) ([]OperationOutcome, error) {
	if opts == nil {
		opts = &WaitAllOptions{}
	}
	if start == nil {
		return nil, invalid("start", "is nil")
	}
	limit := opts.Concurrency
	if limit <= 0 {
		limit = 8
	}
	out := make([]OperationOutcome, len(serverIDs))
	b := newBatch(ctx, opts)
	defer b.cancel(nil)
	sem := make(chan struct{}, limit)
	for i, id := range serverIDs {
		out[i] = OperationOutcome{ServerID: id}
		select {
		case sem <- struct{}{}:
		case <-b.ctx.Done():
		}
		if b.ctx.Err() != nil {
			out[i].Err = fmt.Errorf("invapi: server %d not started (%v): %w", id, context.Cause(b.ctx), b.ctx.Err())
			continue
		}
		out[i].Started = true
		b.wg.Add(1)
		go func() {
			defer func() { <-sem; b.wg.Done() }()
			op, err := start(b.ctx, id)
			if err != nil {
				out[i].Err = err
				b.failed(err)
				return
			}
			out[i].Operation = op
			if op == nil {
				return
			}
			out[i].Result, out[i].Err = op.Wait(b.ctx)
			b.failed(out[i].Err)
		}()
	}
	b.wg.Wait()
	return out, b.result(out)
}

// errStoppedEarly is the cause of a FailFast batch's cancellation.
var errStoppedEarly = errors.New("an earlier operation failed")

// batch is the shared state of WaitAll and StartAndWaitAll.
type batch struct {
	ctx      context.Context
	cancel   context.CancelCauseFunc
	failFast bool
	wg       sync.WaitGroup

	mu    sync.Mutex
	first error
}

func newBatch(ctx context.Context, opts *WaitAllOptions) *batch {
	cctx, cancel := context.WithCancelCause(ctx)
	return &batch{ctx: cctx, cancel: cancel, failFast: opts.FailFast}
}

// failed records err (nil is ignored); the first one stops a FailFast batch.
func (b *batch) failed(err error) {
	if err == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.first != nil {
		return
	}
	b.first = err
	if b.failFast {
		b.cancel(errStoppedEarly)
	}
}

// result is the batch's error: the first failure with FailFast, else every
// failure joined, each naming its server.
func (b *batch) result(out []OperationOutcome) error {
	b.mu.Lock()
	first := b.first
	b.mu.Unlock()
	if first == nil {
		return nil
	}
	if b.failFast {
		return first
	}
	var errs []error
	for _, o := range out {
		if o.Err == nil {
			continue
		}
		var we *WaitError
		if errors.As(o.Err, &we) || o.ServerID <= 0 {
			errs = append(errs, o.Err) // names its server already, or has none
		} else {
			errs = append(errs, fmt.Errorf("server %d: %w", o.ServerID, o.Err))
		}
	}
	return errors.Join(errs...)
}
