package invapi

// PresetsService wraps presets.php: server configurations and prices.
type PresetsService service
