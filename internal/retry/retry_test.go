package retry

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func resp(status int, retryAfter string) *http.Response {
	r := &http.Response{StatusCode: status, Header: http.Header{}}
	if retryAfter != "" {
		r.Header.Set("Retry-After", retryAfter)
	}
	return r
}

func TestCheckRetryByClass(t *testing.T) {
	p := Policy{MaxWait: time.Second, MaxRetryAfter: time.Minute}
	dial := &url.Error{Op: "Post", URL: "https://x/eq.php", Err: &net.OpError{Op: "dial", Err: errors.New("connection refused")}}
	reset := &url.Error{Op: "Post", URL: "https://x/eq.php", Err: &net.OpError{Op: "read", Err: errors.New("connection reset by peer")}}
	tests := []struct {
		name  string
		class Class
		resp  *http.Response
		err   error
		want  bool
	}{
		{"read 502", Read, resp(502, ""), nil, true},
		{"read 503", Read, resp(503, ""), nil, true},
		{"read 501 is final", Read, resp(501, ""), nil, false},
		{"read 429", Read, resp(429, "2"), nil, true},
		{"read 429 beyond the cap", Read, resp(429, "3600"), nil, false},
		{"read 200", Read, resp(200, ""), nil, false},
		{"read 404", Read, resp(404, ""), nil, false},
		{"read reset", Read, nil, reset, true},
		{"change 502", Change, resp(502, ""), nil, false},
		{"change 429", Change, resp(429, "1"), nil, false},
		{"change reset", Change, nil, reset, false},
		{"change never connected", Change, nil, dial, true},
		{"money reset", Money, nil, reset, false},
		{"money never connected", Money, nil, dial, true},
	}
	for _, tt := range tests {
		ctx := WithClass(context.Background(), tt.class)
		got, _ := p.CheckRetry(ctx, tt.resp, tt.err)
		assert.Equal(t, tt.want, got, tt.name)
	}
	ctx, cancel := context.WithCancel(WithClass(context.Background(), Read))
	cancel()
	got, err := p.CheckRetry(ctx, resp(502, ""), nil)
	assert.False(t, got)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestClassDefaultsToChange(t *testing.T) {
	assert.Equal(t, Change, ClassOf(context.Background()), "an unmarked request is never replayed")
	assert.True(t, Read.Idempotent())
	assert.False(t, Money.Idempotent())
}

func TestBackoff(t *testing.T) {
	p := Policy{MaxRetryAfter: 10 * time.Second}
	assert.Equal(t, 3*time.Second, p.Backoff(time.Millisecond, time.Second, 0, resp(429, "3")))
	assert.Equal(t, 10*time.Second, p.Backoff(time.Millisecond, time.Second, 0, resp(503, "60")), "capped")
	for attempt := 0; attempt < 6; attempt++ {
		d := p.Backoff(100*time.Millisecond, time.Second, attempt, resp(502, ""))
		assert.LessOrEqual(t, d, time.Second)
		assert.GreaterOrEqual(t, d, 50*time.Millisecond)
	}
}

func TestRetryAfter(t *testing.T) {
	d, ok := RetryAfter(resp(429, "7"))
	assert.True(t, ok)
	assert.Equal(t, 7*time.Second, d)
	d, ok = RetryAfter(resp(429, time.Now().Add(time.Minute).UTC().Format(http.TimeFormat)))
	assert.True(t, ok)
	assert.InDelta(t, time.Minute.Seconds(), d.Seconds(), 2)
	_, ok = RetryAfter(resp(429, "soon"))
	assert.False(t, ok)
	_, ok = RetryAfter(nil)
	assert.False(t, ok)
}

func TestRefusedStream(t *testing.T) {
	// The text net/http's transport keeps when it cannot rewind the body.
	cannot := errors.New("http2: Transport: cannot retry err [stream error: stream ID 3; REFUSED_STREAM; received from peer] after Request.Body was written; define Request.GetBody to avoid this error")
	if !RefusedStream(&url.Error{Op: "Post", URL: "https://x/eq.php", Err: cannot}) {
		t.Error("refused stream in the transport's text not recognised")
	}
	for _, err := range []error{
		errors.New("http2: Transport: cannot retry err [stream error: stream ID 3; PROTOCOL_ERROR; received from peer] after Request.Body was written"),
		errors.New("stream error: stream ID 1; INTERNAL_ERROR"),
		errors.New("REFUSED_STREAMING is not a code"),
		nil,
	} {
		if RefusedStream(err) {
			t.Errorf("%v taken for a refused stream", err)
		}
	}
}

func TestFinalAnswerNotRetriedAndBodyKept(t *testing.T) {
	body := `{"result":-1,"error":"Wrong PIN"}`
	p := Policy{Final: func(status int, b []byte) bool { return strings.Contains(string(b), "PIN") }}
	resp := &http.Response{StatusCode: 503, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(body))}
	retry, err := p.CheckRetry(WithClass(context.Background(), Read), resp, nil)
	if retry || err != nil {
		t.Fatalf("a final answer is retried: %v %v", retry, err)
	}
	got, _ := io.ReadAll(resp.Body)
	if string(got) != body {
		t.Errorf("body after peek = %q", got)
	}
}

