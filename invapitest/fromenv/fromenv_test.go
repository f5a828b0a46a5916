package fromenv

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

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

// runMain (Main without the exit) hands run a working client, returns run's
// error, and closes the Env afterwards: the simulator no longer answers.
// onServer asks for the server before run: HOSTKEY_SERVER_ID, else the first.
func TestRunMainClosesTheEnvAndReturnsRunsError(t *testing.T) {
	clearEnv(t)
	var kept *Env
	var got int
	boom := errors.New("boom")
	err := runMain(time.Minute, onServer(func(ctx context.Context, env *Env, id int) error {
		kept, got = env, id
		_, deadline := ctx.Deadline()
		assert.True(t, deadline, "the timeout is on ctx")
		info, err := env.Client.Auth.Info(ctx)
		require.NoError(t, err)
		assert.Equal(t, info.Servers[0], id)
		return boom
	}))
	assert.Same(t, boom, err)
	assert.Equal(t, 12345, got)
	require.NotNil(t, kept)
	resp, err := http.Get(kept.Server.URL + "/auth.php")
	if err == nil {
		resp.Body.Close()
	}
	assert.Error(t, err, "the simulator is stopped after run")

	t.Setenv("HOSTKEY_SERVER_ID", "12346")
	require.NoError(t, runMain(time.Minute, onServer(func(ctx context.Context, env *Env, id int) error {
		got = id
		return nil
	})))
	assert.Equal(t, 12346, got)
}
