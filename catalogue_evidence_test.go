package invapi

import (
	"context"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Catalogue answers in the shapes HOSTKEY's clients read (evidence.md §1c).

func TestOSListTerraformShape(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	m.on("os", "list", fixture(t, "evidence/os/list.tf.json"))
	got, err := c.OS.List(context.Background(), &OSListRequest{InstanceID: 101, Location: "NL", BillPeriod: "monthly"})
	require.NoError(t, err)
	// bill_period, as tf sends it.
	assert.Equal(t, url.Values{"action": {"list"}, "instance_id": {"101"}, "location": {"NL"}, "bill_period": {"monthly"}}, m.lastForm("os", "list"))
	require.Len(t, got.OS, 2, "os_list is where tf reads the list")
	assert.Equal(t, OS{ID: 1, Name: "Ubuntu 22.04"}, got.OS[0])
	assert.Equal(t, "40.00", got.OS[1].Price["EUR"].String())
	assert.Equal(t, []OS{{ID: 6, Name: "VMware ESXi 8"}}, got.Excluded)

	// An os_excluded of another shape does not cost the list.
	m.on("os", "list", `{"result":"OK","os_list":[{"id":1,"name":"Ubuntu 22.04"}],"os_excluded":{"6":"needs 8 GB RAM"}}`)
	got, err = c.OS.List(context.Background(), &OSListRequest{InstanceID: 101})
	require.NoError(t, err)
	assert.Len(t, got.OS, 1)
	assert.Contains(t, string(got.Raw()), "needs 8 GB RAM")

	_, err = c.OS.List(context.Background(), &OSListRequest{InstanceID: 101, BillPeriod: "every month"})
	assertInvalid(t, err, "bill_period")
	assert.Equal(t, 2, m.count("os", "list"))
}

func TestPresetsListTerraformShape(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	m.on("presets", "list", fixture(t, "evidence/presets/list.tf.json"))
	got, err := c.Presets.List(context.Background(), &PresetsListRequest{Location: "NL", Extra: Fields{"lang": "en"}})
	require.NoError(t, err, "a preset with hdd \"2x960\" must not fail the list")
	assert.Equal(t, url.Values{"action": {"list"}, "location": {"NL"}, "lang": {"en"}}, m.lastForm("presets", "list"))
	require.Len(t, got, 2)
	bm, vm := got[0], got[1]
	assert.Equal(t, "2x960", bm.HDD)
	assert.Equal(t, Locations{"NL", "FI"}, bm.Locations)
	assert.True(t, bm.Locations.Has("fi"))
	assert.Equal(t, "16", bm.CPU)
	assert.False(t, bm.Virtual)
	assert.True(t, bm.Active)
	assert.Equal(t, "instant", bm.ServerType)
	assert.Equal(t, "AMD Ryzen 9 5950X, 64 GB", bm.Description)
	assert.Equal(t, "60", vm.HDD)
	assert.Equal(t, "2", vm.CPU, "cpu may be a count")
	assert.True(t, vm.Virtual)
	assert.Equal(t, Locations{"NL"}, vm.Locations)
	eur, ok := bm.PriceIn("NL", "EUR")
	require.True(t, ok)
	assert.Equal(t, "120.00", eur.String())
}

func TestPresetsInfoWHMCSShape(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	m.on("presets", "info", fixture(t, "evidence/presets/info.whmcs.json"))
	got, err := c.Presets.Info(context.Background(), &PresetInfoRequest{Currencies: []string{"EUR", "USD"}})
	require.NoError(t, err)
	// currencies, as whmcs and mcp send it, and no session.
	assert.Equal(t, url.Values{"action": {"info"}, "currencies": {"EUR,USD"}}, m.lastForm("presets", "info"))
	assert.Empty(t, m.calls("presets", "info")[0].Form["token"])
	require.Len(t, got, 1)
	p := got[0]
	assert.Equal(t, Locations{"NL", "US"}, p.Locations)
	assert.Equal(t, "2x960", p.HDD)
	v, ok := p.PriceIn("US", "USD")
	require.True(t, ok)
	assert.Equal(t, "135.00", v.String())
	require.Len(t, p.OS, 2)
	assert.Equal(t, PresetOption{ID: 5, Name: "Windows Server 2022", Price: Prices{"EUR": MustParseMoney("40"), "USD": MustParseMoney("44")}}, p.OS[1])
	assert.Equal(t, []PresetOption{{ID: 1, Name: "cPanel", Description: "cPanel & WHM", Price: Prices{"EUR": MustParseMoney("20")}}}, p.Soft)
	require.Len(t, p.TrafficPlans["NL"], 2)
	assert.Equal(t, "1 Gbps, 50 TB", p.TrafficPlans["NL"][1].Name)
	assert.Equal(t, "20.00", p.TrafficPlans["NL"][1].Price["EUR"].String())
	assert.Len(t, p.TrafficPlans["US"], 1)

	// traffic_plans as one list is kept under "".
	m.on("presets", "info", `{"result":"OK","presets":[{"id":1,"traffic_plans":[{"id":3,"name":"10 Gbps"}]}]}`)
	got, err = c.Presets.Info(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, map[string][]PresetOption{"": {{ID: 3, Name: "10 Gbps"}}}, got[0].TrafficPlans)
}

func TestPresetsSearchServersShape(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	m.on("presets", "search", fixture(t, "evidence/presets/search.3p.json"))
	got, err := c.Presets.Search(context.Background(), &PresetSearchRequest{Name: "bm.v1-big", Scope: "free"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"search"}, "name": {"bm.v1-big"}, "scope": {"free"}}, m.lastForm("presets", "search"))
	require.Len(t, got, 2, "servers is where a third-party client reads the matches")
	assert.Equal(t, 9001, got[0].ID)
	assert.Equal(t, "NL", got[0].Location)
	assert.Equal(t, "US", got[1].Location)
}

