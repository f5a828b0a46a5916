package invapi_test

import (
	"context"
	"errors"
	"fmt"
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

func TestOrderAndWait(t *testing.T) {
	t.Parallel()
	c, srv := newSimClient(t, nil)
	req := orderRequest(t, c)
	balance := srv.Balance()

	rec := &recorder{}
	ordered, err := c.Eq.OrderAndWait(context.Background(), req, rec.add)
	require.NoError(t, err)
	server := ordered.Server
	invs := srv.Invoices()
	require.Len(t, invs, 1)
	assert.Equal(t, invs[0].ID, ordered.Invoice, "the invoice comes back with the server")
	assert.Equal(t, invs[0].ServerID, server.ID)
	require.NotNil(t, ordered.Deployment)
	assert.Equal(t, server.ID, ordered.Deployment.Context.ID)
	assert.Equal(t, "new1.example.com", server.Hostname())
	assert.Equal(t, req.Preset, server.Preset)
	assert.NotEmpty(t, server.MainIP())
	assert.Equal(t, 1, srv.Count("eq", "order_instance"), "an order is sent once")
	assert.NotEqual(t, balance, srv.Balance(), "the order was charged")
	assert.Equal(t, []string{"order_instance", "update_servers"}, rec.steps())
	assert.Equal(t, invapitest.ReinstallStages, rec.stages(), "every install stage, in order")
}

func TestOrderAndWaitFailureMidWayNamesTheInvoice(t *testing.T) {
	t.Parallel()
	c, srv := newSimClient(t, nil, invapi.WithRetry(0, time.Millisecond))
	req := orderRequest(t, c)
	srv.Fault(invapitest.Fault{Module: "eq_callback", Action: "check", Kind: invapitest.FaultAPIError, Code: -1,
		Message: "Deployment failed: no stock", Times: -1})
	_, err := c.Eq.OrderAndWait(context.Background(), req, nil)
	var we *invapi.WorkflowError
	require.ErrorAs(t, err, &we)
	assert.Equal(t, "deploy", we.Step)
	assert.Positive(t, we.Invoice)
	assert.Contains(t, err.Error(), "do not order again")
	assert.ErrorIs(t, err, invapi.ErrOperationFailed)
	assert.Equal(t, 1, srv.Count("eq", "order_instance"))
}

func TestOrderAndWaitCancelled(t *testing.T) {
	t.Parallel()
	c, srv := newSimClient(t, []invapitest.Option{invapitest.WithOperationDelay(time.Hour)})
	req := orderRequest(t, c)
	// Cancelled once the order is placed (an event, not a wall-clock
	// deadline, which a loaded machine can reach before the order is sent).
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := c.Eq.OrderAndWait(ctx, req, func(p invapi.Progress) {
		if p.Status == invapi.StatusStep && p.Step == "order_instance" {
			cancel()
		}
	})
	assert.ErrorIs(t, err, context.Canceled)
	var we *invapi.WorkflowError
	require.ErrorAs(t, err, &we)
	assert.Positive(t, we.Invoice)
	assert.Equal(t, 1, srv.Count("eq", "order_instance"))
}

func TestOrderAndWaitRejectsAnExistingServer(t *testing.T) {
	t.Parallel()
	c, srv := newSimClient(t, nil)
	_, err := c.Eq.OrderAndWait(context.Background(), &invapi.OrderInstanceRequest{ID: 12345}, nil)
	assert.ErrorIs(t, err, invapi.ErrInvalidInput)
	assert.Zero(t, srv.Count("eq", "order_instance"))
}

func reinstallRequest(t *testing.T, c *invapi.Client, id int) *invapi.CreatePXERequest {
	t.Helper()
	oses, err := c.OS.List(context.Background(), &invapi.OSListRequest{ID: id})
	require.NoError(t, err)
	require.NotEmpty(t, oses.OS)
	return &invapi.CreatePXERequest{ID: id, OSID: oses.OS[0].ID, RootPass: "Root-pass_123", Hostname: "web9.example.com"}
}

func TestReinstallAndWait(t *testing.T) {
	t.Parallel()
	c, srv := newSimClient(t, nil)
	id := firstServer(t, srv)
	rec := &recorder{}
	res, err := c.Eq.ReinstallAndWait(context.Background(), reinstallRequest(t, c, id), invapi.BootModeUEFI, rec.add)
	require.NoError(t, err)
	assert.Equal(t, id, res.Context.ID)
	assert.Equal(t, []string{"reinstall", "create_pxe", "boot_dev pxe", "reboot", "install", "boot_dev disk", "clear_pxe"}, rec.steps())
	assert.Equal(t, invapitest.ReinstallStages, rec.stages())
	for _, r := range srv.Requests() {
		if r.Module == "eq" && r.Action == "boot_dev" && r.Form.Get("media") == "pxe" {
			assert.Equal(t, "uefi", r.Form.Get("boot_mode"))
		}
	}
	s, err := c.Eq.Show(context.Background(), id)
	require.NoError(t, err)
	assert.Equal(t, "web9.example.com", s.Hostname())
}

func TestReinstallAndWaitCleansUpAfterAFailure(t *testing.T) {
	t.Parallel()
	c, srv := newSimClient(t, nil)
	id := firstServer(t, srv)
	srv.Fault(invapitest.Fault{Module: "eq", Action: "reboot", Kind: invapitest.FaultAPIError, Code: -1, Message: "IPMI is unreachable"})
	rec := &recorder{}
	_, err := c.Eq.ReinstallAndWait(context.Background(), reinstallRequest(t, c, id), "", rec.add)
	var we *invapi.WorkflowError
	require.ErrorAs(t, err, &we)
	assert.Equal(t, "reboot", we.Step)
	assert.Equal(t, id, we.ServerID)
	assert.NoError(t, we.Cleanup)
	assert.Equal(t, []string{"reinstall", "create_pxe", "boot_dev pxe", "boot_dev disk", "clear_pxe"}, rec.steps())
	assert.Equal(t, 1, srv.Count("eq", "clear_pxe"), "the PXE config is removed even though the reinstall failed")
}

func TestReinstallAndWaitCancelledStillCleansUp(t *testing.T) {
	t.Parallel()
	c, srv := newSimClient(t, nil)
	id := firstServer(t, srv)
	req := reinstallRequest(t, c, id)
	ctx, cancel := context.WithCancel(context.Background())
	_, err := c.Eq.ReinstallAndWait(ctx, req, "", func(p invapi.Progress) {
		if p.Status == invapi.StatusStage && p.Stage == 2 {
			cancel() // the user gives up during the install
		}
	})
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, 1, srv.Count("eq", "clear_pxe"))
	assert.GreaterOrEqual(t, srv.Count("eq", "boot_dev"), 2, "boot_dev pxe, then boot_dev disk")
}

