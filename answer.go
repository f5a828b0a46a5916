package invapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/invapi-go/invapi/internal/envelope"
	"github.com/invapi-go/invapi/internal/loose"
	"github.com/invapi-go/invapi/internal/retry"
)

// interpret turns an HTTP answer into an envelope or a typed error; env is
// the answer already parsed (see unreadable), or nil.
func (c *Client) interpret(ep *endpoint, ans *answer, env *envelope.Envelope) (*envelope.Envelope, error) {
	var perr error
	if env == nil {
		env, perr = envelope.Parse(ans.body)
	}
	if env != nil && env.Warning != "" {
		c.logger.Warn("invapi answer carried a PHP warning", slog.String("module", ep.module),
			slog.String("action", ep.action), slog.String("warning", c.redactExcerpt(env.Warning, 200)))
	}
	switch {
	case ans.status == http.StatusUnauthorized || ans.status == http.StatusTooManyRequests:
		e := c.apiError(ep, env, ans)
		if e.kind == nil || ans.status == http.StatusTooManyRequests {
			e.kind = classify("", "", ans.status)
		}
		return nil, e
	case ans.status >= 300 && ans.status < 400:
		return nil, c.redirectError(ep, ans)
	case ans.status >= 500:
		if env != nil && env.Failed() {
			return nil, c.maybeUnknown(ep, c.apiError(ep, env, ans))
		}
		return nil, c.maybeUnknown(ep, c.responseError(ep, ans, "server error"))
	case perr != nil:
		if ans.status >= 400 {
			// A 4xx page (unknown module, forbidden) means the API refused the call.
			return nil, c.responseError(ep, ans, "not JSON")
		}
		return nil, c.maybeUnknown(ep, c.responseError(ep, ans, "not JSON"))
	case env.Failed():
		return nil, c.apiError(ep, env, ans)
	case ans.status >= 400:
		return nil, c.apiError(ep, env, ans)
	}
	return env, nil
}

// unreadable is the retry policy's judgement of a 2xx answer to a read,
// read whole: one with no JSON in it (an HTML page, a PHP fatal error,
// truncated JSON) is asked again, like after a 5xx, within the same budget
// and backoff, except the file a binary action answers (a 200 that does
// not look like JSON). A readable answer is parsed once, here.
func (c *Client) unreadable(ctx context.Context, resp *http.Response, body []byte) (bool, any) {
	if env, err := envelope.Parse(body); err == nil {
		return false, env
	}
	if ctx.Value(binaryKey{}) != nil && resp.StatusCode == http.StatusOK &&
		!looksJSON(&answer{contentType: mediaType(resp.Header.Get("Content-Type")), body: body}) {
		return false, nil
	}
	return true, nil
}

// binaryKey marks the context of a call whose successful answer may be a
// file (see getFile).
type binaryKey struct{}

func (c *Client) apiError(ep *endpoint, env *envelope.Envelope, ans *answer) *APIError {
	e := &APIError{Module: ep.module, Action: ep.action, HTTPStatus: ans.status}
	if env != nil {
		e.Code = c.redact(env.Code)
		if e.Code == "" && env.Result != "" && strings.HasPrefix(env.Result, "-") {
			e.Code = env.Result
		}
		e.Message = c.redact(env.Text())
		if e.Message == "" && env.Error != "" {
			e.Message = c.redact(env.Error)
		}
	}
	if ans.status == http.StatusTooManyRequests {
		e.RetryAfter, _ = retry.RetryAfter(&http.Response{Header: ans.header})
		if e.Message == "" {
			e.Message = "too many requests"
		}
	}
	e.kind = classify(e.Code, e.Message, ans.status)
	return e
}

func (c *Client) responseError(ep *endpoint, ans *answer, reason string) *ResponseError {
	return &ResponseError{Module: ep.module, Action: ep.action, HTTPStatus: ans.status,
		ContentType: ans.contentType, Reason: c.redact(reason), Excerpt: c.redactExcerpt(string(ans.body), 120)}
}

