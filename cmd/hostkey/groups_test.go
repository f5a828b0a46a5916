package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/invapi-go/invapi"
	"github.com/invapi-go/invapi/invapitest"
)

func TestOrderFlow(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ps := decode[[]invapi.Preset](t, e.mustRun("preset", "list", "--location", "NL", "-o", "json"))
	if len(ps) == 0 || ps[0].Name == "" {
		t.Fatalf("preset list: %+v", ps)
	}
	oses := decode[invapi.OSList](t, e.mustRun("os", "list", "--preset", itoa(ps[0].ID), "--location", "NL", "-o", "json"))
	if len(oses.OS) == 0 {
		t.Fatal("os list: none")
	}
	// JSON output names its keys as the rest of the SDK's output does
	// (snake case from json tags), never by Go field name.
	keys := decode[map[string]json.RawMessage](t, e.mustRun("os", "list", "--preset", itoa(ps[0].ID), "--location", "NL", "-o", "json"))
	if _, ok := keys["os"]; !ok || keys["OS"] != nil {
		t.Fatalf("os list -o json keys: %v", keys)
	}
	plans := decode[[]invapi.TrafficPlan](t, e.mustRun("plan", "list", "--preset", itoa(ps[0].ID), "--location", "NL", "-o", "json"))
	if len(plans) == 0 {
		t.Fatal("plan list: none")
	}
	args := []string{"order", "--location", "NL", "--preset", ps[0].Name, "--os", itoa(oses.OS[0].ID), "--plan", itoa(plans[0].ID), "--hostname", "new-1.example.com"}

	e.expectCode(exitUsage, args...) // no --yes, no terminal
	if n := e.count("eq", "order_instance"); n != 0 {
		t.Fatalf("an unconfirmed order was sent %d times", n)
	}
	r := e.mustRun(append(args, "--dry-run")...)
	if !strings.Contains(r.stdout, "action=order_instance") || !strings.Contains(r.stdout, "preset="+ps[0].Name) {
		t.Errorf("order --dry-run:\n%s", r.stdout)
	}
	if n := e.count("eq", "order_instance"); n != 0 {
		t.Fatalf("a dry-run order was sent")
	}
	balance := e.sim.Balance()
	e.stdin = "Root-Pass_2024\n"
	r = e.mustRun(append(args, "--yes", "--root-pass-stdin", "-o", "json")...)
	e.stdin = ""
	out := decode[orderOutput](t, r)
	if out.Invoice == 0 || out.ServerID == 0 || out.Server == nil || out.Server.ID != out.ServerID {
		t.Fatalf("order output: %+v", out)
	}
	if !strings.Contains(r.stderr, "order placed: invoice") || !strings.Contains(r.stderr, "stage 5") {
		t.Errorf("order progress:\n%s", r.stderr)
	}
	if n := e.count("eq", "order_instance"); n != 1 {
		t.Errorf("order_instance sent %d times", n)
	}
	if e.sim.Balance() == balance {
		t.Errorf("the order charged nothing (balance %s)", balance)
	}
	var form string
	for _, req := range e.sim.Requests() {
		if req.Action == "order_instance" {
			form = req.Form.Encode()
		}
	}
	if !strings.Contains(form, "root_pass=%2A%2A%2A") || !strings.Contains(form, "hostname=new-1.example.com") {
		t.Errorf("order form as the simulator saw it: %s", form)
	}
	if _, ok := e.sim.Server(out.ServerID); !ok {
		t.Errorf("server %d does not exist", out.ServerID)
	}
}

func TestNoWaitThenOperationWait(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.mustRun("server", "reboot", "12345", "--no-wait")
	key := strings.TrimSpace(r.stdout)
	if key == "" || !strings.Contains(r.stderr, "hostkey operation wait "+key) {
		t.Fatalf("--no-wait: stdout %q stderr %q", r.stdout, r.stderr)
	}
	if e.count("eq_callback", "check") != 0 {
		t.Errorf("--no-wait polled the operation")
	}
	nw := decode[struct {
		Key            string `json:"key"`
		CallbackModule string `json:"callback_module"`
	}](t, e.mustRun("nat", "add", "12345", "--no-wait", "-o", "json"))
	if nw.Key == "" || nw.CallbackModule != "nat_callback" {
		t.Errorf("--no-wait -o json: %+v", nw)
	}
	e.mustRun("operation", "wait", nw.Key, "--nat")
	res := decode[opResult](t, e.mustRun("operation", "wait", key, "-o", "json"))
	if res.Key != key {
		t.Errorf("operation wait: %+v", res)
	}
	// The key's OK was read: waiting again reports it gone (outcome to check).
	e.expectCode(exitUnknown, "operation", "wait", key)
	e.expectCode(exitUnknown, "operation", "wait", "no-such-key")
}

