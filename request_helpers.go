package invapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"mime"
	"net/url"
	"reflect"
	"strconv"
	"sync"

	"github.com/invapi-go/invapi/internal/envelope"
	"github.com/invapi-go/invapi/internal/loose"
)

// The request helpers: every method of a module file is one of these calls.
// Each goes through call (validation, the nil-request guard, form
// encoding, session, PIN, retries by class, one re-login, error
// classification, tolerant decoding), so module files declare endpoints
// and types and never read the wire's envelope themselves.
//
//	get[T]      the answer decoded into a T (data found wherever it sits)
//	getOne[T]   one object under a key, or a one-row list's row
//	getList[T]  a list under a key, or the container
//	getRows[T]  a WHMCS list ({"invoices":{"invoice":[...]}})
//	getWith[T]  a custom reading of the answer, through a reply
//	getInto     the answer decoded into a wire struct of the method's own
//	act         a call for its effect only
//	getOp[T]    a T, with the Operation of the callback key it carried
//	start       the Operation of an async action (startID: on a server id)
//	getFile     a binary answer (image, PDF)
//
// completed finishes a read whose answer may leave out what the request
// named (an id, a name).

// get sends ep and decodes its answer into a new T (see Client.decode).
func get[T any](ctx context.Context, c *Client, ep *endpoint, params any) (*T, error) {
	out := new(T)
	if _, err := c.call(ctx, ep, params, out); err != nil {
		return nil, err
	}
	return out, nil
}

// completed is a read's answer out once fill has completed it (with what
// the request named and the answer left out, mostly), or err.
func completed[T any](out *T, err error, fill func(*T)) (*T, error) {
	if err != nil {
		return nil, err
	}
	fill(out)
	return out, nil
}

// getList sends ep and returns the list it answers: the first of keys that
// holds one, else the nested container, else the body. A one-row list sent
// as a bare object and a PHP array sent as an object keyed "0", "1"... are
// both read as lists.
func getList[T any](ctx context.Context, c *Client, ep *endpoint, params any, keys ...string) ([]T, error) {
	r, err := c.call(ctx, ep, params, nil)
	if err != nil {
		return nil, err
	}
	return listOf[T](r, keys...)
}

// getOne sends ep and decodes the one object it answers: the first of keys
// that holds one, else the nested container, else the top level. A one-row
// list is read as its row.
func getOne[T any](ctx context.Context, c *Client, ep *endpoint, params any, keys ...string) (*T, error) {
	r, err := c.call(ctx, ep, params, nil)
	if err != nil {
		return nil, err
	}
	return oneOf[T](r, keys...)
}

// getWith sends ep and reads its answer with read, for the few answers
// that need more than one decoding (several shapes, fields under several
// names).
func getWith[T any](ctx context.Context, c *Client, ep *endpoint, params any, read func(r reply) (*T, error)) (*T, error) {
	r, err := c.call(ctx, ep, params, nil)
	if err != nil {
		return nil, err
	}
	return read(r)
}

// act sends ep for its effect: the answer's data is not read (a state
// change's answer is still checked, see call).
func act(ctx context.Context, c *Client, ep *endpoint, params any) error {
	_, err := c.call(ctx, ep, params, nil)
	return err
}

// getOp sends ep, decodes its answer into a new T and sets its Operation
// to the one following the callback key it carried (nil when none), for
// the server the form's id names.
func getOp[T any, PT operationHolder[T]](ctx context.Context, c *Client, ep *endpoint, params any) (*T, error) {
	out := new(T)
	r, err := c.call(ctx, ep, params, out)
	if err != nil {
		return nil, err
	}
	PT(out).setOperation(r.operation(r.callback()))
	return out, nil
}

// operationHolder is a result (*T) with an Operation field for getOp to
// set.
type operationHolder[T any] interface {
	*T
	setOperation(op *Operation)
}

