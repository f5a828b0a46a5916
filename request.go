package invapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/invapi-go/invapi/internal/envelope"
	"github.com/invapi-go/invapi/internal/form"
	"github.com/invapi-go/invapi/internal/redact"
	"github.com/invapi-go/invapi/internal/retry"
)

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
//
// Methods do not call it: they use the helpers in request_helpers.go.
func (c *Client) call(ctx context.Context, ep *endpoint, params any, out any) (reply, error) {
	env, ans, err := c.exchange(ctx, ep, params, false)
	if err != nil {
		return reply{}, err
	}
	r := reply{c: c, ep: ep, env: env, ans: ans, params: params}
	if !ep.class.Idempotent() {
		env.Object = settleObject(params)
		if err := readStateAnswer(env); err != nil {
			return r, c.badAnswer(ep, env, "unreadable answer to a state change", err)
		}
	}
	if out != nil {
		if err := c.decode(ep, env, out); err != nil {
			return r, err
		}
	}
	return r, nil
}

// File is a binary answer, such as a traffic graph or an invoice PDF.
type File struct {
	ContentType string // "image/png", "application/pdf"...
	Filename    string // from Content-Disposition, when sent
	Data        []byte
}

// exchange runs the request path up to a classified answer. With binary set,
// a non-JSON 200 answer is a success and is returned in ans.
func (c *Client) exchange(ctx context.Context, ep *endpoint, params any, binary bool) (_ *envelope.Envelope, _ *answer, err error) {
	if ctx == nil {
		return nil, nil, invalid("context", "is nil")
	}
	if c.observer != nil { // one trace per call, for the observer (observer.go)
		var trace *callTrace
		ctx, trace = c.traced(ctx, ep)
		defer func() { trace.finish(err) }()
	}
	if c.closed.Load() {
		return nil, nil, closedError(ep)
	}
	if params != nil && isNilPointer(params) {
		return nil, nil, nilRequest(params) // a required request, left out
	}
	if v, ok := params.(validator); ok {
		if err := v.Validate(); err != nil {
			return nil, nil, err
		}
	}
	fields, err := encodeForm(params)
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

	if binary {
		ctx = context.WithValue(ctx, binaryKey{}, true)
	}
	// Every resend of a read (network errors, 429, 5xx, a body that broke
	// off, an unreadable 2xx answer) is go-retryablehttp's, in one loop with
	// one budget and one backoff (see retry.Policy); a state change goes at
	// most once (see roundTrip). The one resend here is the new login after
	// the API proved it refused the session.
	relogged := false
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
		ans, parsed, err := c.send(ctx, ep, fields)
		if err != nil {
			return nil, nil, settleWith(err, fields)
		}
		c.notePace(ans.header)
		if binary && ans.status == http.StatusOK && !looksJSON(ans) {
			return nil, ans, nil
		}
		env, err := c.interpret(ep, ans, parsed)
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
		return env, ans, c.keepCallbackKey(ep, ans, settleWith(err, fields), fields)
	}
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
	fields, err := encodeForm(params)
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

// encodeForm is the form of params: its own (formBuilder), or its url tags
// encoded.
func encodeForm(params any) (url.Values, error) {
	if fb, ok := params.(formBuilder); ok {
		return fb.form(), nil
	}
	return form.Encode(params)
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

// send performs one HTTP exchange (go-retryablehttp retries reads below
// it; state changes go at most once, see roundTrip) and reads the body,
// bounded. For a read's 2xx answer the retry policy read the body already,
// and parsed it when it could (env, else nil).
func (c *Client) send(ctx context.Context, ep *endpoint, fields url.Values) (ans *answer, env *envelope.Envelope, err error) {
	if c.closed.Load() {
		return nil, nil, closedError(ep)
	}
	payload := []byte(fields.Encode())
	start := time.Now()
	resp, sent, err := c.roundTrip(ctx, ep, payload)
	if err != nil {
		if errors.Is(err, ErrClosed) {
			return nil, nil, closedError(ep)
		}
		c.logger.LogAttrs(ctx, slog.LevelDebug, "invapi request failed",
			slog.String("module", ep.module), slog.String("action", ep.action),
			slog.Duration("duration", time.Since(start)), slog.String("error", c.redact(err.Error())))
		return nil, nil, c.transportError(ctx, ep, err, sent)
	}
	var body []byte
	if b, ok := retry.TakeBuffered(resp.Body); ok {
		body, err = b.Data, b.Err
		env, _ = b.Parsed.(*envelope.Envelope)
	} else {
		body, err = io.ReadAll(io.LimitReader(resp.Body, c.maxResponseBytes+1))
		resp.Body.Close()
	}
	ans = &answer{status: resp.StatusCode, header: resp.Header, body: body, sent: true}
	ans.contentType = mediaType(resp.Header.Get("Content-Type"))
	if c.logger.Enabled(ctx, slog.LevelDebug) { // building the attributes costs allocations
		c.logger.LogAttrs(ctx, slog.LevelDebug, "invapi request",
			slog.String("module", ep.module), slog.String("action", ep.action),
			slog.Int("status", resp.StatusCode), slog.Int("bytes", len(body)), slog.Duration("duration", time.Since(start)))
	}
	if err != nil {
		return nil, nil, c.transportError(ctx, ep, fmt.Errorf("reading answer: %w", err), true)
	}
	if int64(len(body)) > c.maxResponseBytes {
		return nil, nil, c.maybeUnknown(ep, &ResponseError{Module: ep.module, Action: ep.action, HTTPStatus: resp.StatusCode,
			ContentType: ans.contentType, Reason: fmt.Sprintf("answer larger than %d bytes", c.maxResponseBytes)})
	}
	return ans, env, nil
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
