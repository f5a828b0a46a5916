package invapi

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEqOrderInstanceForm(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "order_instance", fixture(t, "eq/order_instance.json"))
	got, err := c.Eq.OrderInstance(context.Background(), fullOrder())
	require.NoError(t, err)
	assert.Equal(t, eqForm("order_instance",
		"preset", "bm.v1-big", "location_name", "NL", "os_id", "114", "os_name", "Ubuntu 22.04", "os_template", "ubuntu2204",
		"root_pass", "Root-pass_123", "hostname", "web1.example.com", "ssh_key", "ssh-ed25519 AAAAC3 me@host",
		"deploy_period", "monthly", "deploy_notify", "1", "traffic_plan", "7", "ipv4_amount", "2", "soft_id", "31",
		"promocode", "SPRING", "custom_domain", "example.com", "currency_code", "EUR", "vlan", "200", "ip", "10.0.0.5",
		"email", "ops@example.com", "post_install_callback", "https://example.com/done", "post_install_script", "#!/bin/sh\necho hi",
		"cloud_init_script", "#cloud-config", "reinstall_key", "rk1", "own_os", "1", "jenkins_task", "-1", "jenkins_tests", "1",
		"disk_mirror", "raid1", "root_size", "50", "no_lvm", "1", "uefi", "1", "attendedInstall", "1", "activate_windows", "1",
		"deploy_data", "ops@example.com", "deploy_options", "opt", "deploy_ticket", "T-1", "deploy_comment", "ci",
		"deploy_price", "10.50", "invoice_relid", "99", "imitate_deploy", "1", "imitate_error", "1",
		"pin", testPIN), m.lastForm("eq", "order_instance"))

	require.NotNil(t, got.Operation)
	assert.Equal(t, "7bc29eb23fb1b879b21fce509597f07c", got.Operation.Key())
	assert.Equal(t, "order_instance", got.Operation.Action())
	assert.Equal(t, 12345, got.ID)
	assert.Equal(t, "install", got.DeployStatus)
	assert.Equal(t, "Ubuntu 22.04", got.OSName)
	assert.Equal(t, "cPanel", got.SoftName)
	assert.Equal(t, 0, got.Invoice)
}

func TestEqOrderInstanceMinimal(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "order_instance", fixture(t, "eq/order_instance_invoice_only.json"))
	got, err := c.Eq.OrderInstance(context.Background(), &OrderInstanceRequest{
		Preset: "vm.nano", LocationName: "US", OSID: 3, DeployPeriod: DeployAnnually, TrafficPlan: 1})
	require.NoError(t, err)
	assert.Equal(t, eqForm("order_instance", "preset", "vm.nano", "location_name", "US", "os_id", "3",
		"deploy_period", "annually", "deploy_notify", "0", "traffic_plan", "1", "pin", testPIN), m.lastForm("eq", "order_instance"))
	assert.Equal(t, 700123, got.Invoice, "the order may answer with only an invoice")
	assert.Equal(t, 0, got.ID)
	require.NotNil(t, got.Operation)
	assert.Equal(t, "0d9f6c2a1b3e4f5a6b7c8d9e0f1a2b3c", got.Operation.Key())
	assert.Equal(t, 0, got.Operation.ServerID())
}

func TestEqOrderInstanceReinstallPath(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "order_instance", fixture(t, "eq/order_instance.json"))
	_, err := c.Eq.OrderInstance(context.Background(), &OrderInstanceRequest{ID: 12345, OSID: 114, RootPass: "s3cret-Pass"})
	require.NoError(t, err)
	assert.Equal(t, eqForm("order_instance", "id", "12345", "os_id", "114", "root_pass", "s3cret-Pass", "deploy_notify", "0", "pin", testPIN),
		m.lastForm("eq", "order_instance"))
}