func TestGoAwayUnprocessed(t *testing.T) {
	for _, text := range []string{
		"http2: Transport: cannot retry err [http2: Transport received Server's graceful shutdown GOAWAY] after Request.Body was written; define Request.GetBody to avoid this error",
		"http2: Transport received GOAWAY from server ErrCode:ENHANCE_YOUR_CALM",
	} {
		if !RefusedStream(errors.New(text)) {
			t.Errorf("not taken for unprocessed: %s", text)
		}
	}
	if RefusedStream(errors.New("http2 server sent GOAWAY and closed the connection; LastStreamID=1, ErrCode=NO_ERROR, debug=\"\"")) {
		t.Error("a stream at or below the GOAWAY's last stream id may have been processed")
	}
}

type brokenReader struct{ data string }

func (b *brokenReader) Read(p []byte) (int, error) {
	if b.data == "" {
		return 0, io.ErrUnexpectedEOF
	}
	n := copy(p, b.data)
	b.data = b.data[n:]
	return n, nil
}

// With MaxBody, a read's 2xx body is read by the policy: one that breaks
// off or that Unreadable rejects is asked again; a readable one is handed
// on, whole, with what Unreadable made of it; a state change's is not read.
func TestCheckRetryReadsTwoHundredBodies(t *testing.T) {
	p := Policy{MaxBody: 16, Unreadable: func(_ context.Context, _ *http.Response, body []byte) (bool, any) {
		if strings.HasPrefix(string(body), "{") {
			return false, "parsed"
		}
		return true, nil
	}}
	read := WithClass(context.Background(), Read)
	with := func(body io.Reader) *http.Response {
		r := resp(200, "")
		r.Body = io.NopCloser(body)
		return r
	}
	for _, tc := range []struct {
		name   string
		ctx    context.Context
		body   io.Reader
		again  bool
		data   string
		parsed any
		err    bool
	}{
		{"readable", read, strings.NewReader(`{"a":1}`), false, `{"a":1}`, "parsed", false},
		{"unreadable", read, strings.NewReader(`<html>`), true, `<html>`, nil, false},
		{"broken", read, &brokenReader{`{"a":`}, true, `{"a":`, nil, true},
		{"too large: the caller says so", read, strings.NewReader(`{"a":"0123456789abcdef"}`), false, `{"a":"0123456789a`, nil, false},
	} {
		r := with(tc.body)
		again, err := p.CheckRetry(tc.ctx, r, nil)
		assert.NoError(t, err, tc.name)
		assert.Equal(t, tc.again, again, tc.name)
		b, ok := TakeBuffered(r.Body)
		assert.True(t, ok, tc.name)
		assert.Equal(t, tc.data, string(b.Data), tc.name)
		assert.Equal(t, tc.parsed, b.Parsed, tc.name)
		assert.Equal(t, tc.err, b.Err != nil, tc.name)
	}
	r := with(strings.NewReader(`<html>`))
	again, _ := p.CheckRetry(WithClass(context.Background(), Change), r, nil)
	assert.False(t, again, "a state change's answer is never asked again")
	_, ok := TakeBuffered(r.Body)
	assert.False(t, ok, "nor read by the policy")
}
