package invapitest

import (
	"fmt"
	"strconv"
	"strings"
)

// defaultServers are the servers of the default account.
func defaultServers() []Equipment {
	return []Equipment{
		{
			ID: 12345, Name: "server-01", Location: "NL", Type: "Server", Preset: "bm.v1-big",
			IPs: []string{"185.100.1.10", "185.100.1.11"}, MAC: "0c:c4:7a:00:30:39",
			OSID: 1, CPU: 16, RAM: 64, Disk: 960, Groups: []string{"Instances", "1CPU", "AMD"},
			Tags:   []Tag{{Name: "hostname", Value: "web-1.example.com"}, {Name: "preset", Value: "bm.v1-big"}},
			APIKey: DefaultServerAPIKey,
		},
		{
			ID: 12346, Name: "server-02", Location: "NL", Type: "VPS", Preset: "vm.v2-small",
			IPs: []string{"185.100.2.20"}, MAC: "56:6f:12:00:30:3a",
			OSID: 3, CPU: 2, RAM: 4, Disk: 60, Groups: []string{"VPS", "Instances"},
			Tags: []Tag{{Name: "hostname", Value: "db-1.example.com"}, {Name: "preset", Value: "vm.v2-small"}},
		},
		{
			ID: 12347, Name: "server-03", Location: "US", Type: "Server", Preset: "gpu.v1-a4000",
			IPs: []string{"45.10.3.30"}, MAC: "0c:c4:7a:00:30:3b", Power: "off",
			OSID: 1, CPU: 32, RAM: 128, Disk: 1920, Groups: []string{"Gpu", "2CPU"},
			Tags: []Tag{{Name: "hostname", Value: "gpu-1.example.com"}},
		},
	}
}

func defaultPresets() []Preset {
	all := []string{"NL", "US", "RU"}
	return []Preset{
		{ID: 101, Name: "bm.v1-big", Type: "bm", Group: "Instances", CPU: "AMD Ryzen 9 5950X", Cores: 16, RAM: 64, Disk: 960,
			Locations: all, Prices: map[string]map[string]string{
				"NL": {"EUR": "120.00", "USD": "130.00"}, "US": {"EUR": "125.00", "USD": "135.00"}, "RU": {"EUR": "110.00", "RUB": "11000.00"}}},
		{ID: 102, Name: "vm.v2-small", Type: "vm", Group: "Compute", CPU: "Intel Xeon Gold 6248", Cores: 2, RAM: 4, Disk: 60,
			Locations: all, Prices: map[string]map[string]string{
				"NL": {"EUR": "6.00", "USD": "6.50"}, "US": {"EUR": "6.50", "USD": "7.00"}, "RU": {"EUR": "5.00", "RUB": "500.00"}}},
		{ID: 103, Name: "gpu.v1-a4000", Type: "gpu", Group: "Gpu", CPU: "2x Intel Xeon Silver 4214", Cores: 24, RAM: 128, Disk: 1920,
			Locations: []string{"NL", "US"}, Prices: map[string]map[string]string{
				"NL": {"EUR": "450.00", "USD": "490.00"}, "US": {"EUR": "470.00", "USD": "510.00"}}},
	}
}

func defaultOSes() []OS {
	return []OS{
		{ID: 1, Name: "Ubuntu 22.04", Family: "linux", Tags: []string{"bm", "vm", "gpu", "vgpu"}, MinRAM: 1, MinHDD: 10},
		{ID: 2, Name: "Ubuntu 24.04", Family: "linux", Tags: []string{"bm", "vm", "gpu", "vgpu"}, MinRAM: 1, MinHDD: 10},
		{ID: 3, Name: "Debian 12", Family: "linux", Tags: []string{"bm", "vm"}, MinRAM: 1, MinHDD: 10},
		{ID: 4, Name: "AlmaLinux 9", Family: "linux", Tags: []string{"bm", "vm"}, MinRAM: 1, MinHDD: 10},
		{ID: 5, Name: "Windows Server 2022", Family: "windows", Tags: []string{"bm", "vm"}, MinRAM: 4, MinHDD: 40, PricePerCoreEUR: "2.50"},
		{ID: 6, Name: "VMware ESXi 8", Family: "other", Tags: []string{"bm"}, MinRAM: 8, MinHDD: 32},
	}
}

