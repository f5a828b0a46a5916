package loose

import (
	"reflect"
	"strings"
	"sync"
)

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
