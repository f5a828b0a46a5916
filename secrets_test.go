package invapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNoSecretInAnyError drives every kind of failure with answers that
// echo the secrets back, and checks every error for them.
func TestNoSecretInAnyError(t *testing.T) {
	t.Parallel()
	echo := `token=` + testToken + `&pin=` + testPIN + ` key ` + testAPIKey
	scenarios := map[string]func(m *mockAPI){
		"api error echoing secrets": func(m *mockAPI) {
			m.on("eq", "reboot", `{"code":-1,"message":"Invalid hash `+testToken+` for pin `+testPIN+` key `+testAPIKey+`"}`)
		},
		"unauthorized echoing the token": func(m *mockAPI) {
			m.on("eq", "reboot", `{"code":-2,"message":"Invalid token `+testToken+`"}`)
		},
		"html page echoing the form": func(m *mockAPI) {
			m.onFunc("eq", "reboot", func(url.Values) (int, string) { return 200, "<html><pre>" + echo + "</pre></html>" })
		},
		"5xx echoing the form": func(m *mockAPI) {
			m.onFunc("eq", "reboot", func(url.Values) (int, string) { return 502, echo })
		},
		"php fatal echoing the form": func(m *mockAPI) {
			m.onFunc("eq", "reboot", func(url.Values) (int, string) {
				return 200, "<b>Fatal error</b>: Uncaught exception with " + echo
			})
		},
		"dropped connection": func(m *mockAPI) {
			m.onFunc("eq", "reboot", func(url.Values) (int, string) { return dropConnection, "" })
		},
		"429": func(m *mockAPI) {
			m.onRaw("eq", "reboot", func(w http.ResponseWriter, _ url.Values) {
				w.Header().Set("Retry-After", "1")
				w.WriteHeader(429)
				_, _ = w.Write([]byte(echo))
			})
		},
		"operation failure echoing secrets": func(m *mockAPI) {
			m.on("eq", "reboot", fixture(t, "quirks/async_accepted.json"))
			m.on("eq_callback", "check", `{"result":"Error","message":"PXE failed, root_pass=Root-pass_123 pin=`+testPIN+`"}`)
		},
		"login refused echoing the key": func(m *mockAPI) {
			m.on("auth", "login", `{"code":-1,"message":"Invalid API key `+testAPIKey+`"}`)
		},
	}
	for name, script := range scenarios {
		t.Run(name, func(t *testing.T) {
			c, m := newTestClient(t)
			script(m)
			op, err := c.Eq.Reboot(context.Background(), 12345)
			if err == nil {
				_, err = op.Wait(context.Background())
			}
			require.Error(t, err)
			assertErrorHidesSecrets(t, err)
		})
	}
}

// Request and result types that carry secrets never print them.
func TestSecretCarryingValuesPrintNoSecret(t *testing.T) {
	t.Parallel()
	values := []any{
		&OrderInstanceRequest{Preset: "p", RootPass: "Root-pass_123"},
		OrderInstanceRequest{RootPass: "Root-pass_123"},
		&CreatePXERequest{ID: 1, RootPass: "Root-pass_123"},
		&ReinstallRequest{ID: 1, RootPass: "Root-pass_123"},
		&SetPINRequest{OldPIN: testPIN, NewPIN: testPIN},
		&ResetPasswordRequest{ResetToken: testToken, Password: "s3cret-Pass", Code: testPIN},
		&IPMIUser{User: "u", Password: "s3cret-Pass"},
		&IPMIAccess{User: "u", Password: "s3cret-Pass"},
		&S3Keys{AccessKey: "AK", SecretKey: Secret{value: "s3cret-Pass"}},
	}
	for _, v := range values {
		for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
			assertNoSecrets(t, fmt.Sprintf("%T printed with %s", v, format), fmt.Sprintf(format, v))
		}
	}
}

// The scanner itself: it must see a secret as a form value or a word, and
// not inside a duration or a longer number.
func TestSecretScannerSeesLeaks(t *testing.T) {
	pin := secretPatterns[2] // testPIN
	for _, leak := range []string{"pin=" + testPIN + "&id=1", `"pin":"` + testPIN + `"`, testPIN, "wrong PIN " + testPIN} {
		assert.True(t, pin.MatchString(leak), leak)
	}
	for _, fine := range []string{"duration=2." + testPIN + "ms", "id=1" + testPIN + "0"} {
		assert.False(t, pin.MatchString(fine), fine)
	}
	assert.True(t, secretPatterns[1].MatchString("Invalid token "+testToken))
}

