package standin

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// post sends one form to the stand-in and decodes the answer (after any PHP
// warning).
func post(t *testing.T, st *standin, module string, form url.Values) map[string]any {
	t.Helper()
	resp, err := http.PostForm(st.URL+"/"+module+".php", form)
	if err != nil {
		t.Fatalf("%s/%s: %v", module, form.Get("action"), err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if i := strings.IndexByte(string(b), '{'); i > 0 {
		b = b[i:]
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s/%s: %v: %s", module, form.Get("action"), err, b)
	}
	return m
}

func login(t *testing.T, st *standin) string {
	res := post(t, st, "auth", url.Values{"action": {"login"}, "key": {st.APIKey}, "ttl": {"3600"}})
	if inner, ok := res["result"].(map[string]any); ok {
		res = inner
	}
	tok, _ := res["token"].(string)
	if tok == "" || res["token_expire"] == nil {
		t.Fatalf("login answer %v: want token and token_expire", res)
	}
	return tok
}

// The callback life cycle of a reboot: Not ready, OK with context, then the
// key is gone (001).
func TestStandinCallbackBurnsAfterOK(t *testing.T) {
	st := newStandin(plain)
	defer st.Close()
	tok := login(t, st)
	res := post(t, st, "eq", url.Values{"action": {"reboot"}, "token": {tok}, "id": {"40101"}})
	key, _ := res["callback"].(string)
	if len(key) != 32 {
		t.Fatalf("reboot answer %v: want a 32-hex callback", res)
	}
	check := url.Values{"action": {"check"}, "key": {key}}
	var seen []any
	for range 3 {
		seen = append(seen, post(t, st, "eq_callback", check)["result"])
	}
	if seen[0] != "Not ready" || seen[1] != "OK" || seen[2] != float64(-1) {
		t.Fatalf("results %v, want Not ready, OK, -1 (key burned)", seen)
	}
	if got := st.requests()[1].Fields.Get("token"); got != "<token ok>" {
		t.Errorf("recorded token %q, want it masked as <token ok>", got)
	}
}

// deploy_keys is [] before an order, then maps the invoice to a key whose OK
// names the new server; order_instance names no server.
func TestStandinOrderFlow(t *testing.T) {
	st := newStandin(plain)
	defer st.Close()
	tok := login(t, st)
	before := post(t, st, "eq", url.Values{"action": {"update_servers"}, "token": {tok}})
	if dk, ok := before["deploy_keys"].([]any); !ok || len(dk) != 0 {
		t.Fatalf("deploy_keys before any order = %#v, want []", before["deploy_keys"])
	}
	order := post(t, st, "eq", url.Values{"action": {"order_instance"}, "token": {tok}, "preset": {"vm.v2-nano"},
		"location_name": {"NL"}, "os_id": {"3"}, "traffic_plan": {"11"}, "deploy_period": {"monthly"},
		"root_pass": {"Example-pass_2026"}, "hostname": {"a.example"}})
	if order["invoice"] != float64(invoice) || order["id"] != nil || order["callback"] != nil {
		t.Fatalf("order answer %v: want invoice %d, no id, no callback", order, invoice)
	}
	after := post(t, st, "eq", url.Values{"action": {"update_servers"}, "token": {tok}})
	key, _ := after["deploy_keys"].(map[string]any)["88123"].(string)
	var last map[string]any
	var results []any
	for range 3 { // Not ready, Stage, OK
		last = post(t, st, "eq_callback", url.Values{"action": {"check"}, "key": {key}})
		results = append(results, last["result"])
	}
	if results[0] != "Not ready" || results[1] != "Stage" {
		t.Errorf("checks %v, want Not ready, Stage, OK", results)
	}
	ctx, _ := last["context"].(map[string]any)
	if last["result"] != "OK" || ctx["id"] != "40150" || ctx["ip"] == nil {
		t.Fatalf("last check %v, want OK with context id 40150 and ip", last)
	}
	bad := post(t, st, "eq", url.Values{"action": {"order_instance"}, "token": {tok}, "preset": {"vm.v2-nano"},
		"location_name": {"NL"}, "os_id": {"3"}, "traffic_plan": {"11"}, "deploy_period": {"semi-annualy"}})
	if bad["code"] != float64(-1) {
		t.Errorf("deploy_period semi-annualy accepted: %v", bad)
	}
}

// Quirks mode quotes ids, answers os_excluded as [] and one traffic plan as
// a bare object.
func TestStandinQuirks(t *testing.T) {
	st := newStandin(quirks)
	defer st.Close()
	os := post(t, st, "os", url.Values{"action": {"list"}, "instance_id": {"101"}})
	if ex, ok := os["os_excluded"].([]any); !ok || len(ex) != 0 {
		t.Errorf("os_excluded = %#v, want []", os["os_excluded"])
	}
	if row := os["os_list"].([]any)[0].(map[string]any); row["id"] != "3" {
		t.Errorf("os id %#v, want \"3\"", row["id"])
	}
	tp := post(t, st, "traffic_plans", url.Values{"action": {"list"}, "location": {"NL"}})
	if _, ok := tp["traffic_plans"].(map[string]any); !ok {
		t.Errorf("traffic_plans = %#v, want one bare object", tp["traffic_plans"])
	}
}

// The field checker catches renamed fields, missing ones and a PIN where
// none belongs.
func TestCheckFieldsCatchesMismatches(t *testing.T) {
	r := wireRequest{Module: "tags", Action: "remove", Answer: "ok",
		Fields: url.Values{"action": {"remove"}, "token": {"<token ok>"}, "pin": {"<pin ok>"}, "ticket": {"1"}}}
	probs := strings.Join(checkFields(r), "\n")
	for _, want := range []string{"id or component_id or id_list not sent", "tag not sent", "the PIN was sent", "sends ticket"} {
		if !strings.Contains(probs, want) {
			t.Errorf("problems %q lack %q", probs, want)
		}
	}
	ok := wireRequest{Module: "tags", Action: "remove", Answer: "ok",
		Fields: url.Values{"action": {"remove"}, "token": {"<token ok>"}, "id": {"1"}, "tag": {"x"}}}
	if p := checkFields(ok); len(p) != 0 {
		t.Errorf("a matching request gives %v", p)
	}
}
