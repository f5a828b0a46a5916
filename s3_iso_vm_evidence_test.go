package invapi

import (
	"context"
	"errors"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testSSHKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl me@laptop"

func TestSSHKeysTerraformShapes(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	ctx := context.Background()
	m.on("ssh_keys", "list", fixture(t, "evidence/ssh_keys/list.tf.json"))
	list, err := c.SSHKeys.List(ctx)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"list"}}, m.lastForm("ssh_keys", "list"))
	assert.Equal(t, []SSHKey{
		{ID: 5, CustomerID: 1001, Name: "laptop", Key: testSSHKey, Default: true, Created: "2026-11-20 10:00:00"},
		{ID: 6, CustomerID: 1001, Name: "ci", Key: "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 ci@build", Created: "2026-11-21 11:00:00"},
	}, list)

	m.on("ssh_keys", "add", fixture(t, "evidence/ssh_keys/add.tf.json"))
	k, err := c.SSHKeys.Add(ctx, &SSHKeyAddRequest{Name: "laptop", Key: testSSHKey, Default: true})
	require.NoError(t, err)
	// params[name], params[key], params[default]=1, as tf sends them.
	assert.Equal(t, url.Values{"action": {"add"}, "params[name]": {"laptop"}, "params[key]": {testSSHKey}, "params[default]": {"1"}},
		m.lastForm("ssh_keys", "add"))
	assert.Equal(t, 7, k.ID)
	assert.True(t, k.Default)
	_, err = c.SSHKeys.Add(ctx, &SSHKeyAddRequest{Name: "ci", Key: "ssh-rsa AAAAB3Nza ci"})
	require.NoError(t, err)
	assert.Equal(t, "0", m.lastForm("ssh_keys", "add").Get("params[default]"), "default is always sent, 0 or 1")

	// An answer without the key's id: the key may be stored, so the
	// outcome is unknown, and add is never sent again.
	m.on("ssh_keys", "add", `{"result":"OK","module":"ssh_keys","action":"add"}`)
	_, err = c.SSHKeys.Add(ctx, &SSHKeyAddRequest{Name: "x", Key: testSSHKey})
	var unknown *OutcomeUnknownError
	require.True(t, errors.As(err, &unknown), "%v", err)
	assert.Contains(t, unknown.Settle, "ssh_keys/list")
	assert.Equal(t, 3, m.count("ssh_keys", "add"))

	m.on("ssh_keys", "delete", `{"result":"OK","module":"ssh_keys","action":"delete"}`)
	require.NoError(t, c.SSHKeys.Delete(ctx, 5))
	assert.Equal(t, url.Values{"action": {"delete"}, "id": {"5"}}, m.lastForm("ssh_keys", "delete"))

	for _, tc := range []struct {
		req   *SSHKeyAddRequest
		field string
	}{
		{nil, "params[name]"}, {&SSHKeyAddRequest{Key: testSSHKey}, "params[name]"},
		{&SSHKeyAddRequest{Name: "k"}, "params[key]"}, {&SSHKeyAddRequest{Name: "k", Key: "AAAAC3Nza only"}, "params[key]"},
		{&SSHKeyAddRequest{Name: "k", Key: testSSHKey + "\nssh-rsa AAAA x"}, "params[key]"},
	} {
		_, err := c.SSHKeys.Add(ctx, tc.req)
		assertInvalid(t, err, tc.field)
	}
	assertInvalid(t, c.SSHKeys.Delete(ctx, 0), "id")
	assert.Equal(t, 3, m.count("ssh_keys", "add"))
	assert.Equal(t, 1, m.count("ssh_keys", "delete"))
}

