package invapi

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

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

// ---------------------------------------------------------------------------
// show, status, update_servers, groups, history

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

func TestEqOffAnswersAtOnce(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "off", fixture(t, "eq/off.json"))
	op, err := c.Eq.Off(context.Background(), 12345)
	require.NoError(t, err)
	assert.Equal(t, eqForm("off", "id", "12345", "pin", testPIN), m.lastForm("eq", "off"))
	select {
	case <-op.Done():
	default:
		t.Fatal("an answer without a callback key is a finished operation")
	}
	res, err := op.Result()
	require.NoError(t, err)
	assert.JSONEq(t, fixture(t, "eq/off.json"), string(res.Raw()))
	assert.Equal(t, 0, m.count("eq_callback", "check"))
}

func TestEqOnRefused(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "on", fixture(t, "eq/on_error.json"))
	_, err := c.Eq.On(context.Background(), 12345)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "Start request failed: Server is locked or invalid ID", apiErr.Message)
	assert.Equal(t, 1, m.count("eq", "on"), "a refused change is not resent")
}

func TestEqPowerOutcomeUnknown(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.onFunc("eq", "off", func(url.Values) (int, string) { return dropConnection, "" })
	_, err := c.Eq.Off(context.Background(), 12345)
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	var unknown *OutcomeUnknownError
	require.ErrorAs(t, err, &unknown)
	assert.Equal(t, "eq/status id=12345", unknown.Settle)
	assert.Equal(t, 1, m.count("eq", "off"))
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

func TestEqHardOffSendsNoPIN(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "hard_off", `{"result":"OK","action":"hard_off","id":12345}`)
	_, err := c.Eq.HardOff(context.Background(), &HardOffRequest{ID: 12345})
	require.NoError(t, err)
	assert.Equal(t, eqForm("hard_off", "id", "12345"), m.lastForm("eq", "hard_off"))
}

// ---------------------------------------------------------------------------
// PIN

func TestEqSetPIN(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "set_pin", `{"result":"OK","action":"set_pin","callback":"c0ffee00c0ffee00c0ffee00c0ffee00"}`)
	op, err := c.Eq.SetPIN(context.Background(), &SetPINRequest{OldPIN: testPIN, NewPIN: "739104"})
	require.NoError(t, err)
	assert.Equal(t, eqForm("set_pin", "old_pin", testPIN, "new_pin", "739104"), m.lastForm("eq", "set_pin"))
	assert.Equal(t, "c0ffee00c0ffee00c0ffee00c0ffee00", op.Key())

	for field, req := range map[string]*SetPINRequest{
		"new_pin": {NewPIN: "12ab"},
		"old_pin": {OldPIN: "1234567", NewPIN: "1234"},
	} {
		_, err := c.Eq.SetPIN(context.Background(), req)
		var ve *ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, field, ve.Field)
		assert.NotContains(t, err.Error(), "12ab")
		assert.NotContains(t, err.Error(), "1234567")
	}
	assert.Equal(t, 1, m.count("eq", "set_pin"))

	req := SetPINRequest{OldPIN: testPIN, NewPIN: "739104"}
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		out := fmt.Sprintf(format, req)
		assert.NotContains(t, out, testPIN, format)
		assert.NotContains(t, out, "739104", format)
	}
	assert.Contains(t, fmt.Sprintf("%#v", &req), "invapi.SetPINRequest{")
}

