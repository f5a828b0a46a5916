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

	m := tcall(t, srv, tok, "api_keys", "add", "name", "ci", "server_id", "12346")
	require.Equal(t, "OK", m["result"], "%v", m)
	k := m["api_key"].(map[string]any)
	secret := k["key"].(string)
	id := strconv.Itoa(int(k["id"].(float64)))
	assert.Equal(t, float64(12346), k["server_id"])

	// The new key logs in, restricted to its server.
	res := do(t, srv, "auth", form("login", "key", secret))["result"].(map[string]any)
	assert.Equal(t, []any{"12346"}, res["servers"])

	view := tcall(t, srv, tok, "api_keys", "view", "key_id", id)["api_key"].(map[string]any)
	assert.NotContains(t, view, "key", "the secret is shown once")
	assert.Len(t, tcall(t, srv, tok, "api_keys", "list_for_server", "id", "12346")["keys"], 1)

	assert.Equal(t, "OK", tcall(t, srv, tok, "api_keys", "edit", "key_id", id, "active", "0")["result"])
	assertError(t, do(t, srv, "auth", form("login", "key", secret)), -1, "Invalid API key")
	assert.Equal(t, "OK", tcall(t, srv, tok, "api_keys", "delete", "key_id", id)["result"])
	assert.Len(t, tcall(t, srv, tok, "api_keys", "history", "key_id", id)["history"], 3)
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
	assert.Equal(t, "OK", tcall(t, srv, tok, "pdns", "add_domain", "domain", "example.org")["result"])
	assert.Equal(t, float64(-1), tcall(t, srv, tok, "pdns", "add_domain", "domain", "example.org")["code"])
	r := tcall(t, srv, tok, "pdns", "add_dns", "domain", "example.org", "record", "www", "type", "A", "content", "185.100.1.10")
	rec := r["record"].(map[string]any)
	assert.Equal(t, "www.example.org", rec["name"])
	zone := tcall(t, srv, tok, "pdns", "view_zone", "domain", "example.org")["zone"].(map[string]any)
	assert.Len(t, zone["records"], 3)
	tcall(t, srv, tok, "pdns", "delete_dns", "record_id", strconv.Itoa(int(rec["id"].(float64))))
	zone = tcall(t, srv, tok, "pdns", "view_zone", "domain", "example.org")["zone"].(map[string]any)
	assert.Len(t, zone["records"], 2)
	tcall(t, srv, tok, "pdns", "delete_domain", "domain", "example.org")
	assert.Len(t, tcall(t, srv, tok, "pdns", "list_domains")["domains"], 0)
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
	srv := NewServer()
	defer srv.Close()
	tok := login(t, srv, DefaultAPIKey)
	up := tcall(t, srv, tok, "iso", "upload", "url", "https://example.org/images/rescue.iso")
	assert.Equal(t, "rescue.iso", up["iso"].(map[string]any)["name"])
	assert.Len(t, tcall(t, srv, tok, "iso", "list_iso")["iso"], 4)
	assert.Equal(t, "OK", tcall(t, srv, tok, "iso", "mount_iso", "id", "12345", "iso", "rescue.iso")["result"])
	e, _ := srv.Server(12345)
	assert.Equal(t, "rescue.iso", e.ISO)
	tcall(t, srv, tok, "iso", "unmount_iso", "id", "12345")
	e, _ = srv.Server(12345)
	assert.Equal(t, "", e.ISO)
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
