package invapitest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var hex32 = regexp.MustCompile(`^[0-9a-f]{32}$`)

func TestLoginShape(t *testing.T) {
	srv := NewServer()
	defer srv.Close()

	m := do(t, srv, "auth", form("login", "key", DefaultAPIKey))
	res := m["result"].(map[string]any)
	assert.Regexp(t, hex32, res["token"])
	assert.Equal(t, float64(7200), res["ttl"])
	assert.Equal(t, "client", res["role"])
	assert.Equal(t, "1001", res["customer_id"])
	assert.Equal(t, []any{"12345", "12346", "12347"}, res["servers"])

	assertError(t, do(t, srv, "auth", form("login", "key", "nope")), -1, "Invalid API key")
}

func TestServerKeyRestrictsSession(t *testing.T) {
	srv := NewServer()
	defer srv.Close()

	m := do(t, srv, "auth", form("login", "key", DefaultServerAPIKey))
	res := m["result"].(map[string]any)
	assert.Equal(t, []any{"12345"}, res["servers"])
	tok := res["token"].(string)

	assert.Equal(t, "OK", tcall(t, srv, tok, "eq", "show", "id", "12345")["result"])
	assertError(t, tcall(t, srv, tok, "eq", "show", "id", "12346"), -1, "Access denied")
	assertError(t, tcall(t, srv, tok, "tags", "list", "id", "12346"), -1, "Access denied")
}

func TestNoAppropriateServers(t *testing.T) {
	srv := NewServer(WithAccount(Account{CustomerID: 2002, APIKey: "empty-key", User: "e@example.com", Password: "Pw123456"}))
	defer srv.Close()

	m := do(t, srv, "auth", form("login", "key", "empty-key"))
	assert.Equal(t, map[string]any{"result": float64(-1), "error": "NO_APPROPRIATE_SERVERS", "code": "NO_APPROPRIATE_SERVERS"}, m)

	// whmcslogin is the way in.
	m = do(t, srv, "auth", form("whmcslogin", "user", "e@example.com", "password", "Pw123456"))
	res := m["result"].(map[string]any)
	assert.Equal(t, []any{}, res["servers"])
	tok := res["token"].(string)
	m = tcall(t, srv, tok, "eq", "update_servers")
	assert.Equal(t, map[string]any{"code": float64(-1), "message": "No active servers were found for this account", "no_servers": float64(1)}, m)
}

func TestInvalidToken(t *testing.T) {
	srv := NewServer()
	defer srv.Close()

	want := map[string]any{"code": float64(-2), "message": "Invalid token", "description": "Token missing or invalid"}
	assert.Equal(t, want, do(t, srv, "eq", form("list")))
	assert.Equal(t, want, tcall(t, srv, "0123", "eq", "list"))

	// A valid token in the URL query is refused, even when the body has it too.
	tok := login(t, srv, DefaultAPIKey)
	for _, body := range []url.Values{form("list"), form("list", "token", tok)} {
		resp, err := http.Post(srv.URL+"/eq.php?token="+tok, "application/x-www-form-urlencoded", strings.NewReader(body.Encode()))
		require.NoError(t, err)
		var m map[string]any
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&m))
		resp.Body.Close()
		assert.Equal(t, want, m)
	}
	last := srv.Requests()[len(srv.Requests())-1]
	assert.Equal(t, "list", last.Action)
	assert.Equal(t, "***", last.Form.Get("token"))
}

func TestUnauthorizedStatusOption(t *testing.T) {
	srv := NewServer(WithUnauthorizedStatus(http.StatusUnauthorized))
	defer srv.Close()
	status, _, body := post(t, srv, "eq", form("list"))
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.JSONEq(t, `{"code":-2,"message":"Invalid token","description":"Token missing or invalid"}`, string(body))
}

func TestUnknownModuleAndAction(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	status, h, body := post(t, srv, "nosuch", form("list"))
	assert.Equal(t, http.StatusNotFound, status)
	assert.Contains(t, h.Get("Content-Type"), "text/html")
	assert.Contains(t, string(body), "404 Not Found")

	tok := login(t, srv, DefaultAPIKey)
	assertError(t, tcall(t, srv, tok, "eq", "frobnicate"), -1, "Unknown action")
}

func TestTokenExpiresOnSimulatedClock(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	tok := login(t, srv, DefaultAPIKey)
	srv.Advance(7199 * time.Second)
	assert.Equal(t, "OK", tcall(t, srv, tok, "eq", "list")["result"])
	srv.Advance(2 * time.Second)
	assert.Equal(t, float64(-2), tcall(t, srv, tok, "eq", "list")["code"])
}

func TestWHMCSLoginInfoLogout(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	m := do(t, srv, "auth", form("whmcslogin", "user", DefaultUser, "password", DefaultPassword, "ttl", "60", "fix_ip", "1"))
	res := m["result"].(map[string]any)
	assert.Equal(t, float64(60), res["ttl"])
	assert.Equal(t, float64(0), res["2fa"])
	cust := res["customer"].(map[string]any)
	assert.Equal(t, DefaultUser, cust["email"])
	tok := res["token"].(string)

	info := tcall(t, srv, tok, "auth", "info")
	assert.Equal(t, "OK", info["result"])
	td := info["token_data"].(map[string]any)
	assert.Equal(t, "1001", td["customer_id"])
	assert.Equal(t, "client", td["role"])
	assert.Equal(t, []any{"12345", "12346", "12347"}, td["servers"])
	assert.InDelta(t, float64(srv.Now().Add(60*time.Second).Unix()), td["expires"], 2)
	assert.Equal(t, float64(1), td["fix_ip"])

	assert.Equal(t, "OK", tcall(t, srv, tok, "auth", "logout")["result"])
	assert.Equal(t, float64(-2), tcall(t, srv, tok, "auth", "info")["code"])

	assertError(t, do(t, srv, "auth", form("whmcslogin", "user", DefaultUser, "password", "bad")), -1, "Invalid login or password")
}

