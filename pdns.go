package invapi

// PDNSService wraps pdns.php: DNS.
type PDNSService service
