package invapi

// StocksService wraps stocks.php: servers in stock.
type StocksService service
