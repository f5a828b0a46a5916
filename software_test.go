package invapi

import (
	"context"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSoftwareList(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	m.on("software", "list", fixture(t, "software/list.json"))
	// location and bill_period, as tf sends them; no token, as mcp calls it.
	got, err := c.Software.List(context.Background(), &SoftwareListRequest{InstanceID: 101, Location: "NL", BillPeriod: "hourly"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"list"}, "instance_id": {"101"}, "location": {"NL"}, "bill_period": {"hourly"}}, m.lastForm("software", "list"))
	assert.Empty(t, m.calls("software", "list")[0].Form["token"])
	assert.Equal(t, []Software{
		{ID: 1, Name: "cPanel", Price: MustParseMoney("20"), Currency: "EUR", Tags: []string{"bm", "vm"}},
		{ID: 3, Name: "Docker CE", Currency: "EUR", Tags: []string{"bm", "vm", "gpu"}},
	}, got)

	_, err = c.Software.List(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"list"}}, m.lastForm("software", "list"))

	_, err = c.Software.List(context.Background(), &SoftwareListRequest{ID: -1})
	assertInvalid(t, err, "id")
	_, err = c.Software.List(context.Background(), &SoftwareListRequest{InstanceID: -1})
	assertInvalid(t, err, "instance_id")
	_, err = c.Software.List(context.Background(), &SoftwareListRequest{Location: "N L"})
	assertInvalid(t, err, "location")
	_, err = c.Software.List(context.Background(), &SoftwareListRequest{BillPeriod: "1 month"})
	assertInvalid(t, err, "bill_period")
	assert.Equal(t, 2, m.count("software", "list"))
}
