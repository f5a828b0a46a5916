package invapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Endpoints used only by the core tests.
var (
	testRead   = endpoint{module: "eq", action: "show", class: read}
	testChange = endpoint{module: "eq", action: "reboot", class: change, pin: true, async: eqCallback, settle: "eq/status"}
	testMoney  = endpoint{module: "eq", action: "order_instance", class: money, pin: true, settle: "eq/update_servers deploy_keys"}
)

// quirkRecord is a result type as module files declare them: plain Go types.
type quirkRecord struct {
	ID       int               `json:"id"`
	Name     string            `json:"name"`
	Price    string            `json:"price"`
	Active   bool              `json:"active"`
	Location map[string]string `json:"location"`
	RawJSON
}

func TestSecretsTravelOnlyInTheBody(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "reboot", fixture(t, "quirks/async_accepted.json"))
	_, err := c.Eq.Reboot(context.Background(), 12345)
	require.NoError(t, err)

	for _, r := range append(m.calls("auth", "login"), m.calls("eq", "reboot")...) {
		assert.Equal(t, http.MethodPost, r.Method)
		assert.Empty(t, r.Query, "nothing may travel in the URL query")
		assert.Equal(t, "application/x-www-form-urlencoded", r.Header.Get("Content-Type"))
		assert.Contains(t, r.Header.Get("User-Agent"), "invapi-go/")
		for name, values := range r.Header {
			for _, v := range values {
				for _, secret := range []string{testAPIKey, testToken, testPIN} {
					assert.NotContains(t, v, secret, "header %s", name)
				}
			}
		}
	}
	assert.Equal(t, url.Values{"action": {"login"}, "key": {testAPIKey}, "ttl": {"3600"}, "fix_ip": {"0"}}, m.lastForm("auth", "login"))
	assert.Equal(t, url.Values{"action": {"reboot"}, "id": {"12345"}, "pin": {testPIN}}, m.lastForm("eq", "reboot"))
	assert.Equal(t, testToken, m.calls("eq", "reboot")[0].Form.Get("token"))
}

func TestQuirkBodiesDecode(t *testing.T) {
	t.Parallel()
	want := quirkRecord{ID: 12345, Name: "web-1", Price: "120.50"}
	for _, file := range []string{
		"result_ok_top_level.json", "result_success_under_message.json", "result_zero_number.json",
		"data_under_data.json", "no_envelope_object.json", "php_warning_prefix.txt", "php_notice_suffix.txt",
	} {
		t.Run(file, func(t *testing.T) {
			c, m := newTestClient(t)
			m.on("eq", "show", fixture(t, "quirks/"+file))
			got, err := get[quirkRecord](context.Background(), c, &testRead, nil)
			require.NoError(t, err)
			assert.Equal(t, want.ID, got.ID)
			assert.Equal(t, want.Name, got.Name)
			assert.Equal(t, want.Price, got.Price)
			assert.NotEmpty(t, got.Raw())
		})
	}
	t.Run("result_object.json", func(t *testing.T) {
		c, m := newTestClient(t)
		m.on("eq", "show", fixture(t, "quirks/result_object.json"))
		got, err := get[quirkRecord](context.Background(), c, &testRead, nil)
		require.NoError(t, err)
		assert.Equal(t, quirkRecord{ID: 12345, Name: "web-1", Price: "120.5"}, quirkRecord{ID: got.ID, Name: got.Name, Price: got.Price})
	})
	t.Run("ids_as_strings.json", func(t *testing.T) {
		c, m := newTestClient(t)
		m.on("eq", "show", fixture(t, "quirks/ids_as_strings.json"))
		got, err := get[quirkRecord](context.Background(), c, &testRead, nil)
		require.NoError(t, err)
		assert.Equal(t, 12345, got.ID)
		assert.True(t, got.Active)
	})
	t.Run("empty_object_as_array.json", func(t *testing.T) {
		c, m := newTestClient(t)
		m.on("eq", "show", fixture(t, "quirks/empty_object_as_array.json"))
		got, err := get[quirkRecord](context.Background(), c, &testRead, nil)
		require.NoError(t, err)
		assert.Empty(t, got.Location)
		assert.Equal(t, 12345, got.ID)
	})
}

