package invapi

import (
	"context"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestISO(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	ctx := context.Background()
	m.on("iso", "add", `{"result":"OK","iso":{"id":"107","name":"alpine.iso","url":"https://example.com/alpine.iso","size":"1.0 GB","status":"uploaded","public":"0"}}`)
	img, err := c.ISO.Add(ctx, &ISOAddRequest{URL: "https://example.com/alpine.iso"})
	require.NoError(t, err)
	assert.Equal(t, &ISOImage{ID: 107, Name: "alpine.iso", URL: "https://example.com/alpine.iso", Size: "1.0 GB", Status: "uploaded"}, img)
	assert.Equal(t, url.Values{"action": {"add"}, "url": {"https://example.com/alpine.iso"}}, m.lastForm("iso", "add"))

	m.on("iso", "list_iso", `{"result":"OK","iso":{"0":{"id":1,"name":"ubuntu.iso","public":1},"1":{"id":"107","name":"alpine.iso"}}}`)
	list, err := c.ISO.List(ctx, &ISOListRequest{ServerID: 12345})
	require.NoError(t, err)
	// server_id, as mcp sends it (required with a customer's key).
	assert.Equal(t, url.Values{"action": {"list_iso"}, "server_id": {"12345"}}, m.lastForm("iso", "list_iso"))
	assert.Equal(t, []ISOImage{{ID: 1, Name: "ubuntu.iso", Public: true}, {ID: 107, Name: "alpine.iso"}}, list)

	// mount_iso answers a callback key (mcp): the Operation follows it.
	m.on("iso", "mount_iso", `{"result":"OK","callback":"0123456789abcdef0123456789abcdef"}`)
	m.on("eq_callback", "check", `{"result":"OK","scope":"ISO mounted"}`)
	op, err := c.ISO.MountISO(ctx, &MountISORequest{ID: 12345, Name: "alpine.iso"})
	require.NoError(t, err)
	assert.Equal(t, "0123456789abcdef0123456789abcdef", op.Key())
	assert.Equal(t, 12345, op.ServerID())
	res, err := op.Wait(ctx)
	require.NoError(t, err)
	assert.Equal(t, "ISO mounted", res.Scope)
	// name, as mcp sends it (not iso).
	assert.Equal(t, url.Values{"action": {"mount_iso"}, "id": {"12345"}, "name": {"alpine.iso"}}, m.lastForm("iso", "mount_iso"))
	m.on("iso", "mount_iso", `{"result":"OK","id":"12345","iso":"alpine.iso"}`)
	op, err = c.ISO.MountISO(ctx, &MountISORequest{ID: 12345, ISOID: 107})
	require.NoError(t, err)
	assert.Empty(t, op.Key(), "no key: done at once")
	_, err = op.Wait(ctx)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"mount_iso"}, "id": {"12345"}, "iso_id": {"107"}}, m.lastForm("iso", "mount_iso"))
	m.on("iso", "unmount_iso", `{"result":"OK","callback":"fedcba9876543210fedcba9876543210"}`)
	op, err = c.ISO.UnmountISO(ctx, 12345)
	require.NoError(t, err)
	assert.Equal(t, "fedcba9876543210fedcba9876543210", op.Key())
	assert.Equal(t, url.Values{"action": {"unmount_iso"}, "id": {"12345"}}, m.lastForm("iso", "unmount_iso"))
	m.on("iso", "delete", `{"result":"OK"}`)
	require.NoError(t, c.ISO.Delete(ctx, 107))
	// id, as mcp sends it (not iso_id).
	assert.Equal(t, url.Values{"action": {"delete"}, "id": {"107"}}, m.lastForm("iso", "delete"))

	for _, bad := range []*ISOAddRequest{{}, {URL: "ftp://x/y.iso"}, {URL: "not a url"}} {
		_, err := c.ISO.Add(ctx, bad)
		assertField(t, err, "url")
	}
	_, err = c.ISO.MountISO(ctx, &MountISORequest{ID: 12345})
	assertField(t, err, "iso_id")
	_, err = c.ISO.UnmountISO(ctx, 0)
	assertField(t, err, "id")
	_, err = c.ISO.List(ctx, &ISOListRequest{ServerID: -1})
	assertField(t, err, "server_id")
	assertField(t, c.ISO.Delete(ctx, 0), "id")
	assert.Equal(t, 2, m.count("iso", "mount_iso"))
	assert.Zero(t, m.count("iso", "upload"))
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
