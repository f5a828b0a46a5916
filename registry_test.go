package invapi

import (
	"context"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invapi-go/invapi/invapitest"
)

// TestRegistryIsComplete parses the package's source files and fails for any
// package-level endpoint declaration missing from endpointRegistry
// (registry.go), so a new action cannot escape the tests that walk it.
func TestRegistryIsComplete(t *testing.T) {
	declared, listed := map[string]bool{}, map[string]bool{}
	fset := token.NewFileSet()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncDecl:
				return false // endpoints built inside functions (raw calls, checks) are not declarations
			case *ast.ValueSpec:
				for i, v := range n.Values {
					if lit, ok := v.(*ast.CompositeLit); ok {
						if id, ok := lit.Type.(*ast.Ident); ok && id.Name == "endpoint" {
							declared[n.Names[i].Name] = true
						}
					}
				}
			case *ast.UnaryExpr:
				if id, ok := n.X.(*ast.Ident); ok && n.Op == token.AND && name == "registry.go" {
					listed[id.Name] = true
				}
			}
			return true
		})
	}
	var missing, extra []string
	for name := range declared {
		if !listed[name] {
			missing = append(missing, name)
		}
	}
	for name := range listed {
		if !declared[name] {
			extra = append(extra, name)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 {
		t.Errorf("endpoints declared but missing from endpointRegistry in registry.go: %v", missing)
	}
	if len(extra) > 0 {
		t.Errorf("endpointRegistry lists names that are not endpoint declarations: %v", extra)
	}
	if len(declared) < 150 {
		t.Fatalf("found only %d endpoint declarations: the parse is broken", len(declared))
	}
}

// catalogueNames maps a catalogue's auth, async and pin words to the
// declaration's flags.
var (
	catalogueNoAuth = map[string]bool{"token": false, "none": true, "credentials": true, "api_key": true}
	catalogueAsync  = map[string]callbackKind{"none": noCallback, "eq_callback": eqCallback, "nat_callback": natCallback}
)

// differs records one difference between a declaration and a fact. The
// note of the declaration excuses it when it names the fact's word.
type differs struct {
	word, what string
}

// reportDifferences fails the test for each difference the endpoint's note
// does not explain.
func reportDifferences(t *testing.T, ep *endpoint, against string, diffs []differs) {
	t.Helper()
	for _, d := range diffs {
		switch {
		case d.word != "" && strings.Contains(ep.note, d.word):
			t.Logf("%s: %s (%s) — noted: %s", ep, d.what, against, ep.note)
		default:
			hint := "fix the declaration"
			if d.word != "" {
				hint += fmt.Sprintf(" or, if intended, say why in its note (mentioning %q)", d.word)
			}
			t.Errorf("%s: %s (%s): %s", ep, d.what, against, hint)
		}
	}
}

// TestRegistryAgreesWithCatalogue compares every declared endpoint with
// testdata/endpoints.json: the action exists there (from the vendor docs or
// from a HOSTKEY client source), and its PIN flag, callback endpoint and
// no-token flag agree with what is documented or evidenced.
func TestRegistryAgreesWithCatalogue(t *testing.T) {
	cat := map[string]catalogueAction{}
	for _, a := range loadCatalogue(t) {
		cat[a.Module+"/"+a.Action] = a
	}
	evidenced := loadEvidence(t)
	for _, ep := range endpointRegistry {
		key := ep.String()
		a, ok := cat[key]
		if !ok {
			reportDifferences(t, ep, "testdata/endpoints.json", []differs{{"",
				"not in the catalogue: add it to testdata/endpoints.json, with its HOSTKEY client source (e.g. \"sources\": [\"tf\"])"}})
			continue
		}
		var diffs []differs
		if a.PIN != "optional" && ep.pin != (a.PIN == "required") {
			diffs = append(diffs, differs{"pin", fmt.Sprintf("pin %v, the catalogue says %q", ep.pin, a.PIN)})
		}
		if want, known := catalogueAsync[a.Async]; known && ep.async != want {
			diffs = append(diffs, differs{"callback", fmt.Sprintf("callback %q, the catalogue says %q", asyncName(ep.async), a.Async)})
		}
		wantNoAuth, why := catalogueNoAuth[a.Auth], "the catalogue says auth "+a.Auth
		if evidenced[key].NoToken && !wantNoAuth {
			wantNoAuth, why = true, "HOSTKEY's clients send it without a token (evidence.md §3)"
		}
		if ep.noAuth != wantNoAuth {
			diffs = append(diffs, differs{"token", fmt.Sprintf("noAuth %v, but %s", ep.noAuth, why)})
		}
		if a.fromClient() && !strings.HasPrefix(string(ep.evidence), "client: ") {
			diffs = append(diffs, differs{"", fmt.Sprintf("the catalogue has it from HOSTKEY's clients (%v), its evidence says %q", a.Sources, ep.evidence)})
		}
		reportDifferences(t, ep, "testdata/endpoints.json", diffs)
	}
}

func asyncName(k callbackKind) string {
	if k == noCallback {
		return "none"
	}
	return k.module()
}

// simulatorFacts is how the simulator serves one action, learnt over the
// wire: whether it knows it, wants a session token (or checks one when
// sent), and wants the PIN.
type simulatorFacts struct {
	served, needsToken, checksToken, needsPIN bool
}

// probeSimulator asks srv about module/action as a client would: with no
// token, with a bad one, and with a good one but no PIN.
func probeSimulator(t *testing.T, srv *invapitest.Server, module, action string) simulatorFacts {
	t.Helper()
	ask := func(f url.Values) (code, message string) {
		f.Set("action", action)
		resp, err := http.PostForm(srv.URL+"/"+module+".php", f)
		require.NoError(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		var m struct {
			Code    json.RawMessage `json:"code"`
			Message string          `json:"message"`
		}
		if resp.StatusCode == http.StatusNotFound {
			return "404", ""
		}
		_ = json.Unmarshal(body, &m) // binary and odd answers are not refusals
		return string(m.Code), m.Message
	}
	var f simulatorFacts
	code, msg := ask(url.Values{})
	f.served = code != "404" && msg != "Unknown action"
	f.needsToken = code == "-2"
	code, _ = ask(url.Values{"token": {"not-a-token"}})
	f.checksToken = code == "-2"
	// A fresh session per probe: the probe may run logout or session_reset.
	_, loginBody := ask2(t, srv, url.Values{"action": {"login"}, "key": {invapitest.DefaultAPIKey}})
	var login struct {
		Result struct {
			Token string `json:"token"`
		} `json:"result"`
	}
	require.NoError(t, json.Unmarshal(loginBody, &login))
	require.NotEmpty(t, login.Result.Token)
	_, msg = ask(url.Values{"token": {login.Result.Token}})
	f.needsPIN = msg == "PIN required"
	return f
}

// ask2 posts f to auth.php.
func ask2(t *testing.T, srv *invapitest.Server, f url.Values) (int, []byte) {
	t.Helper()
	resp, err := http.PostForm(srv.URL+"/auth.php", f)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, body
}

// TestRegistryAgreesWithSimulator checks that invapitest serves every
// declared endpoint the way the SDK sends it: the action is known, a
// session token is wanted exactly when the SDK sends one (an action that
// checks a token only when one is sent accepts both), and the PIN exactly
// when the SDK sends it. The simulator is asked over the wire, as a
// client would, so the check needs no hook into its tables and tests what
// it does rather than what it declares.
func TestRegistryAgreesWithSimulator(t *testing.T) {
	srv := invapitest.NewServer(invapitest.WithNotReadyChecks(0))
	defer srv.Close()
	for _, ep := range endpointRegistry {
		f := probeSimulator(t, srv, ep.module, ep.action)
		if !f.served {
			reportDifferences(t, ep, "invapitest", []differs{{"", "the simulator does not serve it (invapitest/modules.go)"}})
			continue
		}
		var diffs []differs
		switch {
		case ep.noAuth && f.needsToken:
			diffs = append(diffs, differs{"token", "sent without a session token, but the simulator wants one"})
		case !ep.noAuth && !f.needsToken && !f.checksToken:
			diffs = append(diffs, differs{"token", "sent with a session token, but the simulator serves it without one and ignores it"})
		}
		if ep.pin != f.needsPIN {
			diffs = append(diffs, differs{"pin", fmt.Sprintf("pin %v, the simulator wants the PIN: %v", ep.pin, f.needsPIN)})
		}
		reportDifferences(t, ep, "invapitest", diffs)
	}
}

// TestEveryEndpointRetriedByClass walks the registry through the request
// path against a server that answers 502 or drops the connection after
// reading the request: every change and money endpoint reaches the server
// exactly once and reports an unknown outcome, every read is asked again
// (1 + WithRetry's 3 retries).
func TestEveryEndpointRetriedByClass(t *testing.T) {
	t.Parallel()
	for _, fault := range []struct {
		name   string
		status int
	}{{"502", http.StatusBadGateway}, {"reset", dropConnection}} {
		for _, ep := range endpointRegistry {
			t.Run(fault.name+"/"+ep.String(), func(t *testing.T) {
				t.Parallel()
				c, m := newTestClient(t)
				m.onFunc(ep.module, ep.action, func(url.Values) (int, string) {
					return fault.status, "<html><body>502 Bad Gateway</body></html>"
				})
				_, err := c.call(context.Background(), ep, url.Values{"id": {"12345"}}, nil)
				require.Error(t, err)
				n := m.count(ep.module, ep.action)
				if ep.class == read { // not Idempotent(): the test must not trust the policy it checks
					assert.Equal(t, 4, n, "a %s is retried", ep.class)
					assert.NotErrorIs(t, err, ErrOutcomeUnknown)
					return
				}
				assert.Equal(t, 1, n, "a %s action is sent at most once", ep.class)
				assert.ErrorIs(t, err, ErrOutcomeUnknown)
			})
		}
	}
}
