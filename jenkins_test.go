package invapi

import (
	"context"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestJenkinsGetTasks(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	m.on("jenkins", "get_tasks", fixture(t, "jenkins/get_tasks.json"))
	got, err := c.Jenkins.GetTasks(context.Background())
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"get_tasks"}}, m.lastForm("jenkins", "get_tasks"))
	assert.Empty(t, m.calls("jenkins", "get_tasks")[0].Form["token"])
	assert.Equal(t, 0, m.count("auth", "login"))
	assert.Equal(t, []JenkinsTask{
		{ID: 1, Name: "Install NVIDIA drivers", Tags: []string{"gpu", "vgpu"}},
		{ID: 2, Name: "Install Docker", Tags: []string{"bm", "vm", "gpu", "default"}},
	}, got)
	assert.True(t, got[1].SuitsFor("default"))
	assert.False(t, got[0].SuitsFor("bm"))
}

func TestJenkinsCall(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	ctx := context.Background()
	m.on("jenkins", "call", `{"result":"OK","action":"call","callback":"a1b2c3d4e5f60718293a4b5c6d7e8f90"}`)
	m.on("eq_callback", "check", `{"result":"OK","scope":"Task Install NVIDIA drivers completed"}`)
	op, err := c.Jenkins.Call(ctx, &JenkinsCallRequest{ID: 12347, Task: "1", Params: FormMap{"driver": "550"}})
	require.NoError(t, err)
	// id, task, params[...], as mcp sends them.
	assert.Equal(t, url.Values{"action": {"call"}, "id": {"12347"}, "task": {"1"}, "params[driver]": {"550"}}, m.lastForm("jenkins", "call"))
	res, err := op.Wait(ctx)
	require.NoError(t, err)
	assert.Equal(t, "Task Install NVIDIA drivers completed", res.Scope)
	assert.Equal(t, 12347, op.ServerID())

	for _, tc := range []struct {
		req   *JenkinsCallRequest
		field string
	}{
		{nil, "id"}, {&JenkinsCallRequest{Task: "1"}, "id"}, {&JenkinsCallRequest{ID: 1, Task: " "}, "task"},
		{&JenkinsCallRequest{ID: 1, Task: "1", Params: FormMap{"a[b]": "x"}}, "params"},
	} {
		_, err := c.Jenkins.Call(ctx, tc.req)
		assertInvalid(t, err, tc.field)
	}
	assert.Equal(t, 1, m.count("jenkins", "call"))
}
