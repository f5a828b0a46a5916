package invapi_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invapi-go/invapi"
	"github.com/invapi-go/invapi/invapitest"
)

func TestPaceHeaderNamesAgree(t *testing.T) {
	assert.Equal(t, invapi.PaceHeader, invapitest.PaceHeader)
}

// The README's testing snippet: a plain client of the simulator, no pacing
// option, reboots and confirms in well under a second.
func TestREADMETestingSnippetIsFast(t *testing.T) {
	srv := invapitest.NewServer()
	t.Cleanup(srv.Close)
	c, err := invapi.NewClient(invapi.WithBaseURL(srv.URL), invapi.WithAPIKey(invapitest.DefaultAPIKey),
		invapi.WithPIN(invapitest.DefaultPIN))
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })

	start := time.Now()
	st, err := c.Eq.RebootAndConfirm(context.Background(), 12345, nil)
	require.NoError(t, err)
	assert.Equal(t, "on", st.Power)
	assert.Less(t, time.Since(start), 1500*time.Millisecond, "a simulated reboot-and-wait takes milliseconds (production pace: seconds)")
	assert.Zero(t, srv.PendingOperations())
}

// WithOperationDelay + Advance: the wait ends as soon as the clock moves,
// not at the next check of a production-paced poller (seconds later).
func TestOperationDelayAndAdvanceIsInstant(t *testing.T) {
	srv := invapitest.NewServer(invapitest.WithOperationDelay(time.Hour))
	t.Cleanup(srv.Close)
	c, err := invapi.NewClient(invapi.WithBaseURL(srv.URL), invapi.WithAPIKey(invapitest.DefaultAPIKey),
		invapi.WithPIN(invapitest.DefaultPIN))
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	ctx := context.Background()

	op, err := c.Eq.Reboot(ctx, 12345)
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() { _, err := op.Wait(ctx); done <- err }()
	time.Sleep(300 * time.Millisecond) // long enough for a poller to back off, if it could
	select {
	case err := <-done:
		t.Fatalf("the operation ended before the clock moved: %v", err)
	default:
	}
	srv.Advance(time.Hour)
	start := time.Now()
	select {
	case err := <-done:
		require.NoError(t, err)
		// A production-paced poller would check next about 1 s after the
		// reboot, 0.6 s or more after Advance; the simulator's pace checks
		// within milliseconds, and the bound leaves room for a loaded machine.
		assert.Less(t, time.Since(start), 500*time.Millisecond)
	case <-time.After(2 * time.Second):
		t.Fatal("Advance did not end the wait promptly")
	}
}

// WithClientPace(0, 0) sends no pace: the client keeps production pacing,
// as against a real portal (first check at once, the next after seconds).
func TestSimulatorWithoutPaceKeepsProductionPacing(t *testing.T) {
	srv := invapitest.NewServer(invapitest.WithClientPace(0, 0))
	t.Cleanup(srv.Close)
	c, err := invapi.NewClient(invapi.WithBaseURL(srv.URL), invapi.WithAPIKey(invapitest.DefaultAPIKey),
		invapi.WithPIN(invapitest.DefaultPIN))
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	op, err := c.Eq.Reboot(context.Background(), 12345)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	_, err = op.Wait(ctx)
	assert.ErrorIs(t, err, context.DeadlineExceeded, "two Not ready answers take seconds at production pace")
}
