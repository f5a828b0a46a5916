package invapitest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// auth.php login answers as HOSTKEY's Terraform provider reads it: token,
// token_expire (Unix seconds), invapi (the portal host); ttl is honoured.
func TestLoginEvidencedShape(t *testing.T) {
	srv := NewServer()
	defer srv.Close()
	m := do(t, srv, "auth", form("login", "key", DefaultAPIKey, "ttl", "3600", "fix_ip", "0"))
	res, ok := m["result"].(map[string]any)
	require.True(t, ok, "%v", m)
	assert.NotEmpty(t, res["token"])
	assert.Equal(t, float64(3600), res["ttl"], "the ttl asked for")
	assert.Equal(t, "invapi.hostkey.com", res["invapi"])
	exp := time.Unix(int64(res["token_expire"].(float64)), 0)
	assert.WithinDuration(t, time.Now().Add(time.Hour), exp, 5*time.Second)

	m = do(t, srv, "auth", form("login", "key", DefaultAPIKey, "ttl", "99999"))
	assert.Equal(t, float64(7200), m["result"].(map[string]any)["ttl"], "never more than the server's own lifetime")
	assert.Equal(t, float64(-1), do(t, srv, "auth", form("login", "key", DefaultAPIKey, "ttl", "x"))["code"])
}