func defaultTrafficPlans() []TrafficPlan {
	all := []string{"NL", "US", "RU"}
	return []TrafficPlan{
		{ID: 1, Name: "1 Gbps, 10 TB", Speed: "1 Gbps", Traffic: 10, Prices: map[string]string{"EUR": "0.00", "USD": "0.00", "RUB": "0.00"}, Locations: all},
		{ID: 2, Name: "1 Gbps, 50 TB", Speed: "1 Gbps", Traffic: 50, Prices: map[string]string{"EUR": "20.00", "USD": "22.00", "RUB": "2000.00"}, Locations: all},
		{ID: 3, Name: "10 Gbps, unmetered", Speed: "10 Gbps", Traffic: 0, Prices: map[string]string{"EUR": "250.00", "USD": "270.00"}, Locations: []string{"NL"}},
	}
}

var jenkinsTasks = []obj{
	{"id": 1, "name": "Install NVIDIA drivers", "tags": []any{"gpu", "vgpu"}},
	{"id": 2, "name": "Install Docker", "tags": []any{"bm", "vm", "gpu", "default"}},
	{"id": 3, "name": "Install cPanel", "tags": []any{"bm", "vm"}},
	{"id": 4, "name": "Install Ollama", "tags": []any{"gpu"}},
}

var softwareList = []obj{
	{"id": 1, "name": "cPanel", "price": "20.00", "currency": "EUR", "tags": []any{"bm", "vm"}, "active": 1},
	{"id": 2, "name": "Plesk Web Admin", "price": "12.00", "currency": "EUR", "tags": []any{"bm", "vm"}, "active": 1},
	{"id": 3, "name": "Docker CE", "price": "0.00", "currency": "EUR", "tags": []any{"bm", "vm", "gpu"}, "active": 1},
}

func validLocation(l string) bool { return l == "NL" || l == "US" || l == "RU" }

