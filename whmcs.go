package invapi

// WHMCSService wraps whmcs.php: billing.
type WHMCSService service
