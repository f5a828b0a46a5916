package invapitest

// The simulated pdns.php: domains, zones, records and subdomains.

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// pget reads a pdns field as tf nests it (params[name]) or mcp sends it flat.
func pget(c *call, names ...string) string {
	for _, n := range names {
		if v := strings.TrimSpace(c.form.Get("params[" + n + "]")); v != "" {
			return v
		}
		if v := c.get(n); v != "" {
			return v
		}
	}
	return ""
}

// pcontents reads record values: tf's params[content][] list or mcp's content.
func pcontents(c *call) []string {
	var out []string
	for _, k := range []string{"params[content][]", "params[content]", "content[]", "content"} {
		for _, v := range c.form[k] {
			if v = strings.TrimSpace(v); v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}

func pdnsData(v any) obj { return obj{"result": "OK", "module": "pdns", "data": v} }

func (st *state) domainFor(c *call) (int, obj, *apiError) {
	l := st.store(c, "pdns")
	want := strings.ToLower(strings.TrimSuffix(pget(c, "zone", "domain_id", "id", "name"), "."))
	for i, d := range l {
		if d["name"] == want || fmt.Sprint(d["id"]) == want {
			return i, d, nil
		}
	}
	return -1, nil, errf("pdns/%s: domain not found", c.action)
}

func (st *state) pdnsNewDomain(c *call, name string) (obj, *apiError) {
	name = strings.ToLower(strings.TrimSuffix(name, "."))
	if !domainRE.MatchString(name) {
		return nil, errf("pdns/%s: invalid domain %q", c.action, name)
	}
	l := st.store(c, "pdns")
	for _, d := range l {
		if d["name"] == name {
			return nil, errf("pdns/%s: domain %s already exists", c.action, name)
		}
	}
	d := obj{"id": st.id(), "name": name, "server_id": atoiOr(pget(c, "server_id"), 0), "subdomains": []obj{},
		"records": []obj{
			{"id": st.id(), "name": name, "type": "NS", "content": "ns1.hostkey.com", "ttl": 3600, "priority": 0},
			{"id": st.id(), "name": name, "type": "NS", "content": "ns2.hostkey.com", "ttl": 3600, "priority": 0},
		}}
	st.setStore(c, "pdns", append(l, d))
	return d, nil
}

func (st *state) pdnsAddDomain(c *call) any {
	d, errr := st.pdnsNewDomain(c, pget(c, "name", "domain"))
	if errr != nil {
		return errr
	}
	return pdnsData(obj{"id": d["id"], "name": d["name"]})
}

func (st *state) pdnsAddZone(c *call) any {
	switch c.get("kind") {
	case "", "Master", "Slave":
	default:
		return errf("pdns/add_zone: invalid kind %q", c.get("kind"))
	}
	d, errr := st.pdnsNewDomain(c, c.get("name"))
	if errr != nil {
		return errr
	}
	if ttl := atoiOr(c.get("dns[ttl]"), 0); ttl > 0 {
		for _, r := range d["records"].([]obj) {
			r["ttl"] = ttl
		}
	}
	return pdnsData(obj{"id": d["id"], "name": d["name"]})
}

func (st *state) pdnsDeleteDomain(c *call) any {
	i, _, errr := st.domainFor(c)
	if errr != nil {
		return errr
	}
	st.removeAt(c, "pdns", i)
	return obj{"result": "OK", "module": "pdns"}
}

func (st *state) pdnsListDomains(c *call) any {
	list := []any{}
	for _, d := range st.store(c, "pdns") {
		list = append(list, obj{"id": d["id"], "name": d["name"], "records": len(d["records"].([]obj))})
	}
	return pdnsData(list)
}

func (st *state) pdnsViewZone(c *call) any {
	_, d, errr := st.domainFor(c)
	if errr != nil {
		return errr
	}
	recs := d["records"].([]obj)
	sorted := append([]obj(nil), recs...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i]["type"].(string) < sorted[j]["type"].(string) })
	return pdnsData(obj{"id": d["id"], "name": d["name"], "records": toAny(sorted)})
}

// recordName makes a record name absolute in zone.
func recordName(name, zone string) string {
	name = strings.TrimSuffix(name, ".")
	switch {
	case name == "" || name == "@":
		return zone
	case name == zone || strings.HasSuffix(name, "."+zone):
		return name
	}
	return name + "." + zone
}