func TestReinstallAndWaitValidatesFirst(t *testing.T) {
	t.Parallel()
	c, srv := newSimClient(t, nil)
	_, err := c.Eq.ReinstallAndWait(context.Background(), &invapi.CreatePXERequest{ID: 12345, OSID: 1, RootPass: "weak"}, "", nil)
	var ve *invapi.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "root_pass", ve.Field)
	assert.NotContains(t, err.Error(), "weak")
	assert.Zero(t, srv.Count("eq", "reinstall"))
}

func TestOpenIPMIAndClose(t *testing.T) {
	t.Parallel()
	c, srv := newSimClient(t, nil)
	id := firstServer(t, srv)
	access, err := c.Eq.OpenIPMI(context.Background(), id, &invapi.IPMIAccessOptions{AllowFrom: "198.51.100.7", Hours: 3}, nil)
	require.NoError(t, err)
	assert.NotEmpty(t, access.User)
	assert.NotEmpty(t, access.Password)
	assert.NotEmpty(t, access.Address)
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		assert.NotContains(t, fmt.Sprintf(format, access), access.Password, format)
	}
	nat := srv.Requests()
	var natForm = map[string]string{}
	for _, r := range nat {
		if r.Module == "nat" && r.Action == "add_static_nat" {
			natForm["ip_acl"], natForm["ttl"] = r.Form.Get("ip_acl"), r.Form.Get("ttl")
		}
	}
	assert.Equal(t, map[string]string{"ip_acl": "198.51.100.7", "ttl": "3"}, natForm)

	require.NoError(t, access.Close(context.Background()))
	assert.Equal(t, 1, srv.Count("eq", "remove_ipmi_user"))
	assert.Equal(t, 1, srv.Count("nat", "remove_static_nat"))
}

