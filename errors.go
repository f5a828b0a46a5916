package invapi

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"
)

// Sentinel errors, matched with errors.Is. Every error the SDK returns for an
// answer of the API is an *APIError, *ResponseError, *OutcomeUnknownError,
// *OperationError or *ValidationError; the sentinels name its category.
var (
	// ErrUnauthorized: the session is missing, invalid or expired, or the
	// credentials were refused. The client re-logs in once on its own before
	// returning it.
	ErrUnauthorized = errors.New("invapi: unauthorized")
	// ErrNoServers: an API key cannot open a session for an account with no
	// servers (NO_APPROPRIATE_SERVERS); log in with billing credentials
	// (WithBillingCredentials) instead.
	ErrNoServers = errors.New("invapi: no servers for this API key")
	// ErrTwoFactorRequired: the billing login needs a 2FA code and no
	// WithTwoFactorPrompt was given.
	ErrTwoFactorRequired = errors.New("invapi: two-factor code required")
	// ErrPINRequired: the action needs a PIN and none was configured.
	ErrPINRequired = errors.New("invapi: PIN required")
	// ErrWrongPIN: the API rejected the PIN. It is never retried: repeated
	// failures make the API answer with growing delays.
	ErrWrongPIN = errors.New("invapi: wrong PIN")
	// ErrNotFound: the server, key or object does not exist.
	ErrNotFound = errors.New("invapi: not found")
	// ErrAccessDenied: the session may not act on this object (a server API
	// key used for another server, for example).
	ErrAccessDenied = errors.New("invapi: access denied")
	// ErrRateLimited: HTTP 429. Reads are retried after Retry-After first.
	ErrRateLimited = errors.New("invapi: rate limited")
	// ErrServer: HTTP 5xx.
	ErrServer = errors.New("invapi: server error")
	// ErrOperationFailed: an async operation ended in failure.
	ErrOperationFailed = errors.New("invapi: operation failed")
	// ErrCallbackKeyGone: a callback key reads "not found": its OK was
	// probably read by someone else or lost in transit (a key answers OK
	// only once). Check the object's state (eq show, update_servers).
	ErrCallbackKeyGone = errors.New("invapi: callback key gone")
	// ErrOutcomeUnknown: a state-changing action may or may not have been
	// carried out (timeout, reset or a broken answer after it was sent). It
	// is never resent; OutcomeUnknownError.Settle names the read that tells.
	ErrOutcomeUnknown = errors.New("invapi: outcome unknown")
	// ErrInvalidInput: a request failed validation; nothing was sent.
	ErrInvalidInput = errors.New("invapi: invalid input")
	// ErrNetwork: the API could not be reached or the connection failed
	// (after the retries a read is allowed). Also matches net.Error.
	ErrNetwork = errors.New("invapi: network error")
	// ErrClosed: the client was closed while an operation was being waited on.
	ErrClosed = errors.New("invapi: client closed")
	// ErrBadResponse: the answer could not be understood (not JSON, wrong
	// types, truncated, too large).
	ErrBadResponse = errors.New("invapi: bad response")
	// ErrRedirected: the API answered with a redirect the SDK did not
	// follow (a *ResponseError with a 3xx status). The SDK follows only a
	// 307 or 308 of a read within the base URL's origin, never one to
	// another scheme, host or port, and never for a state change; a 3xx
	// other than 307 or 308 to a state change may follow a processed
	// request and is also an unknown outcome (ErrOutcomeUnknown).
	ErrRedirected = errors.New("invapi: redirected")
)

// APIError is a business error answered by InvAPI, usually with HTTP 200.
type APIError struct {
	Module     string // "eq"
	Action     string // "show"
	Code       string // "-1", "-2", "NO_APPROPRIATE_SERVERS"...; "" when the API sent none
	Message    string // the API's text, secrets masked
	HTTPStatus int
	// RetryAfter is the wait the API asked for (HTTP 429), if any.
	RetryAfter time.Duration

	kind error // category sentinel, nil when none applies
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "invapi: %s/%s: ", e.Module, e.Action)
	msg := e.Message
	// The API often names the action itself ("tags/list: invalid server
	// id"): say it once.
	if prefix, rest := splitActionPrefix(msg); prefix != "" && strings.EqualFold(prefix, e.Module+"/"+e.Action) {
		msg = rest
	}
	if msg != "" {
		b.WriteString(msg)
	} else {
		b.WriteString("request failed")
	}
	if e.Code != "" {
		fmt.Fprintf(&b, " (code %s)", e.Code)
	}
	if e.HTTPStatus != 0 && e.HTTPStatus != 200 {
		fmt.Fprintf(&b, " (HTTP %d)", e.HTTPStatus)
	}
	return b.String()
}

// Is matches the error's category sentinel (ErrUnauthorized, ErrNotFound...).
func (e *APIError) Is(target error) bool { return e.kind != nil && target == e.kind }

