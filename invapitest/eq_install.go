package invapitest

// The simulated eq.php actions that install servers: orders, PXE boots and
// reinstalls.

import (
	"fmt"
	"strconv"
	"strings"
)

// bootInstall starts a PXE installation when the server boots from PXE
// with an install config present.
func (st *state) bootInstall(c *call, e *Equipment) {
	if e.BootMedia != "pxe" || !e.PXE {
		return
	}
	key, _ := st.extra["reinstallkey/"+strconv.Itoa(e.ID)].(string)
	delete(st.extra, "reinstallkey/"+strconv.Itoa(e.ID))
	if pend, ok := st.extra["pxe/"+strconv.Itoa(e.ID)].(pxeConfig); ok {
		st.applyInstall(e, pend.osID, pend.hostname)
	}
	e.DeployStatus = "reinstall"
	st.history(e, "PXE installation started")
	if op := st.ops[key]; op != nil && op.waiting {
		st.startInstall(op, "reinstall")
	} else {
		e.DeployStatus = "" // nobody tracks it: the install is reported nowhere
	}
}

func (st *state) applyInstall(e *Equipment, osID int, hostname string) {
	if o := st.osByID(osID); o != nil {
		e.OSID, e.OSName = o.ID, o.Name
	}
	if hostname != "" {
		setTag(e, "hostname", hostname, "")
	}
}

func (st *state) eqBootDev(c *call) any {
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		return orMsg(errr, "Bootable media change request failed")
	}
	media := strings.ToLower(c.get("media"))
	switch media {
	case "", "1":
		media = "pxe"
	case "2":
		media = "disk"
	case "3":
		media = "cd"
	}
	if media != "pxe" && media != "disk" && media != "cd" {
		return errf("Bootable media change request failed")
	}
	mode := c.get("boot_mode")
	if mode != "" && mode != "uefi" && mode != "legacy" && mode != "auto" {
		return errf("Bootable media change request failed")
	}
	e.BootMedia = media
	op := st.newOp(c, "eq_callback", e)
	op.scope, op.debug = "Boot device set to "+media, "Set Boot Device to "+media
	return accepted("boot_dev", op, nil)
}

// installRequest validates the OS, password and hostname of an install.
func (st *state) installRequest(c *call, e *Equipment, kind string, needPass bool) (*OS, *apiError) {
	var o *OS
	if v := c.get("os_id"); v != "" {
		id, _ := strconv.Atoi(v)
		o = st.osByID(id)
	} else if n := c.get("os_name"); n != "" {
		for i := range st.oses {
			if strings.EqualFold(st.oses[i].Name, n) {
				o = &st.oses[i]
			}
		}
	}
	if o == nil {
		return nil, errf("Unknown OS: os_id is required")
	}
	if !osCompatible(*o, kind) {
		return nil, errf("OS is not compatible with preset")
	}
	pass := c.form.Get("root_pass")
	if (needPass || pass != "") && !validRootPass(pass) {
		return nil, errf("root_pass does not meet the password policy: 8-30 letters, digits or %% - _ +, with upper and lower case, a digit and one of %% - _ +, not starting with a symbol")
	}
	if e != nil && e.DeployStatus != "" {
		return nil, errf("Reinstall already underway for %d. Please try again shortly.", e.ID)
	}
	return o, nil
}

func (st *state) eqCreatePXE(c *call) any {
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		return orMsg(errr, "Create PXE config request failed")
	}
	o, ierr := st.installRequest(c, e, equipmentKind(e), true)
	if ierr != nil {
		return ierr
	}
	hostname := c.get("hostname")
	if hostname == "" {
		hostname = strconv.Itoa(e.ID)
	}
	if rk := c.get("reinstall_key"); rk != "" {
		op := st.ops[rk]
		if op == nil || !op.waiting || op.serverID != e.ID {
			return errf("Create PXE config request failed: invalid reinstall_key")
		}
		st.extra["reinstallkey/"+strconv.Itoa(e.ID)] = rk
	}
	e.PXE = true
	st.extra["pxe/"+strconv.Itoa(e.ID)] = pxeConfig{osID: o.ID, hostname: hostname}
	return st.eqDone(c, "create_pxe", e, "PXE config created for "+o.Name, nil)
}

func (st *state) eqClearPXE(c *call) any {
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		return orMsg(errr, "Failed to submit clear PXE config request")
	}
	e.PXE = false
	delete(st.extra, "pxe/"+strconv.Itoa(e.ID))
	return st.eqDone(c, "clear_pxe", e, "PXE config removed", nil)
}

func (st *state) eqReinstall(c *call) any {
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		return errr
	}
	if c.get("os_id") == "" && c.get("os_name") == "" {
		// 001: stage 0, a master key the installer reports to.
		if e.DeployStatus != "" {
			return errf("Reinstall already underway for %d. Please try again shortly.", e.ID)
		}
		op := st.newOp(c, "eq_callback", e)
		op.waiting = true
		op.stageCtx = "reinstall"
		return accepted("reinstall", op, nil)
	}
	return st.fullReinstall(c, e)
}

// fullReinstall is the 004 reinstall through order_instance with an id.
func (st *state) fullReinstall(c *call, e *Equipment) any {
	o, ierr := st.installRequest(c, e, equipmentKind(e), true)
	if ierr != nil {
		return ierr
	}
	st.applyInstall(e, o.ID, c.get("hostname"))
	e.DeployStatus = "reinstall"
	e.Power = "on"
	st.history(e, "reinstall "+o.Name)
	op := st.newOp(c, "eq_callback", e)
	st.startInstall(op, "reinstall")
	return accepted("order_instance", op, obj{"deploy_status": "reinstall", "id": e.ID, "os_name": o.Name, "soft_name": ""})
}

