package loose

import (
	"errors"
	"reflect"
	"strconv"
)

// emptyScalar consumes "" or false if it is next and reports whether it did.
func (d *decoder) emptyScalar() bool {
	switch d.peek() {
	case '"':
		if d.pos+1 < len(d.data) && d.data[d.pos+1] == '"' {
			d.pos += 2
			return true
		}
	case 'f':
		return d.literal("false") == nil
	}
	return false
}

// emptyArray consumes "[]" if it is next and reports whether it did.
func (d *decoder) emptyArray() bool {
	if d.peek() != '[' {
		return false
	}
	save := d.pos
	d.pos++
	if d.peek() == ']' {
		d.pos++
		return true
	}
	d.pos = save
	return false
}

func (d *decoder) mapValue(v reflect.Value, depth int) error {
	t := v.Type()
	if t.Key().Kind() != reflect.String {
		return d.viaJSON(v, depth)
	}
	if v.IsNil() {
		v.Set(reflect.MakeMap(t))
	}
	set := func(key string) error {
		elem := reflect.New(t.Elem()).Elem()
		if err := d.value(elem, depth+1); err != nil {
			return prefixPath(err, key)
		}
		v.SetMapIndex(reflect.ValueOf(key).Convert(t.Key()), elem)
		return nil
	}
	switch d.peek() {
	case '[': // a PHP list where a map was expected: keys "0", "1"...
		return d.array(func(i int) error { return set(strconv.Itoa(i)) })
	case '{':
		return d.object(func(raw []byte, escaped bool) error {
			key, err := d.objectKey(raw, escaped)
			if err != nil {
				return err
			}
			return set(string(key))
		})
	}
	return d.mismatch(v, "")
}

func (d *decoder) sliceValue(v reflect.Value, depth int) error {
	t := v.Type()
	switch d.peek() {
	case '[':
		v.SetLen(0)
		err := d.array(func(i int) error {
			grow(v)
			return prefixPath(d.value(v.Index(i), depth+1), "["+strconv.Itoa(i)+"]")
		})
		if err == nil && v.IsNil() {
			v.Set(reflect.MakeSlice(t, 0, 0))
		}
		return err
	case '{':
		if d.numericKeys(depth) { // a sparse PHP list: {"0":...,"5":...}
			return d.objectValues(v, depth)
		}
		// one row sent as a bare object
		v.Set(reflect.MakeSlice(t, 1, 1))
		return d.value(v.Index(0), depth+1)
	default: // a scalar standing for a one-element list; "" or false for none
		if d.emptyScalar() {
			v.SetZero()
			return nil
		}
		v.Set(reflect.MakeSlice(t, 1, 1))
		return d.value(v.Index(0), depth+1)
	}
}

// grow appends one zero element to slice v, doubling its capacity when full
// (reflect.Append would reallocate on every element).
func grow(v reflect.Value) {
	n := v.Len()
	if n == v.Cap() {
		v.Grow(max(4, n))
	}
	v.SetLen(n + 1)
	v.Index(n).SetZero()
}

// numericKeys reports, without consuming anything, whether the object at
// the cursor is non-empty with every key a decimal number.
func (d *decoder) numericKeys(depth int) bool {
	save := d.pos
	defer func() { d.pos = save }()
	n := 0
	err := d.object(func(key []byte, escaped bool) error {
		if escaped || len(key) == 0 {
			return errNotNumeric
		}
		for _, c := range key {
			if c < '0' || c > '9' {
				return errNotNumeric
			}
		}
		n++
		return d.skip(depth + 1)
	})
	return err == nil && n > 0
}

var errNotNumeric = errors.New("key is not a number")

// objectValues decodes an object's values, in order, into slice v.
func (d *decoder) objectValues(v reflect.Value, depth int) error {
	t := v.Type()
	v.Set(reflect.MakeSlice(t, 0, 4))
	i := 0
	return d.object(func(key []byte, _ bool) error {
		grow(v)
		i++
		return prefixPath(d.value(v.Index(i-1), depth+1), string(key))
	})
}

func (d *decoder) arrayValue(v reflect.Value, depth int) error {
	if d.peek() != '[' {
		return d.mismatch(v, "")
	}
	n := 0
	err := d.array(func(i int) error {
		n = i + 1
		if i < v.Len() {
			return prefixPath(d.value(v.Index(i), depth+1), "["+strconv.Itoa(i)+"]")
		}
		return d.skip(depth + 1)
	})
	for j := n; err == nil && j < v.Len(); j++ {
		v.Index(j).SetZero()
	}
	return err
}
