package invapitest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The request log masks every field that carries a secret, including the
// reset token, API key, S3 secret and server password fields.
func TestRequestLogMasksEverySecretField(t *testing.T) {
	srv := NewServer()
	t.Cleanup(srv.Close)
	secrets := map[string]string{
		"token": "tok-logged-1", "pin": "80417", "password": "pw-logged-2", "key": "key-logged-3",
		"reset_token": "reset-logged-4", "api_key": "apikey-logged-5", "secret": "s3-logged-6",
		"pass": "pass-logged-7", "root_pass": "root-logged-8", "new_password": "np-logged-9",
	}
	f := form("session_reset")
	for k, v := range secrets {
		f.Set(k, v)
	}
	post(t, srv, "auth", f)
	reqs := srv.Requests()
	if !assert.NotEmpty(t, reqs) {
		return
	}
	for _, r := range reqs {
		for k, v := range secrets {
			if got, ok := r.Form[k]; ok {
				assert.Equal(t, []string{"***"}, got, k)
			}
			for field, vals := range r.Form {
				assert.NotContains(t, strings.Join(vals, " "), v, "field %s shows %s", field, k)
			}
		}
		assert.Equal(t, "***", r.Form.Get("reset_token"))
		assert.Equal(t, "***", r.Form.Get("api_key"))
		assert.Equal(t, "***", r.Form.Get("secret"))
		assert.Equal(t, "***", r.Form.Get("pass"))
	}
}
