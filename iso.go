package invapi

// ISOService wraps iso.php: ISO images.
type ISOService service
