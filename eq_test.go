package invapi

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// eqForm builds the expected form of an eq.php call (token excluded).
func eqForm(action string, kv ...string) url.Values {
	f := url.Values{"action": {action}}
	for i := 0; i+1 < len(kv); i += 2 {
		f.Add(kv[i], kv[i+1])
	}
	return f
}

// assertEqInvalid checks that err is a *ValidationError naming field and
// that nothing reached eq/action.
func assertEqInvalid(t *testing.T, m *mockAPI, action, field string, err error) {
	t.Helper()
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, field, ve.Field)
	assert.ErrorIs(t, err, ErrInvalidInput)
	assert.Equal(t, 0, m.count("eq", action), "nothing may be sent for invalid input")
}

// ---------------------------------------------------------------------------
// list, search

// ---------------------------------------------------------------------------
// show, status, update_servers, groups, history

// ---------------------------------------------------------------------------
// async actions that take a server id

func TestEqAsyncByID(t *testing.T) {
	t.Parallel()
	type call func(c *Client, id int) (*Operation, error)
	cases := []struct {
		action string
		body   string
		pin    bool
		call   call
	}{
		{"sensors", "eq/sensors.json", false, func(c *Client, id int) (*Operation, error) { return c.Eq.Sensors(context.Background(), id) }},
		{"on", "eq/on.json", true, func(c *Client, id int) (*Operation, error) { return c.Eq.On(context.Background(), id) }},
		{"reboot", "eq/reboot.json", true, func(c *Client, id int) (*Operation, error) { return c.Eq.Reboot(context.Background(), id) }},
		{"unit_reset", "eq/unit_reset.json", true, func(c *Client, id int) (*Operation, error) { return c.Eq.UnitReset(context.Background(), id) }},
		{"console", "", true, func(c *Client, id int) (*Operation, error) { return c.Eq.Console(context.Background(), id) }},
		{"recreate_novnc", "eq/recreate_novnc.json", false, func(c *Client, id int) (*Operation, error) { return c.Eq.RecreateNoVNC(context.Background(), id) }},
		{"stop_novnc", "eq/stop_novnc.json", false, func(c *Client, id int) (*Operation, error) { return c.Eq.StopNoVNC(context.Background(), id) }},
	}
	for _, tc := range cases {
		t.Run(tc.action, func(t *testing.T) {
			t.Parallel()
			c, m := newTestClient(t)
			body := `{"result":"OK","action":"` + tc.action + `","callback":"7bc29eb23fb1b879b21fce509597f07c"}`
			if tc.body != "" {
				body = fixture(t, tc.body)
			}
			m.on("eq", tc.action, body)
			op, err := tc.call(c, 12345)
			require.NoError(t, err)
			want := eqForm(tc.action, "id", "12345")
			if tc.pin {
				want.Set("pin", testPIN)
			}
			assert.Equal(t, want, m.lastForm("eq", tc.action))
			assert.Equal(t, "7bc29eb23fb1b879b21fce509597f07c", op.Key())
			assert.Equal(t, "eq", op.Module())
			assert.Equal(t, tc.action, op.Action())
			assert.Equal(t, 12345, op.ServerID())
			assert.Equal(t, "eq_callback", op.CallbackModule())

			_, err = tc.call(c, 0)
			assertEqInvalid(t, m, tc.action+"-never", "id", err)
			assert.Equal(t, 1, m.count("eq", tc.action))
		})
	}
}

// name-only actions taking {ID, Extra} and answering an Operation
func TestEqNameOnlyChanges(t *testing.T) {
	t.Parallel()
	cases := []struct {
		action string
		body   string
		call   func(c *Client, id int, extra Fields) (*Operation, error)
	}{
		{"hard_off", `{"result":"OK","action":"hard_off","id":"12345"}`, func(c *Client, id int, x Fields) (*Operation, error) {
			return c.Eq.HardOff(context.Background(), &HardOffRequest{ID: id, Extra: x})
		}},
		{"suspend", `{"result":"OK","action":"suspend","id":12345,"status":"power_off"}`, func(c *Client, id int, x Fields) (*Operation, error) {
			return c.Eq.Suspend(context.Background(), &SuspendRequest{ID: id, Extra: x})
		}},
		{"unsuspend", `{"result":"OK","action":"unsuspend","id":12345,"status":"rent"}`, func(c *Client, id int, x Fields) (*Operation, error) {
			return c.Eq.Unsuspend(context.Background(), &UnsuspendRequest{ID: id, Extra: x})
		}},
		{"abort_reinstall", `{"result":"OK","action":"abort_reinstall","id":12345}`, func(c *Client, id int, x Fields) (*Operation, error) {
			return c.Eq.AbortReinstall(context.Background(), &AbortReinstallRequest{ID: id, Extra: x})
		}},
		{"ovirt_novnc", `{"result":"OK","action":"ovirt_novnc","url":"https://novnc.hostkey.com/vnc.html?autoconnect=1"}`, func(c *Client, id int, x Fields) (*Operation, error) {
			return c.Eq.OvirtNoVNC(context.Background(), &OvirtNoVNCRequest{ID: id, Extra: x})
		}},
		{"backup_save_schedule", `{"result":"OK","schedule":{"enabled":1,"period":"daily","time":"03:00","keep":3}}`, func(c *Client, id int, x Fields) (*Operation, error) {
			return c.Eq.BackupSaveSchedule(context.Background(), &BackupRequest{ID: id, Extra: x})
		}},
		{"create_backup", `{"result":"OK","action":"create_backup","callback":"0a1b2c3d4e5f60718293a4b5c6d7e8f9","backup_id":"77"}`, func(c *Client, id int, x Fields) (*Operation, error) {
			return c.Eq.CreateBackup(context.Background(), &BackupRequest{ID: id, Extra: x})
		}},
	}
	for _, tc := range cases {
		t.Run(tc.action, func(t *testing.T) {
			t.Parallel()
			c, m := newTestClient(t)
			m.on("eq", tc.action, tc.body)
			op, err := tc.call(c, 12345, Fields{"reason": "maintenance"})
			require.NoError(t, err)
			assert.Equal(t, eqForm(tc.action, "id", "12345", "reason", "maintenance"), m.lastForm("eq", tc.action))
			assert.Equal(t, tc.action, op.Action())
			assert.Equal(t, 12345, op.ServerID())
			if strings.Contains(tc.body, `"callback"`) {
				assert.Equal(t, "0a1b2c3d4e5f60718293a4b5c6d7e8f9", op.Key())
			} else {
				res, err := op.Result()
				require.NoError(t, err, "answered at once: a finished operation")
				require.NotNil(t, res)
				assert.JSONEq(t, tc.body, string(res.Raw()))
			}

			_, err = tc.call(c, 0, nil)
			var ve *ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, "id", ve.Field)
			assert.Equal(t, 1, m.count("eq", tc.action))
		})
	}
}

