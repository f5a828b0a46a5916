package invapi

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"

	"github.com/invapi-go/invapi/internal/loose"
)

// mediaType returns the media type of a Content-Type header, lower-cased,
// without parameters (mime.ParseMediaType allocates a map on every call).
func mediaType(header string) string {
	if i := strings.IndexByte(header, ';'); i >= 0 {
		header = header[:i]
	}
	return strings.ToLower(strings.TrimSpace(header))
}

func looksJSON(ans *answer) bool {
	if strings.Contains(ans.contentType, "json") {
		return true
	}
	b := bytes.TrimSpace(ans.body)
	return len(b) > 0 && (b[0] == '{' || b[0] == '[')
}

func kindOf(v any) reflect.Kind {
	t := reflect.TypeOf(v)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return reflect.Invalid
	}
	return t.Kind()
}

func isNilPointer(v any) bool {
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}

// excerpt shortens s to at most n bytes on a rune boundary.
func excerpt(s string, n int) string {
	s = strings.TrimSpace(s)
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }

// firstNonEmpty returns the first of v that is not empty.
func firstNonEmpty(v ...string) string { return firstNonZero(v...) }

// firstNonZero returns the first of v that is not the zero value: an answer
// that leaves out the id it is about takes the request's,
// out.ID = firstNonZero(out.ID, req.ID).
func firstNonZero[T comparable](v ...T) T {
	var zero T
	for _, x := range v {
		if x != zero {
			return x
		}
	}
	return zero
}

func itoa(n int) string { return strconv.Itoa(n) }

// rawText renders a loose JSON value as text: strings unquoted, numbers and
// booleans as written, objects and arrays as their JSON, null as "".
func rawText(raw []byte) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	switch raw[0] {
	case '{', '[':
		return string(raw)
	case 'n':
		return ""
	}
	if text, ok := loose.StringValue(raw); ok {
		return text
	}
	return string(raw)
}

// rawScalar is rawText for strings and numbers only: "" for objects,
// arrays, booleans and null, where a name or an address is expected.
func rawScalar(raw []byte) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	switch raw[0] {
	case '{', '[', 'n', 't', 'f':
		return ""
	}
	return rawText(raw)
}

// rawInt reads a loose JSON value as an integer: 12, "12", " 12 "; 0 when
// it is not one.
func rawInt(raw []byte) int {
	n, err := strconv.Atoi(strings.TrimSpace(rawText(raw)))
	if err != nil {
		return 0
	}
	return n
}

// rowValues reads a list whose rows are bare values or objects holding the
// value under the first of keys that gives one. read turns a raw value into
// a T, its zero value for none: such a row is left out.
func rowValues[T comparable](rows []json.RawMessage, read func([]byte) T, keys ...string) []T {
	var zero T
	out := make([]T, 0, len(rows))
	for _, row := range rows {
		if len(row) == 0 || row[0] != '{' {
			if v := read(row); v != zero {
				out = append(out, v)
			}
			continue
		}
		var obj map[string]json.RawMessage
		if json.Unmarshal(row, &obj) != nil {
			continue
		}
		for _, k := range keys {
			if v := read(obj[k]); v != zero {
				out = append(out, v)
				break
			}
		}
	}
	return out
}

// firstID returns the first positive id among raws (loose JSON values).
// An absent, null or empty value is skipped; one that is not a whole
// number in range is an error: after an order, a mangled invoice id is not
// the same as none.
func firstID(raws ...json.RawMessage) (int, error) {
	for _, raw := range raws {
		if emptyJSON(raw) {
			continue
		}
		var n int
		if err := loose.Unmarshal(raw, &n); err != nil {
			return 0, err
		}
		if n > 0 {
			return n, nil
		}
	}
	return 0, nil
}

// rawBool reads a loose JSON value as a flag: true, 1, "1", "yes", "on".
func rawBool(raw []byte) bool {
	switch strings.ToLower(strings.TrimSpace(rawText(raw))) {
	case "true", "1", "yes", "on", "y":
		return true
	}
	return false
}
