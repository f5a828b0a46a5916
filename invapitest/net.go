package invapitest

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// ports and blocks live in st.extra under "port/<id>/<port>" and
// "blocked/<id>".

func (st *state) netAsync(c *call) any {
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		return errr
	}
	port := firstOr(c.get("port"), "eth0")
	pkey := "port/" + strconv.Itoa(e.ID) + "/" + port
	op := st.newOp(c, "eq_callback", e)
	switch c.action {
	case "get_status":
		status := "connected"
		if st.extra[pkey] == "down" {
			status = "disabled"
		}
		op.scope = obj{"port": port, "switch": "sw-" + strings.ToLower(e.Location) + "-01 (10.0.0.1)", "vlan": 100 + e.ID%50,
			"speed": "1000", "status": status, "mac": e.MAC, "port_security": "2", "shape": ""}
	case "port_off", "port_on":
		if c.get("port") == "" {
			delete(st.ops, op.key)
			return errf("net/%s: port is required", c.action)
		}
		if c.action == "port_off" {
			st.extra[pkey] = "down"
			op.scope = "Port " + port + " disabled"
		} else {
			delete(st.extra, pkey)
			op.scope = "Port " + port + " enabled"
		}
	case "block_ip", "unblock_ip":
		ip := c.get("ip")
		if net.ParseIP(ip) == nil {
			delete(st.ops, op.key)
			return errf("net/%s: invalid ip", c.action)
		}
		bkey := "blocked/" + strconv.Itoa(e.ID)
		blocked, _ := st.extra[bkey].(map[string]obj)
		if blocked == nil {
			blocked = map[string]obj{}
			st.extra[bkey] = blocked
		}
		if c.action == "block_ip" {
			b := obj{"ip": ip, "description": c.get("description"), "date": st.now().Unix()}
			if c.get("four_hours") == "1" {
				b["expires"] = st.now().Add(4 * time.Hour).Unix()
			}
			blocked[ip] = b
			op.scope = "IP " + ip + " blocked"
		} else {
			if _, ok := blocked[ip]; !ok {
				delete(st.ops, op.key)
				return errf("net/unblock_ip: %s is not blocked", ip)
			}
			delete(blocked, ip)
			op.scope = "IP " + ip + " unblocked"
		}
		op.context["ip"] = ip
	}
	op.context["port"] = port
	return accepted(c.action, op, nil)
}

func (st *state) netShowCacti(c *call) any {
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		return errr
	}
	graph := firstOr(c.get("graph"), "1")
	if graph != "1" && graph != "2" && graph != "3" {
		return errf("net/show_cacti: graph must be 1 (daily), 2 (monthly) or 3 (annual)")
	}
	return &rawReply{contentType: "image/png", body: trafficPNG(e.ID, graph)}
}

// trafficPNG draws a small traffic graph.
func trafficPNG(seed int, graph string) []byte {
	const w, h = 120, 50
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := 0; x < w; x++ {
		for y := 0; y < h; y++ {
			img.Set(x, y, color.White)
		}
		v := (x*7 + seed + int(graph[0])*13) % 37
		for y := h - 1; y > h-1-v; y-- {
			img.Set(x, y, color.RGBA{0, 160, 0, 255})
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.Bytes()
}

func (st *state) freeIPs(e *Equipment, n int) []string {
	used := map[string]bool{}
	for _, s := range st.servers {
		for _, ip := range s.IPs {
			used[ip] = true
		}
	}
	base := net.ParseIP(e.MainIP).To4()
	var out []string
	for i := 2; i < 255 && len(out) < n; i++ {
		if base == nil {
			break
		}
		ip := fmt.Sprintf("%d.%d.%d.%d", base[0], base[1], base[2], i)
		if !used[ip] {
			out = append(out, ip)
		}
	}
	return out
}

func (st *state) netAddIPv4(c *call) any {
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		return errr
	}
	var added []string
	list := splitList(firstOf(c, "ips", "ip"))
	for _, v := range c.form["ips[]"] { // HOSTKEY's Terraform provider sends ips[]
		if v = strings.TrimSpace(v); v != "" {
			list = append(list, v)
		}
	}
	if len(list) > 0 {
		for _, ip := range list {
			if net.ParseIP(ip) == nil || contains(e.IPs, ip) {
				return errf("net/add_ipv4: invalid or used ip %s", ip)
			}
		}
		added = list
	} else {
		n := atoiOr(firstOf(c, "amount", "ipv4_amount", "count"), 1)
		if n <= 0 || n > 16 {
			return errf("net/add_ipv4: amount must be 1 to 16")
		}
		added = st.freeIPs(e, n)
	}
	e.IPs = append(e.IPs, added...)
	// {ip, vlan} objects, as HOSTKEY's Terraform provider reads them; bare
	// strings (it reads those too) with Quirks.AlternativeShapes.
	out := make([]any, len(added))
	for i, ip := range added {
		if st.quirks.AlternativeShapes {
			out[i] = ip
		} else {
			out[i] = obj{"ip": ip, "vlan": 100 + e.ID%50}
		}
	}
	return obj{"result": "OK", "action": "add_ipv4", "id": e.ID, "ips": out}
}

func (st *state) netRemoveIPv4(c *call) any {
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		return errr
	}
	var removed []any
	keep := []string{}
	all := c.get("remove_all") == "1"
	ip := c.get("ip")
	for _, x := range e.IPs {
		if (all && x != e.MainIP) || x == ip {
			removed = append(removed, x)
			delete(e.PTR, x)
			continue
		}
		keep = append(keep, x)
	}
	if len(removed) == 0 {
		return errf("net/remove_ipv4: ip not found on server %d", e.ID)
	}
	if ip == e.MainIP && len(keep) > 0 {
		e.MainIP = keep[0]
	}
	e.IPs = keep
	return obj{"result": "OK", "id": e.ID, "removed": removed}
}

