package invapitest

import (
	"bufio"
	"encoding/json"
	"net/http"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type catalogueAction struct{ module, action, auth, async, pin string }

// catalogue reads testdata/actions.txt, every action of endpoints.json.
func catalogue(t *testing.T) []catalogueAction {
	t.Helper()
	f, err := os.Open("testdata/actions.txt")
	require.NoError(t, err)
	defer f.Close()
	var out []catalogueAction
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		p := strings.Fields(line)
		require.Len(t, p, 5, line)
		out = append(out, catalogueAction{p[0], p[1], p[2], p[3], p[4]})
	}
	require.Len(t, out, 181)
	return out
}

// asyncParams are the fields that make each async action succeed on the
// default state (beyond token, pin and id=12345).
var asyncParams = map[string][]string{
	"eq/boot_dev":         {"media", "pxe"},
	"eq/create_pxe":       {"os_id", "1", "root_pass", "Str0ng-Pass", "hostname", "h.example.com"},
	"eq/clear_pxe":        {"hostname", "h.example.com"},
	"eq/remove_ipmi_user": {"username", "u1"},
	"eq/set_pin":          {"old_pin", DefaultPIN, "new_pin", DefaultPIN},
	"eq/reinstall":        {"os_id", "1", "root_pass", "Str0ng-Pass"},
	"eq/order_instance": {"id", "-", "deploy_period", "monthly", "deploy_notify", "0", "os_id", "1", "traffic_plan", "1",
		"preset", "vm.v2-small", "location_name", "NL"},
	"eq/delete_backup":   {"backup_id", "b1"},
	"eq/restore_backup":  {"backup_id", "b2"},
	"net/port_off":       {"port", "eth0"},
	"net/port_on":        {"port", "eth0"},
	"net/block_ip":       {"ip", "203.0.113.9"},
	"net/unblock_ip":     {"ip", "203.0.113.9"},
	"vm/create_snapshot": {"id", "12346", "name", "s1"},
}

// TestEveryCatalogueActionHasAHandler calls every module/action of the
// catalogue and checks that it is known, that PIN-protected actions demand
// the PIN and that async actions answer a callback key.
func TestEveryCatalogueActionHasAHandler(t *testing.T) {
	srv := NewServer(WithNotReadyChecks(0))
	defer srv.Close()
	tok := login(t, srv, DefaultAPIKey)

	// State some actions need: an IPMI user, a backup, a NAT rule.
	tcall(t, srv, tok, "eq", "add_ipmi_user", "id", "12345", "admin_user", "u1")
	b := tcall(t, srv, tok, "eq", "create_backup", "id", "12345", "name", "b1")
	require.Equal(t, "OK", b["result"], "%v", b)
	tcall(t, srv, tok, "eq", "create_backup", "id", "12345", "name", "b2")
	tcall(t, srv, tok, "nat", "add_static_nat", "id", "12345", "pin", DefaultPIN)
	tcall(t, srv, tok, "net", "block_ip", "id", "12345", "pin", DefaultPIN, "ip", "203.0.113.9")

	actions := catalogue(t)
	// logout and session_reset end sessions: run them last.
	sort.SliceStable(actions, func(i, j int) bool {
		last := func(a catalogueAction) bool {
			return a.module == "auth" && (a.action == "logout" || a.action == "session_reset")
		}
		return !last(actions[i]) && last(actions[j])
	})
	for _, a := range actions {
		name := a.module + "/" + a.action
		t.Run(name, func(t *testing.T) {
			token := tok
			if name == "auth/logout" || name == "auth/session_reset" {
				token = login(t, srv, DefaultAPIKey) // they end sessions
			}
			f := form(a.action, "token", token, "id", "12345", "pin", DefaultPIN)
			for i, kv := 0, asyncParams[name]; i+1 < len(kv); i += 2 {
				f.Set(kv[i], kv[i+1])
			}
			status, h, body := post(t, srv, a.module, f)
			require.Equal(t, http.StatusOK, status, "%s", body)
			if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				assert.Contains(t, []string{"image/png", "application/pdf"}, ct)
				return
			}
			var m map[string]any
			require.NoError(t, json.Unmarshal(body, &m), "%s", body)
			assert.NotEqual(t, "Unknown action", m["message"], "%s", body)
			assert.NotEqual(t, float64(-2), m["code"], "%s", body)

			if a.pin == "required" {
				f.Del("pin")
				_, _, body := post(t, srv, a.module, f)
				assert.JSONEq(t, `{"code":-1,"message":"PIN required"}`, string(body))
			}
			if (a.async == "eq_callback" || a.async == "nat_callback") && name != "eq/status" {
				assert.Equal(t, "OK", m["result"], "%s", body)
				assert.Regexp(t, hex32, m["callback"], "%s", body)
			}
		})
	}
}
