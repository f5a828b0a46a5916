package invapi

import (
	"context"
	"encoding/json"
	"net/netip"
	"net/url"
	"strings"
	"unicode"
)

// IPService wraps ip.php: addresses and PTR records.
type IPService service

var (
	ipGetIP       = endpoint{module: "ip", action: "get_ip", class: read, evidence: byClient("mcp")}
	ipGetPTR      = endpoint{module: "ip", action: "get_ptr", class: read, evidence: byClient("mcp")}
	ipUpdatePTR   = endpoint{module: "ip", action: "update_ptr", class: change, settle: "ip/get_ptr", evidence: byClient("mcp")}
	ipSetMain     = endpoint{module: "ip", action: "set_main", class: change, settle: "eq/show", evidence: byClient("mcp")}
	ipGetClientIP = endpoint{module: "ip", action: "get_client_ip", class: read, evidence: guessed}
	ipGetTraffic  = endpoint{module: "ip", action: "get_traffic", class: read, evidence: guessed}
	ipListFreeIP  = endpoint{module: "ip", action: "list_free_ip", class: read, evidence: guessed}
)

// IPInfo describes one IP address (ip.php get_ip).
type IPInfo struct {
	IP       string `json:"ip"`
	Network  string `json:"network"`
	Netmask  string `json:"netmask"`
	Gateway  string `json:"gateway"`
	Location string `json:"location"`
	Status   string `json:"status"`
	RawJSON
}

// GetIP returns what InvAPI knows about an IP address (ip.php get_ip).
func (s *IPService) GetIP(ctx context.Context, ip string) (*IPInfo, error) {
	if err := validIPField("ip", ip); err != nil {
		return nil, err
	}
	return get[IPInfo](ctx, s.client, &ipGetIP, url.Values{"ip": {ip}})
}

// GetPTRRequest names a server's IP address.
type GetPTRRequest struct {
	ID int    `url:"id" check:"id=server"` // the server the address is bound to
	IP string `url:"ip" check:"ip"`        // IPv4 or IPv6
}

// Validate checks the request before it is sent.
func (r *GetPTRRequest) Validate() error { return validateRequest(r) }

// PTRRecord is the reverse DNS of one address. An address may have several
// PTR records.
type PTRRecord struct {
	IP    string   `json:"ip"`
	Names []string `json:"names"` // host names, e.g. ["web-1.example.com"]
	RawJSON
}

// GetPTR returns the PTR records (reverse DNS names) of a server's IP address (ip.php get_ptr).
func (s *IPService) GetPTR(ctx context.Context, req *GetPTRRequest) (*PTRRecord, error) {
	return getWith(ctx, s.client, &ipGetPTR, req, func(r reply) (*PTRRecord, error) {
		rec := &PTRRecord{IP: req.IP}
		raw := r.field("ptr")
		if p := r.data(); raw == nil && len(p) > 0 && p[0] == '{' {
			var inner map[string]json.RawMessage
			if json.Unmarshal(p, &inner) == nil {
				raw = inner["ptr"]
				if ip := rawScalar(inner["ip"]); ip != "" {
					rec.IP = ip
				}
			}
		}
		if raw == nil {
			raw = r.data() // ["a.example.com", ...]
		}
		if raw == nil {
			raw = r.field("data") // "a.example.com"
		}
		rec.Names = ptrNames(raw)
		r.keep(rec)
		return rec, nil
	})
}

// PTRNames are the PTR records of one address. The API takes several in one
// field, separated by a newline (%0A on the wire), which is how they are sent.
type PTRNames []string

// EncodeValues implements go-querystring's Encoder.
func (p PTRNames) EncodeValues(key string, v *url.Values) error {
	if len(p) > 0 {
		v.Set(key, strings.Join(p, "\n"))
	}
	return nil
}

// UpdatePTRRequest sets the reverse DNS of a server's IP address.
type UpdatePTRRequest struct {
	ID  int      `url:"id" check:"id=server"`
	IP  string   `url:"ip" check:"ip"` // IPv4 or IPv6
	PTR PTRNames `url:"ptr"`
}

// Validate checks the request before it is sent.
func (r *UpdatePTRRequest) Validate() error { return validateRequest(r) }

func (r *UpdatePTRRequest) check() error {
	if len(r.PTR) == 0 {
		return invalid("ptr", "at least one host name is required")
	}
	return validEach("ptr", r.PTR, validPTRName)
}

// UpdatePTR replaces the PTR records of a server's IP address (ip.php update_ptr).
// Several names are sent in one call.
func (s *IPService) UpdatePTR(ctx context.Context, req *UpdatePTRRequest) error {
	return act(ctx, s.client, &ipUpdatePTR, req)
}

