package standin

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// wireRule is what one action may carry, from evidence.md §1 ("HOSTKEY
// clients send") and the vendor's parameter tables (api-docs 001, 004).
// action and token are checked separately; pin is allowed only where 001
// documents one (no HOSTKEY client ever sends it, evidence §3).
type wireRule struct {
	row      string     // the evidence.md row this rests on
	required [][]string // each inner list: at least one of these names is sent
	allowed  []string
	pin      bool                // 001 documents a pin for it
	values   map[string][]string // the values HOSTKEY's clients send, where they are fixed
	noToken  bool                // HOSTKEY's clients send it without a token (a token is tolerated unless tokenBad)
	tokenBad bool                // a token makes the live API refuse it
}

func names(s ...string) []string { return s }
func one(s ...string) [][]string {
	out := make([][]string, len(s))
	for i, n := range s {
		out[i] = []string{n}
	}
	return out
}

var wireRules = map[string]wireRule{
	"auth/login": {row: "§1 auth/login: key, ttl=3600 (tf auth.go, mcp client.ts), fix_ip=0 (mcp)",
		required: one("key", "ttl"), allowed: names("key", "ttl", "fix_ip"), noToken: true},
	"auth/info":   {row: "§1 auth/info: — (mcp account.ts)"},
	"auth/logout": {row: "§1 auth/logout: — (mcp)"},
	"eq/list": {row: "§1 eq/list: location, status, ip, mac, group (mcp); none (tf); 001/004 tables add component, id, full, type",
		allowed: names("id", "location", "status", "component", "ip", "mac", "group", "full", "type")},
	"eq/show":           {row: "§1 eq/show: id (mcp, tf eq.go, whmcs)", required: one("id"), allowed: names("id")},
	"eq/update_servers": {row: "§1 eq/update_servers: — (mcp, tf)"},
	"eq/on":             {row: "§1 eq/on, off, reboot: id (mcp power.ts, tf eq_power.go)", required: one("id"), allowed: names("id"), pin: true},
	"eq/off":            {row: "§1 eq/on, off, reboot: id (mcp power.ts, tf eq_power.go)", required: one("id"), allowed: names("id"), pin: true},
	"eq/reboot":         {row: "§1 eq/on, off, reboot: id (mcp power.ts, tf eq_power.go)", required: one("id"), allowed: names("id"), pin: true},
	"eq/order_instance": {row: "§1b eq/order_instance field by field (tf eq.go, mcp order.ts, whmcs fillOrderCall)",
		required: one("preset", "location_name", "os_id", "traffic_plan", "deploy_period", "root_pass", "hostname"),
		allowed: names("preset", "location_name", "os_id", "traffic_plan", "root_pass", "hostname", "ssh_key", "soft_id",
			"post_install_script", "deploy_period", "deploy_notify", "post_install_callback", "promocode", "own_os", "email",
			"currency_code", "os_name", "soft_name", "disk_mirror", "no_lvm", "root_size", "ipv4_amount", "vlan",
			"custom_domain", "os_template", "deploy_options", "private_vlan", "ipv6", "jenkins_task"),
		pin: true,
		values: map[string][]string{
			"deploy_period": {"monthly", "quarterly", "semi-annually", "annually", "hourly"},
			"deploy_notify": {"true", "false", "1", "0"},
		}},
	"eq/reinstall": {row: "§1 eq/reinstall: id (mcp pxe.ts); 001 Stage 0: id only", required: one("id"), allowed: names("id")},
	"eq/create_pxe": {row: "§1 eq/create_pxe: id, os_id, root_pass, hostname, ssh_key, post_install_callback, post_install_script, reinstall_key (mcp pxe.ts; 001 table)",
		required: one("id", "os_id", "root_pass", "hostname", "reinstall_key"),
		allowed: names("id", "os_id", "os_name", "root_pass", "hostname", "ssh_key", "post_install_callback", "post_install_script",
			"reinstall_key", "email", "disk_mirror", "uefi", "root_size", "custom_domain", "cloud_init_script", "deploy_options",
			"no_lvm", "own_os", "jenkins_task"),
		pin: true},
	"eq/boot_dev": {row: "§1 eq/boot_dev: id, media=pxe/disk/cd (mcp); 004 adds boot_mode",
		required: one("id", "media"), allowed: names("id", "media", "boot_mode"), pin: true,
		values: map[string][]string{"media": {"pxe", "disk", "cd"}, "boot_mode": {"uefi", "legacy", "auto"}}},
	"eq/clear_pxe": {row: "§1 eq/clear_pxe: id, hostname (mcp, required; 001 required)",
		required: one("id", "hostname"), allowed: names("id", "hostname")},
	"eq/add_ipmi_user": {row: "§1 eq/add_ipmi_user: id (mcp); 004 adds admin_user, admin_pass",
		required: one("id"), allowed: names("id", "admin_user", "admin_pass")},
	"eq/remove_ipmi_user": {row: "§1 eq/remove_ipmi_user: id only (mcp); 004 adds username",
		required: one("id"), allowed: names("id", "username")},
	"eq_callback/check": {row: "§1 eq_callback/check: key, no tok. (mcp client.ts); key + token (tf callback.go)",
		required: one("key"), allowed: names("key"), noToken: true},
	"nat_callback/check": {row: "001 nat_callback.php?action=check&key=XXXX", required: one("key"), allowed: names("key"), noToken: true},
	"nat/add_static_nat": {row: "§1 nat/add_static_nat: id (mcp remote.ts); 001: id, pin. ip_acl and ttl are the SDK's guesses",
		required: one("id"), allowed: names("id"), pin: true},
	"nat/remove_static_nat": {row: "§1 nat/remove_static_nat: id (mcp)", required: one("id"), allowed: names("id")},
	"tags/list":             {row: "§1 tags/list: id (mcp); id, component=eq (tf tags.go)", required: one("id"), allowed: names("id", "component")},
	"tags/add": {row: "§1 tags/add: id, tag, value (tf); 001 adds extra, 002 id_list",
		required: [][]string{{"id", "id_list"}, {"tag"}, {"value"}}, allowed: names("id", "id_list", "tag", "value", "extra")},
	"tags/remove": {row: "§1 tags/remove: tag, component=eq, component_id, id (tf); 001: id, tag",
		required: [][]string{{"id", "component_id", "id_list"}, {"tag"}}, allowed: names("id", "id_list", "tag", "component", "component_id")},
	"presets/list": {row: "§1 presets/list: location, no tok. (mcp catalog.ts); location with token (tf catalog.go)",
		required: one("location"), allowed: names("location"), noToken: true},
	"os/list": {row: "§1 os/list: instance_id, no tok. (mcp); location, id, instance_id, bill_period (tf); bill_period=monthly (3p)",
		required: [][]string{{"id", "instance_id"}}, allowed: names("id", "instance_id", "location", "bill_period"), noToken: true},
	"whmcs/get_client":   {row: "§1 whmcs get_client: — (mcp, whmcs)"},
	"whmcs/get_invoices": {row: "§1 whmcs get_invoices: — (mcp; tf-com invoice_payment.go); SDK filters location, status", allowed: names("location", "status")},
	"whmcs/get_invoice": {row: "§1 whmcs get_invoice: invoice_id (mcp, tf-com); + location (whmcs)",
		required: one("invoice_id"), allowed: names("invoice_id", "location")},
	"traffic_plans/list": {row: "§1 traffic_plans/list: location, instance_id (mcp); location, id, instance (tf); no tok.",
		allowed: names("location", "instance_id", "instance", "id"), noToken: true, tokenBad: true},
}

