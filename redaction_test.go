package invapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
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
		for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
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
