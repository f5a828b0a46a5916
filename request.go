package invapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/invapi-go/invapi/internal/envelope"
	"github.com/invapi-go/invapi/internal/form"
	"github.com/invapi-go/invapi/internal/loose"
	"github.com/invapi-go/invapi/internal/redact"
	"github.com/invapi-go/invapi/internal/retry"
)

// callbackKind says which endpoint reports an async action's progress.
type callbackKind uint8

const (
	noCallback  callbackKind = iota
	eqCallback               // eq_callback.php
	natCallback              // nat_callback.php
)

func (k callbackKind) module() string {
	if k == natCallback {
		return "nat_callback"
	}
	return "eq_callback"
}

// Action classes, declared next to every endpoint.
const (
	read   = retry.Read   // changes nothing: retried on network errors, 429, 5xx
	change = retry.Change // changes state: sent at most once
	money  = retry.Money  // orders or charges: sent at most once
)

// endpoint declares one InvAPI action: where it lives, what it does, and
// what it needs. Each module file declares its endpoints next to the methods
// that use them, so the retry class of an action is never guessed.
type endpoint struct {
	module string      // "eq" for eq.php
	action string      // "show"
	class  retry.Class // read, change or money
	pin    bool        // send the account PIN
	async  callbackKind
	noAuth bool // sent without a session token
	// settle names the read that tells whether a state change took effect
	// when its outcome is unknown (shown in OutcomeUnknownError).
	settle string
	// evidence says what the action's form fields and answer keys rest on,
	// strongest first: what HOSTKEY's own clients send and read
	// (byClient("tf", "mcp"), see ../shared/api/evidence.md), the vendor's
	// parameter table (documented), or our reading of a one-line
	// description (guessed).
	evidence evidence
	// note gives the one-line reason for a deliberate difference between
	// this declaration and the catalogue (testdata/endpoints.json), the
	// simulator or the evidence, or for a client field the SDK does not
	// send. TestRegistryAgreesWithCatalogue accepts a difference only when
	// the note names it: "pin", "token", "callback" (async).
	note string
}

// evidence is an endpoint's evidence level: "client: tf, mcp",
// "documented" or "guess".
type evidence string

const (
	documented evidence = "documented" // the vendor's parameter table
	guessed    evidence = "guess"      // a name or a one-line description only
)

// byClient is the evidence of an action that HOSTKEY's own clients use:
// tf (their Terraform providers), whmcs (their WHMCS reseller module), mcp
// (their MCP server), strongest first.
func byClient(sources ...string) evidence {
	return evidence("client: " + strings.Join(sources, ", "))
}

func (ep *endpoint) String() string { return ep.module + "/" + ep.action }

// Fields are extra form fields sent as given, for parameters the SDK does
// not model (the vendor publishes no parameter list for many actions).
// Request structs carry them in a field tagged url:"extra,omitempty". They
// never replace action, token or pin.
type Fields map[string]string

// EncodeValues implements go-querystring's Encoder: the fields are added at
// the top level of the form, not under a prefix.
func (f Fields) EncodeValues(_ string, v *url.Values) error {
	for k, val := range f {
		switch k {
		case "action", "token", "pin":
			continue
		}
		v.Set(k, val)
	}
	return nil
}

// FormMap is a PHP associative array in a form: FormMap{"a": "1"} under
// "params" is sent as params[a]=1.
type FormMap map[string]string

// EncodeValues implements go-querystring's Encoder.
func (m FormMap) EncodeValues(key string, v *url.Values) error {
	for k, val := range m {
		v.Set(key+"["+k+"]", val)
	}
	return nil
}

// validator is implemented by request structs that check themselves.
type validator interface{ Validate() error }

// rawKeeper is implemented by result types that keep the raw answer.
type rawKeeper interface{ keepBody(env *envelope.Envelope) }

// RawJSON keeps the body of an answer, for fields the SDK does not model.
// Result types embed it; call Raw to read it. Printing a result with fmt
// shows it as an address, never the body, which may echo a secret.
type RawJSON struct{ raw *[]byte }

// Raw returns the JSON body of the answer as received (PHP warnings stripped).
func (r *RawJSON) Raw() []byte {
	if r.raw == nil {
		return nil
	}
	return *r.raw
}

func (r *RawJSON) setRaw(b []byte) { r.raw = &b }

// keepBody keeps env's body by pointing at it, where setRaw would copy the
// slice header to the heap: one allocation less on every call. The
// envelope is not changed once parsed.
func (r *RawJSON) keepBody(env *envelope.Envelope) { r.raw = (*[]byte)(&env.Body) }