func (st *state) netShowIPv4Free(c *call) any {
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		return errr
	}
	list := []any{}
	for _, ip := range st.freeIPs(e, 8) {
		list = append(list, ip)
	}
	return obj{"result": "OK", "id": e.ID, "vlan": 100 + e.ID%50, "ips": list}
}

// ip.php -----------------------------------------------------------------

// serverWithIP finds the visible server holding ip.
func (st *state) serverWithIP(c *call, ip string) *Equipment {
	for _, e := range st.visibleServers(c) {
		if contains(e.IPs, ip) {
			return e
		}
	}
	return nil
}

func (st *state) ipOf(c *call) (*Equipment, string, *apiError) {
	ip := c.get("ip")
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		return nil, "", errr
	}
	if !contains(e.IPs, ip) {
		return nil, "", errf("ip/%s: IP %s does not belong to server %d", c.action, ip, e.ID)
	}
	return e, ip, nil
}

func ipJSON(e *Equipment, ip string) obj {
	parts := strings.Split(ip, ".")
	gw := ip
	if len(parts) == 4 {
		gw = strings.Join(parts[:3], ".") + ".1"
	}
	return obj{"ip": ip, "server_id": e.ID, "main": boolInt(ip == e.MainIP), "ptr": e.PTR[ip],
		"netmask": "255.255.255.0", "gateway": gw, "location": e.Location, "type": "public"}
}

func (st *state) ipGetIP(c *call) any {
	ip := c.get("ip")
	e := st.serverWithIP(c, ip)
	if e == nil {
		return errf("ip/get_ip: IP not found")
	}
	return obj{"result": "OK", "ip": ipJSON(e, ip)}
}

func (st *state) ipGetPTR(c *call) any {
	e, ip, errr := st.ipOf(c)
	if errr != nil {
		return errr
	}
	return obj{"result": "OK", "ip": ip, "ptr": e.PTR[ip]}
}

var ptrRE = regexp.MustCompile(`^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}\.?$`)

func (st *state) ipUpdatePTR(c *call) any {
	e, ip, errr := st.ipOf(c)
	if errr != nil {
		return errr
	}
	var recs []string
	for _, r := range strings.Split(c.form.Get("ptr"), "\n") {
		if r = strings.TrimSpace(r); r == "" {
			continue
		}
		if !ptrRE.MatchString(r) {
			return errf("ip/update_ptr: invalid PTR record %q", r)
		}
		recs = append(recs, r)
	}
	if len(recs) == 0 {
		return errf("ip/update_ptr: ptr is required")
	}
	e.PTR[ip] = strings.Join(recs, "\n")
	return obj{"result": "OK", "ip": ip, "ptr": e.PTR[ip]}
}

