package invapi_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invapi-go/invapi"
	"github.com/invapi-go/invapi/invapitest"
)

func TestOpenIPMIAndClose(t *testing.T) {
	t.Parallel()
	c, srv := newSimClient(t, nil)
	id := firstServer(t, srv)
	access, err := c.Eq.OpenIPMI(context.Background(), id, &invapi.IPMIAccessOptions{AllowFrom: "198.51.100.7", Hours: 3}, nil)
	require.NoError(t, err)
	assert.NotEmpty(t, access.User)
	assert.NotEmpty(t, access.Password)
	assert.NotEmpty(t, access.Address)
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		assert.NotContains(t, fmt.Sprintf(format, access), access.Password, format)
	}
	nat := srv.Requests()
	var natForm = map[string]string{}
	for _, r := range nat {
		if r.Module == "nat" && r.Action == "add_static_nat" {
			natForm["ip_acl"], natForm["ttl"] = r.Form.Get("ip_acl"), r.Form.Get("ttl")
		}
	}
	assert.Equal(t, map[string]string{"ip_acl": "198.51.100.7", "ttl": "3"}, natForm)

	require.NoError(t, access.Close(context.Background()))
	assert.Equal(t, 1, srv.Count("eq", "remove_ipmi_user"))
	assert.Equal(t, 1, srv.Count("nat", "remove_static_nat"))
}

func TestOpenIPMIRemovesNATWhenUserFails(t *testing.T) {
	t.Parallel()
	c, srv := newSimClient(t, nil)
	id := firstServer(t, srv)
	srv.Fault(invapitest.Fault{Module: "eq", Action: "add_ipmi_user", Kind: invapitest.FaultAPIError, Code: -1, Message: "BMC busy"})
	_, err := c.Eq.OpenIPMI(context.Background(), id, nil, nil)
	var we *invapi.WorkflowError
	require.ErrorAs(t, err, &we)
	assert.Equal(t, "add_ipmi_user", we.Step)
	assert.Equal(t, 1, srv.Count("nat", "remove_static_nat"), "the pass-through opened first is closed again")
}

func TestOpenConsole(t *testing.T) {
	t.Parallel()
	c, srv := newSimClient(t, nil)
	console, err := c.Eq.OpenConsole(context.Background(), 12346, "198.51.100.7", nil)
	require.NoError(t, err)
	assert.Contains(t, console.URL, "https://")
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		assert.NotContains(t, fmt.Sprintf(format, console), console.URL, format)
	}
	require.NoError(t, console.Close(context.Background()))
	assert.Equal(t, 1, srv.Count("eq", "stop_novnc"))
}
