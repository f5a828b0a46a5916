package invapi

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEqReinstallMasterKey(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "reinstall", fixture(t, "eq/reinstall_master_key.json"))
	got, err := c.Eq.Reinstall(context.Background(), &ReinstallRequest{ID: 12345})
	require.NoError(t, err)
	assert.Equal(t, eqForm("reinstall", "id", "12345"), m.lastForm("eq", "reinstall"))
	assert.Equal(t, "a7c3e9f1b5d24680ace13579bdf02468", got.Key)
	require.NotNil(t, got.Operation)
	assert.Equal(t, got.Key, got.Operation.Key())
	assert.Equal(t, 12345, got.ID)

	// The key goes to create_pxe, whose stages it then reports.
	m.on("eq", "create_pxe", fixture(t, "eq/create_pxe.json"))
	_, err = c.Eq.CreatePXE(context.Background(), &CreatePXERequest{ID: 12345, OSID: 114, RootPass: "Root-pass_123", Hostname: "web1", ReinstallKey: got.Key})
	require.NoError(t, err)
	assert.Equal(t, got.Key, m.lastForm("eq", "create_pxe").Get("reinstall_key"))
}

func TestEqReinstallFull(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "reinstall", fixture(t, "eq/reinstall.json"))
	got, err := c.Eq.Reinstall(context.Background(), &ReinstallRequest{ID: 12345, OSID: 114, RootPass: "Root-pass_123",
		SSHKey: "ssh-ed25519 AAA", Type: "bm", OSTemplate: "ubuntu", SoftID: 5,
		InstallOptions: InstallOptions{DiskMirror: DiskMirrorRAID1, UEFI: true, Full: true, Groups: []string{"a", "b"}}})
	require.NoError(t, err)
	assert.Equal(t, eqForm("reinstall", "id", "12345", "os_id", "114", "root_pass", "Root-pass_123", "ssh_key", "ssh-ed25519 AAA",
		"type", "bm", "os_template", "ubuntu", "soft_id", "5", "disk_mirror", "raid1", "uefi", "1", "full", "1",
		"groups[]", "a", "groups[]", "b"), m.lastForm("eq", "reinstall"))
	assert.Equal(t, "7bc29eb23fb1b879b21fce509597f07c", got.Key)
	assert.Equal(t, 12345, got.ID)
	assert.Equal(t, "reinstall", got.DeployStatus)
	assert.Equal(t, "Ubuntu 20.04", got.OSName)
	assert.Equal(t, "MySQL", got.SoftName)

	m.on("eq", "reinstall", fixture(t, "eq/reinstall_error.json"))
	_, err = c.Eq.Reinstall(context.Background(), &ReinstallRequest{ID: 12345})
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Contains(t, apiErr.Message, "Reinstall already underway")
}

func TestEqReinstallValidation(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	for field, req := range map[string]*ReinstallRequest{
		"id":            {OSID: 1, RootPass: "Root-pass_123"},
		"root_pass":     {ID: 1, OSID: 114},
		"os_id":         {ID: 1, OSID: -1},
		"rack_position": {ID: 1, InstallOptions: InstallOptions{RackPosition: -2}},
	} {
		_, err := c.Eq.Reinstall(context.Background(), req)
		assertEqInvalid(t, m, "reinstall", field, err)
	}
	_, err := c.Eq.Reinstall(context.Background(), &ReinstallRequest{ID: 1, OSName: "Debian 12", RootPass: "weak"})
	assertEqInvalid(t, m, "reinstall", "root_pass", err)
}

func TestEqCreatePXEForm(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "create_pxe", fixture(t, "eq/create_pxe.json"))
	price := MustParseMoney("3")
	op, err := c.Eq.CreatePXE(context.Background(), &CreatePXERequest{
		ID: 12345, OSID: 114, RootPass: "Root-pass_123", Hostname: "web1.example.com", SSHKey: "ssh-ed25519 AAA",
		PostInstallScript: "echo hi", PostInstallCallback: "https://example.com/cb", CloudInitScript: "#cloud-config",
		ReinstallKey: "a7c3e9f1b5d24680ace13579bdf02468", Email: "ops@example.com",
		InstallOptions: InstallOptions{
			DiskMirror: DiskMirrorRAID1, RootSize: 40, ManualChoiceDsk: 2, NoLVM: "1", UEFI: true, AttendedInstall: true, ActivateWindows: true,
			OwnOS: true, CustomDomain: "example.com", JenkinsTask: "12", JenkinsTests: 1, DeployTicket: "T1", DeployData: "d",
			DeployOptions: "o", DeployPeriod: "monthly", DeployPrice: &price, DeployNotify: true, DeployComment: "c",
			ImitateDeploy: true, ImitateError: true, TrafficPlan: 7, LocationName: "NL", InvoiceRelID: 9, Option: "3", Value: "4",
			Params: FormMap{"lvm": "raid1"}, Config: "5", ServerName: "sn", LogLine: "ll", KVM: "k", WhiteIP: "198.51.100.7",
			Name: "n", Description: "desc", Size: "10", Groups: []string{"Gpu"}, Rack: "R1", RackPosition: 12, IP: "10.0.0.9",
			Promocode: "P", Full: true, VLAN: "200", Key: "kk", NewID: 6, NewInterfaceID: 8, DontMoveIP: true, MapInterface: 1,
			FreeIPs: 2, CreateKayakoTicket: true, KayakoTicketText: "t", Ticket: "tk", Limit: 5, TagsReplaceConfirmed: true,
			IPv4Amount: 1, CurrencyCode: "EUR",
		},
	})
	require.NoError(t, err)
	assert.Equal(t, eqForm("create_pxe", "id", "12345", "os_id", "114", "root_pass", "Root-pass_123", "hostname", "web1.example.com",
		"ssh_key", "ssh-ed25519 AAA", "post_install_script", "echo hi", "post_install_callback", "https://example.com/cb",
		"cloud_init_script", "#cloud-config", "reinstall_key", "a7c3e9f1b5d24680ace13579bdf02468", "email", "ops@example.com",
		"disk_mirror", "raid1", "root_size", "40", "manual_choice_dsk", "2", "no_lvm", "1", "uefi", "1", "attendedInstall", "1",
		"activate_windows", "1", "own_os", "1", "custom_domain", "example.com", "jenkins_task", "12", "jenkins_tests", "1",
		"deploy_ticket", "T1", "deploy_data", "d", "deploy_options", "o", "deploy_period", "monthly", "deploy_price", "3.00",
		"deploy_notify", "1", "deploy_comment", "c", "imitate_deploy", "1", "imitate_error", "1", "traffic_plan", "7",
		"location_name", "NL", "invoice_relid", "9", "option", "3", "value", "4", "params[lvm]", "raid1", "config", "5",
		"server_name", "sn", "log_line", "ll", "kvm", "k", "white_ip", "198.51.100.7", "name", "n", "description", "desc",
		"size", "10", "groups[]", "Gpu", "rack", "R1", "rack_position", "12", "ip", "10.0.0.9", "promocode", "P", "full", "1",
		"vlan", "200", "key", "kk", "new_id", "6", "new_interface_id", "8", "dont_move_ip", "1", "map_interface", "1",
		"free_ips", "2", "create_kayako_ticket", "1", "kayako_ticket_text", "t", "ticket", "tk", "limit", "5",
		"tags_replace_confirmed", "1", "ipv4_amount", "1", "currency_code", "EUR", "pin", testPIN), m.lastForm("eq", "create_pxe"))
	assert.Equal(t, "7bc29eb23fb1b879b21fce509597f07c", op.Key())
	assert.Equal(t, "create_pxe", op.Action())
}

