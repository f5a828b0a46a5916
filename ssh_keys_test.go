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
