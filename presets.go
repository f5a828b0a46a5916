package invapi

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"strings"

	"github.com/invapi-go/invapi/internal/loose"
)

// PresetsService wraps presets.php: server configurations and prices.
//
// Ordering an instance takes four reads and one order, in this order:
//
//	presets, _ := c.Presets.List(ctx, &invapi.PresetsListRequest{Location: "NL"}) // pick one: p
//	oses, _ := c.OS.List(ctx, &invapi.OSListRequest{Location: "NL", InstanceID: p.ID})
//	plans, _ := c.TrafficPlans.List(ctx, &invapi.TrafficPlansListRequest{Location: "NL", InstanceID: p.ID})
//	tasks, _ := c.Jenkins.GetTasks(ctx)                           // optional post-install task
//	// then eq.php order_instance with preset=p.Name, os_id, traffic_plan, location_name="NL"
//
// Prices are for display only: the API computes them again when the order is
// placed.
type PresetsService service

var (
	// presets/list: tf sends it with a token, mcp without; it needs none.
	presetsList   = endpoint{module: "presets", action: "list", class: read, noAuth: true, evidence: byClient("tf", "mcp")}
	presetsGroups = endpoint{module: "presets", action: "groups", class: read, noAuth: true, evidence: byClient("mcp")}
	presetsInfo   = endpoint{module: "presets", action: "info", class: read, noAuth: true, evidence: byClient("whmcs", "mcp")}
	// presets/search: the answer is read under servers (3p) and presets.
	presetsSearch = endpoint{module: "presets", action: "search", class: read, evidence: byClient("mcp")}
	presetsShow   = endpoint{module: "presets", action: "show", class: read, evidence: byClient("tf", "mcp")}
)

// Locations is a list of location codes. The API sends it as a comma
// string ("NL,FI", as HOSTKEY's Terraform providers and WHMCS module split
// it) or as a list; both read as the list.
type Locations []string

// UnmarshalJSON reads "NL,FI", ["NL","FI"], a single code, or null / "" as
// none.
func (l *Locations) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	out := Locations{}
	if len(b) > 0 && b[0] == '[' {
		var items []string
		if err := loose.Unmarshal(b, &items); err != nil {
			return err
		}
		for _, it := range items {
			out = append(out, loose.SplitList(it)...)
		}
	} else {
		out = append(out, loose.SplitList(rawScalar(b))...)
	}
	*l = out
	return nil
}

// Has reports whether the list holds location (case-insensitive).
func (l Locations) Has(location string) bool {
	for _, x := range l {
		if strings.EqualFold(x, location) {
			return true
		}
	}
	return false
}

// Prices maps a currency code ("EUR", "USD", "RUB") to an amount. A price
// the API sends as a bare amount, with no currency, is kept under "".
type Prices map[string]Money

// In returns the amount in currency (case-insensitive).
func (p Prices) In(currency string) (Money, bool) {
	if m, ok := p[currency]; ok {
		return m, true
	}
	for k, m := range p {
		if strings.EqualFold(k, currency) {
			return m, true
		}
	}
	return Money{}, false
}

// UnmarshalJSON reads {"EUR":"120.00","USD":130}, a bare amount (kept under
// ""), or null / "" / [] as no prices. Entries that are not amounts (a
// nested object, a label) are skipped rather than failing the whole answer.
func (p *Prices) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	out := Prices{}
	switch {
	case len(b) == 0 || string(b) == "null" || string(b) == `""` || string(b) == "[]" || string(b) == "false":
	case b[0] == '{':
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(b, &raw); err != nil {
			return err
		}
		for k, v := range raw {
			var m Money
			if m.UnmarshalJSON(v) == nil {
				out[k] = m
			}
		}
	default:
		var m Money
		if err := m.UnmarshalJSON(b); err != nil {
			return err
		}
		out[""] = m
	}
	*p = out
	return nil
}

// Preset is an orderable instance configuration. Its Name is the code
// eq.php order_instance takes as preset.
type Preset struct {
	ID          int    `json:"id"`
	Name        string `json:"name"` // e.g. "bm.v1-big"
	Description string `json:"description"`
	Type        string `json:"type"`  // "bm", "vm", "gpu", "vgpu"
	Group       string `json:"group"` // e.g. "Instances", "Compute", "Gpu"
	// CPU is the processor as the API prints it: a model ("AMD Ryzen 9
	// 5950X") or a count ("16").
	CPU   string `json:"cpu"`
	Cores int    `json:"cores"`
	RAM   int    `json:"ram"` // GB
	// HDD is the disks as the API prints them: "2x960" for two disks of
	// 960 GB, or a plain size ("1000"). It is text because the API sends
	// both (HOSTKEY's Terraform provider reads it as a string or a number).
	HDD string `json:"hdd"`
	GPU string `json:"gpu"`
	// Virtual is set for virtual machines (virtual=1): only those are VMs;
	// the others are dedicated or GPU hardware.
	Virtual    bool   `json:"virtual"`
	ServerType string `json:"server_type"`
	Active     bool   `json:"active"`
	Location   string `json:"location"`
	// Locations are where the preset can be ordered; the API sends them as
	// a comma string ("NL,FI"), read as a list.
	Locations Locations `json:"locations"`
	Available int       `json:"available"` // how many can be deployed now

	// OS, Soft and TrafficPlans are what presets.php info lists per preset
	// (HOSTKEY's WHMCS module imports them as order options): the OSes
	// and software that can go on it, and the traffic plans by location.
	OS           []PresetOption            `json:"OS"`
	Soft         []PresetOption            `json:"soft"`
	TrafficPlans map[string][]PresetOption `json:"-"`

	// Price is the monthly price by currency, for Location (or the only
	// location the answer covers).
	Price Prices `json:"-"`
	// PricesByLocation is the monthly price by location then currency, when
	// the answer covers several locations ({"NL":{"EUR":"120.00"}}).
	PricesByLocation map[string]Prices `json:"-"`
}