// redactExcerpt masks the secrets in the start of s, then shortens it to
// n bytes: masking first, so a secret cut in two never shows half. Only the
// first 64 KiB are looked at, far more than any masked excerpt needs.
func (c *Client) redactExcerpt(s string, n int) string {
	const window = 64 << 10
	if len(s) > window {
		s = s[:window]
	}
	return excerpt(c.redact(strings.TrimSpace(s)), n)
}

// decode puts the answer's data into out: a struct gets the top-level fields
// and then those of the nested container (data / result / message), so data
// is found wherever the API put it; a slice or map gets the container.
func (c *Client) decode(ep *endpoint, env *envelope.Envelope, out any) error {
	var err error
	switch kindOf(out) {
	case reflect.Struct:
		if env.IsObject() {
			err = loose.Unmarshal(env.Body, out)
		}
		if err == nil && env.Payload != nil && env.Payload[0] == '{' {
			err = loose.Unmarshal(env.Payload, out)
		}
		c.rememberAnswerSecrets(out)
	default:
		data := env.Payload
		if data == nil {
			data = env.Body
		}
		err = loose.Unmarshal(data, out)
	}
	if err != nil {
		return c.badAnswer(ep, env, "unexpected shape", err)
	}
	if rk, ok := out.(rawKeeper); ok {
		rk.keepBody(env)
	}
	return nil
}

// badAnswer reports an answer the API sent as a success but the SDK cannot
// read: reason says what was wrong, err (may be nil) the decoding error.
// For a read it is a *ResponseError. For a state change, which was carried
// out or not, it is an *OutcomeUnknownError around it with the settle hint,
// the object acted on and, when the answer held a callback key, the
// Operation to wait on. The text of err is masked before it is shortened,
// and the error kept is a masked copy, never the original.
func (c *Client) badAnswer(ep *endpoint, env *envelope.Envelope, reason string, err error) error {
	rerr := &ResponseError{Module: ep.module, Action: ep.action, HTTPStatus: http.StatusOK,
		ContentType: "application/json", Reason: c.redact(reason)}
	if err != nil {
		msg := c.maskedText(err)
		rerr.Reason += ": " + msg
		rerr.Err = &decodeError{msg: msg}
	}
	if ep.class.Idempotent() || env == nil {
		return rerr
	}
	unknown := &OutcomeUnknownError{Module: ep.module, Action: ep.action, Settle: ep.settle, Err: rerr, request: env.Request}
	if unknown.Settle != "" && env.Object != "" {
		unknown.Settle += " " + env.Object
	}
	if env.Callback != "" {
		kind := ep.async
		if kind == noCallback {
			kind = eqCallback
		}
		serverID := 0
		if id, ok := strings.CutPrefix(env.Object, "id="); ok {
			serverID, _ = strconv.Atoi(id)
		}
		unknown.Operation = c.poller.operation(env.Callback, kind, ep.module, ep.action, serverID, false)
	}
	return unknown
}

// maskedText is err's text with every secret masked, values masked before
// they are shortened (never half a token).
func (c *Client) maskedText(err error) string {
	var te *loose.TypeError
	if errors.As(err, &te) {
		return c.redact(te.Text(c.redact))
	}
	return c.redact(err.Error())
}

// decodeError is a decoding error's masked text: what ResponseError.Err
// holds, so that unwrapping never reaches a value with a secret in it.
type decodeError struct{ msg string }

func (e *decodeError) Error() string { return e.msg }

