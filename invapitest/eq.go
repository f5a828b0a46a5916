package invapitest

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

var rootPassRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9%\-_+]{7,29}$`)

// validRootPass applies HOSTKEY's own policy (their WHMCS module's
// validatePassword, their MCP server's schema): 8–30 characters of
// letters, digits and % - _ +, with an upper-case and a lower-case letter,
// a digit and one of % - _ +, not starting with % - _ +.
func validRootPass(p string) bool {
	return rootPassRE.MatchString(p) && strings.ContainsAny(p, "0123456789") &&
		strings.ContainsAny(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") &&
		strings.ContainsAny(p, "abcdefghijklmnopqrstuvwxyz") && strings.ContainsAny(p, "%-_+")
}

var pinRE = regexp.MustCompile(`^[0-9]{4,6}$`)

func (st *state) history(e *Equipment, event string) {
	key := "history/" + strconv.Itoa(e.ID)
	list, _ := st.extra[key].([]any)
	st.extra[key] = append(list, obj{"date": st.now().UTC().Format("2006-01-02 15:04:05"), "event": event})
}

func setTag(e *Equipment, name, value, extra string) {
	for i := range e.Tags {
		if e.Tags[i].Name == name {
			e.Tags[i].Value, e.Tags[i].Extra = value, extra
			return
		}
	}
	e.Tags = append(e.Tags, Tag{Name: name, Value: value, Extra: extra})
}

func serverSummary(e *Equipment) obj {
	return obj{"id": e.ID, "name": e.Name, "status": e.Status, "location": e.Location,
		"ip": e.MainIP, "type": e.Type}
}

func serverFull(e *Equipment) obj {
	o := serverSummary(e)
	o["power"] = e.Power
	o["hostname"] = e.Hostname()
	o["mac"] = e.MAC
	o["os"] = e.OSName
	o["preset"] = e.Preset
	ips := make([]any, len(e.IPs))
	for i, ip := range e.IPs {
		ips[i] = ip
	}
	o["ips"] = ips
	o["tags"] = tagsJSON(e)
	return o
}

func tagsJSON(e *Equipment) []any {
	out := []any{}
	for _, t := range e.Tags {
		out = append(out, obj{"tag": t.Name, "value": t.Value, "extra": t.Extra})
	}
	return out
}

// visibleServers are the session's servers, sorted.
func (st *state) visibleServers(c *call) []*Equipment {
	var out []*Equipment
	for _, id := range c.sess.servers {
		if e := st.servers[id]; e != nil && e.CustomerID == c.acct.CustomerID {
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func normMAC(s string) string {
	return strings.ToLower(strings.NewReplacer(".", "", ":", "", "-", "").Replace(s))
}

func matchFilters(c *call, e *Equipment) bool {
	if v := c.get("id"); v != "" && v != strconv.Itoa(e.ID) {
		return false
	}
	if v := c.get("location"); v != "" && !contains(splitList(v), e.Location) {
		return false
	}
	if v := c.get("status"); v != "" && !strings.EqualFold(v, e.Status) {
		return false
	}
	if v := c.get("type"); v != "" && !strings.EqualFold(v, e.Type) {
		return false
	}
	if v := c.get("ip"); v != "" && !contains(e.IPs, v) {
		return false
	}
	if v := c.get("mac"); v != "" && normMAC(v) != normMAC(e.MAC) {
		return false
	}
	for _, g := range splitList(c.get("group")) {
		if !contains(e.Groups, g) {
			return false
		}
	}
	return true
}

func (st *state) eqList(c *call) any {
	list := []any{}
	full := c.get("full") == "1"
	for _, e := range st.visibleServers(c) {
		if !matchFilters(c, e) {
			continue
		}
		if full {
			list = append(list, serverFull(e))
		} else {
			list = append(list, serverSummary(e))
		}
	}
	return obj{"result": "OK", "module": "eq", "action": c.action, "servers": list}
}

func (st *state) eqUnifiedSearch(c *call) any {
	q := strings.ToLower(firstOf(c, "query", "q", "search"))
	list := []any{}
	for _, e := range st.visibleServers(c) {
		hay := strings.ToLower(strings.Join(append([]string{strconv.Itoa(e.ID), e.Name, e.Hostname(), e.MAC}, e.IPs...), " "))
		if q == "" || strings.Contains(hay, q) {
			list = append(list, serverSummary(e))
		}
	}
	return obj{"result": "OK", "servers": list}
}

func (st *state) eqShow(c *call) any {
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		return orMsg(errr, "Nothing found for id")
	}
	sd := serverSummary(e)
	sd["power"] = e.Power
	sd["hostname"] = e.Hostname()
	// The state as HOSTKEY's clients read it: status (Terraform provider)
	// and Condition_Component (WHMCS module); with the quirk, only the latter.
	sd["Condition_Component"] = e.Status
	if st.quirks.AlternativeShapes {
		delete(sd, "status")
	}
	groups := []any{}
	for i, g := range e.Groups {
		groups = append(groups, obj{"id": i + 1, "name": g})
	}
	ips := []any{}
	for _, ip := range e.IPs {
		// ip and main_ip, as HOSTKEY's Terraform provider reads them
		ips = append(ips, obj{"ip": ip, "type": "public", "main_ip": boolInt(ip == e.MainIP), "ptr": e.PTR[ip]})
	}
	var osObj any = obj{}
	if e.OSID != 0 || e.OSName != "" {
		osObj = obj{"id": e.OSID, "name": e.OSName}
	}
	return obj{
		"result": "OK", "module": "eq", "action": "show",
		"server_data": sd,
		"hardware": obj{"components": []any{
			obj{"Type": "CPU", "Name": cpuName(e), "Cores": e.CPU},
			obj{"Type": "RAM", "Name": "DDR4", "Size": e.RAM},
			obj{"Type": "HDD", "Name": "NVMe SSD", "Size": e.Disk},
		}},
		"groups":     groups,
		"licenses":   []any{},
		"reinstall":  e.DeployStatus,
		"location":   obj{"dc_name": dcName(e.Location), "rack_name": "Rack " + strconv.Itoa(e.ID%40+1)},
		"OS":         osObj,
		"IP":         ips,
		"interfaces": []any{obj{"id": 1, "type": "eth0", "mac": e.MAC}},
		"IPMI": obj{"model": "Supermicro", "interfaces": []any{
			obj{"IP": ipmiIP(e), "MAC": e.MAC}}},
		"tags":       tagsJSON(e),
		"preset":     e.Preset,
		"commitment": "",
		"boot_dev":   e.BootMedia,
		"iso":        e.ISO,
	}
}

func cpuName(e *Equipment) string {
	if e.Type == "VPS" {
		return "vCPU"
	}
	return "AMD EPYC"
}

func dcName(loc string) string {
	switch loc {
	case "US":
		return "New York DC"
	case "RU":
		return "Moscow DC"
	}
	return "Amsterdam DC"
}

func ipmiIP(e *Equipment) string {
	return fmt.Sprintf("10.%d.%d.%d", e.ID%200, (e.ID/200)%250, e.ID%250+1)
}

func (st *state) eqStatus(c *call) any {
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		return orMsg(errr, "incorrect server id")
	}
	status := "active"
	if e.Power != "on" {
		status = "inactive"
	}
	op := st.newOp(c, "eq_callback", e)
	op.scope = "Chassis Power is " + e.Power
	op.debug = "Chassis Power is " + e.Power
	return obj{"result": "OK", "module": "eq", "action": "status", "status": status, "power": e.Power,
		"server_id": e.ID, "hostname": e.Hostname(), "ip": e.MainIP, "os": e.OSName,
		"ram": e.RAM, "cpu": e.CPU, "disk": e.Disk, "callback": op.key}
}

func (st *state) eqStatusCheck(c *call) any {
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		return errr
	}
	return obj{"result": "OK", "id": e.ID, "status": e.Status, "power": e.Power, "deploy_status": e.DeployStatus}
}

func (st *state) eqUpdateServers(c *call) any {
	ids := st.accountServers(c.acct.CustomerID)
	if c.sess.serverKey {
		ids = c.sess.servers
	}
	if len(ids) == 0 {
		return &apiError{code: -1, message: "No active servers were found for this account", extra: obj{"no_servers": 1}}
	}
	c.sess.servers = append([]int(nil), ids...)
	servers := make([]any, len(ids))
	for i, id := range ids {
		servers[i] = id
	}
	billing := []any{}
	for _, id := range ids {
		e := st.servers[id]
		billing = append(billing, obj{"id": id, "config": e.Preset, "status": "Active", "regdate": "2024-01-15",
			"name": e.Name, "recurring": 1, "nextduedate": st.now().AddDate(0, 1, 0).Format("2006-01-02"), "billingcycle": "Monthly"})
	}
	// deploy_keys: invoice -> the deployment's callback key; PHP's empty
	// array [] when no order is pending (tf types.go reads both).
	var dk any = []any{}
	if keys := st.deployKeys[c.acct.CustomerID]; len(keys) > 0 {
		m := obj{}
		for inv, key := range keys {
			m[inv] = key
		}
		dk = m
	}
	return obj{"result": "OK", "servers": servers, "billing_servers": billing, "deploy_keys": dk}
}

// power actions -------------------------------------------------------

type pxeConfig struct {
	osID     int
	hostname string
}

func (st *state) eqPower(c *call) any {
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		return orMsg(errr, map[string]string{
			"on": "Start request failed: Server is locked or invalid ID", "off": "eq/off: incorrect server id",
			"reboot": "Reboot request failed", "unit_reset": "IPMI unit reset request failed"}[c.action])
	}
	if e.Status == "power_off" && c.action != "off" {
		return errf("Start request failed: Server is locked or invalid ID")
	}
	op := st.newOp(c, "eq_callback", e)
	extra := obj{}
	switch c.action {
	case "on":
		e.Power = "on"
		op.scope, op.debug = "Power is on", "Chassis Power Control: Up/On"
		st.bootInstall(c, e)
	case "off":
		e.Power = "off"
		op.scope, op.debug = "Power is off", "Chassis Power Control: Down/Off"
		extra["id"] = e.ID
	case "reboot":
		e.Power = "on"
		op.scope, op.debug = "Server was rebooted", "Chassis Power Control: Reset"
		st.bootInstall(c, e)
	case "unit_reset":
		op.scope, op.debug = "IPMI unit was reset", "Sent cold reset command to MC"
	}
	st.history(e, "power "+c.action)
	return accepted(c.action, op, extra)
}

func (st *state) eqHardOff(c *call) any {
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		return errr
	}
	e.Power = "off"
	st.history(e, "hard off")
	return obj{"result": "OK", "action": "hard_off", "id": e.ID}
}

func (st *state) eqSuspend(c *call) any {
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		return errr
	}
	if c.action == "suspend" {
		e.Status, e.Power = "power_off", "off"
	} else {
		e.Status = "rent"
	}
	st.history(e, c.action)
	return obj{"result": "OK", "action": c.action, "id": e.ID, "status": e.Status}
}

func (st *state) eqSensors(c *call) any {
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		return orMsg(errr, "EQ/sensors: invalid server id")
	}
	op := st.newOp(c, "eq_callback", e)
	op.scope = "CPU Temp         | 41.000     | degrees C  | ok\nSystem Temp      | 29.000     | degrees C  | ok\nFAN1             | 3200.000   | RPM        | ok\nPS1 Status       | 0x1        | discrete   | 0x0100| ok"
	op.debug = "ipmitool sensor"
	return accepted("sensors", op, nil)
}

// consoles ------------------------------------------------------------

func (st *state) eqConsole(c *call) any {
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		failures := map[string]string{"novnc": "NoVNC console request failed", "recreate_novnc": "NoVNC recreate console request failed",
			"stop_novnc": "NoVNC console terminate request failed", "console": "Console request failed"}
		if m, ok := failures[c.action]; ok {
			return orMsg(errr, m)
		}
		return errr
	}
	url := "https://novnc.hostkey.com/vnc.html?autoconnect=1&path=websockify%3Ftoken%3D" + newKey()
	switch c.action {
	case "console":
		return st.eqDone(c, "console", e, fmt.Sprintf("[virt-viewer]\ntype=spice\nhost=%s\nport=5900\npassword=%s\ndelete-this-file=1\ntitle=%s\n", ipmiIP(e), newKey()[:12], e.Name), nil)
	case "ovirt_novnc":
		return obj{"result": "OK", "action": "ovirt_novnc", "url": url}
	case "stop_novnc":
		return st.eqDone(c, c.action, e, "NoVNC console stopped", nil)
	}
	op := st.newOp(c, "eq_callback", e)
	op.scope = url
	op.context["white_ip"] = c.get("white_ip")
	return accepted(c.action, op, nil)
}

// IPMI users ------------------------------------------------------------

func (st *state) eqAddIPMIUser(c *call) any {
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		return orMsg(errr, "EQ/"+c.action+": invalid server id")
	}
	user := c.get("admin_user")
	if user == "" {
		user = "u" + newKey()[:6]
	}
	pass := c.form.Get("admin_pass")
	if pass == "" {
		pass = "Ab" + newKey()[:14]
	}
	users, _ := st.extra["ipmiusers/"+strconv.Itoa(e.ID)].(map[string]bool)
	if users == nil {
		users = map[string]bool{}
		st.extra["ipmiusers/"+strconv.Itoa(e.ID)] = users
	}
	users[user] = true
	if c.action == "add_ipmi_admin" {
		return obj{"result": "OK", "action": c.action, "user": user, "password": pass, "role": "administrator", "ip": ipmiIP(e)}
	}
	return st.eqDone(c, c.action, e, "IPMI user "+user+" created", obj{"user": user, "password": pass})
}

func (st *state) eqRemoveIPMIUser(c *call) any {
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		return orMsg(errr, "Remove IPMI user request failed")
	}
	// HOSTKEY's MCP server sends only the id: the temporary users go.
	user := c.get("username")
	users, _ := st.extra["ipmiusers/"+strconv.Itoa(e.ID)].(map[string]bool)
	if user == "" {
		if len(users) == 0 {
			return errf("Remove IPMI user request failed")
		}
		clear(users)
		user = "(all temporary users)"
	} else if !users[user] {
		return errf("Remove IPMI user request failed")
	}
	delete(users, user)
	return st.eqDone(c, c.action, e, "IPMI user "+user+" removed", obj{"id": e.ID})
}

func (st *state) eqGetIPMI(c *call) any {
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		return errr
	}
	return obj{"result": "OK", "ipmi": []any{obj{"ip": ipmiIP(e), "model": "Supermicro", "mac": e.MAC}}}
}

// PIN -----------------------------------------------------------------

func (st *state) eqSetPIN(c *call) any {
	newPIN := c.form.Get("new_pin")
	if !pinRE.MatchString(newPIN) {
		return errf("PIN must be 4 to 6 digits")
	}
	if c.acct.PIN != "" {
		old := c.form.Get("old_pin")
		if old == "" {
			return errf("PIN required")
		}
		if old != c.acct.PIN {
			st.pinFails[c.acct.CustomerID]++
			return &apiError{code: -1, message: "Wrong PIN", delay: st.pinPenalty * time.Duration(st.pinFails[c.acct.CustomerID])}
		}
	}
	st.pinFails[c.acct.CustomerID] = 0
	c.acct.PIN = newPIN
	return st.eqDone(c, "set_pin", nil, "PIN was set", nil)
}

func (st *state) eqCheckPIN(c *call) any {
	return st.eqDone(c, "check_pin", nil, "PIN is correct", nil)
}

// eqDone answers an eq action whose eq_callback operation (about server e,
// if any) reports OK with scope at its first ready check; extra goes
// beside the callback key.
func (st *state) eqDone(c *call, action string, e *Equipment, scope string, extra obj) any {
	op := st.newOp(c, "eq_callback", e)
	op.scope = scope
	return accepted(action, op, extra)
}

// boot and PXE ----------------------------------------------------------

// reinstall and ordering ------------------------------------------------

var periods = map[string]struct {
	months   int64
	discount int64 // percent
}{
	// hourly (Terraform provider) is charged a month ahead here.
	"hourly": {1, 0}, "monthly": {1, 0}, "quarterly": {3, 3}, "semi-annualy": {6, 6}, "semi-annually": {6, 6},
	"semiannually": {6, 6}, "annually": {12, 12},
}

func removeTag(e *Equipment, name string) bool {
	for i, t := range e.Tags {
		if t.Name == name {
			e.Tags = append(e.Tags[:i], e.Tags[i+1:]...)
			return true
		}
	}
	return false
}

// backups ---------------------------------------------------------------

func (st *state) backups(e *Equipment) []obj {
	l, _ := st.extra["backups/"+strconv.Itoa(e.ID)].([]obj)
	return l
}

func (st *state) eqBackup(c *call) any {
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		return errr
	}
	key := "backups/" + strconv.Itoa(e.ID)
	list := st.backups(e)
	find := func() int {
		bid := firstOf(c, "backup_id", "backup", "name")
		for i, b := range list {
			if fmt.Sprint(b["id"]) == bid || b["name"] == bid {
				return i
			}
		}
		return -1
	}
	switch c.action {
	case "backup_list":
		out := make([]any, len(list))
		for i, b := range list {
			out[i] = b
		}
		return obj{"result": "OK", "backups": out}
	case "create_backup":
		b := obj{"id": st.id(), "name": firstOr(c.get("name"), fmt.Sprintf("backup-%d-%d", e.ID, len(list)+1)),
			"date": st.now().UTC().Format("2006-01-02 15:04:05"), "size": "12.4 GB", "status": "ready"}
		st.extra[key] = append(list, b)
		op := st.newOp(c, "eq_callback", e)
		op.scope = "Backup " + b["name"].(string) + " created"
		return accepted(c.action, op, obj{"backup_id": b["id"]})
	case "delete_backup", "restore_backup", "request_backup_link":
		i := find()
		if i < 0 {
			return errf("%s: backup not found", c.action)
		}
		if c.action == "request_backup_link" {
			return obj{"result": "OK", "url": "https://backup.hostkey.com/download/" + newKey(), "expires": st.now().Add(24 * time.Hour).Unix()}
		}
		op := st.newOp(c, "eq_callback", e)
		op.scope = fmt.Sprintf("Backup %v %s", list[i]["name"], map[string]string{"delete_backup": "deleted", "restore_backup": "restored"}[c.action])
		if c.action == "delete_backup" {
			st.extra[key] = append(list[:i:i], list[i+1:]...)
		}
		return accepted(c.action, op, nil)
	case "check_backup_lock":
		return obj{"result": "OK", "locked": 0}
	case "backup_get_schedule":
		s, _ := st.extra["schedule/"+strconv.Itoa(e.ID)].(obj)
		if s == nil {
			s = obj{"enabled": 0, "period": "daily", "time": "03:00", "keep": 3}
		}
		return obj{"result": "OK", "schedule": s}
	case "backup_save_schedule":
		s := obj{"enabled": boolInt(firstOr(c.get("enabled"), "1") == "1"), "period": firstOr(c.get("period"), "daily"),
			"time": firstOr(c.get("time"), "03:00"), "keep": atoiOr(c.get("keep"), 3)}
		st.extra["schedule/"+strconv.Itoa(e.ID)] = s
		return obj{"result": "OK", "schedule": s}
	}
	return errf("Unknown action")
}

func atoiOr(s string, def int) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	return def
}

// misc eq ---------------------------------------------------------------

func (st *state) eqGroups(c *call) any {
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		return errr
	}
	groups := []any{}
	for i, g := range e.Groups {
		groups = append(groups, obj{"id": i + 1, "name": g})
	}
	return obj{"result": "OK", "groups": groups}
}

func (st *state) eqHistory(c *call) any {
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		return errr
	}
	list, _ := st.extra["history/"+strconv.Itoa(e.ID)].([]any)
	return obj{"result": "OK", "history": append([]any{}, list...)}
}

func (st *state) eqGetTraffic(c *call) any {
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		return errr
	}
	limit := atoiOr(fmt.Sprint(st.extra["trafficlimit/"+strconv.Itoa(e.ID)]), 10)
	return obj{"result": "OK", "id": e.ID, "traffic": obj{"in": "1.25", "out": "3.40", "unit": "TB", "limit": limit}}
}

func (st *state) eqTrafficAdd(c *call) any {
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		return errr
	}
	tb := atoiOr(firstOf(c, "amount", "traffic", "value"), 0)
	if tb <= 0 {
		return errf("eq/traffic_add: amount must be a positive number of TB")
	}
	k := "trafficlimit/" + strconv.Itoa(e.ID)
	st.extra[k] = atoiOr(fmt.Sprint(st.extra[k]), 10) + tb
	inv := st.newInvoice(c.acct.CustomerID, int64(tb)*500, "Unpaid", fmt.Sprintf("Extra traffic %d TB for server %d", tb, e.ID), e.ID, "traffic")
	return obj{"result": "OK", "invoice": strconv.Itoa(inv.ID), "limit": st.extra[k]}
}

func (st *state) eqGetUpgradeKey(c *call) any {
	inv := c.get("invoice_id")
	if inv == "" {
		return errf("eq/get_upgrade_key: invoice_id is required")
	}
	return obj{"result": "OK", "key": newKey(), "invoice_id": inv}
}

func (st *state) eqAnnounce(c *call) any {
	if c.action == "getserversforannounce" {
		list := []any{}
		for _, e := range st.visibleServers(c) {
			if e.Status == "rent" || e.Status == "power_off" {
				list = append(list, serverSummary(e))
			}
		}
		return obj{"result": "OK", "servers": list}
	}
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		return errr
	}
	subnet := firstOf(c, "subnet", "ip")
	if subnet == "" {
		return errf("eq/announceip: subnet is required")
	}
	return obj{"result": "OK", "id": e.ID, "subnet": subnet, "status": "announced"}
}

// eqRenameServer sets a server's hostname (id, hostname: HOSTKEY's
// Terraform provider). InvAPI keeps it in the hostname tag.
func (st *state) eqRenameServer(c *call) any {
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		return orMsg(errr, "Rename server request failed")
	}
	h := strings.TrimSpace(c.get("hostname"))
	if h == "" || len(h) > 253 || strings.ContainsAny(h, " /@#") {
		return errf("Rename server request failed: invalid hostname")
	}
	setTag(e, "hostname", h, "")
	st.history(e, "renamed to "+h)
	return obj{"result": "OK", "module": "eq", "action": "rename_server", "id": e.ID, "hostname": h}
}