func TestQuirkListsDecode(t *testing.T) {
	t.Parallel()
	type row struct {
		ID   int    `json:"id"`
		Name string `json:"name"`
	}
	tests := map[string][]row{
		"list_bare_array.json":        {{12345, "web-1"}, {12346, "web-2"}},
		"list_under_key.json":         {{12345, "web-1"}, {12346, "web-2"}},
		"list_under_result.json":      {{12345, "web-1"}, {12346, "web-2"}},
		"list_php_keyed_object.json":  {{12345, "web-1"}, {12346, "web-2"}},
		"list_one_row_as_object.json": {{12345, "web-1"}},
		"list_empty_as_array.json":    nil,
	}
	for file, want := range tests {
		t.Run(file, func(t *testing.T) {
			c, m := newTestClient(t)
			m.on("eq", "show", fixture(t, "quirks/"+file))
			got, err := getList[row](context.Background(), c, &testRead, nil, "servers")
			require.NoError(t, err)
			if want == nil {
				assert.Empty(t, got)
				return
			}
			assert.Equal(t, want, got)
		})
	}
}

func TestQuirkErrorsClassified(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file    string
		kind    error
		code    string
		message string
	}{
		{"error_code_message.json", ErrNotFound, "-1", "Nothing found for id"},
		{"error_code_string.json", ErrNoServers, "NO_APPROPRIATE_SERVERS", "NO_APPROPRIATE_SERVERS"},
		{"error_result_minus_one.json", nil, "-1", "Server is locked"},
		{"error_result_string.json", nil, "", "IPMI is unreachable"},
		{"error_whmcs.json", ErrNotFound, "", "Invoice ID Not Found"},
		{"error_no_servers.json", nil, "-1", "No active servers were found for this account"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			c, m := newTestClient(t)
			m.on("eq", "show", fixture(t, "quirks/"+tt.file))
			_, err := get[quirkRecord](context.Background(), c, &testRead, nil)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, "eq", apiErr.Module)
			assert.Equal(t, "show", apiErr.Action)
			assert.Equal(t, tt.code, apiErr.Code)
			assert.Equal(t, tt.message, apiErr.Message)
			assert.Equal(t, 200, apiErr.HTTPStatus)
			if tt.kind != nil {
				assert.ErrorIs(t, err, tt.kind)
			}
			assert.Equal(t, 1, m.count("eq", "show"), "a business error is not retried")
		})
	}
}

func TestBadBodiesAreTypedErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ file, reason string }{
		{"html_error_page.html", "not JSON"},
		{"php_fatal.txt", "not JSON"},
		{"truncated.json", "not JSON"},
		{"wrong_types.json", "unexpected shape"},
	} {
		t.Run(tt.file, func(t *testing.T) {
			c, m := newTestClient(t)
			m.on("eq", "show", fixture(t, "quirks/"+tt.file))
			_, err := get[quirkRecord](context.Background(), c, &testRead, nil)
			var rerr *ResponseError
			require.ErrorAs(t, err, &rerr)
			assert.ErrorIs(t, err, ErrBadResponse)
			assert.Contains(t, rerr.Reason, tt.reason)
			assert.LessOrEqual(t, len(rerr.Excerpt), 130)
		})
	}
}

func TestReadsRetriedOn5xxAndReset(t *testing.T) {
	t.Parallel()
	for name, first := range map[string]int{"502": http.StatusBadGateway, "503": http.StatusServiceUnavailable, "reset": dropConnection} {
		t.Run(name, func(t *testing.T) {
			c, m := newTestClient(t)
			var n atomic.Int32
			m.onFunc("eq", "show", func(url.Values) (int, string) {
				if n.Add(1) <= 2 {
					return first, "<html>bad gateway</html>"
				}
				return 200, `{"result":"OK","id":"12345","name":"web-1"}`
			})
			got, err := get[quirkRecord](context.Background(), c, &testRead, nil)
			require.NoError(t, err)
			assert.Equal(t, 12345, got.ID)
			assert.Equal(t, 3, m.count("eq", "show"))
		})
	}
}

