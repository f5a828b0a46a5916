package invapi

import (
	"context"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pdns.php as HOSTKEY's Terraform provider speaks it (params[...]), the
// answers as it reads them (data...), and the MCP server's subdomain and
// zone actions (evidence.md §1 pdns, §1c).

func TestPDNSDomainsAsTerraformSendsThem(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	ctx := context.Background()
	m.on("pdns", "add_domain", fixture(t, "evidence/pdns/add_domain.tf.json"))
	d, err := c.PDNS.AddDomain(ctx, &AddDomainRequest{Name: "example.com", ServerID: 12345})
	require.NoError(t, err)
	assert.Equal(t, &Domain{ID: 31, Name: "example.com"}, d, "the new id at data.id")
	assert.Equal(t, url.Values{"action": {"add_domain"}, "params[name]": {"example.com"}, "params[server_id]": {"12345"}},
		m.lastForm("pdns", "add_domain"))

	m.on("pdns", "add_domain", `{"result":"OK","module":"pdns","data":{}}`)
	_, err = c.PDNS.AddDomain(ctx, &AddDomainRequest{Name: "example.org"})
	assert.ErrorIs(t, err, ErrOutcomeUnknown, "an OK without the id cannot be confirmed")
	assert.Equal(t, url.Values{"action": {"add_domain"}, "params[name]": {"example.org"}}, m.lastForm("pdns", "add_domain"))

	m.on("pdns", "list_domains", fixture(t, "evidence/pdns/list_domains.tf.json"))
	ds, err := c.PDNS.ListDomains(ctx)
	require.NoError(t, err)
	assert.Equal(t, []Domain{{ID: 31, Name: "example.com"}, {ID: 32, Name: "example.net"}}, ds)

	m.on("pdns", "delete_domain", `{"result":"OK"}`)
	require.NoError(t, c.PDNS.DeleteDomain(ctx, &DeleteDomainRequest{ID: 31, Zone: "example.com"}))
	assert.Equal(t, url.Values{"action": {"delete_domain"}, "params[id]": {"31"}, "params[zone]": {"example.com"}},
		m.lastForm("pdns", "delete_domain"))

	for field, call := range map[string]func() error{
		"params[name]": func() error { _, err := c.PDNS.AddDomain(ctx, &AddDomainRequest{Name: "not a domain"}); return err },
		"params[server_id]": func() error {
			_, err := c.PDNS.AddDomain(ctx, &AddDomainRequest{Name: "a.com", ServerID: -1})
			return err
		},
		"params[id]":   func() error { return c.PDNS.DeleteDomain(ctx, &DeleteDomainRequest{}) },
		"params[zone]": func() error { return c.PDNS.DeleteDomain(ctx, &DeleteDomainRequest{ID: 1, Zone: "bad zone"}) },
	} {
		assertInvalidField(t, call(), field)
	}
	assert.Equal(t, 2, m.count("pdns", "add_domain"))
	assert.Equal(t, 1, m.count("pdns", "delete_domain"))
}

func TestPDNSRecordsAsTerraformSendsThem(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	ctx := context.Background()
	m.on("pdns", "view_zone", fixture(t, "evidence/pdns/view_zone.tf.json"))
	z, err := c.PDNS.ViewZone(ctx, "example.com")
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"view_zone"}, "params[zone]": {"example.com"}}, m.lastForm("pdns", "view_zone"))
	assert.Equal(t, 31, z.ID)
	assert.Equal(t, "example.com", z.Name)
	assert.Equal(t, []DNSRecord{
		{ID: 101, Name: "example.com", Type: "NS", Content: "ns1.hostkey.com", TTL: 3600},
		{ID: 102, Name: "example.com", Type: "MX", Content: "mx1.example.com", TTL: 3600, Priority: 10},
		{ID: 103, Name: "www.example.com", Type: "A", Content: "192.0.2.1", TTL: 300},
	}, z.Records, "data.{id,name,records[]}, record field priority")

	m.on("pdns", "add_dns", `{"result":"OK"}`)
	rec, err := c.PDNS.AddDNS(ctx, &DNSRecordRequest{Zone: "example.com", Name: "www", Type: "a",
		Content: []string{"192.0.2.1", "192.0.2.2"}, TTL: 300, Extra: Fields{"params[zone]": "evil.com", "increase_soa_serial": "1"}})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"add_dns"}, "params[zone]": {"example.com"}, "params[name]": {"www"},
		"params[type]": {"A"}, "params[content][]": {"192.0.2.1", "192.0.2.2"}, "params[ttl]": {"300"},
		"increase_soa_serial": {"1"}}, m.lastForm("pdns", "add_dns"), "Extra never replaces a params field")
	assert.Equal(t, &DNSRecord{Name: "www", Type: "A", Content: "192.0.2.1", TTL: 300}, rec)

	m.on("pdns", "add_dns", `{"result":"OK","data":{"id":"104","name":"example.com","type":"MX","content":"mx2.example.com","ttl":3600,"priority":20}}`)
	rec, err = c.PDNS.AddDNS(ctx, &DNSRecordRequest{Zone: "example.com", Name: "example.com", Type: "MX", Content: []string{"mx2.example.com"}, Priority: 20})
	require.NoError(t, err)
	assert.Equal(t, &DNSRecord{ID: 104, Name: "example.com", Type: "MX", Content: "mx2.example.com", TTL: 3600, Priority: 20}, rec)
	assert.Equal(t, "20", m.lastForm("pdns", "add_dns").Get("params[priority]"))

	m.on("pdns", "delete_dns", `{"result":"OK"}`)
	require.NoError(t, c.PDNS.DeleteDNS(ctx, &DeleteDNSRequest{Zone: "example.com", Name: "www", Type: "A"}))
	assert.Equal(t, url.Values{"action": {"delete_dns"}, "params[zone]": {"example.com"}, "params[name]": {"www"}, "params[type]": {"A"}},
		m.lastForm("pdns", "delete_dns"), "by zone, name and type; never by id")
	require.NoError(t, c.PDNS.DeleteDNS(ctx, &DeleteDNSRequest{Zone: "example.com", Name: "example.com", Type: "MX",
		Content: []string{"mx2.example.com"}, Priority: 20}))
	assert.Equal(t, url.Values{"action": {"delete_dns"}, "params[zone]": {"example.com"}, "params[name]": {"example.com"},
		"params[type]": {"MX"}, "params[content][]": {"mx2.example.com"}, "params[priority]": {"20"}}, m.lastForm("pdns", "delete_dns"))

	for field, call := range map[string]func() error{
		"params[zone]": func() error { _, err := c.PDNS.ViewZone(ctx, "x"); return err },
		"params[type]": func() error {
			_, err := c.PDNS.AddDNS(ctx, &DNSRecordRequest{Zone: "example.com", Name: "x", Type: "BOGUS", Content: []string{"1"}})
			return err
		},
		"params[content]": func() error {
			_, err := c.PDNS.AddDNS(ctx, &DNSRecordRequest{Zone: "example.com", Name: "x", Type: "A", Content: []string{" "}})
			return err
		},
		"params[name]": func() error { return c.PDNS.DeleteDNS(ctx, &DeleteDNSRequest{Zone: "example.com", Type: "A"}) },
	} {
		assertInvalidField(t, call(), field)
	}
	assert.Equal(t, 2, m.count("pdns", "add_dns"))
	assert.Equal(t, 2, m.count("pdns", "delete_dns"))
}