func TestEqCheckPIN(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "check_pin", `{"result":"OK","action":"check_pin"}`)
	op, err := c.Eq.CheckPIN(context.Background(), "482613")
	require.NoError(t, err)
	assert.Equal(t, eqForm("check_pin", "pin", "482613"), m.lastForm("eq", "check_pin"), "the PIN checked, not the configured one")
	_, err = op.Result()
	require.NoError(t, err)

	m.on("eq", "check_pin", `{"code":-1,"message":"Wrong PIN 482613"}`)
	_, err = c.Eq.CheckPIN(context.Background(), "482613")
	assert.ErrorIs(t, err, ErrWrongPIN)
	assert.NotContains(t, err.Error(), "482613", "a PIN being checked is a secret too")
	assert.Equal(t, 2, m.count("eq", "check_pin"), "never resent")

	_, err = c.Eq.CheckPIN(context.Background(), "12")
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "pin", ve.Field)
	assert.Equal(t, 2, m.count("eq", "check_pin"))
}

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

// ---------------------------------------------------------------------------
// reinstall, PXE, boot device

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

// ---------------------------------------------------------------------------
// IPMI, consoles

func TestEqAddIPMIUserSync(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "add_ipmi_user", fixture(t, "eq/add_ipmi_user.json"))
	u, err := c.Eq.AddIPMIUser(context.Background(), &AddIPMIUserRequest{ID: 12345})
	require.NoError(t, err)
	assert.Equal(t, eqForm("add_ipmi_user", "id", "12345"), m.lastForm("eq", "add_ipmi_user"))
	assert.Equal(t, "u1a2b3c", u.User)
	assert.Equal(t, "Ab1Cd2Ef3Gh4Ij5K", u.Password)
	assert.Nil(t, u.Operation, "the newer reference answers with the login at once")
	for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		assert.NotContains(t, fmt.Sprintf(format, u), "Ab1Cd2Ef3Gh4Ij5K", format)
		assert.NotContains(t, fmt.Sprintf(format, *u), "Ab1Cd2Ef3Gh4Ij5K", format)
	}
	assert.Contains(t, u.String(), "u1a2b3c")
	assert.Contains(t, u.GoString(), "invapi.IPMIUser{")

	// An error echoing the new password later is masked: the SDK remembers it.
	m.on("eq", "remove_ipmi_user", `{"code":-1,"message":"Remove IPMI user request failed: Ab1Cd2Ef3Gh4Ij5K"}`)
	_, err = c.Eq.RemoveIPMIUser(context.Background(), &RemoveIPMIUserRequest{ID: 12345, Username: "u1a2b3c"})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "Ab1Cd2Ef3Gh4Ij5K")
}

func TestEqAddIPMIUserAdminAndAsync(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "add_ipmi_user", fixture(t, "eq/add_ipmi_user_async.json"))
	u, err := c.Eq.AddIPMIUser(context.Background(), &AddIPMIUserRequest{ID: 12345, AdminUser: "admin", AdminPass: "s3cret-Pass"})
	require.NoError(t, err)
	assert.Equal(t, eqForm("add_ipmi_user", "id", "12345", "admin_user", "admin", "admin_pass", "s3cret-Pass"), m.lastForm("eq", "add_ipmi_user"))
	require.NotNil(t, u.Operation, "the older reference calls it async")
	assert.Equal(t, "1f2e3d4c5b6a79880706f5e4d3c2b1a0", u.Operation.Key())
	assert.Equal(t, "", u.User)

	for field, req := range map[string]*AddIPMIUserRequest{"id": {}, "admin_user": {ID: 1, AdminPass: "s3cret-Pass"}} {
		_, err := c.Eq.AddIPMIUser(context.Background(), req)
		var ve *ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, field, ve.Field)
		assertErrorHidesSecrets(t, err)
	}
	assert.Equal(t, 1, m.count("eq", "add_ipmi_user"))
}

func TestEqAddIPMIAdmin(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "add_ipmi_admin", `{"result":"OK","action":"add_ipmi_admin","user":"adm7f3","password":"s3cret-Pass","role":"administrator","ip":"10.20.30.40"}`)
	u, err := c.Eq.AddIPMIAdmin(context.Background(), &AddIPMIAdminRequest{ID: 12345})
	require.NoError(t, err)
	assert.Equal(t, eqForm("add_ipmi_admin", "id", "12345"), m.lastForm("eq", "add_ipmi_admin"))
	assert.Equal(t, "adm7f3", u.User)
	assert.Equal(t, "s3cret-Pass", u.Password)
	assert.Equal(t, "administrator", u.Role)
	assert.Equal(t, "10.20.30.40", u.IP)
	assertNoSecrets(t, "IPMIUser", fmt.Sprintf("%+v", u))
}

