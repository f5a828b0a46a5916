package invapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invapi-go/invapi/internal/redact"
)

// checkedRequest exercises every check kind, in field order, and a check
// method of its own.
type checkedRequest struct {
	ID       int    `url:"id" check:"id=server"`
	Zone     string `check:"domain,optional,name=params[zone]"`
	Invoice  int    `url:"invoice_id,omitempty" check:"id=invoice,optional"`
	TX       int    `url:"transaction_id,omitempty" check:"id,optional"`
	VLAN     int    `url:"vlan,omitempty" check:"nonnegative"`
	Hostname string `url:"hostname" check:"required"`
	Port     string `url:"port" check:"required=switch port"`
	Location string `url:"location,omitempty" check:"location,optional"`
	Region   string `url:"region" check:"location"`
	IP       string `url:"ip,omitempty" check:"ip,optional"`
	Email    string `url:"email,omitempty" check:"email,optional"`
	Amount   Money  `url:"amount" check:"amount"`
	Note     string `url:"note,omitempty"`
	ownRan   *bool
}

func (r *checkedRequest) Validate() error { return validateRequest(r) }

func (r *checkedRequest) check() error {
	if r.ownRan != nil {
		*r.ownRan = true
	}
	if r.Note == "bad" {
		return invalid("note", "is bad")
	}
	return nil
}

func validChecked() checkedRequest {
	return checkedRequest{ID: 1, Hostname: "web1", Port: "eth0", Region: "NL", Amount: MustParseMoney("5")}
}

// Each kind gives the error its shared helper gave when every Validate
// wrote it by hand, naming the url field or name=, in field order, and the
// request's own check runs only after all of them pass.
func TestValidateRequestKinds(t *testing.T) {
	t.Parallel()
	ok := validChecked()
	require.NoError(t, ok.Validate())
	cases := []struct {
		name   string
		change func(r *checkedRequest)
		field  string
		reason string
	}{
		{"id zero", func(r *checkedRequest) { r.ID = 0 }, "id", "must be a positive server id, got 0"},
		{"id negative", func(r *checkedRequest) { r.ID = -3 }, "id", "must be a positive server id, got -3"},
		{"domain named", func(r *checkedRequest) { r.Zone = "not a domain" }, "params[zone]", `"not a domain" is not a domain name`},
		{"optional id negative", func(r *checkedRequest) { r.Invoice = -1 }, "invoice_id", "must be a positive invoice id, got -1"},
		{"id without noun", func(r *checkedRequest) { r.TX = -2 }, "transaction_id", "must be a positive id, got -2"},
		{"nonnegative", func(r *checkedRequest) { r.VLAN = -1 }, "vlan", "must not be negative, got -1"},
		{"required blank", func(r *checkedRequest) { r.Hostname = "  " }, "hostname", "is required"},
		{"required with a noun", func(r *checkedRequest) { r.Port = "" }, "port", "switch port is required"},
		{"optional location bad", func(r *checkedRequest) { r.Location = "N" }, "location", `must be a location code such as NL, US or RU, got "N"`},
		{"required location", func(r *checkedRequest) { r.Region = " " }, "region", "is required (a location code such as NL, US or RU)"},
		{"ip", func(r *checkedRequest) { r.IP = "1.2.3" }, "ip", `"1.2.3" is not an IPv4 or IPv6 address`},
		{"email", func(r *checkedRequest) { r.Email = "bad@" }, "email", "must be an e-mail address such as name@example.com"},
		{"amount", func(r *checkedRequest) { r.Amount = Money{} }, "amount", "must be a positive amount, got 0.00"},
		{"own check", func(r *checkedRequest) { r.Note = "bad" }, "note", "is bad"},
		{"first in field order", func(r *checkedRequest) { r.Note, r.Email, r.VLAN = "bad", "bad@", -1 }, "vlan", "must not be negative, got -1"},
	}
	for _, tc := range cases {
		r := validChecked()
		tc.change(&r)
		err := r.Validate()
		var verr *ValidationError
		require.True(t, errors.As(err, &verr), "%s: %v", tc.name, err)
		assert.Equal(t, tc.field, verr.Field, tc.name)
		assert.Equal(t, tc.reason, verr.Reason, tc.name)
		assert.ErrorIs(t, err, ErrInvalidInput, tc.name)
	}

	// optional zero values pass; a blank optional location passes as
	// locationCode lets it; the own check runs once the tags pass
	ran := false
	r := validChecked()
	r.Location, r.ownRan = "  ", &ran
	require.NoError(t, r.Validate())
	assert.True(t, ran)
	ran = false
	r.ID = 0
	require.Error(t, r.Validate())
	assert.False(t, ran, "the own check waits for the tag checks")

	// a nil request names the field of the first tag check
	var nilReq *checkedRequest
	var verr *ValidationError
	require.True(t, errors.As(nilRequest(nilReq), &verr))
	assert.Equal(t, "id", verr.Field)
	assert.Equal(t, "request is nil", verr.Reason)
}

