package invapitest

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPowerOffOnThroughCallback(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	tok := login(t, srv, DefaultAPIKey)

	m := tcall(t, srv, tok, "eq", "off", "id", "12345", "pin", DefaultPIN)
	assert.Equal(t, "OK", m["result"])
	assert.Equal(t, "off", m["action"])
	assert.Equal(t, float64(12345), m["id"])
	key := m["callback"].(string)
	assert.Regexp(t, hex32, key)

	assert.Equal(t, map[string]any{"result": "Not ready", "key": key}, check(t, srv, "eq_callback", key))
	assert.Equal(t, map[string]any{"result": "Not ready", "key": key}, check(t, srv, "eq_callback", key))
	ok := check(t, srv, "eq_callback", key)
	assert.Equal(t, map[string]any{"result": "OK", "scope": "Power is off",
		"context": map[string]any{"action": "off", "id": "12345", "location": "NL"},
		"debug":   "Chassis Power Control: Down/Off", "key": key}, ok)
	assertError(t, check(t, srv, "eq_callback", key), -1, "AsyncKey "+key+" not found")

	st := tcall(t, srv, tok, "eq", "status", "id", "12345")
	assert.Equal(t, "inactive", st["status"])
	assert.Equal(t, "off", st["power"])
	assert.Equal(t, float64(12345), st["server_id"])
	show := tcall(t, srv, tok, "eq", "show", "id", "12345")
	assert.Equal(t, "off", show["server_data"].(map[string]any)["power"])
	e, _ := srv.Server(12345)
	assert.Equal(t, "off", e.Power)

	m = tcall(t, srv, tok, "eq", "on", "id", "12345", "pin", DefaultPIN)
	seen := waitOK(t, srv, "eq_callback", m["callback"].(string))
	assert.Equal(t, "Not ready,Not ready,OK", results(seen))
	assert.Equal(t, "Chassis Power Control: Up/On", seen[2]["debug"])
	assert.Equal(t, "active", tcall(t, srv, tok, "eq", "status", "id", "12345")["status"])
}

func TestOperationDelayAndClock(t *testing.T) {
	srv := NewServer(WithNotReadyChecks(0), WithOperationDelay(10*time.Minute))
	defer srv.Close()
	tok := login(t, srv, DefaultAPIKey)
	key := tcall(t, srv, tok, "eq", "reboot", "id", "12345", "pin", DefaultPIN)["callback"].(string)
	for i := 0; i < 3; i++ {
		assert.Equal(t, "Not ready", check(t, srv, "eq_callback", key)["result"])
	}
	srv.Advance(10 * time.Minute)
	assert.Equal(t, "OK", check(t, srv, "eq_callback", key)["result"])
	assert.Equal(t, 0, srv.PendingOperations())
}

func TestCallbackCheckByGETQuery(t *testing.T) {
	srv := NewServer(WithNotReadyChecks(0))
	defer srv.Close()
	tok := login(t, srv, DefaultAPIKey)
	key := tcall(t, srv, tok, "eq", "sensors", "id", "12345")["callback"].(string)
	resp, err := http.Get(srv.URL + "/eq_callback.php?action=check&key=" + key)
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, 0, srv.PendingOperations())
}

func TestNATUsesNATCallback(t *testing.T) {
	srv := NewServer(WithNotReadyChecks(1))
	defer srv.Close()
	tok := login(t, srv, DefaultAPIKey)

	assertError(t, tcall(t, srv, tok, "nat", "add_static_nat", "id", "12345"), -1, "PIN required")
	m := tcall(t, srv, tok, "nat", "add_static_nat", "id", "12345", "pin", DefaultPIN)
	key := m["callback"].(string)
	assertError(t, check(t, srv, "eq_callback", key), -1, "AsyncKey "+key+" not found")
	seen := waitOK(t, srv, "nat_callback", key)
	assert.Equal(t, "Not ready,OK", results(seen))
	ctx := seen[1]["context"].(map[string]any)
	assert.Equal(t, "12345", ctx["id"])
	assert.NotEmpty(t, ctx["ip"])

	key = tcall(t, srv, tok, "eq", "on", "id", "12345", "pin", DefaultPIN)["callback"].(string)
	assertError(t, check(t, srv, "nat_callback", key), -1, "AsyncKey "+key+" not found")

	key = tcall(t, srv, tok, "nat", "remove_static_nat", "id", "12345")["callback"].(string)
	assert.Equal(t, "Not ready,OK", results(waitOK(t, srv, "nat_callback", key)))
	assertError(t, tcall(t, srv, tok, "nat", "remove_static_nat", "id", "12345"), -1, "nat/remove_static_nat: no NAT rule for server 12345")
}