func TestEqRemoveIPMIUser(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "remove_ipmi_user", fixture(t, "eq/remove_ipmi_user.json"))
	op, err := c.Eq.RemoveIPMIUser(context.Background(), &RemoveIPMIUserRequest{ID: 12345, Username: "u1a2b3c"})
	require.NoError(t, err)
	assert.Equal(t, eqForm("remove_ipmi_user", "id", "12345", "username", "u1a2b3c"), m.lastForm("eq", "remove_ipmi_user"))
	assert.Equal(t, "7bc29eb23fb1b879b21fce509597f07c", op.Key())
	// id only (as HOSTKEY's MCP server sends it): TestEqRemoveIPMIUserIDOnly.
}

func TestEqGetIPMI(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "get_ipmi", `{"result":"OK","ipmi":[{"ip":"10.20.30.40","model":"Supermicro","mac":"0c:c4:7a:00:11:23"},{"IP":"10.20.30.41","model":"Supermicro"}]}`)
	got, err := c.Eq.GetIPMI(context.Background(), &GetIPMIRequest{ID: 12345})
	require.NoError(t, err)
	assert.Equal(t, eqForm("get_ipmi", "id", "12345"), m.lastForm("eq", "get_ipmi"))
	assert.Equal(t, []IPMIInterface{{IP: "10.20.30.40", MAC: "0c:c4:7a:00:11:23", Model: "Supermicro"}, {IP: "10.20.30.41", Model: "Supermicro"}}, got)
}

func TestEqNoVNC(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "novnc", fixture(t, "eq/novnc.json"))
	op, err := c.Eq.NoVNC(context.Background(), &NoVNCRequest{ID: 12345, WhiteIP: "198.51.100.7"})
	require.NoError(t, err)
	assert.Equal(t, eqForm("novnc", "id", "12345", "white_ip", "198.51.100.7"), m.lastForm("eq", "novnc"))
	assert.Equal(t, "7bc29eb23fb1b879b21fce509597f07c", op.Key())
	_, err = c.Eq.NoVNC(context.Background(), &NoVNCRequest{ID: 12345, WhiteIP: "everyone"})
	assertEqInvalid(t, m, "novnc-none", "white_ip", err)
	assert.Equal(t, 1, m.count("eq", "novnc"))
}

// ---------------------------------------------------------------------------
// backups

func TestEqBackupList(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "backup_list", `{"result":"OK","backups":[{"id":77,"name":"backup-12345-1","date":"2024-05-01 03:00:00","size":"12.4 GB","status":"ready","type":"full"}]}`)
	got, err := c.Eq.BackupList(context.Background(), &BackupRequest{ID: 12345})
	require.NoError(t, err)
	assert.Equal(t, eqForm("backup_list", "id", "12345"), m.lastForm("eq", "backup_list"))
	require.Len(t, got, 1)
	assert.Equal(t, "77", got[0].ID)
	assert.Equal(t, "backup-12345-1", got[0].Name)
	assert.Equal(t, "2024-05-01 03:00:00", got[0].Date)
	assert.Equal(t, "12.4 GB", got[0].Size)
	assert.Equal(t, "ready", got[0].Status)
	assert.Equal(t, "full", got[0].Fields["type"])

	m.on("eq", "backup_list", `{"result":"OK","backups":[]}`)
	got, err = c.Eq.BackupList(context.Background(), &BackupRequest{ID: 12345})
	require.NoError(t, err)
	assert.Empty(t, got)
}

