package invapi

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// eventLog records every observer event, as text too.
type eventLog struct {
	mu     sync.Mutex
	events []any
}

func (e *eventLog) add(v any) {
	e.mu.Lock()
	e.events = append(e.events, v)
	e.mu.Unlock()
}

func (e *eventLog) observer() Observer {
	return Observer{
		OnRequestStart:  func(v RequestStartInfo) { e.add(v) },
		OnRequestDone:   func(v RequestDoneInfo) { e.add(v) },
		OnRetry:         func(v RetryInfo) { e.add(v) },
		OnRateLimitWait: func(v RateLimitWaitInfo) { e.add(v) },
		OnPollCheck:     func(v PollCheckInfo) { e.add(v) },
		OnOperationDone: func(v OperationDoneInfo) { e.add(v) },
	}
}

func (e *eventLog) all() []any {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]any(nil), e.events...)
}

func eventsOf[T any](e *eventLog) []T {
	var out []T
	for _, v := range e.all() {
		if x, ok := v.(T); ok {
			out = append(out, x)
		}
	}
	return out
}

func TestObserverEvents(t *testing.T) {
	t.Parallel()
	var log eventLog
	c, m := newTestClient(t, WithObserver(log.observer()))
	m.on("eq", "show", `{"result":"OK","server_data":{"id":"12345"}}`)
	m.onSeq("eq", "status", `{"code":-1,"message":"server error"}`)
	var shows int
	m.onFunc("eq", "list", func(url.Values) (int, string) {
		shows++
		if shows == 1 {
			return http.StatusBadGateway, "bad gateway"
		}
		return http.StatusOK, `{"result":"OK","servers":[]}`
	})
	m.on("eq", "reboot", `{"result":"OK","callback":"key-7"}`)
	m.onSeq("eq_callback", "check", `{"result":"Not ready","key":"key-7"}`,
		`{"result":"Stage","scope":"one","key":"key-7"}`, `{"result":"OK","scope":"done","key":"key-7"}`)

	ctx := context.Background()
	_, err := c.Eq.Show(ctx, 12345)
	require.NoError(t, err)
	_, err = c.Eq.List(ctx, nil)
	require.NoError(t, err)
	op, err := c.Eq.Reboot(ctx, 12345)
	require.NoError(t, err)
	_, err = op.Wait(ctx)
	require.NoError(t, err)

	starts := eventsOf[RequestStartInfo](&log)
	dones := eventsOf[RequestDoneInfo](&log)
	require.Equal(t, len(starts), len(dones), "every start has its done")
	byCall := map[string][]RequestDoneInfo{}
	for _, d := range dones {
		byCall[d.Module+"/"+d.Action] = append(byCall[d.Module+"/"+d.Action], d)
		assert.Positive(t, d.Duration)
	}
	require.Len(t, byCall["auth/login"], 1)
	assert.Equal(t, "read", byCall["auth/login"][0].Class)
	require.Len(t, byCall["eq/show"], 1)
	assert.Equal(t, RequestDoneInfo{Module: "eq", Action: "show", Class: "read", Attempt: 1, HTTPStatus: 200,
		Duration: byCall["eq/show"][0].Duration}, byCall["eq/show"][0])
	require.Len(t, byCall["eq/list"], 2)
	assert.Equal(t, CategoryServer, byCall["eq/list"][0].Err)
	assert.Equal(t, 502, byCall["eq/list"][0].HTTPStatus)
	assert.Equal(t, 2, byCall["eq/list"][1].Attempt)
	assert.Equal(t, CategoryNone, byCall["eq/list"][1].Err)
	retries := eventsOf[RetryInfo](&log)
	require.Len(t, retries, 1)
	assert.Equal(t, RetryInfo{Module: "eq", Action: "list", Class: "read", Attempt: 2, Reason: CategoryServer,
		After: retries[0].After}, retries[0])
	require.Len(t, byCall["eq/reboot"], 1)
	assert.Equal(t, "change", byCall["eq/reboot"][0].Class)

	// The poller's hooks run on its goroutine, and may come just after Wait.
	require.Eventually(t, func() bool {
		return len(eventsOf[PollCheckInfo](&log)) == 3 && len(eventsOf[OperationDoneInfo](&log)) == 1
	}, 5*time.Second, time.Millisecond)
	checks := eventsOf[PollCheckInfo](&log)
	require.Len(t, checks, 3)
	for i, want := range []string{"Not ready", "Stage", "OK"} {
		assert.Equal(t, want, checks[i].Status)
		assert.Equal(t, i+1, checks[i].Check)
		assert.Equal(t, "eq", checks[i].Module)
		assert.Equal(t, "reboot", checks[i].Action)
		assert.Equal(t, "key-7", checks[i].Key)
	}
	opsDone := eventsOf[OperationDoneInfo](&log)
	require.Len(t, opsDone, 1)
	assert.Equal(t, OperationDoneInfo{Module: "eq", Action: "reboot", Key: "key-7", Duration: opsDone[0].Duration,
		Checks: 3, Outcome: "OK"}, opsDone[0])

	// An API refusal in a 200 answer: its category is the call's outcome.
	_, err = c.Eq.Status(ctx, 12345)
	require.Error(t, err)
	dones = eventsOf[RequestDoneInfo](&log)
	last := dones[len(dones)-1]
	assert.Equal(t, "eq/status", last.Module+"/"+last.Action)
	assert.Equal(t, CategoryAPI, last.Err)
}

