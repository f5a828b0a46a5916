package invapi

// RHRService wraps rhr.php: remote hands requests.
type RHRService service
