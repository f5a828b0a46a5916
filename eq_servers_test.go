package invapi

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEqListDocumented(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "list", fixture(t, "eq/list.json"))
	got, err := c.Eq.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, eqForm("list"), m.lastForm("eq", "list"))
	require.Len(t, got, 1)
	assert.Equal(t, ServerSummary{ID: 12345, Name: "server-01", Status: "rent", Location: "NL", IP: "192.168.1.1", Type: "Server"}, got[0])
	assert.Equal(t, "server-01", got[0].Hostname(), "no hostname field or tag: the name")
}

func TestEqListFilters001(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "list", fixture(t, "eq/list_ids.json"))
	got, err := c.Eq.List(context.Background(), &ServerListRequest{
		Locations: []string{"RU", "NL"}, Status: ServerStatusPowerOff, Components: []int{12345, 5456},
		IP: "199.100.7.5", MAC: "00.00.00.00.00.00", Groups: []string{"1CPU", "AMD"},
	})
	require.NoError(t, err)
	assert.Equal(t, eqForm("list", "location", "RU,NL", "status", "power_off", "component", "12345,5456",
		"ip", "199.100.7.5", "mac", "00.00.00.00.00.00", "group", "1CPU,AMD"), m.lastForm("eq", "list"))
	assert.Equal(t, []ServerSummary{{ID: 12345}, {ID: 12346}}, got, "the older reference answers bare ids")
}

func TestEqListFilters004(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "list", fixture(t, "eq/list_one_row.json"))
	got, err := c.Eq.List(context.Background(), &ServerListRequest{ID: 25250, LocationID: 2, Full: true, Type: "Server", Status: "rent", Groups: []string{"AMD"}})
	require.NoError(t, err)
	assert.Equal(t, eqForm("list", "id", "25250", "location", "2", "full", "1", "type", "Server", "status", "rent", "group", "AMD"),
		m.lastForm("eq", "list"))
	require.Len(t, got, 1, "a one-row list sent as an object")
	s := got[0]
	assert.Equal(t, 25250, s.ID)
	assert.Equal(t, "", s.Name)
	assert.Equal(t, "203.0.113.11", s.IP)
	assert.Equal(t, "on", s.Power)
	assert.Equal(t, "0c:c4:7a:00:11:22", s.MAC)
	assert.Equal(t, "Ubuntu 22.04", s.OS)
	assert.Equal(t, "bm.v1-big", s.Preset)
	assert.Equal(t, []string{"203.0.113.10", "203.0.113.11"}, s.IPs)
	assert.Equal(t, "web1.example.com", s.Hostname(), "the hostname lives in the tags")
}

func TestEqListValidation(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	for field, req := range map[string]*ServerListRequest{
		"location":  {Locations: []string{"NL"}, LocationID: 3},
		"ip":        {IP: "not-an-ip"},
		"component": {Components: []int{0}},
		"group":     {Groups: []string{"1CPU,AMD"}},
		"id":        {ID: -1},
	} {
		_, err := c.Eq.List(context.Background(), req)
		assertEqInvalid(t, m, "list", field, err)
	}
}

func TestEqSearch(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "search", `{"result":"OK","servers":[{"id":"12345","name":"web-1","status":"rent","location":"US","ip":"198.51.100.4","type":"VPS"}]}`)
	got, err := c.Eq.Search(context.Background(), &ServerSearchRequest{
		ServerListRequest: ServerListRequest{Locations: []string{"US"}, MAC: "0c:c4:7a:00:11:22"},
		Extra:             Fields{"name": "web"},
	})
	require.NoError(t, err)
	assert.Equal(t, eqForm("search", "location", "US", "mac", "0c:c4:7a:00:11:22", "name", "web"), m.lastForm("eq", "search"))
	assert.Equal(t, []ServerSummary{{ID: 12345, Name: "web-1", Status: "rent", Location: "US", IP: "198.51.100.4", Type: "VPS"}}, got)

	_, err = c.Eq.Search(context.Background(), &ServerSearchRequest{ServerListRequest: ServerListRequest{IP: "x"}})
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "ip", ve.Field)
	assert.Equal(t, 1, m.count("eq", "search"))
}

