package invapi

import (
	"context"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRHR(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	ctx := context.Background()
	ticket := `{"result":"OK","ticket":{"id":"CS-504413","type":"request_check","server_id":"12345","status":"Open","subject":"Check","messages":"cable loose?","url":"https://my.hostkey.com/servicedesk/customer/portal/1/CS-504413"}}`
	m.on("rhr", "add", ticket)
	r, err := c.RHR.Add(ctx, &RHRAddRequest{ID: 12345, RequestType: "request_check", Comment: "cable loose?"})
	require.NoError(t, err)
	assert.Equal(t, &RemoteHandsRequest{ID: "CS-504413", Type: "request_check", ServerID: 12345, Status: "Open", Subject: "Check",
		Messages: []string{"cable loose?"}, URL: "https://my.hostkey.com/servicedesk/customer/portal/1/CS-504413"}, r)
	assert.Equal(t, url.Values{"action": {"add"}, "id": {"12345"}, "request_type": {"request_check"}, "comment": {"cable loose?"}}, m.lastForm("rhr", "add"))

	m.on("rhr", "chat", ticket)
	_, err = c.RHR.Chat(ctx, "CS-504413", "any news?")
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"chat"}, "id": {"CS-504413"}, "message": {"any news?"}}, m.lastForm("rhr", "chat"), "the request's id as id (mcp)")
	m.on("rhr", "discard", ticket)
	_, err = c.RHR.Discard(ctx, "CS-504413", true)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"discard"}, "id": {"CS-504413"}, "status": {"closed"}}, m.lastForm("rhr", "discard"))
	_, err = c.RHR.Discard(ctx, "CS-504413", false)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"discard"}, "id": {"CS-504413"}}, m.lastForm("rhr", "discard"), "id only, as mcp sends it")
	m.on("rhr", "list", `{"result":"OK","tickets":[]}`)
	list, err := c.RHR.List(ctx, &RHRListRequest{Location: "NL", Status: "Open"})
	require.NoError(t, err)
	assert.Empty(t, list)
	assert.Equal(t, url.Values{"action": {"list"}, "location": {"NL"}, "status": {"Open"}}, m.lastForm("rhr", "list"))

	_, err = c.RHR.Chat(ctx, "CS-1", " ")
	assertField(t, err, "message")
	_, err = c.RHR.Add(ctx, &RHRAddRequest{ID: 12345})
	assertField(t, err, "comment")
	_, err = c.RHR.Chat(ctx, " ", "hello")
	assertField(t, err, "id")
}
