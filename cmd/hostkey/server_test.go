package main

import (
	"strings"
	"testing"

	"github.com/invapi-go/invapi"
	"github.com/invapi-go/invapi/invapitest"
)

func TestServerListAndShow(t *testing.T) {
	t.Parallel()
	e := newEnv(t)

	r := e.mustRun("server", "list")
	for _, want := range []string{"ID", "HOSTNAME", "12345", "12346", "12347", "web-1.example.com"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("table lacks %q:\n%s", want, r.stdout)
		}
	}

	list := decode[[]invapi.ServerSummary](t, e.mustRun("server", "list", "-o", "json"))
	if len(list) != 3 || list[0].ID != 12345 || list[0].Location != "NL" {
		t.Fatalf("server list -o json = %+v", list)
	}
	if q := e.mustRun("server", "list", "--quiet").stdout; q != "12345\n12346\n12347\n" {
		t.Errorf("--quiet printed %q", q)
	}
	y := e.mustRun("server", "list", "-o", "yaml").stdout
	if !strings.Contains(y, "- id: 12345") || !strings.Contains(y, `power: "on"`) {
		t.Errorf("-o yaml:\n%s", y)
	}

	s := decode[invapi.Server](t, e.mustRun("server", "show", "12345", "-o", "json"))
	if s.ID != 12345 || s.Hostname() != "web-1.example.com" || s.MainIP() == "" {
		t.Errorf("server show -o json = %+v", s.ServerSummary)
	}
	show := e.mustRun("server", "show", "12346").stdout
	if !strings.Contains(show, "db-1.example.com") || !strings.Contains(show, "hostname:") {
		t.Errorf("server show table:\n%s", show)
	}
}

func TestExitCodes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.expectCode(exitUsage, "bogus")
	e.expectCode(exitUsage, "server", "show")
	e.expectCode(exitUsage, "server", "show", "abc")
	e.expectCode(exitUsage, "server", "list", "--no-such-flag")
	e.expectCode(exitUsage, "server", "list", "-o", "xml")
	e.expectCode(exitNotFound, "server", "show", "99999")

	bad := newEnv(t)
	bad.vars["HOSTKEY_API_KEY"] = "other-account-key-0000"
	r := bad.expectCode(exitAuth, "server", "list")
	if !strings.Contains(r.stderr, "error:") || r.stdout != "" {
		t.Errorf("an error goes to stderr only: stdout %q stderr %q", r.stdout, r.stderr)
	}

	none := newEnv(t)
	none.vars["HOSTKEY_API_KEY"] = ""
	none.expectCode(exitAuth, "server", "list")
	if n := len(none.sim.Requests()); n != 0 {
		t.Errorf("without credentials %d requests were sent", n)
	}

	nopin := newEnv(t)
	nopin.vars["HOSTKEY_PIN"] = ""
	nopin.expectCode(exitAuth, "server", "reboot", "12345")
	wrong := newEnv(t)
	wrong.vars["HOSTKEY_PIN"] = "9876"
	wrong.expectCode(exitAuth, "server", "reboot", "12345")
}

func TestTokenCachedAcrossRuns(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for range 8 {
		e.mustRun("server", "list", "-q")
	}
	e.mustRun("server", "show", "12345")
	e.mustRun("server", "status", "12345")
	if n := e.count("auth", "login"); n != 1 {
		t.Errorf("ten runs logged in %d times, want once", n)
	}
	e.mustRun("logout")
	if n := e.count("auth", "logout"); n != 1 {
		t.Errorf("logout sent %d auth logout, want 1", n)
	}
	e.mustRun("server", "list", "-q")
	if n := e.count("auth", "login"); n != 2 {
		t.Errorf("after logout: %d logins, want 2", n)
	}

	// An expired cached session costs one re-login, not an error.
	e.sim.ExpireSessions()
	e.mustRun("server", "list", "-q")
	if n := e.count("auth", "login"); n != 3 {
		t.Errorf("after expiry: %d logins, want 3", n)
	}

	// Another account's key never reuses the cached session.
	other := *e
	other.vars = map[string]string{}
	for k, v := range e.vars {
		other.vars[k] = v
	}
	other.vars["HOSTKEY_API_KEY"] = invapitest.DefaultServerAPIKey
	other.mustRun("server", "show", "12345", "-q")
	if n := e.count("auth", "login"); n != 4 {
		t.Errorf("another key: %d logins, want 4 (a new session)", n)
	}
}

func TestDryRunSendsNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	cases := [][]string{
		{"server", "power", "off", "12345"},
		{"server", "reboot", "12345"},
		{"server", "reinstall", "12345", "--os", "1"},
		{"server", "rename", "12345", "new-name"},
		{"server", "list"},
		{"raw", "eq", "suspend", "id=12345", "--pin"},
	}
	for _, args := range cases {
		r := e.mustRun(append(args, "--dry-run")...)
		if !strings.Contains(r.stdout, "dry run: would send POST "+e.sim.URL) || !strings.Contains(r.stdout, "nothing was sent") {
			t.Errorf("%v --dry-run printed:\n%s", args, r.stdout)
		}
		if strings.Contains(r.stdout, "dry-run-token") || strings.Contains(r.stdout, "DryRun-Pass1") {
			t.Errorf("%v --dry-run printed a placeholder secret:\n%s", args, r.stdout)
		}
	}
	if n := len(e.sim.Requests()); n != 0 {
		t.Fatalf("--dry-run sent %d requests: %+v", n, e.sim.Requests())
	}
	r := e.mustRun("server", "power", "off", "12345", "--dry-run")
	for _, want := range []string{"action=off", "id=12345", "pin=***", "token=***"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("dry run form lacks %s:\n%s", want, r.stdout)
		}
	}
	r = e.mustRun("server", "reinstall", "12345", "--os", "1", "--dry-run")
	if !strings.Contains(r.stdout, "root_pass=***") || !strings.Contains(r.stdout, "os_id=1") {
		t.Errorf("reinstall dry run:\n%s", r.stdout)
	}
	// Invalid input is refused before the dry run prints anything.
	e.expectCode(exitUsage, "server", "boot-dev", "12345", "floppy", "--dry-run")
}

func TestConfirmationNeedsYes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.stdin = "" // not a terminal
	r := e.expectCode(exitUsage, "server", "power", "off", "12345")
	if !strings.Contains(r.stderr, "--yes") {
		t.Errorf("refusal does not say how: %s", r.stderr)
	}
	e.expectCode(exitUsage, "server", "reinstall", "12345", "--os", "1", "--root-pass-stdin")
	if n := e.count("eq", "off") + e.count("eq", "reinstall"); n != 0 {
		t.Fatalf("refused actions were sent %d times", n)
	}
	e.mustRun("server", "power", "off", "12345", "--yes")
	if n := e.count("eq", "off"); n != 1 {
		t.Fatalf("eq off sent %d times", n)
	}
	if s, _ := e.sim.Server(12345); s.Power != "off" {
		t.Errorf("server power %q after power off", s.Power)
	}
	// Power on needs no confirmation.
	e.mustRun("server", "power", "on", "12345")
	if s, _ := e.sim.Server(12345); s.Power != "on" {
		t.Errorf("server power %q after power on", s.Power)
	}
}

func TestSecretFieldNames(t *testing.T) {
	for _, n := range []string{"token", "pin", "new_pin", "root_pass", "password", "params[password]", "key", "api_key", "secret_key", "admin_pass", "code"} {
		if !isSecretField(n) {
			t.Errorf("%s is not masked", n)
		}
	}
	for _, n := range []string{"id", "action", "hostname", "preset", "os_id", "amount", "ip"} {
		if isSecretField(n) {
			t.Errorf("%s is masked", n)
		}
	}
}