// PriceIn returns the monthly price of the preset in location and currency.
// An empty location means the one the answer was for.
func (p *Preset) PriceIn(location, currency string) (Money, bool) {
	if location != "" {
		for k, prices := range p.PricesByLocation {
			if strings.EqualFold(k, location) {
				return prices.In(currency)
			}
		}
		if p.Location != "" && !strings.EqualFold(p.Location, location) {
			return Money{}, false
		}
	}
	return p.Price.In(currency)
}

// PresetOption is an OS, a software product or a traffic plan offered
// with a preset (presets.php info), with its monthly price by currency.
type PresetOption struct {
	ID          int    `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Price       Prices `json:"price"`
}

// decodePreset reads "price" in either shape: by currency, or by location
// then currency; and "traffic_plans" by location ({"NL":[...]}) or as one
// list (kept under "").
func decodePreset(b []byte, p *Preset) error {
	type plain Preset
	var v struct {
		plain
		Price        json.RawMessage `json:"price"`
		TrafficPlans json.RawMessage `json:"traffic_plans"`
	}
	if err := loose.Unmarshal(b, &v); err != nil {
		return err
	}
	*p = Preset(v.plain)
	if tp := bytes.TrimSpace(v.TrafficPlans); len(tp) > 0 {
		switch tp[0] {
		case '{':
			var byLoc map[string][]PresetOption
			if err := loose.Unmarshal(tp, &byLoc); err != nil {
				return err
			}
			if len(byLoc) > 0 {
				p.TrafficPlans = byLoc
			}
		case '[':
			var list []PresetOption
			if err := loose.Unmarshal(tp, &list); err != nil {
				return err
			}
			if len(list) > 0 {
				p.TrafficPlans = map[string][]PresetOption{"": list}
			}
		}
	}
	byLoc, flat, err := readNestedPrices(v.Price)
	if err != nil {
		return err
	}
	p.Price, p.PricesByLocation = flat, byLoc
	if flat == nil && len(byLoc) == 1 {
		for _, prices := range byLoc {
			p.Price = prices
		}
	}
	return nil
}

// readNestedPrices reads a price object that is either currency → amount
// (flat) or location → currency → amount (byLoc).
func readNestedPrices(raw json.RawMessage) (byLoc map[string]Prices, flat Prices, err error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '{' {
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(raw, &fields); err != nil {
			return nil, nil, err
		}
		nested := len(fields) > 0
		for _, v := range fields {
			if v = bytes.TrimSpace(v); len(v) == 0 || v[0] != '{' {
				nested = false
			}
		}
		if nested {
			byLoc = map[string]Prices{}
			for k, v := range fields {
				var pr Prices
				if err := pr.UnmarshalJSON(v); err != nil {
					return nil, nil, err
				}
				byLoc[k] = pr
			}
			return byLoc, nil, nil
		}
	}
	if len(raw) == 0 {
		return nil, nil, nil
	}
	if err := flat.UnmarshalJSON(raw); err != nil {
		return nil, nil, err
	}
	if len(flat) == 0 {
		flat = nil
	}
	return nil, flat, nil
}

// PresetsListRequest selects presets.php list.
type PresetsListRequest struct {
	Location string `url:"location" check:"location"` // "NL", "US", "RU"... (required)
	Extra    Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *PresetsListRequest) Validate() error { return validateRequest(r) }

// List returns the instances (presets) that can be ordered in a location,
// with their basic prices (presets.php list). It needs no session. The
// answer is read as HOSTKEY's Terraform provider reads it: hdd as text
// ("2x960" or a number), locations as a comma string or a list.
func (s *PresetsService) List(ctx context.Context, req *PresetsListRequest) ([]Preset, error) {
	return getList[Preset](ctx, s.client, &presetsList, req, "presets")
}

func (r *PresetsListRequest) form() url.Values {
	loc, _ := locationCode("location", r.Location, true)
	params := url.Values{"location": {loc}}
	for k, v := range r.Extra {
		if k != "location" {
			params.Set(k, v)
		}
	}
	return params
}

// PresetGroup is a group of presets ("Instances", "Gpu"...).
type PresetGroup struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

// PresetGroupsRequest filters presets.php groups. The vendor documents no
// parameters and HOSTKEY's MCP server sends none: Location is this SDK's
// guess, Extra sends any other.
type PresetGroupsRequest struct {
	Location string `url:"location,omitempty"`
	Extra    Fields `url:"extra,omitempty"`
}

// Groups returns the preset groups (presets.php groups). req may be nil. It
// needs no session, as HOSTKEY's MCP server calls it.
func (s *PresetsService) Groups(ctx context.Context, req *PresetGroupsRequest) ([]PresetGroup, error) {
	return getList[PresetGroup](ctx, s.client, &presetsGroups, optional(req), "groups")
}

// PresetInfoRequest selects presets.php info. HOSTKEY's WHMCS module and
// MCP server send currencies only; ID and Location are the SDK's guesses,
// Extra sends any other field.
type PresetInfoRequest struct {
	ID       int    `url:"id,omitempty" check:"id=preset,optional"` // one preset; 0 for all
	Location string `url:"location,omitempty"`
	// Currencies asks for prices in these currencies (sent as
	// currencies=EUR,USD, as whmcs and mcp send it); the API defaults to
	// EUR and USD.
	Currencies []string `url:"currencies,comma,omitempty"`
	Extra      Fields   `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *PresetInfoRequest) Validate() error { return validateRequest(r) }

