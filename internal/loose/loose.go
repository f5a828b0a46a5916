// Package loose decodes the loosely typed JSON of InvAPI's PHP backend into
// plain Go values.
//
// PHP's json_encode writes whatever type a variable happened to hold: ids and
// amounts arrive as numbers or as strings, booleans as true, 1 or "1", an
// empty object as [] (an empty PHP array), a one-row list as a bare object, a
// sparse list as an object keyed "0", "5"... encoding/json rejects all of
// these. Unmarshal accepts them, converting where the meaning is clear (a
// text field that arrives as an object keeps its JSON text), and reports a
// *TypeError naming the field where it is not (an object for a number).
//
// A map[string]string field tagged `loose:"all"` receives every member of
// its object as text, alongside the typed fields, in the same pass.
//
// A bool field tagged `loose:"any=a,b,c"` is set when its object has a
// member for any of the fields named a, b or c (their JSON names), whatever
// the member's value, null included: it tells a field sent empty from one
// not sent, in the same pass.
//
// A field tagged `loose:"alt=a,b"` is also read from the members a and b:
// in one object its own name goes first, then a, then b; the first with a
// non-empty value wins, an empty one never overwrites, and every member
// present is still converted (see alt.go).
//
// A bool field tagged `loose:"flag"` is true for true, 1, "1", "true",
// "yes", "on", "y" (any case) and false for anything else, never an error.
//
// A string field tagged `loose:"bare"` receives, as text, a value sent in
// place of its struct's object (`"cPanel"` for {"name":"cPanel"});
// `loose:"bare=scalar"` takes only non-empty strings and numbers.
//
// Options combine, separated by spaces: `loose:"alt=code bare=scalar"`.
// A shape no tag describes is decoded by a function its package
// registers for the type (Register), so the type needs no UnmarshalJSON.
//
// It decodes straight from the bytes into the target (no intermediate
// map[string]any), with per-type field tables cached like encoding/json's.
package loose

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
)

// maxDepth bounds nesting, so hostile input cannot exhaust the stack.
const maxDepth = 512

// SyntaxError reports invalid or truncated JSON.
type SyntaxError struct {
	Offset int64 // byte offset of the problem
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("invalid JSON at byte %d: %s", e.Offset, e.Msg)
}

// TypeError reports a value that cannot be converted to its Go field.
type TypeError struct {
	Path string // e.g. "server_data.id" or "IP[2].mac"
	Want string // the Go type
	Got  string // a short description of the JSON value (never more than ~40 bytes of it)
	// Value is the offending value's whole text, when it is a scalar: a
	// caller that masks secrets masks it before shortening it (Text).
	Value string
}

func (e *TypeError) Error() string { return e.Text(nil) }

// Text is Error with mask applied to every piece of the answer's text in
// it (the value, before it is shortened, and the path), so a secret echoed
// in a mistyped field never shows, not even its first half.
func (e *TypeError) Text(mask func(string) string) string {
	if mask == nil {
		mask = func(s string) string { return s }
	}
	got := e.Got
	if e.Value != "" {
		kind, _, _ := strings.Cut(e.Got, " \"")
		got = kind + " " + quoteShort(mask(e.Value))
	} else {
		got = mask(got)
	}
	if e.Path == "" {
		return fmt.Sprintf("cannot decode %s into %s", got, e.Want)
	}
	return fmt.Sprintf("cannot decode %s into %s (field %s)", got, e.Want, mask(e.Path))
}

// Unmarshal decodes data into v, a non-nil pointer, absorbing PHP's loose
// typing (see the package documentation for the rules).
func Unmarshal(data []byte, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return errors.New("loose: Unmarshal needs a non-nil pointer")
	}
	d := decoder{data: data}
	d.skipBOM()
	if err := d.value(rv.Elem(), 0); err != nil {
		return err
	}
	d.ws()
	if d.pos < len(d.data) {
		return d.syntax("unexpected data after the value")
	}
	return nil
}

// Fields calls fn with each top-level key of the object in data and the raw
// bytes of its value (sub-slices of data), until fn returns false. Like
// Unmarshal, it rejects anything but space after the object.
func Fields(data []byte, fn func(key string, raw []byte) bool) error {
	return FieldsRaw(data, func(key, raw []byte) bool { return fn(string(key), raw) })
}

// FieldsRaw is Fields with the key as bytes (unescaped), for callers that
// only compare it: `switch string(key)` does not allocate.
func FieldsRaw(data []byte, fn func(key, raw []byte) bool) error {
	d := decoder{data: data}
	d.skipBOM()
	if d.peek() != '{' {
		return d.syntax("not an object")
	}
	err := d.object(func(key []byte, escaped bool) error {
		key, err := d.objectKey(key, escaped)
		if err != nil {
			return err
		}
		start := d.pos
		if err := d.skip(1); err != nil {
			return err
		}
		if !fn(key, d.data[start:d.pos]) {
			return errStop
		}
		return nil
	})
	if err == errStop {
		return nil
	}
	if err != nil {
		return err
	}
	d.ws()
	if d.pos < len(d.data) {
		return d.syntax("unexpected data after the value")
	}
	return nil
}

// SplitList splits a comma-separated list ("NL, FI", as PHP sends a list
// in one string, or the names in a loose:"alt=a,b" tag) into its trimmed,
// non-empty items; nil when there are none.
func SplitList(list string) []string {
	var out []string
	for _, item := range strings.Split(list, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// errStop ends a walk early; it never leaves the package.
var errStop = errors.New("stop")

// StringValue reads a raw JSON scalar as text: a string unescaped, a number
// as written, true/false. null, objects and arrays give "", false.
func StringValue(raw []byte) (string, bool) {
	d := decoder{data: raw}
	d.ws()
	if d.pos >= len(d.data) {
		return "", false
	}
	switch c := d.data[d.pos]; {
	case c == '"':
		s, err := d.str()
		return s, err == nil
	case c == 't' || c == 'f':
		return string(d.data[d.pos:]), true
	case c == '-' || (c >= '0' && c <= '9'):
		start := d.pos
		if err := d.skip(1); err != nil {
			return "", false
		}
		return string(d.data[start:d.pos]), true
	}
	return "", false
}

var (
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	rawMessageType  = reflect.TypeFor[json.RawMessage]()
)
