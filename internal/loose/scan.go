package loose

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// decoder walks data once; pos is the next byte to read.
type decoder struct {
	data []byte
	pos  int
}

func (d *decoder) syntax(msg string) error {
	return &SyntaxError{Offset: int64(d.pos), Msg: msg}
}

func (d *decoder) skipBOM() {
	if len(d.data) >= 3 && d.data[0] == 0xEF && d.data[1] == 0xBB && d.data[2] == 0xBF {
		d.pos = 3
	}
}

func (d *decoder) ws() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

func (d *decoder) expect(c byte) error {
	if d.pos >= len(d.data) {
		return d.syntax("unexpected end of input")
	}
	if d.data[d.pos] != c {
		return d.syntax("expected '" + string(c) + "'")
	}
	d.pos++
	return nil
}

// object walks the object whose '{' is at the cursor: for each member it
// reads the key and the colon, then calls fn with the raw key (between the
// quotes) and the cursor on the value, which fn must consume.
func (d *decoder) object(fn func(key []byte, escaped bool) error) error {
	if err := d.expect('{'); err != nil {
		return err
	}
	for first := true; ; first = false {
		if d.peek() == '}' {
			d.pos++
			return nil
		}
		if !first {
			if err := d.expect(','); err != nil {
				return err
			}
			d.ws()
		}
		key, escaped, err := d.stringBytes()
		if err != nil {
			return err
		}
		d.ws()
		if err := d.expect(':'); err != nil {
			return err
		}
		d.ws()
		if err := fn(key, escaped); err != nil {
			return err
		}
	}
}

// objectKey is a key as object hands it to fn, unescaped when escaped is
// set; a bad escape is a syntax error.
func (d *decoder) objectKey(raw []byte, escaped bool) ([]byte, error) {
	if !escaped {
		return raw, nil
	}
	k, ok := unescape(raw)
	if !ok {
		return nil, d.syntax("invalid escape in key")
	}
	return []byte(k), nil
}

// array walks the array whose '[' is at the cursor, calling fn with each
// element's index and the cursor on the element, which fn must consume.
func (d *decoder) array(fn func(i int) error) error {
	if err := d.expect('['); err != nil {
		return err
	}
	for i := 0; ; i++ {
		if d.peek() == ']' {
			d.pos++
			return nil
		}
		if i > 0 {
			if err := d.expect(','); err != nil {
				return err
			}
		}
		if err := fn(i); err != nil {
			return err
		}
	}
}

// peek returns the next non-space byte, or 0 at the end.
func (d *decoder) peek() byte {
	d.ws()
	if d.pos >= len(d.data) {
		return 0
	}
	return d.data[d.pos]
}

// skip validates and passes over one value.
func (d *decoder) skip(depth int) error {
	if depth > maxDepth {
		return d.syntax("nested too deeply")
	}
	switch c := d.peek(); {
	case c == 0:
		return d.syntax("unexpected end of input")
	case c == '{':
		return d.object(func([]byte, bool) error { return d.skip(depth + 1) })
	case c == '[':
		return d.array(func(int) error { return d.skip(depth + 1) })
	case c == '"':
		return d.skipString()
	case c == 't':
		return d.literal("true")
	case c == 'f':
		return d.literal("false")
	case c == 'n':
		return d.literal("null")
	case c == '-' || (c >= '0' && c <= '9'):
		_, err := d.number()
		return err
	}
	return d.syntax("unexpected character")
}

func (d *decoder) literal(lit string) error {
	if len(d.data)-d.pos < len(lit) || string(d.data[d.pos:d.pos+len(lit)]) != lit {
		return d.syntax("invalid literal")
	}
	d.pos += len(lit)
	return nil
}

// number passes over a JSON number and returns its text.
func (d *decoder) number() ([]byte, error) {
	start := d.pos
	if d.pos < len(d.data) && d.data[d.pos] == '-' {
		d.pos++
	}
	digits := func() int {
		n := 0
		for d.pos < len(d.data) && d.data[d.pos] >= '0' && d.data[d.pos] <= '9' {
			d.pos++
			n++
		}
		return n
	}
	intStart := d.pos
	if digits() == 0 || (d.data[intStart] == '0' && d.pos-intStart > 1) {
		return nil, d.syntax("invalid number")
	}
	if d.pos < len(d.data) && d.data[d.pos] == '.' {
		d.pos++
		if digits() == 0 {
			return nil, d.syntax("invalid number")
		}
	}
	if d.pos < len(d.data) && (d.data[d.pos] == 'e' || d.data[d.pos] == 'E') {
		d.pos++
		if d.pos < len(d.data) && (d.data[d.pos] == '+' || d.data[d.pos] == '-') {
			d.pos++
		}
		if digits() == 0 {
			return nil, d.syntax("invalid number")
		}
	}
	return d.data[start:d.pos], nil
}

func (d *decoder) skipString() error {
	_, _, err := d.stringBytes()
	return err
}

// stringBytes passes over a string; it returns its raw content (between the
// quotes) and whether it holds escapes.
func (d *decoder) stringBytes() (raw []byte, escaped bool, err error) {
	if d.pos >= len(d.data) || d.data[d.pos] != '"' {
		return nil, false, d.syntax("expected a string")
	}
	d.pos++
	start := d.pos
	for d.pos < len(d.data) {
		switch c := d.data[d.pos]; {
		case c == '"':
			raw = d.data[start:d.pos]
			d.pos++
			return raw, escaped, nil
		case c == '\\':
			escaped = true
			d.pos += 2
		case c < 0x20:
			return nil, false, d.syntax("control character in string")
		default:
			d.pos++
		}
	}
	return nil, false, d.syntax("unterminated string")
}

// str reads a string value, unescaped.
func (d *decoder) str() (string, error) {
	raw, escaped, err := d.stringBytes()
	if err != nil {
		return "", err
	}
	if !escaped && utf8.Valid(raw) {
		return string(raw), nil
	}
	s, ok := unescape(raw)
	if !ok {
		return "", d.syntax("invalid escape in string")
	}
	return s, nil
}

// unescape decodes JSON string content; invalid UTF-8 becomes U+FFFD, as in
// encoding/json.
func unescape(raw []byte) (string, bool) {
	out := make([]byte, 0, len(raw))
	for i := 0; i < len(raw); {
		c := raw[i]
		if c != '\\' {
			if c < utf8.RuneSelf {
				out = append(out, c)
				i++
				continue
			}
			r, size := utf8.DecodeRune(raw[i:])
			out = utf8.AppendRune(out, r)
			i += size
			continue
		}
		if i+1 >= len(raw) {
			return "", false
		}
		switch raw[i+1] {
		case '"', '\\', '/':
			out = append(out, raw[i+1])
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := hex4(raw[i+2:])
			if !ok {
				return "", false
			}
			i += 6
			if utf16.IsSurrogate(r) {
				if i+6 <= len(raw) && raw[i] == '\\' && raw[i+1] == 'u' {
					if r2, ok := hex4(raw[i+2:]); ok {
						if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
							i += 6
							out = utf8.AppendRune(out, dec)
							continue
						}
					}
				}
				r = utf8.RuneError
			}
			out = utf8.AppendRune(out, r)
			continue
		default:
			return "", false
		}
		i += 2
	}
	return string(out), true
}

func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	n, err := strconv.ParseUint(string(b[:4]), 16, 16)
	return rune(n), err == nil
}
