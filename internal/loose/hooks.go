package loose

import (
	"encoding/json"
	"reflect"
	"sync"
)

// Register makes Unmarshal decode every value of type T with fn, given
// the value's JSON text (valid, without surrounding space) and a pointer
// to the value. It is for the few shapes no tag describes; the caller's
// package calls it from an init function, so that no exported method on
// T is needed (encoding/json never calls fn). fn may call Unmarshal on a
// different type (such as `type plain T`), not on T itself. A T embedded
// in another struct has its fields promoted and fn is not called: register
// the embedding type too.
func Register[T any](fn func(data []byte, v *T) error) {
	t := reflect.TypeFor[T]()
	hooks.Store(t, hook(func(data []byte, v reflect.Value) error {
		return fn(data, v.Addr().Interface().(*T))
	}))
	typeInfos.Delete(t)
}

type hook func(data []byte, v reflect.Value) error

// typeInfo is what value needs to know of a type before its kind: its
// registered hook, or whether *T is a json.Unmarshaler (Money). It is
// worked out once per type.
type typeInfo struct {
	hook        hook
	unmarshaler bool
}

var (
	hooks     sync.Map // reflect.Type → hook
	typeInfos sync.Map // reflect.Type → *typeInfo
)

func infoOf(t reflect.Type) *typeInfo {
	if ti, ok := typeInfos.Load(t); ok {
		return ti.(*typeInfo)
	}
	ti := &typeInfo{unmarshaler: t != timeType && reflect.PointerTo(t).Implements(unmarshalerType)}
	if h, ok := hooks.Load(t); ok {
		ti.hook = h.(hook)
	}
	actual, _ := typeInfos.LoadOrStore(t, ti)
	return actual.(*typeInfo)
}

// custom decodes the value at the cursor with v's hook or UnmarshalJSON,
// and reports false when its type has neither.
func (d *decoder) custom(v reflect.Value, depth int) (bool, error) {
	ti := infoOf(v.Type())
	if ti.hook == nil && !ti.unmarshaler {
		return false, nil
	}
	start := d.pos
	if err := d.skip(depth); err != nil {
		return true, err
	}
	if ti.hook != nil {
		return true, ti.hook(d.data[start:d.pos], v)
	}
	return true, v.Addr().Interface().(json.Unmarshaler).UnmarshalJSON(d.data[start:d.pos])
}
