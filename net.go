package invapi

// NetService wraps net.php: switch ports, traffic graphs, IP blocking.
type NetService service
