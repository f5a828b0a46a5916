// Package retry decides, per request, whether a failed try may be repeated.
//
// The rule is the SDK's first safety promise: a read (or a callback check)
// may be repeated after a network error, HTTP 429 or 5xx; an action that
// creates, charges, reinstalls or changes state is sent at most once, and is
// repeated only when it provably never left the machine (the connection could
// not be opened). go-retryablehttp's CheckRetry sees only the request's
// context, so the class travels there (WithClass).
package retry

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"sync"
	"time"
)

// Class says what an action does to the world.
type Class uint8

const (
	// Read changes nothing: safe to repeat.
	Read Class = iota
	// Change changes state (power, reinstall, tags, networking): never replayed.
	Change
	// Money orders or charges: never replayed.
	Money
)

// Idempotent reports whether a request of this class may be sent again.
func (c Class) Idempotent() bool { return c == Read }

func (c Class) String() string {
	switch c {
	case Read:
		return "read"
	case Change:
		return "change"
	case Money:
		return "money"
	}
	return "class(" + strconv.Itoa(int(c)) + ")"
}

type classKey struct{}

// WithClass returns ctx carrying the request's class.
func WithClass(ctx context.Context, c Class) context.Context {
	return context.WithValue(ctx, classKey{}, c)
}

// ClassOf returns the class carried by ctx; without one, Change (the safe guess).
func ClassOf(ctx context.Context) Class {
	if c, ok := ctx.Value(classKey{}).(Class); ok {
		return c
	}
	return Change
}

// Policy is the retry policy plugged into go-retryablehttp.
type Policy struct {
	MaxWait       time.Duration // longest pause between tries
	MaxRetryAfter time.Duration // longest Retry-After honoured; beyond it, give up
	// Final reports an answer that must not be asked again whatever its
	// status (a PIN refusal: repeating it makes the API lock the account
	// out for longer). It sees the start of the body; nil: none is final.
	Final func(status int, body []byte) bool
	// MaxBody, when set, makes CheckRetry read a 2xx answer to a read
	// itself (at most MaxBody+1 bytes), so that an answer whose body breaks
	// off, or that Unreadable rejects, is asked again within the same
	// budget and backoff as a 5xx. The body is handed on as a *Buffered.
	MaxBody int64
	// Unreadable reports a 2xx answer, read whole, that a read must ask
	// again (not JSON: an HTML page, a PHP fatal error), and what it made
	// of it otherwise (kept in Buffered.Parsed). nil: none is.
	Unreadable func(ctx context.Context, resp *http.Response, body []byte) (again bool, parsed any)
}

// Buffered is a body CheckRetry read: Data, then Err (io.EOF when the body
// was read whole). Take one with TakeBuffered.
type Buffered struct {
	Data   []byte
	Err    error
	Parsed any // what Policy.Unreadable made of Data
	off    int
}

var buffers = sync.Pool{New: func() any { return new(Buffered) }}

// TakeBuffered returns a copy of body when CheckRetry read it, and
// recycles it; ok is false for a body CheckRetry did not read.
func TakeBuffered(body io.Reader) (got Buffered, ok bool) {
	b, ok := body.(*Buffered)
	if !ok {
		return Buffered{}, false
	}
	got = *b
	*b = Buffered{}
	buffers.Put(b)
	return got, true
}

func (b *Buffered) Read(p []byte) (int, error) {
	if b.off >= len(b.Data) {
		if b.Err != nil {
			return 0, b.Err
		}
		return 0, io.EOF
	}
	n := copy(p, b.Data[b.off:])
	b.off += n
	return n, nil
}

// Close implements io.Closer; the connection's body is closed already.
func (b *Buffered) Close() error { return nil }

// peekBytes is how much of a retryable answer's body Final sees.
const peekBytes = 64 << 10

