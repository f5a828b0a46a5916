// Package envelope reads the outer shape of an InvAPI answer: whether it
// succeeded, its code and message, its callback key, and where its data sits.
//
// InvAPI answers in many shapes (see DESIGN.md): result as a string, number or
// object; code as a number or string; the message under "message" or "error";
// data at top level, under "result", "data" or "message", or with no envelope.
// Parse absorbs all of them so the rest of the SDK deals with one structure.
package envelope

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/invapi-go/invapi/internal/loose"
)

// ErrNotJSON is returned by Parse for a body that holds no JSON object or
// array, even after PHP warnings around it are stripped.
var ErrNotJSON = errors.New("body is not JSON")

// Envelope is the outer shape of one answer.
type Envelope struct {
	Result      string // "OK", "success", "Not ready", "Stage", "Error", "-1"...; "" if absent or not a scalar
	Code        string // "-1", "-2", "NO_APPROPRIATE_SERVERS"...; "" if absent
	Message     string // "message" when it is a scalar
	Error       string // "error" when it is a scalar
	Description string // "description"
	Callback    string // async key of an action ("callback")
	Key         string // key echoed by a callback check ("key")
	Scope       string // callback progress or result text ("scope"), when a scalar
	Status      string // "status", when a scalar (some answers report errors there)

	// Payload is the nested data container (the first of "data", "result",
	// "message" whose value is an object or array), or nil.
	Payload json.RawMessage
	// Body is the JSON part of the answer (warnings stripped).
	Body json.RawMessage
	// Warning is any PHP warning or notice text that surrounded the JSON.
	Warning string
	// Object names what the request acted on ("id=12345"), for the settle
	// hint of an unknown outcome. Parse leaves it empty; the SDK's request
	// path sets it for state changes.
	Object string
	// Request holds the non-secret form fields of a state change, so an
	// unknown outcome can be settled by reading. Parse leaves it empty.
	Request url.Values
}

