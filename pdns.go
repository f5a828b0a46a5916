package invapi

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// PDNSService wraps pdns.php: DNS domains, zones, records and subdomains.
//
// The vendor lists pdns.php's actions by name only. The fields sent here
// are those of HOSTKEY's own clients (../shared/api/evidence.md): where
// their Terraform provider and their MCP server disagree, the SDK sends
// what the Terraform provider sends (its DNS code is tested against the
// live API), fields nested as params[...], and reads every answer shape
// either of them reads. The subdomain and zone actions only the MCP server
// uses are sent with its flat fields. Every request takes Extra for
// anything else.
type PDNSService service

var (
	// add_dns: tf's params[zone], params[name], params[type], params[content][], params[ttl], params[priority]; mcp sends them flat (zone, name...): tf wins, its DNS code is live-tested.
	pdnsAddDNS = endpoint{module: "pdns", action: "add_dns", class: change, settle: "pdns/view_zone", evidence: byClient("tf", "mcp")}
	// add_domain: tf's params[name], params[server_id] (mcp: flat name); the new id is read at data.id (tf).
	pdnsAddDomain = endpoint{module: "pdns", action: "add_domain", class: change, settle: "pdns/list_domains", evidence: byClient("tf", "mcp")}
	// delete_dns: by zone, name and type (+content, priority) as tf sends them nested (mcp: flat zone, name, type); never by a record id, which no client does.
	pdnsDeleteDNS = endpoint{module: "pdns", action: "delete_dns", class: change, settle: "pdns/view_zone", evidence: byClient("tf", "mcp")}
	// delete_domain: tf's params[id], params[zone] (mcp: server_id, domain_id): tf wins.
	pdnsDeleteDomain = endpoint{module: "pdns", action: "delete_domain", class: change, settle: "pdns/list_domains", evidence: byClient("tf", "mcp")}
	pdnsGetCBURL     = endpoint{module: "pdns", action: "get_cb_url", class: read, evidence: guessed}
	// list_domains: answers data[] (tf); domains and list are read too.
	pdnsListDomains = endpoint{module: "pdns", action: "list_domains", class: read, evidence: byClient("tf", "mcp")}
	pdnsListZones   = endpoint{module: "pdns", action: "list_zones", class: read, evidence: byClient("mcp")}
	// view_zone: tf's params[zone] (mcp: flat zone); answer data.{id,name,records[]}, record field priority (tf).
	pdnsViewZone = endpoint{module: "pdns", action: "view_zone", class: read, evidence: byClient("tf", "mcp")}

	// Only HOSTKEY's MCP server uses these (flat fields, as it sends them).
	pdnsListSubdomains  = endpoint{module: "pdns", action: "list_subdomains", class: read, evidence: byClient("mcp")}
	pdnsAddSubdomain    = endpoint{module: "pdns", action: "add_subdomain", class: change, settle: "pdns/list_subdomains", evidence: byClient("mcp")}
	pdnsEditSubdomain   = endpoint{module: "pdns", action: "edit_subdomain", class: change, settle: "pdns/list_subdomains", evidence: byClient("mcp")}
	pdnsDeleteSubdomain = endpoint{module: "pdns", action: "delete_subdomain", class: change, settle: "pdns/list_subdomains", evidence: byClient("mcp")}
	pdnsAddZone         = endpoint{module: "pdns", action: "add_zone", class: change, settle: "pdns/list_zones", evidence: byClient("mcp")}
	pdnsDeleteZone      = endpoint{module: "pdns", action: "delete_zone", class: change, settle: "pdns/list_zones", evidence: byClient("mcp")}
)

var domainName = regexp.MustCompile(`^(?i)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\.?$`)

func validDomain(field, d string) error {
	if !domainName.MatchString(d) || len(d) > 253 {
		return invalid(field, "%q is not a domain name", d)
	}
	return nil
}

// Domain is a DNS domain (zone) of the customer.
type Domain struct {
	ID      int    `json:"id"`
	Name    string `json:"name"`
	Records int    `json:"records"` // number of records, in lists
}

// DNSRecord is one record of a zone.
type DNSRecord struct {
	ID       int    `json:"id"`
	Name     string `json:"name"`
	Type     string `json:"type"` // "A", "AAAA", "CNAME", "MX", "TXT"...
	Content  string `json:"content"`
	TTL      int    `json:"ttl"`
	Priority int    `json:"priority"` // as HOSTKEY's Terraform provider reads it
}

