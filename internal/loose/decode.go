package loose

import (
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"time"
)

var timeType = reflect.TypeFor[time.Time]()

// value decodes the next JSON value into v (settable).
func (d *decoder) value(v reflect.Value, depth int) error {
	if depth > maxDepth {
		return d.syntax("nested too deeply")
	}
	c := d.peek()
	if c == 0 {
		return d.syntax("unexpected end of input")
	}
	t := v.Type()
	if c == 'n' && (t.Kind() == reflect.Pointer || t.Kind() == reflect.Interface || t.Kind() == reflect.Map || t.Kind() == reflect.Slice) {
		if err := d.literal("null"); err != nil {
			return err
		}
		v.SetZero()
		return nil
	}
	if t.Kind() == reflect.Pointer {
		if v.IsNil() {
			v.Set(reflect.New(t.Elem()))
		}
		return d.value(v.Elem(), depth+1)
	}
	if t == rawMessageType {
		start := d.pos
		if err := d.skip(depth); err != nil {
			return err
		}
		v.SetBytes(append([]byte(nil), d.data[start:d.pos]...))
		return nil
	}
	if v.CanAddr() {
		if ok, err := d.custom(v, depth); ok {
			return err
		}
	}
	if t == timeType {
		return d.timeValue(v)
	}
	switch t.Kind() {
	case reflect.Struct:
		return d.structValue(v, depth)
	case reflect.Map:
		return d.mapValue(v, depth)
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 && c == '"' { // []byte: base64, as encoding/json
			return d.viaJSON(v, depth)
		}
		return d.sliceValue(v, depth)
	case reflect.Array:
		return d.arrayValue(v, depth)
	case reflect.Interface:
		return d.viaJSON(v, depth)
	case reflect.String:
		return d.stringValue(v)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64:
		return d.numberValue(v)
	case reflect.Bool:
		return d.boolValue(v)
	}
	return d.mismatch(v, "value")
}

// viaJSON hands the raw value to encoding/json (interfaces, []byte).
func (d *decoder) viaJSON(v reflect.Value, depth int) error {
	start := d.pos
	if err := d.skip(depth); err != nil {
		return err
	}
	err := json.Unmarshal(d.data[start:d.pos], v.Addr().Interface())
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return &SyntaxError{Offset: int64(start) + se.Offset, Msg: se.Error()}
	case errors.As(err, &te):
		return &TypeError{Path: te.Field, Want: te.Type.String(), Got: te.Value}
	}
	return err
}

// scalar reads a string, number, bool or null as text; kind is its JSON kind.
func (d *decoder) scalar() (text string, kind byte, err error) {
	switch c := d.peek(); {
	case c == '"':
		s, err := d.str()
		return s, '"', err
	case c == 't':
		return "true", 't', d.literal("true")
	case c == 'f':
		return "false", 'f', d.literal("false")
	case c == 'n':
		return "", 'n', d.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		b, err := d.number()
		return string(b), '0', err
	}
	return "", d.peek(), nil
}

// scalarFor is scalar for v, a bool or time field: an object or a list
// there is a mismatch, not text to read.
func (d *decoder) scalarFor(v reflect.Value) (text string, kind byte, err error) {
	if c := d.peek(); c == '{' || c == '[' {
		return "", 0, d.mismatch(v, "")
	}
	return d.scalar()
}

func (d *decoder) stringValue(v reflect.Value) error {
	if c := d.peek(); c == '{' || c == '[' {
		// A field documented as text that arrives as an object or a list
		// keeps its JSON text: one odd field must not cost the whole answer.
		start := d.pos
		if err := d.skip(1); err != nil {
			return err
		}
		v.SetString(string(d.data[start:d.pos]))
		return nil
	}
	if d.peek() == '"' {
		s, err := d.str()
		if err != nil {
			return err
		}
		v.SetString(s)
		return nil
	}
	text, _, err := d.scalar()
	if err != nil {
		return err
	}
	v.SetString(text)
	return nil
}

func (d *decoder) boolValue(v reflect.Value) error {
	text, kind, err := d.scalarFor(v)
	if err != nil {
		return err
	}
	switch kind {
	case 't':
		v.SetBool(true)
		return nil
	case 'f', 'n':
		v.SetBool(false)
		return nil
	case '0':
		f, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return d.typeErr(v, "number", text)
		}
		v.SetBool(f != 0)
		return nil
	}
	switch strings.ToLower(strings.TrimSpace(text)) {
	case "1", "true", "yes", "on", "y":
		v.SetBool(true)
	case "0", "false", "no", "off", "n", "":
		v.SetBool(false)
	default:
		return d.typeErr(v, "string", text)
	}
	return nil
}

var timeLayouts = []string{time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02"}

func (d *decoder) timeValue(v reflect.Value) error {
	text, kind, err := d.scalarFor(v)
	if err != nil {
		return err
	}
	text = strings.TrimSpace(text)
	if kind == 'n' || text == "" || text == "0" || strings.HasPrefix(text, "0000-00-00") {
		v.SetZero()
		return nil
	}
	if secs, err := strconv.ParseInt(text, 10, 64); err == nil {
		v.Set(reflect.ValueOf(time.Unix(secs, 0).UTC()))
		return nil
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, text); err == nil {
			v.Set(reflect.ValueOf(t))
			return nil
		}
	}
	return d.typeErr(v, "string", text)
}
