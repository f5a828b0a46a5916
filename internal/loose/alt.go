package loose

import "reflect"

// A field tagged loose:"alt=a,b" is also read from the members a and b.
// In one object the names take turns in this order: the field's own
// (json) name, then a, then b. The first of them whose member is present
// and not empty sets the field, wherever it stands in the object; an empty
// member (null, "", false, 0, a zero amount: the type's zero value, or
// IsZero() for a type that has it) never overwrites the field, and when
// no name gives a value the field keeps what it held (decoding another
// level of the same answer into the same value keeps what that level
// gave). Every member present is converted all the same: one that cannot
// be is a *TypeError naming it, as for any field, whichever name wins.

// altState is, for one object, the rank + 1 of the name that gave each
// group's value (0: none yet).
type altState struct {
	won  [8]int8
	more []int8 // groups after the eighth
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

// altMember decodes the member at the cursor, named by the alternative f.
func (d *decoder) altMember(v reflect.Value, f *field, depth int, s *altState) error {
	fv, ok := fieldByIndex(v, f.index)
	if !ok {
		return d.skip(depth + 1)
	}
	won := s.at(f.group - 1)
	// Decode in place when the field is zero and may take this member (an
	// empty member leaves it zero again); into a copy when it holds a
	// value an empty member must not overwrite, or when a name before this
	// one gave the value and the member is only checked. Copies happen
	// only when two of the names are present or a second level of the
	// answer is decoded.
	better := *won != 0 && int(*won)-1 < f.rank
	direct := !better && fv.IsZero()
	target := fv
	if !direct {
		target = reflect.New(fv.Type()).Elem()
	}
	if err := d.value(target, depth+1); err != nil {
		if direct {
			fv.SetZero()
		}
		return prefixPath(err, f.name)
	}
	if better {
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
	*won = int8(min(f.rank+1, 127))
	return nil
}

// isEmpty reports whether v, a decoded loose:"alt" member, counts as absent.
func isEmpty(v reflect.Value, f *field) bool {
	if f.zeroer && v.CanAddr() {
		return v.Addr().Interface().(interface{ IsZero() bool }).IsZero()
	}
	return v.IsZero()
}
