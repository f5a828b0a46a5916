// Package invapitest provides an in-memory, stateful simulator of HOSTKEY's
// InvAPI for tests, in the spirit of net/http/httptest.
//
// NewServer starts the simulator on a loopback address; Server.URL is the
// base URL, and calls go to URL + "/{module}.php" exactly as to
// https://invapi.hostkey.com. It speaks only the wire (form-encoded POST
// bodies in, loosely typed JSON out), so any client can be tested against
// it, including the invapi SDK and plain net/http code.
//
// # What it simulates
//
// Every module and action of the InvAPI catalogue has a handler; unknown
// module files answer an HTTP 404 HTML page and unknown actions
// {"code":-1,"message":"Unknown action"}.
//
//   - Sessions: auth login (key=API key, account-wide or per-server),
//     whmcslogin (user, password, fix_ip, ttl) with optional 2FA
//     (2fa_check, 2fa_resend), info and logout. Tokens expire on the
//     simulated clock (Server.Advance). A missing, unknown or expired token
//     answers {"code":-2,"message":"Invalid token","description":"Token
//     missing or invalid"} with HTTP 200 (WithUnauthorizedStatus changes
//     the status). Secrets are read only from the body: a token in the URL
//     query answers as an invalid token.
//   - PIN: the actions the catalogue marks PIN-protected (eq on, off,
//     reboot, unit_reset, console, boot_dev, create_pxe, check_pin,
//     order_instance; nat add_static_nat; net get_status, port_on,
//     port_off, show_cacti, block_ip, unblock_ip) answer "PIN required" or
//     "Wrong PIN"; each consecutive wrong PIN answers a little later
//     (WithPINPenalty).
//   - Async operations: accepted actions answer
//     {"result":"OK","action":...,"callback":KEY}. eq_callback.php (and
//     nat_callback.php for nat.php) action=check answers "Not ready" a few
//     times (WithNotReadyChecks, WithOperationDelay), installations then
//     report the five ReinstallStages as "Stage" answers, and finally "OK"
//     with scope, context and debug. The key is deleted once its OK was
//     read: later checks answer {"code":-1,"message":"AsyncKey KEY not
//     found"}.
//   - State: accounts, servers (Equipment) with power state, tags, IPs and
//     PTR records, presets, operating systems, traffic plans, invoices and
//     credit balance, tickets, API keys, DNS zones, ISO images, backups,
//     snapshots and S3 accounts. Actions change the state the way later
//     reads report it: eq off makes eq status and show report power "off",
//     tags add changes show's tags, ip update_ptr changes get_ptr, and eq
//     order_instance charges the balance, creates an invoice and a server
//     (named in the deployment callback's context.id; eq update_servers
//     deploy_keys maps the invoice to that callback key).
//
// # Test hooks
//
// Server.Fault injects failures into the next matching requests, matched
// by module, action, server id or callback key (HTTP 5xx, 429 with
// Retry-After, HTML pages, PHP warnings before the JSON, truncated JSON,
// slow answers, dropped connections before or after the request is
// processed, loosely typed answers, expired tokens).
// Server.Requests returns the request log with secrets masked, and
// Server.Count proves how many times an action reached its handler.
// Accessors such as Server.Server, Server.Balance and Server.Invoices
// inspect the state; AddServer, SetBalance and PayInvoice change it.
//
// # Defaults
//
// NewServer() has one account (DefaultCustomerID) with API key
// DefaultAPIKey, PIN DefaultPIN, billing login DefaultUser /
// DefaultPassword and balance DefaultBalance (EUR); servers 12345 (NL,
// bare metal, also reachable with the per-server key DefaultServerAPIKey),
// 12346 (NL, VPS) and 12347 (US, GPU, powered off); presets "bm.v1-big",
// "vm.v2-small" and "gpu.v1-a4000"; six operating systems and three traffic
// plans. Options change all of it.
//
// # Wire choices beyond the vendor documentation
//
//   - Every answer carries the header PaceHeader ("Invapi-Poll-Interval:
//     1ms, 5ms"), asking clients to check callback keys every few
//     milliseconds; the invapi SDK honours it for loopback base URLs only,
//     so its waits against the simulator take milliseconds with no option.
//     WithClientPace changes or removes it.
//   - auth info answers {"result":"OK","token_data":{"role","customer_id",
//     "servers","expires" (unix seconds),"ttl" (seconds left),"fix_ip",
//     "server_key"}}.
//   - A session sees the servers of its account at login time; servers
//     ordered later are "Access denied" until eq update_servers refreshes
//     the session, as documented for the real API.
//   - eq status answers synchronously with the documented body plus
//     "power" ("on"/"off") and a "callback" key; "status" is "active" when
//     the server is powered on and "inactive" when off. eq off and
//     add_ipmi_user answer both the documented synchronous fields and a
//     callback key.
//   - eq reinstall without os_id creates the 001 master key: it answers
//     "Not ready" until the server boots from PXE (create_pxe with
//     reinstall_key, boot_dev media=pxe, then reboot or on), then reports
//     the stages. With os_id it is the 004 full reinstall and answers
//     "action":"order_instance". A server that boots from PXE while a PXE
//     config exists is reinstalled again; clear_pxe prevents it.
//   - root_pass must be 8–30 letters, digits or % - _ +, with upper and
//     lower case, a digit and one of % - _ +, not starting with a symbol
//     (HOSTKEY's own policy); PINs are 4–6 digits.
//   - whmcs actions answer WHMCS style ({"result":"success",...} or
//     {"result":"error","message":...}), some with data under "message";
//     download_invoice answers a PDF (application/pdf) and net show_cacti a
//     PNG (image/png).
//   - State changes take effect when an action is accepted, not when its
//     callback is read; installations keep Equipment.DeployStatus set until
//     their OK is read.
//   - Answers and form fields follow what HOSTKEY's own clients send and
//     read (../shared/api/evidence.md), not the SDK's guesses: os list
//     under os_list / os_excluded; presets with hdd "2x480" and locations
//     "NL,US,RU"; presets info in the currencies asked for, with OS[],
//     soft[] and traffic_plans by location; presets search under servers;
//     traffic plans with a numeric price, main_plan and currency_id;
//     api_keys fields under params[...] and answers under data;
//     whmcs request_cancellation by cancellation_type 1/0,
//     update_client's billing_ names, mass_pay's invoices[], get_invoice
//     items with inv_id, get_billing_data's billing_ names; iso mount_iso
//     by name or iso_id, answering a callback key; s3 show_key's
//     key_type, get_files' search and limit. The old names are not read.
//     Quirks.AlternativeShapes answers in the other recorded shapes.
//   - Actions HOSTKEY's clients use beyond the catalogue are served too:
//     ssh_keys list / add / delete (sshkeys, sshkey), jenkins call, vm
//     get_engine, s3 get_available_locations and update_traffic_info, whmcs
//     get_product_invoice.
package invapitest