// Zone is a domain with its records (pdns.php view_zone).
type Zone struct {
	ID      int         `json:"id"`
	Name    string      `json:"name"`
	Records []DNSRecord `json:"records"`
	RawJSON
}

// pdnsParams builds a form of params[...] fields, then adds extra at the
// top level (never over a params field, action, token or pin).
func pdnsParams(fields [][2]string, lists map[string][]string, extra Fields) url.Values {
	v := url.Values{}
	for _, f := range fields {
		if f[1] != "" {
			v.Set("params["+f[0]+"]", f[1])
		}
	}
	for k, list := range lists {
		for _, s := range list {
			v.Add("params["+k+"][]", s)
		}
	}
	for k, val := range extra {
		switch k {
		case "action", "token", "pin":
			continue
		}
		if _, taken := v[k]; !taken {
			v.Set(k, val)
		}
	}
	return v
}

func itoaOmit(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// AddDomainRequest adds a domain to HOSTKEY's DNS (pdns.php add_domain).
type AddDomainRequest struct {
	Name     string `check:"domain,name=params[name]"`                  // "example.com", sent as params[name]
	ServerID int    `check:"id=server,optional,name=params[server_id]"` // the server the domain belongs to (optional), params[server_id]
	Extra    Fields // further top-level fields, sent as given
}

// Validate checks the request before it is sent.
func (r *AddDomainRequest) Validate() error { return validateRequest(r) }

// AddDomain adds a domain to HOSTKEY's DNS and returns it with its new id
// (pdns.php add_domain). It sends params[name] and params[server_id] as
// HOSTKEY's Terraform provider does, and reads the id at data.id. An OK
// answer without an id is an outcome the SDK cannot confirm
// (ErrOutcomeUnknown): see ListDomains.
func (s *PDNSService) AddDomain(ctx context.Context, req *AddDomainRequest) (*Domain, error) {
	return getWith(ctx, s.client, &pdnsAddDomain, req, func(r reply) (*Domain, error) {
		var out struct {
			Domain
			Old *Domain `json:"domain"` // an older shape: {"domain":{"id":...}}
		}
		if err := r.decode(&out); err != nil {
			return nil, err
		}
		d := out.Domain
		if d.ID == 0 && out.Old != nil {
			d = *out.Old
		}
		if d.ID == 0 {
			return nil, r.bad("the answer holds no domain id (data.id)", nil)
		}
		d.Name = firstNonEmpty(d.Name, req.Name)
		return &d, nil
	})
}

func (r *AddDomainRequest) form() url.Values {
	return pdnsParams([][2]string{{"name", r.Name}, {"server_id", itoaOmit(r.ServerID)}}, nil, r.Extra)
}

// DeleteDomainRequest names the domain to delete by its id and its zone
// name, as HOSTKEY's Terraform provider sends both; at least one is needed.
type DeleteDomainRequest struct {
	ID    int    // Domain.ID, params[id]
	Zone  string // the domain name, params[zone]
	Extra Fields // further top-level fields (mcp sends server_id, domain_id)
}

// Validate checks the request before it is sent.
func (r *DeleteDomainRequest) Validate() error { return validateRequest(r) }

func (r *DeleteDomainRequest) check() error {
	if r.ID < 0 || (r.ID == 0 && r.Zone == "") {
		return invalid("params[id]", "set the domain id (and its zone), got %d", r.ID)
	}
	if r.Zone != "" {
		return validDomain("params[zone]", r.Zone)
	}
	return nil
}

// DeleteDomain deletes a domain and all its records (pdns.php
// delete_domain), sending params[id] and params[zone] as HOSTKEY's
// Terraform provider does.
func (s *PDNSService) DeleteDomain(ctx context.Context, req *DeleteDomainRequest) error {
	return act(ctx, s.client, &pdnsDeleteDomain, req)
}

func (r *DeleteDomainRequest) form() url.Values {
	return pdnsParams([][2]string{{"id", itoaOmit(r.ID)}, {"zone", r.Zone}}, nil, r.Extra)
}

// ListDomains returns the customer's domains (pdns.php list_domains). The
// answer is read at data[] (HOSTKEY's Terraform provider), domains or list.
func (s *PDNSService) ListDomains(ctx context.Context) ([]Domain, error) {
	return getList[Domain](ctx, s.client, &pdnsListDomains, nil, "domains", "list")
}

// ListZones returns the customer's DNS zones (pdns.php list_zones).
func (s *PDNSService) ListZones(ctx context.Context) ([]Domain, error) {
	return getList[Domain](ctx, s.client, &pdnsListZones, nil, "zones", "domains", "list")
}

// ViewZone returns a zone with its records (pdns.php view_zone). It sends
// params[zone] and reads data.{id, name, records[]}, as HOSTKEY's Terraform
// provider does (an answer under "zone" is read too).
func (s *PDNSService) ViewZone(ctx context.Context, zone string) (*Zone, error) {
	if err := validDomain("params[zone]", zone); err != nil {
		return nil, err
	}
	return getWith(ctx, s.client, &pdnsViewZone, pdnsParams([][2]string{{"zone", zone}}, nil, nil), func(r reply) (*Zone, error) {
		var out struct {
			Zone
			Old *Zone `json:"zone"`
		}
		if err := r.decode(&out); err != nil {
			return nil, err
		}
		z := out.Zone
		if z.ID == 0 && z.Name == "" && len(z.Records) == 0 && out.Old != nil {
			z = *out.Old
		}
		z.Name = firstNonEmpty(z.Name, zone)
		r.keep(&z)
		return &z, nil
	})
}

var dnsRecordTypes = map[string]bool{"A": true, "AAAA": true, "CNAME": true, "MX": true, "TXT": true, "NS": true, "SRV": true, "CAA": true, "PTR": true}

// validRecordKey checks what picks a record in its zone, as add_dns and
// delete_dns send it: a name that is not blank (emptyName is the error
// when it is) and a supported type, in any case.
func validRecordKey(name, typ, emptyName string) error {
	if err := requiredText("params[name]", name, emptyName); err != nil {
		return err
	}
	if !dnsRecordTypes[strings.ToUpper(typ)] {
		return invalid("params[type]", "%q is not a supported record type", typ)
	}
	return nil
}

// DNSRecordRequest describes a record to add (pdns.php add_dns), in the
// fields HOSTKEY's Terraform provider sends: params[zone], params[name],
// params[type], params[content][] (one per value), params[ttl],
// params[priority].
type DNSRecordRequest struct {
	Zone     string   `check:"domain,name=params[zone]"` // the zone, "example.com"
	Name     string   // the record's name, e.g. "www" or "www.example.com"
	Type     string   // "A", "AAAA", "CNAME", "MX", "TXT", "NS", "SRV", "CAA", "PTR"
	Content  []string // the values (one or more)
	TTL      int      // seconds; the API's default (3600) when 0
	Priority int      // for MX and SRV
	Extra    Fields   // further top-level fields, sent as given
}

// Validate checks the request before it is sent.
func (r *DNSRecordRequest) Validate() error { return validateRequest(r) }

func (r *DNSRecordRequest) check() error {
	if err := validRecordKey(r.Name, r.Type, "is empty (use the zone's name for its apex)"); err != nil {
		return err
	}
	if len(r.Content) == 0 {
		return invalid("params[content]", "is empty")
	}
	for _, c := range r.Content {
		if strings.TrimSpace(c) == "" {
			return invalid("params[content]", "holds an empty value")
		}
	}
	if r.TTL < 0 {
		return invalid("params[ttl]", "must not be negative, got %d", r.TTL)
	}
	if r.Priority < 0 {
		return invalid("params[priority]", "must not be negative, got %d", r.Priority)
	}
	return nil
}

// AddDNS adds a record to a zone, or replaces the record of that name and
// type (pdns.php add_dns). The record comes back as the API describes it
// (data or record), completed from the request.
func (s *PDNSService) AddDNS(ctx context.Context, req *DNSRecordRequest) (*DNSRecord, error) {
	var out struct {
		DNSRecord
		Record *DNSRecord `json:"record"`
	}
	if err := getInto(ctx, s.client, &pdnsAddDNS, req, &out); err != nil {
		return nil, err
	}
	rec := out.DNSRecord
	if out.Record != nil {
		rec = *out.Record
	}
	rec.Name = firstNonEmpty(rec.Name, req.Name)
	rec.Type = firstNonEmpty(rec.Type, strings.ToUpper(req.Type))
	rec.Content = firstNonEmpty(rec.Content, req.Content[0])
	rec.TTL = firstNonZero(rec.TTL, req.TTL)
	rec.Priority = firstNonZero(rec.Priority, req.Priority)
	return &rec, nil
}

func (r *DNSRecordRequest) form() url.Values {
	return pdnsParams([][2]string{{"zone", r.Zone}, {"name", r.Name}, {"type", strings.ToUpper(r.Type)},
		{"ttl", itoaOmit(r.TTL)}, {"priority", itoaOmit(r.Priority)}}, map[string][]string{"content": r.Content}, r.Extra)
}

// DeleteDNSRequest names the records to delete (pdns.php delete_dns): the
// zone, the record's name and type, and optionally its values and priority,
// as HOSTKEY's Terraform provider sends them. No HOSTKEY client deletes a
// record by id.
type DeleteDNSRequest struct {
	Zone     string   `check:"domain,name=params[zone]"` // params[zone]
	Name     string   // params[name]
	Type     string   // params[type]
	Content  []string // params[content][], only these values (optional)
	Priority int      // params[priority] (optional)
	Extra    Fields   // further top-level fields, sent as given
}

// Validate checks the request before it is sent.
func (r *DeleteDNSRequest) Validate() error { return validateRequest(r) }

func (r *DeleteDNSRequest) check() error {
	if err := validRecordKey(r.Name, r.Type, "is empty"); err != nil {
		return err
	}
	if r.Priority < 0 {
		return invalid("params[priority]", "must not be negative, got %d", r.Priority)
	}
	return nil
}

// DeleteDNS deletes the records of a name and type in a zone
// (pdns.php delete_dns).
func (s *PDNSService) DeleteDNS(ctx context.Context, req *DeleteDNSRequest) error {
	return act(ctx, s.client, &pdnsDeleteDNS, req)
}

func (r *DeleteDNSRequest) form() url.Values {
	return pdnsParams([][2]string{{"zone", r.Zone}, {"name", r.Name}, {"type", strings.ToUpper(r.Type)},
		{"priority", itoaOmit(r.Priority)}}, map[string][]string{"content": r.Content}, r.Extra)
}

// GetCallbackURL returns the URL that DNS change notifications are sent to
// (pdns.php get_cb_url).
func (s *PDNSService) GetCallbackURL(ctx context.Context) (string, error) {
	var out struct {
		URL string `json:"url"`
	}
	if err := getInto(ctx, s.client, &pdnsGetCBURL, nil, &out); err != nil {
		return "", err
	}
	return out.URL, nil
}

// ---------------------------------------------------------------------------
// Subdomains and zones: only HOSTKEY's MCP server uses these; its flat
// field names are sent.

// Subdomain is an entry of the subdomain table (pdns.php list_subdomains).
// The MCP server shows no answer shape: the fields below are read when
// present; Fields holds them all as text.
type Subdomain struct {
	ID       int               `json:"id"`
	Name     string            `json:"name"`
	DomainID int               `json:"domain_id"`
	ServerID int               `json:"server_id"`
	Fields   map[string]string `json:"-" loose:"all"`
}

// ListSubdomains returns the subdomains of a server's domains
// (pdns.php list_subdomains), sending server_id as HOSTKEY's MCP server
// does.
func (s *PDNSService) ListSubdomains(ctx context.Context, serverID int) ([]Subdomain, error) {
	if serverID <= 0 {
		return nil, invalid("server_id", "must be a positive server id, got %d", serverID)
	}
	return getList[Subdomain](ctx, s.client, &pdnsListSubdomains, url.Values{"server_id": {strconv.Itoa(serverID)}}, "subdomains", "list")
}

// AddSubdomainRequest adds a subdomain to a domain (pdns.php add_subdomain).
type AddSubdomainRequest struct {
	ServerID int    `url:"server_id" check:"id=server"`
	DomainID int    `url:"domain_id" check:"id=domain"` // Domain.ID, from ListDomains
	Name     string `url:"name"`
	Extra    Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *AddSubdomainRequest) Validate() error { return validateRequest(r) }

func (r *AddSubdomainRequest) check() error {
	if strings.TrimSpace(r.Name) == "" || strings.ContainsAny(r.Name, " /@#") {
		return invalid("name", "must be a subdomain name, got %q", r.Name)
	}
	return nil
}

// AddSubdomain adds a subdomain to the subdomain table
// (pdns.php add_subdomain), with the fields HOSTKEY's MCP server sends.
// The answer's id (data.id or id) is returned when sent.
func (s *PDNSService) AddSubdomain(ctx context.Context, req *AddSubdomainRequest) (*Subdomain, error) {
	out, err := get[Subdomain](ctx, s.client, &pdnsAddSubdomain, req)
	return completed(out, err, func(sd *Subdomain) {
		sd.Name = firstNonEmpty(sd.Name, req.Name)
		sd.DomainID = firstNonZero(sd.DomainID, req.DomainID)
		sd.ServerID = firstNonZero(sd.ServerID, req.ServerID)
	})
}

// EditSubdomainRequest changes a subdomain (pdns.php edit_subdomain).
// HOSTKEY's MCP server sends only the id and, optionally, the server: put
// the fields to change in Extra.
type EditSubdomainRequest struct {
	ID       int    `url:"id" check:"id=subdomain"` // Subdomain.ID
	ServerID int    `url:"server_id,omitempty" check:"id=server,optional"`
	Extra    Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *EditSubdomainRequest) Validate() error { return validateRequest(r) }

// EditSubdomain changes a subdomain (pdns.php edit_subdomain).
func (s *PDNSService) EditSubdomain(ctx context.Context, req *EditSubdomainRequest) error {
	return act(ctx, s.client, &pdnsEditSubdomain, req)
}

// DeleteSubdomain removes a subdomain from the subdomain table
// (pdns.php delete_subdomain), sending server_id and id as HOSTKEY's MCP
// server does.
func (s *PDNSService) DeleteSubdomain(ctx context.Context, serverID, id int) error {
	if serverID <= 0 {
		return invalid("server_id", "must be a positive server id, got %d", serverID)
	}
	if id <= 0 {
		return invalid("id", "must be a positive subdomain id, got %d", id)
	}
	return act(ctx, s.client, &pdnsDeleteSubdomain, url.Values{"server_id": {strconv.Itoa(serverID)}, "id": {strconv.Itoa(id)}})
}

// Zone kinds of AddZoneRequest.
const (
	ZoneMaster = "Master"
	ZoneSlave  = "Slave"
)

// ZoneSOA are a new zone's SOA settings, sent as dns[ttl], dns[mname]...
// Zero fields take HOSTKEY's defaults.
type ZoneSOA struct {
	TTL     int    `url:"ttl,omitempty"`
	MName   string `url:"mname,omitempty"` // primary name server, "ns1.hostkey.com"
	RName   string `url:"rname,omitempty"` // administrator's mailbox, "admin.example.com"
	Serial  int    `url:"serial,omitempty"`
	Refresh int    `url:"refresh,omitempty"`
	Retry   int    `url:"retry,omitempty"`
	Expire  int    `url:"expire,omitempty"`
	Minimum int    `url:"minimum,omitempty"`
}

// AddZoneRequest creates a zone on HOSTKEY's authoritative PowerDNS
// (pdns.php add_zone), in the fields HOSTKEY's MCP server sends.
type AddZoneRequest struct {
	Name string `url:"name" check:"domain"` // "example.com"
	Kind string `url:"kind,omitempty"`      // ZoneMaster (default) or ZoneSlave
	// RRSets and DNSSEC are sent as 1/0 when set (the API's defaults:
	// RRsets on, DNSSEC off).
	RRSets      *bool    `url:"rrsets,int,omitempty"`
	DNSSEC      *bool    `url:"dnssec,int,omitempty"`
	Masters     []string `url:"masters,brackets,omitempty"`     // master servers, for a slave zone
	SOA         *ZoneSOA `url:"dns,omitempty"`                  // dns[ttl], dns[mname]...
	Nameservers []string `url:"nameservers,brackets,omitempty"` // default ns1/ns2.hostkey.com
	Extra       Fields   `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *AddZoneRequest) Validate() error { return validateRequest(r) }

func (r *AddZoneRequest) check() error {
	switch r.Kind {
	case "", ZoneMaster, ZoneSlave:
	default:
		return invalid("kind", "must be Master or Slave, got %q", r.Kind)
	}
	if r.Kind == ZoneSlave && len(r.Masters) == 0 {
		return invalid("masters", "a slave zone needs its master servers")
	}
	return validEach("nameservers", r.Nameservers, validDomain)
}

// AddZone creates a zone on HOSTKEY's authoritative DNS (pdns.php add_zone).
func (s *PDNSService) AddZone(ctx context.Context, req *AddZoneRequest) error {
	return act(ctx, s.client, &pdnsAddZone, req)
}

// DeleteZone deletes a zone with all its records (pdns.php delete_zone),
// sending zone as HOSTKEY's MCP server does.
func (s *PDNSService) DeleteZone(ctx context.Context, zone string) error {
	if err := validDomain("zone", zone); err != nil {
		return err
	}
	return act(ctx, s.client, &pdnsDeleteZone, url.Values{"zone": {zone}})
}