// answer is one HTTP exchange as seen by the request path.
type answer struct {
	status      int
	contentType string
	header      http.Header
	body        []byte
	sent        bool // the request may have reached the server
}

// call sends one action and decodes its data into out (nil to ignore it).
// It is the one road every method takes: validation, form encoding, session,
// PIN, retries by class, one re-login on an expired session, error
// classification and tolerant decoding.
//
// After a state change, an answer it cannot fully read (a mistyped field,
// a callback key of an odd shape, an empty answer) is an
// *OutcomeUnknownError: the change was sent and not refused, so it may
// well have been carried out.
func (c *Client) call(ctx context.Context, ep *endpoint, params any, out any) (*envelope.Envelope, error) {
	env, _, err := c.exchange(ctx, ep, params, false)
	if err != nil {
		return nil, err
	}
	if !ep.class.Idempotent() {
		env.Object = settleObject(params)
		if err := readStateAnswer(env); err != nil {
			return env, c.badAnswer(ep, env, "unreadable answer to a state change", err)
		}
	}
	if out != nil {
		if err := c.decode(ep, env, out); err != nil {
			return env, err
		}
	}
	return env, nil
}

// File is a binary answer, such as a traffic graph or an invoice PDF.
type File struct {
	ContentType string // "image/png", "application/pdf"...
	Filename    string // from Content-Disposition, when sent
	Data        []byte
}

// callFile sends an action whose successful answer is not JSON.
func (c *Client) callFile(ctx context.Context, ep *endpoint, params any) (*File, error) {
	_, ans, err := c.exchange(ctx, ep, params, true)
	if err != nil {
		return nil, err
	}
	f := &File{ContentType: ans.contentType, Data: ans.body}
	if _, p, err := mime.ParseMediaType(ans.header.Get("Content-Disposition")); err == nil {
		f.Filename = p["filename"]
	}
	return f, nil
}

// exchange runs the request path up to a classified answer. With binary set,
// a non-JSON 200 answer is a success and is returned in ans.
func (c *Client) exchange(ctx context.Context, ep *endpoint, params any, binary bool) (*envelope.Envelope, *answer, error) {
	if ctx == nil {
		return nil, nil, invalid("context", "is nil")
	}
	if c.closed.Load() {
		return nil, nil, closedError(ep)
	}
	if v, ok := params.(validator); ok && !isNilPointer(params) {
		if err := v.Validate(); err != nil {
			return nil, nil, err
		}
	}
	fields, err := form.Encode(params)
	if err != nil {
		return nil, nil, invalid("params", "%v", err)
	}
	c.rememberRequestSecrets(ep, fields)
	fields.Set("action", ep.action)
	if ep.pin && fields.Get("pin") == "" {
		pin, err := c.pinFor(ctx)
		if err != nil {
			return nil, nil, err
		}
		if pin != "" {
			fields.Set("pin", pin)
		}
	}

	relogged, unreadable := false, 0
	for {
		var gen uint64
		if !ep.noAuth {
			var token string
			token, gen, err = c.sessionToken(ctx)
			if err != nil {
				return nil, nil, err
			}
			fields.Set("token", token)
		}
		ans, err := c.send(ctx, ep, fields)
		if err != nil {
			return nil, nil, settleWith(err, fields)
		}
		c.notePace(ans.header)
		if binary && ans.status == http.StatusOK && !looksJSON(ans) {
			return nil, ans, nil
		}
		env, err := c.interpret(ep, ans)
		if env != nil && !ep.class.Idempotent() {
			env.Request = settleFacts(fields)
		}
		// An expired or invalid session that proves the API refused the call
		// (see sessionRefusedBy) makes resending it once after a new login
		// safe.
		if sessionRefusedBy(ep, err) && !ep.noAuth && !relogged && c.canLogin() {
			relogged = true
			c.logger.LogAttrs(ctx, slog.LevelDebug, "invapi session refused, logging in again",
				slog.String("module", ep.module), slog.String("action", ep.action))
			c.invalidateSession(gen)
			continue
		}
		// A read answered with an unreadable 2xx body (an HTML page, a PHP
		// fatal error, truncated JSON) is asked again, like after a 5xx.
		if ep.class.Idempotent() && unreadable < c.http.RetryMax && isUnreadable(err) {
			unreadable++
			c.logger.LogAttrs(ctx, slog.LevelDebug, "invapi unreadable answer, asking again",
				slog.String("module", ep.module), slog.String("action", ep.action), slog.Int("attempt", unreadable))
			if err := sleepCtx(ctx, retry.Jitter(c.http.RetryWaitMin, c.http.RetryWaitMax, unreadable-1)); err != nil {
				return nil, nil, err
			}
			continue
		}
		return env, ans, c.keepCallbackKey(ep, ans, settleWith(err, fields), fields)
	}
}

