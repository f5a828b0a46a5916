package invapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"net/url"
	"strconv"
	"strings"
)

// moneyScale is the number of Money units in one currency unit: amounts keep
// four decimal places, enough for WHMCS prices (stored as decimal(16,2)) and
// for per-core license prices quoted with more precision.
const (
	moneyDecimals       = 4
	moneyScale    int64 = 10000
)

// Money is an exact decimal amount of money, such as a price, a balance or an
// invoice total. It never goes through float64: it is kept as an integer
// number of ten-thousandths, so "0.10" + "0.20" is exactly "0.30".
//
// The zero value is 0.00. Money has no currency: the API sends the currency
// beside the amount (or implies the account's), and the result types keep it
// there.
//
// Reading: the API sends amounts as JSON numbers (read from their literal
// text, never as float64), as quoted strings ("120.50"), as "" or null (read
// as zero). ParseMoney documents the accepted text. Writing: String gives the
// canonical form ("120.50"), used for JSON and for form fields.
type Money struct {
	units int64 // ten-thousandths of the currency unit
}

// MoneyFromCents returns the amount of cents hundredths of a currency unit:
// MoneyFromCents(12050) is 120.50.
func MoneyFromCents(cents int64) Money {
	if cents > math.MaxInt64/100 || cents < math.MinInt64/100 {
		panic("invapi: MoneyFromCents: amount out of range")
	}
	return Money{units: cents * 100}
}

// MoneyFromInt returns a whole amount: MoneyFromInt(50) is 50.00.
func MoneyFromInt(n int64) Money {
	if n > math.MaxInt64/moneyScale || n < math.MinInt64/moneyScale {
		panic("invapi: MoneyFromInt: amount out of range")
	}
	return Money{units: n * moneyScale}
}

// MustParseMoney is ParseMoney for constants in code; it panics on bad text.
func MustParseMoney(s string) Money {
	m, err := ParseMoney(s)
	if err != nil {
		panic(err)
	}
	return m
}

// ErrMoneySyntax is returned (wrapped) by ParseMoney for text that is not an
// amount.
var ErrMoneySyntax = errors.New("invapi: not a money amount")

// ParseMoney reads a decimal amount. Accepted:
//
//   - an optional sign, digits, an optional '.' and decimals: "120", "120.5",
//     "-3.25", "+0.1234", ".5";
//   - an exponent, as JSON numbers may carry: "1.2e3" is 1200.00;
//   - comma thousands separators in well-formed groups of three: "1,234.50",
//     "12,345,678"; a comma in any other place ("1,5", "12,34") is refused,
//     because it may be a decimal comma and guessing would misread money;
//   - spaces around the text.
//
// At most four decimal places are kept; further digits must be zeros
// ("1.23400" is fine, "1.23456" is an error rather than a silent rounding).
// "" is an error here (the JSON decoder reads "" as zero).
func ParseMoney(s string) (Money, error) {
	m, err := parseMoney(strings.TrimSpace(s), true)
	if err != nil {
		return Money{}, fmt.Errorf("%w %q: %s", ErrMoneySyntax, excerpt(s, 40), err.Error())
	}
	return m, nil
}

// parseMoney parses s; commas are allowed as thousands separators when
// grouping is set.
func parseMoney(s string, grouping bool) (Money, error) {
	if s == "" {
		return Money{}, errors.New("empty")
	}
	neg := false
	switch s[0] {
	case '-':
		neg = true
		s = s[1:]
	case '+':
		s = s[1:]
	}
	mant, exp, hasExp := s, "", false
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant, exp, hasExp = s[:i], s[i+1:], true
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	if strings.Contains(intPart, ",") {
		if !grouping {
			return Money{}, errors.New("unexpected ','")
		}
		var err error
		if intPart, err = ungroup(intPart); err != nil {
			return Money{}, err
		}
	}
	if intPart == "" && frac == "" {
		return Money{}, errors.New("no digits")
	}
	if !allDigits(intPart) || !allDigits(frac) {
		return Money{}, errors.New("unexpected character")
	}
	shift := 0
	if hasExp {
		e, err := strconv.Atoi(exp)
		if err != nil {
			return Money{}, errors.New("bad exponent")
		}
		if e > 30 || e < -30 {
			return Money{}, errors.New("exponent out of range")
		}
		shift = e
	}
	// digits is the amount without its point; point is the number of digits
	// of digits that stand before the decimal point.
	digits := intPart + frac
	point := len(intPart) + shift
	// Keep moneyDecimals decimals: everything after must be zeros.
	keep := point + moneyDecimals
	switch {
	case keep < 0:
		if strings.Trim(digits, "0") != "" {
			return Money{}, errors.New("more than 4 decimal places")
		}
		digits = ""
	case keep < len(digits):
		if strings.Trim(digits[keep:], "0") != "" {
			return Money{}, errors.New("more than 4 decimal places")
		}
		digits = digits[:keep]
	default:
		digits += strings.Repeat("0", keep-len(digits))
	}
	digits = strings.TrimLeft(digits, "0")
	if digits == "" {
		return Money{}, nil
	}
	if len(digits) > 19 {
		return Money{}, errors.New("amount out of range")
	}
	u, err := strconv.ParseUint(digits, 10, 64)
	if err != nil {
		return Money{}, errors.New("amount out of range")
	}
	if neg {
		if u > 1<<63 {
			return Money{}, errors.New("amount out of range")
		}
		return Money{units: int64(-u)}, nil //nolint:gosec // bounded above
	}
	if u > math.MaxInt64 {
		return Money{}, errors.New("amount out of range")
	}
	return Money{units: int64(u)}, nil
}

