package invapitest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// nat, net, jira, rhr, tags answered as HOSTKEY's own clients send and read
// them (../shared/api/evidence.md §1).

func TestNATClearAndDropEvidenced(t *testing.T) {
	srv := NewServer(WithNotReadyChecks(0))
	defer srv.Close()
	tok := login(t, srv, DefaultAPIKey)
	tcall(t, srv, tok, "nat", "add_static_nat", "id", "12345", "pin", DefaultPIN)
	e, _ := srv.Server(12345)
	m := tcall(t, srv, tok, "nat", "clear_static_nat", "ip", ipmiIP(&e))
	require.Equal(t, "OK", m["result"], "%v", m)
	assert.Equal(t, float64(1), m["removed"])
	assertError(t, tcall(t, srv, tok, "nat", "remove_static_nat", "id", "12345"), -1, "nat/remove_static_nat: no NAT rule for server 12345")

	tcall(t, srv, tok, "nat", "add_static_nat", "id", "12345", "pin", DefaultPIN)
	assert.Equal(t, "OK", tcall(t, srv, tok, "nat", "drop_nat", "id", "12345")["result"])
	assertError(t, tcall(t, srv, tok, "nat", "drop_nat", "ip", "198.51.100.1"), -1, "nat/drop_nat: NAT record not found")
	assertError(t, tcall(t, srv, tok, "nat", "drop_nat"), -1, "nat/drop_nat: id or ip is required")
}

func TestNetAddIPv4Evidenced(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	tok := login(t, srv, DefaultAPIKey)
	f := form("add_ipv4", "token", tok, "id", "12345", "port", "eth0")
	f["ips[]"] = []string{"203.0.113.200"}
	m := do(t, srv, "net", f)
	require.Equal(t, "OK", m["result"], "%v", m)
	ips := m["ips"].([]any)
	require.Len(t, ips, 1)
	assert.Equal(t, "203.0.113.200", ips[0].(map[string]any)["ip"], "{ip, vlan} objects, as tf reads them")
	assert.NotNil(t, ips[0].(map[string]any)["vlan"])

	q := NewServer(WithQuirks(Quirks{AlternativeShapes: true}))
	defer q.Close()
	m = tcall(t, q, login(t, q, DefaultAPIKey), "net", "add_ipv4", "id", "12345", "amount", "1")
	require.Len(t, m["ips"], 1)
	assert.IsType(t, "", m["ips"].([]any)[0], "bare strings under the quirk")
}

func TestRHRAndJiraEvidenced(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	tok := login(t, srv, DefaultAPIKey)
	m := tcall(t, srv, tok, "rhr", "add", "id", "12345", "comment", "Reseat the NIC cable", "request_type", "request_check")
	require.Equal(t, "OK", m["result"], "%v", m)
	ticket := m["ticket"].(map[string]any)
	assert.Equal(t, "request_check", ticket["type"])
	id := ticket["id"].(string)
	assertError(t, tcall(t, srv, tok, "rhr", "add", "id", "12345"), -1, "rhr/add: comment is required")
	assert.Equal(t, "OK", tcall(t, srv, tok, "rhr", "chat", "id", id, "message", "any news?")["result"], "the request's id as id (mcp)")
	m = tcall(t, srv, tok, "rhr", "discard", "id", id)
	assert.Equal(t, "Canceled", m["ticket"].(map[string]any)["status"])

	m = tcall(t, srv, tok, "jira", "request_assistance", "id", "12345", "subject", "Plan change", "message", "Yearly please")
	require.Equal(t, "OK", m["result"], "%v", m)
	assertError(t, tcall(t, srv, tok, "jira", "request_assistance", "id", "12345"), -1, "jira/request_assistance: message is required")
}

func TestTagsRemoveWithComponent(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	tok := login(t, srv, DefaultAPIKey)
	tcall(t, srv, tok, "tags", "add", "id", "12345", "tag", "role", "value", "web")
	m := tcall(t, srv, tok, "tags", "remove", "tag", "role", "component", "eq", "component_id", "12345", "id", "12345")
	assert.Equal(t, "OK", m["result"], "tf's fields: %v", m)
}