// A tag that does not parse or does not fit its field is refused at once.
func TestCheckTagMistakesPanic(t *testing.T) {
	t.Parallel()
	type unknownKind struct {
		A int `url:"a" check:"positive"`
	}
	type unknownOption struct {
		A int `url:"a" check:"id=server,omitempty"`
	}
	type nounOnOther struct {
		A string `url:"a" check:"email=name"`
	}
	type wrongType struct {
		A string `url:"a" check:"id=server"`
	}
	type notMoney struct {
		A int `url:"a" check:"amount"`
	}
	type noName struct {
		A int `check:"id=server"`
	}
	type dashName struct {
		A int `url:"-" check:"id=server"`
	}
	for _, v := range []any{unknownKind{}, unknownOption{}, nounOnOther{}, wrongType{}, notMoney{}, noName{}, dashName{}} {
		assert.Panics(t, func() { checksOf(reflect.TypeOf(v)) }, "%T", v)
	}
	assert.NotPanics(t, func() { checksOf(reflect.TypeOf(checkedRequest{})) })
}

// Validating a request allocates nothing when it passes: the tags are read
// once per type.
func TestValidateRequestAllocatesNothing(t *testing.T) {
	r := validChecked()
	require.NoError(t, r.Validate())
	req := &ReinstallRequest{ID: 1, OSID: 2, RootPass: "Root-pass_123"}
	require.NoError(t, req.Validate())
	sr := &ServerRequest{ID: 7}
	assert.Zero(t, testing.AllocsPerRun(200, func() { _ = r.Validate() }))
	assert.Zero(t, testing.AllocsPerRun(200, func() { _ = req.Validate() }))
	assert.Zero(t, testing.AllocsPerRun(200, func() { _ = sr.Validate() }))
}

// rootSources parses the package's non-test files.
func rootSources(t *testing.T) []*ast.File {
	t.Helper()
	names, err := filepath.Glob("*.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	var files []*ast.File
	for _, n := range names {
		if strings.HasSuffix(n, "_test.go") {
			continue
		}
		src, err := os.ReadFile(n)
		require.NoError(t, err)
		f, err := parser.ParseFile(fset, n, src, parser.SkipObjectResolution)
		require.NoError(t, err)
		files = append(files, f)
	}
	return files
}

// Every check tag in the package parses, and every request's Validate is
// validateRequest: its tag checks, then its own check method.
func TestEveryValidateGoesThroughTheTagChecks(t *testing.T) {
	t.Parallel()
	tagged := map[string]bool{}
	validates := map[string]bool{}
	for _, f := range rootSources(t) {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.TypeSpec:
				st, ok := n.Type.(*ast.StructType)
				if !ok {
					return true
				}
				for _, fld := range st.Fields.List {
					if fld.Tag == nil {
						continue
					}
					tag, ok := reflect.StructTag(strings.Trim(fld.Tag.Value, "`")).Lookup("check")
					if !ok {
						continue
					}
					tagged[n.Name.Name] = true
					_, err := parseCheck(tag)
					assert.NoError(t, err, "%s: check:%q", n.Name.Name, tag)
				}
			case *ast.FuncDecl:
				if n.Recv == nil || n.Name.Name != "Validate" {
					return true
				}
				recv := n.Recv.List[0].Type
				star, ok := recv.(*ast.StarExpr)
				require.True(t, ok, "Validate on a pointer receiver")
				name := star.X.(*ast.Ident).Name
				validates[name] = true
				body := n.Body.List
				ok = len(body) == 1
				if ok {
					ret, isRet := body[0].(*ast.ReturnStmt)
					ok = isRet && len(ret.Results) == 1
					if ok {
						call, isCall := ret.Results[0].(*ast.CallExpr)
						ok = isCall && fmt.Sprint(call.Fun) == "validateRequest"
					}
				}
				assert.True(t, ok, "%s.Validate is `return validateRequest(r)`", name)
			}
			return true
		})
	}
	assert.Greater(t, len(tagged), 40)
	for name := range tagged {
		assert.True(t, validates[name], "%s has check tags and a Validate", name)
	}
}

// requestTypes lists the request structs the services' methods take.
func requestTypes() []reflect.Type {
	seen := map[reflect.Type]bool{}
	var out []reflect.Type
	ct := reflect.TypeOf(Client{})
	for i := 0; i < ct.NumField(); i++ {
		st := ct.Field(i).Type
		if st.Kind() != reflect.Pointer || !strings.HasSuffix(st.Elem().Name(), "Service") {
			continue
		}
		for j := 0; j < st.NumMethod(); j++ {
			mt := st.Method(j).Type
			for k := 1; k < mt.NumIn(); k++ {
				in := mt.In(k)
				if in.Kind() == reflect.Pointer && in.Elem().Kind() == reflect.Struct && strings.HasSuffix(in.Elem().Name(), "Request") && !seen[in.Elem()] {
					seen[in.Elem()] = true
					out = append(out, in.Elem())
				}
			}
		}
	}
	return out
}