func TestPDNSSubdomainsAndZonesAsMCPSendsThem(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	ctx := context.Background()
	m.on("pdns", "list_subdomains", `{"result":"OK","data":[{"id":"7","name":"api","domain_id":"31","server_id":"12345","ttl":"60"}]}`)
	subs, err := c.PDNS.ListSubdomains(ctx, 12345)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"list_subdomains"}, "server_id": {"12345"}}, m.lastForm("pdns", "list_subdomains"))
	require.Len(t, subs, 1)
	assert.Equal(t, 7, subs[0].ID)
	assert.Equal(t, "api", subs[0].Name)
	assert.Equal(t, 31, subs[0].DomainID)
	assert.Equal(t, 12345, subs[0].ServerID)
	assert.Equal(t, "60", subs[0].Fields["ttl"])

	m.on("pdns", "add_subdomain", `{"result":"OK","data":{"id":8}}`)
	sub, err := c.PDNS.AddSubdomain(ctx, &AddSubdomainRequest{ServerID: 12345, DomainID: 31, Name: "www"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"add_subdomain"}, "server_id": {"12345"}, "domain_id": {"31"}, "name": {"www"}}, m.lastForm("pdns", "add_subdomain"))
	assert.Equal(t, 8, sub.ID)
	assert.Equal(t, "www", sub.Name)

	m.on("pdns", "edit_subdomain", `{"result":"OK"}`)
	require.NoError(t, c.PDNS.EditSubdomain(ctx, &EditSubdomainRequest{ID: 8, ServerID: 12345, Extra: Fields{"name": "www2"}}))
	assert.Equal(t, url.Values{"action": {"edit_subdomain"}, "id": {"8"}, "server_id": {"12345"}, "name": {"www2"}}, m.lastForm("pdns", "edit_subdomain"))

	m.on("pdns", "delete_subdomain", `{"result":"OK"}`)
	require.NoError(t, c.PDNS.DeleteSubdomain(ctx, 12345, 8))
	assert.Equal(t, url.Values{"action": {"delete_subdomain"}, "server_id": {"12345"}, "id": {"8"}}, m.lastForm("pdns", "delete_subdomain"))

	m.on("pdns", "add_zone", `{"result":"OK"}`)
	require.NoError(t, c.PDNS.AddZone(ctx, &AddZoneRequest{Name: "example.net", Kind: ZoneSlave, RRSets: ptr(true), DNSSEC: ptr(false),
		Masters: []string{"192.0.2.53"}, SOA: &ZoneSOA{TTL: 3600, MName: "ns1.hostkey.com", RName: "admin.example.net", Serial: 2026120200},
		Nameservers: []string{"ns1.hostkey.com", "ns2.hostkey.com"}}))
	assert.Equal(t, url.Values{"action": {"add_zone"}, "name": {"example.net"}, "kind": {"Slave"}, "rrsets": {"1"}, "dnssec": {"0"},
		"masters[]": {"192.0.2.53"}, "dns[ttl]": {"3600"}, "dns[mname]": {"ns1.hostkey.com"}, "dns[rname]": {"admin.example.net"},
		"dns[serial]": {"2026120200"}, "nameservers[]": {"ns1.hostkey.com", "ns2.hostkey.com"}}, m.lastForm("pdns", "add_zone"))

	m.on("pdns", "delete_zone", `{"result":"OK"}`)
	require.NoError(t, c.PDNS.DeleteZone(ctx, "example.net"))
	assert.Equal(t, url.Values{"action": {"delete_zone"}, "zone": {"example.net"}}, m.lastForm("pdns", "delete_zone"))

	for field, call := range map[string]func() error{
		"server_id": func() error { _, err := c.PDNS.ListSubdomains(ctx, 0); return err },
		"domain_id": func() error {
			_, err := c.PDNS.AddSubdomain(ctx, &AddSubdomainRequest{ServerID: 1, Name: "a"})
			return err
		},
		"name": func() error {
			_, err := c.PDNS.AddSubdomain(ctx, &AddSubdomainRequest{ServerID: 1, DomainID: 1})
			return err
		},
		"id":      func() error { return c.PDNS.EditSubdomain(ctx, &EditSubdomainRequest{}) },
		"kind":    func() error { return c.PDNS.AddZone(ctx, &AddZoneRequest{Name: "a.com", Kind: "Native"}) },
		"masters": func() error { return c.PDNS.AddZone(ctx, &AddZoneRequest{Name: "a.com", Kind: ZoneSlave}) },
		"zone":    func() error { return c.PDNS.DeleteZone(ctx, "") },
	} {
		assertInvalidField(t, call(), field)
	}
	assert.Equal(t, 1, m.count("pdns", "add_zone"))
	assert.Equal(t, 1, m.count("pdns", "add_subdomain"))
}