func TestCtrlCStopsWaitingOnly(t *testing.T) {
	t.Parallel()
	e := newEnv(t, invapitest.WithNotReadyChecks(1_000_000))
	cmd := exec.Command(binary, "server", "reboot", "12345")
	for k, v := range e.vars {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for e.count("eq_callback", "check") < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	_ = cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != exitInterrupted {
		t.Fatalf("after Ctrl-C: %v\n%s", err, errb.String())
	}
	m := regexp.MustCompile(`hostkey operation wait (\S+)`).FindStringSubmatch(errb.String())
	if m == nil {
		t.Fatalf("no resume hint:\n%s", errb.String())
	}
	if n := e.count("eq", "reboot"); n != 1 {
		t.Errorf("reboot sent %d times", n)
	}
	if e.sim.PendingOperations() == 0 {
		t.Errorf("the operation was cancelled at the server")
	}
	e.sim.CompleteOperations()
	// The resumed wait still sees Not ready a few times (1e6 checks): let
	// it finish by itself after CompleteOperations.
	res := decode[opResult](t, e.mustRun("operation", "wait", m[1], "-o", "json"))
	if res.Key != m[1] {
		t.Errorf("resumed: %+v", res)
	}
}

func TestOutcomeUnknownExits5AndNeverRetries(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.mustRun("server", "list", "-q") // logged in
	e.sim.Fault(invapitest.Fault{Module: "eq", Action: "reboot", Kind: invapitest.FaultDropAfter})
	r := e.expectCode(exitUnknown, "server", "reboot", "12345")
	if !strings.Contains(r.stderr, "NOT resent") || !strings.Contains(r.stderr, "Settle it with:") {
		t.Errorf("unknown outcome message:\n%s", r.stderr)
	}
	if n := e.count("eq", "reboot"); n != 1 {
		t.Errorf("reboot reached the server %d times, want once", n)
	}
}

func TestOperationFailedExits6(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.sim.Fault(invapitest.Fault{Module: "eq_callback", Action: "check", Kind: invapitest.FaultAPIError, Code: -1, Message: "IPMI error: unable to reboot"})
	e.expectCode(exitOpFailed, "server", "reboot", "12345")
}

func TestTagsPTRNetNAT(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.mustRun("tag", "add", "12345", "env", "prod")
	tags := decode[[]invapi.Tag](t, e.mustRun("tag", "list", "12345", "-o", "json"))
	found := false
	for _, tg := range tags {
		found = found || (tg.Name == "env" && tg.Value == "prod")
	}
	if !found {
		t.Fatalf("tag list after add: %+v", tags)
	}
	if ids := e.mustRun("tag", "search", "prod", "-q").stdout; !strings.Contains(ids, "12345") {
		t.Errorf("tag search: %q", ids)
	}
	e.mustRun("tag", "remove", "12345", "env")
	if q := e.mustRun("tag", "list", "12345", "-q").stdout; strings.Contains(q, "env") {
		t.Errorf("tag still there: %q", q)
	}
	e.mustRun("server", "rename", "12345", "renamed.example.com")
	if s, _ := e.sim.Server(12345); s.Hostname() != "renamed.example.com" {
		t.Errorf("rename: hostname %q", s.Hostname())
	}

	srv, _ := e.sim.Server(12345)
	ip := srv.IPs[0]
	e.mustRun("ip", "ptr", "set", "12345", ip, "a.example.com", "b.example.com")
	p := decode[invapi.PTRRecord](t, e.mustRun("ip", "ptr", "get", "12345", ip, "-o", "json"))
	if strings.Join(p.Names, ",") != "a.example.com,b.example.com" {
		t.Errorf("ptr get: %+v", p)
	}

	e.expectCode(exitUsage, "net", "port", "off", "12345", "eth0")
	e.mustRun("net", "port", "off", "12345", "eth0", "--yes")
	e.mustRun("net", "port", "on", "12345", "eth0")
	if e.count("net", "port_off") != 1 || e.count("net", "port_on") != 1 {
		t.Errorf("port off/on: %d/%d", e.count("net", "port_off"), e.count("net", "port_on"))
	}
	e.mustRun("nat", "add", "12345", "--allow-from", "198.51.100.7")
	e.mustRun("nat", "remove", "12345")
	if e.count("nat_callback", "check") < 2 {
		t.Errorf("NAT operations were not waited on nat_callback")
	}
	r := e.mustRun("server", "ipmi", "12345", "-o", "json")
	acc := decode[struct {
		User, Password string
	}](t, r)
	if acc.User == "" {
		t.Errorf("ipmi: %s", r.stdout)
	}
	e.mustRun("server", "ipmi", "12345", "--close", acc.User)
}

func TestDNSBillingTicketsKeysS3(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.mustRun("dns", "zone", "create", "example.org")
	e.mustRun("dns", "record", "add", "example.org", "www.example.org", "A", "192.0.2.1", "--ttl", "300")
	z := decode[invapi.Zone](t, e.mustRun("dns", "zone", "show", "example.org", "-o", "json"))
	if len(z.Records) == 0 {
		t.Errorf("zone show: %+v", z)
	}
	if q := e.mustRun("dns", "zone", "list", "-q").stdout; !strings.Contains(q, "example.org") {
		t.Errorf("zone list: %q", q)
	}
	e.expectCode(exitUsage, "dns", "zone", "delete", "example.org")
	e.mustRun("dns", "zone", "delete", "example.org", "--yes")

	bal := decode[struct {
		Credit   string `json:"credit"`
		Currency string `json:"currency"`
	}](t, e.mustRun("balance", "-o", "json"))
	if bal.Credit != invapitest.DefaultBalance {
		t.Errorf("balance: %+v", bal)
	}
	add := decode[invapi.AddFundsInvoice](t, e.mustRun("balance", "add", "25", "-o", "json"))
	if add.InvoiceID == 0 {
		t.Fatalf("balance add: %+v", add)
	}
	invs := decode[[]invapi.Invoice](t, e.mustRun("invoice", "list", "-o", "json"))
	if len(invs) == 0 {
		t.Fatal("invoice list: none")
	}
	e.mustRun("invoice", "show", itoa(add.InvoiceID))
	e.expectCode(exitUsage, "invoice", "pay", itoa(add.InvoiceID))
	if n := e.count("whmcs", "apply_credit"); n != 0 {
		t.Errorf("an unconfirmed payment was sent")
	}
	r := e.mustRun("invoice", "pay", itoa(add.InvoiceID), "--amount", "25.00", "--dry-run")
	if !strings.Contains(r.stdout, "amount=25.00") {
		t.Errorf("pay --dry-run:\n%s", r.stdout)
	}

	tk := decode[struct{ ID, URL string }](t, e.mustRun("ticket", "reboot", "12345", "-o", "json"))
	if tk.ID == "" {
		t.Fatalf("ticket reboot: %+v", tk)
	}
	if q := e.mustRun("ticket", "list", "-q").stdout; !strings.Contains(q, tk.ID) {
		t.Errorf("ticket list: %q", q)
	}

	keys := decode[[]invapi.APIKey](t, e.mustRun("api-key", "list", "-o", "json"))
	if len(keys) == 0 {
		t.Fatal("api-key list: none")
	}
	r = e.mustRun("api-key", "list")
	if strings.Contains(r.stdout, invapitest.DefaultAPIKey) {
		t.Error("api-key list shows a key value")
	}
	nk := decode[struct {
		ID  int    `json:"id"`
		Key string `json:"key"`
	}](t, e.mustRun("api-key", "create", "ci", "-o", "json"))
	if nk.ID == 0 || nk.Key == "" {
		t.Fatalf("api-key create: %+v", nk)
	}
	e.expectCode(exitUsage, "api-key", "delete", itoa(nk.ID))
	e.mustRun("api-key", "delete", itoa(nk.ID), "--yes")

	e.mustRun("s3", "plans")
	e.expectCode(exitUsage, "s3", "order", "1")
	o := decode[invapi.S3Order](t, e.mustRun("s3", "order", "1", "--yes", "-o", "json"))
	if o.Account.ID == 0 {
		t.Fatalf("s3 order: %+v", o)
	}
	acct := itoa(o.Account.ID)
	e.mustRun("s3", "create-bucket", acct, "backups")
	if q := e.mustRun("s3", "buckets", acct, "-q").stdout; !strings.Contains(q, "backups") {
		t.Errorf("s3 buckets: %q", q)
	}
	r = e.mustRun("s3", "keys", acct)
	if strings.Contains(r.stdout, "secret key:  (use --secret)") == false {
		t.Errorf("s3 keys shows the secret without --secret:\n%s", r.stdout)
	}
}

func TestRaw(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.mustRun("raw", "eq", "show", "id=12345", "--read-only")
	if !strings.Contains(r.stdout, "12345") {
		t.Errorf("raw eq show:\n%s", r.stdout)
	}
	e.mustRun("raw", "tags.php", "add", "id=12345", "tag=k", "value=v")
	if n := e.count("tags", "add"); n != 1 {
		t.Errorf("raw tags add sent %d", n)
	}
	e.expectCode(exitUsage, "raw", "eq")
	e.expectCode(exitUsage, "raw", "eq", "show", "novalue")
	e.mustRun("raw", "eq", "reboot", "id=12345", "--pin", "--async", "--server", "12345")
	if n := e.count("eq", "reboot"); n != 1 {
		t.Errorf("raw reboot sent %d", n)
	}
}

func TestContexts(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.vars["HOSTKEY_API_KEY"], e.vars["HOSTKEY_PIN"] = "", ""
	e.stdin = invapitest.DefaultAPIKey + "\n" + invapitest.DefaultPIN + "\n"
	e.mustRun("context", "create", "sim", "--base-url", e.sim.URL, "--api-key-stdin", "--pin-stdin")
	e.stdin = ""
	cfgPath := e.vars["XDG_CONFIG_HOME"] + "/hostkey/config.toml"
	st, err := os.Stat(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("config mode %v, want 0600", st.Mode().Perm())
	}
	e.vars["INVAPI_BASE_URL"] = ""
	e.mustRun("server", "reboot", "12345") // the context's key and PIN
	who := e.mustRun("whoami")
	if !strings.Contains(who.stdout, "customer") {
		t.Errorf("whoami:\n%s", who.stdout)
	}
	cache := e.vars["XDG_CONFIG_HOME"] + "/hostkey/sessions/sim.json"
	if st, err := os.Stat(cache); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("session cache: %v %v", st, err)
	}
	l := e.mustRun("context", "list")
	if !strings.Contains(l.stdout, "sim") || !strings.Contains(l.stdout, "*") {
		t.Errorf("context list:\n%s", l.stdout)
	}
	e.expectCode(exitUsage, "context", "use", "nope")
	e.expectCode(exitUsage, "server", "list", "--context", "nope")
	e.mustRun("context", "delete", "sim")
	if _, err := os.Stat(cache); err == nil {
		t.Error("the context's session cache survived its deletion")
	}
	// --config puts everything elsewhere.
	alt := t.TempDir() + "/alt.toml"
	e.stdin = invapitest.DefaultAPIKey + "\n"
	e.mustRun("--config", alt, "context", "create", "x", "--base-url", e.sim.URL, "--api-key-stdin")
	e.stdin = ""
	e.mustRun("--config", alt, "server", "list", "-q")
	if b, _ := os.ReadFile(alt); !bytes.Contains(b, []byte("[contexts.x]")) {
		t.Errorf("--config file:\n%s", b)
	}
}

