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
	tmux, err := exec.LookPath("tmux")
	if err != nil {
		t.Skip("tmux is not installed (apt-get install -y tmux; .ci/run installs it): the terminal test is skipped")
	}
	e := newEnv(t, invapitest.WithNotReadyChecks(6))
	session := fmt.Sprintf("hostkey-test-%d", os.Getpid())
	raw := filepath.Join(t.TempDir(), "pane.raw")
	var envs []string
	for k, v := range e.vars {
		if k != "HOSTKEY_PIN" && v != "" { // the PIN is typed at the prompt
			envs = append(envs, k+"="+v)
		}
	}
	envs = append(envs, "HOSTKEY_POLL_INTERVAL=150ms", "TERM=xterm")
	shell := "env -i PATH=" + os.Getenv("PATH") + " " + strings.Join(envs, " ") + " " + binary + " server reboot 12345; echo EXIT=$?"
	tm := func(args ...string) string {
		t.Helper()
		out, err := exec.Command(tmux, append([]string{"-L", session}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("tmux %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	tm("new-session", "-d", "-s", session, "-x", "120", "-y", "20", shell)
	t.Cleanup(func() { _ = exec.Command(tmux, "-L", session, "kill-server").Run() })
	tm("set-option", "-t", session, "remain-on-exit", "on")
	tm("pipe-pane", "-t", session, "-o", "cat >> "+raw)

	screen := func() string { return tm("capture-pane", "-p", "-t", session) }
	waitFor := func(what string) string {
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
	waitFor("PIN:")
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
}
