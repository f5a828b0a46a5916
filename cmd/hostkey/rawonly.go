package main

// rawOnly lists the SDK actions no command wraps, each with the reason; they
// are reachable with hostkey raw MODULE ACTION key=value... (Client.Do).
// TestEveryActionReachable fails when an SDK action is neither here nor
// called by a command, so a new SDK action needs a decision.
var rawOnly = map[string]string{
	"nat.php clear_static_nat":  "stale NAT rule cleanup, a maintenance call HOSTKEY's MCP server exposes; ipmi open/close manage NAT day to day",
	"nat.php drop_nat":          "deletes a NAT record from InvAPI's database: maintenance, use hostkey raw",
	"pdns.php list_subdomains":  "PowerDNS subdomain and zone administration HOSTKEY's MCP server uses; zone/record cover day-to-day DNS",
	"pdns.php add_subdomain":    "PowerDNS subdomain and zone administration HOSTKEY's MCP server uses; zone/record cover day-to-day DNS",
	"pdns.php edit_subdomain":   "PowerDNS subdomain and zone administration HOSTKEY's MCP server uses; zone/record cover day-to-day DNS",
	"pdns.php delete_subdomain": "PowerDNS subdomain and zone administration HOSTKEY's MCP server uses; zone/record cover day-to-day DNS",
	"pdns.php add_zone":         "PowerDNS subdomain and zone administration HOSTKEY's MCP server uses; zone/record cover day-to-day DNS",
	"pdns.php delete_zone":      "PowerDNS subdomain and zone administration HOSTKEY's MCP server uses; zone/record cover day-to-day DNS",
	"auth.php 2fa_resend":       "interactive 2FA is handled by the login prompt; resending the code is a browser flow",
	"auth.php billing_list":     "billing entities: account administration, done once in the panel",
	"auth.php email_check":      "e-mail verification: a panel flow with a mailed code",
	"auth.php flip_tag":         "customer account tags: panel settings, not server tags (tag add/remove)",
	"auth.php set_tag":          "customer account tags: panel settings, not server tags (tag add/remove)",
	"auth.php get_log":          "the authorization log: rarely needed from a shell",
	"auth.php get_log_details":  "the authorization log: rarely needed from a shell",
	"auth.php github_init":      "single sign-on: a browser flow",
	"auth.php github_signin":    "single sign-on: a browser flow",
	"auth.php google_signin":    "single sign-on: a browser flow",
	"auth.php vk_init":          "single sign-on: a browser flow",
	"auth.php vk_signin":        "single sign-on: a browser flow",
	"auth.php tg_verify":        "Telegram notification link: a panel flow",
	"auth.php session_reset":    "takes the reset token from the 'was this you?' e-mail: a browser flow",

	"eq.php announceip":            "BGP announcements: undocumented parameters, for experts (raw eq announceip id=... subnet=...)",
	"eq.php getserversforannounce": "BGP announcements: undocumented parameters, for experts",
	"eq.php console":               "the SPICE .vv console file: server console (NoVNC) is the supported console",
	"eq.php ovirt_novnc":           "oVirt consoles: server console covers NoVNC",
	"eq.php deploy":                "an administrator's deployment; customers order with hostkey order",
	"eq.php get_upgrade_key":       "upgrade keys come with upgrade invoices from the panel",
	"eq.php traffic_add":           "charges, with an undocumented amount field: raw eq traffic_add id=... --charges",
	"eq_callback.php reinstall":    "worker-facing: HOSTKEY's installers report stages through it; clients only read them",

	"whmcs.php add_contact":         "billing contacts: account administration, done in the panel",
	"whmcs.php delete_contact":      "billing contacts: account administration, done in the panel",
	"whmcs.php get_contacts":        "billing contacts: account administration, done in the panel",
	"whmcs.php update_contact":      "billing contacts: account administration, done in the panel",
	"whmcs.php update_client":       "the billing profile: account administration, done in the panel",
	"whmcs.php get_clientgroups":    "customer groups: administration",
	"whmcs.php reset_password":      "password reset: a mailed-link flow",
	"whmcs.php get_product_invoice": "a product's invoice: invoice server ID lists a server's invoices",

	"s3.php get_available_locations": "S3 locations: s3 plans lists each plan's location",
	"s3.php update_traffic_info":     "administrators only (HOSTKEY's MCP server says so)",
	"vm.php get_engine":              "the virtualization engine's name: informational (raw vm get_engine)",
	"jenkins.php call":               "runs a post-install task: raw jenkins call id=... task=... params[x]=... (no command yet)",
}
