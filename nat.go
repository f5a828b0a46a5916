package invapi

// NATService wraps nat.php: static NAT (async on nat_callback.php).
type NATService service