// SetMainRequest marks one of a server's addresses as its main IP.
type SetMainRequest struct {
	ID int    `url:"id" check:"id=server"`
	IP string `url:"ip" check:"ip"` // the address to make main
	// Main is the "main" field. The 001 reference types it int and
	// describes it as "Ip address to be set as main"; it is read as a flag,
	// and "1" is sent when Main is empty.
	Main string `url:"main"`
}

// Validate checks the request before it is sent.
func (r *SetMainRequest) Validate() error { return validateRequest(r) }

// SetMain makes an address the server's main IP, the one its OS is installed
// with (ip.php set_main).
func (s *IPService) SetMain(ctx context.Context, req *SetMainRequest) error {
	params := any(req) // nil: refused by the request path
	if req != nil && req.Main == "" {
		r := *req
		r.Main = "1"
		params = &r
	}
	return act(ctx, s.client, &ipSetMain, params)
}

// GetClientIP returns the address InvAPI sees the caller's requests come from (ip.php get_client_ip).
func (s *IPService) GetClientIP(ctx context.Context) (string, error) {
	out, err := get[struct {
		IP string `json:"ip"`
	}](ctx, s.client, &ipGetClientIP, nil)
	if err != nil {
		return "", err
	}
	return out.IP, nil
}

// GetTrafficRequest asks for the traffic of one address. The vendor
// documents the action by name only: the period and summary-mode fields go
// in Extra.
type GetTrafficRequest struct {
	IP    string `url:"ip" check:"ip"`
	Extra Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *GetTrafficRequest) Validate() error { return validateRequest(r) }

// IPTraffic is the traffic answer of one address. Its shape is not
// documented: read it with Raw.
type IPTraffic struct {
	RawJSON
}

// GetTraffic returns the incoming and outgoing traffic of an address over a period (ip.php get_traffic).
func (s *IPService) GetTraffic(ctx context.Context, req *GetTrafficRequest) (*IPTraffic, error) {
	return get[IPTraffic](ctx, s.client, &ipGetTraffic, req)
}

// ListFreeIPRequest filters the free addresses. The vendor documents the
// action by name only (clients select a subnet id, administrators a
// location): those fields go in Extra.
type ListFreeIPRequest struct {
	Extra Fields `url:"extra,omitempty"`
}

// ListFreeIP returns unused IP addresses of a location or subnet (ip.php list_free_ip).
func (s *IPService) ListFreeIP(ctx context.Context, req *ListFreeIPRequest) ([]string, error) {
	rows, err := getList[json.RawMessage](ctx, s.client, &ipListFreeIP, optional(req), "ips", "free", "list")
	if err != nil {
		return nil, err
	}
	return addressRows(rows), nil
}

// addressRows reads a list of addresses whose rows are strings or objects
// with an "ip" field.
func addressRows(rows []json.RawMessage) []string {
	return rowValues(rows, rawScalar, "ip", "IP", "address")
}

// ptrNames reads PTR names from a string (names separated by newlines) or a
// list of strings.
func ptrNames(raw json.RawMessage) []string {
	var names []string
	if len(raw) > 0 && raw[0] == '[' {
		var rows []json.RawMessage
		if json.Unmarshal(raw, &rows) == nil {
			for _, r := range rows {
				names = append(names, ptrNames(r)...)
			}
		}
		return names
	}
	for _, n := range strings.Split(rawScalar(raw), "\n") {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, n)
		}
	}
	return names
}

// validIPField checks that s is an IPv4 or IPv6 address (no zone, no prefix).
func validIPField(field, s string) error {
	if strings.TrimSpace(s) == "" {
		return invalid(field, "IP address is empty")
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return invalid(field, "%q is not an IPv4 or IPv6 address", s)
	}
	if a.Zone() != "" {
		return invalid(field, "%q has a zone; give the bare address", s)
	}
	return nil
}

// validIPv4Field checks that s is an IPv4 address.
func validIPv4Field(field, s string) error {
	if err := validIPField(field, s); err != nil {
		return err
	}
	if a := netip.MustParseAddr(s); !a.Is4() {
		return invalid(field, "%q is not an IPv4 address", s)
	}
	return nil
}

// validPTRName checks one reverse DNS host name.
func validPTRName(field, name string) error {
	switch {
	case name == "":
		return invalid(field, "host name is empty")
	case len(name) > 253:
		return invalid(field, "host name must be at most 253 characters, got %d", len(name))
	case strings.IndexFunc(name, unicode.IsSpace) >= 0:
		return invalid(field, "host name %q contains spaces", name)
	}
	return nil
}
