package invapi

// VMService wraps vm.php: virtual machine snapshots and stats.
type VMService service
