package invapi

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// auth.php login as HOSTKEY's own clients speak it (evidence.md §1, §1c, §3):
// key + ttl (tf, mcp: 3600) + fix_ip=0 (mcp); the answer's token_expire
// (unix) sets the session's lifetime and invapi names the account's portal.

func TestLoginSendsTTLAndFixIP(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	_, err := c.Auth.Login(context.Background())
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"login"}, "key": {testAPIKey}, "ttl": {"3600"}, "fix_ip": {"0"}},
		m.lastForm("auth", "login"), "ttl 3600 as tf and mcp send it, fix_ip=0 as mcp does")

	c, m = newTestClient(t, WithSessionTTL(90*time.Minute), WithFixIP())
	_, err = c.Auth.Login(context.Background())
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"login"}, "key": {testAPIKey}, "ttl": {"5400"}, "fix_ip": {"1"}}, m.lastForm("auth", "login"))
}

func TestLoginReadsTokenExpire(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	exp := time.Now().Add(40 * time.Minute).Unix()
	m.on("auth", "login", `{"result":{"token":"`+testToken+`","token_expire":`+strconv.FormatInt(exp, 10)+`,"invapi":"invapi.hostkey.com","servers":["12345"]}}`)
	sess, err := c.Auth.Login(context.Background())
	require.NoError(t, err)
	assert.WithinDuration(t, time.Unix(exp, 0).Add(-sessionRefreshMargin), sess.ExpiresAt, 2*time.Second,
		"renewed a margin before token_expire, not after the assumed 2 hours")
	assert.Equal(t, m.srv.URL, c.BaseURL(), "a loopback base URL (a stand-in) never follows invapi")

	// token_expire as a string, top-level shape (tf types.go reads both)
	exp = time.Now().Add(30 * time.Minute).Unix()
	m.on("auth", "login", `{"token":"`+testToken+`","token_expire":"`+strconv.FormatInt(exp, 10)+`"}`)
	sess, err = c.Auth.Login(context.Background())
	require.NoError(t, err)
	assert.WithinDuration(t, time.Unix(exp, 0).Add(-sessionRefreshMargin), sess.ExpiresAt, 2*time.Second)

	// a token_expire in the past or absurdly far is not trusted
	for _, exp := range []int64{time.Now().Add(-time.Hour).Unix(), time.Now().Add(30 * 24 * time.Hour).Unix()} {
		m.on("auth", "login", `{"result":{"token":"`+testToken+`","ttl":3600,"token_expire":`+strconv.FormatInt(exp, 10)+`}}`)
		sess, err = c.Auth.Login(context.Background())
		require.NoError(t, err)
		assert.WithinDuration(t, time.Now().Add(time.Hour-sessionRefreshMargin), sess.ExpiresAt, 2*time.Second, "ttl instead")
	}
}

// portalMock is an httpmock transport standing in for both portals: it
// records the host of every request.
func portalMock(t *testing.T, invapi string) (*http.Client, func() []string) {
	mock := httpmock.NewMockTransport()
	var mu sync.Mutex
	var hosts []string
	answer := func(body string) httpmock.Responder {
		return func(req *http.Request) (*http.Response, error) {
			mu.Lock()
			hosts = append(hosts, req.URL.Scheme+"://"+req.URL.Host+req.URL.Path)
			mu.Unlock()
			return httpmock.NewStringResponse(200, body), nil
		}
	}
	login := `{"result":{"token":"` + testToken + `","ttl":3600,"invapi":"` + invapi + `","servers":["12345"]}}`
	show := `{"result":"OK","server_data":{"id":12345,"status":"rent"}}`
	for _, base := range []string{"https://invapi.hostkey.com", "https://invapi.hostkey.ru", "https://api.hostkey.com"} {
		mock.RegisterResponder(http.MethodPost, base+"/auth.php", answer(login))
		mock.RegisterResponder(http.MethodPost, base+"/eq.php", answer(show))
	}
	mock.RegisterNoResponder(answer(`{"result":"OK","server_data":{"id":12345}}`))
	return &http.Client{Transport: mock}, func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), hosts...) }
}

