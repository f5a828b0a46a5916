package loose

import (
	"reflect"
	"strconv"
	"strings"
)

// mismatch reports the value at the cursor as impossible for v, skipping it.
func (d *decoder) mismatch(v reflect.Value, _ string) error {
	got := "value"
	switch d.peek() {
	case '{':
		got = "object"
	case '[':
		got = "array"
	case '"':
		got = "string"
	case 't', 'f':
		got = "boolean"
	case 'n':
		got = "null"
	default:
		got = "number"
	}
	start := d.pos
	if err := d.skip(1); err != nil {
		return err
	}
	if got == "string" || got == "number" {
		return d.typeErr(v, got, string(d.data[start:d.pos]))
	}
	return &TypeError{Want: v.Type().String(), Got: got}
}

// typeErr reports value (a scalar's text; kind is "string", "number"...)
// as impossible for v. Got shows it shortened; Value keeps it whole, so a
// caller can mask secrets in it before shortening (TypeError.Text).
func (d *decoder) typeErr(v reflect.Value, kind, value string) error {
	return &TypeError{Want: v.Type().String(), Got: kind + " " + quoteShort(value), Value: value}
}

func quoteShort(s string) string {
	const max = 40
	if len(s) > max {
		s = s[:max] + "…"
	}
	return strconv.Quote(s)
}

// prefixPath puts name in front of a TypeError's path.
func prefixPath(err error, name string) error {
	if err == nil {
		return nil
	}
	te, ok := err.(*TypeError)
	if !ok {
		return err
	}
	switch {
	case te.Path == "":
		te.Path = name
	case strings.HasPrefix(te.Path, "["):
		te.Path = name + te.Path
	default:
		te.Path = name + "." + te.Path
	}
	return te
}