func contains(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// presetHDD is a preset's disks as presets.php prints them: "2x960" for
// the two disks of dedicated and GPU hardware, a number for VMs (HOSTKEY's
// Terraform provider reads both). AlternativeShapes prints the total size.
func (st *state) presetHDD(p Preset) any {
	if p.Type == "vm" || st.quirks.AlternativeShapes {
		return p.Disk
	}
	return fmt.Sprintf("2x%d", p.Disk/2)
}

// presetLocations is a comma string ("NL,US,RU"), as HOSTKEY's Terraform
// provider and WHMCS module split it; AlternativeShapes sends a list.
func (st *state) presetLocations(p Preset) any {
	if !st.quirks.AlternativeShapes {
		return strings.Join(p.Locations, ",")
	}
	locs := make([]any, len(p.Locations))
	for i, l := range p.Locations {
		locs[i] = l
	}
	return locs
}

func (st *state) presetJSON(p Preset, location string) obj {
	o := presetJSON(p, location)
	o["hdd"], o["locations"] = st.presetHDD(p), st.presetLocations(p)
	o["virtual"], o["active"], o["description"] = boolInt(p.Type == "vm"), 1, p.CPU+", "+strconv.Itoa(p.RAM)+" GB RAM"
	return o
}

func presetJSON(p Preset, location string) obj {
	price := obj{}
	if location != "" {
		for cur, v := range p.Prices[location] {
			price[cur] = v
		}
	} else {
		for loc, m := range p.Prices {
			pm := obj{}
			for cur, v := range m {
				pm[cur] = v
			}
			price[loc] = pm
		}
	}
	locs := make([]any, len(p.Locations))
	for i, l := range p.Locations {
		locs[i] = l
	}
	o := obj{"id": p.ID, "name": p.Name, "type": p.Type, "group": p.Group, "cpu": p.CPU,
		"cores": p.Cores, "ram": p.RAM, "hdd": p.Disk, "locations": locs, "price": price, "available": 5}
	if location != "" {
		o["location"] = location
	}
	return o
}

func (st *state) presetsList(c *call) any {
	loc := strings.ToUpper(c.get("location"))
	if loc == "" {
		return errf("presets/list: location is required")
	}
	if !validLocation(loc) {
		return errf("presets/list: unknown location %s", loc)
	}
	list := []any{}
	for _, p := range st.presets {
		if contains(p.Locations, loc) {
			list = append(list, st.presetJSON(p, loc))
		}
	}
	return obj{"result": "OK", "module": "presets", "action": "list", "presets": list}
}

func (st *state) presetsGroups(c *call) any {
	seen := map[string]bool{}
	groups := []any{}
	for _, p := range st.presets {
		if !seen[p.Group] {
			seen[p.Group] = true
			groups = append(groups, obj{"id": len(groups) + 1, "name": p.Group})
		}
	}
	return obj{"result": "OK", "groups": groups}
}

// presetsInfo answers as HOSTKEY's WHMCS module imports it: per preset its
// price by location then currency (in the currencies asked for, EUR and USD
// by default), its OS[] and soft[] with prices, and its traffic_plans by
// location. The old name currency is not read.
func (st *state) presetsInfo(c *call) any {
	curs := splitList(strings.ToUpper(c.get("currencies")))
	if len(curs) == 0 {
		curs = []string{"EUR", "USD"}
	}
	pick := func(prices map[string]string) obj {
		out := obj{}
		for _, cur := range curs {
			if v, ok := prices[cur]; ok {
				out[cur] = v
			}
		}
		return out
	}
	list := []any{}
	for _, p := range st.presets {
		if id := c.get("id"); id != "" && id != strconv.Itoa(p.ID) && !strings.EqualFold(id, p.Name) {
			continue
		}
		o := st.presetJSON(p, "")
		price := obj{}
		for loc, m := range p.Prices {
			price[loc] = pick(m)
		}
		o["price"] = price
		oses := []any{}
		for _, os := range st.oses {
			if osCompatible(os, p.Type) {
				op := map[string]string{"EUR": "0.00", "USD": "0.00"}
				if os.PricePerCoreEUR != "" {
					op = map[string]string{"EUR": "40.00", "USD": "44.00"}
				}
				oses = append(oses, obj{"id": os.ID, "name": os.Name, "price": pick(op)})
			}
		}
		o["OS"] = oses
		soft := []any{}
		for _, sw := range softwareList {
			soft = append(soft, obj{"id": sw["id"], "name": sw["name"], "description": sw["name"],
				"price": pick(map[string]string{"EUR": sw["price"].(string)})})
		}
		o["soft"] = soft
		plans := obj{}
		for _, loc := range p.Locations {
			l := []any{}
			for _, tp := range st.plans {
				if contains(tp.Locations, loc) {
					l = append(l, obj{"id": tp.ID, "name": tp.Name, "price": pick(tp.Prices)})
				}
			}
			plans[loc] = l
		}
		o["traffic_plans"] = plans
		list = append(list, o)
	}
	return obj{"result": "OK", "presets": list}
}

// presetsSearch answers under servers, as a third-party client reads it:
// the matching servers in stock, with id (stocks.php show) and location.
// AlternativeShapes answers the matching presets under presets.
func (st *state) presetsSearch(c *call) any {
	name, loc := strings.ToLower(c.get("name")), strings.ToUpper(c.get("location"))
	list := []any{}
	for _, p := range st.presets {
		if name != "" && !strings.Contains(strings.ToLower(p.Name), name) {
			continue
		}
		if loc != "" && !contains(p.Locations, loc) {
			continue
		}
		if st.quirks.AlternativeShapes {
			list = append(list, st.presetJSON(p, loc))
			continue
		}
		for _, s := range stockIDs {
			if (loc == "" || s.loc == loc) && contains(p.Locations, s.loc) {
				list = append(list, obj{"id": s.id, "name": p.Name, "location": s.loc})
			}
		}
	}
	if st.quirks.AlternativeShapes {
		return obj{"result": "OK", "presets": list}
	}
	return obj{"result": "OK", "servers": list}
}

func (st *state) presetsShow(c *call) any {
	key := c.get("id")
	if key == "" {
		key = c.get("name")
	}
	if key == "" {
		key = c.get("preset")
	}
	p := st.presetByName(key)
	if p == nil {
		return errf("presets/show: preset not found")
	}
	return obj{"result": "OK", "preset": st.presetJSON(*p, strings.ToUpper(c.get("location")))}
}

func osJSON(o OS) obj {
	tags := make([]any, len(o.Tags))
	for i, t := range o.Tags {
		tags[i] = t
	}
	r := obj{"id": o.ID, "name": o.Name, "family": o.Family, "tags": tags, "min_ram": o.MinRAM, "min_hdd": o.MinHDD}
	if o.PricePerCoreEUR != "" {
		r["price_per_core_EUR"] = o.PricePerCoreEUR
	}
	return r
}

// osCompatible reports whether an OS runs on a machine of type kind
// ("bm", "vm", "gpu", "vgpu").
func osCompatible(o OS, kind string) bool { return kind == "" || contains(o.Tags, kind) }

func equipmentKind(e *Equipment) string {
	if e.Type == "VPS" {
		return "vm"
	}
	if contains(e.Groups, "Gpu") {
		return "gpu"
	}
	return "bm"
}

func (st *state) osList(c *call) any {
	kind := ""
	if id := c.get("id"); id != "" {
		if c.sess == nil {
			return st.invalidToken()
		}
		e, errr := st.serverFor(c, "id")
		if errr != nil {
			return errr
		}
		kind = equipmentKind(e)
	} else if iid := firstOf(c, "instance_id", "instance", "preset"); iid != "" {
		p := st.presetByName(iid)
		if p == nil {
			return errf("os/list: unknown instance %s", iid)
		}
		kind = p.Type
	}
	if bp := c.get("bill_period"); bp != "" && !validPeriod(bp) {
		return errf("os/list: unknown bill_period %s", bp)
	}
	list, excluded := []any{}, []any{}
	for _, o := range st.oses {
		if osCompatible(o, kind) {
			j := osJSON(o)
			j["active"] = 1
			list = append(list, j)
		} else {
			excluded = append(excluded, obj{"id": o.ID, "name": o.Name})
		}
	}
	// os_list / os_excluded, where HOSTKEY's Terraform provider and two
	// third-party clients read them; AlternativeShapes: os / excluded.
	if st.quirks.AlternativeShapes {
		return obj{"result": "OK", "module": "os", "action": "list", "os": list, "excluded": excluded}
	}
	return obj{"result": "OK", "module": "os", "action": "list", "os_list": list, "os_excluded": excluded}
}

// validPeriod reports a billing period HOSTKEY's clients send.
func validPeriod(p string) bool {
	switch p {
	case "hourly", "monthly", "quarterly", "semi-annually", "annually":
		return true
	}
	return false
}

func (st *state) trafficPlansList(c *call) any {
	loc := strings.ToUpper(c.get("location"))
	if loc != "" && !validLocation(loc) {
		return errf("traffic_plans/list: unknown location %s", loc)
	}
	if iid := firstOf(c, "instance_id", "instance"); iid != "" && st.presetByName(iid) == nil {
		return errf("traffic_plans/list: unknown instance %s", iid)
	}
	list := []any{}
	for _, p := range st.plans {
		if loc != "" && !contains(p.Locations, loc) {
			continue
		}
		// As HOSTKEY's Terraform provider reads it: a numeric price (in
		// the currency currency_id names: 1 EUR), active, main_plan and
		// locations as a comma string. AlternativeShapes: prices by currency.
		row := obj{"id": p.ID, "name": p.Name, "speed": p.Speed, "traffic": p.Traffic, "active": 1,
			"main_plan": boolInt(p.ID == st.plans[0].ID), "currency_id": 1, "location": firstOr(loc, p.Locations[0]),
			"locations": strings.Join(p.Locations, ",")}
		if st.quirks.AlternativeShapes {
			price := obj{}
			for k, v := range p.Prices {
				price[k] = v
			}
			row["price"] = price
		} else {
			cents, _ := parseMoney(p.Prices["EUR"])
			row["price"] = float64(cents) / 100
		}
		list = append(list, row)
	}
	return obj{"result": "OK", "module": "traffic_plans", "action": "list", "traffic_plans": list}
}

func (st *state) jenkinsGetTasks(c *call) any {
	return obj{"result": "OK", "tasks": cloneList(jenkinsTasks)}
}

// jenkinsCall runs a post-install task on a server, as HOSTKEY's MCP
// server sends it: id, task (an id or a name), params[...]. It answers a
// callback key whose OK scope names the task.
func (st *state) jenkinsCall(c *call) any {
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		return errr
	}
	want := c.get("task")
	if want == "" {
		return errf("jenkins/call: task is required")
	}
	for _, t := range jenkinsTasks {
		if fmt.Sprint(t["id"]) == want || strings.EqualFold(fmt.Sprint(t["name"]), want) {
			op := st.newOp(c, "eq_callback", e)
			op.scope = "Task " + fmt.Sprint(t["name"]) + " completed"
			params := obj{}
			for k, v := range c.form {
				if name, ok := strings.CutPrefix(k, "params["); ok && strings.HasSuffix(name, "]") && len(v) > 0 {
					params[strings.TrimSuffix(name, "]")] = v[0]
				}
			}
			op.context["task"], op.context["params"] = t["id"], params
			return accepted(c.action, op, nil)
		}
	}
	return errf("jenkins/call: unknown task %s", want)
}

