package invapitest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFaultStatusBurst(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	tok := login(t, srv, DefaultAPIKey)
	srv.Fault(Fault{Module: "eq", Action: "show", Kind: FaultStatus, Status: 502, Times: 2})

	f := form("show", "token", tok, "id", "12345")
	for i := 0; i < 2; i++ {
		status, h, body := post(t, srv, "eq", f)
		assert.Equal(t, http.StatusBadGateway, status)
		assert.Equal(t, "text/html", h.Get("Content-Type"))
		assert.Contains(t, string(body), "502 Bad Gateway")
	}
	// Other actions are not affected, and the third show goes through.
	assert.Equal(t, "OK", tcall(t, srv, tok, "eq", "list")["result"])
	assert.Equal(t, "OK", do(t, srv, "eq", f)["result"])
	assert.Equal(t, 1, srv.Count("eq", "show"), "faulted requests never reached the handler")
	reqs := srv.Requests()
	assert.Equal(t, FaultStatus, reqs[1].Fault)
	assert.False(t, reqs[1].Handled)
	assert.Equal(t, 502, reqs[1].Status)
}

func TestFaultRateLimit(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	srv.Fault(Fault{Kind: FaultRateLimit, RetryAfter: 7})
	status, h, _ := post(t, srv, "auth", form("login", "key", DefaultAPIKey))
	assert.Equal(t, http.StatusTooManyRequests, status)
	assert.Equal(t, "7", h.Get("Retry-After"))
	assert.Equal(t, 0, srv.Count("", ""))
}

func TestFaultHTMLWith200(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	srv.Fault(Fault{Module: "presets", Kind: FaultHTML})
	status, _, body := post(t, srv, "presets", form("list", "location", "NL"))
	assert.Equal(t, http.StatusOK, status)
	assert.True(t, strings.HasPrefix(string(body), "<!DOCTYPE html>"))
}

func TestFaultPHPWarningAndTruncated(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	srv.Fault(Fault{Module: "presets", Kind: FaultPHPWarning})
	srv.Fault(Fault{Module: "presets", Kind: FaultTruncated})

	_, _, body := post(t, srv, "presets", form("list", "location", "NL"))
	require.True(t, strings.HasPrefix(string(body), PHPWarning))
	var m map[string]any
	require.NoError(t, json.Unmarshal(body[len(PHPWarning):], &m))
	assert.Equal(t, "OK", m["result"])

	_, _, body = post(t, srv, "presets", form("list", "location", "NL"))
	assert.Error(t, json.Unmarshal(body, &m))
	assert.Equal(t, 2, srv.Count("presets", "list"))
}

func TestFaultDropBeforeAndAfter(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	tok := login(t, srv, DefaultAPIKey)
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	send := func() error {
		resp, err := client.PostForm(srv.URL+"/eq.php", form("off", "token", tok, "id", "12345", "pin", DefaultPIN))
		if err == nil {
			_, err = io.ReadAll(resp.Body)
			resp.Body.Close()
		}
		return err
	}

	srv.Fault(Fault{Module: "eq", Action: "off", Kind: FaultDropBefore})
	require.Error(t, send())
	assert.Equal(t, 0, srv.Count("eq", "off"))
	e, _ := srv.Server(12345)
	assert.Equal(t, "on", e.Power, "not processed")

	srv.Fault(Fault{Module: "eq", Action: "off", Kind: FaultDropAfter})
	require.Error(t, send())
	assert.Equal(t, 1, srv.Count("eq", "off"))
	e, _ = srv.Server(12345)
	assert.Equal(t, "off", e.Power, "processed, answer lost")
	assert.Equal(t, 1, srv.PendingOperations())
}

func TestFaultSlow(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	srv.Fault(Fault{Module: "jenkins", Kind: FaultSlow, Delay: 10 * time.Second})
	// Long enough for the request to reach the server on a loaded machine
	// (it is counted there), far shorter than the delay.
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/jenkins.php", strings.NewReader("action=get_tasks"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	start := time.Now()
	_, err := http.DefaultClient.Do(req)
	require.Error(t, err)
	assert.Less(t, time.Since(start), 5*time.Second)
	assert.Equal(t, 1, srv.Count("jenkins", "get_tasks"), "handled before the delay")
}

func TestFaultWrongTypesAndQuirks(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	tok := login(t, srv, DefaultAPIKey)
	srv.Fault(Fault{Module: "eq", Action: "list", Kind: FaultWrongTypes})
	m := tcall(t, srv, tok, "eq", "list", "id", "12345")
	one, ok := m["servers"].(map[string]any)
	require.True(t, ok, "one-row list as a bare object: %v", m)
	assert.Equal(t, "12345", one["id"])

	m = tcall(t, srv, tok, "eq", "list", "id", "12345")
	rows, ok := m["servers"].([]any)
	require.True(t, ok, "no more quirks: a list again: %v", m)
	assert.Equal(t, float64(12345), rows[0].(map[string]any)["id"])

	m = tcall(t, srv, tok, "eq", "update_servers")
	assert.Equal(t, []any{}, m["deploy_keys"], "no order pending: PHP's empty array, as tf reads it")

	q := NewServer(WithQuirks(Quirks{StringIDs: true, EmptyObjectsAsArrays: true, HTMLContentType: true}))
	defer q.Close()
	tok = login(t, q, DefaultAPIKey)
	_, h, body := post(t, q, "eq", form("update_servers", "token", tok))
	assert.Equal(t, "text/html; charset=UTF-8", h.Get("Content-Type"))
	require.NoError(t, json.Unmarshal(body, &m))
	assert.Equal(t, []any{}, m["deploy_keys"])
	assert.Equal(t, []any{"12345", "12346", "12347"}, m["servers"])
}

func TestFaultExpireTokenAndAPIError(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	tok := login(t, srv, DefaultAPIKey)
	srv.Fault(Fault{Module: "eq", Kind: FaultExpireToken})
	assert.Equal(t, float64(-2), tcall(t, srv, tok, "eq", "list")["code"])
	assert.Equal(t, float64(-2), tcall(t, srv, tok, "eq", "list")["code"], "the token stays expired")

	tok = login(t, srv, DefaultAPIKey)
	srv.Fault(Fault{Module: "eq", Action: "list", Kind: FaultAPIError, Message: "Database is busy"})
	assertError(t, tcall(t, srv, tok, "eq", "list"), -1, "Database is busy")
	assert.Equal(t, "OK", tcall(t, srv, tok, "eq", "list")["result"])
}

func TestFaultForever(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	srv.Fault(Fault{Module: "jenkins", Kind: FaultStatus, Status: 503, Times: -1})
	for i := 0; i < 3; i++ {
		status, _, _ := post(t, srv, "jenkins", form("get_tasks"))
		assert.Equal(t, 503, status)
	}
	srv.ClearFaults()
	status, _, _ := post(t, srv, "jenkins", form("get_tasks"))
	assert.Equal(t, 200, status)
}
