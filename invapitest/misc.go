package invapitest

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// store returns the per-customer list kept under name in st.extra.
func (st *state) store(c *call, name string) []obj {
	l, _ := st.extra[name+"/"+strconv.Itoa(c.acct.CustomerID)].([]obj)
	return l
}

func (st *state) setStore(c *call, name string, l []obj) {
	st.extra[name+"/"+strconv.Itoa(c.acct.CustomerID)] = l
}

func findByID(l []obj, id string) int {
	for i, o := range l {
		if fmt.Sprint(o["id"]) == id {
			return i
		}
	}
	return -1
}

// removeAt removes item i of the account's store name.
func (st *state) removeAt(c *call, name string, i int) {
	l := st.store(c, name)
	st.setStore(c, name, append(l[:i:i], l[i+1:]...))
}

func toAny(l []obj) []any {
	out := make([]any, len(l))
	for i, o := range l {
		out[i] = o
	}
	return out
}

// iso.php --------------------------------------------------------------------

var publicISOs = []obj{
	{"id": 1, "name": "ubuntu-22.04.4-live-server-amd64.iso", "size": "2.0 GB", "public": 1},
	{"id": 2, "name": "debian-12.5.0-amd64-netinst.iso", "size": "629 MB", "public": 1},
	{"id": 3, "name": "SystemRescue-11.00-amd64.iso", "size": "853 MB", "public": 1},
}

func (st *state) isoAdd(c *call) any {
	src := firstOf(c, "url", "link")
	name := c.get("name")
	if src != "" {
		u, err := url.Parse(src)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return errf("iso/%s: invalid url", c.action)
		}
		if name == "" {
			name = u.Path[strings.LastIndex(u.Path, "/")+1:]
		}
	}
	if name == "" {
		return errf("iso/%s: name or url is required", c.action)
	}
	l := st.store(c, "iso")
	for _, o := range l {
		if o["name"] == name {
			o["url"] = src
			return obj{"result": "OK", "iso": o}
		}
	}
	o := obj{"id": 100 + st.id(), "name": name, "url": src, "size": "1.0 GB", "status": "uploaded", "public": 0}
	st.setStore(c, "iso", append(l, o))
	return obj{"result": "OK", "iso": o}
}

// isoDelete deletes by id, as HOSTKEY's MCP server sends it (iso_id is not read).
func (st *state) isoDelete(c *call) any {
	i := findByID(st.store(c, "iso"), c.get("id"))
	if i < 0 {
		return errf("iso/delete: ISO not found")
	}
	st.removeAt(c, "iso", i)
	return obj{"result": "OK"}
}

// isoList takes server_id, which HOSTKEY's MCP server says a customer's
// key must send; a server's own API key must name its server.
func (st *state) isoList(c *call) any {
	if c.action == "uploaded" {
		return obj{"result": "OK", "iso": toAny(st.store(c, "iso"))}
	}
	if c.get("server_id") != "" || c.sess.serverKey {
		if _, errr := st.serverFor(c, "server_id"); errr != nil {
			return errr
		}
	}
	return obj{"result": "OK", "iso": append(cloneList(publicISOs), toAny(st.store(c, "iso"))...)}
}

// isoMount mounts by iso_id or name (as HOSTKEY's MCP server sends them;
// iso is not read) and answers a callback key, as mcp says it does;
// AlternativeShapes answers at once, without one.
func (st *state) isoMount(c *call) any {
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		return errr
	}
	done := func(scope string, extra obj) any {
		if st.quirks.AlternativeShapes {
			r := obj{"result": "OK", "id": e.ID}
			for k, v := range extra {
				r[k] = v
			}
			return r
		}
		op := st.newOp(c, "eq_callback", e)
		op.scope = scope
		return accepted(c.action, op, nil)
	}
	if c.action == "unmount_iso" {
		if e.ISO == "" {
			return errf("iso/unmount_iso: no ISO mounted")
		}
		e.ISO = ""
		return done("ISO unmounted", nil)
	}
	id, name := c.get("iso_id"), c.get("name")
	if id == "" && name == "" {
		return errf("iso/mount_iso: iso_id or name is required")
	}
	for _, o := range append(cloneList(publicISOs), toAny(st.store(c, "iso"))...) {
		m := o.(obj)
		if (id != "" && fmt.Sprint(m["id"]) == id) || (id == "" && m["name"] == name) {
			e.ISO = m["name"].(string)
			return done("ISO "+e.ISO+" mounted", obj{"iso": e.ISO})
		}
	}
	return errf("iso/mount_iso: ISO not found")
}

