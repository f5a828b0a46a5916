package invapi

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"sort"
	"strings"
	"testing"
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
