package invapi_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invapi-go/invapi"
	"github.com/invapi-go/invapi/invapitest"
)

func manyServers(n int) invapitest.Option {
	es := make([]invapitest.Equipment, n)
	return invapitest.WithServers(es...)
}

func serverIDs(srv *invapitest.Server) []int {
	var ids []int
	for _, e := range srv.Servers() {
		ids = append(ids, e.ID)
	}
	return ids
}

// Twenty reboots at once: one outcome per server, in order, all on the one
// poller, none left pending.
func TestStartAndWaitAllReboots(t *testing.T) {
	t.Parallel()
	c, srv := newSimClient(t, []invapitest.Option{manyServers(20)})
	ids := serverIDs(srv)
	require.Len(t, ids, 20)

	var mu sync.Mutex
	busiest := 0
	start := func(ctx context.Context, id int) (*invapi.Operation, error) {
		mu.Lock()
		busiest = max(busiest, srv.PendingOperations()+1)
		mu.Unlock()
		return c.Eq.Reboot(ctx, id)
	}
	outcomes, err := invapi.StartAndWaitAll(context.Background(), ids, start, &invapi.WaitAllOptions{Concurrency: 4})
	require.NoError(t, err)
	require.Len(t, outcomes, 20)
	for i, o := range outcomes {
		assert.Equal(t, ids[i], o.ServerID)
		assert.True(t, o.Started)
		require.NoError(t, o.Err)
		assert.Equal(t, ids[i], o.Result.Context.ID)
		assert.NotEmpty(t, o.Key())
	}
	assert.LessOrEqual(t, busiest, 4, "at most Concurrency servers under way")
	assert.Equal(t, 20, srv.Count("eq", "reboot"))
	assert.Zero(t, srv.PendingOperations())
}

// A deadline ends every pending wait with an error naming its key, action
// and server, and errors.Is(err, context.DeadlineExceeded) holds.
func TestWaitAllDeadlineNamesEachOperation(t *testing.T) {
	t.Parallel()
	c, srv := newSimClient(t, []invapitest.Option{invapitest.WithOperationDelay(time.Hour)})
	ctx := context.Background()
	var ops []*invapi.Operation
	for _, id := range serverIDs(srv) {
		op, err := c.Eq.Reboot(ctx, id)
		require.NoError(t, err)
		ops = append(ops, op)
	}
	wctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	outcomes, err := invapi.WaitAll(wctx, ops, nil)
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	for i, o := range outcomes {
		var we *invapi.WaitError
		require.ErrorAs(t, o.Err, &we)
		assert.ErrorIs(t, o.Err, context.DeadlineExceeded)
		assert.Equal(t, ops[i].Key(), we.Key)
		assert.Equal(t, "reboot", we.Action)
		assert.Equal(t, "eq", we.Module)
		assert.Equal(t, "eq_callback", we.CallbackModule)
		assert.Equal(t, ops[i].ServerID(), we.ServerID)
		assert.Contains(t, o.Err.Error(), ops[i].Key())
		assert.Contains(t, err.Error(), ops[i].Key(), "the joined error names every key")
	}

	// One wait alone says the same.
	short, cancel2 := context.WithTimeout(ctx, 10*time.Millisecond)
	defer cancel2()
	_, err = ops[0].Wait(short)
	var we *invapi.WaitError
	require.ErrorAs(t, err, &we)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Equal(t, "invapi: eq/reboot of server 12345: stopped waiting for callback key "+ops[0].Key()+
		" (it may still finish; resume it): context deadline exceeded", err.Error())
}

// FailFast stops at the first failure: later servers are not started and
// the error is that failure; without it every server is tried and every
// failure comes back, naming its server.
func TestStartAndWaitAllFailures(t *testing.T) {
	t.Parallel()
	c, srv := newSimClient(t, nil)
	ids := []int{12345, 99999, 12346, 12347} // 99999 is not the account's
	outcomes, err := invapi.StartAndWaitAll(context.Background(), ids, c.Eq.Reboot,
		&invapi.WaitAllOptions{Concurrency: 1, FailFast: true})
	var apiErr *invapi.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "Reboot request failed", apiErr.Message)
	require.NoError(t, outcomes[0].Err)
	assert.ErrorAs(t, outcomes[1].Err, &apiErr)
	for _, o := range outcomes[2:] {
		assert.False(t, o.Started, "server %d", o.ServerID)
		assert.ErrorIs(t, o.Err, context.Canceled)
	}
	assert.Equal(t, 2, srv.Count("eq", "reboot"), "nothing sent after the failure")

	outcomes, err = invapi.StartAndWaitAll(context.Background(), ids, c.Eq.Reboot, nil)
	require.ErrorAs(t, err, &apiErr)
	assert.Contains(t, err.Error(), "server 99999: invapi: eq/reboot: Reboot request failed")
	for i, o := range outcomes {
		assert.True(t, o.Started)
		if ids[i] == 99999 {
			assert.Error(t, o.Err)
		} else {
			assert.NoError(t, o.Err, "server %d", ids[i])
		}
	}
	assert.Equal(t, 2+4, srv.Count("eq", "reboot"))
	assert.Zero(t, srv.PendingOperations())

	_, err = invapi.WaitAll(context.Background(), []*invapi.Operation{nil}, nil)
	assert.True(t, errors.Is(err, invapi.ErrInvalidInput))
}

