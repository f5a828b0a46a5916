package invapi

// SoftwareService wraps software.php: software catalogue.
type SoftwareService service