// pdns.php ----------------------------------------------------------------
//
// Requests are read in both shapes HOSTKEY's clients send: the Terraform
// provider's params[zone], params[name]... and the MCP server's flat zone,
// name.... Answers carry their data under "data", as the Terraform
// provider reads them: list_domains data[], add_domain data.id, view_zone
// data.{id,name,records[]} with the record field priority.

var domainRE = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)

var dnsTypes = map[string]bool{"A": true, "AAAA": true, "CNAME": true, "MX": true, "TXT": true, "NS": true, "SRV": true, "CAA": true, "PTR": true}

// subdomains: server_id, domain_id, name, id (HOSTKEY's MCP server)

// s3.php --------------------------------------------------------------------

var s3Plans = []obj{
	{"id": 1, "name": "S3 250 GB", "size_gb": 250, "location": "NL", "price": obj{"EUR": "5.00", "USD": "5.50"}},
	{"id": 2, "name": "S3 1 TB", "size_gb": 1024, "location": "NL", "price": obj{"EUR": "15.00", "USD": "16.50"}},
}

var bucketRE = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

// s3ListPlans filters by location, as HOSTKEY's MCP server sends it.
func (st *state) s3ListPlans(c *call) any {
	loc := strings.ToUpper(c.get("location"))
	list := []any{}
	for _, p := range s3Plans {
		if loc == "" || p["location"] == loc {
			list = append(list, cloneList([]obj{p})[0])
		}
	}
	return obj{"result": "OK", "plans": list}
}

// s3Locations are where S3 storage is sold.
var s3Locations = []obj{{"location": "NL", "name": "Amsterdam"}}

// s3GetAvailableLocations answers the S3 locations under locations (no
// public client shows the shape; mcp only lists the action).
func (st *state) s3GetAvailableLocations(c *call) any {
	return obj{"result": "OK", "locations": cloneList(s3Locations)}
}

// s3UpdateTrafficInfo refreshes an account's traffic figures (mcp says it
// is for administrators; the simulator serves its customer).
func (st *state) s3UpdateTrafficInfo(c *call) any {
	_, a, errr := st.s3Account(c)
	if errr != nil {
		return errr
	}
	a["traffic_updated"] = st.now().UTC().Format("2006-01-02 15:04:05")
	return obj{"result": "OK", "id": a["id"]}
}

func (st *state) s3Account(c *call) (int, obj, *apiError) {
	l := st.store(c, "s3")
	want := firstOf(c, "account_id", "s3_id", "id")
	for i, a := range l {
		if want == "" || fmt.Sprint(a["id"]) == want {
			return i, a, nil
		}
	}
	return -1, nil, errf("s3/%s: S3 account not found", c.action)
}

func (st *state) s3event(c *call, a obj, event string) {
	h, _ := a["history"].([]any)
	a["history"] = append(h, obj{"date": st.now().UTC().Format("2006-01-02 15:04:05"), "event": event})
}

// s3CreateAccount takes plan_id and location (and, for create_account, a
// first bucket), as HOSTKEY's MCP server sends them.
func (st *state) s3CreateAccount(c *call) any {
	if loc := strings.ToUpper(c.get("location")); loc != "" && !contains([]string{"NL"}, loc) {
		return errf("s3/%s: S3 is not sold in %s", c.action, loc)
	}
	pid := firstOr(firstOf(c, "plan_id", "plan"), "1")
	var plan obj
	for _, p := range s3Plans {
		if fmt.Sprint(p["id"]) == pid {
			plan = p
		}
	}
	if plan == nil {
		return errf("s3/%s: unknown plan %s", c.action, pid)
	}
	price := plan["price"].(obj)[c.acct.Currency]
	cents, _ := parseMoney(fmt.Sprint(price))
	inv := st.newInvoice(c.acct.CustomerID, cents, "Unpaid", fmt.Sprint(plan["name"]), 0, "s3")
	a := obj{"id": st.id(), "plan_id": plan["id"], "s3uid": "s3u" + strconv.Itoa(st.nextID), "status": "Active",
		"location": plan["location"], "access_key": strings.ToUpper(newKey()[:20]), "secret": newKey() + newKey()[:8],
		"buckets": []obj{}, "invoice_id": inv.ID}
	st.s3event(c, a, "account created")
	st.setStore(c, "s3", append(st.store(c, "s3"), a))
	if name := c.get("bucket"); name != "" && c.action == "create_account" {
		if !bucketRE.MatchString(name) {
			return errf("s3/create_account: invalid bucket name")
		}
		a["buckets"] = []obj{{"name": name, "size": 0, "objects": 0, "files": []obj{}}}
	}
	return obj{"result": "OK", "account": s3AccountJSON(a), "invoice": strconv.Itoa(inv.ID)}
}

