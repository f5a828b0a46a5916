package standin

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"sync"
	"testing"
)

// seenKnown records which knownProblems entries matched in this run.
var seenKnown sync.Map

// TestMain reports, after a full run, the knownProblems entries no test hit
// any more: their fix has landed and the entry should go.
func TestMain(m *testing.M) {
	code := m.Run()
	if f := flag.Lookup("test.run"); code == 0 && f != nil && f.Value.String() == "" && !testing.Short() {
		var stale []string
		for k := range knownProblems {
			if _, ok := seenKnown.Load(k); !ok {
				stale = append(stale, k)
			}
		}
		sort.Strings(stale)
		for _, k := range stale {
			fmt.Printf("standin: known problem no longer seen, remove it from knownProblems: %q\n", k)
		}
	}
	os.Exit(code)
}