// start sends an async action and returns its Operation, for the server
// the form's id names. An answer without a callback key means the action
// completed at once (some actions documented as async answer
// synchronously): the Operation is then done.
func start(ctx context.Context, c *Client, ep *endpoint, params any) (*Operation, error) {
	return startOn(ctx, c, ep, params, -1)
}

// startID is start for an action that takes only a server id: the id is
// checked (validServerID) and sent as "id".
func startID(ctx context.Context, c *Client, ep *endpoint, id int) (*Operation, error) {
	if err := validServerID(id); err != nil {
		return nil, err
	}
	return start(ctx, c, ep, idForm(id))
}

// idForm is the form of an action that takes only an id.
func idForm(id int) url.Values { return url.Values{"id": {strconv.Itoa(id)}} }

// startOn is start for an operation on serverID (0 for none; -1: the
// form's id).
func startOn(ctx context.Context, c *Client, ep *endpoint, params any, serverID int) (*Operation, error) {
	r, err := c.call(ctx, ep, params, nil)
	if err != nil {
		return nil, err
	}
	if serverID >= 0 {
		r.server, r.named = serverID, true
	}
	return r.started()
}

// getFile sends an action whose successful answer is not JSON. With
// fromJSON, a JSON success answer is read by it (a file sent as base64,
// say); without, its body is the file.
func getFile(ctx context.Context, c *Client, ep *endpoint, params any, fromJSON func(r reply) (*File, error)) (*File, error) {
	env, ans, err := c.exchange(ctx, ep, params, true)
	if err != nil {
		return nil, err
	}
	if env != nil && fromJSON != nil {
		return fromJSON(reply{c: c, ep: ep, env: env, ans: ans, params: params})
	}
	f := &File{ContentType: ans.contentType, Data: ans.body}
	if _, p, err := mime.ParseMediaType(ans.header.Get("Content-Disposition")); err == nil {
		f.Filename = p["filename"]
	}
	return f, nil
}

// optional turns a nil request pointer into no parameters, for actions
// whose parameters are all optional (a nil pointer given to the request
// path is refused, see nilRequest).
func optional[T any](req *T) any {
	if req == nil {
		return nil
	}
	return req
}

// nilRequest is the error for a nil request pointer: a *ValidationError
// naming the field the request's own check names first (its Validate on a
// zero value), "request" when it has none.
func nilRequest(params any) error {
	field := "request"
	zero := reflect.New(reflect.TypeOf(params).Elem()).Interface()
	if n, ok := zero.(nilNamer); ok {
		return invalid(n.nilField(), "request is nil")
	}
	if v, ok := zero.(validator); ok {
		var verr *ValidationError
		if errors.As(v.Validate(), &verr) {
			field = verr.Field
		}
	}
	return invalid(field, "request is nil")
}

// nilNamer is implemented by the few requests whose nil value has always
// been reported under another field than their first check's.
type nilNamer interface{ nilField() string }

// reply is a read-only view of one successful answer, for the readers given
// to getWith and getFile: the rules of where data sits in an answer live
// here, not in module files.
type reply struct {
	c   *Client
	ep  *endpoint
	env *envelope.Envelope
	ans *answer
	// params are the request's parameters, whose form's "id" is the server
	// an Operation follows, unless named says server is another.
	params any
	server int
	named  bool
}

// field returns the first of names present at the top level, or nil.
func (r reply) field(names ...string) json.RawMessage {
	for _, n := range names {
		if raw := r.env.Field(n); raw != nil {
			return raw
		}
	}
	return nil
}

// find returns the first of keys holding an object or list, at the top
// level or in the data container, else the container, else (no keys) the
// body; nil when keys were named and none is there.
func (r reply) find(keys ...string) json.RawMessage { return listData(r.env, keys...) }

// data returns the nested data container (an object or list), or nil.
func (r reply) data() json.RawMessage { return r.env.Payload }

// body returns the answer's JSON (PHP warnings stripped).
func (r reply) body() json.RawMessage { return r.env.Body }

// message returns "message" when it is a scalar.
func (r reply) message() string { return r.env.Message }

