package invapi

import (
	"context"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVM(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	ctx := context.Background()
	m.on("vm", "create_snapshot", `{"result":"OK","action":"create_snapshot","callback":"k-snap"}`)
	m.on("eq_callback", "check", `{"result":"OK","scope":"Snapshot before-upgrade created","context":{"id":"12346"},"key":"k-snap"}`)
	op, err := c.VM.CreateSnapshot(ctx, 12346, "before-upgrade")
	require.NoError(t, err)
	res, err := op.Wait(ctx)
	require.NoError(t, err)
	assert.Equal(t, "Snapshot before-upgrade created", res.Scope)
	assert.Equal(t, url.Values{"action": {"create_snapshot"}, "id": {"12346"}, "name": {"before-upgrade"}}, m.lastForm("vm", "create_snapshot"))

	m.on("vm", "get_snapshot", `{"result":"OK","snapshots":[{"name":"before-upgrade","date":"2026-11-24 09:00:00","size":"4.2 GB"}],"settings":{"auto_restore":"0","rotation":"3"}}`)
	snaps, err := c.VM.GetSnapshot(ctx, 12346)
	require.NoError(t, err)
	assert.Equal(t, []Snapshot{{Name: "before-upgrade", Date: "2026-11-24 09:00:00", Size: "4.2 GB"}}, snaps.Snapshots)
	assert.Equal(t, RestoreSettings{Rotation: 3}, snaps.Settings)

	m.on("vm", "update_restore_settings", `{"result":"OK","settings":{"auto_restore":1,"rotation":5}}`)
	set, err := c.VM.UpdateRestoreSettings(ctx, 12346, RestoreSettings{AutoRestore: true, Rotation: 5})
	require.NoError(t, err)
	assert.Equal(t, &RestoreSettings{AutoRestore: true, Rotation: 5}, set)
	assert.Equal(t, url.Values{"action": {"update_restore_settings"}, "id": {"12346"}, "auto_restore": {"1"}, "rotation": {"5"}},
		m.lastForm("vm", "update_restore_settings"))

	m.on("vm", "load_stats", `{"result":"OK","id":12346,"stats":{"cpu":"12.5","ram_used":1536,"ram_total":"4096"}}`)
	st, err := c.VM.LoadStats(ctx, 12346)
	require.NoError(t, err)
	assert.Equal(t, 12.5, st.CPU)
	assert.Equal(t, int64(4096), st.RAMTotal)

	_, err = c.VM.RestoreSnapshot(ctx, 12346, " ")
	assertField(t, err, "name")
	_, err = c.VM.RemoveSnapshot(ctx, 0, "x")
	assertField(t, err, "id")
	assert.Zero(t, m.count("vm", "restore_snapshot")+m.count("vm", "remove_snapshot"))
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