func TestPresetsShowUnderPresets(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	m.on("presets", "show", `{"result":"OK","presets":[{"id":102,"name":"vm.v2-small","hdd":60}]}`)
	got, err := c.Presets.Show(context.Background(), &PresetShowRequest{ID: 102})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"show"}, "id": {"102"}}, m.lastForm("presets", "show"))
	assert.Equal(t, "vm.v2-small", got.Name)
	assert.Equal(t, "60", got.HDD)
}

func TestTrafficPlansTerraformShape(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	m.on("traffic_plans", "list", fixture(t, "evidence/traffic_plans/list.tf.json"))
	got, err := c.TrafficPlans.List(context.Background(), &TrafficPlansListRequest{Location: "NL", InstanceID: 101})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"list"}, "location": {"NL"}, "instance_id": {"101"}, "instance": {"101"}}, m.lastForm("traffic_plans", "list"))
	require.Len(t, got, 2)
	assert.Equal(t, TrafficPlan{ID: 1, Name: "1 Gbps, 10 TB", Active: true, MainPlan: true, CurrencyID: 1, Location: "NL",
		Locations: Locations{"NL", "US"}, Price: Prices{"": Money{}}}, got[0])
	assert.True(t, got[1].Active)
	assert.False(t, got[1].MainPlan)
	assert.Equal(t, 1, got[1].CurrencyID)
	assert.Equal(t, "20.50", got[1].Price[""].String())
}

func TestSoftwareListTerraformShape(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	m.on("software", "list", fixture(t, "evidence/software/list.tf.json"))
	got, err := c.Software.List(context.Background(), &SoftwareListRequest{ID: 12345, Location: "NL", BillPeriod: "monthly"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"list"}, "id": {"12345"}, "location": {"NL"}, "bill_period": {"monthly"}}, m.lastForm("software", "list"))
	assert.Equal(t, []Software{{ID: 1, Name: "cPanel", Active: true}, {ID: 3, Name: "Docker CE"}}, got)
}

func TestStocksWithoutSession(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	m.on("stocks", "list", fixture(t, "stocks/list.json"))
	m.on("stocks", "show", fixture(t, "stocks/show.json"))
	_, err := c.Stocks.List(context.Background(), &StocksListRequest{Location: "NL", Group: "1CPU"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"list"}, "location": {"NL"}, "group": {"1CPU"}}, m.lastForm("stocks", "list"))
	_, err = c.Stocks.Show(context.Background(), 9001)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"show"}, "id": {"9001"}}, m.lastForm("stocks", "show"))
	assert.Empty(t, m.calls("stocks", "list")[0].Form["token"])
	assert.Empty(t, m.calls("stocks", "show")[0].Form["token"])
	assert.Equal(t, 0, m.count("auth", "login"), "mcp calls stocks without a session")
}