func (st *state) pdnsAddDNS(c *call) any {
	_, d, errr := st.domainFor(c)
	if errr != nil {
		return errr
	}
	typ := strings.ToUpper(pget(c, "type"))
	if !dnsTypes[typ] {
		return errf("pdns/add_dns: unsupported record type %q", typ)
	}
	contents := pcontents(c)
	if len(contents) == 0 {
		return errf("pdns/add_dns: content is required")
	}
	zone := d["name"].(string)
	name := recordName(pget(c, "name"), zone)
	ttl, prio := atoiOr(pget(c, "ttl"), 3600), atoiOr(pget(c, "priority"), 0)
	// add_dns replaces the records of that name and type (an RRset).
	kept := []obj{}
	for _, r := range d["records"].([]obj) {
		if r["name"] != name || r["type"] != typ {
			kept = append(kept, r)
		}
	}
	var first obj
	for _, content := range contents {
		r := obj{"id": st.id(), "name": name, "type": typ, "content": content, "ttl": ttl, "priority": prio}
		kept = append(kept, r)
		if first == nil {
			first = r
		}
	}
	d["records"] = kept
	return pdnsData(first)
}

func (st *state) pdnsDeleteDNS(c *call) any {
	_, d, errr := st.domainFor(c)
	if errr != nil {
		return errr
	}
	typ := strings.ToUpper(pget(c, "type"))
	name := pget(c, "name")
	if typ == "" || name == "" {
		return errf("pdns/delete_dns: zone, name and type are required")
	}
	name = recordName(name, d["name"].(string))
	contents := pcontents(c)
	kept, removed := []obj{}, 0
	for _, r := range d["records"].([]obj) {
		if r["name"] == name && r["type"] == typ && (len(contents) == 0 || contains(contents, r["content"].(string))) {
			removed++
			continue
		}
		kept = append(kept, r)
	}
	if removed == 0 {
		return errf("pdns/delete_dns: record not found")
	}
	d["records"] = kept
	return obj{"result": "OK", "module": "pdns"}
}

func (st *state) pdnsDeleteZone(c *call) any {
	if c.get("zone") == "" {
		return errf("pdns/delete_zone: zone is required")
	}
	return st.pdnsDeleteDomain(c)
}

func (st *state) pdnsListSubdomains(c *call) any {
	sid := c.get("server_id")
	if sid == "" {
		return errf("pdns/list_subdomains: server_id is required")
	}
	list := []any{}
	for _, d := range st.store(c, "pdns") {
		for _, s := range d["subdomains"].([]obj) {
			if fmt.Sprint(s["server_id"]) == sid {
				list = append(list, s)
			}
		}
	}
	return pdnsData(list)
}

func (st *state) pdnsAddSubdomain(c *call) any {
	var dom obj
	for _, d := range st.store(c, "pdns") {
		if fmt.Sprint(d["id"]) == c.get("domain_id") {
			dom = d
		}
	}
	name := c.get("name")
	if dom == nil || c.get("server_id") == "" || name == "" || strings.ContainsAny(name, " /@#") {
		return errf("pdns/add_subdomain: server_id, domain_id and name are required")
	}
	s := obj{"id": st.id(), "name": name, "domain_id": dom["id"], "server_id": atoiOr(c.get("server_id"), 0)}
	dom["subdomains"] = append(dom["subdomains"].([]obj), s)
	return pdnsData(obj{"id": s["id"]})
}

func (st *state) pdnsSubdomain(c *call) (obj, int, obj) {
	for _, d := range st.store(c, "pdns") {
		subs := d["subdomains"].([]obj)
		if i := findByID(subs, c.get("id")); i >= 0 {
			return d, i, subs[i]
		}
	}
	return nil, -1, nil
}

func (st *state) pdnsEditSubdomain(c *call) any {
	_, _, s := st.pdnsSubdomain(c)
	if s == nil {
		return errf("pdns/edit_subdomain: subdomain not found")
	}
	if n := c.get("name"); n != "" {
		s["name"] = n
	}
	if v := c.get("server_id"); v != "" {
		s["server_id"] = atoiOr(v, 0)
	}
	return obj{"result": "OK", "module": "pdns"}
}

func (st *state) pdnsDeleteSubdomain(c *call) any {
	d, i, s := st.pdnsSubdomain(c)
	if s == nil || fmt.Sprint(s["server_id"]) != c.get("server_id") {
		return errf("pdns/delete_subdomain: subdomain not found")
	}
	subs := d["subdomains"].([]obj)
	d["subdomains"] = append(subs[:i:i], subs[i+1:]...)
	return obj{"result": "OK", "module": "pdns"}
}

func (st *state) pdnsGetCBURL(c *call) any {
	return obj{"result": "OK", "url": "https://invapi.hostkey.com/pdns_cb.php?customer=" + strconv.Itoa(c.acct.CustomerID)}
}
