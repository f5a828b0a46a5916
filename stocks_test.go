package invapi

import (
	"context"
	"errors"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStocksList(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	m.on("stocks", "list", fixture(t, "stocks/list.json"))
	got, err := c.Stocks.List(context.Background(), &StocksListRequest{Location: "NL", Group: "1CPU"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"list"}, "location": {"NL"}, "group": {"1CPU"}}, m.lastForm("stocks", "list"))
	require.Len(t, got, 2)
	assert.Equal(t, Stock{ID: 9001, Name: "Stock server 9001", Location: "NL", Group: "1CPU", CPU: "Intel Xeon E3-1230v6",
		RAM: 32, HDD: "2x480 SSD", Price: Prices{"EUR": MustParseMoney("45"), "USD": MustParseMoney("49")}}, got[0])
	assert.Equal(t, 9002, got[1].ID)

	_, err = c.Stocks.List(context.Background(), &StocksListRequest{Location: "N1"})
	assertInvalid(t, err, "location")
	assert.Equal(t, 1, m.count("stocks", "list"))
}

func TestStocksShow(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	m.on("stocks", "show", fixture(t, "stocks/show.json"))
	got, err := c.Stocks.Show(context.Background(), 9003)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"show"}, "id": {"9003"}}, m.lastForm("stocks", "show"))
	assert.Equal(t, &Stock{ID: 9003, Name: "Stock server 9003", Location: "US", Group: "1CPU", CPU: "Intel Xeon E3-1230v6",
		RAM: 32, HDD: "2x480 SSD", Price: Prices{"EUR": MustParseMoney("45"), "USD": MustParseMoney("49")}}, got)

	m.on("stocks", "show", `{"result":"error","message":"Nothing found for id"}`)
	_, err = c.Stocks.Show(context.Background(), 1)
	var apiErr *APIError
	require.True(t, errors.As(err, &apiErr))
	assert.Equal(t, "Nothing found for id", apiErr.Message)

	_, err = c.Stocks.Show(context.Background(), 0)
	assertInvalid(t, err, "id")
	assert.Equal(t, 2, m.count("stocks", "show"))
}