func (r *PresetInfoRequest) check() error {
	for _, c := range r.Currencies {
		if !isCurrencyCode(c) {
			return invalid("currencies", "must be three-letter currency codes, got %q", c)
		}
	}
	return nil
}

// Info returns presets with their prices in the requested currencies,
// EUR and USD by default, and per preset the OSes, software and traffic
// plans that go with it (presets.php info), as HOSTKEY's WHMCS module
// imports them. It needs no session. req may be nil.
func (s *PresetsService) Info(ctx context.Context, req *PresetInfoRequest) ([]Preset, error) {
	return getList[Preset](ctx, s.client, &presetsInfo, optional(req), "presets")
}

// PresetSearchRequest is presets.php search: by preset name, scope and
// location, as HOSTKEY's MCP server sends it.
type PresetSearchRequest struct {
	Name string `url:"name,omitempty"`
	// Scope is "free" (servers available now) or "all".
	Scope    string `url:"scope,omitempty"`
	Location string `url:"location,omitempty"`
	Extra    Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *PresetSearchRequest) Validate() error { return validateRequest(r) }

func (r *PresetSearchRequest) check() error {
	if r.Name == "" && r.Scope == "" && r.Location == "" && len(r.Extra) == 0 {
		return invalid("name", "give a name, scope or location to search for")
	}
	return nil
}

// Search returns the presets matching a name, scope and location
// (presets.php search). The fields are those HOSTKEY's MCP server sends;
// the answer is read under "servers" (what a third-party client reads: the
// matching servers in stock, with id and location) or "presets".
func (s *PresetsService) Search(ctx context.Context, req *PresetSearchRequest) ([]Preset, error) {
	return getList[Preset](ctx, s.client, &presetsSearch, req, "servers", "presets")
}

// PresetShowRequest names one preset by ID or Name.
type PresetShowRequest struct {
	ID       int    `url:"id,omitempty" check:"id=preset,optional"`
	Name     string `url:"name,omitempty"`
	Location string `url:"location,omitempty"`
	Limit    int    `url:"limit,omitempty"`
	Extra    Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *PresetShowRequest) Validate() error { return validateRequest(r) }

func (r *PresetShowRequest) check() error {
	if r.ID == 0 && r.Name == "" {
		return invalid("id", "give the preset's id or name")
	}
	if r.Limit < 0 {
		return invalid("limit", "must not be negative, got %d", r.Limit)
	}
	return nil
}

// Show returns one preset, by id or name (presets.php show). The answer is
// read under "preset" or "presets", as HOSTKEY's Terraform provider reads it.
func (s *PresetsService) Show(ctx context.Context, req *PresetShowRequest) (*Preset, error) {
	return getOne[Preset](ctx, s.client, &presetsShow, req, "preset", "presets")
}

// locationCode checks a location code ("NL", "US", "RU"...) and returns it
// in upper case.
func locationCode(field, loc string, required bool) (string, error) {
	loc = strings.TrimSpace(loc)
	if loc == "" {
		if required {
			return "", invalid(field, "is required (a location code such as NL, US or RU)")
		}
		return "", nil
	}
	if len(loc) < 2 || len(loc) > 8 {
		return "", invalid(field, "must be a location code such as NL, US or RU, got %q", loc)
	}
	for _, r := range loc {
		if (r < 'A' || r > 'Z') && (r < 'a' || r > 'z') {
			return "", invalid(field, "must be a location code such as NL, US or RU, got %q", loc)
		}
	}
	return strings.ToUpper(loc), nil
}

func isCurrencyCode(c string) bool {
	if len(c) != 3 {
		return false
	}
	for _, r := range c {
		if (r < 'A' || r > 'Z') && (r < 'a' || r > 'z') {
			return false
		}
	}
	return true
}