// secretFields names the string fields of t (embedded structs too) whose
// form name is a secret.
func secretFields(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("url"), ",")
		switch {
		case f.Anonymous && f.Type.Kind() == reflect.Struct:
			out = append(out, secretFields(f.Type)...)
		case f.Type.Kind() == reflect.String && redact.IsSecretField(name):
			out = append(out, f.Name)
		}
	}
	return out
}

// Every request type with a secret form field prints, marshals and logs
// through the shared masked copy: none shows the secret, each keeps its
// other fields and its own type name in %#v. A new secret-carrying request
// without the three one-line methods fails here.
func TestEverySecretCarryingRequestMasks(t *testing.T) {
	t.Parallel()
	const secret = "Zq9-hidden_Secret"
	found := 0
	for _, rt := range requestTypes() {
		names := secretFields(rt)
		if len(names) == 0 {
			continue
		}
		found++
		ptr := reflect.New(rt)
		for _, n := range names {
			ptr.Elem().FieldByName(n).SetString(secret)
		}
		val := ptr.Elem().Interface()
		_, isFormatter := val.(fmt.Formatter)
		_, isMarshaler := val.(json.Marshaler)
		_, isLogValuer := val.(slog.LogValuer)
		require.True(t, isFormatter && isMarshaler && isLogValuer, "%s carries %v: it needs Format, MarshalJSON and LogValue", rt.Name(), names)
		for _, v := range []any{val, ptr.Interface()} {
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%10.4v"} {
				out := fmt.Sprintf(verb, v)
				assert.NotContains(t, out, secret, "%s %s", rt.Name(), verb)
				assert.NotContains(t, out, fmt.Sprintf("%x", secret), "%s %s", rt.Name(), verb)
				assert.NotContains(t, strings.ToLower(out), fmt.Sprintf("%x", secret), "%s %s", rt.Name(), verb)
			}
			assert.True(t, strings.HasPrefix(fmt.Sprintf("%#v", v), "invapi."+rt.Name()+"{"), "%s: %#v", rt.Name(), v)
			b, err := json.Marshal(v)
			require.NoError(t, err)
			assert.NotContains(t, string(b), secret)
			assert.Contains(t, string(b), `"`+names[0]+`":"[REDACTED]"`, rt.Name())
			var text, js bytes.Buffer
			slog.New(slog.NewTextHandler(&text, nil)).Info("m", "req", v)
			slog.New(slog.NewJSONHandler(&js, nil)).Info("m", "req", v)
			assert.NotContains(t, text.String()+js.String(), secret)
			assert.Contains(t, text.String(), "req."+names[0]+"=[REDACTED]", rt.Name())
		}
	}
	assert.GreaterOrEqual(t, found, 8)
}

// The masked copy prints as the request itself would without its secrets:
// the exact forms of fmt, encoding/json and slog.
func TestMaskedCopyForms(t *testing.T) {
	t.Parallel()
	r := SetPINRequest{OldPIN: "", NewPIN: "123456"}
	assert.Equal(t, `invapi.SetPINRequest{OldPIN:"", NewPIN:"[REDACTED]"}`, fmt.Sprintf("%#v", r))
	assert.Equal(t, `{ [REDACTED]}`, fmt.Sprintf("%v", r))
	assert.Equal(t, `{OldPIN: NewPIN:[REDACTED]}`, fmt.Sprintf("%+v", &r))
	b, err := json.Marshal(r)
	require.NoError(t, err)
	assert.Equal(t, `{"OldPIN":"","NewPIN":"[REDACTED]"}`, string(b))
	assert.Equal(t, `[NewPIN=[REDACTED]]`, r.LogValue().String())

	p := CreatePXERequest{ID: 5, RootPass: "Root-pass_123", InstallOptions: InstallOptions{Key: "k-1", Groups: []string{"a"}}}
	s := fmt.Sprintf("%#v", p)
	assert.True(t, strings.HasPrefix(s, `invapi.CreatePXERequest{ID:5, `), s)
	assert.Contains(t, s, `RootPass:"[REDACTED]"`)
	assert.Contains(t, s, `InstallOptions:invapi.InstallOptions{`)
	assert.Contains(t, s, `Key:"[REDACTED]"`)
	assert.Contains(t, s, `Groups:[]string{"a"}`)
	b, err = json.Marshal(&p)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"ID":5,`)
	assert.Contains(t, string(b), `"RootPass":"[REDACTED]"`)
	assert.Contains(t, string(b), `"Key":"[REDACTED]"`, "embedded fields are flattened, as encoding/json does")
	assert.Equal(t, "k-1", p.Key, "the caller's value is not touched")
}