func TestOrderInstance(t *testing.T) {
	srv := NewServer(WithNotReadyChecks(1))
	defer srv.Close()
	tok := login(t, srv, DefaultAPIKey)

	order := []string{"deploy_period", "monthly", "deploy_notify", "0", "pin", DefaultPIN, "id", "-", "os_id", "1",
		"root_pass", "Passw0rd-x", "hostname", "new-1.example.com", "traffic_plan", "2", "preset", "bm.v1-big", "location_name", "NL"}
	m := tcall(t, srv, tok, "eq", "order_instance", order...)
	require.Equal(t, "OK", m["result"], "%v", m)
	assert.Equal(t, "order_instance", m["action"])
	assert.Len(t, m, 5, "only result, action, callback, invoice and status: %v", m)
	assert.Equal(t, "Paid", m["status"], "the credit account paid the invoice (status as tf-com reads it)")
	invoice := m["invoice"].(string)
	key := m["callback"].(string)

	assert.Equal(t, "360.00", srv.Balance(), "500.00 - 120.00 preset - 20.00 traffic plan")
	invs := srv.Invoices()
	require.Len(t, invs, 1)
	assert.Equal(t, invoice, strconv.Itoa(invs[0].ID))
	assert.Equal(t, "140.00", invs[0].Total)
	assert.Equal(t, "Paid", invs[0].Status)

	upd := tcall(t, srv, tok, "eq", "update_servers")
	dk := upd["deploy_keys"].(map[string]any)
	assert.Equal(t, key, dk[invoice], "deploy_keys maps the invoice to the deployment's callback key (tf pending.go)")
	assert.Contains(t, upd["servers"], float64(invs[0].ServerID))
	newID := strconv.Itoa(invs[0].ServerID)

	seen := waitOK(t, srv, "eq_callback", key)
	assert.Equal(t, "Not ready,Stage,Stage,Stage,Stage,Stage,OK", results(seen))
	for i, stage := range ReinstallStages {
		assert.Equal(t, stage, seen[i+1]["scope"])
		assert.Equal(t, map[string]any{"action": "order_instance", "id": newID, "location": "NL"}, seen[i+1]["context"])
		assert.Equal(t, key, seen[i+1]["key"])
	}
	last := seen[len(seen)-1]
	assert.Equal(t, map[string]any{"action": "on", "id": newID, "location": "NL"}, last["context"])
	assert.Equal(t, "Chassis Power Control: Up/On", last["debug"])

	show := tcall(t, srv, tok, "eq", "show", "id", newID)
	assert.Equal(t, "Ubuntu 22.04", show["OS"].(map[string]any)["name"])
	assert.Contains(t, show["tags"], map[string]any{"tag": "hostname", "value": "new-1.example.com", "extra": ""})
	assert.Equal(t, "", show["reinstall"])

	// Not enough money.
	srv.SetBalance("10.00")
	m = tcall(t, srv, tok, "eq", "order_instance", order...)
	assert.Equal(t, float64(-1), m["code"])
	assert.Equal(t, "Insufficient funds on the credit account", m["message"])
	assert.Equal(t, "10.00", srv.Balance())

	// Wrong OS for the preset.
	srv.SetBalance("1000")
	bad := append([]string(nil), order...)
	bad[9] = "6" // ESXi on a VM preset
	bad[17] = "vm.v2-small"
	assertError(t, tcall(t, srv, tok, "eq", "order_instance", bad...), -1, "OS is not compatible with preset")
}

func TestNewServerNeedsUpdateServers(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	tok := login(t, srv, DefaultAPIKey)
	id := srv.AddServer(Equipment{Name: "late", Location: "US"})
	assertError(t, tcall(t, srv, tok, "eq", "show", "id", strconv.Itoa(id)), -1, "Access denied")
	tcall(t, srv, tok, "eq", "update_servers")
	assert.Equal(t, "late", tcall(t, srv, tok, "eq", "show", "id", strconv.Itoa(id))["server_data"].(map[string]any)["name"])
}

