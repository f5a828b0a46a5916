package loose

import (
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"sync"
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
	if t != timeType && v.CanAddr() && reflect.PointerTo(t).Implements(unmarshalerType) {
		start := d.pos
		if err := d.skip(depth); err != nil {
			return err
		}
		return v.Addr().Interface().(json.Unmarshaler).UnmarshalJSON(d.data[start:d.pos])
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

func (d *decoder) numberValue(v reflect.Value) error {
	if c := d.peek(); c == '{' || c == '[' {
		return d.mismatch(v, "")
	}
	var text string
	var kind byte
	var err error
	if c := d.peek(); c == '-' || (c >= '0' && c <= '9') {
		var b []byte
		b, err = d.number()
		text, kind = string(b), '0'
	} else {
		text, kind, err = d.scalar()
	}
	if err != nil {
		return err
	}
	switch kind {
	case 'n':
		v.SetZero()
		return nil
	case 't':
		text = "1"
	case 'f':
		text = "0"
	case '"':
		text = strings.TrimSpace(text)
		if text == "" {
			v.SetZero()
			return nil
		}
	}
	return setNumber(v, text, d)
}

func setNumber(v reflect.Value, text string, d *decoder) error {
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		f, err := strconv.ParseFloat(text, v.Type().Bits())
		if err != nil {
			return d.typeErr(v, "number", text)
		}
		v.SetFloat(f)
		return nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := parseInt(text)
		if !ok || v.OverflowInt(n) {
			return d.intErr(v, text)
		}
		v.SetInt(n)
		return nil
	default:
		n, ok := parseUint(text)
		if !ok || v.OverflowUint(n) {
			return d.intErr(v, text)
		}
		v.SetUint(n)
		return nil
	}
}

// intErr reports text that is not an integer of v's type: out of range,
// with a fraction, or not a number at all.
func (d *decoder) intErr(v reflect.Value, text string) error {
	if _, ok := integerDigits(text); ok {
		return d.typeErr(v, "out-of-range number", text)
	}
	return d.typeErr(v, "number", text)
}

// parseInt reads a decimal integer exactly: "12", "-12", "+12", and the
// exponent and fraction forms PHP may write for whole numbers ("1e3",
// "1.5e2", "12.0"). A fraction, a value outside int64, hex, NaN or Inf is
// refused: a float64 detour would round 9223372036854775808 into a
// negative id.
func parseInt(text string) (int64, bool) {
	digits, ok := integerDigits(text)
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	return n, err == nil
}

// parseUint is parseInt for unsigned values; "-0" is 0.
func parseUint(text string) (uint64, bool) {
	digits, ok := integerDigits(text)
	if !ok {
		return 0, false
	}
	if digits == "-0" {
		return 0, true
	}
	n, err := strconv.ParseUint(digits, 10, 64)
	return n, err == nil
}

// integerDigits rewrites a decimal number whose value is whole as plain
// digits with an optional leading '-': "1.5e2" → "150", "-1e0" → "-1",
// "+7" → "7". It reports false for anything else, including a fraction
// ("1.5"), and for more than 40 digits (far outside any 64-bit integer; the
// bound keeps "1e999999999" from allocating).
func integerDigits(text string) (string, bool) {
	s := text
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	mant, exp := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant = s[:i]
		e, err := strconv.Atoi(s[i+1:])
		if err != nil || s[i+1:] == "" || s[i+1] == '_' {
			return "", false
		}
		exp = e
	}
	intPart, frac := mant, ""
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		intPart, frac = mant[:i], mant[i+1:]
	}
	if intPart == "" && frac == "" {
		return "", false
	}
	for _, part := range []string{intPart, frac} {
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return "", false
			}
		}
	}
	all := strings.TrimLeft(intPart+frac, "0")
	if all == "" {
		if neg {
			return "-0", true
		}
		return "0", true
	}
	// value = all × 10^shift, once leading zeros are gone
	shift := exp - len(frac)
	trimmed := strings.TrimRight(all, "0")
	shift += len(all) - len(trimmed)
	all = trimmed
	if shift < 0 {
		return "", false // a fraction: the last digits are not zeros
	}
	const maxDigits = 40
	if shift > maxDigits || len(all)+shift > maxDigits {
		if neg {
			return "-" + strings.Repeat("9", maxDigits), true
		}
		return strings.Repeat("9", maxDigits), true // whole, and out of any range
	}
	if shift > 0 {
		all += strings.Repeat("0", shift)
	}
	if neg {
		all = "-" + all
	}
	return all, true
}

