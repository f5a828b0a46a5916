package invapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-querystring/query"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMoneyParse(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in    string
		units int64
		str   string
	}{
		{"0", 0, "0.00"},
		{"120", 1200000, "120.00"},
		{"120.5", 1205000, "120.50"},
		{"120.50", 1205000, "120.50"},
		{"-3.25", -32500, "-3.25"},
		{"+0.1234", 1234, "0.1234"},
		{".5", 5000, "0.50"},
		{"5.", 50000, "5.00"},
		{"1.23400", 12340, "1.234"},
		{"0.0001", 1, "0.0001"},
		{"-0.00", 0, "0.00"},
		{"007.10", 71000, "7.10"},
		{" 12.00 ", 120000, "12.00"},
		{"1,234.50", 12345000, "1234.50"},
		{"12,345,678", 123456780000, "12345678.00"},
		{"1.2e3", 12000000, "1200.00"},
		{"1E-4", 1, "0.0001"},
		{"25e-2", 2500, "0.25"},
		{"922337203685477.5807", math.MaxInt64, "922337203685477.5807"},
		{"-922337203685477.5808", math.MinInt64, "-922337203685477.5808"},
	}
	for _, c := range cases {
		m, err := ParseMoney(c.in)
		require.NoError(t, err, c.in)
		assert.Equal(t, c.units, m.Units(), c.in)
		assert.Equal(t, c.str, m.String(), c.in)
	}
}

func TestMoneyParseRefused(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"", " ", "-", "+", ".", "abc", "12a", "1.2.3", "1,5", "12,34", "1,2345", ",123", "1,,234",
		"1.23456", "0.00001", "1e", "1e+", "1e99", "€12", "12 EUR", "0x10", "NaN", "Inf",
		"922337203685477.5808", "-922337203685477.5809", "99999999999999999999",
		"1 000", "--1", "+-1",
	} {
		_, err := ParseMoney(in)
		require.Error(t, err, "%q", in)
		assert.ErrorIs(t, err, ErrMoneySyntax, in)
	}
}

func TestMoneyJSON(t *testing.T) {
	t.Parallel()
	var v struct {
		A, B, C, D, E, F, G, H Money
	}
	// A number is read from its literal text: 0.1 stays exactly 0.10.
	body := `{"A":120.5,"B":"1,234.50","C":"","D":null,"E":0.1,"F":"-5","G":1e2,"H":false}`
	require.NoError(t, json.Unmarshal([]byte(body), &v))
	assert.Equal(t, "120.50", v.A.String())
	assert.Equal(t, "1234.50", v.B.String())
	assert.True(t, v.C.IsZero())
	assert.True(t, v.D.IsZero())
	assert.Equal(t, int64(1000), v.E.Units())
	assert.Equal(t, "-5.00", v.F.String())
	assert.Equal(t, "100.00", v.G.String())
	assert.True(t, v.H.IsZero())

	out, err := json.Marshal(struct{ P Money }{MustParseMoney("120.5")})
	require.NoError(t, err)
	assert.JSONEq(t, `{"P":"120.50"}`, string(out))

	for _, bad := range []string{`{"A":"x"}`, `{"A":true}`, `{"A":[1]}`, `{"A":{}}`, `{"A":1.23456}`, `{"A":"1,5"}`} {
		var w struct{ A Money }
		assert.Error(t, json.Unmarshal([]byte(bad), &w), bad)
	}
	// A JSON number is not grouped.
	var m Money
	assert.Error(t, m.UnmarshalJSON([]byte(`1,234`)))
}

func TestMoneyArithmetic(t *testing.T) {
	t.Parallel()
	a, b := MustParseMoney("0.10"), MustParseMoney("0.20")
	assert.Equal(t, "0.30", a.Add(b).String())
	assert.Equal(t, "-0.10", a.Sub(b).String())
	assert.Equal(t, -1, a.Cmp(b))
	assert.Equal(t, 1, b.Cmp(a))
	assert.Equal(t, 0, a.Cmp(MustParseMoney("0.1")))
	assert.True(t, a.Equal(MustParseMoney(".1")))
	assert.True(t, a.Sub(b).IsNegative())
	assert.False(t, a.IsNegative())
	assert.True(t, a.IsPositive())
	assert.True(t, Money{}.IsZero())
	assert.Equal(t, "-0.10", a.Neg().String())
	assert.Equal(t, "360.00", MustParseMoney("120").Mul(3).String())
	assert.Equal(t, "-1.50", MustParseMoney("0.5").Mul(-3).String())
	assert.Equal(t, "120.50", MoneyFromCents(12050).String())
	assert.Equal(t, "50.00", MoneyFromInt(50).String())
	cents, exact := MustParseMoney("1.2345").Cents()
	assert.Equal(t, int64(123), cents)
	assert.False(t, exact)
	cents, exact = MustParseMoney("-7.25").Cents()
	assert.Equal(t, int64(-725), cents)
	assert.True(t, exact)
	assert.Panics(t, func() { MustParseMoney("922337203685477").Add(MustParseMoney("1")) })
	assert.Panics(t, func() { MustParseMoney("922337203685477").Mul(2) })
	assert.Panics(t, func() { MustParseMoney("x") })
	assert.Equal(t, `invapi.MustParseMoney("1.50")`, fmt.Sprintf("%#v", MustParseMoney("1.5")))
	assert.Equal(t, "1.50", fmt.Sprintf("%v", MustParseMoney("1.5")))
}

func TestMoneyForm(t *testing.T) {
	t.Parallel()
	type req struct {
		Amount Money  `url:"amount"`
		Opt    Money  `url:"opt,omitempty"`
		Ptr    *Money `url:"ptr,omitempty"`
	}
	zero := Money{}
	v, err := query.Values(req{Amount: MustParseMoney("120.5"), Ptr: &zero})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"amount": {"120.50"}, "ptr": {"0.00"}}, v)
}

func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"0", "120.50", "-3.25", "1,234.50", "1e3", ".5", "0.0001", "922337203685477.5807", "1,5", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMoney(s)
		if err != nil {
			if !errors.Is(err, ErrMoneySyntax) {
				t.Fatalf("ParseMoney(%q) error %v is not ErrMoneySyntax", s, err)
			}
			return
		}
		// The canonical text reads back to the same amount.
		back, err := ParseMoney(m.String())
		if err != nil || back != m {
			t.Fatalf("ParseMoney(%q) = %s, which reads back as %v, %v", s, m, back, err)
		}
		// So does its JSON, as a string and as a number.
		js, _ := m.MarshalJSON()
		var viaJSON Money
		if err := json.Unmarshal(js, &viaJSON); err != nil || viaJSON != m {
			t.Fatalf("JSON %s of %q reads back as %v, %v", js, s, viaJSON, err)
		}
		var viaNumber Money
		if err := viaNumber.UnmarshalJSON([]byte(m.String())); err != nil || viaNumber != m {
			t.Fatalf("JSON number %s reads back as %v, %v", m, viaNumber, err)
		}
		if strings.Count(m.String(), ".") != 1 {
			t.Fatalf("String %q has no single point", m.String())
		}
	})
}
