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
