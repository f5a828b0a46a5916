package invapi

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"strings"

	"github.com/invapi-go/invapi/internal/redact"
)

// Request types that carry secrets (RootPass, AdminPass, PINs, passwords,
// reset tokens, 2FA codes, reinstall keys) print, log and marshal with
// them masked: Format, LogValue and MarshalJSON all go through
// maskSecrets, which finds the secret fields by their form names
// (redact.IsSecretField), so a field added later is covered too.

// redactedValue replaces a secret in printed, logged and marshalled values.
const redactedValue = "[REDACTED]"

// maskSecrets masks, in the struct p points to (a method-less copy of a
// request), every non-empty string field whose form name is a secret, the
// same in embedded structs, and the secret entries of Fields and FormMap
// maps (replaced by masked copies: the caller's maps are not touched). It
// returns the struct, for printing.
func maskSecrets(p any) any {
	v := reflect.ValueOf(p).Elem()
	maskStruct(v)
	return v.Interface()
}

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

// formatMasked prints p (a pointer to a method-less copy of a request) with
// f's verb and flags, secrets masked, naming the type name in %#v.
func formatMasked(f fmt.State, verb rune, name string, p any) {
	eqFormat(f, verb, name, maskSecrets(p))
}

// marshalMasked is MarshalJSON for a request: p as encoding/json would
// write it, secrets masked.
func marshalMasked(p any) ([]byte, error) { return json.Marshal(maskSecrets(p)) }

// logMasked is LogValue for a request: its fields, secrets masked.
func logMasked(p any) slog.Value {
	v := reflect.ValueOf(maskSecrets(p))
	var attrs []slog.Attr
	collectAttrs(v, &attrs)
	return slog.GroupValue(attrs...)
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

// MarshalJSON writes the request with its PINs masked.
func (r SetPINRequest) MarshalJSON() ([]byte, error) {
	type plain SetPINRequest
	p := plain(r)
	return marshalMasked(&p)
}

// LogValue logs the request with its PINs masked.
func (r SetPINRequest) LogValue() slog.Value {
	type plain SetPINRequest
	p := plain(r)
	return logMasked(&p)
}

// MarshalJSON writes the request with RootPass and ReinstallKey masked.
func (r OrderInstanceRequest) MarshalJSON() ([]byte, error) {
	type plain OrderInstanceRequest
	p := plain(r)
	return marshalMasked(&p)
}

// LogValue logs the request with RootPass and ReinstallKey masked.
func (r OrderInstanceRequest) LogValue() slog.Value {
	type plain OrderInstanceRequest
	p := plain(r)
	return logMasked(&p)
}

// MarshalJSON writes the request with RootPass masked.
func (r DeployRequest) MarshalJSON() ([]byte, error) {
	type plain DeployRequest
	p := plain(r)
	return marshalMasked(&p)
}

// LogValue logs the request with RootPass masked.
func (r DeployRequest) LogValue() slog.Value {
	type plain DeployRequest
	p := plain(r)
	return logMasked(&p)
}

// MarshalJSON writes the request with RootPass and the keys masked.
func (r ReinstallRequest) MarshalJSON() ([]byte, error) {
	type plain ReinstallRequest
	p := plain(r)
	return marshalMasked(&p)
}

// LogValue logs the request with RootPass and the keys masked.
func (r ReinstallRequest) LogValue() slog.Value {
	type plain ReinstallRequest
	p := plain(r)
	return logMasked(&p)
}

// MarshalJSON writes the request with RootPass and the keys masked.
func (r CreatePXERequest) MarshalJSON() ([]byte, error) {
	type plain CreatePXERequest
	p := plain(r)
	return marshalMasked(&p)
}

// LogValue logs the request with RootPass and the keys masked.
func (r CreatePXERequest) LogValue() slog.Value {
	type plain CreatePXERequest
	p := plain(r)
	return logMasked(&p)
}

// MarshalJSON writes the request with AdminPass masked.
func (r AddIPMIUserRequest) MarshalJSON() ([]byte, error) {
	type plain AddIPMIUserRequest
	p := plain(r)
	return marshalMasked(&p)
}

// LogValue logs the request with AdminPass masked.
func (r AddIPMIUserRequest) LogValue() slog.Value {
	type plain AddIPMIUserRequest
	p := plain(r)
	return logMasked(&p)
}

// MarshalJSON writes the request with the reset token, the password and
// the code masked.
func (r ResetPasswordRequest) MarshalJSON() ([]byte, error) {
	type plain ResetPasswordRequest
	p := plain(r)
	return marshalMasked(&p)
}

// LogValue logs the request with the reset token, the password and the
// code masked.
func (r ResetPasswordRequest) LogValue() slog.Value {
	type plain ResetPasswordRequest
	p := plain(r)
	return logMasked(&p)
}

// MarshalJSON writes the request with the password masked.
func (r UpdateContactRequest) MarshalJSON() ([]byte, error) {
	type plain UpdateContactRequest
	p := plain(r)
	return marshalMasked(&p)
}

// LogValue logs the request with the password masked.
func (r UpdateContactRequest) LogValue() slog.Value {
	type plain UpdateContactRequest
	p := plain(r)
	return logMasked(&p)
}