// No event field carries a secret: not the token, the PIN, the API key, a
// password sent in a form, nor what the API echoes of them.
func TestObserverEventsHoldNoSecret(t *testing.T) {
	t.Parallel()
	var log eventLog
	c, m := newTestClient(t, WithObserver(log.observer()))
	// The API echoes every secret in a refusal, and a 5xx, and a callback.
	echo := `{"code":-1,"message":"wrong pin ` + testPIN + ` for token ` + testToken + ` key ` + testAPIKey + ` pass Root-pass_123"}`
	m.on("eq", "show", echo)
	m.onFunc("eq", "list", func(url.Values) (int, string) { return http.StatusInternalServerError, echo })
	m.on("eq", "reboot", `{"result":"OK","callback":"key-9"}`)
	m.on("eq_callback", "check", `{"result":"Failed","message":"`+testToken+` `+testPIN+`","key":"key-9"}`)
	m.on("eq", "reinstall", echo)

	ctx := context.Background()
	_, _ = c.Eq.Show(ctx, 12345)
	_, _ = c.Eq.List(ctx, nil)
	if op, err := c.Eq.Reboot(ctx, 12345); err == nil {
		_, _ = op.Wait(ctx)
	}
	_, _ = c.Eq.Reinstall(ctx, &ReinstallRequest{ID: 12345, OSID: 10, RootPass: "Root-pass_123"})

	require.Eventually(t, func() bool { return len(eventsOf[OperationDoneInfo](&log)) > 0 }, 5*time.Second, time.Millisecond)
	events := log.all()
	require.NotEmpty(t, events)
	for _, v := range events {
		assertNoSecrets(t, "observer event", fmt.Sprintf("%+v %#v", v, v))
	}
	assert.NotEmpty(t, eventsOf[OperationDoneInfo](&log))
}

// A hook that panics does not crash the client: the call goes on, and the
// panic is logged at debug level without a secret.
func TestObserverPanicIsRecovered(t *testing.T) {
	t.Parallel()
	var buf lockedBuffer
	boom := func() { panic("observer bug " + testToken) }
	c, m := newTestClient(t, WithLogger(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))),
		WithObserver(Observer{
			OnRequestStart:  func(RequestStartInfo) { boom() },
			OnRequestDone:   func(RequestDoneInfo) { boom() },
			OnPollCheck:     func(PollCheckInfo) { boom() },
			OnOperationDone: func(OperationDoneInfo) { boom() },
		}))
	m.on("eq", "show", `{"result":"OK","server_data":{"id":"12345"}}`)
	m.on("eq", "reboot", `{"result":"OK","callback":"key-3"}`)
	m.on("eq_callback", "check", `{"result":"OK","scope":"done","key":"key-3"}`)
	s, err := c.Eq.Show(context.Background(), 12345)
	require.NoError(t, err)
	assert.Equal(t, 12345, s.ID)
	op, err := c.Eq.Reboot(context.Background(), 12345)
	require.NoError(t, err)
	_, err = op.Wait(context.Background())
	require.NoError(t, err)
	// The poller's hooks run on its goroutine, and may come just after Wait.
	for _, hook := range []string{"OnRequestStart", "OnRequestDone", "OnPollCheck", "OnOperationDone"} {
		assert.Eventually(t, func() bool { return strings.Contains(buf.String(), "hook="+hook) }, 5*time.Second, time.Millisecond, hook)
	}
	out := buf.String()
	assert.Contains(t, out, "invapi observer panicked")
	assertNoSecrets(t, "log", out)
}
