package invapi

import (
	"context"
	"net/url"
	"regexp"
	"strings"
)

// PDNSService wraps pdns.php: DNS domains, zones and records.
//
// The vendor lists pdns.php's actions by name only, with no parameter list:
// the fields modelled here follow the descriptions, and every request takes
// Extra for anything else.
type PDNSService service

var (
	pdnsAddDNS       = endpoint{module: "pdns", action: "add_dns", class: change, settle: "pdns/view_zone", evidence: byClient("tf", "mcp")}
	pdnsAddDomain    = endpoint{module: "pdns", action: "add_domain", class: change, settle: "pdns/list_domains", evidence: byClient("tf", "mcp")}
	pdnsDeleteDNS    = endpoint{module: "pdns", action: "delete_dns", class: change, settle: "pdns/view_zone", evidence: byClient("tf", "mcp")}
	pdnsDeleteDomain = endpoint{module: "pdns", action: "delete_domain", class: change, settle: "pdns/list_domains", evidence: byClient("tf", "mcp")}
	pdnsGetCBURL     = endpoint{module: "pdns", action: "get_cb_url", class: read, evidence: guessed}
	pdnsListDomains  = endpoint{module: "pdns", action: "list_domains", class: read, evidence: byClient("tf", "mcp")}
	pdnsListZones    = endpoint{module: "pdns", action: "list_zones", class: read, evidence: byClient("mcp")}
	pdnsViewZone     = endpoint{module: "pdns", action: "view_zone", class: read, evidence: byClient("tf", "mcp")}
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
	Priority int    `json:"prio"`
}

// Zone is a domain with its records (pdns.php view_zone).
type Zone struct {
	ID      int         `json:"id"`
	Name    string      `json:"name"`
	Records []DNSRecord `json:"records"`
	RawJSON
}

// AddDomain adds a domain to HOSTKEY's DNS (pdns.php add_domain). The vendor
// publishes no parameter list; the domain goes as domain.
func (s *PDNSService) AddDomain(ctx context.Context, domain string) (*Domain, error) {
	if err := validDomain("domain", domain); err != nil {
		return nil, err
	}
	var out struct {
		Domain Domain `json:"domain"`
	}
	if _, err := s.client.call(ctx, &pdnsAddDomain, url.Values{"domain": {domain}}, &out); err != nil {
		return nil, err
	}
	if out.Domain.Name == "" {
		out.Domain.Name = domain
	}
	return &out.Domain, nil
}

// DeleteDomain deletes a domain and all its records (pdns.php delete_domain).
func (s *PDNSService) DeleteDomain(ctx context.Context, domain string) error {
	if err := validDomain("domain", domain); err != nil {
		return err
	}
	_, err := s.client.call(ctx, &pdnsDeleteDomain, url.Values{"domain": {domain}}, nil)
	return err
}

// ListDomains returns the customer's domains (pdns.php list_domains).
func (s *PDNSService) ListDomains(ctx context.Context) ([]Domain, error) {
	return doList[Domain](ctx, s.client, &pdnsListDomains, nil, "domains", "list")
}

// ListZones returns the customer's DNS zones (pdns.php list_zones).
func (s *PDNSService) ListZones(ctx context.Context) ([]Domain, error) {
	return doList[Domain](ctx, s.client, &pdnsListZones, nil, "zones", "domains", "list")
}

// ViewZone returns a zone with its records (pdns.php view_zone).
func (s *PDNSService) ViewZone(ctx context.Context, domain string) (*Zone, error) {
	if err := validDomain("domain", domain); err != nil {
		return nil, err
	}
	var out struct {
		Zone Zone `json:"zone"`
	}
	env, err := s.client.call(ctx, &pdnsViewZone, url.Values{"domain": {domain}}, &out)
	if err != nil {
		return nil, err
	}
	out.Zone.setRaw(env.Body)
	return &out.Zone, nil
}

// DNSRecordRequest describes a record to add (pdns.php add_dns).
type DNSRecordRequest struct {
	Domain   string `url:"domain"`         // the zone
	Name     string `url:"record"`         // the record's name, e.g. "www.example.com"
	Type     string `url:"type"`           // "A", "AAAA", "CNAME", "MX", "TXT", "NS", "SRV", "CAA", "PTR"
	Content  string `url:"content"`        // the value
	TTL      int    `url:"ttl,omitempty"`  // seconds; the API's default when 0
	Priority int    `url:"prio,omitempty"` // for MX and SRV
	Extra    Fields `url:"extra,omitempty"`
}

var dnsRecordTypes = map[string]bool{"A": true, "AAAA": true, "CNAME": true, "MX": true, "TXT": true, "NS": true, "SRV": true, "CAA": true, "PTR": true}

// Validate checks the request before it is sent.
func (r *DNSRecordRequest) Validate() error {
	if err := validDomain("domain", r.Domain); err != nil {
		return err
	}
	if strings.TrimSpace(r.Name) == "" {
		return invalid("record", "is empty")
	}
	if !dnsRecordTypes[strings.ToUpper(r.Type)] {
		return invalid("type", "%q is not a supported record type", r.Type)
	}
	if strings.TrimSpace(r.Content) == "" {
		return invalid("content", "is empty")
	}
	if r.TTL < 0 || r.Priority < 0 {
		return invalid("ttl", "ttl and prio must not be negative")
	}
	return nil
}

// AddDNS adds a record to a zone (pdns.php add_dns). The vendor publishes
// no parameter list.
func (s *PDNSService) AddDNS(ctx context.Context, req *DNSRecordRequest) (*DNSRecord, error) {
	if req == nil {
		return nil, invalid("domain", "request is nil")
	}
	var out struct {
		Record DNSRecord `json:"record"`
	}
	if _, err := s.client.call(ctx, &pdnsAddDNS, req, &out); err != nil {
		return nil, err
	}
	return &out.Record, nil
}

// DeleteDNS deletes a record of a zone by its id (pdns.php delete_dns).
func (s *PDNSService) DeleteDNS(ctx context.Context, domain string, recordID int) error {
	if err := validDomain("domain", domain); err != nil {
		return err
	}
	if recordID <= 0 {
		return invalid("record_id", "must be a positive record id, got %d", recordID)
	}
	_, err := s.client.call(ctx, &pdnsDeleteDNS, url.Values{"domain": {domain}, "record_id": {itoa(recordID)}}, nil)
	return err
}

// GetCallbackURL returns the URL that DNS change notifications are sent to
// (pdns.php get_cb_url).
func (s *PDNSService) GetCallbackURL(ctx context.Context) (string, error) {
	var out struct {
		URL string `json:"url"`
	}
	if _, err := s.client.call(ctx, &pdnsGetCBURL, nil, &out); err != nil {
		return "", err
	}
	return out.URL, nil
}