func (st *state) softwareListAction(c *call) any {
	if loc := strings.ToUpper(c.get("location")); loc != "" && !validLocation(loc) {
		return errf("software/list: unknown location %s", loc)
	}
	if bp := c.get("bill_period"); bp != "" && !validPeriod(bp) {
		return errf("software/list: unknown bill_period %s", bp)
	}
	return obj{"result": "OK", "software": cloneList(softwareList)}
}

func stockJSON(id int, loc string) obj {
	return obj{"id": id, "name": "Stock server " + strconv.Itoa(id), "location": loc, "group": "1CPU",
		"cpu": "Intel Xeon E3-1230v6", "ram": 32, "hdd": "2x480 SSD", "price": obj{"EUR": "45.00", "USD": "49.00"}}
}

var stockIDs = []struct {
	id  int
	loc string
}{{9001, "NL"}, {9002, "NL"}, {9003, "US"}}

func (st *state) stocksList(c *call) any {
	loc := strings.ToUpper(c.get("location"))
	list := []any{}
	for _, s := range stockIDs {
		if loc == "" || loc == s.loc {
			list = append(list, stockJSON(s.id, s.loc))
		}
	}
	return obj{"result": "OK", "stocks": list}
}

func (st *state) stocksShow(c *call) any {
	id := c.get("id")
	for _, s := range stockIDs {
		if strconv.Itoa(s.id) == id {
			return obj{"result": "OK", "stock": stockJSON(s.id, s.loc)}
		}
	}
	return errf("stocks/show: Nothing found for id")
}

func firstOf(c *call, names ...string) string {
	for _, n := range names {
		if v := c.get(n); v != "" {
			return v
		}
	}
	return ""
}

func cloneList(l []obj) []any {
	out := make([]any, len(l))
	for i, o := range l {
		cp := obj{}
		for k, v := range o {
			cp[k] = v
		}
		out[i] = cp
	}
	return out
}