// LogValue keeps structured logs tidy.
func (e *APIError) LogValue() slog.Value {
	return slog.GroupValue(slog.String("module", e.Module), slog.String("action", e.Action),
		slog.String("code", e.Code), slog.String("message", e.Message), slog.Int("http_status", e.HTTPStatus))
}

// ResponseError is an answer the SDK could not read: not JSON (an HTML error
// page, a PHP fatal error), truncated, of the wrong types, or too large.
type ResponseError struct {
	Module      string
	Action      string
	HTTPStatus  int
	ContentType string
	Reason      string // what was wrong
	Excerpt     string // the start of the body, secrets masked
	Err         error  // underlying decode error, if any
}

func (e *ResponseError) Error() string {
	msg := fmt.Sprintf("invapi: %s/%s: unreadable answer (HTTP %d", e.Module, e.Action, e.HTTPStatus)
	if e.ContentType != "" {
		msg += ", " + e.ContentType
	}
	msg += "): " + e.Reason
	if e.Excerpt != "" {
		msg += fmt.Sprintf(": %q", e.Excerpt)
	}
	return msg
}

// Is matches ErrBadResponse, and ErrServer for 5xx or ErrRateLimited for 429.
func (e *ResponseError) Is(target error) bool {
	switch target {
	case ErrBadResponse:
		return true
	case ErrServer:
		return e.HTTPStatus >= 500
	case ErrRateLimited:
		return e.HTTPStatus == 429
	case ErrUnauthorized:
		return e.HTTPStatus == 401
	case ErrRedirected:
		return e.HTTPStatus >= 300 && e.HTTPStatus < 400
	}
	return false
}

func (e *ResponseError) Unwrap() error { return e.Err }

// OutcomeUnknownError is returned when a state-changing action may have
// reached the server but its answer was lost or unreadable. The SDK never
// resends such an action; Client.Settle performs the read Settle names and
// says whether the action took effect.
type OutcomeUnknownError struct {
	Module string
	Action string
	// Settle names the read that tells whether the action took effect, e.g.
	// "eq/show id=12345" or "eq/update_servers deploy_keys + whmcs/get_invoices".
	Settle string
	Err    error // what went wrong: a network error, an HTTP 5xx, a broken answer
	// Operation is set when the answer could not be fully read but held a
	// callback key: the action was accepted and is under way. Wait on it
	// (or save Operation.Key for Client.ResumeOperation) to learn how it
	// ended, instead of acting again.
	Operation *Operation

	// request holds the non-secret fields the action sent (id, tag, ip,
	// ptr...), for Client.Settle.
	request url.Values
}

func (e *OutcomeUnknownError) Error() string {
	msg := fmt.Sprintf("invapi: %s/%s: outcome unknown, not resent: %s", e.Module, e.Action, innerText(e.Err, e.Module, e.Action))
	if e.Operation != nil {
		msg += "; the action is under way: wait on callback key " + e.Operation.Key()
	}
	if e.Settle != "" {
		msg += "; check with " + e.Settle
	}
	return msg
}

// Is matches ErrOutcomeUnknown.
func (e *OutcomeUnknownError) Is(target error) bool { return target == ErrOutcomeUnknown }

func (e *OutcomeUnknownError) Unwrap() error { return e.Err }

// ValidationError reports invalid input, found before anything was sent.
type ValidationError struct {
	Field  string // the form field name, e.g. "root_pass"
	Reason string
}

func (e *ValidationError) Error() string {
	return fmt.Sprintf("invapi: invalid %s: %s", e.Field, e.Reason)
}

// Is matches ErrInvalidInput.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalidInput }

// invalid is shorthand for building a *ValidationError.
func invalid(field, format string, args ...any) error {
	return &ValidationError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// OperationError is an async operation that ended in failure, or whose
// callback key vanished.
type OperationError struct {
	Key     string // callback key
	Module  string // module of the action that started it
	Action  string
	Message string // the API's text, secrets masked
	Code    string
	// Gone is true when the key read "not found": its OK was probably
	// consumed by another reader (or lost in transit), so the outcome must
	// be read from the object itself.
	Gone bool
}

func (e *OperationError) Error() string {
	name := e.Module + "/" + e.Action
	if e.Module == "" && e.Action == "" {
		name = "resumed operation" // from Client.ResumeOperation: what started it is not known
	}
	if e.Gone {
		return fmt.Sprintf("invapi: %s: callback key %s is gone (its result was probably read elsewhere); check the server's state", name, e.Key)
	}
	msg := fmt.Sprintf("invapi: %s: operation failed: %s", name, e.Message)
	if e.Code != "" {
		msg += " (code " + e.Code + ")"
	}
	return msg
}

// Is matches ErrCallbackKeyGone for a vanished key, ErrOperationFailed otherwise.
func (e *OperationError) Is(target error) bool {
	if e.Gone {
		return target == ErrCallbackKeyGone
	}
	return target == ErrOperationFailed
}
