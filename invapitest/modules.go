package invapitest

// handler serves one action. It returns an obj (JSON answer), an
// *apiError or a *rawReply. Called with the server lock held.
type handler func(st *state, c *call) any

// actionSpec describes one action.
type actionSpec struct {
	fn           handler
	noAuth       bool // served without a token
	optionalAuth bool // noAuth, but a token sent is checked
	pin          bool // needs the account PIN in field pin
	during2FA    bool // allowed while the session waits for its 2FA code
}

func tok(fn handler) *actionSpec      { return &actionSpec{fn: fn} }
func pinned(fn handler) *actionSpec   { return &actionSpec{fn: fn, pin: true} }
func public(fn handler) *actionSpec   { return &actionSpec{fn: fn, noAuth: true} }
func optional(fn handler) *actionSpec { return &actionSpec{fn: fn, noAuth: true, optionalAuth: true} }

// modules maps module → action → spec: every module and action of the
// catalogue (endpoints.json).
var modules = map[string]map[string]*actionSpec{
	"auth": {
		"login":           public((*state).authLogin),
		"whmcslogin":      public((*state).authWHMCSLogin),
		"logout":          {fn: (*state).authLogout, during2FA: true},
		"info":            tok((*state).authInfo),
		"2fa_check":       {fn: (*state).auth2FACheck, during2FA: true},
		"2fa_resend":      {fn: (*state).auth2FAResend, during2FA: true},
		"billing_list":    tok((*state).authBillingList),
		"email_check":     tok((*state).authEmailCheck),
		"flip_tag":        tok((*state).authFlipTag),
		"get_log":         tok((*state).authGetLog),
		"get_log_details": tok((*state).authGetLogDetails),
		"github_init":     public(authSSOInit("github")),
		"github_signin":   tok((*state).authSSOSignin),
		"google_signin":   public((*state).authSSOSignin),
		"session_reset":   public((*state).authSessionReset),
		"set_tag":         tok((*state).authSetTag),
		"tg_verify":       tok((*state).authTgVerify),
		"vk_init":         public(authSSOInit("vk")),
		"vk_signin":       public((*state).authSSOSignin),
	},
	"eq": {
		"list":                  tok((*state).eqList),
		"search":                tok((*state).eqList),
		"unified_server_search": tok((*state).eqUnifiedSearch),
		"show":                  tok((*state).eqShow),
		"status":                tok((*state).eqStatus),
		"status_check":          tok((*state).eqStatusCheck),
		"update_servers":        tok((*state).eqUpdateServers),
		"on":                    pinned((*state).eqPower),
		"off":                   pinned((*state).eqPower),
		"reboot":                pinned((*state).eqPower),
		"unit_reset":            pinned((*state).eqPower),
		"hard_off":              tok((*state).eqHardOff),
		"suspend":               tok((*state).eqSuspend),
		"unsuspend":             tok((*state).eqSuspend),
		"sensors":               tok((*state).eqSensors),
		"console":               pinned((*state).eqConsole),
		"novnc":                 tok((*state).eqConsole),
		"recreate_novnc":        tok((*state).eqConsole),
		"stop_novnc":            tok((*state).eqConsole),
		"ovirt_novnc":           tok((*state).eqConsole),
		"add_ipmi_user":         tok((*state).eqAddIPMIUser),
		"add_ipmi_admin":        tok((*state).eqAddIPMIUser),
		"remove_ipmi_user":      tok((*state).eqRemoveIPMIUser),
		"get_ipmi":              tok((*state).eqGetIPMI),
		"set_pin":               tok((*state).eqSetPIN),
		"check_pin":             pinned((*state).eqCheckPIN),
		"boot_dev":              pinned((*state).eqBootDev),
		"create_pxe":            pinned((*state).eqCreatePXE),
		"clear_pxe":             tok((*state).eqClearPXE),
		"reinstall":             tok((*state).eqReinstall),
		"abort_reinstall":       tok((*state).eqAbortReinstall),
		"order_instance":        pinned((*state).eqOrderInstance),
		"deploy":                tok((*state).eqOrderInstance),
		"backup_list":           tok((*state).eqBackup),
		"create_backup":         tok((*state).eqBackup),
		"delete_backup":         tok((*state).eqBackup),
		"restore_backup":        tok((*state).eqBackup),
		"request_backup_link":   tok((*state).eqBackup),
		"check_backup_lock":     tok((*state).eqBackup),
		"backup_get_schedule":   tok((*state).eqBackup),
		"backup_save_schedule":  tok((*state).eqBackup),
		"groups":                tok((*state).eqGroups),
		"history":               tok((*state).eqHistory),
		"get_traffic":           tok((*state).eqGetTraffic),
		"traffic_add":           tok((*state).eqTrafficAdd),
		"get_upgrade_key":       tok((*state).eqGetUpgradeKey),
		"announceip":            tok((*state).eqAnnounce),
		"getserversforannounce": tok((*state).eqAnnounce),
		"rename_server":         tok((*state).eqRenameServer),
	},
	"eq_callback": {
		"check":     public((*state).callbackCheck),
		"reinstall": public((*state).callbackReinstall),
	},
	"nat_callback": {
		"check": public((*state).callbackCheck),
	},
	"nat": {
		"add_static_nat":    pinned((*state).natAdd),
		"remove_static_nat": tok((*state).natRemove),
		"clear_static_nat":  tok((*state).natClear),
		"drop_nat":          tok((*state).natDrop),
	},
	"net": {
		"get_status":     pinned((*state).netAsync),
		"port_off":       pinned((*state).netAsync),
		"port_on":        pinned((*state).netAsync),
		"block_ip":       pinned((*state).netAsync),
		"unblock_ip":     pinned((*state).netAsync),
		"show_cacti":     pinned((*state).netShowCacti),
		"add_ipv4":       tok((*state).netAddIPv4),
		"remove_ipv4":    tok((*state).netRemoveIPv4),
		"show_ipv4_free": tok((*state).netShowIPv4Free),
	},
	"ip": {
		"get_ip":        tok((*state).ipGetIP),
		"get_ptr":       tok((*state).ipGetPTR),
		"update_ptr":    tok((*state).ipUpdatePTR),
		"set_main":      tok((*state).ipSetMain),
		"get_client_ip": tok((*state).ipGetClientIP),
		"get_traffic":   tok((*state).ipGetTraffic),
		"list_free_ip":  tok((*state).ipListFree),
	},
	"tags": {
		"add":         tok((*state).tagsAdd),
		"remove":      tok((*state).tagsRemove),
		"list":        tok((*state).tagsList),
		"user_search": tok((*state).tagsUserSearch),
	},
	"presets": {
		"list":   public((*state).presetsList),
		"groups": optional((*state).presetsGroups), // mcp: no token
		"info":   optional((*state).presetsInfo),   // mcp, whmcs: no token
		"search": tok((*state).presetsSearch),
		"show":   tok((*state).presetsShow),
	},
	"os": {
		"list": optional((*state).osList),
	},
	"traffic_plans": {
		"list": optional((*state).trafficPlansList),
	},
	"jenkins": {
		"get_tasks": public((*state).jenkinsGetTasks),
		"call":      tok((*state).jenkinsCall), // not in the catalogue: HOSTKEY's MCP server
	},
	"software": {
		"list": optional((*state).softwareListAction), // mcp: no token
	},
	"stocks": {
		"list": optional((*state).stocksList), // mcp: no token
		"show": optional((*state).stocksShow),
	},
	"jira": {
		"request_pon":        tok((*state).jiraRequest),
		"request_poff":       tok((*state).jiraRequest),
		"request_reboot":     tok((*state).jiraRequest),
		"request_PXEboot":    tok((*state).jiraRequest),
		"request_kvm":        tok((*state).jiraRequest),
		"request_check":      tok((*state).jiraRequest),
		"request_assistance": tok((*state).jiraAssistance),
	},
	"rhr": {
		"add":     tok((*state).rhrAdd),
		"chat":    tok((*state).rhrChat),
		"discard": tok((*state).rhrDiscard),
		"list":    tok((*state).rhrList),
	},
	"whmcs": {
		"get_client":                        tok((*state).whmcsGetClient),
		"update_client":                     tok((*state).whmcsUpdateClient),
		"create_addfunds":                   tok((*state).whmcsCreateAddFunds),
		"getpaymentgw":                      tok((*state).whmcsGetPaymentGW),
		"get_billing_data":                  tok((*state).whmcsGetBillingData),
		"get_invoice":                       tok((*state).whmcsGetInvoice),
		"get_invoices":                      tok((*state).whmcsGetInvoices),
		"get_product_invoice":               tok((*state).whmcsGetProductInvoice), // not in the catalogue: HOSTKEY's WHMCS module
		"get_related_invoices":              tok((*state).whmcsGetRelatedInvoices),
		"download_invoice":                  tok((*state).whmcsDownloadInvoice),
		"generate_due_invoice":              tok((*state).whmcsGenerateDueInvoice),
		"apply_credit":                      tok((*state).whmcsApplyCredit),
		"mass_pay":                          tok((*state).whmcsMassPay),
		"getcredits":                        tok((*state).whmcsGetCredits),
		"transactions":                      tok((*state).whmcsTransactions),
		"get_clientgroups":                  tok((*state).whmcsGetClientGroups),
		"get_contacts":                      tok((*state).whmcsGetContacts),
		"add_contact":                       tok((*state).whmcsAddContact),
		"update_contact":                    tok((*state).whmcsUpdateContact),
		"delete_contact":                    tok((*state).whmcsDeleteContact),
		"request_cancellation":              tok((*state).whmcsRequestCancellation),
		"request_subscription_cancellation": tok((*state).whmcsRequestCancellation),
		"get_cancellation_requests":         tok((*state).whmcsGetCancellationRequests),
		"delete_cancellation_request":       tok((*state).whmcsDeleteCancellationRequest),
		"reset_password":                    public((*state).whmcsResetPassword),
	},
	"api_keys": {
		"add":             tok((*state).apiKeysAdd),
		"delete":          tok((*state).apiKeysDelete),
		"edit":            tok((*state).apiKeysEdit),
		"history":         tok((*state).apiKeysHistory),
		"list":            tok((*state).apiKeysList),
		"list_for_server": tok((*state).apiKeysList),
		"view":            tok((*state).apiKeysView),
	},
	"iso": {
		"add":         tok((*state).isoAdd),
		"upload":      tok((*state).isoAdd),
		"delete":      tok((*state).isoDelete),
		"list_iso":    tok((*state).isoList),
		"uploaded":    tok((*state).isoList),
		"mount_iso":   tok((*state).isoMount),
		"unmount_iso": tok((*state).isoMount),
	},
	"pdns": {
		"add_domain":       tok((*state).pdnsAddDomain),
		"delete_domain":    tok((*state).pdnsDeleteDomain),
		"list_domains":     tok((*state).pdnsListDomains),
		"list_zones":       tok((*state).pdnsListDomains),
		"view_zone":        tok((*state).pdnsViewZone),
		"add_dns":          tok((*state).pdnsAddDNS),
		"delete_dns":       tok((*state).pdnsDeleteDNS),
		"get_cb_url":       tok((*state).pdnsGetCBURL),
		"list_subdomains":  tok((*state).pdnsListSubdomains),
		"add_subdomain":    tok((*state).pdnsAddSubdomain),
		"edit_subdomain":   tok((*state).pdnsEditSubdomain),
		"delete_subdomain": tok((*state).pdnsDeleteSubdomain),
		"add_zone":         tok((*state).pdnsAddZone),
		"delete_zone":      tok((*state).pdnsDeleteZone),
	},
	"s3": {
		"list_plans":                      tok((*state).s3ListPlans),
		"create_account":                  tok((*state).s3CreateAccount),
		"create_order":                    tok((*state).s3CreateAccount),
		"delete_account":                  tok((*state).s3DeleteAccount),
		"delete_payment_account":          tok((*state).s3DeletePaymentAccount),
		"cancel_payment_account_deletion": tok((*state).s3DeletePaymentAccount),
		"get_users":                       tok((*state).s3GetUsers),
		"show_key":                        tok((*state).s3ShowKey),
		"create_bucket":                   tok((*state).s3CreateBucket),
		"delete_bucket":                   tok((*state).s3DeleteBucket),
		"get_buckets":                     tok((*state).s3GetBuckets),
		"get_buckets_rmq":                 tok((*state).s3GetBuckets),
		"get_files":                       tok((*state).s3GetFiles),
		"delete_file":                     tok((*state).s3DeleteFile),
		"history":                         tok((*state).s3History),
		// Not in the catalogue: HOSTKEY's MCP server calls them.
		"get_available_locations": tok((*state).s3GetAvailableLocations),
		"update_traffic_info":     tok((*state).s3UpdateTrafficInfo),
	},
	"vm": {
		"create_snapshot":         tok((*state).vmSnapshot),
		"get_snapshot":            tok((*state).vmSnapshot),
		"remove_snapshot":         tok((*state).vmSnapshot),
		"restore_snapshot":        tok((*state).vmSnapshot),
		"update_restore_settings": tok((*state).vmSnapshot),
		"load_stats":              tok((*state).vmLoadStats),
		"get_engine":              tok((*state).vmGetEngine), // not in the catalogue: HOSTKEY's MCP server
	},
	// ssh_keys.php is not in the catalogue: HOSTKEY's Terraform provider uses it.
	"ssh_keys": {
		"list":   tok((*state).sshKeysList),
		"add":    tok((*state).sshKeysAdd),
		"delete": tok((*state).sshKeysDelete),
	},
}
