package loose

import (
	"reflect"
	"strings"
)

func (d *decoder) structValue(v reflect.Value, depth int) error {
	fields := cachedFields(v.Type())
	switch c := d.peek(); c {
	case 'n':
		return d.literal("null")
	case '[':
		if fields.bare != nil && !fields.bareScalar {
			return d.bareValue(v, fields)
		}
		if d.emptyArray() { // PHP's empty array standing for an empty object
			return nil
		}
		return d.mismatch(v, "")
	case '{':
	case '"', 't', 'f', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		if fields.bare != nil && (!fields.bareScalar || (c != 't' && c != 'f')) {
			return d.bareValue(v, fields)
		}
		// PHP sends "" (or false, 0) where an object is empty or absent:
		// the struct stays zero rather than failing the whole answer.
		return d.skip(1)
	default:
		return d.mismatch(v, "")
	}
	var present reflect.Value // the loose:"any" flag, when the struct has one
	if fields.anyOf != nil {
		if fv, ok := fieldByIndex(v, fields.anyOf); ok {
			present = fv
		}
	}
	var all map[string]string // the catch-all map, when the struct has one
	if fields.all != nil {
		if mv, ok := fieldByIndex(v, fields.all); ok {
			if mv.IsNil() {
				mv.Set(reflect.MakeMap(mv.Type()))
			}
			all = mv.Interface().(map[string]string)
		}
	}
	var alts altState // which name of each loose:"alt" group gave a value
	if fields.groups > 0 {
		alts.reset(fields.groups)
	}
	return d.object(func(key []byte, escaped bool) error {
		key, err := d.objectKey(key, escaped)
		if err != nil {
			return err
		}
		start := d.pos
		f := fields.lookup(key)
		if f != nil && f.group > 0 {
			if err := d.altMember(v, f, depth, &alts); err != nil {
				return err
			}
		} else if err := d.member(v, f, depth); err != nil {
			return err
		}
		if f != nil && f.marks && present.IsValid() {
			present.SetBool(true)
		}
		if all != nil {
			all[string(key)] = text(d.data[start:d.pos])
		}
		return nil
	})
}

// member decodes the value at the cursor into the field f (looked up by
// key), or skips it when the struct has no such field (f is nil).
func (d *decoder) member(v reflect.Value, f *field, depth int) error {
	if f == nil {
		return d.skip(depth + 1)
	}
	fv, ok := fieldByIndex(v, f.index)
	if !ok {
		return d.skip(depth + 1)
	}
	if f.flag {
		start := d.pos
		if err := d.skip(depth + 1); err != nil {
			return err
		}
		fv.SetBool(flagValue(d.data[start:d.pos]))
		return nil
	}
	return prefixPath(d.value(fv, depth+1), f.name)
}

// flagValue reads a loose:"flag" member: true, 1, "1", "true", "yes",
// "on", "y" (any case) are true; anything else, an object or a word
// included, is false, never an error.
func flagValue(raw []byte) bool {
	switch c := raw[0]; {
	case c == 't':
		return true
	case c == '1':
		return len(raw) == 1
	case c != '"':
		return false
	}
	s, _ := StringValue(raw)
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1", "yes", "on", "y":
		return true
	}
	return false
}

// bareValue reads a value that is not an object, in place of a struct
// with a loose:"bare" field, into that field as text (a list as its
// JSON). With loose:"bare=scalar" only strings and numbers get there, and
// "" leaves the field as it was.
func (d *decoder) bareValue(v reflect.Value, fields *structFields) error {
	start := d.pos
	if err := d.skip(1); err != nil {
		return err
	}
	s := text(d.data[start:d.pos])
	if s == "" && fields.bareScalar {
		return nil
	}
	if fv, ok := fieldByIndex(v, fields.bare); ok {
		fv.SetString(s)
	}
	return nil
}

// text renders a raw value for a catch-all map: strings unquoted, numbers
// and booleans as written, objects and arrays as JSON, null as "".
func text(raw []byte) string {
	if len(raw) == 0 || raw[0] == 'n' {
		return ""
	}
	if raw[0] == '{' || raw[0] == '[' {
		return string(raw)
	}
	s, _ := StringValue(raw)
	return s
}