func TestOpenIPMIRemovesNATWhenUserFails(t *testing.T) {
	t.Parallel()
	c, srv := newSimClient(t, nil)
	id := firstServer(t, srv)
	srv.Fault(invapitest.Fault{Module: "eq", Action: "add_ipmi_user", Kind: invapitest.FaultAPIError, Code: -1, Message: "BMC busy"})
	_, err := c.Eq.OpenIPMI(context.Background(), id, nil, nil)
	var we *invapi.WorkflowError
	require.ErrorAs(t, err, &we)
	assert.Equal(t, "add_ipmi_user", we.Step)
	assert.Equal(t, 1, srv.Count("nat", "remove_static_nat"), "the pass-through opened first is closed again")
}

func TestOpenConsole(t *testing.T) {
	t.Parallel()
	c, srv := newSimClient(t, nil)
	console, err := c.Eq.OpenConsole(context.Background(), 12346, "198.51.100.7", nil)
	require.NoError(t, err)
	assert.Contains(t, console.URL, "https://")
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		assert.NotContains(t, fmt.Sprintf(format, console), console.URL, format)
	}
	require.NoError(t, console.Close(context.Background()))
	assert.Equal(t, 1, srv.Count("eq", "stop_novnc"))
}

func TestPowerWithConfirmation(t *testing.T) {
	t.Parallel()
	c, srv := newSimClient(t, nil)
	id := firstServer(t, srv)
	ctx := context.Background()

	st, err := c.Eq.PowerOffAndConfirm(ctx, id, nil)
	require.NoError(t, err)
	assert.Equal(t, "off", st.Power)
	st, err = c.Eq.PowerOnAndConfirm(ctx, id, nil)
	require.NoError(t, err)
	assert.Equal(t, "on", st.Power)
	rec := &recorder{}
	_, err = c.Eq.RebootAndConfirm(ctx, id, rec.add)
	require.NoError(t, err)
	assert.Equal(t, []string{"reboot", "status"}, rec.steps())
	assert.Equal(t, 1, srv.Count("eq", "reboot"))
	assert.Equal(t, 1, srv.Count("eq", "off"))
	assert.Equal(t, 1, srv.Count("eq", "on"))
}

func TestPowerWithConfirmationFailure(t *testing.T) {
	t.Parallel()
	c, srv := newSimClient(t, nil)
	srv.Fault(invapitest.Fault{Module: "eq", Action: "on", Kind: invapitest.FaultAPIError, Code: -1, Message: "Server is locked"})
	_, err := c.Eq.PowerOnAndConfirm(context.Background(), firstServer(t, srv), nil)
	var we *invapi.WorkflowError
	require.ErrorAs(t, err, &we)
	assert.Equal(t, "on", we.Step)
	var apiErr *invapi.APIError
	assert.True(t, errors.As(err, &apiErr))
	assert.Zero(t, srv.Count("eq", "status"))
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

// The README's error handling, as written there, on a workflow's error.
func TestREADMEErrorSnippetOnAWorkflowError(t *testing.T) {
	t.Parallel()
	c, srv := newSimClient(t, nil)
	// A reboot leaves nothing to read, so its lost answer stays unknown
	// (OrderAndWait would settle a lost order by deploy_keys instead).
	srv.Fault(invapitest.Fault{Module: "eq", Action: "reboot", Kind: invapitest.FaultDropAfter})
	_, err := c.Eq.RebootAndConfirm(context.Background(), firstServer(t, srv), nil)
	require.ErrorIs(t, err, invapi.ErrOutcomeUnknown)
	var unknown *invapi.OutcomeUnknownError
	require.True(t, errors.As(err, &unknown))
	assert.Contains(t, unknown.Settle, "eq/status")
	assert.Equal(t, 1, srv.Count("eq", "reboot"))
}