// orderOptions checks the fields HOSTKEY's Terraform provider adds to an
// order: disk_mirror, root_size (a percent), ipv6, private_vlan.
func orderOptions(c *call) *apiError {
	switch c.get("disk_mirror") {
	case "", "hba", "raid0", "raid1", "raid10":
	default:
		return errf("Invalid disk_mirror %q: hba, raid0, raid1 or raid10", c.get("disk_mirror"))
	}
	if v := c.get("root_size"); v != "" {
		if n, err := strconv.Atoi(v); err != nil || n < 1 || n > 100 {
			return errf("Invalid root_size %q: a percent, 1 to 100", v)
		}
	}
	switch c.get("ipv6") {
	case "", "0", "1":
	default:
		return errf("Invalid ipv6 %q", c.get("ipv6"))
	}
	if v := c.get("private_vlan"); v != "" {
		if _, err := strconv.Atoi(v); err != nil {
			return errf("Invalid private_vlan %q", v)
		}
	}
	return nil
}

func (st *state) eqOrderInstance(c *call) any {
	if id := c.get("id"); id != "" && id != "-" && id != "0" {
		e, errr := st.serverFor(c, "id")
		if errr != nil {
			return errr
		}
		return st.fullReinstall(c, e)
	}
	loc := strings.ToUpper(c.get("location_name"))
	if !validLocation(loc) {
		return errf("Unknown location_name %q", c.get("location_name"))
	}
	p := st.presetByName(c.get("preset"))
	if p == nil {
		return errf("Unknown preset %q", c.get("preset"))
	}
	if !contains(p.Locations, loc) {
		return errf("Preset %s is not available in %s", p.Name, loc)
	}
	o, ierr := st.installRequest(c, nil, p.Type, false)
	if ierr != nil {
		return ierr
	}
	if oerr := orderOptions(c); oerr != nil {
		return oerr
	}
	per, ok := periods[strings.ToLower(firstOr(c.get("deploy_period"), "monthly"))]
	if !ok {
		return errf("Invalid deploy_period %q", c.get("deploy_period"))
	}
	planID, _ := strconv.Atoi(c.get("traffic_plan"))
	plan := st.planByID(planID)
	if plan == nil || !contains(plan.Locations, loc) {
		return errf("Invalid traffic_plan %q", c.get("traffic_plan"))
	}
	cur := c.acct.Currency
	price, ok := p.Prices[loc][cur]
	if !ok {
		return errf("Preset %s has no price in %s", p.Name, cur)
	}
	monthly, _ := parseMoney(price)
	total := monthly * per.months * (100 - per.discount) / 100
	if tp, err := parseMoney(plan.Prices[cur]); err == nil {
		total += tp * per.months
	}
	if o.PricePerCoreEUR != "" {
		lic, _ := parseMoney(o.PricePerCoreEUR)
		cores := int64(p.Cores)
		if cores < 8 {
			cores = 8
		}
		total += lic * cores * per.months
	}
	bal, _ := parseMoney(c.acct.Balance)
	if bal < total {
		return &apiError{code: -1, message: "Insufficient funds on the credit account", extra: obj{"required": formatMoney(total), "credit": c.acct.Balance}}
	}
	c.acct.Balance = formatMoney(bal - total)

	hostname := c.get("hostname")
	kind := "Server"
	if p.Type == "vm" {
		kind = "VPS"
	}
	id := st.addServer(Equipment{
		CustomerID: c.acct.CustomerID, Location: loc, Type: kind, Preset: p.Name, OSID: o.ID,
		CPU: p.Cores, RAM: p.RAM, Disk: p.Disk, Groups: []string{p.Group, "Instances"},
	})
	e := st.servers[id]
	if hostname != "" {
		setTag(e, "hostname", hostname, "")
	}
	setTag(e, "preset", p.Name, "")
	e.DeployStatus = "install"
	st.history(e, "ordered "+p.Name)
	inv := st.newInvoice(c.acct.CustomerID, total, "Paid", fmt.Sprintf("%s (%s) %s, %s", p.Name, loc, o.Name, plan.Name), id, "order")
	op := st.newOp(c, "eq_callback", e)
	st.startInstall(op, "order_instance")
	// deploy_keys maps the invoice to the deployment's callback key, whose
	// OK names the server in context.id (tf pending.go).
	if st.deployKeys[c.acct.CustomerID] == nil {
		st.deployKeys[c.acct.CustomerID] = map[string]string{}
	}
	st.deployKeys[c.acct.CustomerID][strconv.Itoa(inv.ID)] = op.key
	// status Paid/Unpaid, as HOSTKEY's Terraform provider reads it: the
	// credit account paid the invoice.
	return accepted("order_instance", op, obj{"invoice": strconv.Itoa(inv.ID), "status": "Paid"})
}

func firstOr(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func (st *state) eqAbortReinstall(c *call) any {
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		return errr
	}
	aborted := false
	for _, op := range st.ops {
		if op.serverID == e.ID && (op.install || op.waiting) {
			op.failed, op.waiting, op.notReady = "Reinstall aborted", false, 0
			aborted = true
		}
	}
	if !aborted && e.DeployStatus == "" {
		return errf("No reinstall is underway for %d", e.ID)
	}
	e.DeployStatus = ""
	e.PXE = false
	removeTag(e, "reinstall_start")
	return obj{"result": "OK", "action": "abort_reinstall", "id": e.ID}
}