func (st *state) ipSetMain(c *call) any {
	e, ip, errr := st.ipOf(c)
	if errr != nil {
		return errr
	}
	if c.get("main") == "0" {
		if ip == e.MainIP {
			return errf("ip/set_main: a server needs a main IP")
		}
		return obj{"result": "OK", "ip": ip, "main": 0}
	}
	e.MainIP = ip
	return obj{"result": "OK", "ip": ip, "main": 1}
}

func (st *state) ipGetClientIP(c *call) any {
	return obj{"result": "OK", "ip": c.remote}
}

func (st *state) ipGetTraffic(c *call) any {
	ip := c.get("ip")
	if st.serverWithIP(c, ip) == nil {
		return errf("ip/get_traffic: IP not found")
	}
	if c.get("summary") == "1" || c.get("detailed") == "" {
		return obj{"result": "OK", "ip": ip, "in": 1073741824, "out": 5368709120}
	}
	points := []any{}
	for i := 0; i < 4; i++ {
		points = append(points, obj{"time": st.now().Add(-time.Duration(i) * time.Hour).Unix(), "in": 1000 * i, "out": 5000 * i})
	}
	return obj{"result": "OK", "ip": ip, "data": points}
}

func (st *state) ipListFree(c *call) any {
	var e *Equipment
	if v := c.get("id"); v != "" {
		var errr *apiError
		if e, errr = st.serverFor(c, "id"); errr != nil {
			return errr
		}
	} else if vs := st.visibleServers(c); len(vs) > 0 {
		e = vs[0]
	}
	list := []any{}
	if e != nil {
		for _, ip := range st.freeIPs(e, 8) {
			list = append(list, ip)
		}
	}
	return obj{"result": "OK", "ips": list}
}

// nat.php ------------------------------------------------------------------

func (st *state) natAdd(c *call) any {
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		return errr
	}
	if e.Type == "VPS" {
		return errf("nat/add_static_nat: server %d has no IPMI", e.ID)
	}
	public := fmt.Sprintf("93.190.%d.%d", 100+e.ID%50, e.ID%250+2)
	expires := st.now().Add(2 * time.Hour)
	st.extra["nat/"+strconv.Itoa(e.ID)] = obj{"ip": public, "ipmi": ipmiIP(e), "expires": expires.Unix()}
	op := st.newOp(c, "nat_callback", e)
	op.scope = "Static NAT " + public + " -> " + ipmiIP(e) + " created for 2 hours"
	op.context["ip"] = public
	op.context["ipmi"] = ipmiIP(e)
	op.context["expires"] = expires.Unix()
	return accepted("add_static_nat", op, nil)
}

func (st *state) natRemove(c *call) any {
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		return errr
	}
	k := "nat/" + strconv.Itoa(e.ID)
	if st.extra[k] == nil {
		return errf("nat/remove_static_nat: no NAT rule for server %d", e.ID)
	}
	delete(st.extra, k)
	op := st.newOp(c, "nat_callback", e)
	op.scope = "Static NAT removed"
	return accepted("remove_static_nat", op, nil)
}

// natClear removes stale static NAT rules to an internal (IPMI) address
// (ip, as HOSTKEY's MCP server sends it).
func (st *state) natClear(c *call) any {
	ip := c.get("ip")
	if net.ParseIP(ip) == nil {
		return errf("nat/clear_static_nat: ip is required")
	}
	n := 0
	for k, v := range st.extra {
		if m, ok := v.(obj); ok && strings.HasPrefix(k, "nat/") && m["ipmi"] == ip {
			delete(st.extra, k)
			n++
		}
	}
	return obj{"result": "OK", "action": "clear_static_nat", "removed": n}
}

// natDrop deletes a NAT record by id (the server's) and/or ip (public or
// internal), as HOSTKEY's MCP server sends them.
func (st *state) natDrop(c *call) any {
	id, ip := c.get("id"), c.get("ip")
	if id == "" && ip == "" {
		return errf("nat/drop_nat: id or ip is required")
	}
	for k, v := range st.extra {
		m, ok := v.(obj)
		if !ok || !strings.HasPrefix(k, "nat/") {
			continue
		}
		if (id == "" || k == "nat/"+id) && (ip == "" || m["ip"] == ip || m["ipmi"] == ip) {
			delete(st.extra, k)
			return obj{"result": "OK", "action": "drop_nat"}
		}
	}
	return errf("nat/drop_nat: NAT record not found")
}