func TestSimulatorFlag(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.vars["HOSTKEY_API_KEY"], e.vars["HOSTKEY_PIN"], e.vars["INVAPI_BASE_URL"] = "", "", ""
	r := e.mustRun("--simulator", "server", "list", "-q")
	if r.stdout != "12345\n12346\n12347\n" || !strings.Contains(r.stderr, "simulator") {
		t.Errorf("--simulator: %q %q", r.stdout, r.stderr)
	}
	e.vars["HOSTKEY_SIMULATOR"] = "1"
	e.mustRun("server", "reboot", "12345")
	if n := len(e.sim.Requests()); n != 0 {
		t.Errorf("--simulator reached the outside simulator %d times", n)
	}
}

func TestCompletion(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.mustRun("completion", "bash")
	if !strings.Contains(r.stdout, "__start_hostkey") {
		t.Errorf("bash completion: %.200s", r.stdout)
	}
}

func TestTokenFromEnvironment(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.mustRun("server", "list", "-q") // a session, cached
	tokens := 0
	for _, req := range e.sim.Requests() {
		if req.Action == "login" {
			tokens++
		}
	}
	// A session token given in HOSTKEY_TOKEN is used as it is: no login,
	// nothing cached for it.
	tok := newEnv(t)
	tok.vars["HOSTKEY_API_KEY"] = ""
	tok.vars["INVAPI_BASE_URL"] = e.sim.URL
	tok.sim = e.sim
	tok.vars["HOSTKEY_TOKEN"] = readCachedToken(t, e)
	tok.extras = append(tok.extras, tok.vars["HOSTKEY_TOKEN"])
	e.extras = append(e.extras, tok.vars["HOSTKEY_TOKEN"])
	before := e.count("auth", "login")
	tok.mustRun("server", "show", "12345", "-q")
	if e.count("auth", "login") != before {
		t.Errorf("HOSTKEY_TOKEN: logged in anyway")
	}
	if _, err := os.Stat(tok.vars["XDG_CONFIG_HOME"] + "/hostkey/sessions"); err == nil {
		t.Errorf("HOSTKEY_TOKEN was cached")
	}
	tok.mustRun("logout")
	tok.expectCode(exitAuth, "server", "show", "12345")
}

