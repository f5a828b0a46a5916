package invapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync/atomic"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/invapi-go/invapi/internal/envelope"
	"github.com/invapi-go/invapi/internal/retry"
)

// The transport half of the request path: how one form is put on the wire.
//
// A read goes through go-retryablehttp, which retries it on network errors,
// 429 and 5xx, with a body that every layer may rewind and resend.
//
// A state change (class change or money) never goes through a layer that
// can replay it: the SDK builds the *http.Request itself with a body that
// cannot be rewound (GetBody is nil), so net/http's own transport cannot
// resend it either (HTTP/2 retries a stream reset with PROTOCOL_ERROR, and
// HTTP/1 retries a request lost to a connection-reuse race, only when it can
// rewind the body). The SDK tries it again only when the failure proves the
// server never processed it: the connection could not be opened, an HTTP/2
// stream was refused (REFUSED_STREAM, RFC 9113 §8.7), or it lay above the
// last stream id of the server's GOAWAY (§6.8).

// roundTrip sends one request for ep and returns the response with its body
// unread. sent reports whether the request may have reached the server.
func (c *Client) roundTrip(ctx context.Context, ep *endpoint, body []byte) (resp *http.Response, sent bool, err error) {
	if ep.class.Idempotent() {
		return c.roundTripRead(ctx, ep, body)
	}
	return c.roundTripOnce(ctx, ep, body)
}

func (c *Client) setHeaders(h http.Header) {
	h.Set("Content-Type", "application/x-www-form-urlencoded")
	h.Set("Accept", "application/json")
	h.Set("User-Agent", c.userAgent)
}

// roundTripRead sends a read with go-retryablehttp's retries.
func (c *Client) roundTripRead(ctx context.Context, ep *endpoint, body []byte) (*http.Response, bool, error) {
	req, err := retryablehttp.NewRequestWithContext(retry.WithClass(ctx, ep.class), http.MethodPost, c.requestBase()+"/"+ep.module+".php", body)
	if err != nil {
		return nil, false, fmt.Errorf("invapi: %s: build request: %w", ep, err)
	}
	c.setHeaders(req.Header)
	// net/http replays a request through GetBody to follow a 307/308 and,
	// over HTTP/2, after a stream reset with PROTOCOL_ERROR or
	// REFUSED_STREAM, the latter with no bound (a server that resets every
	// stream would hold a read with no deadline for ever). Give it a few
	// replays; go-retryablehttp's bounded retries do the rest.
	if getBody := req.Request.GetBody; getBody != nil {
		var replays atomic.Int32
		req.Request.GetBody = func() (io.ReadCloser, error) {
			if replays.Add(1) > maxReplays {
				return nil, errReplays
			}
			return getBody()
		}
	}
	resp, err := c.http.Do(req)
	return resp, true, err
}

// maxReplays bounds the replays of one read below the SDK (redirects
// followed, HTTP/2 retries).
const maxReplays = 3

var errReplays = errors.New("too many replays of one request below the SDK")

// roundTripOnce sends a state change that no layer may replay. It is tried
// again (up to the retry budget, with the same backoff) only after a failure
// that proves the server never processed it.
func (c *Client) roundTripOnce(ctx context.Context, ep *endpoint, body []byte) (*http.Response, bool, error) {
	rctx := retry.WithClass(ctx, ep.class)
	for attempt := 0; ; attempt++ {
		if c.closed.Load() {
			return nil, false, closedError(ep)
		}
		var wrote atomic.Bool
		tctx := httptrace.WithClientTrace(rctx, &httptrace.ClientTrace{
			WroteHeaders: func() { wrote.Store(true) },
		})
		req, err := http.NewRequestWithContext(tctx, http.MethodPost, c.requestBase()+"/"+ep.module+".php", nil)
		if err != nil {
			return nil, false, fmt.Errorf("invapi: %s: build request: %w", ep, err)
		}
		// A body net/http cannot rewind: with GetBody nil, no layer below
		// the SDK can send the request a second time.
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.ContentLength = int64(len(body))
		req.GetBody = nil
		c.setHeaders(req.Header)

		resp, err := c.hc.Do(req)
		if err == nil {
			return resp, true, nil
		}
		unprocessed := retry.NotSent(err) || retry.RefusedStream(err)
		if unprocessed && retry.Retryable(err) && attempt < c.http.RetryMax && ctx.Err() == nil {
			c.logger.LogAttrs(ctx, slog.LevelDebug, "invapi request not processed, sending again",
				slog.String("module", ep.module), slog.String("action", ep.action), slog.Int("attempt", attempt+1))
			if err := sleepCtx(ctx, retry.Jitter(c.http.RetryWaitMin, c.http.RetryWaitMax, attempt)); err != nil {
				return nil, false, err
			}
			continue
		}
		return nil, wrote.Load() && !unprocessed, err
	}
}