// Parse reads body. It fails with ErrNotJSON when no JSON can be found.
// It walks the top level once, without building a map: the many fields the
// SDK does not look at here cost nothing.
func Parse(body []byte) (*Envelope, error) {
	b := bytes.TrimSpace(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")))
	if len(b) > 0 && b[0] == '{' {
		env := &Envelope{Body: b}
		if env.scan() == nil {
			return env, nil
		}
	}
	js, warning, ok := extractJSON(b)
	if !ok {
		return nil, ErrNotJSON
	}
	env := &Envelope{Body: js, Warning: warning}
	if js[0] == '[' {
		env.Payload = js
		return env, nil
	}
	if env.scan() != nil {
		return nil, ErrNotJSON
	}
	return env, nil
}

// scan reads the top-level fields of an object body.
func (e *Envelope) scan() error {
	var data, result, message json.RawMessage
	err := loose.FieldsRaw(e.Body, func(key, raw []byte) bool {
		switch string(key) {
		case "result":
			e.Result, result = scalar(raw), raw
		case "code":
			e.Code = scalar(raw)
		case "message":
			e.Message, message = scalar(raw), raw
		case "error":
			e.Error = scalar(raw)
		case "description":
			e.Description = scalar(raw)
		case "callback":
			e.Callback = scalar(raw)
		case "key":
			e.Key = scalar(raw)
		case "scope":
			e.Scope = scalar(raw)
		case "status":
			e.Status = scalar(raw)
		case "data":
			data = raw
		}
		return true
	})
	if err != nil {
		return err
	}
	for _, raw := range []json.RawMessage{data, result, message} {
		if isContainer(raw) {
			e.Payload = raw
			break
		}
	}
	return nil
}

// Field returns the raw value of a top-level field, or nil.
func (e *Envelope) Field(name string) json.RawMessage {
	var out json.RawMessage
	_ = loose.FieldsRaw(e.Body, func(key, raw []byte) bool {
		if string(key) == name {
			out = raw
			return false
		}
		return true
	})
	return out
}

// TopFields returns every top-level field (nil for a bare array). It
// allocates a map: prefer Field for one or two lookups.
func (e *Envelope) TopFields() map[string]json.RawMessage {
	if !e.IsObject() {
		return nil
	}
	m := map[string]json.RawMessage{}
	_ = loose.Fields(e.Body, func(key string, raw []byte) bool {
		m[key] = raw
		return true
	})
	return m
}

// IsObject reports whether the body is a JSON object (not a bare array).
func (e *Envelope) IsObject() bool { return len(e.Body) > 0 && e.Body[0] == '{' }

// Failed reports whether the answer is a business error.
func (e *Envelope) Failed() bool {
	switch strings.ToLower(e.Result) {
	case "ok", "success", "not ready", "stage", "true":
		return codeFails(e.Code)
	case "error", "fail", "failed", "failure", "false":
		return true
	}
	if n, err := strconv.ParseFloat(e.Result, 64); err == nil && n < 0 {
		return true
	}
	if codeFails(e.Code) {
		return true
	}
	// No recognisable result: an "error" field or an error status decides.
	if e.Result == "" {
		switch strings.ToLower(e.Status) {
		case "error", "fail", "failed", "failure":
			return true
		}
	}
	return e.Result == "" && e.Error != "" && e.Payload == nil
}

// Text is the most useful human-readable error text of the answer.
func (e *Envelope) Text() string {
	for _, s := range []string{e.Message, e.Error, e.Description} {
		if s != "" && s != e.Code {
			return s
		}
	}
	if e.Error != "" {
		return e.Error
	}
	return e.Result
}

// codeFails: code 0 / "0" / "OK" is success; negative numbers and symbolic
// codes like NO_APPROPRIATE_SERVERS are failures.
func codeFails(code string) bool {
	if code == "" {
		return false
	}
	if n, err := strconv.ParseFloat(code, 64); err == nil {
		return n < 0
	}
	switch strings.ToLower(code) {
	case "ok", "success":
		return false
	}
	return true
}

func scalar(raw json.RawMessage) string {
	text, _ := loose.StringValue(raw)
	return text
}

func isContainer(raw json.RawMessage) bool {
	return len(raw) > 0 && (raw[0] == '{' || raw[0] == '[')
}

// extractJSON finds the JSON value in body, stripping a UTF-8 BOM, whitespace
// and PHP warnings printed before or after it. It never accepts a body that
// is HTML or text only.
func extractJSON(b []byte) (js []byte, warning string, ok bool) {
	if len(b) == 0 {
		return nil, "", false
	}
	if b[0] == '{' || b[0] == '[' {
		if json.Valid(b) {
			return b, "", true
		}
		// JSON followed by a PHP notice: take the first complete value.
		if v, rest, ok := firstValue(b); ok && looksLikePHPMessage(rest) {
			return v, strings.TrimSpace(string(rest)), true
		}
		return nil, "", false
	}
	if !looksLikePHPMessage(b) {
		return nil, "", false
	}
	// PHP warnings before the JSON: try each line or tag end that opens a value.
	for i := 1; i < len(b); i++ {
		if (b[i] != '{' && b[i] != '[') || (b[i-1] != '\n' && b[i-1] != '>') {
			continue
		}
		if v, rest, ok := firstValue(b[i:]); ok && (len(bytes.TrimSpace(rest)) == 0 || looksLikePHPMessage(rest)) {
			return v, strings.TrimSpace(string(b[:i])), true
		}
	}
	return nil, "", false
}

func firstValue(b []byte) (value, rest []byte, ok bool) {
	dec := json.NewDecoder(bytes.NewReader(b))
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil || len(raw) == 0 || (raw[0] != '{' && raw[0] != '[') {
		return nil, nil, false
	}
	off := dec.InputOffset()
	return b[:off], b[off:], true
}

func looksLikePHPMessage(b []byte) bool {
	for _, marker := range []string{"Warning</b>", "Notice</b>", "Deprecated</b>", "PHP Warning", "PHP Notice", "PHP Deprecated", "Warning:", "Notice:", "Deprecated:"} {
		if bytes.Contains(b, []byte(marker)) {
			return true
		}
	}
	return false
}
