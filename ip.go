package invapi

// IPService wraps ip.php: addresses and PTR records.
type IPService service
