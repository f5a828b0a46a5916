package invapitest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The simulator answers eq.php as HOSTKEY's own clients read it
// (../shared/api/evidence.md §1b, §1c).

func TestEqShowEvidencedShape(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	tok := login(t, srv, DefaultAPIKey)
	tcall(t, srv, tok, "ip", "set_main", "id", "12345", "ip", "185.100.1.11", "main", "1")
	show := tcall(t, srv, tok, "eq", "show", "id", "12345")
	sd := show["server_data"].(map[string]any)
	assert.Equal(t, "rent", sd["status"], "tf reads server_data.status")
	assert.Equal(t, "rent", sd["Condition_Component"], "whmcs reads server_data.Condition_Component")
	ips := show["IP"].([]any)
	require.Len(t, ips, 2)
	assert.Equal(t, map[string]any{"ip": "185.100.1.10", "type": "public", "main_ip": float64(0), "ptr": ""}, ips[0])
	assert.Equal(t, "185.100.1.11", ips[1].(map[string]any)["ip"])
	assert.Equal(t, float64(1), ips[1].(map[string]any)["main_ip"], "tf reads ip and main_ip")

	q := NewServer(WithQuirks(Quirks{AlternativeShapes: true}))
	defer q.Close()
	sd = tcall(t, q, login(t, q, DefaultAPIKey), "eq", "show", "id", "12345")["server_data"].(map[string]any)
	assert.NotContains(t, sd, "status")
	assert.Equal(t, "rent", sd["Condition_Component"])
}

func TestEqOrderInstanceEvidencedOptions(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	srv.SetBalance("5000.00")
	tok := login(t, srv, DefaultAPIKey)
	order := func(kv ...string) map[string]any {
		base := []string{"deploy_period", "semi-annually", "pin", DefaultPIN, "os_id", "1", "root_pass", "Passw0rd-x",
			"traffic_plan", "2", "preset", "bm.v1-big", "location_name", "NL"}
		return tcall(t, srv, tok, "eq", "order_instance", append(base, kv...)...)
	}
	for _, bad := range [][]string{{"disk_mirror", "1"}, {"root_size", "0"}, {"root_size", "101"}, {"ipv6", "yes"}, {"private_vlan", "x"}} {
		assert.Equal(t, float64(-1), order(bad...)["code"], "%v must be refused", bad)
	}
	m := order("disk_mirror", "raid1", "root_size", "80", "ipv6", "1", "private_vlan", "3012", "no_lvm", "1")
	require.Equal(t, "OK", m["result"], "%v", m)
	assert.Equal(t, "Paid", m["status"])
	m = order("deploy_period", "hourly")
	assert.Equal(t, "OK", m["result"], "hourly (tf): %v", m)
}

func TestEqRemoveIPMIUserByIDAndRename(t *testing.T) {
	srv := NewServer(WithNotReadyChecks(0))
	defer srv.Close()
	tok := login(t, srv, DefaultAPIKey)
	assertError(t, tcall(t, srv, tok, "eq", "remove_ipmi_user", "id", "12345"), -1, "Remove IPMI user request failed")
	tcall(t, srv, tok, "eq", "add_ipmi_user", "id", "12345")
	m := tcall(t, srv, tok, "eq", "remove_ipmi_user", "id", "12345")
	assert.Equal(t, "OK", m["result"], "id only, as HOSTKEY's MCP server sends it: %v", m)

	m = tcall(t, srv, tok, "eq", "rename_server", "id", "12345", "hostname", "db1.example.com")
	assert.Equal(t, "OK", m["result"], "%v", m)
	e, _ := srv.Server(12345)
	assert.Equal(t, "db1.example.com", e.Hostname())
	assertError(t, tcall(t, srv, tok, "eq", "rename_server", "id", "12345", "hostname", "a b"), -1, "Rename server request failed: invalid hostname")
}