func TestStateChangesNeverReplayed(t *testing.T) {
	t.Parallel()
	for name, status := range map[string]int{"502": http.StatusBadGateway, "500 json": http.StatusInternalServerError, "reset": dropConnection, "html 200": 200} {
		for _, ep := range []*endpoint{&testChange, &testMoney} {
			t.Run(name+"/"+ep.action, func(t *testing.T) {
				c, m := newTestClient(t)
				m.onFunc("eq", ep.action, func(url.Values) (int, string) {
					if name == "500 json" {
						return status, `{"code":-1,"message":"internal error"}`
					}
					return status, "<html>oops</html>"
				})
				_, err := c.call(context.Background(), ep, url.Values{"id": {"12345"}}, nil)
				require.Error(t, err)
				assert.ErrorIs(t, err, ErrOutcomeUnknown)
				var unknown *OutcomeUnknownError
				require.ErrorAs(t, err, &unknown)
				assert.Equal(t, ep.settle+" id=12345", unknown.Settle, "the hint names the object")
				assert.Contains(t, err.Error(), "not resent")
				assert.Equal(t, 1, m.count("eq", ep.action), "a state change must be sent at most once")
			})
		}
	}
}

func TestStateChangeRefusedIsNotUnknown(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.onRaw("eq", "reboot", func(w http.ResponseWriter, _ url.Values) {
		w.Header().Set("Retry-After", "2")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	_, err := c.Eq.Reboot(context.Background(), 12345)
	assert.ErrorIs(t, err, ErrRateLimited)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 2*time.Second, apiErr.RetryAfter)
	assert.Equal(t, 1, m.count("eq", "reboot"))
}

func TestStateChangeRetriedWhenNeverSent(t *testing.T) {
	t.Parallel()
	// Nothing listens on a closed port: the connection is refused, so the
	// request provably never left and may be tried again.
	c, err := NewClient(WithBaseURL("http://127.0.0.1:1"), WithToken(testToken), WithRetry(2, time.Millisecond))
	require.NoError(t, err)
	_, err = c.call(context.Background(), &testMoney, nil, nil)
	require.Error(t, err)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown, "a refused connection proves nothing was sent")
	assert.Contains(t, err.Error(), "connection refused")
}

