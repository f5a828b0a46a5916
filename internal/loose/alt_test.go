package loose

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type altInvoice struct {
	InvoiceID int    `json:"invoice_id" loose:"alt=invoiceid,id"`
	Status    string `json:"status"`
}

// The field's own name comes first, then the alternatives in tag order,
// wherever the members stand in the object; an empty member never wins.
func TestAltPrecedence(t *testing.T) {
	for body, want := range map[string]int{
		`{"invoice_id":5}`:                          5,
		`{"invoiceid":"6"}`:                         6,
		`{"id":7}`:                                  7,
		`{"ID":7}`:                                  7, // alternatives fold case as names do
		`{"id":7,"invoiceid":6,"invoice_id":5}`:     5,
		`{"invoice_id":5,"invoiceid":6,"id":7}`:     5,
		`{"id":7,"invoiceid":6}`:                    6,
		`{"invoice_id":0,"id":7}`:                   7,
		`{"invoice_id":"","invoiceid":null,"id":8}`: 8,
		`{"invoice_id":false,"invoiceid":null}`:     0,
		`{"id":7,"invoice_id":0}`:                   7, // a later empty member does not undo it
		`{"status":"Paid"}`:                         0,
		`{"invoice_id":-1,"id":7}`:                  -1, // not empty: only zero is
	} {
		var v altInvoice
		require.NoError(t, Unmarshal([]byte(body), &v), body)
		assert.Equal(t, want, v.InvoiceID, body)
	}
}

// Decoding a second level of the same answer into the same value keeps
// what the first gave when the second has nothing for the field, and a
// non-empty member of the second replaces it.
func TestAltKeepsAValueAcrossLevels(t *testing.T) {
	var v altInvoice
	require.NoError(t, Unmarshal([]byte(`{"invoiceid":9}`), &v))
	require.NoError(t, Unmarshal([]byte(`{"status":"Paid","invoice_id":0,"id":null}`), &v))
	assert.Equal(t, altInvoice{InvoiceID: 9, Status: "Paid"}, v)
	require.NoError(t, Unmarshal([]byte(`{"id":"11"}`), &v))
	assert.Equal(t, 11, v.InvoiceID)
}

// A member that cannot be converted is a *TypeError naming the member as
// sent, whichever name would have won: a mangled id is not the same as none.
func TestAltTypeErrors(t *testing.T) {
	for body, path := range map[string]string{
		`{"invoice_id":{}}`:                   "invoice_id",
		`{"invoice_id":5,"invoiceid":"x"}`:    "invoiceid",
		`{"invoiceid":"x","invoice_id":5}`:    "invoiceid",
		`{"invoice_id":5,"id":1.5}`:           "id",
		`{"id":[1,2]}`:                        "id",
		`{"invoice_id":99999999999999999999}`: "invoice_id",
	} {
		var v altInvoice
		err := Unmarshal([]byte(body), &v)
		var te *TypeError
		require.True(t, errors.As(err, &te), "%s: %v", body, err)
		assert.Equal(t, path, te.Path, body)
		assert.Equal(t, "int", te.Want, body)
	}
	var rows []altInvoice
	err := Unmarshal([]byte(`[{"id":1},{"invoiceid":"abc"}]`), &rows)
	var te *TypeError
	require.True(t, errors.As(err, &te), "%v", err)
	assert.Equal(t, "[1].invoiceid", te.Path)
	var se *SyntaxError
	assert.True(t, errors.As(Unmarshal([]byte(`{"invoice_id":5,"id":[1,}`), &altInvoice{}), &se))
}

// An alternative of a field the json tag hides is read all the same; a
// real field of the struct keeps its name against an alternative; a type
// with an IsZero method is empty as it says (a zero time here).
func TestAltNamesAndEmptiness(t *testing.T) {
	type row struct {
		Invoice int       `json:"-" loose:"alt=invoice,invoice_id"`
		ID      int       `json:"id"`
		Name    string    `json:"name" loose:"alt=id,title"`
		When    time.Time `json:"when" loose:"alt=date"`
	}
	var r row
	require.NoError(t, Unmarshal([]byte(`{"invoice_id":4,"invoice":3,"id":2,"title":"t","when":"0000-00-00","date":"2024-05-01"}`), &r))
	assert.Equal(t, 3, r.Invoice)
	assert.Equal(t, 2, r.ID)
	assert.Equal(t, "t", r.Name) // "id" is ID's name, not Name's alternative
	assert.Equal(t, time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), r.When)
}

