package invapi

import (
	"context"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEqGetTraffic(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "get_traffic", `{"result":"OK","id":12345,"traffic":{"in":"1.25","out":"3.40","unit":"TB","limit":10}}`)
	got, err := c.Eq.GetTraffic(context.Background(), &ServerTrafficRequest{ID: 12345})
	require.NoError(t, err)
	assert.Equal(t, eqForm("get_traffic", "id", "12345"), m.lastForm("eq", "get_traffic"))
	assert.Equal(t, map[string]string{"in": "1.25", "out": "3.40", "unit": "TB", "limit": "10"}, got.Fields)
}

func TestEqTrafficAdd(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "traffic_add", `{"result":"OK","invoice":"700300","limit":12}`)
	got, err := c.Eq.TrafficAdd(context.Background(), &TrafficAddRequest{ID: 12345, Extra: Fields{"amount": "2"}})
	require.NoError(t, err)
	assert.Equal(t, eqForm("traffic_add", "id", "12345", "amount", "2"), m.lastForm("eq", "traffic_add"))
	assert.Equal(t, 700300, got.Invoice)
	assert.Nil(t, got.Operation)

	m.onFunc("eq", "traffic_add", func(url.Values) (int, string) { return dropConnection, "" })
	_, err = c.Eq.TrafficAdd(context.Background(), &TrafficAddRequest{ID: 12345})
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	var unknown *OutcomeUnknownError
	require.ErrorAs(t, err, &unknown)
	assert.Contains(t, unknown.Settle, "whmcs/get_invoices")
	assert.Equal(t, 2, m.count("eq", "traffic_add"), "charges are never replayed")
}

func TestEqGetUpgradeKey(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "get_upgrade_key", `{"result":"OK","key":"5d41402abc4b2a76b9719d911017c592"}`)
	got, err := c.Eq.GetUpgradeKey(context.Background(), &GetUpgradeKeyRequest{InvoiceID: 700123})
	require.NoError(t, err)
	assert.Equal(t, eqForm("get_upgrade_key", "invoice_id", "700123"), m.lastForm("eq", "get_upgrade_key"))
	assert.Equal(t, "5d41402abc4b2a76b9719d911017c592", got.Key)
	assert.Equal(t, 700123, got.InvoiceID)
	_, err = c.Eq.GetUpgradeKey(context.Background(), &GetUpgradeKeyRequest{})
	assertEqInvalid(t, m, "get_upgrade_key-none", "invoice_id", err)
	assert.Equal(t, 1, m.count("eq", "get_upgrade_key"))
}

func TestEqAnnounceIP(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "announceip", `{"result":"OK","id":12345,"subnet":"203.0.113.0/24","status":"announced"}`)
	op, err := c.Eq.AnnounceIP(context.Background(), &AnnounceIPRequest{ID: 12345, Subnet: "203.0.113.0/24"})
	require.NoError(t, err)
	assert.Equal(t, eqForm("announceip", "id", "12345", "subnet", "203.0.113.0/24"), m.lastForm("eq", "announceip"))
	res, err := op.Result()
	require.NoError(t, err)
	assert.Contains(t, string(res.Raw()), "announced")
	for _, bad := range []*AnnounceIPRequest{{ID: 12345}, {ID: 12345, Subnet: "203.0.113.0/33"}} {
		_, err = c.Eq.AnnounceIP(context.Background(), bad)
		assertEqInvalid(t, m, "announceip-none", "subnet", err)
	}
	assert.Equal(t, 1, m.count("eq", "announceip"))
}

func TestEqGetServersForAnnounce(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "getserversforannounce", `{"result":"OK","servers":[{"id":"12345","name":"web-1","status":"rent","location":"NL","ip":"203.0.113.11","type":"Server"}]}`)
	got, err := c.Eq.GetServersForAnnounce(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, eqForm("getserversforannounce"), m.lastForm("eq", "getserversforannounce"))
	assert.Equal(t, []ServerSummary{{ID: 12345, Name: "web-1", Status: "rent", Location: "NL", IP: "203.0.113.11", Type: "Server"}}, got)
}
