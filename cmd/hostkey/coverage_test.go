package main

import (
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// sdkActions reads every module/action the SDK has from the SDK README's
// action table (kept complete against the SDK's endpoint registry by the
// SDK's own TestREADMEActionTable).
func sdkActions(t *testing.T) map[string]bool {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	start, end := strings.Index(s, "<!-- actions:begin -->"), strings.Index(s, "<!-- actions:end -->")
	if start < 0 || end < start {
		t.Fatal("README.md has no action table")
	}
	row := regexp.MustCompile(`^\| ([a-z0-9_]+\.php) \| ([A-Za-z0-9_]+)`)
	out := map[string]bool{}
	for _, line := range strings.Split(s[start:end], "\n") {
		if m := row.FindStringSubmatch(line); m != nil {
			out[m[1]+" "+m[2]] = true
		}
	}
	if len(out) < 150 {
		t.Fatalf("read only %d actions from README's table", len(out))
	}
	return out
}

// commandActions walks the command tree and collects the actions each
// command declares it calls.
func commandActions(root *cobra.Command) map[string][]string {
	out := map[string][]string{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if acts := c.Annotations[actionsKey]; acts != "" {
			for _, act := range strings.Split(acts, ", ") {
				out[act] = append(out[act], c.CommandPath())
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	return out
}

func TestEveryActionReachable(t *testing.T) {
	actions := sdkActions(t)
	a := &app{}
	byCommand := commandActions(a.rootCmd())
	var missing []string
	for act := range actions {
		_, named := byCommand[act]
		_, raw := rawOnly[act]
		switch {
		case named && raw:
			t.Errorf("%s has a command (%v) and is listed as raw-only", act, byCommand[act])
		case !named && !raw:
			missing = append(missing, act)
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("%s: no command calls it and it is not listed in rawOnly (reachable only via hostkey raw)", m)
	}
	for act := range byCommand {
		if act != "any (Client.Do)" && !actions[act] {
			t.Errorf("a command declares %q, which is not an SDK action (%v)", act, byCommand[act])
		}
	}
	for act, why := range rawOnly {
		if !actions[act] {
			t.Errorf("rawOnly lists %q, which is not an SDK action", act)
		}
		if why == "" {
			t.Errorf("rawOnly %q gives no reason", act)
		}
	}
}

// TestHelpNamesTheAction checks that each command's help names its actions.
func TestHelpNamesTheAction(t *testing.T) {
	a := &app{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if acts := c.Annotations[actionsKey]; acts != "" && !strings.Contains(c.Long, acts) {
			t.Errorf("%s: help does not name %s", c.CommandPath(), acts)
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(a.rootCmd())
}
