package invapi

import (
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var updateREADME = flag.Bool("update-readme", false, "rewrite the module table in README.md")

// catalogueAction is one module/action of testdata/endpoints.json (a copy
// of the vendor catalogue the SDK is built from).
type catalogueAction struct {
	Module, Action string
	Documented     string   // "full" (a parameter table) or "name-only"
	Auth           string   // "token", "none", "credentials", "api_key"
	Async          string   // "eq_callback", "nat_callback", "none", "unknown"
	PIN            string   // "required", "optional", "none"
	Sources        []string // vendor docs ("001"...) or HOSTKEY clients ("tf", "whmcs", "mcp")
}

// fromClient reports an action the catalogue has from HOSTKEY's own clients
// rather than from the vendor's docs.
func (a catalogueAction) fromClient() bool {
	if a.Documented == "client" {
		return true
	}
	for _, s := range a.Sources {
		if isClientSource(s) {
			return true
		}
	}
	return false
}

func loadCatalogue(t *testing.T) []catalogueAction {
	t.Helper()
	raw, err := os.ReadFile("testdata/endpoints.json")
	require.NoError(t, err)
	var cat struct {
		Modules []struct {
			Module  string `json:"module"`
			Actions []struct {
				Action     string   `json:"action"`
				Documented string   `json:"documented"`
				Auth       string   `json:"auth"`
				Async      string   `json:"async"`
				PIN        string   `json:"pin"`
				Sources    []string `json:"sources"`
			} `json:"actions"`
		} `json:"modules"`
	}
	require.NoError(t, json.Unmarshal(raw, &cat))
	var out []catalogueAction
	for _, m := range cat.Modules {
		for _, a := range m.Actions {
			out = append(out, catalogueAction{m.Module, a.Action, a.Documented, a.Auth, a.Async, a.PIN, a.Sources})
		}
	}
	return out
}

// docParens finds the parenthesised groups of a doc comment, and docRef the
// "module.php action" references inside one: "(eq.php show)", "(eq.php on,
// then eq_callback.php check)".
var (
	docParens = regexp.MustCompile(`\(([^()]*)\)`)
	docRef    = regexp.MustCompile(`\b([a-z0-9_]+)\.php\s+([A-Za-z0-9_]+)\b`)
)

// notExposed lists catalogue actions the SDK deliberately has no method for.
var notExposed = map[string]string{
	"eq_callback/reinstall": "worker-facing: HOSTKEY's installers report stages through it; clients only read them (eq_callback.php check)",
}

// documentedMethods maps "module/action" to the methods whose doc comment
// names it, parsed from the package's own source.
func documentedMethods(t *testing.T) map[string][]string {
	t.Helper()
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi os.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, parser.ParseComments)
	require.NoError(t, err)
	out := map[string][]string{}
	for _, pkg := range pkgs {
		for _, f := range pkg.Files {
			for _, decl := range f.Decls {
				fn, ok := decl.(*ast.FuncDecl)
				if !ok || fn.Doc == nil || !fn.Name.IsExported() {
					continue
				}
				name := fn.Name.Name
				if fn.Recv != nil && len(fn.Recv.List) == 1 {
					if star, ok := fn.Recv.List[0].Type.(*ast.StarExpr); ok {
						if id, ok := star.X.(*ast.Ident); ok {
							name = strings.TrimSuffix(id.Name, "Service") + "." + name
						}
					}
				}
				for _, group := range docParens.FindAllStringSubmatch(fn.Doc.Text(), -1) {
					for _, m := range docRef.FindAllStringSubmatch(group[1], -1) {
						key := m[1] + "/" + m[2]
						if !slices.Contains(out[key], name) {
							out[key] = append(out[key], name)
						}
					}
				}
			}
		}
	}
	return out
}

// TestEveryCatalogueActionHasAMethod fails when a documented module/action
// has no method whose doc comment names it.
func TestEveryCatalogueActionHasAMethod(t *testing.T) {
	methods := documentedMethods(t)
	var missing []string
	for _, a := range loadCatalogue(t) {
		if _, ok := notExposed[a.Module+"/"+a.Action]; ok {
			continue
		}
		if len(methods[a.Module+"/"+a.Action]) == 0 {
			missing = append(missing, a.Module+"/"+a.Action)
		}
	}
	assert.Empty(t, missing, "catalogue actions without a method (a doc comment must name \"(module.php action)\")")
}

// TestREADMEActionTable keeps README's module table in step with the code:
// go test -run TestREADMEActionTable -update-readme rewrites it.
func TestREADMEActionTable(t *testing.T) {
	methods := documentedMethods(t)
	// The Evidence column comes from the registry: the levels of the
	// endpoints declared for the action.
	levels := map[string][]string{}
	for _, ep := range endpointRegistry {
		if e := string(ep.evidence); e != "" && !slices.Contains(levels[ep.String()], e) {
			levels[ep.String()] = append(levels[ep.String()], e)
		}
	}
	var b strings.Builder
	b.WriteString("| Module | Action | Method | Evidence |\n| --- | --- | --- | --- |\n")
	for _, a := range loadCatalogue(t) {
		names := methods[a.Module+"/"+a.Action]
		sort.Strings(names)
		var cells []string
		for _, n := range names {
			cells = append(cells, "`"+n+"`")
		}
		if why, ok := notExposed[a.Module+"/"+a.Action]; ok {
			cells = append(cells, "— "+why)
		}
		note := ""
		if a.Documented == "name-only" {
			note = " ¹"
		}
		ev := strings.Join(levels[a.Module+"/"+a.Action], "; ")
		if ev == "" && len(names) == 0 {
			ev = "—"
		}
		fmt.Fprintf(&b, "| %s.php | %s%s | %s | %s |\n", a.Module, a.Action, note, strings.Join(cells, ", "), ev)
	}
	table := b.String()

	const begin, end = "<!-- actions:begin -->\n", "<!-- actions:end -->"
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	text := string(readme)
	i, j := strings.Index(text, begin), strings.Index(text, end)
	require.True(t, i >= 0 && j > i, "README.md lacks the %q ... %q markers", begin, end)
	current := text[i+len(begin) : j]
	if *updateREADME {
		text = text[:i+len(begin)] + table + text[j:]
		require.NoError(t, os.WriteFile("README.md", []byte(text), 0o644))
		return
	}
	assert.Equal(t, table, current, "README.md's action table is stale: go test -run TestREADMEActionTable -update-readme")
}