func TestLoginSwitchesPortalOnlyBetweenHostkeyHostsOverHTTPS(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		base, invapi, want string
	}{
		{"https://invapi.hostkey.com", "invapi.hostkey.ru", "https://invapi.hostkey.ru"},
		{"https://invapi.hostkey.com", "https://invapi.hostkey.ru/", "https://invapi.hostkey.ru"},
		{"https://api.hostkey.com", "invapi.hostkey.com", "https://invapi.hostkey.com"},
		{"https://invapi.hostkey.com", "INVAPI.HOSTKEY.RU", "https://invapi.hostkey.ru"},
		// refused: plain http, other domains, look-alikes, credentials or paths in it
		{"https://invapi.hostkey.com", "http://invapi.hostkey.ru", "https://invapi.hostkey.com"},
		{"https://invapi.hostkey.com", "evil.example.com", "https://invapi.hostkey.com"},
		{"https://invapi.hostkey.com", "invapi.hostkey.com.evil.net", "https://invapi.hostkey.com"},
		{"https://invapi.hostkey.com", "evilhostkey.ru", "https://invapi.hostkey.com"},
		{"https://invapi.hostkey.com", "https://user:pw@invapi.hostkey.ru", "https://invapi.hostkey.com"},
		{"https://invapi.hostkey.com", "https://invapi.hostkey.ru/other/", "https://invapi.hostkey.com"},
		{"https://invapi.hostkey.com", "ftp://invapi.hostkey.ru", "https://invapi.hostkey.com"},
		{"https://invapi.hostkey.com", "", "https://invapi.hostkey.com"},
	} {
		t.Run(tc.base+" "+tc.invapi, func(t *testing.T) {
			t.Parallel()
			hc, hosts := portalMock(t, tc.invapi)
			var logs bytes.Buffer
			c, err := NewClient(WithBaseURL(tc.base), WithHTTPClient(hc), WithAPIKey(testAPIKey),
				WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
			require.NoError(t, err)
			_, err = c.Eq.Show(context.Background(), 12345)
			require.NoError(t, err)
			assert.Equal(t, []string{tc.base + "/auth.php", tc.want + "/eq.php"}, hosts(), "the login goes to the configured base, the next call to %s", tc.want)
			assert.Equal(t, tc.want, c.BaseURL())
			assertNoSecrets(t, "log", logs.String())
		})
	}
}

func TestLoginEvidencedBody(t *testing.T) {
	t.Parallel()
	body := bytes.ReplaceAll([]byte(fixture(t, "evidence/auth/login.tf.json")), []byte("TOKEN_EXPIRE"),
		[]byte(strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10)))
	hc, hosts := portalMock(t, "")
	mock := hc.Transport.(*httpmock.MockTransport)
	mock.RegisterResponder(http.MethodPost, "https://invapi.hostkey.com/auth.php", httpmock.NewBytesResponder(200, body))
	c, err := NewClient(WithHTTPClient(hc), WithAPIKey(testAPIKey))
	require.NoError(t, err)
	sess, err := c.Auth.Login(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "Customer", sess.Role)
	assert.Equal(t, []int{12345}, sess.Servers)
	assert.WithinDuration(t, time.Now().Add(time.Hour-sessionRefreshMargin), sess.ExpiresAt, 2*time.Second)
	assert.Equal(t, "https://invapi.hostkey.ru", c.BaseURL(), "the default portal follows invapi to the .ru portal")
	_, err = c.Eq.Show(context.Background(), 12345)
	require.NoError(t, err)
	assert.Equal(t, []string{"https://invapi.hostkey.ru/eq.php"}, hosts())
}

func TestPortalSwitchFromANonHostkeyBase(t *testing.T) {
	t.Parallel()
	for _, base := range []string{"https://proxy.example.com/invapi", "http://127.0.0.1:8080"} {
		u, err := parseBaseURL(base)
		require.NoError(t, err)
		next, ok := portalSwitch(u, "invapi.hostkey.ru")
		assert.False(t, ok, "a proxy or a local stand-in stays in use")
		assert.Equal(t, "https://invapi.hostkey.ru", next)
	}
}