// ---------------------------------------------------------------------------
// PIN

// ---------------------------------------------------------------------------
// ordering

func fullOrder() *OrderInstanceRequest {
	price := MustParseMoney("10.5")
	return &OrderInstanceRequest{
		Preset: "bm.v1-big", LocationName: "NL", OSID: 114, OSName: "Ubuntu 22.04", OSTemplate: "ubuntu2204",
		RootPass: "Root-pass_123", Hostname: "web1.example.com", SSHKey: "ssh-ed25519 AAAAC3 me@host",
		DeployPeriod: DeployMonthly, DeployNotify: true, TrafficPlan: 7, IPv4Amount: 2, SoftID: 31,
		Promocode: "SPRING", CustomDomain: "example.com", CurrencyCode: "EUR", VLAN: "200", IP: "10.0.0.5",
		Email: "ops@example.com", PostInstallCallback: "https://example.com/done", PostInstallScript: "#!/bin/sh\necho hi",
		CloudInitScript: "#cloud-config", ReinstallKey: "rk1", OwnOS: true, JenkinsTask: "-1", JenkinsTests: 1,
		DiskMirror: DiskMirrorRAID1, RootSize: 50, NoLVM: "1", UEFI: true, AttendedInstall: true, ActivateWindows: true,
		DeployData: "ops@example.com", DeployOptions: "opt", DeployTicket: "T-1", DeployComment: "ci",
		DeployPrice: &price, InvoiceRelID: 99, ImitateDeploy: true, ImitateError: true,
	}
}

func TestEqRequestsNeverPrintPasswords(t *testing.T) {
	t.Parallel()
	values := []any{
		*fullOrder(), fullOrder(),
		CreatePXERequest{ID: 1, OSID: 2, RootPass: "Root-pass_123"},
		&ReinstallRequest{ID: 1, OSID: 2, RootPass: "Root-pass_123"},
		DeployRequest{ID: 1, RootPass: "Root-pass_123"},
		&AddIPMIUserRequest{ID: 1, AdminUser: "admin", AdminPass: "s3cret-Pass"},
		IPMIUser{User: "u1a2b3c", Password: "s3cret-Pass"},
		&IPMIUser{User: "u1a2b3c", Password: "s3cret-Pass"},
		struct{ Login IPMIUser }{IPMIUser{User: "u1", Password: "s3cret-Pass"}},
	}
	for _, v := range values {
		for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
			assertNoSecrets(t, fmt.Sprintf("%T printed with %s", v, format), fmt.Sprintf(format, v))
		}
	}
	assert.Contains(t, fmt.Sprintf("%+v", fullOrder()), "RootPass:[REDACTED]")
	assert.Contains(t, fmt.Sprintf("%#v", CreatePXERequest{ID: 1}), "invapi.CreatePXERequest{ID:1")
	assert.Contains(t, fmt.Sprintf("%+v", IPMIUser{User: "u1"}), "User:u1 Password:")

	logs := &lockedBuffer{}
	slog.New(slog.NewJSONHandler(logs, nil)).Info("login", "user", IPMIUser{User: "u1", Password: "s3cret-Pass"})
	assertNoSecrets(t, "slog", logs.String())
	assert.Contains(t, logs.String(), "[REDACTED]")
}

// ---------------------------------------------------------------------------
// reinstall, PXE, boot device

// ---------------------------------------------------------------------------
// IPMI, consoles

// ---------------------------------------------------------------------------
// backups

// ---------------------------------------------------------------------------
// traffic, upgrades, announcements