func TestRetryAfterHonoured(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	var n atomic.Int32
	var firstAt, secondAt time.Time
	m.onRaw("eq", "show", func(w http.ResponseWriter, _ url.Values) {
		if n.Add(1) == 1 {
			firstAt = time.Now()
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		secondAt = time.Now()
		_, _ = w.Write([]byte(`{"result":"OK","id":1}`))
	})
	_, err := get[quirkRecord](context.Background(), c, &testRead, nil)
	require.NoError(t, err)
	require.Equal(t, 2, m.count("eq", "show"))
	assert.GreaterOrEqual(t, secondAt.Sub(firstAt), 950*time.Millisecond, "Retry-After: 1 must be waited for")
}

func TestRetryAfterBeyondCapGivesUp(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t, WithMaxRetryAfter(10*time.Second))
	m.onRaw("eq", "show", func(w http.ResponseWriter, _ url.Values) {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	_, err := get[quirkRecord](context.Background(), c, &testRead, nil)
	assert.ErrorIs(t, err, ErrRateLimited)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, time.Hour, apiErr.RetryAfter)
	assert.Equal(t, 1, m.count("eq", "show"))
}

func TestExpiredSessionOneReloginForConcurrentCallers(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	var logins atomic.Int32
	m.onFunc("auth", "login", func(url.Values) (int, string) {
		n := logins.Add(1)
		time.Sleep(10 * time.Millisecond) // let callers pile up behind the login
		return 200, `{"result":{"token":"tok-gen-` + string(rune('0'+n)) + `","ttl":7200}}`
	})
	m.onFunc("eq", "show", func(f url.Values) (int, string) {
		if f.Get("token") == "tok-gen-1" {
			return 200, `{"code":-2,"message":"Invalid token"}`
		}
		return 200, `{"result":"OK","id":12345}`
	})
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := get[quirkRecord](context.Background(), c, &testRead, nil)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
	assert.Equal(t, int32(2), logins.Load(), "one login, then one re-login for all callers")
}

func TestSessionRenewedBeforeExpiry(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("auth", "login", `{"result":{"token":"`+testToken+`","ttl":"1"}}`)
	m.on("eq", "show", `{"result":"OK","id":1}`)
	for range 2 {
		_, err := get[quirkRecord](context.Background(), c, &testRead, nil)
		require.NoError(t, err)
		time.Sleep(900 * time.Millisecond) // beyond ttl minus the renewal margin
	}
	assert.Equal(t, 2, m.count("auth", "login"))
}

func TestTokenOnlyClientCannotRenew(t *testing.T) {
	t.Parallel()
	_, m := newTestClient(t)
	c, err := NewClient(WithBaseURL(m.srv.URL), WithToken(testToken))
	require.NoError(t, err)
	m.on("eq", "show", `{"code":-2,"message":"Session expired"}`)
	_, err = get[quirkRecord](context.Background(), c, &testRead, nil)
	assert.ErrorIs(t, err, ErrUnauthorized)
	assert.Equal(t, 0, m.count("auth", "login"))
	assert.Equal(t, 1, m.count("eq", "show"))
}

func TestNoAppropriateServers(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("auth", "login", fixture(t, "quirks/error_code_string.json"))
	_, err := c.Auth.Login(context.Background())
	assert.ErrorIs(t, err, ErrNoServers)
	assert.Contains(t, err.Error(), "WithBillingCredentials")
}

func TestBillingLoginWithTwoFactor(t *testing.T) {
	t.Parallel()
	_, m := newTestClient(t)
	prompts := 0
	c, err := NewClient(WithBaseURL(m.srv.URL), WithBillingCredentials("ops@example.com", "s3cret-Pass"),
		WithSessionTTL(time.Hour), WithTwoFactorPrompt(func(context.Context) (string, error) {
			prompts++
			return "654321", nil
		}))
	require.NoError(t, err)
	m.on("auth", "whmcslogin", `{"result":{"token":"`+testToken+`","ttl":3600,"2fa":"1","customer":{"id":"1001"}}}`)
	m.on("auth", "2fa_check", `{"result":"OK"}`)
	sess, err := c.Auth.Login(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 1001, sess.CustomerID)
	assert.True(t, sess.TwoFactor)
	assert.Equal(t, 1, prompts)
	assert.Equal(t, url.Values{"action": {"whmcslogin"}, "user": {"ops@example.com"}, "password": {"s3cret-Pass"},
		"fix_ip": {"0"}, "ttl": {"3600"}}, m.lastForm("auth", "whmcslogin"))
	check := m.calls("auth", "2fa_check")
	require.Len(t, check, 1)
	assert.Equal(t, "654321", check[0].Form.Get("code"))
	assert.Equal(t, testToken, check[0].Form.Get("token"))
}

func TestTwoFactorWithoutPrompt(t *testing.T) {
	t.Parallel()
	_, m := newTestClient(t)
	c, err := NewClient(WithBaseURL(m.srv.URL), WithBillingCredentials("ops@example.com", "s3cret-Pass"))
	require.NoError(t, err)
	m.on("auth", "whmcslogin", `{"result":{"token":"`+testToken+`","2fa":1}}`)
	_, err = c.Auth.Login(context.Background())
	assert.ErrorIs(t, err, ErrTwoFactorRequired)
}

func TestWrongPINNeverRetriedAndPromptAskedOnce(t *testing.T) {
	t.Parallel()
	prompts := 0
	_, m := newTestClient(t)
	c, err := NewClient(WithBaseURL(m.srv.URL), WithAPIKey(testAPIKey), WithPINPrompt(func(context.Context) (string, error) {
		prompts++
		return "9911", nil
	}))
	require.NoError(t, err)
	m.on("eq", "reboot", `{"code":-1,"message":"Wrong PIN"}`)
	_, err = c.Eq.Reboot(context.Background(), 12345)
	assert.ErrorIs(t, err, ErrWrongPIN)
	assert.Equal(t, 1, m.count("eq", "reboot"))
	assert.Equal(t, 1, prompts)
	assert.Equal(t, "9911", m.lastForm("eq", "reboot").Get("pin"))
	assert.NotContains(t, err.Error(), "9911")
}

func TestPINRequired(t *testing.T) {
	t.Parallel()
	_, m := newTestClient(t)
	c, err := NewClient(WithBaseURL(m.srv.URL), WithAPIKey(testAPIKey))
	require.NoError(t, err)
	m.on("eq", "reboot", `{"code":-1,"message":"PIN required"}`)
	_, err = c.Eq.Reboot(context.Background(), 12345)
	assert.ErrorIs(t, err, ErrPINRequired)
	assert.Empty(t, m.lastForm("eq", "reboot").Get("pin"), "no PIN configured: none sent")
}

func TestValidationBeforeSending(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	_, err := c.Eq.Reboot(context.Background(), 0)
	var verr *ValidationError
	require.ErrorAs(t, err, &verr)
	assert.Equal(t, "id", verr.Field)
	assert.Zero(t, m.count("eq", "reboot"))
	assert.Zero(t, m.count("auth", "login"), "no login for a request that was never going to be sent")
}

func TestClientPrintsNoSecrets(t *testing.T) {
	t.Parallel()
	c, err := NewClient(WithAPIKey(testAPIKey), WithPIN(testPIN))
	require.NoError(t, err)
	c.sess.token = testToken
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		out := strings.ToLower(fmt.Sprintf(format, c))
		for _, secret := range []string{testAPIKey, testPIN, testToken} {
			assert.NotContains(t, out, strings.ToLower(secret), format)
		}
	}
}

