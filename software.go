package invapi

import "context"

// SoftwareService wraps software.php: software catalogue.
type SoftwareService service

var softwareList = endpoint{module: "software", action: "list", class: read}

// Software is an installable product (a control panel, a license); its ID
// is eq.php order_instance's soft_id.
type Software struct {
	ID       int      `json:"id"`
	Name     string   `json:"name"`
	Price    Money    `json:"price"`
	Currency string   `json:"currency"`
	Tags     []string `json:"tags"`
}

// SoftwareListRequest selects the software that fits one of your servers
// (ID) or a preset (InstanceID). The vendor publishes the action by name
// only; Extra sends parameters the SDK does not model.
type SoftwareListRequest struct {
	ID         int    `url:"id,omitempty"`
	InstanceID int    `url:"instance_id,omitempty"`
	Extra      Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *SoftwareListRequest) Validate() error {
	if r.ID < 0 {
		return invalid("id", "must be a positive server id, got %d", r.ID)
	}
	if r.InstanceID < 0 {
		return invalid("instance_id", "must be a positive preset id, got %d", r.InstanceID)
	}
	return nil
}

// List returns the software available for a server or a preset, with
// licenses, hardware and offers taken into account (software.php list).
// req may be nil.
func (s *SoftwareService) List(ctx context.Context, req *SoftwareListRequest) ([]Software, error) {
	return doList[Software](ctx, s.client, &softwareList, optionalParams(req), "software")
}
