package invapitest

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAPIKeysLifecycle(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	tok := login(t, srv, DefaultAPIKey)

	// Every field nested under params[...]; answers under data (whmcs, mcp).
	m := tcall(t, srv, tok, "api_keys", "add", "params[name]", "ci", "params[server_id]", "12346",
		"params[login_notify_method]", "email", "params[login_notify_address]", "ops@example.com")
	require.Equal(t, "OK", m["result"], "%v", m)
	k := m["data"].(map[string]any)
	secret := k["api_key"].(string)
	id := strconv.Itoa(int(k["id"].(float64)))
	assert.Equal(t, float64(12346), k["server_id"])
	assert.Equal(t, "email", k["login_notify_method"])

	// The new key logs in, restricted to its server.
	res := do(t, srv, "auth", form("login", "key", secret))["result"].(map[string]any)
	assert.Equal(t, []any{"12346"}, res["servers"])

	view := tcall(t, srv, tok, "api_keys", "view", "params[id]", id)["data"].(map[string]any)
	assert.NotContains(t, view, "api_key", "the secret is shown once")
	assert.Equal(t, "ops@example.com", view["login_notify_address"])
	assert.Len(t, tcall(t, srv, tok, "api_keys", "list_for_server", "params[server_id]", "12346")["data"], 1)
	assertError(t, tcall(t, srv, tok, "api_keys", "view", "id", id), -1, "api_keys/view: key not found")

	assert.Equal(t, "OK", tcall(t, srv, tok, "api_keys", "edit", "params[id]", id, "params[active]", "0")["result"])
	assertError(t, do(t, srv, "auth", form("login", "key", secret)), -1, "Invalid API key")
	assert.Equal(t, "OK", tcall(t, srv, tok, "api_keys", "delete", "params[id]", id)["result"])
	assert.Len(t, tcall(t, srv, tok, "api_keys", "history", "params[id]", id)["data"], 3)
	assert.Len(t, tcall(t, srv, tok, "api_keys", "history", "params[id]", id, "params[period_to]", "2000-01-01")["data"], 0)
}

func TestAPIKeysAlternativeShapes(t *testing.T) {
	srv := NewServer(WithQuirks(Quirks{AlternativeShapes: true}))
	defer srv.Close()
	tok := login(t, srv, DefaultAPIKey)
	m := tcall(t, srv, tok, "api_keys", "add", "params[name]", "ci")
	k := m["api_key"].(map[string]any)
	assert.NotEmpty(t, k["key"])
	assert.Contains(t, k, "notify")
	assert.NotEmpty(t, tcall(t, srv, tok, "api_keys", "list")["keys"])
}

func TestWHMCSBilling(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	tok := login(t, srv, DefaultAPIKey)

	c := tcall(t, srv, tok, "whmcs", "get_client")
	assert.Equal(t, "success", c["result"])
	assert.Equal(t, "500.00", c["client"].(map[string]any)["credit"])

	inv := tcall(t, srv, tok, "whmcs", "generate_due_invoice", "id", "12345")
	assert.Equal(t, "success", inv["result"])
	invID := strconv.Itoa(int(inv["message"].(map[string]any)["invoiceid"].(float64)))
	again := tcall(t, srv, tok, "whmcs", "generate_due_invoice", "id", "12345")
	assert.Equal(t, "error", again["result"])

	list := tcall(t, srv, tok, "whmcs", "get_invoices")
	assert.Equal(t, float64(1), list["totalresults"])
	assert.Len(t, list["invoices"].(map[string]any)["invoice"], 1)

	gw := tcall(t, srv, tok, "whmcs", "getpaymentgw", "invoice_id", invID)
	assert.Contains(t, gw["call"], "<form")

	paid := tcall(t, srv, tok, "whmcs", "apply_credit", "invoice_id", invID)
	assert.Equal(t, "true", paid["invoicepaid"])
	assert.Equal(t, "380.00", srv.Balance())
	assert.Equal(t, "Paid", tcall(t, srv, tok, "whmcs", "get_invoice", "invoice_id", invID)["status"])
	assert.Equal(t, "error", tcall(t, srv, tok, "whmcs", "get_invoice", "invoice_id", "1")["result"])
	tx := tcall(t, srv, tok, "whmcs", "transactions")
	assert.Equal(t, float64(1), tx["totalresults"])
}