func TestEqBackupGetSchedule(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "backup_get_schedule", `{"result":"OK","schedule":{"enabled":1,"period":"daily","time":"03:00","keep":"3"}}`)
	got, err := c.Eq.BackupGetSchedule(context.Background(), &BackupRequest{ID: 12345})
	require.NoError(t, err)
	assert.Equal(t, eqForm("backup_get_schedule", "id", "12345"), m.lastForm("eq", "backup_get_schedule"))
	assert.Equal(t, map[string]string{"enabled": "1", "period": "daily", "time": "03:00", "keep": "3"}, got.Fields)
	assert.Contains(t, string(got.Raw()), `"schedule"`)

	m.on("eq", "backup_get_schedule", `{"result":"OK","period":"weekly"}`)
	got, err = c.Eq.BackupGetSchedule(context.Background(), &BackupRequest{ID: 12345})
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"period": "weekly"}, got.Fields, "a schedule at top level")
}

func TestEqCheckBackupLock(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "check_backup_lock", `{"result":"OK","locked":"1"}`)
	got, err := c.Eq.CheckBackupLock(context.Background(), &BackupRequest{ID: 12345})
	require.NoError(t, err)
	assert.Equal(t, eqForm("check_backup_lock", "id", "12345"), m.lastForm("eq", "check_backup_lock"))
	assert.True(t, got.Locked)
	m.on("eq", "check_backup_lock", `{"result":"OK","locked":0}`)
	got, err = c.Eq.CheckBackupLock(context.Background(), &BackupRequest{ID: 12345})
	require.NoError(t, err)
	assert.False(t, got.Locked)
}

func TestEqBackupActions(t *testing.T) {
	t.Parallel()
	for action, call := range map[string]func(c *Client, r *BackupActionRequest) (*Operation, error){
		"delete_backup": func(c *Client, r *BackupActionRequest) (*Operation, error) {
			return c.Eq.DeleteBackup(context.Background(), r)
		},
		"restore_backup": func(c *Client, r *BackupActionRequest) (*Operation, error) {
			return c.Eq.RestoreBackup(context.Background(), r)
		},
	} {
		t.Run(action, func(t *testing.T) {
			t.Parallel()
			c, m := newTestClient(t)
			m.on("eq", action, `{"result":"OK","action":"`+action+`","callback":"0a1b2c3d4e5f60718293a4b5c6d7e8f9"}`)
			op, err := call(c, &BackupActionRequest{ID: 12345, BackupID: "77"})
			require.NoError(t, err)
			assert.Equal(t, eqForm(action, "id", "12345", "backup_id", "77"), m.lastForm("eq", action))
			assert.Equal(t, "0a1b2c3d4e5f60718293a4b5c6d7e8f9", op.Key())
			_, err = call(c, &BackupActionRequest{ID: 12345})
			assertEqInvalid(t, m, action+"-none", "backup_id", err)
			assert.Equal(t, 1, m.count("eq", action))
		})
	}
}

func TestEqRequestBackupLink(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "request_backup_link", `{"result":"OK","url":"https://backup.hostkey.com/download/abc","expires":1735689600}`)
	got, err := c.Eq.RequestBackupLink(context.Background(), &BackupActionRequest{ID: 12345, BackupID: "77"})
	require.NoError(t, err)
	assert.Equal(t, eqForm("request_backup_link", "id", "12345", "backup_id", "77"), m.lastForm("eq", "request_backup_link"))
	assert.Equal(t, "https://backup.hostkey.com/download/abc", got.URL)
	assert.Equal(t, "1735689600", got.Expires)
	assert.Nil(t, got.Operation)
}

// ---------------------------------------------------------------------------
// traffic, upgrades, announcements