func TestJenkinsCall(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	ctx := context.Background()
	m.on("jenkins", "call", `{"result":"OK","action":"call","callback":"a1b2c3d4e5f60718293a4b5c6d7e8f90"}`)
	m.on("eq_callback", "check", `{"result":"OK","scope":"Task Install NVIDIA drivers completed"}`)
	op, err := c.Jenkins.Call(ctx, &JenkinsCallRequest{ID: 12347, Task: "1", Params: FormMap{"driver": "550"}})
	require.NoError(t, err)
	// id, task, params[...], as mcp sends them.
	assert.Equal(t, url.Values{"action": {"call"}, "id": {"12347"}, "task": {"1"}, "params[driver]": {"550"}}, m.lastForm("jenkins", "call"))
	res, err := op.Wait(ctx)
	require.NoError(t, err)
	assert.Equal(t, "Task Install NVIDIA drivers completed", res.Scope)
	assert.Equal(t, 12347, op.ServerID())

	for _, tc := range []struct {
		req   *JenkinsCallRequest
		field string
	}{
		{nil, "id"}, {&JenkinsCallRequest{Task: "1"}, "id"}, {&JenkinsCallRequest{ID: 1, Task: " "}, "task"},
		{&JenkinsCallRequest{ID: 1, Task: "1", Params: FormMap{"a[b]": "x"}}, "params"},
	} {
		_, err := c.Jenkins.Call(ctx, tc.req)
		assertInvalid(t, err, tc.field)
	}
	assert.Equal(t, 1, m.count("jenkins", "call"))
}

func TestVMSnapshotIDAndEngine(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	ctx := context.Background()
	m.on("vm", "get_snapshot", fixture(t, "evidence/vm/get_snapshot.mcp.json"))
	snaps, err := c.VM.GetSnapshot(ctx, 12346)
	require.NoError(t, err)
	assert.Equal(t, []Snapshot{{SnapshotID: 8812, Name: "before-upgrade", Date: "2026-11-24 09:20:00", Size: "4.2 GB"}}, snaps.Snapshots)

	m.on("vm", "get_engine", `{"result":"OK","engine":"ovirt","version":"4.5"}`)
	eng, err := c.VM.GetEngine(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"get_engine"}}, m.lastForm("vm", "get_engine"))
	assert.Equal(t, "ovirt", eng.Engine)
	assert.Contains(t, string(eng.Raw()), `"version":"4.5"`)
	m.on("vm", "get_engine", `{"result":"OK","data":"kvm"}`)
	eng, err = c.VM.GetEngine(ctx, &VMEngineRequest{Extra: Fields{"id": "12346"}})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"get_engine"}, "id": {"12346"}}, m.lastForm("vm", "get_engine"))
	assert.Equal(t, "kvm", eng.Engine)
}

func TestISOMountCallbackFromMCP(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	ctx := context.Background()
	m.on("iso", "mount_iso", fixture(t, "evidence/iso/mount_iso.mcp.json"))
	m.on("eq_callback", "check", `{"result":"OK","scope":"ISO mounted"}`)
	op, err := c.ISO.MountISO(ctx, &MountISORequest{ID: 12345, ISOID: 3})
	require.NoError(t, err)
	assert.Equal(t, "0c1d2e3f405162738495a6b7c8d9eaf0", op.Key())
	assert.Equal(t, "eq_callback", op.CallbackModule())
	_, err = op.Wait(ctx)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"check"}, "key": {"0c1d2e3f405162738495a6b7c8d9eaf0"}}, m.lastForm("eq_callback", "check"))
}

func TestS3NewActions(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	ctx := context.Background()
	m.on("s3", "get_available_locations", `{"result":"OK","locations":[{"location":"NL","name":"Amsterdam"},"US"]}`)
	locs, err := c.S3.GetAvailableLocations(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"get_available_locations"}}, m.lastForm("s3", "get_available_locations"))
	assert.Equal(t, []S3Location{{Code: "NL", Name: "Amsterdam"}, {Code: "US"}}, locs)
	m.on("s3", "get_available_locations", `{"result":"OK","data":["NL"]}`)
	locs, err = c.S3.GetAvailableLocations(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, []S3Location{{Code: "NL"}}, locs)

	m.on("s3", "update_traffic_info", `{"result":"OK"}`)
	require.NoError(t, c.S3.UpdateTrafficInfo(ctx, 9))
	assert.Equal(t, url.Values{"action": {"update_traffic_info"}, "account_id": {"9"}}, m.lastForm("s3", "update_traffic_info"))
	assertInvalid(t, c.S3.UpdateTrafficInfo(ctx, 0), "account_id")
	_, err = c.S3.ListPlans(ctx, &S3LocationRequest{Location: "N-L"})
	assertInvalid(t, err, "location")
	assert.Equal(t, 1, m.count("s3", "update_traffic_info"))
	assert.Equal(t, 0, m.count("s3", "list_plans"))
}
