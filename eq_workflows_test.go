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

// recorder collects workflow progress.
type recorder struct {
	mu     sync.Mutex
	events []invapi.Progress
}

func (r *recorder) add(p invapi.Progress) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, p)
}

func (r *recorder) steps() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, p := range r.events {
		if p.Status == invapi.StatusStep {
			out = append(out, p.Step)
		}
	}
	return out
}

func (r *recorder) stages() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, p := range r.events {
		if p.Status == invapi.StatusStage {
			out = append(out, p.Message)
		}
	}
	return out
}

func orderRequest(t *testing.T, c *invapi.Client) *invapi.OrderInstanceRequest {
	t.Helper()
	ctx := context.Background()
	presets, err := c.Presets.List(ctx, &invapi.PresetsListRequest{Location: "NL"})
	require.NoError(t, err)
	require.NotEmpty(t, presets)
	plans, err := c.TrafficPlans.List(ctx, &invapi.TrafficPlansListRequest{Location: "NL", InstanceID: presets[0].ID})
	require.NoError(t, err)
	require.NotEmpty(t, plans)
	oses, err := c.OS.List(ctx, &invapi.OSListRequest{InstanceID: presets[0].ID, Location: "NL"})
	require.NoError(t, err)
	require.NotEmpty(t, oses.OS)
	return &invapi.OrderInstanceRequest{Preset: presets[0].Name, LocationName: "NL", OSID: oses.OS[0].ID,
		RootPass: "Root-pass_123", Hostname: "new1.example.com", DeployPeriod: invapi.DeployMonthly, TrafficPlan: plans[0].ID}
}

func reinstallRequest(t *testing.T, c *invapi.Client, id int) *invapi.CreatePXERequest {
	t.Helper()
	oses, err := c.OS.List(context.Background(), &invapi.OSListRequest{ID: id})
	require.NoError(t, err)
	require.NotEmpty(t, oses.OS)
	return &invapi.CreatePXERequest{ID: id, OSID: oses.OS[0].ID, RootPass: "Root-pass_123", Hostname: "web9.example.com"}
}

// Every workflow reads the callback keys it was given, including eq
// status's, so none is left pending on the API.
func TestWorkflowsLeaveNoCallbackKeyPending(t *testing.T) {
	t.Parallel()
	c, srv := newSimClient(t, nil)
	ctx := context.Background()
	id := firstServer(t, srv)

	_, err := c.Eq.PowerOffAndConfirm(ctx, id, nil)
	require.NoError(t, err)
	assert.Zero(t, srv.PendingOperations(), "after PowerOffAndConfirm")
	_, err = c.Eq.PowerOnAndConfirm(ctx, id, nil)
	require.NoError(t, err)
	assert.Zero(t, srv.PendingOperations(), "after PowerOnAndConfirm")
	for range 3 {
		_, err = c.Eq.RebootAndConfirm(ctx, id, nil)
		require.NoError(t, err)
	}
	assert.Zero(t, srv.PendingOperations(), "after RebootAndConfirm")
	assert.Equal(t, 5, srv.Count("eq", "status"), "one status check per confirmation here")

	access, err := c.Eq.OpenIPMI(ctx, id, nil, nil)
	require.NoError(t, err)
	require.NoError(t, access.Close(ctx))
	assert.Zero(t, srv.PendingOperations(), "after OpenIPMI and Close")

	console, err := c.Eq.OpenConsole(ctx, 12346, "", nil)
	require.NoError(t, err)
	require.NoError(t, console.Close(ctx))
	assert.Zero(t, srv.PendingOperations(), "after OpenConsole and Close")

	_, err = c.Eq.ReinstallAndWait(ctx, reinstallRequest(t, c, id), "", nil)
	require.NoError(t, err)
	assert.Zero(t, srv.PendingOperations(), "after ReinstallAndWait")

	_, err = c.Eq.OrderAndWait(ctx, orderRequest(t, c), nil)
	require.NoError(t, err)
	assert.Zero(t, srv.PendingOperations(), "after OrderAndWait")
}