// A callback fault aimed at one server (or one key) fails that server's
// wait and no other, whichever polls first.
func TestFaultTargetsOneServerOrKey(t *testing.T) {
	t.Parallel()
	c, srv := newSimClient(t, nil)
	ctx := context.Background()
	srv.Fault(invapitest.Fault{Module: "eq_callback", Action: "check", ServerID: 12346, Kind: invapitest.FaultAPIError,
		Code: -1, Message: "IPMI timeout", Times: -1})
	ids := []int{12345, 12346, 12347}
	outcomes, err := invapi.StartAndWaitAll(ctx, ids, c.Eq.Reboot, nil)
	require.Error(t, err)
	assert.NoError(t, outcomes[0].Err)
	assert.ErrorIs(t, outcomes[1].Err, invapi.ErrOperationFailed)
	assert.Contains(t, outcomes[1].Err.Error(), "IPMI timeout")
	assert.NoError(t, outcomes[2].Err)
	srv.ClearFaults()

	// By key: the second of three operations.
	var ops []*invapi.Operation
	for _, id := range ids {
		op, err := c.Eq.Reboot(ctx, id)
		require.NoError(t, err)
		ops = append(ops, op)
	}
	srv.Fault(invapitest.Fault{Module: "eq_callback", Key: ops[1].Key(), Kind: invapitest.FaultAPIError,
		Code: -1, Message: "Chassis busy", Times: -1})
	outcomes, err = invapi.WaitAll(ctx, ops, nil)
	require.Error(t, err)
	assert.NoError(t, outcomes[0].Err)
	assert.ErrorIs(t, outcomes[1].Err, invapi.ErrOperationFailed)
	assert.NoError(t, outcomes[2].Err)

	// A server fault on a plain action: only that server's reboot is refused.
	srv.ClearFaults()
	srv.Fault(invapitest.Fault{Module: "eq", Action: "reboot", ServerID: 12347, Kind: invapitest.FaultAPIError,
		Code: -1, Message: "Server is locked", Times: -1})
	_, err = c.Eq.Reboot(ctx, 12345)
	assert.NoError(t, err)
	_, err = c.Eq.Reboot(ctx, 12347)
	assert.Error(t, err)
}

// WaitAll with FailFast: the first failure is the error, the other waits
// stop with a *WaitError (their operations go on and can be resumed).
func TestWaitAllFailFast(t *testing.T) {
	t.Parallel()
	c, srv := newSimClient(t, []invapitest.Option{invapitest.WithNotReadyChecks(1000)})
	ctx := context.Background()
	var ops []*invapi.Operation
	for _, id := range []int{12345, 12346, 12347} {
		op, err := c.Eq.Reboot(ctx, id)
		require.NoError(t, err)
		ops = append(ops, op)
	}
	srv.Fault(invapitest.Fault{Module: "eq_callback", ServerID: 12346, Kind: invapitest.FaultAPIError,
		Code: -1, Message: "IPMI timeout", Times: -1})
	outcomes, err := invapi.WaitAll(ctx, ops, &invapi.WaitAllOptions{FailFast: true})
	require.ErrorIs(t, err, invapi.ErrOperationFailed)
	assert.ErrorIs(t, outcomes[1].Err, invapi.ErrOperationFailed)
	for _, i := range []int{0, 2} {
		var we *invapi.WaitError
		require.ErrorAs(t, outcomes[i].Err, &we, "outcome %d", i)
		assert.ErrorIs(t, outcomes[i].Err, context.Canceled)
		assert.Equal(t, ops[i].Key(), we.Key)
	}
	// The abandoned operations can still be waited on later.
	srv.CompleteOperations()
	_, err = ops[0].Wait(ctx)
	assert.NoError(t, err)
}