// objects returns the top-level fields, then those of the data container
// when it is an object: the places an answer may put a field.
func (r reply) objects() []map[string]json.RawMessage {
	out := []map[string]json.RawMessage{r.env.TopFields()}
	if p := r.env.Payload; len(p) > 0 && p[0] == '{' {
		var inner map[string]json.RawMessage
		if json.Unmarshal(p, &inner) == nil {
			out = append(out, inner)
		}
	}
	return out
}

// decode reads the answer into out as get does (top level, then the
// container), remembering the secrets it holds.
func (r reply) decode(out any) error { return r.c.decode(r.ep, r.env, out) }

// decodeRaw reads raw, a part of the answer, into out, remembering the
// secrets it holds (fields tagged secret:"answer") even when raw does not
// fit out entirely.
func (r reply) decodeRaw(raw []byte, out any) error {
	err := loose.Unmarshal(raw, out)
	r.keepSecrets(out)
	return err
}

// keepSecrets remembers the secrets out holds (fields tagged
// secret:"answer"), for a wire struct a reader filled itself.
func (r reply) keepSecrets(out any) { r.c.rememberAnswerSecrets(out) }

// keep gives out the answer's body (RawJSON).
func (r reply) keep(out rawKeeper) { out.keepBody(r.env) }

// callback returns the answer's callback key, "" for none (an unusable
// key on a state change was reported by call; on a read it counts as none).
func (r reply) callback() string {
	key, _ := callbackKey(r.env)
	return key
}

// keyIn reads a callback key from raw, as callback does for "callback".
func (r reply) keyIn(raw json.RawMessage) (string, bool) { return keyIn(raw, 0) }

// serverID is the server the request names (its form's id), 0 for none.
// It encodes the form again: only async answers ask.
func (r reply) serverID() int {
	if r.named {
		return r.server
	}
	fields, err := encodeForm(r.params)
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(fields.Get("id"))
	return n
}

// operation returns the Operation following key, nil for no key.
func (r reply) operation(key string) *Operation {
	if key == "" {
		return nil
	}
	return r.c.poller.operation(key, r.kind(), r.ep.module, r.ep.action, r.serverID(), false)
}

// started returns the Operation following the answer's callback key or,
// without a key, one already done with the answer as its result (see
// start); an unreadable key is an error.
func (r reply) started() (*Operation, error) {
	key, err := callbackKey(r.env) // a state change's key is checked by call already
	if err != nil {
		return nil, r.bad("unreadable callback key", err)
	}
	if key != "" {
		return r.operation(key), nil
	}
	op := r.c.poller.newOperation("", r.kind(), r.ep.module, r.ep.action, r.serverID(), false)
	res := &OperationResult{Scope: r.env.Scope, client: r.c}
	res.setRaw(r.env.Body)
	op.finish(res, nil)
	return op, nil
}

func (r reply) kind() callbackKind {
	if r.ep.async == noCallback {
		return eqCallback
	}
	return r.ep.async
}

// bad reports an answer the SDK cannot read (see Client.badAnswer): for a
// state change, an unknown outcome.
func (r reply) bad(reason string, err error) error { return r.c.badAnswer(r.ep, r.env, reason, err) }

// notRead reports an answer of the wrong kind as a *ResponseError with its
// status and an excerpt.
func (r reply) notRead(reason string) error { return r.c.responseError(r.ep, r.ans, reason) }

// listOf reads the list of an answer (see getList).
func listOf[T any](r reply, keys ...string) ([]T, error) {
	data := listData(r.env, keys...)
	var out []T
	if data == nil {
		return out, nil
	}
	if err := loose.Unmarshal(data, &out); err != nil {
		return nil, r.bad("unexpected shape", err)
	}
	return out, nil
}