func TestEqUnifiedServerSearch(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "unified_server_search", `{"result":"OK","servers":[{"id":12345,"name":"web-1"},{"id":"25250","name":""}]}`)
	got, err := c.Eq.UnifiedServerSearch(context.Background(), &UnifiedServerSearchRequest{Query: "web"})
	require.NoError(t, err)
	assert.Equal(t, eqForm("unified_server_search", "query", "web"), m.lastForm("eq", "unified_server_search"))
	require.Len(t, got, 2)
	assert.Equal(t, 12345, got[0].ID)
	assert.Equal(t, "web-1", got[0].Name)
	assert.Equal(t, 25250, got[1].ID)

	_, err = c.Eq.UnifiedServerSearch(context.Background(), &UnifiedServerSearchRequest{Query: " "})
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "query", ve.Field)
	assert.Equal(t, 1, m.count("eq", "unified_server_search"))
}

func TestEqShowDocumented(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "show", fixture(t, "eq/show.json"))
	s, err := c.Eq.Show(context.Background(), 12345)
	require.NoError(t, err)
	assert.Equal(t, eqForm("show", "id", "12345"), m.lastForm("eq", "show"))

	assert.Equal(t, ServerSummary{ID: 12345, Name: "server-01", Status: "rent", Location: "NL", IP: "192.168.1.1", Type: "Server"}, s.ServerSummary)
	require.Len(t, s.Hardware.Components, 1)
	assert.Equal(t, "CPU", s.Hardware.Components[0].Type)
	assert.Equal(t, "Intel Xeon", s.Hardware.Components[0].Name)
	assert.Equal(t, 16, s.Hardware.Components[0].Cores)
	assert.Equal(t, "16", s.Hardware.Components[0].Fields["Cores"])
	assert.Equal(t, []ServerGroup{{ID: 1, Name: "Group 1"}}, s.Groups)
	assert.Empty(t, s.Licenses)
	assert.Equal(t, "", s.Reinstall)
	assert.Equal(t, ServerPlacement{DCName: "Datacenter 1", RackName: "Rack 1"}, s.Placement)
	assert.Equal(t, ServerOS{ID: 10, Name: "Ubuntu 22.04"}, s.OS)
	assert.Equal(t, []ServerIP{{IP: "192.168.1.1", Type: "public"}}, s.Addresses)
	require.Len(t, s.Interfaces, 1)
	assert.Equal(t, 1, s.Interfaces[0].ID)
	assert.Equal(t, "eth0", s.Interfaces[0].Type)
	assert.Equal(t, "00:11:22:33:44:55", s.Interfaces[0].MAC)
	assert.Equal(t, ServerIPMI{Model: "Supermicro", Interfaces: []IPMIInterface{{IP: "192.168.1.100", MAC: "00:11:22:33:44:56"}}}, s.IPMI)
	assert.Equal(t, []Tag{{Name: "preset", Value: "preset-01"}}, s.Tags)
	assert.Equal(t, "preset-01", s.Preset)
	assert.Equal(t, "", s.Commitment)
	assert.Equal(t, "server-01", s.Hostname())
	assert.Equal(t, "192.168.1.1", s.MainIP())
	v, ok := s.Tag("preset")
	assert.True(t, ok)
	assert.Equal(t, "preset-01", v)
	assert.Contains(t, string(s.Raw()), `"server_data"`)
}

func TestEqShowLoose(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "show", fixture(t, "eq/show_loose.json"))
	s, err := c.Eq.Show(context.Background(), 25250)
	require.NoError(t, err)
	assert.Equal(t, eqForm("show", "id", "25250"), m.lastForm("eq", "show"))
	assert.Equal(t, 25250, s.ID)
	assert.Equal(t, "web1.example.com", s.Hostname(), "no name: the hostname tag")
	assert.Equal(t, "203.0.113.11", s.MainIP(), "the address flagged main")
	require.Len(t, s.Hardware.Components, 3)
	assert.Equal(t, 24, s.Hardware.Components[0].Cores)
	assert.Equal(t, "1", s.Hardware.Components[0].Fields["Count"])
	assert.Equal(t, "128", s.Hardware.Components[1].Size)
	assert.Equal(t, []ServerGroup{{ID: 3, Name: "AMD"}}, s.Groups, "a one-row list as an object")
	assert.JSONEq(t, `{"stage":"2","key":"9f3c1e0b7a6d4c2e8f1a0b3c5d7e9f11"}`, s.Reinstall)
	assert.JSONEq(t, `{"months":"12","until":"2025-06-01"}`, s.Commitment)
	assert.Equal(t, ServerOS{}, s.OS, "[] for an empty object")
	assert.Equal(t, []ServerIP{{IP: "203.0.113.10", Type: "public"}, {IP: "203.0.113.11", Type: "public", Main: true, PTR: "web1.example.com"}}, s.Addresses)
	require.Len(t, s.Interfaces, 1, "a PHP keyed list")
	assert.Equal(t, 7, s.Interfaces[0].ID)
	assert.Equal(t, "Gi1/0/7", s.Interfaces[0].Fields["port"])
	assert.Equal(t, []IPMIInterface{{IP: "10.20.30.40", MAC: "0c:c4:7a:00:11:23"}}, s.IPMI.Interfaces)
	assert.Equal(t, Tag{ID: 991, Component: "eq", ComponentID: 25250, Name: "hostname", Value: "web1.example.com"}, s.Tags[0])
}

