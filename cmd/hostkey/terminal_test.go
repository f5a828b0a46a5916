package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/invapi-go/invapi/invapitest"
)

// TestTerminal runs hostkey on a real terminal (a tmux pane): the PIN prompt
// must not echo what is typed, and the progress line must be redrawn in
// place (\r) rather than printed line after line.
func TestTerminal(t *testing.T) {
	e := newEnv(t, invapitest.WithNotReadyChecks(6))
	tm, screen, waitFor, raw := startPane(t, e, "server reboot 12345", "HOSTKEY_PIN")
	session := "main"

	t.Helper()
	waitFor("PIN:")
	waitEchoOff(t, tm)
	tm("send-keys", "-t", session, invapitest.DefaultPIN, "Enter")
	mid := waitFor("reboot 12345: waiting")
	final := waitFor("EXIT=")
	t.Logf("terminal while waiting:\n%s\nat the end:\n%s", strings.TrimRight(mid, "\n"), strings.TrimRight(final, "\n"))

	for _, line := range strings.Split(mid+final, "\n") {
		if strings.Contains(line, "PIN:") && strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "PIN:")) != "" {
			t.Errorf("the PIN prompt shows what was typed: %q", line)
		}
		if strings.TrimSpace(line) == invapitest.DefaultPIN {
			t.Errorf("the PIN was echoed: %q", line)
		}
	}
	if !strings.Contains(mid, "PIN:") {
		t.Errorf("the PIN prompt is not on the screen:\n%s", mid)
	}
	if !strings.Contains(final, "EXIT=0") {
		t.Fatalf("hostkey failed on the terminal:\n%s", final)
	}
	if n := strings.Count(final, "reboot 12345:"); n != 1 {
		t.Errorf("the progress line was printed %d times, not redrawn in place:\n%s", n, final)
	}
	if !strings.Contains(final, "reboot 12345: done [") {
		t.Errorf("no final progress line:\n%s", final)
	}
	b, _ := os.ReadFile(raw)
	e.assertNoSecrets([]string{"(terminal)"}, result{stdout: string(b)})
	if redraws := strings.Count(string(b), "\r\x1b[Kreboot 12345:"); redraws < 3 {
		t.Errorf("the progress line was drawn %d times in place, want several (raw output %q)", redraws, b)
	}
	if e.count("eq", "reboot") != 1 {
		t.Errorf("reboot sent %d times", e.count("eq", "reboot"))
	}
	_ = screen
}

// TestTerminalOrderWizard orders on a terminal with no flags: hostkey lists
// the presets, the OSes and the plans, asks for each, then for confirmation.
func TestTerminalOrderWizard(t *testing.T) {
	e := newEnv(t)
	tm, _, waitFor, _ := startPane(t, e, "order --location NL")
	session := "main"
	waitFor("Preset (name or id):")
	tm("send-keys", "-t", session, "vm.v2-small", "Enter")
	waitFor("OS id:")
	tm("send-keys", "-t", session, "1", "Enter")
	waitFor("Traffic plan id:")
	tm("send-keys", "-t", session, "1", "Enter")
	waitFor("Type yes to go on:")
	if n := e.count("eq", "order_instance"); n != 0 {
		t.Fatalf("ordered before the confirmation")
	}
	tm("send-keys", "-t", session, "yes", "Enter")
	final := waitFor("EXIT=")
	if !strings.Contains(final, "EXIT=0") || !strings.Contains(final, "invoice:") {
		t.Fatalf("order wizard:\n%s", final)
	}
	if n := e.count("eq", "order_instance"); n != 1 {
		t.Errorf("order_instance sent %d times", n)
	}
	var form string
	for _, r := range e.sim.Requests() {
		if r.Action == "order_instance" {
			form = r.Form.Encode()
		}
	}
	for _, want := range []string{"preset=vm.v2-small", "os_id=1", "traffic_plan=1", "location_name=NL"} {
		if !strings.Contains(form, want) {
			t.Errorf("order form lacks %s: %s", want, form)
		}
	}
}

// startPane runs hostkey ARGS in a detached tmux pane (a real terminal) with
// e's environment less the variables in drop. It returns a tmux runner, a
// screen reader, a wait-for-text helper and the file the pane's raw output
// is piped to.
// waitEchoOff waits until hostkey has turned the pane's echo off: the
// prompt is printed just before, and keys typed in between would be echoed
// by the terminal itself (on a loaded machine the test types that fast).
func waitEchoOff(t *testing.T, tm func(...string) string) {
	t.Helper()
	tty := strings.TrimSpace(tm("display-message", "-p", "-t", "main", "#{pane_tty}"))
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		out, err := exec.Command("stty", "-F", tty, "-a").CombinedOutput()
		if err != nil {
			t.Fatalf("stty -F %s: %v\n%s", tty, err, out)
		}
		if strings.Contains(" "+strings.Join(strings.Fields(string(out)), " ")+" ", " -echo ") {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("hostkey never turned the terminal's echo off for the PIN")
}

func startPane(t *testing.T, e *env, args string, drop ...string) (tm func(...string) string, screen func() string, waitFor func(string) string, raw string) {
	t.Helper()
	tmux, err := exec.LookPath("tmux")
	if err != nil {
		t.Skip("tmux is not installed (apt-get install -y tmux; .ci/run installs it): the terminal test is skipped")
	}
	sock := fmt.Sprintf("hostkey-test-%d-%s", os.Getpid(), t.Name())
	raw = filepath.Join(t.TempDir(), "pane.raw")
	var envs []string
	for k, v := range e.vars {
		skip := v == ""
		for _, d := range drop {
			skip = skip || k == d
		}
		if !skip {
			envs = append(envs, k+"="+v)
		}
	}
	envs = append(envs, "HOSTKEY_POLL_INTERVAL=150ms", "TERM=xterm")
	shell := "env -i PATH=" + os.Getenv("PATH") + " " + strings.Join(envs, " ") + " " + binary + " " + args + "; echo EXIT=$?"
	tm = func(a ...string) string {
		t.Helper()
		out, err := exec.Command(tmux, append([]string{"-L", sock}, a...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("tmux %v: %v\n%s", a, err, out)
		}
		return string(out)
	}
	tm("new-session", "-d", "-s", "main", "-x", "150", "-y", "40", shell)
	t.Cleanup(func() { _ = exec.Command(tmux, "-L", sock, "kill-server").Run() })
	tm("set-option", "-t", "main", "remain-on-exit", "on")
	tm("pipe-pane", "-t", "main", "-o", "cat >> "+raw)
	screen = func() string { return tm("capture-pane", "-p", "-t", "main") }
	waitFor = func(what string) string {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			if s := screen(); strings.Contains(s, what) {
				return s
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Fatalf("the terminal never showed %q:\n%s", what, screen())
		return ""
	}
	return tm, screen, waitFor, raw
}
