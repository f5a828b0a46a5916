package invapi

import (
	"context"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOSListForInstance(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	m.on("os", "list", fixture(t, "os/list.json"))
	got, err := c.OS.List(context.Background(), &OSListRequest{InstanceID: 101, Location: "NL"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"list"}, "instance_id": {"101"}, "location": {"NL"}}, m.lastForm("os", "list"))
	// The instance variant is documented without a session.
	assert.Empty(t, m.calls("os", "list")[0].Form["token"])
	assert.Equal(t, 0, m.count("auth", "login"))

	require.Len(t, got.OS, 2)
	u := got.OS[0]
	assert.Equal(t, 1, u.ID)
	assert.Equal(t, "Ubuntu 22.04", u.Name)
	assert.Equal(t, "linux", u.Family)
	assert.Equal(t, []string{"bm", "vm", "gpu", "vgpu"}, u.Tags)
	assert.Equal(t, 1, u.MinRAM)
	assert.Equal(t, 10, u.MinHDD)
	assert.True(t, u.PricePerCoreEUR.IsZero())
	assert.Empty(t, u.Price)
	assert.True(t, u.RunsOn("GPU"))
	w := got.OS[1]
	assert.Equal(t, 5, w.ID)
	assert.Equal(t, "windows", w.Family)
	assert.Equal(t, 4, w.MinRAM)
	assert.Equal(t, 40, w.MinHDD)
	assert.Equal(t, "2.50", w.PricePerCoreEUR.String())
	assert.Equal(t, Prices{"EUR": MustParseMoney("40")}, w.Price)
	assert.False(t, w.RunsOn("gpu"))
	assert.Equal(t, []OS{{ID: 6, Name: "VMware ESXi 8"}}, got.Excluded)
	assert.Contains(t, string(got.Raw()), "excluded")
}

func TestOSListForServer(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	m.on("os", "list", `{"result":"OK","os":[{"id":3,"name":"Debian 12","family":"linux","tags":["bm","vm"],"min_ram":1,"min_hdd":10}]}`)
	got, err := c.OS.List(context.Background(), &OSListRequest{ID: 12345})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"list"}, "id": {"12345"}}, m.lastForm("os", "list"))
	assert.Equal(t, testToken, m.calls("os", "list")[0].Form.Get("token"))
	require.Len(t, got.OS, 1)
	assert.Equal(t, "Debian 12", got.OS[0].Name)
	assert.Nil(t, got.Excluded)

	// nil lists every OS; a bare array answer is read too.
	m.on("os", "list", `[{"id":1,"name":"Ubuntu 22.04"}]`)
	got, err = c.OS.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"list"}}, m.lastForm("os", "list"))
	assert.Equal(t, []OS{{ID: 1, Name: "Ubuntu 22.04"}}, got.OS)
}

func TestOSListValidation(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	for _, tc := range []struct {
		req   *OSListRequest
		field string
	}{
		{&OSListRequest{ID: -1}, "id"},
		{&OSListRequest{InstanceID: -1}, "instance_id"},
		{&OSListRequest{ID: 1, InstanceID: 2}, "instance_id"},
		{&OSListRequest{InstanceID: 2, Location: "N L"}, "location"},
	} {
		_, err := c.OS.List(context.Background(), tc.req)
		assertInvalid(t, err, tc.field)
	}
	assert.Equal(t, 0, m.count("os", "list"))
}
