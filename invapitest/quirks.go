package invapitest

import (
	"strconv"
	"strings"
)

// Quirks switches on the loose typing of the real API for every answer.
// The zero value answers with plain types: numeric ids as numbers, empty
// objects as {}, lists as arrays. FaultWrongTypes turns all of them on for
// single answers.
type Quirks struct {
	// StringIDs sends numeric ids ("id", "*_id", "servers", "invoice") as
	// quoted strings.
	StringIDs bool
	// EmptyObjectsAsArrays sends empty objects as [] (PHP's empty array).
	EmptyObjectsAsArrays bool
	// OneRowListsAsObjects sends a list holding exactly one object as that
	// bare object.
	OneRowListsAsObjects bool
	// HTMLContentType labels JSON answers "text/html; charset=UTF-8", as
	// PHP does when nobody sets the header.
	HTMLContentType bool
	// AlternativeShapes answers, where ../shared/api/evidence.md records
	// more than one shape for an action, with the other one than the
	// default (which is what HOSTKEY's best-tested client reads): os/list
	// under os / excluded, presets with locations as a list and hdd as a
	// number, presets/search under presets, api_keys under api_key / keys,
	// whmcs/get_billing_data with WHMCS's names under message, iso
	// mount/unmount without a callback key, ssh_keys under data, eq/show
	// with the state only in server_data.Condition_Component (no status),
	// net/add_ipv4's new addresses as bare strings.
	AlternativeShapes bool
}

func isIDKey(k string) bool {
	return k == "id" || k == "ID" || strings.HasSuffix(k, "_id") || k == "servers" || k == "invoice" || k == "invoiceid"
}

// applyQuirks returns v with the quirks applied; key is the name v sits
// under in its parent object.
func applyQuirks(v any, q Quirks, key string) any {
	if !q.StringIDs && !q.EmptyObjectsAsArrays && !q.OneRowListsAsObjects {
		return v
	}
	switch t := v.(type) {
	case map[string]any:
		if len(t) == 0 && q.EmptyObjectsAsArrays {
			return []any{}
		}
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = applyQuirks(e, q, k)
		}
		return out
	case []any:
		if len(t) == 1 && q.OneRowListsAsObjects {
			if m, ok := t[0].(map[string]any); ok && len(m) > 0 {
				return applyQuirks(m, q, key)
			}
		}
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = applyQuirks(e, q, key)
		}
		return out
	case int:
		if q.StringIDs && isIDKey(key) {
			return strconv.Itoa(t)
		}
	case int64:
		if q.StringIDs && isIDKey(key) {
			return strconv.FormatInt(t, 10)
		}
	}
	return v
}
