package loose

import "reflect"

// A field tagged loose:"alt=a,b" is also read from the members a and b.
// In one object the names take turns in this order: the field's own
// (json) name, then a, then b. The first of them whose member is present
// and not empty sets the field, wherever it stands in the object; an empty
// member (null, "", false, 0, [], a zero amount: the type's zero value, or
// IsZero() for a type that has it) never overwrites the field, and when
// no name gives a value the field keeps what it held (decoding another
// level of the same answer into the same value keeps what that level
// gave). A member that cannot be converted is a *TypeError naming it,
// unless a name before it in that order gave a value: then it is ignored.
// A member whose name comes after a name that already gave a value is
// skipped without being converted.

// altState is, for one object, the rank + 1 of the name that gave each
// group's value (0: none yet), and the conversion errors kept until the
// object ends.
type altState struct {
	won     [8]int8
	more    []int8 // groups after the eighth
	pending []altErr
}

type altErr struct {
	group, rank int
	err         error
}

func (s *altState) reset(groups int) {
	if groups > len(s.won) {
		s.more = make([]int8, groups-len(s.won))
	}
}

// at is the rank + 1 of the name that gave group g its value.
func (s *altState) at(g int) *int8 {
	if g < len(s.won) {
		return &s.won[g]
	}
	return &s.more[g-len(s.won)]
}

// err is the first kept error that no name before it made moot.
func (s *altState) err() error {
	for _, p := range s.pending {
		if w := int(*s.at(p.group)); w == 0 || w-1 > p.rank {
			return p.err
		}
	}
	return nil
}

// altMember decodes the member at the cursor, named by the alternative f.
func (d *decoder) altMember(v reflect.Value, f *field, depth int, s *altState) error {
	g := f.group - 1
	if w := int(*s.at(g)); w != 0 && w-1 < f.rank {
		return d.skip(depth + 1) // a name before it gave the value
	}
	fv, ok := fieldByIndex(v, f.index)
	if !ok {
		return d.skip(depth + 1)
	}
	// Decode in place when the field is zero (an empty member leaves it
	// zero again); into a copy when it holds a value an empty member must
	// not overwrite, which happens only when two names are present or a
	// second level is decoded.
	direct := fv.IsZero()
	target := fv
	if !direct {
		target = reflect.New(fv.Type()).Elem()
	}
	start := d.pos
	if err := d.value(target, depth+1); err != nil {
		d.pos = start
		if serr := d.skip(depth + 1); serr != nil {
			return serr // invalid JSON is an error whatever the names
		}
		if direct {
			fv.SetZero()
		}
		s.pending = append(s.pending, altErr{group: g, rank: f.rank, err: prefixPath(err, f.name)})
		return nil
	}
	if isEmpty(target, f) {
		if direct {
			fv.SetZero()
		}
		return nil
	}
	if !direct {
		fv.Set(target)
	}
	*s.at(g) = int8(min(f.rank+1, 127))
	return nil
}

// isEmpty reports whether v, a decoded loose:"alt" member, counts as absent.
func isEmpty(v reflect.Value, f *field) bool {
	if f.zeroer && v.CanAddr() {
		return v.Addr().Interface().(interface{ IsZero() bool }).IsZero()
	}
	return v.IsZero()
}
