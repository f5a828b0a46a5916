package invapi

import (
	"context"
	"net/http"
	"net/url"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Close ends every pending wait with ErrClosed, and those ends are not
// counted as operations finished.
func TestPollerCloseEndsWaitsUncounted(t *testing.T) {
	t.Parallel()
	s := newCountingServer(t, false, func(w http.ResponseWriter, _ *http.Request, _ url.Values, _ int) {
		writeJSON(w, 200, `{"result":"Not ready"}`)
	})
	c := quietClient(t, s.srv.URL)
	op, _ := c.ResumeOperation("pending", "")
	done := make(chan error, 1)
	go func() { _, err := op.Wait(context.Background()); done <- err }()
	require.Eventually(t, func() bool { return c.PollerStats().Checks >= 2 }, 5*time.Second, time.Millisecond)
	require.NoError(t, c.Close())
	select {
	case err := <-done:
		require.ErrorIs(t, err, ErrClosed)
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not end the wait")
	}
	st := c.PollerStats()
	assert.Zero(t, st.Finished, "an end by Close is not an operation finished")
	assert.Zero(t, st.Watched)
	assert.Zero(t, kindStats(t, c, "other").Samples, "nothing learned from a closed wait")
}

// An operation dropped from the poller's table keeps its record (the
// Operation carries it): waited on again, it goes on from where its checks
// were, and its end is counted once.
func TestPollerStateKeptAcrossDrop(t *testing.T) {
	t.Parallel()
	var finish atomic.Bool
	s := newCountingServer(t, false, func(w http.ResponseWriter, _ *http.Request, _ url.Values, _ int) {
		if finish.Load() {
			writeJSON(w, 200, `{"result":"OK","scope":"done"}`)
			return
		}
		writeJSON(w, 200, `{"result":"Not ready"}`)
	})
	c := quietClient(t, s.srv.URL)
	p := c.poller
	op, _ := c.ResumeOperation("k", "")
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	_, err := op.Wait(ctx)
	cancel()
	require.ErrorIs(t, err, context.DeadlineExceeded)
	state := op.poll
	require.Eventually(t, func() bool {
		p.mu.Lock()
		defer p.mu.Unlock()
		return !state.queued && !state.inflight
	}, 2*time.Second, time.Millisecond)
	p.mu.Lock()
	before := state.checks
	p.pruneLocked(time.Now().Add(defaultKeepIdle + time.Minute))
	_, kept := p.ops[opKey{eqCallback, "k"}]
	p.mu.Unlock()
	require.False(t, kept, "dropped after keepIdle")
	require.Positive(t, before)

	finish.Store(true)
	wctx, wcancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer wcancel()
	res, err := op.Wait(wctx)
	require.NoError(t, err)
	assert.Equal(t, "done", res.Scope)
	assert.Same(t, state, op.poll, "the same record")
	p.mu.Lock()
	assert.Greater(t, state.checks, before, "its checks went on counting")
	p.mu.Unlock()
	again, _ := c.ResumeOperation("k", "")
	assert.Same(t, op, again, "findable by its key again")
	assert.Equal(t, int64(1), c.PollerStats().Finished)
	assert.Equal(t, c.PollerStats().Checks, int64(s.total()), "every check the server saw, counted once")
}
