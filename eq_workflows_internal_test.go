package invapi

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An order answered with only an invoice is followed as HOSTKEY's
// Terraform provider does (pending.go): update_servers deploy_keys maps the
// invoice to a callback key, and that key's OK names the server in
// context.id. The order is sent once; the result carries the invoice.
func TestOrderAndWaitFollowsTheDeployKey(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "order_instance", `{"result":"OK","action":"order_instance","invoice":"700123","status":"Unpaid","deploy_status":"install"}`)
	m.onSeq("eq", "update_servers",
		`{"result":"OK","servers":["12345"],"deploy_keys":[]}`,                                   // before the order
		`{"result":"OK","servers":["12345"],"deploy_keys":[]}`,                                   // not listed yet
		`{"result":"OK","servers":["12345","25250"],"deploy_keys":{"700123":"k-deploy-700123"}}`, // listed
		`{"result":"OK","servers":["12345","25250"],"deploy_keys":{"700123":"k-deploy-700123"}}`)
	m.onSeq("eq_callback", "check",
		`{"result":"Not ready","key":"k-deploy-700123"}`,
		`{"result":"OK","scope":"done","context":{"action":"order_instance","id":"25250"},"key":"k-deploy-700123"}`)
	m.on("eq", "show", strings.Replace(fixture(t, "eq/show.json"), `"id": 12345`, `"id": 25250`, 1))

	var steps []string
	got, err := c.Eq.OrderAndWait(context.Background(), &OrderInstanceRequest{Preset: "bm.v1-big", LocationName: "NL",
		OSID: 10, RootPass: "Root-pass_123", DeployPeriod: DeployMonthly, TrafficPlan: 3}, func(p Progress) {
		if p.Status == StatusStep {
			steps = append(steps, p.Step+": "+p.Message)
		}
	})
	require.NoError(t, err)
	assert.Equal(t, 25250, got.Server.ID)
	assert.Equal(t, 700123, got.Invoice)
	assert.Equal(t, "Unpaid", got.OrderStatus)
	require.NotNil(t, got.Deployment)
	assert.Equal(t, 25250, got.Deployment.Context.ID)
	assert.Equal(t, "k-deploy-700123", m.lastForm("eq_callback", "check").Get("key"), "the deploy key is followed")
	assert.Equal(t, "25250", m.lastForm("eq", "show").Get("id"))
	assert.Equal(t, []string{"order_instance: order accepted, invoice 700123", "update_servers: server 25250"}, steps)
	assert.Equal(t, 1, m.count("eq", "order_instance"))
	assert.Equal(t, 4, m.count("eq", "update_servers"), "before, twice until listed, and once before show")
}

// An order whose callback key vanishes after being seen pending (its OK was
// read elsewhere) is still resolved: the new server is the one that
// appeared in update_servers. The order is never sent again.
func TestOrderAndWaitAfterTheKeyIsGone(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "order_instance", fixture(t, "eq/order_instance_invoice_only.json"))
	m.onSeq("eq_callback", "check",
		`{"result":"Not ready","key":"0d9f6c2a1b3e4f5a6b7c8d9e0f1a2b3c"}`,
		`{"code":-1,"message":"AsyncKey 0d9f6c2a1b3e4f5a6b7c8d9e0f1a2b3c not found"}`)
	m.onSeq("eq", "update_servers", `{"result":"OK","servers":["12345"]}`, fixture(t, "eq/update_servers_loose.json"))
	m.on("eq", "show", strings.Replace(fixture(t, "eq/show.json"), `"id": 12345`, `"id": 25250`, 1))

	got, err := c.Eq.OrderAndWait(context.Background(), &OrderInstanceRequest{Preset: "bm.v1-big", LocationName: "NL",
		OSID: 10, RootPass: "Root-pass_123", DeployPeriod: DeployMonthly, TrafficPlan: 3}, nil)
	require.NoError(t, err)
	assert.Equal(t, 25250, got.Server.ID)
	assert.Equal(t, 700123, got.Invoice)
	assert.Nil(t, got.Deployment, "the deployment's OK was read elsewhere")
	assert.Equal(t, 1, m.count("eq", "order_instance"))
	assert.Equal(t, testPIN, m.lastForm("eq", "order_instance").Get("pin"))
}

// When the API names neither the server nor an invoice, the new server is
// the one that appeared in update_servers since before the order.
func TestOrderAndWaitRecognisesTheNewServer(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.onSeq("eq", "update_servers", `{"result":"OK","servers":["12345"]}`, `{"result":"OK","servers":["12345","777"]}`)
	m.on("eq", "order_instance", `{"result":"OK","action":"order_instance","callback":"k-order"}`)
	m.on("eq_callback", "check", `{"result":"OK","scope":"done","context":{"action":"order_instance"},"key":"k-order"}`)
	m.on("eq", "show", strings.Replace(fixture(t, "eq/show.json"), `"id": 12345`, `"id": 777`, 1))

	got, err := c.Eq.OrderAndWait(context.Background(), &OrderInstanceRequest{Preset: "bm.v1-big", LocationName: "NL",
		OSID: 10, DeployPeriod: DeployMonthly, TrafficPlan: 3}, nil)
	require.NoError(t, err)
	assert.Equal(t, 777, got.Server.ID)
	assert.Equal(t, "777", m.lastForm("eq", "show").Get("id"))
	assert.Equal(t, 1, m.count("eq", "order_instance"))
}

// OpenIPMI carries on when the answers of add_static_nat and add_ipmi_user
// are lost (HTTP 502) but still hold their callback keys: each is waited
// on, none is sent again, and the credentials come from the key's result.
func TestOpenIPMISettlesLostAnswersByTheirKeys(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.onFunc("nat", "add_static_nat", func(url.Values) (int, string) { return 502, `{"result":"OK","callback":"natkey1"}` })
	m.on("nat_callback", "check", `{"result":"OK","scope":"Static NAT created"}`)
	m.onFunc("eq", "add_ipmi_user", func(url.Values) (int, string) { return 502, `{"result":"OK","callback":"ipmikey1"}` })
	m.on("eq_callback", "check", `{"result":"OK","scope":"done","context":{"user":"tmpuser","password":"s3cret-Pass","ip":"10.0.0.9"}}`)
	access, err := c.Eq.OpenIPMI(context.Background(), 12345, nil, nil)
	require.NoError(t, err)
	assert.Equal(t, "tmpuser", access.User)
	assert.Equal(t, "s3cret-Pass", access.Password)
	assert.Equal(t, "10.0.0.9", access.Address)
	assert.Equal(t, 1, m.count("nat", "add_static_nat"), "not resent")
	assert.Equal(t, 1, m.count("eq", "add_ipmi_user"), "not resent")
	assert.Zero(t, m.count("nat", "remove_static_nat"), "nothing to clean up")
}
