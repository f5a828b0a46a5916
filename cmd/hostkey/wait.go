package main

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/invapi-go/invapi"
)

// progressLine shows what a long operation is doing: on a terminal one line
// redrawn in place (\r) with the stage and the elapsed time, otherwise a
// plain line per change. It writes to stderr, so stdout stays the result.
type progressLine struct {
	a       *app
	what    string
	start   time.Time
	tty     bool
	mu      sync.Mutex
	last    string
	drawn   bool
	paused  bool // a prompt has the terminal
	stop    chan struct{}
	stopped sync.Once
}

func (a *app) newProgress(what string) *progressLine {
	p := &progressLine{a: a, what: what, start: time.Now(), tty: a.stderrIsTerminal(), stop: make(chan struct{})}
	a.progress = p
	p.set("started")
	if p.tty {
		go func() { // keep the elapsed time moving between events
			t := time.NewTicker(time.Second)
			defer t.Stop()
			for {
				select {
				case <-t.C:
					p.redraw()
				case <-p.stop:
					return
				}
			}
		}()
	}
	return p
}

// set records the current stage and shows it.
func (p *progressLine) set(stage string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if stage == p.last && !p.tty {
		return
	}
	p.last = stage
	if p.tty {
		p.drawLocked()
		return
	}
	fmt.Fprintf(p.a.stderr, "%s: %s (%s)\n", p.what, stage, p.elapsed())
}

func (p *progressLine) redraw() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.drawLocked()
}

func (p *progressLine) drawLocked() {
	if p.paused {
		return
	}
	fmt.Fprintf(p.a.stderr, "\r\033[K%s: %s [%s]", p.what, p.last, p.elapsed())
	p.drawn = true
}

func (p *progressLine) elapsed() string {
	return time.Since(p.start).Truncate(time.Second).String()
}

// end ends the line with ok when err is nil, else with "failed", and
// returns err.
func (p *progressLine) end(err error, ok string) error {
	if err != nil {
		p.done("failed")
		return err
	}
	p.done(ok)
	return nil
}

// done ends the line with the final state.
func (p *progressLine) done(final string) {
	p.stopped.Do(func() { close(p.stop) })
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.a.progress == p {
		p.a.progress = nil
	}
	if p.tty {
		fmt.Fprintf(p.a.stderr, "\r\033[K%s: %s [%s]\n", p.what, final, p.elapsed())
		return
	}
	fmt.Fprintf(p.a.stderr, "%s: %s (%s)\n", p.what, final, p.elapsed())
}

// pause stops drawing while a prompt has the terminal, and ends the line.
func (p *progressLine) pause() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty && p.drawn && !p.paused {
		fmt.Fprintln(p.a.stderr)
	}
	p.paused = true
}

func (p *progressLine) resume() {
	p.mu.Lock()
	p.paused = false
	p.mu.Unlock()
}

// event turns an SDK progress event into the line's stage.
func (p *progressLine) event(ev invapi.Progress) {
	switch ev.Status {
	case invapi.StatusPending:
		p.set("waiting")
	case invapi.StatusStage:
		msg := ev.Message
		if ev.Stage > 0 {
			msg = fmt.Sprintf("stage %d: %s", ev.Stage, ev.Message)
		}
		p.set(msg)
	case invapi.StatusStep:
		p.set(ev.Step + " done")
	case invapi.StatusFailed:
		p.set("failed: " + ev.Message)
	} // StatusDone: done() draws the final line

}

// resumeHint tells how to pick up a wait later.
func resumeHint(op *invapi.Operation) string {
	cmd := "hostkey operation wait " + op.Key()
	if op.CallbackModule() == "nat_callback" {
		cmd += " --nat"
	}
	return cmd
}

// wait follows an async operation: with --no-wait it prints the key and
// returns; otherwise it streams the progress until the end. Ctrl-C stops
// the waiting only: the work goes on at HOSTKEY, and the hint says how to
// resume.
func (a *app) wait(ctx context.Context, op *invapi.Operation, what string) (*invapi.OperationResult, error) {
	if op == nil {
		return nil, nil
	}
	if a.noWait {
		fmt.Fprintf(a.stderr, "%s: started; follow it with: %s\n", what, resumeHint(op))
		if a.output == "table" {
			fmt.Fprintln(a.stdout, op.Key()) // the key alone, for $(...)
		} else {
			out := struct {
				Key            string `json:"key"`
				CallbackModule string `json:"callback_module"`
				Action         string `json:"action"`
				ServerID       int    `json:"server_id,omitempty"`
			}{op.Key(), op.CallbackModule(), op.Module() + ".php " + op.Action(), op.ServerID()}
			if err := a.show(out, nil, nil); err != nil {
				return nil, err
			}
		}
		return nil, errNoWait
	}
	p := a.newProgress(what)
	for ev := range op.Progress(ctx) {
		p.event(ev)
	}
	res, err := op.Wait(ctx)
	if err == nil {
		p.done("done")
		return res, nil
	}
	if ctx.Err() != nil && a.ctx.Err() != nil { // Ctrl-C, not a failure
		p.done("stopped waiting")
		return nil, &interruptedError{hint: fmt.Sprintf("stopped waiting; the operation goes on at HOSTKEY. Resume with: %s", resumeHint(op))}
	}
	if errors.Is(err, context.DeadlineExceeded) {
		p.done("timed out")
		return nil, fmt.Errorf("%s: gave up waiting after --timeout; the operation goes on. Resume with: %s: %w", what, resumeHint(op), err)
	}
	p.done("failed")
	return nil, err
}

// errNoWait ends a command after --no-wait printed the key: not an error.
var errNoWait = errors.New("not waiting")

// progressFunc feeds a workflow's progress into a progress line.
func (p *progressLine) progressFunc() invapi.ProgressFunc {
	return func(ev invapi.Progress) { p.event(ev) }
}
