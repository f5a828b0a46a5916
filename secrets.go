package invapi

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"sync"

	"github.com/invapi-go/invapi/internal/redact"
)

// Request types that carry secrets (RootPass, AdminPass, PINs, passwords,
// reset tokens, 2FA codes, reinstall keys) print, log and marshal with
// them masked. Each declares Format, MarshalJSON and LogValue as one call
// to formatMasked, marshalMasked and logMasked, which share maskedCopy: it
// finds the secret fields by their form names (redact.IsSecretField), so a
// field added later is covered too, and prints a method-less copy.

// redactedValue replaces a secret in printed, logged and marshalled values.
const redactedValue = "[REDACTED]"

// maskStruct masks, in v (a settable copy of a request), every non-empty
// string field whose form name is a secret, the same in embedded structs,
// and the secret entries of Fields and FormMap maps (replaced by masked
// copies: the caller's maps are not touched).
func maskStruct(v reflect.Value) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f, fv := t.Field(i), v.Field(i)
		if !fv.CanSet() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("url"), ",")
		switch {
		case f.Anonymous && fv.Kind() == reflect.Struct:
			maskStruct(fv)
		case fv.Kind() == reflect.String && fv.Len() > 0 && redact.IsSecretField(name):
			fv.SetString(redactedValue)
		case fv.Kind() == reflect.Map && fv.Type().Key().Kind() == reflect.String &&
			fv.Type().Elem().Kind() == reflect.String && fv.Len() > 0:
			masked := reflect.MakeMapWithSize(fv.Type(), fv.Len())
			iter := fv.MapRange()
			for iter.Next() {
				val := iter.Value()
				if redact.IsSecretField(iter.Key().String()) {
					val = reflect.ValueOf(redactedValue).Convert(fv.Type().Elem())
				}
				masked.SetMapIndex(iter.Key(), val)
			}
			fv.Set(masked)
		}
	}
}

// formatMasked is Format for a request r (a struct value): r printed with
// f's verb and flags, secrets masked, its own type name in %#v.
func formatMasked(f fmt.State, verb rune, r any) {
	p := maskedCopy(r)
	s := fmt.Sprintf(fmt.FormatString(f, verb), p.Interface())
	if verb == 'v' && f.Flag('#') {
		t := reflect.TypeOf(r)
		s = strings.Replace(s, p.Type().String(), t.String(), 1)
	}
	_, _ = f.Write([]byte(s))
}

// marshalMasked is MarshalJSON for a request r (a struct value): r as
// encoding/json writes its fields, secrets masked.
func marshalMasked(r any) ([]byte, error) { return json.Marshal(maskedCopy(r).Interface()) }

// logMasked is LogValue for a request r (a struct value): its fields,
// secrets masked.
func logMasked(r any) slog.Value {
	var attrs []slog.Attr
	collectAttrs(maskedCopy(r), &attrs)
	return slog.GroupValue(attrs...)
}

// plainTypes caches, per request type, a struct type of the same fields
// and no methods (reflect.StructOf), which its values convert to: printing
// or marshalling the copy does not call the request's own Format or
// MarshalJSON again.
var plainTypes sync.Map // reflect.Type -> reflect.Type

// maskedCopy returns a settable copy of r, a request struct, converted to
// its method-less plain type, with its secrets masked (see maskStruct).
// Request fields are all exported: StructOf refuses unexported ones, and
// TestEverySecretCarryingRequestMasks would panic on such a type.
func maskedCopy(r any) reflect.Value {
	v := reflect.ValueOf(r)
	pt, ok := plainTypes.Load(v.Type())
	if !ok {
		fields := make([]reflect.StructField, v.NumField())
		for i := range fields {
			f := v.Type().Field(i)
			fields[i] = reflect.StructField{Name: f.Name, PkgPath: f.PkgPath, Type: f.Type, Tag: f.Tag, Anonymous: f.Anonymous}
		}
		pt, _ = plainTypes.LoadOrStore(v.Type(), reflect.StructOf(fields))
	}
	p := reflect.New(pt.(reflect.Type)).Elem()
	p.Set(v.Convert(p.Type()))
	maskStruct(p)
	return p
}

func collectAttrs(v reflect.Value, attrs *[]slog.Attr) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f, fv := t.Field(i), v.Field(i)
		if !f.IsExported() {
			continue
		}
		if f.Anonymous && fv.Kind() == reflect.Struct {
			collectAttrs(fv, attrs)
			continue
		}
		if fv.IsZero() {
			continue // zero is "not sent"
		}
		*attrs = append(*attrs, slog.Any(f.Name, fv.Interface()))
	}
}