func (d *decoder) boolValue(v reflect.Value) error {
	if c := d.peek(); c == '{' || c == '[' {
		return d.mismatch(v, "")
	}
	text, kind, err := d.scalar()
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
	if c := d.peek(); c == '{' || c == '[' {
		return d.mismatch(v, "")
	}
	text, kind, err := d.scalar()
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
			key := string(raw)
			if escaped {
				var ok bool
				if key, ok = unescape(raw); !ok {
					return d.syntax("invalid escape in key")
				}
			}
			return set(key)
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

// field is one decodable struct field.
type field struct {
	name  string
	index []int
	marks bool // a member for it sets the struct's loose:"any" flag
}

// structFields indexes a struct type's fields by JSON name, exactly and
// case-insensitively.
type structFields struct {
	exact map[string]*field
	fold  map[string]*field
	// all is the index of a map[string]string field tagged loose:"all",
	// which receives every member as text (known ones included).
	all []int
	// anyOf is the index of a bool field tagged loose:"any=...", set when
	// a member for a field named in the tag (marks) is met; anyNames are
	// those names.
	anyOf    []int
	anyNames []string
}

func (sf *structFields) lookup(key []byte) *field {
	if f, ok := sf.exact[string(key)]; ok {
		return f
	}
	if len(sf.fold) == 0 {
		return nil
	}
	// An ASCII key is lowered in a stack buffer: the map index with
	// string(buf) does not allocate, where strings.ToLower would for every
	// key that differs from its field's name only by case ("IP" for "ip").
	var buf [64]byte
	if len(key) <= len(buf) {
		ascii := true
		for i, c := range key {
			if c >= 0x80 {
				ascii = false
				break
			}
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf[i] = c
		}
		if ascii {
			return sf.fold[string(buf[:len(key)])]
		}
	}
	return sf.fold[strings.ToLower(string(key))]
}

var fieldCache sync.Map // reflect.Type → *structFields

func cachedFields(t reflect.Type) *structFields {
	if sf, ok := fieldCache.Load(t); ok {
		return sf.(*structFields)
	}
	sf := &structFields{exact: map[string]*field{}, fold: map[string]*field{}}
	collectFields(t, nil, sf, map[reflect.Type]bool{})
	for _, name := range sf.anyNames {
		if f := sf.exact[name]; f != nil {
			f.marks = true
		}
	}
	actual, _ := fieldCache.LoadOrStore(t, sf)
	return actual.(*structFields)
}

// collectFields walks t breadth-first: outer fields win over promoted ones.
func collectFields(t reflect.Type, index []int, sf *structFields, seen map[reflect.Type]bool) {
	if seen[t] {
		return
	}
	seen[t] = true
	var embedded []reflect.StructField
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Tag.Get("loose") == "all" && f.Type == reflect.TypeFor[map[string]string]() && sf.all == nil {
			sf.all = append(append([]int(nil), index...), i)
			continue
		}
		if names, ok := strings.CutPrefix(f.Tag.Get("loose"), "any="); ok && f.Type.Kind() == reflect.Bool && sf.anyOf == nil {
			sf.anyOf = append(append([]int(nil), index...), i)
			for _, name := range strings.Split(names, ",") {
				if name = strings.TrimSpace(name); name != "" {
					sf.anyNames = append(sf.anyNames, name)
				}
			}
			continue
		}
		tag, hasTag := f.Tag.Lookup("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				embedded = append(embedded, f)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if !hasTag || name == "" {
			name = f.Name
		}
		idx := append(append([]int(nil), index...), i)
		fl := &field{name: name, index: idx}
		if _, dup := sf.exact[name]; !dup {
			sf.exact[name] = fl
		}
		if _, dup := sf.fold[strings.ToLower(name)]; !dup {
			sf.fold[strings.ToLower(name)] = fl
		}
	}
	for _, f := range embedded {
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		collectFields(ft, append(append([]int(nil), index...), f.Index...), sf, seen)
	}
}

// fieldByIndex walks to a (possibly promoted) field, allocating nil embedded
// pointers on the way. It fails only for unexported embedded pointers.
func fieldByIndex(v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				if !v.CanSet() {
					return reflect.Value{}, false
				}
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, v.CanSet()
}