func readCachedToken(t *testing.T, e *env) string {
	t.Helper()
	b, err := os.ReadFile(e.vars["XDG_CONFIG_HOME"] + "/hostkey/sessions/default.json")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`"token":"([^"]+)"`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("no token in the cache: %s", b)
	}
	return string(m[1])
}

// TestLooseStandIn runs commands against a stand-in with every loose-typing
// quirk of the real API and 401 for expired tokens.
func TestLooseStandIn(t *testing.T) {
	t.Parallel()
	e := newEnv(t, invapitest.WithQuirks(invapitest.Quirks{StringIDs: true, EmptyObjectsAsArrays: true,
		OneRowListsAsObjects: true, HTMLContentType: true}), invapitest.WithUnauthorizedStatus(401))
	if q := e.mustRun("server", "list", "-q").stdout; q != "12345\n12346\n12347\n" {
		t.Errorf("server list: %q", q)
	}
	e.mustRun("server", "show", "12345", "-o", "json")
	e.mustRun("server", "reboot", "12345")
	e.sim.ExpireSessions()
	e.mustRun("tag", "list", "12345")
	e.mustRun("invoice", "list")
	e.mustRun("preset", "list")
}

func TestSSHKeys(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pub := "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ci@example"
	e.stdin = pub + "\n"
	k := decode[[]invapi.SSHKey](t, e.mustRun("ssh-key", "add", "ci", "--key-file", "-", "--default", "-o", "json"))
	e.stdin = ""
	if len(k) != 1 || k[0].ID == 0 || k[0].Name != "ci" {
		t.Fatalf("ssh-key add: %+v", k)
	}
	if q := e.mustRun("ssh-key", "list", "-q").stdout; !strings.Contains(q, itoa(k[0].ID)) {
		t.Errorf("ssh-key list: %q", q)
	}
	e.expectCode(exitUsage, "ssh-key", "delete", itoa(k[0].ID))
	e.mustRun("ssh-key", "delete", itoa(k[0].ID), "--yes")
	if q := e.mustRun("ssh-key", "list", "-q").stdout; strings.Contains(q, itoa(k[0].ID)+"\n") {
		t.Errorf("deleted key still listed: %q", q)
	}
	e.expectCode(exitUsage, "ssh-key", "add", "x")
}

