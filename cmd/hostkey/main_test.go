package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/invapi-go/invapi/invapitest"
)

// binary is the hostkey binary the tests drive, built once per run.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "hostkey-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "hostkey")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building hostkey:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// env is one user's machine: a config directory, and a simulator the
// binary is pointed at through the examples' environment contract.
type env struct {
	t      *testing.T
	sim    *invapitest.Server
	home   string
	vars   map[string]string
	stdin  string
	extras []string
}

func newEnv(t *testing.T, opts ...invapitest.Option) *env {
	t.Helper()
	sim := invapitest.NewServer(opts...)
	t.Cleanup(sim.Close)
	home := t.TempDir()
	return &env{t: t, sim: sim, home: home, vars: map[string]string{
		"HOME":                  home,
		"XDG_CONFIG_HOME":       filepath.Join(home, ".config"),
		"INVAPI_BASE_URL":       sim.URL,
		"HOSTKEY_API_KEY":       invapitest.DefaultAPIKey,
		"HOSTKEY_PIN":           invapitest.DefaultPIN,
		"HOSTKEY_POLL_INTERVAL": "5ms",
	}}
}

// result is one run of the binary.
type result struct {
	code           int
	stdout, stderr string
}

// run runs hostkey with args and checks that no secret shows in its output.
func (e *env) run(args ...string) result {
	e.t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	for k, v := range e.vars {
		if v != "" {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
	}
	cmd.Stdin = strings.NewReader(e.stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		e.t.Fatalf("running hostkey %v: %v", args, err)
	}
	e.assertNoSecrets(args, r)
	return r
}

// secrets are every secret value a test may hand the binary.
var secrets = []string{invapitest.DefaultAPIKey, invapitest.DefaultServerAPIKey, invapitest.DefaultPassword,
	"Root-Pass_2024", "other-account-key-0000"}

func (e *env) assertNoSecrets(args []string, r result) {
	e.t.Helper()
	for _, s := range append(append([]string{}, secrets...), e.extras...) {
		if strings.Contains(r.stdout, s) || strings.Contains(r.stderr, s) {
			e.t.Errorf("hostkey %v printed a secret (%.6s...):\nstdout: %s\nstderr: %s", args, s, r.stdout, r.stderr)
		}
	}
	// The PIN is four digits, so look for it as a field value only.
	for _, pat := range []string{"pin=" + invapitest.DefaultPIN, `"pin":"` + invapitest.DefaultPIN, "PIN " + invapitest.DefaultPIN} {
		if strings.Contains(r.stdout+r.stderr, pat) {
			e.t.Errorf("hostkey %v printed the PIN: %s%s", args, r.stdout, r.stderr)
		}
	}
	for _, req := range e.sim.Requests() {
		if tok := req.Form.Get("token"); tok != "" && tok != "***" {
			e.t.Errorf("the simulator's log shows a token unmasked")
		}
	}
}

func (e *env) mustRun(args ...string) result {
	e.t.Helper()
	r := e.run(args...)
	if r.code != 0 {
		e.t.Fatalf("hostkey %v: exit %d\nstdout: %s\nstderr: %s", args, r.code, r.stdout, r.stderr)
	}
	return r
}

func (e *env) expectCode(want int, args ...string) result {
	e.t.Helper()
	r := e.run(args...)
	if r.code != want {
		e.t.Fatalf("hostkey %v: exit %d, want %d\nstdout: %s\nstderr: %s", args, r.code, want, r.stdout, r.stderr)
	}
	return r
}

// decode parses -o json output into v.
func decode[T any](t *testing.T, r result) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
		t.Fatalf("output is not the JSON expected (%v):\n%s", err, r.stdout)
	}
	return v
}

// changes counts the requests that reached a handler, logins excluded.
func (e *env) count(module, action string) int { return e.sim.Count(module, action) }
