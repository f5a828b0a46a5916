package loose

import (
	"reflect"
	"strings"
	"sync"
)

// field is one decodable struct field, or one alternative name of one.
type field struct {
	name  string
	index []int
	marks bool // a member for it sets the struct's loose:"any" flag
	flag  bool // loose:"flag": a bool read leniently, never an error
	// group is 1 + the number of the field's loose:"alt" group (0: none);
	// rank is this name's place in the group's precedence (0 first).
	group int
	rank  int
	// zeroer: the field's type has an IsZero method (Money, time.Time),
	// which tells an empty value for loose:"alt" rather than reflection.
	zeroer bool
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
	// bare is the index of a string field tagged loose:"bare", which
	// receives a value that is not an object as text; bareScalar
	// (loose:"bare=scalar") limits that to non-empty strings and numbers.
	bare       []int
	bareScalar bool
	// groups counts the loose:"alt" groups; alts are their alternative
	// names, indexed after every field's own name so that a real field
	// always wins a name.
	groups int
	alts   []*field
}

// tagOptions are the options of a loose:"..." tag, separated by spaces.
type tagOptions struct {
	all        bool     // all
	hasAny     bool     // any=a,b
	any        []string //
	alt        []string // alt=a,b
	flag       bool     // flag
	bare       bool     // bare, bare=scalar
	bareScalar bool
}

func parseTag(tag string) tagOptions {
	var o tagOptions
	for _, opt := range strings.Fields(tag) {
		name, val, _ := strings.Cut(opt, "=")
		switch name {
		case "all":
			o.all = true
		case "any":
			o.hasAny, o.any = true, SplitList(val)
		case "alt":
			o.alt = SplitList(val)
		case "flag":
			o.flag = true
		case "bare":
			o.bare, o.bareScalar = true, val == "scalar"
		}
	}
	return o
}

var isZeroerType = reflect.TypeFor[interface{ IsZero() bool }]()

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
	for _, f := range sf.alts {
		sf.add(f)
	}
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
		opts := parseTag(f.Tag.Get("loose"))
		if opts.all && f.Type == reflect.TypeFor[map[string]string]() && sf.all == nil {
			sf.all = append(append([]int(nil), index...), i)
			continue
		}
		if opts.hasAny && f.Type.Kind() == reflect.Bool && sf.anyOf == nil {
			sf.anyOf = append(append([]int(nil), index...), i)
			sf.anyNames = append(sf.anyNames, opts.any...)
			continue
		}
		tag, hasTag := f.Tag.Lookup("json")
		if tag == "-" && len(opts.alt) == 0 {
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
		if opts.bare && f.Type.Kind() == reflect.String && sf.bare == nil {
			sf.bare, sf.bareScalar = idx, opts.bareScalar
		}
		fl := &field{name: name, index: idx, flag: opts.flag && f.Type.Kind() == reflect.Bool}
		rank := 0
		if len(opts.alt) > 0 {
			sf.groups++
			fl.group = sf.groups
			fl.zeroer = reflect.PointerTo(f.Type).Implements(isZeroerType)
			if tag != "-" {
				rank = 1
			}
			for k, alt := range opts.alt {
				a := *fl
				a.name, a.rank = alt, rank+k
				sf.alts = append(sf.alts, &a)
			}
		}
		if tag != "-" {
			sf.add(fl)
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

// add indexes f under its name, exactly and case-folded, unless a field
// met before holds the name.
func (sf *structFields) add(f *field) {
	if _, dup := sf.exact[f.name]; !dup {
		sf.exact[f.name] = f
	}
	if _, dup := sf.fold[strings.ToLower(f.name)]; !dup {
		sf.fold[strings.ToLower(f.name)] = f
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