// The WorkflowError rule holds for every step of every workflow: whichever
// step fails, the error is a *WorkflowError naming it, and the step's own
// error stays reachable with errors.As.
func TestWorkflowErrorWrapsEveryStep(t *testing.T) {
	t.Parallel()
	type run func(ctx context.Context, c *invapi.Client, id int) error
	power := func(f func(*invapi.EqService) func(context.Context, int, invapi.ProgressFunc) (*invapi.ServerStatus, error)) run {
		return func(ctx context.Context, c *invapi.Client, id int) error {
			_, err := f(c.Eq)(ctx, id, nil)
			return err
		}
	}
	reinstall := func(ctx context.Context, c *invapi.Client, id int) error {
		_, err := c.Eq.ReinstallAndWait(ctx, &invapi.CreatePXERequest{ID: id, OSID: 1, RootPass: "Root-pass_123", Hostname: "re.example.com"}, "", nil)
		return err
	}
	order := func(ctx context.Context, c *invapi.Client, _ int) error {
		_, err := c.Eq.OrderAndWait(ctx, orderRequest(t, c), nil)
		return err
	}
	ipmi := func(ctx context.Context, c *invapi.Client, id int) error {
		_, err := c.Eq.OpenIPMI(ctx, id, nil, nil)
		return err
	}
	console := func(ctx context.Context, c *invapi.Client, _ int) error {
		_, err := c.Eq.OpenConsole(ctx, 12346, "", nil)
		return err
	}
	tests := []struct {
		name           string
		run            run
		module, action string
		step           string
	}{
		{"power on", power(func(s *invapi.EqService) func(context.Context, int, invapi.ProgressFunc) (*invapi.ServerStatus, error) {
			return s.PowerOnAndConfirm
		}), "eq", "on", "on"},
		{"power off status", power(func(s *invapi.EqService) func(context.Context, int, invapi.ProgressFunc) (*invapi.ServerStatus, error) {
			return s.PowerOffAndConfirm
		}), "eq", "status", "status"},
		{"reboot", power(func(s *invapi.EqService) func(context.Context, int, invapi.ProgressFunc) (*invapi.ServerStatus, error) {
			return s.RebootAndConfirm
		}), "eq", "reboot", "reboot"},
		{"reinstall first step", reinstall, "eq", "reinstall", "reinstall"},
		{"reinstall create_pxe", reinstall, "eq", "create_pxe", "create_pxe"},
		{"reinstall reboot", reinstall, "eq", "reboot", "reboot"},
		{"order first step", order, "eq", "order_instance", "order_instance"},
		{"order show", order, "eq", "show", "show"},
		{"ipmi first step", ipmi, "nat", "add_static_nat", "add_static_nat"},
		{"ipmi user", ipmi, "eq", "add_ipmi_user", "add_ipmi_user"},
		{"console", console, "eq", "novnc", "novnc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, srv := newSimClient(t, nil, invapi.WithRetry(0, time.Millisecond))
			srv.Fault(invapitest.Fault{Module: tt.module, Action: tt.action, Kind: invapitest.FaultAPIError,
				Code: -1, Message: "Simulated failure", Times: -1})
			err := tt.run(context.Background(), c, firstServer(t, srv))
			var we *invapi.WorkflowError
			require.ErrorAs(t, err, &we)
			assert.Equal(t, tt.step, we.Step)
			var apiErr *invapi.APIError
			require.ErrorAs(t, err, &apiErr, "the step's error is wrapped")
			assert.Equal(t, "Simulated failure", apiErr.Message)
		})
	}
	// Invalid input is a bare *ValidationError: nothing was sent.
	c, srv := newSimClient(t, nil)
	ctx := context.Background()
	for _, err := range []error{
		func() error { _, err := c.Eq.RebootAndConfirm(ctx, 0, nil); return err }(),
		func() error { _, err := c.Eq.OpenIPMI(ctx, 0, nil, nil); return err }(),
		func() error { _, err := c.Eq.OpenConsole(ctx, 12346, "not-an-ip", nil); return err }(),
		func() error { _, err := c.Eq.OrderAndWait(ctx, &invapi.OrderInstanceRequest{}, nil); return err }(),
		func() error { _, err := c.Eq.ReinstallAndWait(ctx, &invapi.CreatePXERequest{}, "", nil); return err }(),
	} {
		var ve *invapi.ValidationError
		require.ErrorAs(t, err, &ve)
		var we *invapi.WorkflowError
		assert.False(t, errors.As(err, &we), "validation is not a step: %v", err)
	}
	assert.Empty(t, srv.Requests(), "nothing was sent")
}