func TestFullReinstall(t *testing.T) {
	srv := NewServer(WithNotReadyChecks(0))
	defer srv.Close()
	tok := login(t, srv, DefaultAPIKey)

	assertError(t, tcall(t, srv, tok, "eq", "reinstall", "id", "12345", "os_id", "3", "root_pass", "weak"), -1,
		"root_pass does not meet the password policy: 8-30 letters, digits or % - _ +, with upper and lower case, a digit and one of % - _ +, not starting with a symbol")
	m := tcall(t, srv, tok, "eq", "reinstall", "id", "12345", "os_id", "3", "root_pass", "Str0ng-Pass", "hostname", "re.example.com")
	assert.Equal(t, "order_instance", m["action"])
	assert.Equal(t, "reinstall", m["deploy_status"])
	assert.Equal(t, float64(12345), m["id"])
	assert.Equal(t, "Debian 12", m["os_name"])
	assertError(t, tcall(t, srv, tok, "eq", "reinstall", "id", "12345", "os_id", "3", "root_pass", "Str0ng-Pass"), -1,
		"Reinstall already underway for 12345. Please try again shortly.")
	assert.Equal(t, "reinstall", tcall(t, srv, tok, "eq", "show", "id", "12345")["reinstall"])

	seen := waitOK(t, srv, "eq_callback", m["callback"].(string))
	assert.Equal(t, "Stage,Stage,Stage,Stage,Stage,OK", results(seen))
	assert.Equal(t, "reinstall", seen[0]["context"].(map[string]any)["action"])
	e, _ := srv.Server(12345)
	assert.Equal(t, "Debian 12", e.OSName)
	assert.Equal(t, "re.example.com", e.Hostname())
	assert.Equal(t, "", e.DeployStatus)
}

func TestPXEReinstallFlow(t *testing.T) {
	srv := NewServer(WithNotReadyChecks(1))
	defer srv.Close()
	tok := login(t, srv, DefaultAPIKey)

	master := tcall(t, srv, tok, "eq", "reinstall", "id", "12345")
	assert.Equal(t, "reinstall", master["action"])
	mkey := master["callback"].(string)
	for i := 0; i < 4; i++ {
		assert.Equal(t, "Not ready", check(t, srv, "eq_callback", mkey)["result"], "waits for the PXE boot")
	}

	assertError(t, tcall(t, srv, tok, "eq", "create_pxe", "id", "12345", "os_id", "2", "root_pass", "Str0ng-Pass",
		"hostname", "pxe.example.com", "reinstall_key", mkey), -1, "PIN required")
	m := tcall(t, srv, tok, "eq", "create_pxe", "id", "12345", "pin", DefaultPIN, "os_id", "2", "root_pass", "Str0ng-Pass",
		"hostname", "pxe.example.com", "reinstall_key", mkey)
	assert.Equal(t, "create_pxe", m["action"])
	assert.Equal(t, "Not ready,OK", results(waitOK(t, srv, "eq_callback", m["callback"].(string))))

	m = tcall(t, srv, tok, "eq", "boot_dev", "id", "12345", "pin", DefaultPIN, "media", "pxe")
	assert.Equal(t, "boot_dev", m["action"])
	assert.Equal(t, "Not ready", check(t, srv, "eq_callback", mkey)["result"])

	tcall(t, srv, tok, "eq", "reboot", "id", "12345", "pin", DefaultPIN)
	seen := waitOK(t, srv, "eq_callback", mkey)
	assert.Equal(t, "Not ready,Stage,Stage,Stage,Stage,Stage,OK", results(seen))
	assert.Equal(t, map[string]any{"action": "reinstall", "id": "12345", "location": "NL"}, seen[1]["context"])
	assert.Equal(t, mkey, seen[5]["key"])
	e, _ := srv.Server(12345)
	assert.Equal(t, "Ubuntu 24.04", e.OSName)
	assert.Equal(t, "pxe.example.com", e.Hostname())

	tcall(t, srv, tok, "eq", "boot_dev", "id", "12345", "pin", DefaultPIN, "media", "disk")
	tcall(t, srv, tok, "eq", "clear_pxe", "id", "12345", "hostname", "pxe.example.com")
	e, _ = srv.Server(12345)
	assert.False(t, e.PXE)
	assert.Equal(t, "disk", e.BootMedia)
}

func TestAbortReinstall(t *testing.T) {
	srv := NewServer(WithNotReadyChecks(0))
	defer srv.Close()
	tok := login(t, srv, DefaultAPIKey)
	key := tcall(t, srv, tok, "eq", "reinstall", "id", "12346", "os_id", "1", "root_pass", "Str0ng-Pass")["callback"].(string)
	assert.Equal(t, "Stage", check(t, srv, "eq_callback", key)["result"])
	assert.Equal(t, "OK", tcall(t, srv, tok, "eq", "abort_reinstall", "id", "12346")["result"])
	m := check(t, srv, "eq_callback", key)
	assert.Equal(t, "Error", m["result"])
	assert.Equal(t, "Reinstall aborted", m["scope"])
	assertError(t, check(t, srv, "eq_callback", key), -1, "AsyncKey "+key+" not found")
}