// CheckRetry implements retryablehttp.CheckRetry.
func (p Policy) CheckRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		if !Retryable(err) {
			return false, nil
		}
		return ClassOf(ctx).Idempotent() || NotSent(err), nil
	}
	if !ClassOf(ctx).Idempotent() {
		return false, nil // an answer arrived: the request reached the server
	}
	if (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500) && p.Final != nil && p.Final(resp.StatusCode, peek(resp)) {
		return false, nil
	}
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300 && p.MaxBody > 0 && resp.Body != nil:
		body, err := io.ReadAll(io.LimitReader(resp.Body, p.MaxBody+1))
		resp.Body.Close()
		b := buffers.Get().(*Buffered)
		b.Data, b.Err = body, err
		resp.Body = b
		if err != nil {
			return ctx.Err() == nil, nil // broke off after the headers
		}
		if int64(len(body)) > p.MaxBody || p.Unreadable == nil {
			return false, nil // too large: the caller says so
		}
		again, parsed := p.Unreadable(ctx, resp, body)
		b.Parsed = parsed
		return again, nil
	case resp.StatusCode == http.StatusTooManyRequests:
		if d, ok := RetryAfter(resp); ok && p.MaxRetryAfter > 0 && d > p.MaxRetryAfter {
			return false, nil
		}
		return true, nil
	case resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented:
		return true, nil
	}
	return false, nil
}

// peek reads the start of resp's body and puts it back, so the caller still
// reads the whole body.
func peek(resp *http.Response) []byte {
	if resp.Body == nil {
		return nil
	}
	head, _ := io.ReadAll(io.LimitReader(resp.Body, peekBytes))
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head), resp.Body), resp.Body}
	return head
}

// Backoff implements retryablehttp.Backoff: Retry-After when the server
// sends one (429, 503), else exponential backoff with jitter in [d/2, d].
func (p Policy) Backoff(min, max time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		if d, ok := RetryAfter(resp); ok {
			if p.MaxRetryAfter > 0 && d > p.MaxRetryAfter {
				d = p.MaxRetryAfter
			}
			return d
		}
	}
	return Jitter(min, max, attempt)
}

// Jitter returns min·2^attempt capped at max, randomised into [d/2, d].
func Jitter(min, max time.Duration, attempt int) time.Duration {
	d := min
	for i := 0; i < attempt && d < max; i++ {
		d *= 2
	}
	if d > max {
		d = max
	}
	if d <= 1 {
		return d
	}
	half := d / 2
	return half + rand.N(d-half+1)
}

// RetryAfter parses a Retry-After header (seconds or an HTTP date).
func RetryAfter(resp *http.Response) (time.Duration, bool) {
	if resp == nil {
		return 0, false
	}
	v := resp.Header.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := time.Until(t)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

// Retryable reports whether a transport error may go away on its own (not a
// bad URL, a TLS certificate problem or a redirect loop).
func Retryable(err error) bool {
	var certErr *tls.CertificateVerificationError
	if errors.As(err, &certErr) {
		return false
	}
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		if urlErr.Op == "parse" {
			return false
		}
		if errors.Is(urlErr.Err, context.Canceled) || errors.Is(urlErr.Err, context.DeadlineExceeded) {
			return false
		}
	}
	return true
}

// NotSent reports whether err proves the request never reached the server:
// the connection could not be opened (refused, unreachable, DNS failure).
func NotSent(err error) bool {
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return true
	}
	var dnsErr *net.DNSError
	return errors.As(err, &dnsErr)
}

// streamError mirrors the fields of HTTP/2's StreamError (net/http's bundled
// copy and golang.org/x/net/http2's), which convert into it with errors.As.
type streamError struct {
	StreamID uint32
	Code     uint32
	Cause    error
}

func (e streamError) Error() string { return "http2 stream error" }

const refusedStream = 0x7 // REFUSED_STREAM

// refusedText matches a refused stream in an error's text: net/http's
// HTTP/2 transport keeps only the text of the stream error when it cannot
// resend a request whose body it cannot rewind.
var refusedText = regexp.MustCompile(`stream error: stream ID \d+; REFUSED_STREAM\b`)

// goAwayText matches net/http's errors for a stream above the last stream
// id of a GOAWAY the server sent: by RFC 9113 (§6.8) the server did not
// and will not process it.
var goAwayText = regexp.MustCompile(`http2: Transport received (Server's graceful shutdown GOAWAY|GOAWAY from server ErrCode:)`)

// RefusedStream reports whether err proves that the server did not process
// an HTTP/2 request: its stream was reset with REFUSED_STREAM, which RFC
// 9113 (§8.7) defines as closed before any processing, or it lay above the
// last stream id of a GOAWAY (§6.8). The request may be sent again,
// whatever it does.
func RefusedStream(err error) bool {
	if err == nil {
		return false
	}
	var se streamError
	if errors.As(err, &se) {
		return se.Code == refusedStream
	}
	text := err.Error()
	return refusedText.MatchString(text) || goAwayText.MatchString(text)
}