// More groups than the state kept on the stack still work.
func TestAltManyGroups(t *testing.T) {
	type row struct {
		A int `loose:"alt=a1"`
		B int `loose:"alt=b1"`
		C int `loose:"alt=c1"`
		D int `loose:"alt=d1"`
		E int `loose:"alt=e1"`
		F int `loose:"alt=f1"`
		G int `loose:"alt=g1"`
		H int `loose:"alt=h1"`
		I int `loose:"alt=i1"`
		J int `loose:"alt=j1"`
	}
	var r row
	require.NoError(t, Unmarshal([]byte(`{"a1":1,"B":2,"j1":10,"J":0,"i1":9,"I":8}`), &r))
	assert.Equal(t, row{A: 1, B: 2, I: 8, J: 10}, r)
}

// Alternatives cost no allocation of their own when one name is sent: the
// field plan is cached and the per-object state lives on the stack.
func TestAltDoesNotAllocate(t *testing.T) {
	type plain struct {
		InvoiceID int    `json:"invoiceid"`
		Status    string `json:"status"`
	}
	body := []byte(`{"status":"Paid","invoiceid":"17"}`)
	var v altInvoice
	var p plain
	require.NoError(t, Unmarshal(body, &v))
	alt := testing.AllocsPerRun(200, func() {
		v = altInvoice{}
		_ = Unmarshal(body, &v)
	})
	base := testing.AllocsPerRun(200, func() {
		p = plain{}
		_ = Unmarshal(body, &p)
	})
	assert.Equal(t, base, alt)
	assert.Equal(t, altInvoice{InvoiceID: 17, Status: "Paid"}, v)
}

func BenchmarkUnmarshalAlt(b *testing.B) {
	body := []byte(`{"status":"Paid","id":"3","invoiceid":"17","total":"12.50"}`)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var v altInvoice
		if err := Unmarshal(body, &v); err != nil || v.InvoiceID != 17 {
			b.Fatal(v, err)
		}
	}
}

// FuzzTagged decodes any input into types using every tag option and a
// registered hook: no panic, and an error is a *SyntaxError or a
// *TypeError (the hook's own are TypeErrors too).
//
//	go test -run '^$' -fuzz '^FuzzTagged$' -fuzztime 60s ./internal/loose
func FuzzTagged(f *testing.F) {
	type row struct {
		ID     int               `json:"id" loose:"alt=ID2,code"`
		Name   string            `json:"name" loose:"bare alt=title"`
		Active bool              `json:"active" loose:"flag"`
		When   time.Time         `json:"when" loose:"alt=date"`
		Seen   bool              `json:"-" loose:"any=name,title"`
		Fields map[string]string `json:"-" loose:"all"`
		H      *hooked           `json:"h" loose:"alt=hh"`
	}
	type loc struct {
		Code string `json:"location" loose:"alt=code bare=scalar"`
		Rows []row  `json:"rows"`
	}
	for _, s := range []string{`{"id":"1","code":2,"title":"t","active":"yes","h":"a|b"}`, `["x",{"ID2":3},[1],null,true]`,
		`{"location":"","code":"NL","rows":{"0":"a","5":{"hh":"c|d"}}}`, `"NL"`, `{"id":{},"code":"x"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, v := range []any{new(row), new([]row), new(loc), new([]loc)} {
			err := Unmarshal(data, v)
			var se *SyntaxError
			var te *TypeError
			if err != nil && !errors.As(err, &se) && !errors.As(err, &te) {
				t.Fatalf("untyped error %T: %v", err, err)
			}
		}
	})
}