// echoEncodings are the ways a server may echo a value back.
var echoEncodings = map[string]func(string) string{
	"as sent":         func(s string) string { return s },
	"query escaped":   url.QueryEscape,
	"every byte %XX":  func(s string) string { return percentAll(s, "%%%02X") },
	"lower-case %xx":  func(s string) string { return percentAll(s, "%%%02x") },
	"html escaped":    html.EscapeString,
	"html numeric":    func(s string) string { return percentAll(s, "&#%d;") },
	"html hex":        func(s string) string { return percentAll(s, "&#x%x;") },
	"json \\u00xx":    func(s string) string { return percentAll(s, `\u%04x`) },
	"json marshalled": func(s string) string { b, _ := json.Marshal(s); return strings.Trim(string(b), `"`) },
	"upper case":      strings.ToUpper,
	"lower case":      strings.ToLower,
	"glued to words":  func(s string) string { return "xx" + s + "_y" },
	"mixed escapes":   func(s string) string { return strings.NewReplacer("-", `\u002D`, "_", "%5F", "a", "&#97;").Replace(s) },
}

func percentAll(s, format string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		fmt.Fprintf(&b, format, s[i])
	}
	return b.String()
}

// Every known secret (API key, token, PIN, a root password and an IPMI
// admin password sent in this very request, an unknown key sent in a raw
// call), echoed in every encoding, through every kind of failure: no error,
// wrapped error or log line shows it, not even half of it.
func TestEchoedSecretsInEveryEncoding(t *testing.T) {
	t.Parallel()
	secrets := []string{testAPIKey, testToken, testPIN, "Root-pass_123", "s3cret-Pass"}
	failures := map[string]func(echo string) (int, string){
		"api error": func(echo string) (int, string) {
			msg, _ := json.Marshal("Invalid data " + echo)
			return 200, `{"code":-1,"message":` + string(msg) + `}`
		},
		"html page, secret across the excerpt's cut": func(echo string) (int, string) {
			return 200, "<html>" + strings.Repeat("x", 100) + echo + "</html>"
		},
		"5xx page": func(echo string) (int, string) { return 502, "Bad gateway " + echo },
		"mistyped field": func(echo string) (int, string) {
			v, _ := json.Marshal("x" + echo)
			return 200, `{"result":"OK","id":` + string(v) + `,"invoice_id":` + string(v) + `}`
		},
		"php warning around OK": func(echo string) (int, string) {
			return 200, "<b>Warning</b>: bad " + echo + "\n" + `{"result":"OK","id":"x` + echo + `"}`
		},
	}
	for encName, enc := range echoEncodings {
		for failName, failure := range failures {
			t.Run(encName+"/"+failName, func(t *testing.T) {
				t.Parallel()
				c, m := newTestClient(t)
				var parts []string
				for _, secret := range secrets {
					parts = append(parts, enc(secret))
				}
				// The order knows its root password; the IPMI user's admin
				// password is known from its own request on.
				for _, echo := range []string{strings.Join(parts, " "), enc(testToken)} {
					orderEcho := strings.ReplaceAll(echo, enc("s3cret-Pass"), "")
					m.onFunc("eq", "order_instance", func(url.Values) (int, string) { return failure(orderEcho) })
					_, err := c.Eq.OrderInstance(context.Background(), &OrderInstanceRequest{Preset: "p1", OSID: 1,
						LocationName: "NL", RootPass: "Root-pass_123", DeployPeriod: DeployMonthly, TrafficPlan: 1})
					require.Error(t, err)
					assertErrorHidesSecrets(t, err)
					m.onFunc("eq", "add_ipmi_user", func(url.Values) (int, string) { return failure(echo) })
					_, err = c.Eq.AddIPMIUser(context.Background(), &AddIPMIUserRequest{ID: 12345, AdminUser: "adm", AdminPass: "s3cret-Pass"})
					if err != nil {
						assertErrorHidesSecrets(t, err)
					}
					// a raw call with a key the client never had
					other := "other-key-5d9e0b3a71"
					m.onFunc("api_keys", "probe", func(url.Values) (int, string) { return failure(enc(other)) })
					err = c.Do(context.Background(), "api_keys", "probe", url.Values{"key": {other}, "id": {"7"}}, &struct{ ID int }{},
						SettleWith("api_keys/list"))
					require.Error(t, err)
					for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
						text := fmt.Sprintf(format, err)
						for _, variant := range decodings(text) {
							assert.NotContains(t, strings.ToLower(variant), "5d9e0b3a71", "%s: %s", format, text)
						}
					}
				}
			})
		}
	}
}

// A raw call's settle hint names the object, never a secret field: the
// client's own API key sent as "key" stays out of it.
func TestRawSettleHintHoldsNoKey(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.onFunc("auth", "rotate", func(url.Values) (int, string) { return dropConnection, "" })
	err := c.Do(context.Background(), "auth", "rotate", url.Values{"key": {testAPIKey}, "id": {"7"}}, nil, SettleWith("auth/info"))
	var unknown *OutcomeUnknownError
	require.ErrorAs(t, err, &unknown)
	assert.Equal(t, "auth/info id=7", unknown.Settle)
	assertErrorHidesSecrets(t, err)
}