func TestTwoFactor(t *testing.T) {
	srv := NewServer(WithAccount(Account{CustomerID: DefaultCustomerID, APIKey: DefaultAPIKey, User: DefaultUser,
		Password: DefaultPassword, PIN: DefaultPIN, TwoFactor: true, Balance: "10.00"}), WithDebug2FA())
	defer srv.Close()

	m := do(t, srv, "auth", form("whmcslogin", "user", DefaultUser, "password", DefaultPassword))
	res := m["result"].(map[string]any)
	assert.Equal(t, float64(1), res["2fa"])
	tok := res["token"].(string)

	m = tcall(t, srv, tok, "eq", "list")
	assert.Equal(t, float64(-2), m["code"])
	assert.Equal(t, "2FA required", m["message"])

	assertError(t, tcall(t, srv, tok, "auth", "2fa_check", "code", "000000x"), -1, "Wrong 2FA code")
	resend := tcall(t, srv, tok, "auth", "2fa_resend")
	assert.Equal(t, "OK", resend["result"])
	code := resend["code"].(string)
	assert.Equal(t, srv.TwoFactorCode(), code)
	assert.Regexp(t, `^[0-9]{6}$`, code)

	assert.Equal(t, map[string]any{"result": "OK"}, tcall(t, srv, tok, "auth", "2fa_check", "code", code))
	assert.Equal(t, "OK", tcall(t, srv, tok, "eq", "list")["result"])
}

func TestPIN(t *testing.T) {
	srv := NewServer(WithPINPenalty(20 * time.Millisecond))
	defer srv.Close()
	tok := login(t, srv, DefaultAPIKey)

	assertError(t, tcall(t, srv, tok, "eq", "on", "id", "12345"), -1, "PIN required")
	start := time.Now()
	assertError(t, tcall(t, srv, tok, "eq", "on", "id", "12345", "pin", "9999"), -1, "Wrong PIN")
	assertError(t, tcall(t, srv, tok, "eq", "on", "id", "12345", "pin", "9999"), -1, "Wrong PIN")
	assert.GreaterOrEqual(t, time.Since(start), 60*time.Millisecond, "20ms then 40ms")
	assert.Equal(t, "OK", tcall(t, srv, tok, "eq", "on", "id", "12345", "pin", DefaultPIN)["result"])

	// set_pin needs the old PIN, then the new one works.
	assertError(t, tcall(t, srv, tok, "eq", "set_pin", "new_pin", "55"), -1, "PIN must be 4 to 6 digits")
	assertError(t, tcall(t, srv, tok, "eq", "set_pin", "new_pin", "556677"), -1, "PIN required")
	assertError(t, tcall(t, srv, tok, "eq", "set_pin", "old_pin", "0000", "new_pin", "556677"), -1, "Wrong PIN")
	m := tcall(t, srv, tok, "eq", "set_pin", "old_pin", DefaultPIN, "new_pin", "556677")
	assert.Equal(t, "set_pin", m["action"])
	assert.Regexp(t, hex32, m["callback"])
	assertError(t, tcall(t, srv, tok, "eq", "check_pin", "pin", DefaultPIN), -1, "Wrong PIN")
	assert.Equal(t, "OK", tcall(t, srv, tok, "eq", "check_pin", "pin", "556677")["result"])
}

func TestRequestLogMasksSecrets(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	tok := login(t, srv, DefaultAPIKey)
	tcall(t, srv, tok, "eq", "on", "id", "12345", "pin", DefaultPIN)
	do(t, srv, "auth", form("whmcslogin", "user", DefaultUser, "password", DefaultPassword))

	reqs := srv.Requests()
	require.Len(t, reqs, 3)
	assert.Equal(t, "***", reqs[0].Form.Get("key"))
	assert.Equal(t, "***", reqs[1].Form.Get("token"))
	assert.Equal(t, "***", reqs[1].Form.Get("pin"))
	assert.Equal(t, "12345", reqs[1].Form.Get("id"))
	assert.Equal(t, "***", reqs[2].Form.Get("password"))
	assert.Equal(t, DefaultUser, reqs[2].Form.Get("user"))
	assert.Equal(t, "eq", reqs[1].Module)
	assert.Equal(t, "on", reqs[1].Action)
	assert.Equal(t, http.StatusOK, reqs[1].Status)
	assert.True(t, reqs[1].Handled)
	assert.Equal(t, 1, srv.Count("eq", "on"))
	assert.Equal(t, 2, srv.Count("auth", ""))
}

func TestGETWithFormBodyAndEmptyAction(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	tok := login(t, srv, DefaultAPIKey)

	// 004 documents eq show as curl -X GET --data: a form body on GET.
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/eq.php",
		strings.NewReader(form("show", "token", tok, "id", "12345").Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&m))
	resp.Body.Close()
	assert.Equal(t, "show", m["action"])

	assertError(t, do(t, srv, "eq", url.Values{"token": {tok}}), -1, "Unknown action")
}
