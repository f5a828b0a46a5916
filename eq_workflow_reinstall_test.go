package invapi_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invapi-go/invapi"
	"github.com/invapi-go/invapi/invapitest"
)

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
