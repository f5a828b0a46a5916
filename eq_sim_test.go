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

func eqSimClient(t *testing.T) (*invapi.Client, *invapitest.Server) {
	t.Helper()
	srv := invapitest.NewServer()
	t.Cleanup(srv.Close)
	c, err := invapi.NewClient(invapi.WithBaseURL(srv.URL), invapi.WithAPIKey(invapitest.DefaultAPIKey),
		invapi.WithPIN(invapitest.DefaultPIN), invapi.WithRetry(3, 10*time.Millisecond),
		invapi.WithPollInterval(time.Millisecond, 5*time.Millisecond), invapi.WithPollBudget(1e6))
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c, srv
}

// The step methods compose into the older reference's reinstall procedure:
// reinstall (master key) -> create_pxe -> boot_dev pxe -> reboot -> stages
// on the key -> boot_dev disk -> clear_pxe.
func TestEqSimulatorReinstallSteps(t *testing.T) {
	t.Parallel()
	c, srv := eqSimClient(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	id := srv.Servers()[0].ID

	oses, err := c.OS.List(ctx, &invapi.OSListRequest{ID: id})
	require.NoError(t, err)
	require.NotEmpty(t, oses.OS)
	osID := oses.OS[0].ID

	ri, err := c.Eq.Reinstall(ctx, &invapi.ReinstallRequest{ID: id})
	require.NoError(t, err)
	require.NotEmpty(t, ri.Key)

	pxe, err := c.Eq.CreatePXE(ctx, &invapi.CreatePXERequest{ID: id, OSID: osID, RootPass: "Root-pass_123",
		Hostname: "web9.example.com", ReinstallKey: ri.Key})
	require.NoError(t, err)
	_, err = pxe.Wait(ctx)
	require.NoError(t, err)

	boot, err := c.Eq.BootDev(ctx, &invapi.BootDevRequest{ID: id, Media: invapi.BootPXE})
	require.NoError(t, err)
	_, err = boot.Wait(ctx)
	require.NoError(t, err)

	reboot, err := c.Eq.Reboot(ctx, id)
	require.NoError(t, err)
	_, err = reboot.Wait(ctx)
	require.NoError(t, err)

	stages := 0
	for p, err := range ri.Operation.Watch(ctx) {
		require.NoError(t, err)
		if p.Status == invapi.StatusStage {
			stages++
		}
	}
	assert.Positive(t, stages, "the install reports its stages on the master key")

	disk, err := c.Eq.BootDev(ctx, &invapi.BootDevRequest{ID: id, Media: invapi.BootDisk})
	require.NoError(t, err)
	_, err = disk.Wait(ctx)
	require.NoError(t, err)
	clear, err := c.Eq.ClearPXE(ctx, &invapi.ClearPXERequest{ID: id, Hostname: "web9.example.com"})
	require.NoError(t, err)
	_, err = clear.Wait(ctx)
	require.NoError(t, err)

	s, err := c.Eq.Show(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, id, s.ID)
	assert.Equal(t, "web9.example.com", s.Hostname(), "the hostname set by the install, read from the tags")
	assert.Equal(t, osID, s.OS.ID)
}

// An order answered with only an invoice is found through update_servers
// deploy_keys: invoice -> callback key -> context.id.
func TestEqSimulatorOrderAndDeployKeys(t *testing.T) {
	t.Parallel()
	c, srv := eqSimClient(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	presets, err := c.Presets.List(ctx, &invapi.PresetsListRequest{Location: "NL"})
	require.NoError(t, err)
	require.NotEmpty(t, presets)
	p := presets[0]
	plans, err := c.TrafficPlans.List(ctx, &invapi.TrafficPlansListRequest{Location: "NL", InstanceID: p.ID})
	require.NoError(t, err)
	require.NotEmpty(t, plans)
	oses, err := c.OS.List(ctx, &invapi.OSListRequest{InstanceID: p.ID, Location: "NL"})
	require.NoError(t, err)
	require.NotEmpty(t, oses.OS)

	order, err := c.Eq.OrderInstance(ctx, &invapi.OrderInstanceRequest{Preset: p.Name, LocationName: "NL",
		OSID: oses.OS[0].ID, RootPass: "Root-pass_123", Hostname: "new1.example.com",
		DeployPeriod: invapi.DeployMonthly, TrafficPlan: plans[0].ID})
	require.NoError(t, err)
	require.Positive(t, order.Invoice)
	assert.Equal(t, 1, srv.Count("eq", "order_instance"))

	us, err := c.Eq.UpdateServers(ctx)
	require.NoError(t, err)
	key, ok := us.DeployKey(order.Invoice)
	require.True(t, ok, "deploy_keys lists the invoice")
	require.NotNil(t, order.Operation)
	assert.Equal(t, order.Operation.Key(), key, "deploy_keys maps the invoice to the deployment's callback key")

	// Resumed from deploy_keys alone, the key's OK names the server.
	op, err := c.ResumeOperation(key, "eq_callback")
	require.NoError(t, err)
	res, err := op.Wait(ctx)
	require.NoError(t, err)
	serverID := res.Context.ID
	require.Positive(t, serverID)
	us, err = c.Eq.UpdateServers(ctx)
	require.NoError(t, err)
	assert.Contains(t, us.Servers, serverID)

	s, err := c.Eq.Show(ctx, serverID)
	require.NoError(t, err)
	assert.Equal(t, "new1.example.com", s.Hostname())
	assert.Equal(t, p.Name, s.Preset)
}

func TestEqSimulatorPowerAndIPMI(t *testing.T) {
	t.Parallel()
	c, srv := eqSimClient(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	id := srv.Servers()[0].ID

	off, err := c.Eq.Off(ctx, id)
	require.NoError(t, err)
	_, err = off.Wait(ctx)
	require.NoError(t, err)
	st, err := c.Eq.Status(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, "off", st.Power)

	u, err := c.Eq.AddIPMIUser(ctx, &invapi.AddIPMIUserRequest{ID: id})
	require.NoError(t, err)
	require.NotEmpty(t, u.User)
	require.NotEmpty(t, u.Password)
	assert.NotContains(t, u.String(), u.Password)
	rm, err := c.Eq.RemoveIPMIUser(ctx, &invapi.RemoveIPMIUserRequest{ID: id, Username: u.User})
	require.NoError(t, err)
	_, err = rm.Wait(ctx)
	require.NoError(t, err)

	list, err := c.Eq.List(ctx, &invapi.ServerListRequest{Full: true})
	require.NoError(t, err)
	require.NotEmpty(t, list)
	found := false
	for _, s := range list {
		if s.ID == id {
			found = true
			assert.Equal(t, "off", s.Power)
		}
	}
	assert.True(t, found)
}
