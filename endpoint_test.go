package invapi

import (
	"slices"
	"strings"
	"testing"
)

// TestEndpointEvidence checks every endpoint's evidence level against the
// facts: an action HOSTKEY's clients use (testdata/evidence/fields.json) is
// byClient naming at least those clients; otherwise an action with a vendor
// parameter table (documented "full" in testdata/endpoints.json) is
// documented, and any other is guessed.
func TestEndpointEvidence(t *testing.T) {
	table := loadEvidence(t)
	cat := map[string]catalogueAction{}
	for _, a := range loadCatalogue(t) {
		cat[a.Module+"/"+a.Action] = a
	}
	for _, ep := range endpointRegistry {
		key := ep.String()
		kind, sources, err := parseEvidence(ep.evidence)
		if err != nil {
			t.Errorf("%s: evidence %q %v", key, ep.evidence, err)
			continue
		}
		ev, used := table[key]
		switch {
		case used:
			if kind != "client" {
				t.Errorf("%s: HOSTKEY's clients send it (%s): evidence must be byClient(%q), not %q",
					key, strings.Join(ev.Sources, ", "), ev.Sources, ep.evidence)
				continue
			}
			for _, s := range ev.Sources {
				if !slices.Contains(sources, s) {
					t.Errorf("%s: evidence %q omits %s, which %s names", key, ep.evidence, s, evidenceFieldsFile)
				}
			}
		case kind == "client":
			t.Errorf("%s: evidence %q but %s has no HOSTKEY client sending it", key, ep.evidence, evidenceFieldsFile)
		case cat[key].Documented == "full":
			if kind != "documented" {
				t.Errorf("%s: the vendor documents its parameters (testdata/endpoints.json: documented full): evidence must be documented, not %q", key, ep.evidence)
			}
		default:
			if kind != "guess" {
				t.Errorf("%s: no parameter table and no client evidence: evidence must be guessed, not %q", key, ep.evidence)
			}
		}
	}
}