func TestListFiltersAndShow(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	tok := login(t, srv, DefaultAPIKey)

	m := tcall(t, srv, tok, "eq", "list")
	assert.Equal(t, "eq", m["module"])
	assert.Len(t, m["servers"], 3)
	assert.Equal(t, map[string]any{"id": float64(12345), "name": "server-01", "status": "rent", "location": "NL",
		"ip": "185.100.1.10", "type": "Server"}, m["servers"].([]any)[0])
	assert.Len(t, tcall(t, srv, tok, "eq", "list", "location", "US")["servers"], 1)
	assert.Len(t, tcall(t, srv, tok, "eq", "list", "location", "NL,US")["servers"], 3)
	assert.Len(t, tcall(t, srv, tok, "eq", "list", "group", "1CPU,AMD")["servers"], 1)
	assert.Len(t, tcall(t, srv, tok, "eq", "list", "ip", "45.10.3.30")["servers"], 1)

	show := tcall(t, srv, tok, "eq", "show", "id", "12345")
	for _, k := range []string{"server_data", "hardware", "groups", "licenses", "reinstall", "location", "OS", "IP",
		"interfaces", "IPMI", "tags", "preset", "commitment"} {
		assert.Contains(t, show, k)
	}
	assertError(t, tcall(t, srv, tok, "eq", "show", "id", "999"), -1, "Nothing found for id")
}

func TestTagsAndPTR(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	tok := login(t, srv, DefaultAPIKey)

	assert.Equal(t, "OK", tcall(t, srv, tok, "tags", "add", "id", "12345", "tag", "role", "value", "web", "extra", "x")["result"])
	show := tcall(t, srv, tok, "eq", "show", "id", "12345")
	assert.Contains(t, show["tags"], map[string]any{"tag": "role", "value": "web", "extra": "x"})
	s := tcall(t, srv, tok, "tags", "user_search", "value", "we")
	assert.Equal(t, []any{float64(12345)}, s["servers"])
	assert.Equal(t, "OK", tcall(t, srv, tok, "tags", "remove", "id", "12345", "tag", "role")["result"])
	assert.NotContains(t, tcall(t, srv, tok, "tags", "list", "id", "12345")["tags"], map[string]any{"tag": "role", "value": "web", "extra": "x"})
	assert.Equal(t, "OK", tcall(t, srv, tok, "tags", "add", "id_list", "12345,12346", "tag", "env", "value", "prod")["result"])
	e, _ := srv.Server(12346)
	assert.Contains(t, e.Tags, Tag{Name: "env", Value: "prod"})

	assert.Equal(t, "", tcall(t, srv, tok, "ip", "get_ptr", "id", "12345", "ip", "185.100.1.10")["ptr"])
	tcall(t, srv, tok, "ip", "update_ptr", "id", "12345", "ip", "185.100.1.10", "ptr", "a.example.com\nb.example.com")
	assert.Equal(t, "a.example.com\nb.example.com", tcall(t, srv, tok, "ip", "get_ptr", "id", "12345", "ip", "185.100.1.10")["ptr"])
	assert.Equal(t, float64(-1), tcall(t, srv, tok, "ip", "update_ptr", "id", "12345", "ip", "185.100.1.10", "ptr", "bad name!")["code"])
	assert.Equal(t, float64(-1), tcall(t, srv, tok, "ip", "get_ptr", "id", "12345", "ip", "8.8.8.8")["code"])

	tcall(t, srv, tok, "ip", "set_main", "id", "12345", "ip", "185.100.1.11", "main", "1")
	assert.Equal(t, "185.100.1.11", tcall(t, srv, tok, "eq", "list", "id", "12345")["servers"].([]any)[0].(map[string]any)["ip"])
}

