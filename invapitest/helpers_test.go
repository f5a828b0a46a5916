package invapitest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// post sends a form to module.php and returns status, headers and body.
func post(t *testing.T, srv *Server, module string, form url.Values) (int, http.Header, []byte) {
	t.Helper()
	resp, err := http.PostForm(srv.URL+"/"+module+".php", form)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, resp.Header, b
}

// form builds url.Values from action and key/value pairs.
func form(action string, kv ...string) url.Values {
	f := url.Values{"action": {action}}
	for i := 0; i+1 < len(kv); i += 2 {
		f.Set(kv[i], kv[i+1])
	}
	return f
}

// do posts and decodes a JSON object answer (HTTP 200 expected).
func do(t *testing.T, srv *Server, module string, f url.Values) map[string]any {
	t.Helper()
	status, _, body := post(t, srv, module, f)
	require.Equal(t, http.StatusOK, status, "body: %s", body)
	var m map[string]any
	require.NoError(t, json.Unmarshal(body, &m), "body: %s", body)
	return m
}

// tcall is do with the token added.
func tcall(t *testing.T, srv *Server, token, module, action string, kv ...string) map[string]any {
	t.Helper()
	f := form(action, kv...)
	f.Set("token", token)
	return do(t, srv, module, f)
}

// login logs in with key and returns the token.
func login(t *testing.T, srv *Server, key string) string {
	t.Helper()
	m := do(t, srv, "auth", form("login", "key", key))
	res, ok := m["result"].(map[string]any)
	require.True(t, ok, "login answer: %v", m)
	return res["token"].(string)
}

// check polls a callback key once.
func check(t *testing.T, srv *Server, module, key string) map[string]any {
	t.Helper()
	return do(t, srv, module, form("check", "key", key))
}

// waitOK polls key until the OK and returns the answers seen.
func waitOK(t *testing.T, srv *Server, module, key string) []map[string]any {
	t.Helper()
	var seen []map[string]any
	for i := 0; i < 50; i++ {
		m := check(t, srv, module, key)
		seen = append(seen, m)
		if m["result"] != "Not ready" && m["result"] != "Stage" {
			return seen
		}
	}
	t.Fatalf("key %s never completed: %v", key, seen)
	return nil
}

func results(ms []map[string]any) string {
	var out []string
	for _, m := range ms {
		out = append(out, m["result"].(string))
	}
	return strings.Join(out, ",")
}

func assertError(t *testing.T, m map[string]any, code float64, message string) {
	t.Helper()
	require.Equal(t, code, m["code"], "answer: %v", m)
	require.Equal(t, message, m["message"], "answer: %v", m)
}
