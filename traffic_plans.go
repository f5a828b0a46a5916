package invapi

// TrafficPlansService wraps traffic_plans.php: traffic plans.
type TrafficPlansService service
