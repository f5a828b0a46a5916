package invapi

import (
	"context"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTrafficPlansList(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	m.on("traffic_plans", "list", fixture(t, "traffic_plans/list.json"))
	got, err := c.TrafficPlans.List(context.Background(), &TrafficPlansListRequest{Location: "nl", InstanceID: 101})
	require.NoError(t, err)
	// Both spellings of the instance the vendor documents are sent.
	assert.Equal(t, url.Values{"action": {"list"}, "location": {"NL"}, "instance_id": {"101"}, "instance": {"101"}},
		m.lastForm("traffic_plans", "list"))
	assert.Empty(t, m.calls("traffic_plans", "list")[0].Form["token"])
	assert.Equal(t, 0, m.count("auth", "login"))
	assert.Equal(t, []TrafficPlan{
		{ID: 1, Name: "1 Gbps, 10 TB", Speed: "1 Gbps", Traffic: 10, Price: Prices{"EUR": Money{}, "USD": Money{}, "RUB": Money{}}},
		{ID: 2, Name: "1 Gbps, 50 TB", Speed: "1 Gbps", Traffic: 50, Price: Prices{"EUR": MustParseMoney("20"), "USD": MustParseMoney("22"), "RUB": MustParseMoney("2000")}},
	}, got)

	_, err = c.TrafficPlans.List(context.Background(), &TrafficPlansListRequest{ID: 12345})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"list"}, "id": {"12345"}}, m.lastForm("traffic_plans", "list"))
}

func TestTrafficPlansListValidation(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	for _, tc := range []struct {
		req   *TrafficPlansListRequest
		field string
	}{
		{nil, "instance_id"},
		{&TrafficPlansListRequest{Location: "NL"}, "instance_id"},
		{&TrafficPlansListRequest{InstanceID: 101}, "location"},
		{&TrafficPlansListRequest{InstanceID: -1, Location: "NL"}, "instance_id"},
		{&TrafficPlansListRequest{ID: -5}, "id"},
	} {
		_, err := c.TrafficPlans.List(context.Background(), tc.req)
		assertInvalid(t, err, tc.field)
	}
	assert.Equal(t, 0, m.count("traffic_plans", "list"))
}
