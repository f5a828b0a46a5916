package invapi

import (
	"context"
	"net/url"
	"strconv"
)

// TrafficPlansService wraps traffic_plans.php: traffic plans.
type TrafficPlansService service

// traffic_plans/list: mcp sends instance_id, tf instance; both are sent.
var trafficPlansList = endpoint{module: "traffic_plans", action: "list", class: read, noAuth: true, evidence: byClient("tf", "mcp")}

// TrafficPlan is a traffic plan; its ID is eq.php order_instance's
// traffic_plan.
type TrafficPlan struct {
	ID      int    `json:"id"`
	Name    string `json:"name"`  // e.g. "1 Gbps, 50 TB"
	Speed   string `json:"speed"` // e.g. "1 Gbps"
	Traffic int    `json:"traffic"`
	// Price is the monthly price by currency ("EUR", "USD"...). A bare
	// number (as HOSTKEY's Terraform provider reads it) is kept under ""
	// and is in the currency CurrencyID names.
	Price Prices `json:"price"`
	// Active, MainPlan and CurrencyID are read as HOSTKEY's Terraform
	// provider reads them: whether the plan can be ordered, whether it is
	// the default plan of the location, and the WHMCS currency id of a
	// bare Price.
	Active     bool      `json:"active"`
	MainPlan   bool      `json:"main_plan"`
	CurrencyID int       `json:"currency_id"`
	Location   string    `json:"location"`
	Locations  Locations `json:"locations"` // a comma string ("NL,US") read as a list
}

// TrafficPlansListRequest selects the plans of an instance in a location
// (for an order), or of one of your servers (ID).
type TrafficPlansListRequest struct {
	Location string `url:"location,omitempty"` // "NL", "US", "RU"...
	// InstanceID is a preset id from presets.php list. The vendor's table
	// names it instance_id and its example sends instance=: both are sent.
	InstanceID int `url:"instance_id,omitempty"`
	ID         int `url:"id,omitempty"` // your server, instead of an instance
}

// Validate checks the request before it is sent.
func (r *TrafficPlansListRequest) Validate() error { return validateRequest(r) }

func (r *TrafficPlansListRequest) check() error {
	if r.ID < 0 {
		return invalid("id", "must be a positive server id, got %d", r.ID)
	}
	if r.InstanceID < 0 {
		return invalid("instance_id", "must be a positive preset id, got %d", r.InstanceID)
	}
	if r.ID == 0 && r.InstanceID == 0 {
		return invalid("instance_id", "give the instance (preset) id, or a server id")
	}
	_, err := locationCode("location", r.Location, r.ID == 0)
	return err
}

// List returns the traffic plans available for an instance in a location,
// or for a server (traffic_plans.php list). It needs no session: tf notes
// that a customer token "often returns invalid request" here.
func (s *TrafficPlansService) List(ctx context.Context, req *TrafficPlansListRequest) ([]TrafficPlan, error) {
	return getList[TrafficPlan](ctx, s.client, &trafficPlansList, req, "traffic_plans", "plans")
}

func (r *TrafficPlansListRequest) form() url.Values {
	params := url.Values{}
	if loc, _ := locationCode("location", r.Location, false); loc != "" {
		params.Set("location", loc)
	}
	if r.InstanceID > 0 {
		params.Set("instance_id", strconv.Itoa(r.InstanceID))
		params.Set("instance", strconv.Itoa(r.InstanceID))
	}
	if r.ID > 0 {
		params.Set("id", strconv.Itoa(r.ID))
	}
	return params
}
