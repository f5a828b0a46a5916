package loose

import (
	"reflect"
	"strconv"
	"strings"
)

func (d *decoder) numberValue(v reflect.Value) error {
	if c := d.peek(); c == '{' || c == '[' {
		return d.mismatch(v, "")
	}
	var text string
	var kind byte
	var err error
	if c := d.peek(); c == '-' || (c >= '0' && c <= '9') {
		var b []byte
		b, err = d.number()
		text, kind = string(b), '0'
	} else {
		text, kind, err = d.scalar()
	}
	if err != nil {
		return err
	}
	switch kind {
	case 'n':
		v.SetZero()
		return nil
	case 't':
		text = "1"
	case 'f':
		text = "0"
	case '"':
		text = strings.TrimSpace(text)
		if text == "" {
			v.SetZero()
			return nil
		}
	}
	return setNumber(v, text, d)
}

func setNumber(v reflect.Value, text string, d *decoder) error {
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		f, err := strconv.ParseFloat(text, v.Type().Bits())
		if err != nil {
			return d.typeErr(v, "number", text)
		}
		v.SetFloat(f)
		return nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := parseInt(text)
		if !ok || v.OverflowInt(n) {
			return d.intErr(v, text)
		}
		v.SetInt(n)
		return nil
	default:
		n, ok := parseUint(text)
		if !ok || v.OverflowUint(n) {
			return d.intErr(v, text)
		}
		v.SetUint(n)
		return nil
	}
}

// intErr reports text that is not an integer of v's type: out of range,
// with a fraction, or not a number at all.
func (d *decoder) intErr(v reflect.Value, text string) error {
	if _, ok := integerDigits(text); ok {
		return d.typeErr(v, "out-of-range number", text)
	}
	return d.typeErr(v, "number", text)
}

// parseInt reads a decimal integer exactly: "12", "-12", "+12", and the
// exponent and fraction forms PHP may write for whole numbers ("1e3",
// "1.5e2", "12.0"). A fraction, a value outside int64, hex, NaN or Inf is
// refused: a float64 detour would round 9223372036854775808 into a
// negative id.
func parseInt(text string) (int64, bool) {
	digits, ok := integerDigits(text)
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	return n, err == nil
}

// parseUint is parseInt for unsigned values; "-0" is 0.
func parseUint(text string) (uint64, bool) {
	digits, ok := integerDigits(text)
	if !ok {
		return 0, false
	}
	if digits == "-0" {
		return 0, true
	}
	n, err := strconv.ParseUint(digits, 10, 64)
	return n, err == nil
}

// integerDigits rewrites a decimal number whose value is whole as plain
// digits with an optional leading '-': "1.5e2" → "150", "-1e0" → "-1",
// "+7" → "7". It reports false for anything else, including a fraction
// ("1.5"), and for more than 40 digits (far outside any 64-bit integer; the
// bound keeps "1e999999999" from allocating).
func integerDigits(text string) (string, bool) {
	s := text
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	mant, exp := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant = s[:i]
		e, err := strconv.Atoi(s[i+1:])
		if err != nil || s[i+1:] == "" || s[i+1] == '_' {
			return "", false
		}
		exp = e
	}
	intPart, frac := mant, ""
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		intPart, frac = mant[:i], mant[i+1:]
	}
	if intPart == "" && frac == "" {
		return "", false
	}
	for _, part := range []string{intPart, frac} {
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return "", false
			}
		}
	}
	all := strings.TrimLeft(intPart+frac, "0")
	if all == "" {
		if neg {
			return "-0", true
		}
		return "0", true
	}
	// value = all × 10^shift, once leading zeros are gone
	shift := exp - len(frac)
	trimmed := strings.TrimRight(all, "0")
	shift += len(all) - len(trimmed)
	all = trimmed
	if shift < 0 {
		return "", false // a fraction: the last digits are not zeros
	}
	const maxDigits = 40
	if shift > maxDigits || len(all)+shift > maxDigits {
		if neg {
			return "-" + strings.Repeat("9", maxDigits), true
		}
		return strings.Repeat("9", maxDigits), true // whole, and out of any range
	}
	if shift > 0 {
		all += strings.Repeat("0", shift)
	}
	if neg {
		all = "-" + all
	}
	return all, true
}