func TestPDNS(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	tok := login(t, srv, DefaultAPIKey)
	// tf's shape: params[...], content as a list; answers under data
	add := tcall(t, srv, tok, "pdns", "add_domain", "params[name]", "example.org", "params[server_id]", "12345")
	require.Equal(t, "OK", add["result"], "%v", add)
	id := add["data"].(map[string]any)["id"]
	assert.Positive(t, id, "data.id, as tf reads it")
	assert.Equal(t, float64(-1), tcall(t, srv, tok, "pdns", "add_domain", "name", "example.org")["code"], "mcp's flat name, already there")
	f := form("add_dns", "token", tok, "params[zone]", "example.org", "params[name]", "www", "params[type]", "A", "params[ttl]", "300")
	f["params[content][]"] = []string{"185.100.1.10", "185.100.1.11"}
	r := do(t, srv, "pdns", f)
	assert.Equal(t, "www.example.org", r["data"].(map[string]any)["name"])
	zone := tcall(t, srv, tok, "pdns", "view_zone", "params[zone]", "example.org")["data"].(map[string]any)
	assert.Equal(t, id, zone["id"])
	assert.Equal(t, "example.org", zone["name"])
	assert.Len(t, zone["records"], 4, "two NS and the two A values")
	// mcp's flat shape, priority as the record field
	tcall(t, srv, tok, "pdns", "add_dns", "zone", "example.org", "name", "@", "type", "MX", "content", "mx.example.org", "priority", "10")
	zone = tcall(t, srv, tok, "pdns", "view_zone", "zone", "example.org")["data"].(map[string]any)
	var mx map[string]any
	for _, r := range zone["records"].([]any) {
		if r.(map[string]any)["type"] == "MX" {
			mx = r.(map[string]any)
		}
	}
	require.NotNil(t, mx, "%v", zone)
	assert.Equal(t, "example.org", mx["name"], "@ is the apex")
	assert.Equal(t, float64(10), mx["priority"])
	assert.Equal(t, "mx.example.org", mx["content"])
	// delete by zone, name and type (+content), never by id
	assert.Equal(t, "OK", tcall(t, srv, tok, "pdns", "delete_dns", "params[zone]", "example.org", "params[name]", "www",
		"params[type]", "A", "params[content][]", "185.100.1.11")["result"])
	zone = tcall(t, srv, tok, "pdns", "view_zone", "zone", "example.org")["data"].(map[string]any)
	assert.Len(t, zone["records"], 4, "NS, NS, MX and the A value left")
	assert.Equal(t, float64(-1), tcall(t, srv, tok, "pdns", "delete_dns", "record_id", "1")["code"])
	tcall(t, srv, tok, "pdns", "delete_dns", "zone", "example.org", "name", "www", "type", "A")
	assert.Len(t, tcall(t, srv, tok, "pdns", "view_zone", "zone", "example.org")["data"].(map[string]any)["records"], 3)
	assert.Len(t, tcall(t, srv, tok, "pdns", "list_domains")["data"], 1)
	assert.Equal(t, "OK", tcall(t, srv, tok, "pdns", "delete_domain", "params[id]", strconv.Itoa(int(id.(float64))), "params[zone]", "example.org")["result"])
	assert.Len(t, tcall(t, srv, tok, "pdns", "list_domains")["data"], 0)
}

func TestS3AndVM(t *testing.T) {
	srv := NewServer(WithNotReadyChecks(0))
	defer srv.Close()
	tok := login(t, srv, DefaultAPIKey)

	acc := tcall(t, srv, tok, "s3", "create_account", "plan_id", "1")
	require.Equal(t, "OK", acc["result"], "%v", acc)
	assert.Equal(t, "OK", tcall(t, srv, tok, "s3", "create_bucket", "name", "my-bucket")["result"])
	assert.Equal(t, float64(-1), tcall(t, srv, tok, "s3", "create_bucket", "name", "Bad_Bucket")["code"])
	assert.Len(t, tcall(t, srv, tok, "s3", "get_buckets")["buckets"], 1)
	assert.NotEmpty(t, tcall(t, srv, tok, "s3", "show_key")["secret_key"])

	assertError(t, tcall(t, srv, tok, "vm", "create_snapshot", "id", "12345"), -1, "vm/create_snapshot: server 12345 is not a virtual machine")
	m := tcall(t, srv, tok, "vm", "create_snapshot", "id", "12346", "name", "before-upgrade")
	assert.Equal(t, "OK", waitOK(t, srv, "eq_callback", m["callback"].(string))[0]["result"])
	assert.Len(t, tcall(t, srv, tok, "vm", "get_snapshot", "id", "12346")["snapshots"], 1)
}

