package invapi

import (
	"context"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// nat, net, jira as HOSTKEY's own clients send and read them (evidence.md §1).

func TestNATClearAndDrop(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	ctx := context.Background()
	m.on("nat", "clear_static_nat", `{"result":"OK","action":"clear_static_nat"}`)
	op, err := c.NAT.ClearStaticNAT(ctx, "10.20.30.40")
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"clear_static_nat"}, "ip": {"10.20.30.40"}}, m.lastForm("nat", "clear_static_nat"), "ip, as mcp sends it; no PIN")
	select {
	case <-op.Done():
	default:
		t.Fatal("no callback key: the Operation is already done")
	}

	m.on("nat", "drop_nat", `{"result":"OK","callback":"4d5e6f708192a3b4c5d6e7f8091a2b3c"}`)
	op, err = c.NAT.DropNAT(ctx, &DropNATRequest{ID: 77, IP: "93.190.110.2"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"drop_nat"}, "id": {"77"}, "ip": {"93.190.110.2"}}, m.lastForm("nat", "drop_nat"))
	assert.Equal(t, "4d5e6f708192a3b4c5d6e7f8091a2b3c", op.Key())
	_, err = c.NAT.DropNAT(ctx, &DropNATRequest{IP: "93.190.110.2"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"drop_nat"}, "ip": {"93.190.110.2"}}, m.lastForm("nat", "drop_nat"))

	_, err = c.NAT.ClearStaticNAT(ctx, "10.20.30")
	assertInvalidField(t, err, "ip")
	_, err = c.NAT.DropNAT(ctx, &DropNATRequest{})
	assertInvalidField(t, err, "id")
	_, err = c.NAT.DropNAT(ctx, &DropNATRequest{ID: 1, IP: "x"})
	assertInvalidField(t, err, "ip")
	assert.Equal(t, 1, m.count("nat", "clear_static_nat"))
	assert.Equal(t, 2, m.count("nat", "drop_nat"))
}

func TestNetAddIPv4ReadsTheAddresses(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	ctx := context.Background()
	m.on("net", "add_ipv4", fixture(t, "evidence/net/add_ipv4.tf.json"))
	res, err := c.Net.AddIPv4(ctx, &AddIPv4Request{ID: 12345, Port: "eth0", IPs: []string{"203.0.113.40", "203.0.113.41"}})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"add_ipv4"}, "id": {"12345"}, "port": {"eth0"}, "ips[]": {"203.0.113.40", "203.0.113.41"}},
		m.lastForm("net", "add_ipv4"), "ips[] as HOSTKEY's Terraform provider sends them")
	assert.Equal(t, []AssignedIPv4{{IP: "203.0.113.40", VLAN: 310}, {IP: "203.0.113.41", VLAN: 310}}, res.IPs)
	assert.Equal(t, []string{"3c4d5e6f708192a3b4c5d6e7f8091a2b"}, res.Keys)
	require.NotNil(t, res.Operation)
	assert.Equal(t, "3c4d5e6f708192a3b4c5d6e7f8091a2b", res.Operation.Key())
	assert.Equal(t, 12345, res.Operation.ServerID())

	m.on("net", "add_ipv4", `{"result":"OK","id":"12345","ips":["203.0.113.42",""]}`)
	res, err = c.Net.AddIPv4(ctx, &AddIPv4Request{ID: 12345, Amount: 1})
	require.NoError(t, err)
	assert.Equal(t, []AssignedIPv4{{IP: "203.0.113.42"}}, res.IPs, "bare strings, as tf also reads them")
	assert.Empty(t, res.Keys)
	select {
	case <-res.Operation.Done():
	default:
		t.Fatal("no callback key: the Operation is already done")
	}
	_, err = c.Net.AddIPv4(ctx, &AddIPv4Request{ID: 12345})
	assertInvalidField(t, err, "amount")
	assert.Equal(t, 2, m.count("net", "add_ipv4"))
}

func TestJiraRequestAssistanceSendsSubjectAndMessage(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("jira", "request_assistance", fixture(t, "jira/request_assistance.json"))
	_, err := c.Jira.RequestAssistance(context.Background(), &RequestAssistanceRequest{Message: "Cancel my S3 plan at the end of the month"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"request_assistance"}, "message": {"Cancel my S3 plan at the end of the month"}},
		m.lastForm("jira", "request_assistance"), "message, as mcp sends it; never terminate_reason_custom")
	_, err = c.Jira.RequestAssistance(context.Background(), &RequestAssistanceRequest{ID: 12345, Subject: "x"})
	assertInvalidField(t, err, "message")
	assert.Equal(t, 1, m.count("jira", "request_assistance"))
}