func TestContextCancelledBeforeSend(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := get[quirkRecord](ctx, c, &testRead, nil)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Zero(t, m.count("eq", "show"))
}

func TestServerListsInAnyShape(t *testing.T) {
	t.Parallel()
	for name, servers := range map[string]string{
		"numbers":         `[12345,12346]`,
		"strings":         `["12345","12346"]`,
		"objects":         `[{"id":"12345","name":"a"},{"id":12346}]`,
		"keyed object":    `{"12345":{"id":12345},"12346":{"id":"12346"}}`,
		"junk is skipped": `[12345,"x",{"name":"no id"},12346]`,
	} {
		t.Run(name, func(t *testing.T) {
			c, m := newTestClient(t)
			m.on("auth", "login", `{"result":{"token":"`+testToken+`","servers":`+servers+`}}`)
			m.on("auth", "info", `{"result":"OK","token_data":{"customer_id":"1001","servers":`+servers+`}}`)
			sess, err := c.Auth.Login(context.Background())
			require.NoError(t, err)
			assert.Equal(t, []int{12345, 12346}, sess.Servers)
			info, err := c.Auth.Info(context.Background())
			require.NoError(t, err)
			assert.Equal(t, []int{12345, 12346}, info.Servers)
			assert.Equal(t, 1001, info.CustomerID)
		})
	}
}

func TestLoginSurvivesOddFields(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("auth", "login", `{"result":{"token":"`+testToken+`","ttl":"2 hours","role":{"name":"client"},"customer":{"id":"1001"},"2fa":"0","servers":"12345"}}`)
	sess, err := c.Auth.Login(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 1001, sess.CustomerID)
	assert.Equal(t, []int{12345}, sess.Servers)
	assert.Empty(t, sess.Role)
	assert.False(t, sess.TwoFactor)
	assert.WithinDuration(t, time.Now().Add(defaultSessionTTL-sessionRefreshMargin), sess.ExpiresAt, time.Minute, "an unreadable ttl falls back to the default")
}

func TestSessionHookKeepsTheTokenBetweenRuns(t *testing.T) {
	t.Parallel()
	type seen struct {
		token   string
		expires time.Time
	}
	var mu sync.Mutex
	var got []seen
	hook := WithSessionHook(func(token string, expires time.Time) {
		mu.Lock()
		got = append(got, seen{token, expires})
		mu.Unlock()
	})
	c, m := newTestClient(t, hook)
	m.on("eq", "show", `{"result":"OK","id":1}`)
	m.on("auth", "logout", `{"result":"OK"}`)
	_, err := get[quirkRecord](context.Background(), c, &testRead, nil)
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, testToken, got[0].token)
	assert.WithinDuration(t, time.Now().Add(2*time.Hour-5*time.Minute), got[0].expires, time.Minute)

	// A second run given the kept token uses it without logging in.
	c2, err := NewClient(WithBaseURL(m.srv.URL), WithAPIKey(testAPIKey), WithToken(got[0].token), hook)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c2.Close() })
	_, err = get[quirkRecord](context.Background(), c2, &testRead, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, m.count("auth", "login"))
	shows := m.calls("eq", "show")
	assert.Equal(t, testToken, shows[len(shows)-1].Form.Get("token"))
	require.Len(t, got, 1, "no new session, no call")

	require.NoError(t, c2.Auth.Logout(context.Background()))
	require.Len(t, got, 2)
	assert.Equal(t, seen{}, got[1], "logout reports the end of the session")
}
