package invapi

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// assertInvalidField checks that err is a *ValidationError naming field.
func assertInvalidField(t *testing.T, err error, field string) {
	t.Helper()
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, field, ve.Field)
	assert.ErrorIs(t, err, ErrInvalidInput)
}

// Wire tests of eq.php against the fields HOSTKEY's own clients send and
// the answers they read (../shared/api/evidence.md §1, §1b, §1c).

func TestEqOrderInstanceEvidencedFields(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "order_instance", fixture(t, "evidence/eq/order_instance.tf.json"))
	got, err := c.Eq.OrderInstance(context.Background(), &OrderInstanceRequest{
		Preset: "bm.v1-big", LocationName: "NL", OSID: 114, TrafficPlan: 7, DeployPeriod: DeploySemiAnnually,
		RootPass: "Root-pass_123", DiskMirror: DiskMirrorRAID10, RootSize: 80, NoLVM: "1",
		IPv6: true, PrivateVLAN: "3012", SoftName: "cPanel", Extra: Fields{"os_template": "x", "promo_note": "ci", "pin": "9999"},
	})
	require.NoError(t, err)
	assert.Equal(t, eqForm("order_instance", "preset", "bm.v1-big", "location_name", "NL", "os_id", "114",
		"traffic_plan", "7", "deploy_period", "semi-annually", "deploy_notify", "0", "root_pass", "Root-pass_123",
		"disk_mirror", "raid10", "root_size", "80", "no_lvm", "1", "ipv6", "1", "private_vlan", "3012",
		"soft_name", "cPanel", "os_template", "x", "promo_note", "ci", "pin", testPIN), m.lastForm("eq", "order_instance"),
		"Extra adds fields but never replaces the PIN")
	assert.Equal(t, "Unpaid", got.Status)
	assert.True(t, got.Unpaid())
	assert.Equal(t, 700555, got.Invoice)
	assert.Equal(t, "install", got.DeployStatus)
	require.NotNil(t, got.Operation)
	assert.Equal(t, "5e1f0a9b3c7d4e2f8a6b0c1d2e3f4a5b", got.Operation.Key())

	_, err = c.Eq.OrderInstance(context.Background(), &OrderInstanceRequest{
		Preset: "vm.nano", LocationName: "NL", OSID: 3, TrafficPlan: 1, DeployPeriod: DeployHourly})
	require.NoError(t, err)
	assert.Equal(t, "hourly", m.lastForm("eq", "order_instance").Get("deploy_period"))
	assert.Empty(t, m.lastForm("eq", "order_instance")["ipv6"], "ipv6 only when asked for")
}

func TestEqOrderInstanceEvidencedValidation(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	base := func() *OrderInstanceRequest {
		return &OrderInstanceRequest{Preset: "bm.v1-big", LocationName: "NL", OSID: 114, TrafficPlan: 7, DeployPeriod: DeployMonthly}
	}
	for field, mut := range map[string]func(*OrderInstanceRequest){
		"disk_mirror": func(r *OrderInstanceRequest) { r.DiskMirror = "1" },
		"root_size":   func(r *OrderInstanceRequest) { r.RootSize = 101 },
		"root_pass":   func(r *OrderInstanceRequest) { r.RootPass = "rootpass1" },
	} {
		r := base()
		mut(r)
		_, err := c.Eq.OrderInstance(context.Background(), r)
		assertInvalidField(t, err, field)
	}
	_, err := c.Eq.Reinstall(context.Background(), &ReinstallRequest{ID: 1, InstallOptions: InstallOptions{DiskMirror: "raid5"}})
	assertInvalidField(t, err, "disk_mirror")
	assert.Equal(t, 0, m.count("eq", "order_instance"))
	assert.Equal(t, 0, m.count("eq", "reinstall"))
}

func TestEqShowEvidencedShapes(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "show", fixture(t, "evidence/eq/show.tf.json"))
	s, err := c.Eq.Show(context.Background(), 30001)
	require.NoError(t, err)
	assert.Equal(t, eqForm("show", "id", "30001"), m.lastForm("eq", "show"))
	assert.Equal(t, []ServerIP{{IP: "203.0.113.20"}, {IP: "203.0.113.21", MainIP: true}}, s.Addresses)
	assert.Equal(t, "203.0.113.21", s.MainIP(), "the address flagged main_ip, not server_data's ip nor the first")
	assert.Equal(t, ServerStatusRent, s.Status)
	assert.Equal(t, "db1.example.com", s.Hostname())

	m.on("eq", "show", fixture(t, "evidence/eq/show.whmcs.json"))
	s, err = c.Eq.Show(context.Background(), 30002)
	require.NoError(t, err)
	assert.Equal(t, ServerStatusPowerOff, s.Status, "no status: Condition_Component, as the WHMCS module reads it")
	assert.Equal(t, "power_off", s.ConditionComponent)
	assert.Equal(t, "198.51.100.7", s.MainIP())
	assert.Equal(t, 30002, s.ID)
}

func TestEqRemoveIPMIUserIDOnly(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "remove_ipmi_user", fixture(t, "eq/remove_ipmi_user.json"))
	op, err := c.Eq.RemoveIPMIUser(context.Background(), &RemoveIPMIUserRequest{ID: 12345})
	require.NoError(t, err)
	require.NotNil(t, op)
	assert.Equal(t, eqForm("remove_ipmi_user", "id", "12345"), m.lastForm("eq", "remove_ipmi_user"), "id only, as HOSTKEY's MCP server sends it")
	_, err = c.Eq.RemoveIPMIUser(context.Background(), &RemoveIPMIUserRequest{ID: 12345, Username: "tmp1"})
	require.NoError(t, err)
	assert.Equal(t, eqForm("remove_ipmi_user", "id", "12345", "username", "tmp1"), m.lastForm("eq", "remove_ipmi_user"))
	_, err = c.Eq.RemoveIPMIUser(context.Background(), &RemoveIPMIUserRequest{})
	assertInvalidField(t, err, "id")
	assert.Equal(t, 2, m.count("eq", "remove_ipmi_user"))
}

func TestEqRenameServer(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "rename_server", `{"result":"OK","module":"eq","action":"rename_server"}`)
	op, err := c.Eq.RenameServer(context.Background(), &RenameServerRequest{ID: 12345, Hostname: "db1.example.com"})
	require.NoError(t, err)
	assert.Equal(t, eqForm("rename_server", "id", "12345", "hostname", "db1.example.com"), m.lastForm("eq", "rename_server"),
		"id and hostname as HOSTKEY's Terraform provider sends them, no PIN")
	require.NotNil(t, op)
	assert.Equal(t, "", op.Key(), "no callback key")
	select {
	case <-op.Done():
	default:
		t.Fatal("an answer without a callback key gives an Operation already done")
	}

	for field, req := range map[string]*RenameServerRequest{
		"id": {Hostname: "a.example.com"}, "hostname": {ID: 1, Hostname: " "},
	} {
		_, err := c.Eq.RenameServer(context.Background(), req)
		assertInvalidField(t, err, field)
	}
	_, err = c.Eq.RenameServer(context.Background(), &RenameServerRequest{ID: 1, Hostname: "a b"})
	assertInvalidField(t, err, "hostname")
	assert.Equal(t, 1, m.count("eq", "rename_server"))
}