func TestEqShowErrors(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "show", fixture(t, "eq/show_error.json"))
	_, err := c.Eq.Show(context.Background(), 999)
	assert.ErrorIs(t, err, ErrNotFound)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "Nothing found for id", apiErr.Message)

	_, err = c.Eq.Show(context.Background(), 0)
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "id", ve.Field)
	assert.Equal(t, 1, m.count("eq", "show"))
}

func TestEqStatusSync(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "status", fixture(t, "eq/status.json"))
	st, err := c.Eq.Status(context.Background(), 12345)
	require.NoError(t, err)
	assert.Equal(t, eqForm("status", "id", "12345"), m.lastForm("eq", "status"))
	assert.Equal(t, "active", st.Status)
	assert.Equal(t, 12345, st.ServerID)
	assert.Equal(t, "server.example.com", st.Hostname)
	assert.Equal(t, "192.168.1.1", st.IP)
	assert.Equal(t, "Ubuntu 22.04", st.OS)
	assert.Equal(t, 16, st.RAM)
	assert.Equal(t, 4, st.CPU)
	assert.Equal(t, 100, st.Disk)
	assert.Nil(t, st.Operation, "the newer reference answers at once")
}

func TestEqStatusAsync(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "status", fixture(t, "eq/status_async.json"))
	m.on("eq_callback", "check", `{"result":"OK","scope":"Chassis Power is on","debug":"Chassis Power is on","context":{"action":"status","id":"12345"},"key":"5e0d2f9a8c7b6a5f4e3d2c1b0a9f8e7d"}`)
	st, err := c.Eq.Status(context.Background(), 12345)
	require.NoError(t, err)
	assert.Equal(t, "on", st.Power)
	assert.Equal(t, 16, st.RAM)
	require.NotNil(t, st.Operation)
	assert.Equal(t, "5e0d2f9a8c7b6a5f4e3d2c1b0a9f8e7d", st.Operation.Key())
	assert.Equal(t, "status", st.Operation.Action())
	assert.Equal(t, 12345, st.Operation.ServerID())
	res, err := st.Operation.Wait(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "Chassis Power is on", res.Debug)
	assert.Equal(t, "5e0d2f9a8c7b6a5f4e3d2c1b0a9f8e7d", m.lastForm("eq_callback", "check").Get("key"))
}

func TestEqStatusCheck(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "status_check", `{"result":"OK","id":"12345","status":"rent","power":"off","deploy_status":""}`)
	got, err := c.Eq.StatusCheck(context.Background(), &StatusCheckRequest{ID: 12345, Extra: Fields{"force": "1"}})
	require.NoError(t, err)
	assert.Equal(t, eqForm("status_check", "id", "12345", "force", "1"), m.lastForm("eq", "status_check"))
	assert.Equal(t, 12345, got.ID)
	assert.Equal(t, "rent", got.Status)
	assert.Equal(t, "off", got.Power)
	assert.Nil(t, got.Operation)

	_, err = c.Eq.StatusCheck(context.Background(), &StatusCheckRequest{})
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, 1, m.count("eq", "status_check"))
}

func TestEqUpdateServersDocumented(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "update_servers", fixture(t, "eq/update_servers.json"))
	got, err := c.Eq.UpdateServers(context.Background())
	require.NoError(t, err)
	assert.Equal(t, eqForm("update_servers"), m.lastForm("eq", "update_servers"))
	assert.Equal(t, []int{12345, 12346}, got.Servers)
	require.Len(t, got.BillingServers, 1)
	b := got.BillingServers[0]
	assert.Equal(t, 999, b.ID)
	assert.Equal(t, "json_config_string", b.Config)
	assert.Equal(t, "Pending payment", b.Status)
	assert.Equal(t, time.Date(2023, 10, 25, 0, 0, 0, 0, time.UTC), b.RegDate)
	assert.Equal(t, "Server Name", b.Name)
	assert.Equal(t, MustParseMoney("1"), b.Recurring)
	assert.Equal(t, time.Date(2023, 11, 25, 0, 0, 0, 0, time.UTC), b.NextDueDate)
	assert.Equal(t, "Monthly", b.BillingCycle)
	// deploy_keys maps an invoice to a callback key (tf pending.go).
	assert.Equal(t, map[string]string{"12345": "abc123def456"}, got.DeployKeys)
	key, ok := got.DeployKey(12345)
	assert.True(t, ok)
	assert.Equal(t, "abc123def456", key)
}