func TestEqCreatePXEMinimalAndInvalid(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "create_pxe", fixture(t, "eq/create_pxe_error.json"))
	_, err := c.Eq.CreatePXE(context.Background(), &CreatePXERequest{ID: 12345, OSName: "Debian 12", RootPass: "s3cret-Pass"})
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "Create PXE config request failed", apiErr.Message)
	assert.Equal(t, eqForm("create_pxe", "id", "12345", "os_name", "Debian 12", "root_pass", "s3cret-Pass", "pin", testPIN), m.lastForm("eq", "create_pxe"))

	for field, req := range map[string]*CreatePXERequest{
		"id":        {OSID: 1, RootPass: "Root-pass_123"},
		"os_id":     {ID: 1, RootPass: "Root-pass_123"},
		"root_pass": {ID: 1, OSID: 2},
		"limit":     {ID: 1, OSID: 2, RootPass: "Root-pass_123", InstallOptions: InstallOptions{Limit: -1}},
	} {
		_, err := c.Eq.CreatePXE(context.Background(), req)
		var ve *ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, field, ve.Field)
	}
	assert.Equal(t, 1, m.count("eq", "create_pxe"))
}

func TestEqClearPXE(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "clear_pxe", fixture(t, "eq/clear_pxe.json"))
	op, err := c.Eq.ClearPXE(context.Background(), &ClearPXERequest{ID: 12345, Hostname: "web1.example.com"})
	require.NoError(t, err)
	assert.Equal(t, eqForm("clear_pxe", "id", "12345", "hostname", "web1.example.com"), m.lastForm("eq", "clear_pxe"))
	assert.Equal(t, "7bc29eb23fb1b879b21fce509597f07c", op.Key())
	_, err = c.Eq.ClearPXE(context.Background(), &ClearPXERequest{ID: 12345})
	require.NoError(t, err)
	assert.Equal(t, eqForm("clear_pxe", "id", "12345"), m.lastForm("eq", "clear_pxe"), "hostname is optional (newer reference)")
	_, err = c.Eq.ClearPXE(context.Background(), &ClearPXERequest{})
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, 2, m.count("eq", "clear_pxe"))
}

func TestEqBootDev(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "boot_dev", fixture(t, "eq/boot_dev.json"))
	op, err := c.Eq.BootDev(context.Background(), &BootDevRequest{ID: 12345, Media: BootPXE, BootMode: BootModeUEFI})
	require.NoError(t, err)
	assert.Equal(t, eqForm("boot_dev", "id", "12345", "media", "pxe", "boot_mode", "uefi", "pin", testPIN), m.lastForm("eq", "boot_dev"))
	assert.Equal(t, "7bc29eb23fb1b879b21fce509597f07c", op.Key())
	for _, media := range []BootMedia{BootDisk, BootCD} {
		_, err = c.Eq.BootDev(context.Background(), &BootDevRequest{ID: 12345, Media: media})
		require.NoError(t, err)
		assert.Equal(t, eqForm("boot_dev", "id", "12345", "media", string(media), "pin", testPIN), m.lastForm("eq", "boot_dev"))
	}
	for field, req := range map[string]*BootDevRequest{
		"media":     {ID: 1, Media: "usb"},
		"boot_mode": {ID: 1, Media: BootDisk, BootMode: "bios"},
		"id":        {Media: BootDisk},
	} {
		_, err := c.Eq.BootDev(context.Background(), req)
		var ve *ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, field, ve.Field)
	}
	_, err = c.Eq.BootDev(context.Background(), &BootDevRequest{ID: 1})
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "media", ve.Field, "media is required")
	assert.Equal(t, 3, m.count("eq", "boot_dev"))
}