func TestCatalogueWithoutToken(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	p := do(t, srv, "presets", form("list", "location", "NL"))
	assert.Len(t, p["presets"], 3)
	first := p["presets"].([]any)[0].(map[string]any)
	assert.Equal(t, "bm.v1-big", first["name"])
	assert.Equal(t, map[string]any{"EUR": "120.00", "USD": "130.00"}, first["price"])
	// As tf reads presets/list: hdd "2x960" (or a number), locations a comma string.
	assert.Equal(t, "2x480", first["hdd"])
	assert.Equal(t, "NL,US,RU", first["locations"])
	assert.Equal(t, float64(60), p["presets"].([]any)[1].(map[string]any)["hdd"])

	// os_list / os_excluded, as tf reads them.
	os := do(t, srv, "os", form("list", "instance_id", "102", "bill_period", "monthly"))
	names := []string{}
	for _, o := range os["os_list"].([]any) {
		names = append(names, o.(map[string]any)["name"].(string))
	}
	assert.NotContains(t, names, "VMware ESXi 8")
	assert.Len(t, os["os_excluded"], 1)
	assert.NotContains(t, os, "os")

	tp := do(t, srv, "traffic_plans", form("list", "location", "US", "instance_id", "101"))
	assert.Len(t, tp["traffic_plans"], 2)
	plan := tp["traffic_plans"].([]any)[1].(map[string]any)
	assert.Equal(t, float64(20), plan["price"])
	assert.Equal(t, float64(1), plan["currency_id"])
	assert.Equal(t, float64(0), plan["main_plan"])
	assert.Len(t, do(t, srv, "jenkins", form("get_tasks"))["tasks"], 4)
	assert.Len(t, do(t, srv, "stocks", form("list"))["stocks"], 3)
	assert.Len(t, do(t, srv, "software", form("list", "location", "NL", "bill_period", "hourly"))["software"], 3)

	// presets/info in the currencies asked for, with OS[], soft[] and traffic_plans by location.
	info := do(t, srv, "presets", form("info", "currencies", "USD"))["presets"].([]any)[0].(map[string]any)
	assert.Equal(t, map[string]any{"USD": "130.00"}, info["price"].(map[string]any)["NL"])
	assert.NotEmpty(t, info["OS"])
	assert.NotEmpty(t, info["soft"])
	assert.NotEmpty(t, info["traffic_plans"].(map[string]any)["NL"])

	// The other shapes, under Quirks.AlternativeShapes.
	alt := NewServer(WithQuirks(Quirks{AlternativeShapes: true}))
	defer alt.Close()
	aos := do(t, alt, "os", form("list", "instance_id", "102"))
	assert.Len(t, aos["excluded"], 1)
	assert.NotEmpty(t, aos["os"])
	ap := do(t, alt, "presets", form("list", "location", "NL"))["presets"].([]any)[0].(map[string]any)
	assert.Equal(t, []any{"NL", "US", "RU"}, ap["locations"])
	assert.Equal(t, float64(960), ap["hdd"])
	// os list for a server needs a session.
	assert.Equal(t, float64(-2), do(t, srv, "os", form("list", "id", "12345"))["code"])
}

func TestBinaryAnswers(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	tok := login(t, srv, DefaultAPIKey)

	f := form("show_cacti", "token", tok, "id", "12345", "pin", DefaultPIN, "port", "eth0", "graph", "1")
	status, h, body := post(t, srv, "net", f)
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, "image/png", h.Get("Content-Type"))
	assert.Equal(t, "\x89PNG\r\n\x1a\n", string(body[:8]))

	inv := tcall(t, srv, tok, "whmcs", "create_addfunds", "amount", "50")
	assert.Equal(t, "success", inv["result"])
	id := inv["message"].(map[string]any)["invoiceid"].(float64)
	status, h, body = post(t, srv, "whmcs", form("download_invoice", "token", tok, "invoice_id", strconv.Itoa(int(id))))
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, "application/pdf", h.Get("Content-Type"))
	assert.Equal(t, "%PDF-", string(body[:5]))

	require.NoError(t, srv.PayInvoice(int(id)))
	assert.Equal(t, "550.00", srv.Balance())
	assert.Equal(t, "550.00", tcall(t, srv, tok, "whmcs", "get_client")["client"].(map[string]any)["credit"])
}

func TestJiraTickets(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	tok := login(t, srv, DefaultAPIKey)
	m := tcall(t, srv, tok, "jira", "request_reboot", "id", "12346")
	assert.Equal(t, "OK", m["result"])
	assert.Equal(t, "RHR-1001", m["ticket"])
	assert.Equal(t, "https://my.hostkey.com/servicedesk/customer/portal/1/RHR-1001", m["url"])
	require.Len(t, srv.Tickets(), 1)
	assert.Equal(t, 12346, srv.Tickets()[0].ServerID)
	assert.Len(t, tcall(t, srv, tok, "rhr", "list")["tickets"], 1)
	assert.Equal(t, "OK", tcall(t, srv, tok, "rhr", "discard", "ticket", "RHR-1001")["result"])
	assert.Equal(t, "Canceled", srv.Tickets()[0].Status)
}