func TestISOMount(t *testing.T) {
	srv := NewServer(WithNotReadyChecks(0))
	defer srv.Close()
	tok := login(t, srv, DefaultAPIKey)
	up := tcall(t, srv, tok, "iso", "upload", "url", "https://example.org/images/rescue.iso")
	assert.Equal(t, "rescue.iso", up["iso"].(map[string]any)["name"])
	assert.Len(t, tcall(t, srv, tok, "iso", "list_iso", "server_id", "12345")["iso"], 4)
	// By name (not iso), answering a callback key, as mcp says.
	m := tcall(t, srv, tok, "iso", "mount_iso", "id", "12345", "name", "rescue.iso")
	assert.Equal(t, "ISO rescue.iso mounted", waitOK(t, srv, "eq_callback", m["callback"].(string))[0]["scope"])
	e, _ := srv.Server(12345)
	assert.Equal(t, "rescue.iso", e.ISO)
	assertError(t, tcall(t, srv, tok, "iso", "mount_iso", "id", "12345", "iso", "rescue.iso"), -1, "iso/mount_iso: iso_id or name is required")
	m = tcall(t, srv, tok, "iso", "unmount_iso", "id", "12345")
	assert.Regexp(t, hex32, m["callback"])
	e, _ = srv.Server(12345)
	assert.Equal(t, "", e.ISO)
	id := strconv.Itoa(int(up["iso"].(map[string]any)["id"].(float64)))
	assertError(t, tcall(t, srv, tok, "iso", "delete", "iso_id", id), -1, "iso/delete: ISO not found")
	assert.Equal(t, "OK", tcall(t, srv, tok, "iso", "delete", "id", id)["result"])
}

func TestSSHKeys(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	tok := login(t, srv, DefaultAPIKey)
	const pub = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl me@laptop"
	// params[name], params[key], params[default]; answers sshkey / sshkeys (tf).
	k := tcall(t, srv, tok, "ssh_keys", "add", "params[name]", "laptop", "params[key]", pub, "params[default]", "1")["sshkey"].(map[string]any)
	assert.Equal(t, "laptop", k["name"])
	assert.Equal(t, float64(1), k["default"])
	assertError(t, tcall(t, srv, tok, "ssh_keys", "add", "params[name]", "again", "params[key]", pub), -1, "ssh_keys/add: this key is already stored")
	assertError(t, tcall(t, srv, tok, "ssh_keys", "add", "name", "flat", "key", pub), -1, "ssh_keys/add: name is required")
	assert.Len(t, tcall(t, srv, tok, "ssh_keys", "list")["sshkeys"], 1)
	id := strconv.Itoa(int(k["id"].(float64)))
	assert.Equal(t, "OK", tcall(t, srv, tok, "ssh_keys", "delete", "id", id)["result"])
	assert.Len(t, tcall(t, srv, tok, "ssh_keys", "list")["sshkeys"], 0)
}

func TestJenkinsCall(t *testing.T) {
	srv := NewServer(WithNotReadyChecks(0))
	defer srv.Close()
	tok := login(t, srv, DefaultAPIKey)
	m := tcall(t, srv, tok, "jenkins", "call", "id", "12347", "task", "1", "params[driver]", "550")
	ok := waitOK(t, srv, "eq_callback", m["callback"].(string))[0]
	assert.Equal(t, "Task Install NVIDIA drivers completed", ok["scope"])
	assert.Equal(t, map[string]any{"driver": "550"}, ok["context"].(map[string]any)["params"])
	assertError(t, tcall(t, srv, tok, "jenkins", "call", "id", "12347", "task", "nope"), -1, "jenkins/call: unknown task nope")
}

func TestNetPortsAndBlocks(t *testing.T) {
	srv := NewServer(WithNotReadyChecks(0))
	defer srv.Close()
	tok := login(t, srv, DefaultAPIKey)
	off := tcall(t, srv, tok, "net", "port_off", "id", "12345", "pin", DefaultPIN, "port", "eth0")
	assert.Equal(t, "Port eth0 disabled", waitOK(t, srv, "eq_callback", off["callback"].(string))[0]["scope"])
	m := tcall(t, srv, tok, "net", "get_status", "id", "12345", "pin", DefaultPIN, "port", "eth0")
	ok := waitOK(t, srv, "eq_callback", m["callback"].(string))[0]
	assert.Equal(t, "disabled", ok["scope"].(map[string]any)["status"])

	assertError(t, tcall(t, srv, tok, "net", "unblock_ip", "id", "12345", "pin", DefaultPIN, "ip", "203.0.113.1"), -1,
		"net/unblock_ip: 203.0.113.1 is not blocked")
	assert.Equal(t, 0, srv.PendingOperations(), "a refused action leaves no key behind")

	add := tcall(t, srv, tok, "net", "add_ipv4", "id", "12346", "amount", "2")
	assert.Len(t, add["ips"], 2)
	e, _ := srv.Server(12346)
	assert.Len(t, e.IPs, 3)
}