// closedError is returned by every call made after Client.Close.
func closedError(ep *endpoint) error {
	return fmt.Errorf("invapi: %s: %w", ep, ErrClosed)
}

// origin is a URL's scheme, host and port, with the default port made
// explicit, lower-cased: two URLs of one origin compare equal.
func origin(u *url.URL) string {
	port := u.Port()
	if port == "" {
		switch strings.ToLower(u.Scheme) {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	return strings.ToLower(u.Scheme) + "://" + net.JoinHostPort(strings.ToLower(u.Hostname()), port)
}

// redirectPolicy wraps the CheckRedirect of the user's *http.Client (nil:
// net/http's default). The SDK follows a redirect only for a read, only a
// 307 or 308 (a 301, 302 or 303 would turn the POST into a GET without its
// form) and only within the configured origin: scheme, host and port, so
// no secret in the body ever travels to another host or over plain http.
// Everything else stops at the redirect, which the request path reports as
// a *ResponseError matching ErrRedirected.
func (c *Client) redirectPolicy(user func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if !retry.ClassOf(req.Context()).Idempotent() {
			return http.ErrUseLastResponse // a state change is never sent twice
		}
		if origin(req.URL) != c.requestOrigin() {
			return http.ErrUseLastResponse
		}
		if r := req.Response; r == nil || (r.StatusCode != http.StatusTemporaryRedirect && r.StatusCode != http.StatusPermanentRedirect) {
			return http.ErrUseLastResponse
		}
		if user != nil {
			return user(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
}

// requestOrigin is the origin requests go to: the base URL's, or the
// portal's a login answer switched to.
func (c *Client) requestOrigin() string {
	u, err := url.Parse(c.requestBase())
	if err != nil {
		return origin(c.baseURL)
	}
	return origin(u)
}

// redirectError is the error for a 3xx answer the SDK did not follow. Its
// text names the Location's origin and path only (no user info, query or
// fragment, where a secret could sit), with the client's secrets masked.
//
// A 307 or 308 asks for the same request to be sent elsewhere, so the
// server did not act on it; any other 3xx (303 is the answer to a processed
// form in the Post/Redirect/Get pattern) may follow a processed request, so
// for a state change it is an unknown outcome.
func (c *Client) redirectError(ep *endpoint, ans *answer) error {
	reason := "redirected without a Location"
	if loc := ans.header.Get("Location"); loc != "" {
		u, err := c.baseURL.Parse(loc)
		switch {
		case err != nil:
			reason = "redirected to an unreadable Location"
		default:
			path := u.EscapedPath()
			if len(path) > 80 {
				path = path[:80] + "…"
			}
			reason = "redirected to " + c.redact(origin(u)+path)
			if origin(u) != c.requestOrigin() {
				reason += ", another origin than the base URL"
			}
		}
	}
	err := &ResponseError{Module: ep.module, Action: ep.action, HTTPStatus: ans.status,
		ContentType: ans.contentType, Reason: reason + "; not followed: check the base URL"}
	if ans.status == http.StatusTemporaryRedirect || ans.status == http.StatusPermanentRedirect {
		return err
	}
	return c.maybeUnknown(ep, err)
}

// pinRefused reports an answer refusing the PIN (wrong or missing): final,
// whatever its HTTP status, so a read is not asked again after it.
func (c *Client) pinRefused(_ int, body []byte) bool {
	env, err := envelope.Parse(body)
	if err != nil || env == nil || !env.Failed() {
		return false
	}
	msg := env.Text()
	if msg == "" {
		msg = env.Error
	}
	// The message decides, not the status: classify puts 429 and 401 first.
	kind := classify(c.redact(env.Code), c.redact(msg), http.StatusOK)
	return kind == ErrWrongPIN || kind == ErrPINRequired
}

// sessionRefusedBy reports whether err is the API refusing the session in
// a way that proves the call was not carried out, so that it may be sent
// again after a new login. For a state change only an *APIError answered
// with a 2xx, 401 or another 4xx proves it; a 5xx saying "Invalid token", or
// any refusal wrapped in an outcome-unknown error, does not: the server may
// have acted and then failed. A read may be sent again on any refusal.
func sessionRefusedBy(ep *endpoint, err error) bool {
	if !errors.Is(err, ErrUnauthorized) {
		return false
	}
	if ep.class.Idempotent() {
		return true
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr != err {
		return false // wrapped, e.g. in an *OutcomeUnknownError
	}
	return apiErr.HTTPStatus < 500
}

// runPrompt calls a user's prompt and returns when it answers or ctx ends,
// whichever comes first, so a prompt that ignores its context cannot hold
// the call.
func runPrompt(ctx context.Context, prompt func(context.Context) (string, error)) (string, error) {
	type reply struct {
		s   string
		err error
	}
	ch := make(chan reply, 1) // the prompt's goroutine never blocks on it
	go func() {
		s, err := prompt(ctx)
		ch <- reply{s, err}
	}()
	select {
	case r := <-ch:
		return r.s, r.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}