func TestEqGetTraffic(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "get_traffic", `{"result":"OK","id":12345,"traffic":{"in":"1.25","out":"3.40","unit":"TB","limit":10}}`)
	got, err := c.Eq.GetTraffic(context.Background(), &ServerTrafficRequest{ID: 12345})
	require.NoError(t, err)
	assert.Equal(t, eqForm("get_traffic", "id", "12345"), m.lastForm("eq", "get_traffic"))
	assert.Equal(t, map[string]string{"in": "1.25", "out": "3.40", "unit": "TB", "limit": "10"}, got.Fields)
}

func TestEqTrafficAdd(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "traffic_add", `{"result":"OK","invoice":"700300","limit":12}`)
	got, err := c.Eq.TrafficAdd(context.Background(), &TrafficAddRequest{ID: 12345, Extra: Fields{"amount": "2"}})
	require.NoError(t, err)
	assert.Equal(t, eqForm("traffic_add", "id", "12345", "amount", "2"), m.lastForm("eq", "traffic_add"))
	assert.Equal(t, 700300, got.Invoice)
	assert.Nil(t, got.Operation)

	m.onFunc("eq", "traffic_add", func(url.Values) (int, string) { return dropConnection, "" })
	_, err = c.Eq.TrafficAdd(context.Background(), &TrafficAddRequest{ID: 12345})
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	var unknown *OutcomeUnknownError
	require.ErrorAs(t, err, &unknown)
	assert.Contains(t, unknown.Settle, "whmcs/get_invoices")
	assert.Equal(t, 2, m.count("eq", "traffic_add"), "charges are never replayed")
}

func TestEqGetUpgradeKey(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "get_upgrade_key", `{"result":"OK","key":"5d41402abc4b2a76b9719d911017c592"}`)
	got, err := c.Eq.GetUpgradeKey(context.Background(), &GetUpgradeKeyRequest{InvoiceID: 700123})
	require.NoError(t, err)
	assert.Equal(t, eqForm("get_upgrade_key", "invoice_id", "700123"), m.lastForm("eq", "get_upgrade_key"))
	assert.Equal(t, "5d41402abc4b2a76b9719d911017c592", got.Key)
	assert.Equal(t, 700123, got.InvoiceID)
	_, err = c.Eq.GetUpgradeKey(context.Background(), &GetUpgradeKeyRequest{})
	assertEqInvalid(t, m, "get_upgrade_key-none", "invoice_id", err)
	assert.Equal(t, 1, m.count("eq", "get_upgrade_key"))
}

func TestEqAnnounceIP(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "announceip", `{"result":"OK","id":12345,"subnet":"203.0.113.0/24","status":"announced"}`)
	op, err := c.Eq.AnnounceIP(context.Background(), &AnnounceIPRequest{ID: 12345, Subnet: "203.0.113.0/24"})
	require.NoError(t, err)
	assert.Equal(t, eqForm("announceip", "id", "12345", "subnet", "203.0.113.0/24"), m.lastForm("eq", "announceip"))
	res, err := op.Result()
	require.NoError(t, err)
	assert.Contains(t, string(res.Raw()), "announced")
	for _, bad := range []*AnnounceIPRequest{{ID: 12345}, {ID: 12345, Subnet: "203.0.113.0/33"}} {
		_, err = c.Eq.AnnounceIP(context.Background(), bad)
		assertEqInvalid(t, m, "announceip-none", "subnet", err)
	}
	assert.Equal(t, 1, m.count("eq", "announceip"))
}

func TestEqGetServersForAnnounce(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "getserversforannounce", `{"result":"OK","servers":[{"id":"12345","name":"web-1","status":"rent","location":"NL","ip":"203.0.113.11","type":"Server"}]}`)
	got, err := c.Eq.GetServersForAnnounce(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, eqForm("getserversforannounce"), m.lastForm("eq", "getserversforannounce"))
	assert.Equal(t, []ServerSummary{{ID: 12345, Name: "web-1", Status: "rent", Location: "NL", IP: "203.0.113.11", Type: "Server"}}, got)
}