// isUnreadable reports a 2xx answer that could not be read.
func isUnreadable(err error) bool {
	if err == nil {
		return false // before the errors.As target, which escapes: no allocation on success
	}
	var rerr *ResponseError
	return errors.As(err, &rerr) && rerr.HTTPStatus >= 200 && rerr.HTTPStatus < 300
}

// sleepCtx pauses for d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// settleWith names the object in an unknown outcome's settle hint, so the
// caller knows which server (or key, invoice...) to look at.
func settleWith(err error, fields url.Values) error {
	if err == nil {
		return nil
	}
	var unknown *OutcomeUnknownError
	if !errors.As(err, &unknown) {
		return err
	}
	if unknown.request == nil {
		unknown.request = settleFacts(fields)
	}
	if unknown.Settle == "" {
		return err
	}
	if obj := settleObject(fields); obj != "" {
		unknown.Settle += " " + obj
	}
	return err
}

// keepCallbackKey gives an unknown outcome the Operation of the callback
// key its answer held (a 5xx whose body still says OK with a key, for
// example): the action is under way and the key follows it.
func (c *Client) keepCallbackKey(ep *endpoint, ans *answer, err error, fields url.Values) error {
	if err == nil || ans == nil {
		return err // declared after this, the errors.As target costs no allocation on success
	}
	var unknown *OutcomeUnknownError
	if !errors.As(err, &unknown) || unknown.Operation != nil {
		return err
	}
	env, perr := envelope.Parse(ans.body)
	if perr != nil {
		return err
	}
	key, kerr := callbackKey(env)
	if kerr != nil || key == "" {
		return err
	}
	kind := ep.async
	if kind == noCallback {
		kind = eqCallback
	}
	serverID, _ := strconv.Atoi(fields.Get("id"))
	unknown.Operation = c.poller.operation(key, kind, ep.module, ep.action, serverID, false)
	return err
}

// settleObject names what a request acts on ("id=12345"), from its form.
// Secret fields (a "key" may be an API key) are never named.
func settleObject(params any) string {
	fields, err := form.Encode(params)
	if err != nil {
		return ""
	}
	for _, name := range []string{"id", "invoice_id", "ip"} {
		if v := fields.Get(name); v != "" && !redact.IsSecretField(name) {
			return name + "=" + v
		}
	}
	return ""
}

// settleFacts keeps the fields of a state change's form that Client.Settle
// needs to read its outcome back (id, tag, value, ip, ptr...): never the
// action, the session token, the PIN or any other secret.
func settleFacts(fields url.Values) url.Values {
	facts := make(url.Values, len(fields))
	for name, vals := range fields {
		if name == "action" || redact.IsSecretField(name) {
			continue
		}
		facts[name] = append([]string(nil), vals...)
	}
	return facts
}

// send performs one HTTP exchange (reads with retries, state changes at
// most once; see roundTrip) and reads the body, bounded. A read whose body
// breaks off (the connection fails after the headers) is asked again, with
// the same backoff and budget as go-retryablehttp's retries.
func (c *Client) send(ctx context.Context, ep *endpoint, fields url.Values) (*answer, error) {
	payload := []byte(fields.Encode())
	for broken := 0; ; broken++ {
		if c.closed.Load() {
			return nil, closedError(ep)
		}
		start := time.Now()
		resp, sent, err := c.roundTrip(ctx, ep, payload)
		if err != nil {
			if errors.Is(err, ErrClosed) {
				return nil, closedError(ep)
			}
			c.logger.LogAttrs(ctx, slog.LevelDebug, "invapi request failed",
				slog.String("module", ep.module), slog.String("action", ep.action),
				slog.Duration("duration", time.Since(start)), slog.String("error", c.redact(err.Error())))
			return nil, c.transportError(ctx, ep, err, sent)
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, c.maxResponseBytes+1))
		resp.Body.Close()
		ans := &answer{status: resp.StatusCode, header: resp.Header, body: body, sent: true}
		ans.contentType = mediaType(resp.Header.Get("Content-Type"))
		if c.logger.Enabled(ctx, slog.LevelDebug) { // building the attributes costs allocations
			c.logger.LogAttrs(ctx, slog.LevelDebug, "invapi request",
				slog.String("module", ep.module), slog.String("action", ep.action),
				slog.Int("status", resp.StatusCode), slog.Int("bytes", len(body)), slog.Duration("duration", time.Since(start)))
		}
		if err != nil {
			if ep.class.Idempotent() && broken < c.http.RetryMax && ctx.Err() == nil {
				c.logger.LogAttrs(ctx, slog.LevelDebug, "invapi answer broke off, asking again",
					slog.String("module", ep.module), slog.String("action", ep.action), slog.Int("attempt", broken+1))
				if err := sleepCtx(ctx, retry.Jitter(c.http.RetryWaitMin, c.http.RetryWaitMax, broken)); err != nil {
					return nil, err
				}
				continue
			}
			return nil, c.transportError(ctx, ep, fmt.Errorf("reading answer: %w", err), true)
		}
		if int64(len(body)) > c.maxResponseBytes {
			return nil, c.maybeUnknown(ep, &ResponseError{Module: ep.module, Action: ep.action, HTTPStatus: resp.StatusCode,
				ContentType: ans.contentType, Reason: fmt.Sprintf("answer larger than %d bytes", c.maxResponseBytes)})
		}
		return ans, nil
	}
}