func TestTimeoutStopsWaiting(t *testing.T) {
	t.Parallel()
	e := newEnv(t, invapitest.WithNotReadyChecks(1_000_000))
	r := e.expectCode(exitOther, "server", "reboot", "12345", "--timeout", "300ms")
	if !strings.Contains(r.stderr, "hostkey operation wait ") {
		t.Errorf("--timeout does not say how to resume:\n%s", r.stderr)
	}
	if n := e.count("eq", "reboot"); n != 1 {
		t.Errorf("reboot sent %d times", n)
	}
}

func TestCatalogueISOVM(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, args := range [][]string{
		{"software", "list", "--preset", "101"}, {"software", "tasks"}, {"stock", "list"},
		{"preset", "show", "bm.v1-big"}, {"preset", "groups"},
		{"iso", "list", "--server", "12345"}, {"iso", "uploaded"},
		{"vm", "snapshots", "12346"}, {"vm", "stats", "12346"},
		{"server", "backup", "list", "12345"}, {"server", "history", "12345"},
	} {
		r := e.mustRun(append(args, "-o", "json")...)
		var v any
		if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
			t.Errorf("%v -o json is not JSON: %v\n%s", args, err, r.stdout)
		}
	}
	e.mustRun("vm", "snapshot", "12346", "before-upgrade")
	if q := e.mustRun("vm", "snapshots", "12346", "-q").stdout; !strings.Contains(q, "before-upgrade") {
		t.Errorf("vm snapshots after snapshot: %q", q)
	}
	e.expectCode(exitUsage, "vm", "restore", "12346", "before-upgrade")
	e.mustRun("vm", "restore", "12346", "before-upgrade", "--yes")
}