// ungroup removes thousands separators from s, which must be 1 to 3 digits
// followed by groups of exactly three.
func ungroup(s string) (string, error) {
	groups := strings.Split(s, ",")
	if len(groups[0]) < 1 || len(groups[0]) > 3 {
		return "", errors.New("misplaced ','")
	}
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return "", errors.New("misplaced ','")
		}
	}
	return strings.Join(groups, ""), nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// String returns the canonical text of the amount: at least two decimals,
// more only when they are not zero ("120.50", "-3.00", "0.1234").
func (m Money) String() string {
	u := uint64(m.units) //nolint:gosec // two's complement handled below
	neg := m.units < 0
	if neg {
		u = -u
	}
	whole, frac := u/uint64(moneyScale), u%uint64(moneyScale)
	fs := fmt.Sprintf("%04d", frac)
	fs = strings.TrimRight(fs, "0")
	for len(fs) < 2 {
		fs += "0"
	}
	s := strconv.FormatUint(whole, 10) + "." + fs
	if neg {
		return "-" + s
	}
	return s
}

// GoString shows the amount in Go syntax.
func (m Money) GoString() string { return "invapi.MustParseMoney(\"" + m.String() + "\")" }

// Cents returns the amount in hundredths and whether that is exact (false
// when the amount has a third or fourth decimal, which is then truncated
// toward zero).
func (m Money) Cents() (cents int64, exact bool) {
	return m.units / 100, m.units%100 == 0
}

// Units returns the amount in ten-thousandths of the currency unit, the
// integer Money is kept as.
func (m Money) Units() int64 { return m.units }

// Add returns m + o. It panics if the sum overflows (about ±922 trillion).
func (m Money) Add(o Money) Money {
	s, ok := addInt64(m.units, o.units)
	if !ok {
		panic("invapi: Money.Add overflows")
	}
	return Money{units: s}
}

// Sub returns m - o. It panics if the difference overflows.
func (m Money) Sub(o Money) Money {
	if o.units == math.MinInt64 {
		panic("invapi: Money.Sub overflows")
	}
	return m.Add(Money{units: -o.units})
}

// Mul returns m × n, for a quantity (n months, n licenses). It panics on
// overflow.
func (m Money) Mul(n int64) Money {
	hi, lo := bits.Mul64(absU(m.units), absU(n))
	if hi != 0 || lo > math.MaxInt64 {
		panic("invapi: Money.Mul overflows")
	}
	p := int64(lo) //nolint:gosec // bounded above
	if (m.units < 0) != (n < 0) {
		p = -p
	}
	return Money{units: p}
}

// Neg returns -m.
func (m Money) Neg() Money { return Money{}.Sub(m) }

// Cmp compares m and o: -1 if m < o, 0 if equal, +1 if m > o.
func (m Money) Cmp(o Money) int {
	switch {
	case m.units < o.units:
		return -1
	case m.units > o.units:
		return 1
	}
	return 0
}

// Equal reports whether m and o are the same amount.
func (m Money) Equal(o Money) bool { return m.units == o.units }

// IsZero reports whether the amount is 0. Request fields tagged omitempty
// leave a zero amount out of the form.
func (m Money) IsZero() bool { return m.units == 0 }

// IsNegative reports whether the amount is below 0.
func (m Money) IsNegative() bool { return m.units < 0 }

// IsPositive reports whether the amount is above 0.
func (m Money) IsPositive() bool { return m.units > 0 }

// MarshalJSON writes the amount as a JSON string in canonical form
// ("120.50"), so that no reader turns it into a float.
func (m Money) MarshalJSON() ([]byte, error) { return []byte(`"` + m.String() + `"`), nil }

// MarshalText writes the canonical form.
func (m Money) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText reads the text ParseMoney accepts; empty text is zero.
func (m *Money) UnmarshalText(b []byte) error {
	if len(bytes.TrimSpace(b)) == 0 {
		*m = Money{}
		return nil
	}
	v, err := ParseMoney(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// UnmarshalJSON reads a JSON number from its literal text (never through
// float64), a string holding what ParseMoney accepts, or "" / null as zero.
// false is read as zero too (PHP's way of saying "none").
func (m *Money) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0:
		return errors.New("invapi: Money: empty JSON value")
	case string(b) == "null" || string(b) == "false":
		*m = Money{}
		return nil
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("invapi: Money: %w", err)
		}
		return m.UnmarshalText([]byte(s))
	case b[0] == '-' || (b[0] >= '0' && b[0] <= '9'):
		v, err := parseMoney(string(b), false)
		if err != nil {
			return fmt.Errorf("%w %q: %s", ErrMoneySyntax, excerpt(string(b), 40), err.Error())
		}
		*m = v
		return nil
	}
	return fmt.Errorf("%w: JSON %s", ErrMoneySyntax, excerpt(string(b), 40))
}

// EncodeValues implements go-querystring's Encoder: a request field of type
// Money is sent in canonical form (amount=120.50).
func (m Money) EncodeValues(key string, v *url.Values) error {
	v.Set(key, m.String())
	return nil
}

func addInt64(a, b int64) (int64, bool) {
	s := a + b
	if (b > 0 && s < a) || (b < 0 && s > a) {
		return 0, false
	}
	return s, true
}

func absU(n int64) uint64 {
	if n < 0 {
		return uint64(-(n + 1)) + 1 //nolint:gosec // handles MinInt64
	}
	return uint64(n) //nolint:gosec // n >= 0
}