// A 2FA code and a reset token sent in a request are masked in the answer
// to that very call.
func TestTwoFactorCodeAndResetTokenEchoed(t *testing.T) {
	t.Parallel()
	_, m := newTestClient(t)
	c, err := NewClient(WithBaseURL(m.srv.URL), WithBillingCredentials("ops@example.com", "s3cret-Pass"),
		WithTwoFactorPrompt(func(context.Context) (string, error) { return test2FACode, nil }))
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	m.on("auth", "whmcslogin", `{"result":{"token":"`+testToken+`","ttl":3600,"2fa":"1"}}`)
	m.on("auth", "2fa_check", `{"code":-1,"message":"code `+test2FACode+` is not valid (`+url.QueryEscape("x"+test2FACode)+`)"}`)
	_, err = c.Auth.Login(context.Background())
	require.Error(t, err)
	assertErrorHidesSecrets(t, err)

	c2, m2 := newTestClient(t)
	m2.on("whmcs", "reset_password", `{"result":"error","message":"token `+strings.ToUpper(testResetToken)+` expired for code `+test2FACode+`"}`)
	_, err = c2.WHMCS.ResetPassword(context.Background(), &ResetPasswordRequest{ResetToken: testResetToken, Password: "s3cret-Pass", Code: test2FACode})
	require.Error(t, err)
	assertErrorHidesSecrets(t, err)
}

// Results that may hold an echoed token print without it, with every verb.
func TestResultsPrintNoEchoedSecret(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("auth", "info", `{"result":"OK","role":"client","email":"a@example.com","token_data":{"token":"`+testToken+`","key":"`+testAPIKey+`"}}`)
	info, err := c.Auth.Info(context.Background())
	require.NoError(t, err)
	assert.Contains(t, string(info.Raw()), testToken, "the raw answer is kept as received")
	m.on("eq", "reboot", `{"result":"OK","callback":"cbkey0042"}`)
	m.on("eq_callback", "check", `{"result":"OK","scope":"session `+testToken+` pin `+testPIN+`","debug":"`+strings.ToUpper(testAPIKey)+`","context":{"action":"reboot","id":12345,"token":"`+testToken+`"}}`)
	op, err := c.Eq.Reboot(context.Background(), 12345)
	require.NoError(t, err)
	res, err := op.Wait(context.Background())
	require.NoError(t, err)
	assert.Contains(t, res.Scope, testToken, "the fields are as received")
	var events []any
	for p := range op.Progress(context.Background()) {
		events = append(events, p)
	}
	require.NotEmpty(t, events)
	for _, v := range append([]any{info, *info, res, *res}, events...) {
		for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
			assertNoSecrets(t, fmt.Sprintf("%T printed with %s", v, format), fmt.Sprintf(format, v))
		}
		assertLogsHideSecrets(t, v)
	}
}

// assertLogsHideSecrets logs v with slog's text and JSON handlers and
// scans both.
func assertLogsHideSecrets(t *testing.T, v any) {
	t.Helper()
	var text, js bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("value", "v", v)
	slog.New(slog.NewJSONHandler(&js, nil)).Info("value", "v", v)
	assertNoSecrets(t, fmt.Sprintf("%T in a slog text line", v), text.String())
	assertNoSecrets(t, fmt.Sprintf("%T in a slog JSON line", v), js.String())
}

// Request types that carry secrets mask them in json.Marshal and slog (text
// and JSON handlers) too, and keep the other fields.
func TestSecretCarryingRequestsMarshalAndLogNoSecret(t *testing.T) {
	t.Parallel()
	const pass = "Root-pass_123"
	extra := Fields{"password": "s3cret-Pass", "note": "kept"}
	values := []any{
		OrderInstanceRequest{Preset: "p1", RootPass: pass, ReinstallKey: testToken},
		&DeployRequest{ID: 1, RootPass: pass},
		&ReinstallRequest{ID: 1, RootPass: pass, ReinstallKey: testToken, InstallOptions: InstallOptions{Key: testAPIKey}},
		&CreatePXERequest{ID: 1, RootPass: pass, InstallOptions: InstallOptions{Key: testAPIKey}},
		&AddIPMIUserRequest{ID: 1, AdminUser: "adm", AdminPass: "s3cret-Pass"},
		&SetPINRequest{OldPIN: testPIN, NewPIN: testPIN},
		&ResetPasswordRequest{Email: "a@example.com", ResetToken: testResetToken, Password: "s3cret-Pass", Code: test2FACode, Extra: extra},
		&UpdateContactRequest{ContactID: 3, Password: "s3cret-Pass", Extra: extra},
	}
	for _, v := range values {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		assertNoSecrets(t, fmt.Sprintf("json of %T", v), string(b))
		assert.Contains(t, string(b), "[REDACTED]", "%T", v)
		if _, pins := v.(*SetPINRequest); !pins {
			assert.Regexp(t, `"(Preset|ID|AdminUser|Email|ContactID)":`, string(b), "%T keeps its other fields", v)
		}
		assertLogsHideSecrets(t, v)
		for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
			assertNoSecrets(t, fmt.Sprintf("%T printed with %s", v, format), fmt.Sprintf(format, v))
		}
	}
	assert.Equal(t, "s3cret-Pass", extra["password"], "the caller's map is not touched")
}
