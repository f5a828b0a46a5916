package invapi

// OSService wraps os.php: operating systems.
type OSService service