func s3AccountJSON(a obj) obj {
	return obj{"id": a["id"], "plan_id": a["plan_id"], "s3uid": a["s3uid"], "status": a["status"],
		"location": a["location"], "access_key": a["access_key"], "buckets": len(a["buckets"].([]obj))}
}

func (st *state) s3DeleteAccount(c *call) any {
	i, a, errr := st.s3Account(c)
	if errr != nil {
		return errr
	}
	st.removeAt(c, "s3", i)
	return obj{"result": "OK", "id": a["id"]}
}

func (st *state) s3DeletePaymentAccount(c *call) any {
	_, a, errr := st.s3Account(c)
	if errr != nil {
		return errr
	}
	if c.action == "delete_payment_account" {
		if a["status"] != "Active" {
			return errf("s3/delete_payment_account: no active service")
		}
		a["status"] = "Pending deletion"
	} else {
		if a["status"] != "Pending deletion" {
			return errf("s3/cancel_payment_account_deletion: no deletion pending")
		}
		a["status"] = "Active"
	}
	st.s3event(c, a, c.action)
	return obj{"result": "OK", "id": a["id"], "status": a["status"]}
}

func (st *state) s3GetUsers(c *call) any {
	list := []any{}
	for _, a := range st.store(c, "s3") {
		if p := c.get("plan"); p != "" && fmt.Sprint(a["plan_id"]) != p {
			continue
		}
		o := s3AccountJSON(a)
		o["email"] = c.acct.Email
		o["traffic"] = 0
		list = append(list, o)
	}
	return obj{"result": "OK", "users": list}
}

func (st *state) s3ShowKey(c *call) any {
	_, a, errr := st.s3Account(c)
	if errr != nil {
		return errr
	}
	// key_type access_key / secret_key, as HOSTKEY's MCP server sends it
	// (type is not read).
	switch c.get("key_type") {
	case "access_key":
		return obj{"result": "OK", "access_key": a["access_key"]}
	case "secret_key", "":
		return obj{"result": "OK", "access_key": a["access_key"], "secret_key": a["secret"]}
	}
	return errf("s3/show_key: key_type must be access_key or secret_key")
}

func (st *state) s3CreateBucket(c *call) any {
	_, a, errr := st.s3Account(c)
	if errr != nil {
		return errr
	}
	name := firstOf(c, "bucket", "name", "bucket_name")
	if !bucketRE.MatchString(name) {
		return errf("s3/create_bucket: invalid bucket name %q", name)
	}
	bs := a["buckets"].([]obj)
	for _, b := range bs {
		if b["name"] == name {
			return errf("s3/create_bucket: bucket %s already exists", name)
		}
	}
	b := obj{"name": name, "size": 0, "objects": 1, "files": []obj{{"key": "README.txt", "size": 42}}}
	a["buckets"] = append(bs, b)
	st.s3event(c, a, "bucket "+name+" created")
	return obj{"result": "OK", "bucket": obj{"name": name}}
}

func (st *state) bucket(c *call) (obj, obj, int, *apiError) {
	_, a, errr := st.s3Account(c)
	if errr != nil {
		return nil, nil, -1, errr
	}
	name := firstOf(c, "bucket", "name", "bucket_name")
	for i, b := range a["buckets"].([]obj) {
		if b["name"] == name {
			return a, b, i, nil
		}
	}
	return nil, nil, -1, errf("s3/%s: bucket %q not found", c.action, name)
}

func (st *state) s3DeleteBucket(c *call) any {
	a, _, i, errr := st.bucket(c)
	if errr != nil {
		return errr
	}
	bs := a["buckets"].([]obj)
	a["buckets"] = append(bs[:i:i], bs[i+1:]...)
	st.s3event(c, a, "bucket deleted")
	return obj{"result": "OK"}
}

func (st *state) s3GetBuckets(c *call) any {
	_, a, errr := st.s3Account(c)
	if errr != nil {
		return obj{"result": "OK", "buckets": []any{}}
	}
	list := []any{}
	for _, b := range a["buckets"].([]obj) {
		list = append(list, obj{"name": b["name"], "size": b["size"], "objects": len(b["files"].([]obj))})
	}
	r := obj{"result": "OK", "buckets": list}
	if c.action == "get_buckets_rmq" {
		r["quota_gb"] = 250
		r["credentials"] = obj{"access_key": a["access_key"], "endpoint": "https://s3.hostkey.com"}
	}
	return r
}