func TestEqUpdateServersDeployKeys(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "update_servers", fixture(t, "eq/update_servers_loose.json"))
	got, err := c.Eq.UpdateServers(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []int{12345, 25250}, got.Servers)
	assert.Equal(t, map[string]string{"700123": "9f2c4e6a8b0d1f3e5a7c9e1b3d5f7a9c", "700124": "12345"}, got.DeployKeys,
		"callback keys, a number value read as text")
	key, ok := got.DeployKey(700123)
	assert.True(t, ok)
	assert.Equal(t, "9f2c4e6a8b0d1f3e5a7c9e1b3d5f7a9c", key)
	_, ok = got.DeployKey(700125)
	assert.False(t, ok)
	_, ok = got.DeployKey(0)
	assert.False(t, ok)
	require.Len(t, got.BillingServers, 1)
	assert.Equal(t, MustParseMoney("120.50"), got.BillingServers[0].Recurring)
	assert.True(t, got.BillingServers[0].NextDueDate.IsZero())
	assert.Equal(t, `{"preset":"bm.v1-big"}`, got.BillingServers[0].Config)

	// No order pending: PHP's empty array.
	m.on("eq", "update_servers", `{"result":"OK","servers":[12345],"deploy_keys":[]}`)
	got, err = c.Eq.UpdateServers(context.Background())
	require.NoError(t, err)
	assert.Empty(t, got.DeployKeys)
	_, ok = got.DeployKey(700123)
	assert.False(t, ok)

	m.on("eq", "update_servers", fixture(t, "eq/update_servers_error.json"))
	_, err = c.Eq.UpdateServers(context.Background())
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "No active servers were found for this account", apiErr.Message)
}

func TestEqGroups(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "groups", `{"result":"OK","groups":[{"id":"1","name":"Mini"},{"id":2,"name":"AMD"}]}`)
	got, err := c.Eq.Groups(context.Background(), &GroupsRequest{ID: 12345})
	require.NoError(t, err)
	assert.Equal(t, eqForm("groups", "id", "12345"), m.lastForm("eq", "groups"))
	assert.Equal(t, []ServerGroup{{ID: 1, Name: "Mini"}, {ID: 2, Name: "AMD"}}, got)

	_, err = c.Eq.Groups(context.Background(), &GroupsRequest{ID: -3})
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, 1, m.count("eq", "groups"))
}

func TestEqHistory(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "history", `{"result":"OK","history":[{"date":"2024-05-01 10:00:00","event":"power reboot","user":"client","ip":"198.51.100.1"},"reinstall Ubuntu 22.04"]}`)
	got, err := c.Eq.History(context.Background(), &HistoryRequest{ID: 12345, Extra: Fields{"limit": "2"}})
	require.NoError(t, err)
	assert.Equal(t, eqForm("history", "id", "12345", "limit", "2"), m.lastForm("eq", "history"))
	require.Len(t, got, 2)
	assert.Equal(t, "2024-05-01 10:00:00", got[0].Date)
	assert.Equal(t, "power reboot", got[0].Event)
	assert.Equal(t, "client", got[0].User)
	assert.Equal(t, "198.51.100.1", got[0].Fields["ip"])
	assert.Equal(t, "reinstall Ubuntu 22.04", got[1].Event)
}

func TestEqSensorsScope(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "sensors", fixture(t, "eq/sensors.json"))
	m.onSeq("eq_callback", "check",
		`{"result":"Not ready","key":"7bc29eb23fb1b879b21fce509597f07c"}`,
		`{"result":"OK","scope":"CPU Temp | 41.000 | degrees C | ok","debug":"ipmitool sensor","context":{"action":"sensors","id":"12345","location":"NL"},"key":"7bc29eb23fb1b879b21fce509597f07c"}`)
	op, err := c.Eq.Sensors(context.Background(), 12345)
	require.NoError(t, err)
	res, err := op.Wait(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "CPU Temp | 41.000 | degrees C | ok", res.Scope)
	assert.Equal(t, 12345, res.Context.ID)
	assert.Equal(t, "NL", res.Context.Location)
}
