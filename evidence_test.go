package invapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// clientSources are HOSTKEY's own clients, strongest first
// (../shared/api/evidence.md, "Sources and how they were read").
var clientSources = []string{"tf", "whmcs", "mcp"}

func isClientSource(s string) bool { return slices.Contains(clientSources, s) }

// evidenceFieldsFile is the table the wire tests check against.
const evidenceFieldsFile = "testdata/evidence/fields.json"

var updateEvidence = flag.String("update-evidence", "",
	"regenerate "+evidenceFieldsFile+" from this copy of ../shared/api/evidence.json")

// evidenceAction is what HOSTKEY's own clients send for one module/action.
type evidenceAction struct {
	// Fields are the form field names any of them sends (action, token and
	// pin left out); alternatives and per-client shapes are all listed.
	Fields []string `json:"fields"`
	// Sources are the clients that send them, strongest first.
	Sources []string `json:"sources"`
	// Strength is "strong" when tf or whmcs send them, else "mcp-only".
	Strength string `json:"strength"`
	// Wrong maps a name the SDK sent at commit 9524747 to the clients' name.
	Wrong map[string]string `json:"wrong,omitempty"`
	// NoToken is set when the clients send the action without a session
	// token (evidence.md §3, "Tokens not needed").
	NoToken bool `json:"no_token,omitempty"`
}

// evidenceNoToken is evidence.md §3 "Tokens not needed": the actions
// HOSTKEY's clients send without a token (mcp catalog.ts, remote.ts).
// evidence.json does not carry it, so the generator adds it from here.
var evidenceNoToken = []string{
	"presets/list", "presets/info", "presets/groups", "stocks/list", "stocks/show", "os/list",
	"software/list", "traffic_plans/list", "jenkins/get_tasks", "eq_callback/check",
}

// loadEvidence reads testdata/evidence/fields.json.
func loadEvidence(t testing.TB) map[string]evidenceAction {
	t.Helper()
	raw, err := os.ReadFile(evidenceFieldsFile)
	require.NoError(t, err)
	var file struct {
		Actions map[string]evidenceAction `json:"actions"`
	}
	require.NoError(t, json.Unmarshal(raw, &file))
	return file.Actions
}

// TestEvidenceFieldsTable checks testdata/evidence/fields.json, and with
// -update-evidence=PATH regenerates it from evidence.json:
//
//	go test -run TestEvidenceFieldsTable -update-evidence=../shared/api/evidence.json .
func TestEvidenceFieldsTable(t *testing.T) {
	if *updateEvidence != "" {
		writeEvidenceFields(t, *updateEvidence)
	}
	table := loadEvidence(t)
	require.GreaterOrEqual(t, len(table), 142, "evidence.md counts 142 actions")
	for key, ev := range table {
		require.NotEmpty(t, ev.Sources, key)
		for i, s := range ev.Sources {
			require.True(t, isClientSource(s), "%s: unknown source %q", key, s)
			if i > 0 {
				require.Less(t, slices.Index(clientSources, ev.Sources[i-1]), slices.Index(clientSources, s),
					"%s: sources strongest first", key)
			}
		}
		strong := slices.Contains(ev.Sources, "tf") || slices.Contains(ev.Sources, "whmcs")
		assert.Equal(t, strong, ev.Strength == "strong", "%s: strength %q", key, ev.Strength)
	}
	for _, key := range evidenceNoToken {
		assert.True(t, table[key].NoToken, "%s: evidence.md §3 says HOSTKEY's clients send it without a token", key)
	}
}

// writeEvidenceFields turns evidence.json into testdata/evidence/fields.json:
// the same rows, sources in strength order, and the no-token flag.
func writeEvidenceFields(t *testing.T, path string) {
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	var in map[string]evidenceAction
	require.NoError(t, json.Unmarshal(raw, &in))
	keys := make([]string, 0, len(in))
	for k, ev := range in {
		sort.Slice(ev.Sources, func(i, j int) bool {
			return slices.Index(clientSources, ev.Sources[i]) < slices.Index(clientSources, ev.Sources[j])
		})
		if len(ev.Wrong) == 0 {
			ev.Wrong = nil
		}
		if ev.Fields == nil {
			ev.Fields = []string{}
		}
		ev.NoToken = slices.Contains(evidenceNoToken, k)
		in[k] = ev
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b bytes.Buffer
	b.WriteString("{\n")
	b.WriteString(`  "about": "What HOSTKEY's own InvAPI clients (tf: Terraform providers, whmcs: WHMCS reseller module, mcp: MCP server) send, per module/action: form field names (action, token, pin left out), sources strongest first, names the SDK sent at 9524747 that they do not use (wrong), and no_token where they send no session token. Generated from ../shared/api/evidence.json (issue 11, see evidence.md beside it) by: go test -run TestEvidenceFieldsTable -update-evidence=../shared/api/evidence.json . Do not edit by hand.",` + "\n")
	b.WriteString(`  "actions": {` + "\n")
	for i, k := range keys {
		row, err := json.Marshal(in[k])
		require.NoError(t, err)
		sep := ","
		if i == len(keys)-1 {
			sep = ""
		}
		fmt.Fprintf(&b, "    %q: %s%s\n", k, row, sep)
	}
	b.WriteString("  }\n}\n")
	require.NoError(t, os.MkdirAll("testdata/evidence", 0o755))
	require.NoError(t, os.WriteFile(evidenceFieldsFile, b.Bytes(), 0o644))
}

// parseEvidence splits an evidence level into its kind ("documented",
// "guess" or "client") and, for client, its sources.
func parseEvidence(e evidence) (kind string, sources []string, err error) {
	switch e {
	case "":
		return "", nil, errors.New("is empty")
	case documented, guessed:
		return string(e), nil, nil
	}
	rest, ok := strings.CutPrefix(string(e), "client: ")
	if !ok || rest == "" {
		return "", nil, errors.New(`is none of "documented", "guess", "client: <sources>" (use byClient)`)
	}
	sources = strings.Split(rest, ", ")
	for i, s := range sources {
		if !isClientSource(s) {
			return "", nil, fmt.Errorf("names %q, not one of %v", s, clientSources)
		}
		if i > 0 && slices.Index(clientSources, sources[i-1]) >= slices.Index(clientSources, s) {
			return "", nil, fmt.Errorf("sources must be distinct and strongest first (%v)", clientSources)
		}
	}
	return "client", sources, nil
}

func TestParseEvidence(t *testing.T) {
	for e, want := range map[evidence]string{
		documented: "documented", guessed: "guess", byClient("tf", "mcp"): "client", byClient("whmcs"): "client",
		"": "", "client: ": "", "client: mcp, tf": "", "client: tf, tf": "", "client: 3p": "", "Documented": "",
		"client:tf": "",
	} {
		kind, _, err := parseEvidence(e)
		assert.Equal(t, want, kind, "%q", e)
		assert.Equal(t, want == "", err != nil, "%q: %v", e, err)
	}
}