func (st *state) s3GetFiles(c *call) any {
	_, b, _, errr := st.bucket(c)
	if errr != nil {
		return errr
	}
	// search (a part of the name) and limit, as HOSTKEY's MCP server sends
	// them; prefix is not read.
	search, limit, page := c.get("search"), atoiOr(c.get("limit"), 0), atoiOr(c.get("page"), 1)
	list := []any{}
	for _, f := range b["files"].([]obj) {
		if strings.Contains(f["key"].(string), search) {
			list = append(list, f)
		}
	}
	total := len(list)
	if limit > 0 {
		from := min((page-1)*limit, total)
		list = list[from:min(from+limit, total)]
	}
	return obj{"result": "OK", "files": list, "page": page, "total": total}
}

func (st *state) s3DeleteFile(c *call) any {
	_, b, _, errr := st.bucket(c)
	if errr != nil {
		return errr
	}
	key := firstOf(c, "file", "key_name", "path")
	fs := b["files"].([]obj)
	for i, f := range fs {
		if f["key"] == key {
			b["files"] = append(fs[:i:i], fs[i+1:]...)
			return obj{"result": "OK"}
		}
	}
	return errf("s3/delete_file: file %q not found", key)
}

func (st *state) s3History(c *call) any {
	_, a, errr := st.s3Account(c)
	if errr != nil {
		return errr
	}
	h, _ := a["history"].([]any)
	return obj{"result": "OK", "history": append([]any{}, h...)}
}

// vm.php ---------------------------------------------------------------------

func (st *state) vmFor(c *call) (*Equipment, *apiError) {
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		return nil, errr
	}
	if e.Type != "VPS" {
		return nil, errf("vm/%s: server %d is not a virtual machine", c.action, e.ID)
	}
	return e, nil
}

func (st *state) vmSnapshot(c *call) any {
	e, errr := st.vmFor(c)
	if errr != nil {
		return errr
	}
	k := "snapshots/" + strconv.Itoa(e.ID)
	snaps, _ := st.extra[k].([]obj)
	settings, _ := st.extra["vmsettings/"+strconv.Itoa(e.ID)].(obj)
	if settings == nil {
		settings = obj{"auto_restore": 0, "rotation": 3}
	}
	name := firstOf(c, "name", "snapshot", "snapshot_name")
	find := func() int {
		for i, s := range snaps {
			if s["name"] == name {
				return i
			}
		}
		return -1
	}
	switch c.action {
	case "get_snapshot":
		return obj{"result": "OK", "snapshots": toAny(snaps), "settings": settings}
	case "update_restore_settings":
		if v := c.get("auto_restore"); v != "" {
			settings["auto_restore"] = boolInt(v == "1")
		}
		if v := c.get("rotation"); v != "" {
			settings["rotation"] = atoiOr(v, 3)
		}
		st.extra["vmsettings/"+strconv.Itoa(e.ID)] = settings
		return obj{"result": "OK", "settings": settings}
	case "create_snapshot":
		if name == "" {
			name = fmt.Sprintf("snapshot-%d", len(snaps)+1)
		}
		if find() >= 0 {
			return errf("vm/create_snapshot: snapshot %s exists", name)
		}
		// snapshot_id, which HOSTKEY's MCP server lists with each snapshot
		st.extra[k] = append(snaps, obj{"snapshot_id": st.id(), "name": name, "date": st.now().UTC().Format("2006-01-02 15:04:05"), "size": "4.2 GB"})
		op := st.newOp(c, "eq_callback", e)
		op.scope = "Snapshot " + name + " created"
		return accepted(c.action, op, nil)
	}
	i := find()
	if i < 0 {
		return errf("vm/%s: snapshot %q not found", c.action, name)
	}
	op := st.newOp(c, "eq_callback", e)
	if c.action == "remove_snapshot" {
		st.extra[k] = append(snaps[:i:i], snaps[i+1:]...)
		op.scope = "Snapshot " + name + " removed"
	} else {
		op.scope = "Snapshot " + name + " restored"
	}
	return accepted(c.action, op, nil)
}

// vmGetEngine names the virtualization engine (no public client shows the
// answer; mcp only lists the action).
func (st *state) vmGetEngine(c *call) any {
	return obj{"result": "OK", "engine": "ovirt", "version": "4.5"}
}

func (st *state) vmLoadStats(c *call) any {
	e, errr := st.vmFor(c)
	if errr != nil {
		return errr
	}
	return obj{"result": "OK", "id": e.ID, "stats": obj{"cpu": 12.5, "ram_used": 1536, "ram_total": e.RAM * 1024,
		"disk_read": 1048576, "disk_write": 524288, "net_in": 2097152, "net_out": 4194304}}
}