// readStateAnswer checks that the answer to a state change says it was
// accepted: a known result ("OK", "success"...), data, or a callback key
// of a usable shape. It puts the key found, wherever it was, in
// env.Callback.
func readStateAnswer(env *envelope.Envelope) error {
	key, err := callbackKey(env)
	env.Callback = key // what Parse read ("true" for true) is no key
	if err != nil {
		return err
	}
	result := strings.ToLower(strings.TrimSpace(env.Result))
	switch result {
	case "ok", "success", "true", "done", "not ready", "stage":
		return nil
	case "":
		if key != "" || saysSomething(env) {
			return nil
		}
		return errors.New("the answer is empty (no result, no callback key, no data)")
	}
	if n, err := strconv.ParseFloat(result, 64); err == nil && n >= 0 {
		return nil // 0 or 1, PHP style
	}
	return fmt.Errorf("unrecognized result %q", excerpt(env.Result, 40))
}

// saysSomething reports whether an answer without a result holds anything:
// a success code, data in its container, or a non-empty top-level field.
func saysSomething(env *envelope.Envelope) bool {
	switch strings.ToLower(env.Code) {
	case "0", "ok", "success":
		return true
	}
	if env.Payload != nil && !emptyJSON(env.Payload) {
		return true
	}
	if !env.IsObject() {
		return false
	}
	found := false
	_ = loose.FieldsRaw(env.Body, func(key, raw []byte) bool {
		switch string(key) {
		case "result", "code", "callback", "data":
			return true
		}
		found = !emptyJSON(raw)
		return !found
	})
	return found
}

// emptyJSON reports null, "", {}, [] (with any spacing) and false.
func emptyJSON(raw []byte) bool {
	raw = bytes.TrimSpace(raw)
	switch len(raw) {
	case 0:
		return true
	case 2:
		return string(raw) == `""` || string(raw) == "{}" || string(raw) == "[]"
	}
	if raw[0] == '{' || raw[0] == '[' {
		inner := bytes.TrimSpace(raw[1 : len(raw)-1])
		return len(inner) == 0
	}
	return string(raw) == "null" || string(raw) == "false"
}

// callbackKey finds the callback key of an answer: "callback" at top level
// or in the data container, as text or a number, or inside an object
// ({"key":"..."}) or a one-element list. It fails for a callback of any
// other shape (true, null, "", an object without a key): the action was
// accepted, but the key to follow it is lost.
func callbackKey(env *envelope.Envelope) (string, error) {
	raw := env.Field("callback")
	if raw == nil && env.Payload != nil && env.Payload[0] == '{' {
		_ = loose.FieldsRaw(env.Payload, func(key, v []byte) bool {
			if string(key) == "callback" {
				raw = v
				return false
			}
			return true
		})
	}
	if raw == nil {
		return "", nil
	}
	if key, ok := keyIn(raw, 0); ok {
		return key, nil
	}
	return "", fmt.Errorf("callback key of an unexpected shape: %s", excerpt(string(raw), 60))
}

// keyIn reads a callback key from raw (see callbackKey).
func keyIn(raw []byte, depth int) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || depth > 3 {
		return "", false
	}
	switch raw[0] {
	case '"', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		key, ok := loose.StringValue(raw)
		key = strings.TrimSpace(key)
		if !ok || !validKey(key) {
			return "", false
		}
		return key, true
	case '{':
		var found string
		for _, name := range []string{"key", "callback", "async_key", "callback_key", "id"} {
			_ = loose.FieldsRaw(raw, func(k, v []byte) bool {
				if string(k) == name {
					found, _ = keyIn(v, depth+1)
					return false
				}
				return true
			})
			if found != "" {
				return found, true
			}
		}
	case '[':
		var elems []json.RawMessage
		if json.Unmarshal(raw, &elems) == nil && len(elems) == 1 {
			return keyIn(elems[0], depth+1)
		}
	}
	return "", false
}

// validKey accepts a key of printable characters without spaces or
// quotes, at most 256 bytes: keys are hex strings.
func validKey(key string) bool {
	if key == "" || len(key) > 256 {
		return false
	}
	for i := 0; i < len(key); i++ {
		if c := key[i]; c <= ' ' || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' {
			return false
		}
	}
	return true
}
