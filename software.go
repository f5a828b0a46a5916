package invapi

import "context"

// SoftwareService wraps software.php: software catalogue.
type SoftwareService service

// software/list: tf sends it with a token, mcp without; it needs none.
var softwareList = endpoint{module: "software", action: "list", class: read, noAuth: true, evidence: byClient("tf", "mcp")}

// Software is an installable product (a control panel, a license); its ID
// is eq.php order_instance's soft_id.
type Software struct {
	ID       int      `json:"id"`
	Name     string   `json:"name"`
	Price    Money    `json:"price"`
	Currency string   `json:"currency"`
	Tags     []string `json:"tags"`
	Active   bool     `json:"active"` // can be ordered (tf reads it)
}

// SoftwareListRequest selects the software that fits one of your servers
// (ID) or a preset (InstanceID) in a location, for a billing period. The
// vendor publishes the action by name only; the fields are those HOSTKEY's
// Terraform provider and MCP server send, and Extra sends any other.
type SoftwareListRequest struct {
	ID         int    `url:"id,omitempty" check:"id=server,optional"`
	InstanceID int    `url:"instance_id,omitempty" check:"id=preset,optional"`
	Location   string `url:"location,omitempty"` // "NL", "US", "RU"...
	// BillPeriod is the billing period the prices are for ("monthly",
	// "hourly"...); empty for the API's default.
	BillPeriod string `url:"bill_period,omitempty"`
	Extra      Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *SoftwareListRequest) Validate() error { return validateRequest(r) }

func (r *SoftwareListRequest) check() error {
	if err := validBillPeriod(r.BillPeriod); err != nil {
		return err
	}
	_, err := locationCode("location", r.Location, false)
	return err
}

// List returns the software available for a server or a preset, with
// licenses, hardware and offers taken into account (software.php list).
// It needs no session. req may be nil.
func (s *SoftwareService) List(ctx context.Context, req *SoftwareListRequest) ([]Software, error) {
	return getList[Software](ctx, s.client, &softwareList, optional(req), "software")
}
