package invapi

import (
	"context"
	"net/url"
	"strconv"
)

// StocksService wraps stocks.php: servers in stock.
type StocksService service

var (
	stocksList = endpoint{module: "stocks", action: "list", class: read, noAuth: true, evidence: byClient("mcp")}
	stocksShow = endpoint{module: "stocks", action: "show", class: read, noAuth: true, evidence: byClient("mcp")}
)

// Stock is a server in stock, ready to be rented.
type Stock struct {
	ID       int    `json:"id"`
	Name     string `json:"name"`
	Location string `json:"location"`
	Group    string `json:"group"`
	CPU      string `json:"cpu"`
	RAM      int    `json:"ram"` // GB
	HDD      string `json:"hdd"` // e.g. "2x480 SSD"
	// Price is the monthly price by currency.
	Price Prices `json:"price"`
}

// StocksListRequest filters stocks.php list by location and group. The
// vendor publishes the action by name only; Extra sends other parameters.
type StocksListRequest struct {
	Location string `url:"location,omitempty" check:"location,optional"`
	Group    string `url:"group,omitempty"`
	Extra    Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *StocksListRequest) Validate() error { return validateRequest(r) }

// List returns the servers in stock, filtered by location and group
// (stocks.php list). It needs no session, as HOSTKEY's MCP server calls it.
// req may be nil.
func (s *StocksService) List(ctx context.Context, req *StocksListRequest) ([]Stock, error) {
	return getList[Stock](ctx, s.client, &stocksList, optional(req), "stocks")
}

// Show returns one server in stock (stocks.php show). It needs no session.
func (s *StocksService) Show(ctx context.Context, id int) (*Stock, error) {
	if id <= 0 {
		return nil, invalid("id", "must be a positive id, got %d", id)
	}
	return getOne[Stock](ctx, s.client, &stocksShow, url.Values{"id": {strconv.Itoa(id)}}, "stock")
}