func TestEqOrderInstanceNeverResent(t *testing.T) {
	t.Parallel()
	for name, handler := range map[string]func(url.Values) (int, string){
		"502":     func(url.Values) (int, string) { return http.StatusBadGateway, "<html>Bad gateway</html>" },
		"dropped": func(url.Values) (int, string) { return dropConnection, "" },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, m := newTestClient(t)
			m.onFunc("eq", "order_instance", handler)
			_, err := c.Eq.OrderInstance(context.Background(), fullOrder())
			assert.ErrorIs(t, err, ErrOutcomeUnknown)
			var unknown *OutcomeUnknownError
			require.ErrorAs(t, err, &unknown)
			assert.Contains(t, unknown.Settle, "eq/update_servers deploy_keys")
			assert.Contains(t, unknown.Settle, "whmcs/get_invoices")
			assert.Equal(t, 1, m.count("eq", "order_instance"), "an order is sent at most once")
			assertErrorHidesSecrets(t, err)
		})
	}
}

func TestEqOrderInstanceRefused(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "order_instance", fixture(t, "eq/order_instance_error.json"))
	_, err := c.Eq.OrderInstance(context.Background(), fullOrder())
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "OS is not compatible with preset", apiErr.Message)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	assert.Equal(t, 1, m.count("eq", "order_instance"))
}

func TestEqOrderInstanceValidation(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	mut := func(f func(r *OrderInstanceRequest)) *OrderInstanceRequest { r := fullOrder(); f(r); return r }
	cases := map[string]*OrderInstanceRequest{
		"preset":        mut(func(r *OrderInstanceRequest) { r.Preset = "" }),
		"location_name": mut(func(r *OrderInstanceRequest) { r.LocationName = " " }),
		"deploy_period": mut(func(r *OrderInstanceRequest) { r.DeployPeriod = "" }),
		"traffic_plan":  mut(func(r *OrderInstanceRequest) { r.TrafficPlan = 0 }),
		"os_id":         mut(func(r *OrderInstanceRequest) { r.OSID = 0 }),
		"id":            mut(func(r *OrderInstanceRequest) { r.ID = -1 }),
		"ipv4_amount":   mut(func(r *OrderInstanceRequest) { r.IPv4Amount = -1 }),
	}
	for field, req := range cases {
		_, err := c.Eq.OrderInstance(context.Background(), req)
		assertEqInvalid(t, m, "order_instance", field, err)
	}
	for _, bad := range []string{"Short1", "no-capital-1", "NoDigits-here", "Has@Sign123", "Has#Hash123", "Has Space123", strings.Repeat("A1", 16)} {
		_, err := c.Eq.OrderInstance(context.Background(), mut(func(r *OrderInstanceRequest) { r.RootPass = bad }))
		assertEqInvalid(t, m, "order_instance", "root_pass", err)
		assert.NotContains(t, err.Error(), bad, "a validation error never shows the password")
	}
	_, err := c.Eq.OrderInstance(context.Background(), nil)
	require.Error(t, err)
	assert.Equal(t, 0, m.count("eq", "order_instance"))
}

func TestEqDeploy(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "deploy", `{"result":"OK","action":"deploy","invoice_id":"700200","id":"0"}`)
	got, err := c.Eq.Deploy(context.Background(), &DeployRequest{Preset: "vm.nano", OSID: 3, RootPass: "Root-pass_123",
		Hostname: "h1", SSHKey: "ssh-ed25519 AAA", PostInstallScript: "echo", Extra: Fields{"location_name": "NL"}})
	require.NoError(t, err)
	assert.Equal(t, eqForm("deploy", "preset", "vm.nano", "os_id", "3", "root_pass", "Root-pass_123", "hostname", "h1",
		"ssh_key", "ssh-ed25519 AAA", "post_install_script", "echo", "location_name", "NL"), m.lastForm("eq", "deploy"))
	assert.Equal(t, 700200, got.Invoice)
	assert.Nil(t, got.Operation)

	_, err = c.Eq.Deploy(context.Background(), &DeployRequest{OSID: 3})
	assertEqInvalid(t, m, "deploy-none", "id", err)
	m.onFunc("eq", "deploy", func(url.Values) (int, string) { return http.StatusInternalServerError, "oops" })
	_, err = c.Eq.Deploy(context.Background(), &DeployRequest{ID: 12345})
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Equal(t, 2, m.count("eq", "deploy"), "money: never replayed")
}
