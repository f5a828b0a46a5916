package invapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// The procedures the vendor's docs describe in several steps, as single
// calls built on the eq.php actions: order and wait, reinstall, IPMI and
// console access, power with confirmation. Each takes an optional progress
// callback that sees every step and every stage as it happens; each stops
// when ctx ends; each cleans up what it set up when a later step fails.

// StatusStep is the Progress status of a workflow step that completed.
const StatusStep ProgressStatus = "Step"

// ProgressFunc receives the progress of a workflow: a StatusStep event for
// each step done, and every event of the operations it waits on. It is
// called on the workflow's goroutine, in order; keep it quick.
type ProgressFunc func(Progress)

// WorkflowError is the failure of one step of a workflow. ServerID and
// Invoice say what already exists, so nothing is ordered twice by a retry.
//
// Every failure of a workflow (OrderAndWait, ReinstallAndWait, OpenIPMI,
// OpenConsole, PowerOnAndConfirm, PowerOffAndConfirm, RebootAndConfirm, and
// the Close of their IPMIAccess and ConsoleAccess) is a *WorkflowError, from
// the first step on; only input found invalid before anything was sent is
// returned as a bare *ValidationError. The step's own error is wrapped: match
// it with errors.Is and errors.As (ErrOutcomeUnknown, *OutcomeUnknownError,
// *APIError, context.DeadlineExceeded), never with a type assertion.
type WorkflowError struct {
	Workflow string // "order", "reinstall", "ipmi access", "power on"...
	Step     string // the action that failed, e.g. "create_pxe"
	ServerID int    // the server concerned, when known
	Invoice  int    // the order's invoice, when an order was placed
	Err      error
	// Cleanup holds the failures of the clean-up that followed, if any.
	Cleanup error
	// Settlement is what reading told of a step whose answer was lost (Err
	// matches ErrOutcomeUnknown) when it did not prove the step happened;
	// nil when no read was tried.
	Settlement *Settlement
}

func (e *WorkflowError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "invapi: %s: step %s failed", e.Workflow, e.Step)
	if e.ServerID > 0 {
		fmt.Fprintf(&b, " (server %d)", e.ServerID)
	}
	if e.Invoice > 0 {
		fmt.Fprintf(&b, " (order placed: invoice %d; do not order again, check eq/update_servers deploy_keys)", e.Invoice)
	}
	fmt.Fprintf(&b, ": %s", innerText(e.Err, "", ""))
	if e.Cleanup != nil {
		fmt.Fprintf(&b, "; clean-up also failed: %s", innerText(e.Cleanup, "", ""))
	}
	return b.String()
}

func (e *WorkflowError) Unwrap() error { return e.Err }

// workflow runs the steps of one procedure and reports them.
type workflow struct {
	c        *Client
	name     string
	serverID int
	invoice  int
	progress ProgressFunc
}

func (w *workflow) step(name, message string) {
	if w.progress != nil {
		w.progress(Progress{Status: StatusStep, Step: name, Message: message, Time: time.Now()})
	}
}

func (w *workflow) fail(step string, err error) error {
	return &WorkflowError{Workflow: w.name, Step: step, ServerID: w.serverID, Invoice: w.invoice, Err: err}
}

// settle reads whether a step whose answer was lost took effect
// (Client.Settle; the step is never sent again). It returns the
// settlement, and whether it proves the step happened so the workflow may
// carry on.
func (w *workflow) settle(ctx context.Context, step string, err error) (*Settlement, bool) {
	if !errors.Is(err, ErrOutcomeUnknown) {
		return nil, false
	}
	st, serr := w.c.Settle(ctx, err)
	if serr != nil {
		w.c.logger.Debug("invapi workflow could not settle a lost answer", slog.String("workflow", w.name),
			slog.String("step", step), slog.String("error", w.c.redact(serr.Error())))
	}
	if st == nil || st.Outcome != OutcomeApplied {
		return st, false
	}
	w.c.logger.Info("invapi workflow step settled by reading", slog.String("workflow", w.name),
		slog.String("step", step), slog.String("evidence", w.c.redact(st.Evidence)))
	return st, true
}

// failSettled is fail for a step whose lost answer a read did not settle.
func (w *workflow) failSettled(step string, err error, st *Settlement) error {
	return &WorkflowError{Workflow: w.name, Step: step, ServerID: w.serverID, Invoice: w.invoice, Err: err, Settlement: st}
}

// wait waits on op, passing its events to the progress callback.
func (w *workflow) wait(ctx context.Context, op *Operation) (*OperationResult, error) {
	if op == nil {
		return &OperationResult{}, nil
	}
	if w.progress == nil {
		return op.Wait(ctx)
	}
	for p, err := range op.Watch(ctx) {
		if err != nil && p.Status == "" {
			return nil, err // ctx ended
		}
		p.Step = op.Action()
		w.progress(p)
	}
	return op.Wait(ctx)
}

// run sends one async action, waits for it, and reports the step. When
// the action's answer is lost, a read that proves it happened (see
// Client.Settle) lets the workflow carry on: it waits on the callback key
// the answer still held, or takes the step as done.
func (w *workflow) run(ctx context.Context, step string, send func() (*Operation, error)) (*OperationResult, error) {
	op, err := send()
	if err != nil {
		st, ok := w.settle(ctx, step, err)
		if !ok {
			return nil, w.failSettled(step, err, st)
		}
		if st.Operation == nil {
			w.step(step, "settled by reading: "+st.Evidence)
			return &OperationResult{Scope: st.Evidence}, nil
		}
		op = st.Operation
	}
	res, err := w.wait(ctx, op)
	if err != nil {
		return nil, w.fail(step, err)
	}
	w.step(step, res.Scope)
	return res, nil
}

// cleanupContext outlives the caller's cancellation for a little while, so
// that what a workflow set up is taken down even when it was cancelled.
func cleanupContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
}
