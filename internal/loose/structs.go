package loose

import "reflect"

func (d *decoder) structValue(v reflect.Value, depth int) error {
	switch d.peek() {
	case 'n':
		return d.literal("null")
	case '[':
		if d.emptyArray() { // PHP's empty array standing for an empty object
			return nil
		}
		return d.mismatch(v, "")
	case '{':
	case '"', 't', 'f', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		// PHP sends "" (or false, 0) where an object is empty or absent:
		// the struct stays zero rather than failing the whole answer.
		return d.skip(1)
	default:
		return d.mismatch(v, "")
	}
	fields := cachedFields(v.Type())
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
	return d.object(func(key []byte, escaped bool) error {
		if escaped {
			k, ok := unescape(key)
			if !ok {
				return d.syntax("invalid escape in key")
			}
			key = []byte(k)
		}
		start := d.pos
		f := fields.lookup(key)
		if err := d.member(v, f, depth); err != nil {
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
	return prefixPath(d.value(fv, depth+1), f.name)
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