// oneOf reads the one object of an answer (see getOne).
func oneOf[T any](r reply, keys ...string) (*T, error) {
	data := listData(r.env, keys...)
	if data == nil {
		data = r.env.Body
	}
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '[' {
		var rows []json.RawMessage
		if json.Unmarshal(data, &rows) == nil && len(rows) > 0 {
			data = rows[0]
		}
	}
	out := new(T)
	if err := loose.Unmarshal(data, out); err != nil {
		return nil, r.bad("unexpected shape", err)
	}
	r.c.rememberAnswerSecrets(out)
	if rk, ok := any(out).(rawKeeper); ok {
		rk.keepBody(r.env)
	}
	return out, nil
}

// listData finds the list in an answer.
func listData(env *envelope.Envelope, keys ...string) []byte {
	for _, k := range keys {
		if raw := env.Field(k); len(raw) > 0 && (raw[0] == '[' || raw[0] == '{') {
			return raw
		}
		if env.Payload != nil && env.Payload[0] == '{' {
			// the list may sit one level down: {"result":{"servers":[...]}}
			var inner map[string]json.RawMessage
			if json.Unmarshal(env.Payload, &inner) == nil {
				if raw, ok := inner[k]; ok && len(raw) > 0 && (raw[0] == '[' || raw[0] == '{') {
					return raw
				}
			}
		}
	}
	if env.Payload != nil {
		return env.Payload
	}
	if len(keys) > 0 {
		return nil // a named list was expected and is absent: empty
	}
	return env.Body
}

// Secrets in answers (an IPMI password, an S3 secret key, a new API key, a
// session token) are result fields tagged secret:"answer": the decoding
// helpers remember their values, so that from then on they are masked in
// every error and log line. No method registers them by hand.
var answerSecretFields sync.Map // reflect.Type (a struct) -> [][]int, the tagged string fields

// rememberAnswerSecrets remembers the tagged string fields of the struct
// out points to.
func (c *Client) rememberAnswerSecrets(out any) {
	t := reflect.TypeOf(out)
	if t == nil || t.Kind() != reflect.Pointer || t.Elem().Kind() != reflect.Struct {
		return
	}
	t = t.Elem()
	fields, ok := answerSecretFields.Load(t)
	if !ok {
		fields, _ = answerSecretFields.LoadOrStore(t, secretFieldsOf(t, nil))
	}
	idx := fields.([][]int)
	if len(idx) == 0 {
		return
	}
	v := reflect.ValueOf(out).Elem()
	var found []string
	for _, i := range idx {
		if s := v.FieldByIndex(i).String(); s != "" {
			found = append(found, s)
		}
	}
	if len(found) > 0 {
		c.rememberSecrets(found...)
	}
}

// secretFieldsOf lists the string fields of t tagged secret:"answer", in
// embedded structs too.
func secretFieldsOf(t reflect.Type, prefix []int) [][]int {
	var out [][]int
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		idx := append(append([]int(nil), prefix...), i)
		switch {
		case f.Anonymous && f.Type.Kind() == reflect.Struct:
			out = append(out, secretFieldsOf(f.Type, idx)...)
		case f.Type.Kind() == reflect.String && f.Tag.Get("secret") == "answer":
			out = append(out, idx)
		}
	}
	return out
}

// getInto sends ep and decodes its answer into out, a wire struct of the
// method's own (see get).
func getInto(ctx context.Context, c *Client, ep *endpoint, params, out any) error {
	_, err := c.call(ctx, ep, params, out)
	return err
}

// badRead reports a part of a read's answer the SDK cannot read, once the
// answer itself was taken apart (see Client.badAnswer).
func badRead(c *Client, ep *endpoint, reason string, err error) error {
	return c.badAnswer(ep, nil, reason, err)
}

// getRows sends ep and returns a WHMCS list, found under plural (or the
// container), unwrapped from {"<plural>":{"<singular>":[...]}} (see
// whmcsRows).
func getRows[T any](ctx context.Context, c *Client, ep *endpoint, params any, plural, singular string) ([]T, error) {
	r, err := c.call(ctx, ep, params, nil)
	if err != nil {
		return nil, err
	}
	out, err := whmcsRows[T](r.find(plural), singular)
	if err != nil {
		return nil, r.bad("unexpected shape", err)
	}
	return out, nil
}