// checkFields compares one request with its rule and returns what differs.
func checkFields(r wireRequest) []string {
	name := r.Module + "/" + r.Action
	rule, ok := wireRules[name]
	if !ok {
		return []string{fmt.Sprintf("%s has no evidence row here: the stand-in does not know it (answered %q)", name, r.Answer)}
	}
	var probs []string
	sent := map[string]bool{}
	for k := range r.Fields {
		sent[k] = true
	}
	for _, alts := range rule.required {
		if !slices.ContainsFunc(alts, func(n string) bool { return sent[n] }) {
			probs = append(probs, fmt.Sprintf("%s: %s not sent (evidence %s)", name, strings.Join(alts, " or "), rule.row))
		}
	}
	var extra []string
	for k := range sent {
		switch {
		case k == "action":
		case k == "token":
			if rule.tokenBad {
				probs = append(probs, fmt.Sprintf("%s: sent with a token, which the live API often refuses (evidence %s)", name, rule.row))
			}
		case k == "pin":
			if !rule.pin {
				probs = append(probs, fmt.Sprintf("%s: the PIN was sent where no source asks for one", name))
			}
		case !slices.Contains(rule.allowed, k):
			extra = append(extra, k)
		}
	}
	if len(extra) > 0 {
		sort.Strings(extra)
		probs = append(probs, fmt.Sprintf("%s: sends %s, which neither HOSTKEY's clients nor the vendor tables use (evidence %s)",
			name, strings.Join(extra, ", "), rule.row))
	}
	if !sent["token"] && !rule.noToken && name != "auth/login" {
		probs = append(probs, name+": sent without a session token")
	}
	for k, want := range rule.values {
		for _, v := range r.Fields[k] {
			if !slices.Contains(want, v) {
				probs = append(probs, fmt.Sprintf("%s: %s=%q, HOSTKEY's clients send one of %v (evidence %s)", name, k, v, want, rule.row))
			}
		}
	}
	for k, v := range r.Fields {
		if len(v) > 1 {
			probs = append(probs, fmt.Sprintf("%s: %s sent %d times", name, k, len(v)))
		}
	}
	return probs
}
