package invapi

import (
	"context"
	"strings"
)

// OSService wraps os.php: operating systems.
type OSService service

var (
	// osList is the reinstall variant: the OSes that fit one of the
	// caller's servers, with a session.
	osList = endpoint{module: "os", action: "list", class: read, evidence: byClient("tf", "mcp"),
		note: "token: by server id the session is sent, as tf sends it; mcp lists by instance without one (osListInstance)"}
	// osListInstance is the ordering variant (by instance and location),
	// documented and sent by mcp without a session token.
	osListInstance = endpoint{module: "os", action: "list", class: read, noAuth: true, evidence: byClient("tf", "mcp")}
)

// OS is an operating system that can be installed.
type OS struct {
	ID     int    `json:"id"` // eq.php order_instance / create_pxe os_id
	Name   string `json:"name"`
	Family string `json:"family"` // "linux", "windows"...
	// Tags say where the OS runs: "bm" (bare metal), "vm", "gpu", "vgpu".
	Tags   []string `json:"tags"`
	MinRAM int      `json:"min_ram"` // GB
	MinHDD int      `json:"min_hdd"` // GB
	// PricePerCoreEUR is the price of an MS SPLA license per core, in EUR
	// without VAT (at least 8 licenses, in steps of 2); zero when free.
	PricePerCoreEUR Money `json:"price_per_core_EUR"`
	// Price is the OS's price (license included) by currency, when the
	// answer gives one. For display only: the order recomputes it.
	Price Prices `json:"price"`
}

// RunsOn reports whether the OS is tagged for a kind of machine: "bm",
// "vm", "gpu" or "vgpu".
func (o *OS) RunsOn(kind string) bool {
	for _, t := range o.Tags {
		if strings.EqualFold(t, kind) {
			return true
		}
	}
	return false
}

// OSListRequest selects the OSes to list. Give ID for the OSes that fit one
// of your servers (reinstall), or InstanceID (a preset id from
// presets.php list) and Location for an order. An empty request lists all.
type OSListRequest struct {
	ID         int    `url:"id,omitempty" check:"id=server,optional"`          // your server
	InstanceID int    `url:"instance_id,omitempty" check:"id=preset,optional"` // a preset id
	Location   string `url:"location,omitempty"`                               // "NL", "US", "RU"...
	// BillPeriod is the billing period the OS prices are for: "monthly",
	// "hourly"..., as HOSTKEY's Terraform provider sends it; empty for the
	// API's default.
	BillPeriod string `url:"bill_period,omitempty"`
	Extra      Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *OSListRequest) Validate() error { return validateRequest(r) }

func (r *OSListRequest) check() error {
	if r.ID > 0 && r.InstanceID > 0 {
		return invalid("instance_id", "give either a server id or an instance id, not both")
	}
	if err := validBillPeriod(r.BillPeriod); err != nil {
		return err
	}
	_, err := locationCode("location", r.Location, false)
	return err
}

// validBillPeriod accepts a billing period word ("monthly", "hourly",
// "semi-annually"...) or none.
func validBillPeriod(p string) error {
	for _, r := range p {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && r != '-' && r != '_' {
			return invalid("bill_period", "must be a billing period such as monthly or hourly, got %q", p)
		}
	}
	return nil
}

// OSList is the answer of os.php list.
type OSList struct {
	OS []OS `json:"os"` // the OSes that fit
	// Excluded are the OSes that do not fit the server or preset, when the
	// API lists them.
	Excluded []OS `json:"excluded"`
	RawJSON
}

// List returns the operating systems that fit a server or an instance, with
// those excluded (os.php list). With a server ID it uses the session; by
// instance it needs none, as documented. The lists are read under os_list
// and os_excluded, where HOSTKEY's Terraform provider reads them, or under
// os / list and excluded.
func (s *OSService) List(ctx context.Context, req *OSListRequest) (*OSList, error) {
	if req == nil {
		req = &OSListRequest{}
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	ep := &osListInstance
	if req.ID > 0 {
		ep = &osList
	}
	return getWith(ctx, s.client, ep, req, func(r reply) (*OSList, error) {
		out := &OSList{}
		var err error
		if out.OS, err = listOf[OS](r, "os_list", "os", "list"); err != nil {
			return nil, err
		}
		for _, key := range []string{"os_excluded", "excluded"} {
			if raw := r.field(key); len(raw) > 0 && (raw[0] == '[' || raw[0] == '{') {
				// tf keeps os_excluded as raw JSON: an odd shape there must not
				// cost the list itself (it stays in Raw).
				out.Excluded, _ = listOf[OS](r, key)
				break
			}
		}
		r.keep(out)
		return out, nil
	})
}