// transportError wraps a network failure. For a state change that may have
// been sent, the outcome is unknown and it says so.
func (c *Client) transportError(ctx context.Context, ep *endpoint, err error, sent bool) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		err = ctxErr
	} else {
		err = &netError{op: ep.String(), msg: c.redact(err.Error()), err: err}
	}
	if !ep.class.Idempotent() && sent {
		return &OutcomeUnknownError{Module: ep.module, Action: ep.action, Settle: ep.settle, Err: err}
	}
	return err
}

// netError is a transport failure with secrets removed from its text.
type netError struct {
	op  string
	msg string
	err error
}

func (e *netError) Error() string { return "invapi: " + e.op + ": " + e.msg }
func (e *netError) Unwrap() error { return e.err }

// Is matches ErrNetwork.
func (e *netError) Is(target error) bool { return target == ErrNetwork }

// maybeUnknown marks err as an unknown outcome when ep changes state: the
// request reached the server, but its answer does not say what happened.
//
// An unknown outcome never matches ErrUnauthorized or ErrTwoFactorRequired,
// even when a 5xx body says "Invalid token": a caller who logs in again and
// resends on ErrUnauthorized would otherwise send the change twice. The
// API's words stay in the wrapped *APIError's Message.
func (c *Client) maybeUnknown(ep *endpoint, err error) error {
	if ep.class.Idempotent() {
		return err
	}
	var apiErr *APIError
	if errors.As(err, &apiErr) && (apiErr.kind == ErrUnauthorized || apiErr.kind == ErrTwoFactorRequired) {
		apiErr.kind = ErrServer
	}
	return &OutcomeUnknownError{Module: ep.module, Action: ep.action, Settle: ep.settle, Err: err}
}

// interpret turns an HTTP answer into an envelope or a typed error.
func (c *Client) interpret(ep *endpoint, ans *answer) (*envelope.Envelope, error) {
	env, perr := envelope.Parse(ans.body)
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

// do calls ep and returns its answer decoded into a new T.
func do[T any](ctx context.Context, c *Client, ep *endpoint, params any) (*T, error) {
	out := new(T)
	if _, err := c.call(ctx, ep, params, out); err != nil {
		return nil, err
	}
	return out, nil
}

// doList calls ep and returns the list it answers: the first of keys that
// holds one, else the nested container, else the body. A one-row list sent
// as a bare object and a PHP array sent as an object keyed "0", "1"... are
// both read as lists.
func doList[T any](ctx context.Context, c *Client, ep *endpoint, params any, keys ...string) ([]T, error) {
	env, err := c.call(ctx, ep, params, nil)
	if err != nil {
		return nil, err
	}
	return decodeList[T](c, ep, env, keys...)
}

func decodeList[T any](c *Client, ep *endpoint, env *envelope.Envelope, keys ...string) ([]T, error) {
	data := listData(env, keys...)
	var out []T
	if data == nil {
		return out, nil
	}
	if err := loose.Unmarshal(data, &out); err != nil {
		return nil, c.badAnswer(ep, env, "unexpected shape", err)
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

// pinFor returns the PIN for one critical action: the configured one, or
// the prompt's answer (asked once per action).
func (c *Client) pinFor(ctx context.Context) (string, error) {
	if c.creds.pin != "" {
		return c.creds.pin, nil
	}
	if c.creds.pinPrompt == nil {
		return "", nil // the API answers "PIN required" if the account has one
	}
	pin, err := runPrompt(ctx, c.creds.pinPrompt)
	if err != nil {
		return "", fmt.Errorf("invapi: PIN prompt: %w", err)
	}
	if err := validatePIN("pin", pin); err != nil {
		return "", err
	}
	c.rememberSecrets(pin)
	return pin, nil
}

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
func firstNonEmpty(v ...string) string {
	for _, x := range v {
		if x != "" {
			return x
		}
	}
	return ""
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
