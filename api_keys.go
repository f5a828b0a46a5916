package invapi

// APIKeysService wraps api_keys.php: API keys.
type APIKeysService service
