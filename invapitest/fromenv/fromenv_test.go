package fromenv

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invapi-go/invapi"
)

func clearEnv(t *testing.T) {
	for _, k := range []string{"HOSTKEY_API_KEY", "HOSTKEY_TOKEN", "HOSTKEY_PIN", "INVAPI_BASE_URL",
		"HOSTKEY_SERVER_ID", "INVAPI_CONFIRM", "INVAPI_DEBUG"} {
		t.Setenv(k, "")
	}
}

// No credentials: the simulator, where every change is allowed.
func TestNewWithoutCredentialsStartsTheSimulator(t *testing.T) {
	clearEnv(t)
	e, err := New()
	require.NoError(t, err)
	defer e.Close()
	require.True(t, e.Simulated())
	assert.Equal(t, e.Server.URL, e.Client.BaseURL())
	assert.True(t, e.MayChange("reboot"))
	id, err := e.FirstServer(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 12345, id)
}

// HOSTKEY's own portals need INVAPI_CONFIRM=yes for a change; any other
// base URL does not. Nothing is sent by New.
func TestMayChangeOnHOSTKEYPortalsOnlyWhenConfirmed(t *testing.T) {
	for _, tt := range []struct {
		base, confirm string
		want          bool
	}{
		{invapi.BaseURLCom, "", false},
		{invapi.BaseURLRU + "/", "", false},
		{invapi.BaseURLCom, "yes", true},
		{"https://invapi.example.net", "", true},
		{"http://127.0.0.1:9", "", true},
	} {
		clearEnv(t)
		t.Setenv("HOSTKEY_API_KEY", "key-for-tests")
		t.Setenv("INVAPI_BASE_URL", tt.base)
		t.Setenv("INVAPI_CONFIRM", tt.confirm)
		t.Setenv("HOSTKEY_SERVER_ID", "777")
		e, err := New()
		require.NoError(t, err)
		assert.False(t, e.Simulated())
		assert.Equal(t, tt.want, e.MayChange("order a server"), "%s confirm=%q", tt.base, tt.confirm)
		id, err := e.FirstServer(context.Background())
		require.NoError(t, err)
		assert.Equal(t, 777, id, "HOSTKEY_SERVER_ID, no request")
		_ = e.Client.Close() // not Close: it would log out over the network
	}
}
