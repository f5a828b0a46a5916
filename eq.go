package invapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"

	"github.com/invapi-go/invapi/internal/envelope"
	"github.com/invapi-go/invapi/internal/loose"
)

// EqService wraps eq.php: servers, power, reinstalls, IPMI and consoles.
//
// Each method is one action, sent once: multi-step procedures (order and
// wait, reinstall, IPMI access) are built from them.
type EqService service

// Settle hints: the read that tells whether a change took effect when its
// outcome is unknown (the request path appends the server id).
const (
	eqSettlePower     = "eq/status"
	eqSettleReinstall = "eq/show (reinstall state)"
	eqSettleOrder     = "eq/update_servers deploy_keys and whmcs/get_invoices"
	eqSettleShow      = "eq/show"
	eqSettleIPMI      = "eq/get_ipmi"
	eqSettleBackups   = "eq/backup_list"
	eqSettlePIN       = "eq/check_pin"
)

var (
	// reads
	eqList                = endpoint{module: "eq", action: "list", class: read, evidence: byClient("tf", "mcp")}
	eqSearch              = endpoint{module: "eq", action: "search", class: read, evidence: guessed}
	eqUnifiedServerSearch = endpoint{module: "eq", action: "unified_server_search", class: read, evidence: guessed}
	// show: status read from server_data.status (tf), else Condition_Component (whmcs); main address from IP[].main_ip (tf).
	eqShow                  = endpoint{module: "eq", action: "show", class: read, evidence: byClient("tf", "whmcs", "mcp")}
	eqStatus                = endpoint{module: "eq", action: "status", class: read, async: eqCallback, evidence: byClient("mcp")}
	eqStatusCheck           = endpoint{module: "eq", action: "status_check", class: read, evidence: guessed}
	eqUpdateServers         = endpoint{module: "eq", action: "update_servers", class: read, evidence: byClient("tf", "mcp")}
	eqGroups                = endpoint{module: "eq", action: "groups", class: read, evidence: guessed}
	eqHistory               = endpoint{module: "eq", action: "history", class: read, evidence: guessed}
	eqSensors               = endpoint{module: "eq", action: "sensors", class: read, async: eqCallback, evidence: byClient("mcp")}
	eqGetIPMI               = endpoint{module: "eq", action: "get_ipmi", class: read, evidence: guessed}
	eqBackupList            = endpoint{module: "eq", action: "backup_list", class: read, evidence: guessed}
	eqBackupGetSchedule     = endpoint{module: "eq", action: "backup_get_schedule", class: read, evidence: guessed}
	eqCheckBackupLock       = endpoint{module: "eq", action: "check_backup_lock", class: read, evidence: guessed}
	eqGetTraffic            = endpoint{module: "eq", action: "get_traffic", class: read, evidence: guessed}
	eqGetServersForAnnounce = endpoint{module: "eq", action: "getserversforannounce", class: read, evidence: guessed}

	// power
	eqOn        = endpoint{module: "eq", action: "on", class: change, pin: true, async: eqCallback, settle: eqSettlePower, evidence: byClient("tf", "mcp")}
	eqOff       = endpoint{module: "eq", action: "off", class: change, pin: true, async: eqCallback, settle: eqSettlePower, evidence: byClient("tf", "mcp")}
	eqHardOff   = endpoint{module: "eq", action: "hard_off", class: change, settle: eqSettlePower, evidence: byClient("tf")}
	eqReboot    = endpoint{module: "eq", action: "reboot", class: change, pin: true, async: eqCallback, settle: eqSettlePower, evidence: byClient("tf", "mcp")}
	eqUnitReset = endpoint{module: "eq", action: "unit_reset", class: change, pin: true, async: eqCallback, settle: eqSettlePower, evidence: byClient("mcp")}
	eqSuspend   = endpoint{module: "eq", action: "suspend", class: change, settle: "eq/show (status)", evidence: guessed}
	eqUnsuspend = endpoint{module: "eq", action: "unsuspend", class: change, settle: "eq/show (status)", evidence: guessed}

	// PIN
	eqSetPIN   = endpoint{module: "eq", action: "set_pin", class: change, async: eqCallback, settle: eqSettlePIN, evidence: documented}
	eqCheckPIN = endpoint{module: "eq", action: "check_pin", class: change, pin: true, async: eqCallback, settle: eqSettlePIN, evidence: documented}

	// ordering and reinstalls
	// order_instance: names and values as tf, whmcs and mcp send them (§1b);
	// deploy_notify goes as 0/1 (whmcs "1", tf and mcp "true"/"false"); the
	// PIN goes only when configured: docs 001 require it, no client sends it.
	eqOrderInstance  = endpoint{module: "eq", action: "order_instance", class: money, pin: true, async: eqCallback, settle: eqSettleOrder, evidence: byClient("tf", "whmcs", "mcp")}
	eqDeploy         = endpoint{module: "eq", action: "deploy", class: money, settle: eqSettleOrder, evidence: guessed}
	eqReinstall      = endpoint{module: "eq", action: "reinstall", class: change, async: eqCallback, settle: eqSettleReinstall, evidence: byClient("mcp")}
	eqAbortReinstall = endpoint{module: "eq", action: "abort_reinstall", class: change, settle: eqSettleReinstall, evidence: guessed}
	eqCreatePXE      = endpoint{module: "eq", action: "create_pxe", class: change, pin: true, async: eqCallback, settle: eqSettleReinstall, evidence: byClient("mcp")}
	eqClearPXE       = endpoint{module: "eq", action: "clear_pxe", class: change, async: eqCallback, settle: eqSettleReinstall, evidence: byClient("mcp")}
	eqBootDev        = endpoint{module: "eq", action: "boot_dev", class: change, pin: true, async: eqCallback, settle: eqSettleShow, evidence: byClient("mcp")}

	// rename_server: id and hostname, as HOSTKEY's Terraform provider sends them (no PIN).
	eqRenameServer = endpoint{module: "eq", action: "rename_server", class: change, settle: "eq/show (hostname)", evidence: byClient("tf")}

	// IPMI and consoles
	eqAddIPMIUser  = endpoint{module: "eq", action: "add_ipmi_user", class: change, async: eqCallback, settle: eqSettleIPMI, evidence: byClient("mcp")}
	eqAddIPMIAdmin = endpoint{module: "eq", action: "add_ipmi_admin", class: change, settle: eqSettleIPMI, evidence: guessed}
	// remove_ipmi_user: mcp sends id only, docs 001 add username: id required, username sent when set.
	eqRemoveIPMIUser = endpoint{module: "eq", action: "remove_ipmi_user", class: change, async: eqCallback, settle: eqSettleIPMI, evidence: byClient("mcp")}
	eqConsole        = endpoint{module: "eq", action: "console", class: change, pin: true, async: eqCallback, settle: eqSettleShow, evidence: byClient("mcp")}
	eqNoVNC          = endpoint{module: "eq", action: "novnc", class: change, async: eqCallback, settle: eqSettleShow, evidence: byClient("mcp")}
	eqOvirtNoVNC     = endpoint{module: "eq", action: "ovirt_novnc", class: change, settle: eqSettleShow, evidence: guessed}
	eqRecreateNoVNC  = endpoint{module: "eq", action: "recreate_novnc", class: change, async: eqCallback, settle: eqSettleShow, evidence: documented}
	eqStopNoVNC      = endpoint{module: "eq", action: "stop_novnc", class: change, async: eqCallback, settle: eqSettleShow, evidence: documented}

	// backups
	eqBackupSaveSchedule = endpoint{module: "eq", action: "backup_save_schedule", class: change, settle: "eq/backup_get_schedule", evidence: guessed}
	eqCreateBackup       = endpoint{module: "eq", action: "create_backup", class: change, async: eqCallback, settle: eqSettleBackups, evidence: guessed}
	eqDeleteBackup       = endpoint{module: "eq", action: "delete_backup", class: change, async: eqCallback, settle: eqSettleBackups, evidence: guessed}
	eqRestoreBackup      = endpoint{module: "eq", action: "restore_backup", class: change, async: eqCallback, settle: eqSettleBackups, evidence: guessed}
	eqRequestBackupLink  = endpoint{module: "eq", action: "request_backup_link", class: change, settle: eqSettleBackups, evidence: guessed}

	// traffic, upgrades, announcements
	eqTrafficAdd    = endpoint{module: "eq", action: "traffic_add", class: money, settle: "whmcs/get_invoices and eq/get_traffic", evidence: guessed}
	eqGetUpgradeKey = endpoint{module: "eq", action: "get_upgrade_key", class: change, settle: "whmcs/get_invoice", evidence: guessed}
	eqAnnounceIP    = endpoint{module: "eq", action: "announceip", class: change, settle: "eq/getserversforannounce", evidence: guessed}
)

// ---------------------------------------------------------------------------
// Servers: list, search, show, status

// Server statuses used by the list filter (the API may answer others, e.g. "TT").
const (
	ServerStatusRent     = "rent"      // active server
	ServerStatusPowerOff = "power_off" // suspended for a reason
	ServerStatusPresale  = "presale"   // being prepared for sale (show's Condition_Component)
	ServerStatusTT       = "TT"        // under a trouble ticket (show's Condition_Component)
)

// ServerListRequest filters eq.php list. Every filter is optional; none
// lists every server of the session. The two references disagree on
// location: the older takes region codes (Locations, "RU,NL"), the newer a
// numeric location id (LocationID); set at most one.
type ServerListRequest struct {
	ID         int      `url:"id,omitempty"`              // one server (newer reference)
	Locations  []string `url:"location,comma,omitempty"`  // region codes: "RU", "NL", "US"
	LocationID int      `url:"location,omitempty"`        // numeric location id (newer reference)
	Status     string   `url:"status,omitempty"`          // ServerStatusRent, ServerStatusPowerOff...
	Components []int    `url:"component,comma,omitempty"` // component ids (CPU, GPU...), older reference
	IP         string   `url:"ip,omitempty"`              // an address of the server
	MAC        string   `url:"mac,omitempty"`             // older reference
	Groups     []string `url:"group,comma,omitempty"`     // all of these groups: "1CPU", "AMD", "Gpu"...
	Full       bool     `url:"full,int,omitempty"`        // full data per server (newer reference)
	Type       string   `url:"type,omitempty"`            // equipment type (newer reference)
}

// Validate checks the request before it is sent.
func (r *ServerListRequest) Validate() error {
	if r.ID < 0 {
		return invalid("id", "must be a positive server id, got %d", r.ID)
	}
	if r.LocationID < 0 {
		return invalid("location", "must be a positive location id, got %d", r.LocationID)
	}
	if r.LocationID > 0 && len(r.Locations) > 0 {
		return invalid("location", "set either Locations (region codes) or LocationID, not both")
	}
	for _, l := range r.Locations {
		if strings.TrimSpace(l) == "" || strings.Contains(l, ",") {
			return invalid("location", "region codes must be non-empty and hold no comma, got %q", l)
		}
	}
	for _, c := range r.Components {
		if c <= 0 {
			return invalid("component", "component ids must be positive, got %d", c)
		}
	}
	for _, g := range r.Groups {
		if strings.TrimSpace(g) == "" || strings.Contains(g, ",") {
			return invalid("group", "group names must be non-empty and hold no comma, got %q", g)
		}
	}
	if r.IP != "" {
		if _, err := netip.ParseAddr(r.IP); err != nil {
			return invalid("ip", "%q is not an IP address", r.IP)
		}
	}
	return nil
}

// List returns the servers of the session that match req (eq.php list);
// req may be nil for all of them. Without req.Full each row has only ID,
// Name, Status, Location, IP and Type: Power, Tags, OS, Preset, MAC, IPs and
// the hostname are not sent (ServerSummary.Full is false, and Hostname
// returns the name). The older reference says list answers bare ids: such
// rows have only ID set (use Show for the rest).
//
// A session lists the servers of its account as they were at login: call
// UpdateServers first to see servers ordered since.
func (s *EqService) List(ctx context.Context, req *ServerListRequest) ([]ServerSummary, error) {
	return s.summaries(ctx, &eqList, eqParams(req))
}

// ServerSearchRequest filters eq.php search. The vendor publishes no
// parameter list for it, only that it filters "by location, status, type,
// IP, MAC, etc."; the list filters are sent under the same names, and
// Extra carries anything else.
type ServerSearchRequest struct {
	ServerListRequest
	Extra Fields `url:"extra,omitempty"`
}

// Search returns the servers and instances matching req (eq.php search).
// The vendor publishes no parameter list for search (see ServerSearchRequest).
func (s *EqService) Search(ctx context.Context, req *ServerSearchRequest) ([]ServerSummary, error) {
	return s.summaries(ctx, &eqSearch, eqParams(req))
}

// UnifiedServerSearchRequest is a free-text server search. The vendor
// publishes no parameter list: the text is sent as "query"; use Extra for
// another field name.
type UnifiedServerSearchRequest struct {
	Query string `url:"query,omitempty"`
	Extra Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *UnifiedServerSearchRequest) Validate() error {
	if strings.TrimSpace(r.Query) == "" && len(r.Extra) == 0 {
		return invalid("query", "is empty")
	}
	return nil
}

// UnifiedServerSearch searches servers by id, name, address... in one query
// (eq.php unified_server_search). The vendor publishes no parameter list
// (see UnifiedServerSearchRequest).
func (s *EqService) UnifiedServerSearch(ctx context.Context, req *UnifiedServerSearchRequest) ([]ServerSummary, error) {
	if req == nil {
		return nil, invalid("query", "request is nil")
	}
	return s.summaries(ctx, &eqUnifiedServerSearch, req)
}

// Show returns everything known about a server: hardware, OS, addresses,
// interfaces, IPMI, tags, preset (eq.php show). The state is
// server_data.status, else server_data.Condition_Component (rent,
// power_off, presale, TT); MainIP picks the address flagged main_ip.
//
// A session sees the servers of its account as they were when it logged
// in: a server ordered since answers "Access denied" until UpdateServers
// refreshes the list (HOSTKEY's MCP server calls it once per session before
// its first list or show). OrderAndWait does this for the server it orders.
func (s *EqService) Show(ctx context.Context, id int) (*Server, error) {
	if err := validServerID(id); err != nil {
		return nil, err
	}
	out, err := do[Server](ctx, s.client, &eqShow, eqID(id))
	if err != nil {
		return nil, err
	}
	if out.Status == "" {
		out.Status = out.ConditionComponent
	}
	return out, nil
}

// Status returns the server's status (eq.php status). The newest reference
// answers at once (status, hostname, ip, os, ram, cpu, disk), the oldest
// calls it an async power status: both are read, and when a callback key
// comes back ServerStatus.Operation is set to wait for the power state.
func (s *EqService) Status(ctx context.Context, id int) (*ServerStatus, error) {
	if err := validServerID(id); err != nil {
		return nil, err
	}
	out := new(ServerStatus)
	op, err := s.callTyped(ctx, &eqStatus, eqID(id), out, id)
	if err != nil {
		return nil, err
	}
	out.Operation = op
	if out.ServerID == 0 {
		out.ServerID = id
	}
	return out, nil
}

// StatusCheckRequest asks for a check of a server's state. The vendor
// publishes no parameter list: ID is sent as "id", Extra as given.
type StatusCheckRequest struct {
	ID    int    `url:"id"`
	Extra Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *StatusCheckRequest) Validate() error { return validServerID(r.ID) }

// StatusCheck runs a check of the server's current state
// (eq.php status_check). The vendor publishes no parameter list (see StatusCheckRequest).
func (s *EqService) StatusCheck(ctx context.Context, req *StatusCheckRequest) (*StatusCheck, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	out := new(StatusCheck)
	op, err := s.callTyped(ctx, &eqStatusCheck, req, out, req.ID)
	if err != nil {
		return nil, err
	}
	out.Operation = op
	return out, nil
}

// UpdateServers refreshes the session's server list from billing and
// inventory, after an order or a release, and returns it with the deploy
// keys linking order invoices to their deployments' callback keys (eq.php
// update_servers). Until it is called, a session's List and Show do not
// see servers ordered after its login.
func (s *EqService) UpdateServers(ctx context.Context) (*UpdateServersResult, error) {
	return do[UpdateServersResult](ctx, s.client, &eqUpdateServers, nil)
}

// GroupsRequest asks for a server's groups. The vendor publishes no
// parameter list: ID is sent as "id", Extra as given.
type GroupsRequest struct {
	ID    int    `url:"id"`
	Extra Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *GroupsRequest) Validate() error { return validServerID(r.ID) }

// Groups returns the groups of a server (eq.php groups). The vendor
// publishes no parameter list (see GroupsRequest).
func (s *EqService) Groups(ctx context.Context, req *GroupsRequest) ([]ServerGroup, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	return doList[ServerGroup](ctx, s.client, &eqGroups, req, "groups")
}

// HistoryRequest asks for a server's event history. The vendor publishes
// no parameter list: ID is sent as "id", Extra as given (paging, dates...).
type HistoryRequest struct {
	ID    int    `url:"id"`
	Extra Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *HistoryRequest) Validate() error { return validServerID(r.ID) }

// History returns the server's event history (eq.php history). The vendor
// publishes no parameter list (see HistoryRequest).
func (s *EqService) History(ctx context.Context, req *HistoryRequest) ([]HistoryEvent, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	return doList[HistoryEvent](ctx, s.client, &eqHistory, req, "history", "events")
}

// Sensors asks the server's IPMI for its sensor readings (temperature,
// voltage, fan RPM), bare-metal only (eq.php sensors). The readings come in
// the finished Operation's Scope.
func (s *EqService) Sensors(ctx context.Context, id int) (*Operation, error) {
	return s.async(ctx, &eqSensors, id)
}

// ---------------------------------------------------------------------------
// Power

// On powers the server on (eq.php on, needs the PIN). Wait on the returned
// Operation for the outcome.
func (s *EqService) On(ctx context.Context, id int) (*Operation, error) {
	return s.async(ctx, &eqOn, id)
}

// Off powers the server off (eq.php off, needs the PIN). The older
// reference answers with a callback key, the newer answers at once ({"id":
// ...}, no key): then the returned Operation is already done.
func (s *EqService) Off(ctx context.Context, id int) (*Operation, error) {
	return s.async(ctx, &eqOff, id)
}

// HardOffRequest asks for a forced power-off. The vendor publishes no
// parameter list: ID is sent as "id", Extra as given (no PIN is sent;
// put one in Extra if the account demands it).
type HardOffRequest struct {
	ID    int    `url:"id"`
	Extra Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *HardOffRequest) Validate() error { return validServerID(r.ID) }

// HardOff forces the server's power off, as pulling the plug would
// (eq.php hard_off). The vendor publishes no parameter list (see HardOffRequest).
// An answer without a callback key gives an Operation that is already done.
func (s *EqService) HardOff(ctx context.Context, req *HardOffRequest) (*Operation, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	return s.client.callAsync(ctx, &eqHardOff, req, req.ID)
}

// Reboot restarts the server (eq.php reboot, needs the PIN). Wait on the
// returned Operation for the outcome.
func (s *EqService) Reboot(ctx context.Context, id int) (*Operation, error) {
	if id <= 0 {
		return nil, invalid("id", "must be a positive server id, got %d", id)
	}
	return s.client.callAsync(ctx, &eqReboot, url.Values{"id": {strconv.Itoa(id)}}, id)
}

// UnitReset cold-resets the server's IPMI module, when it is unresponsive
// (eq.php unit_reset, needs the PIN).
func (s *EqService) UnitReset(ctx context.Context, id int) (*Operation, error) {
	return s.async(ctx, &eqUnitReset, id)
}

// SuspendRequest asks to suspend (lock) a server. The vendor publishes no
// parameter list: ID is sent as "id", Extra as given.
type SuspendRequest struct {
	ID    int    `url:"id"`
	Extra Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *SuspendRequest) Validate() error { return validServerID(r.ID) }

// Suspend suspends the server: it is locked (eq.php suspend). The vendor
// publishes no parameter list (see SuspendRequest). An answer without a
// callback key gives an Operation that is already done.
func (s *EqService) Suspend(ctx context.Context, req *SuspendRequest) (*Operation, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	return s.client.callAsync(ctx, &eqSuspend, req, req.ID)
}

// UnsuspendRequest asks to unlock a suspended server. The vendor publishes
// no parameter list: ID is sent as "id", Extra as given.
type UnsuspendRequest struct {
	ID    int    `url:"id"`
	Extra Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *UnsuspendRequest) Validate() error { return validServerID(r.ID) }

// Unsuspend removes a suspension lock from the server (eq.php unsuspend).
// The vendor publishes no parameter list (see UnsuspendRequest).
func (s *EqService) Unsuspend(ctx context.Context, req *UnsuspendRequest) (*Operation, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	return s.client.callAsync(ctx, &eqUnsuspend, req, req.ID)
}

// ---------------------------------------------------------------------------
// PIN

// SetPINRequest sets or changes the account PIN (4 to 6 digits). OldPIN is
// needed only to change an existing one. Printing the request never shows
// the PINs.
type SetPINRequest struct {
	OldPIN string `url:"old_pin,omitempty"`
	NewPIN string `url:"new_pin"`
}

// Validate checks the request before it is sent; errors never show a PIN.
func (r *SetPINRequest) Validate() error {
	if err := validatePIN("new_pin", r.NewPIN); err != nil {
		return err
	}
	if r.OldPIN != "" {
		return validatePIN("old_pin", r.OldPIN)
	}
	return nil
}

// Format implements fmt.Formatter so that no verb prints the PINs.
func (r SetPINRequest) Format(f fmt.State, verb rune) {
	type plain SetPINRequest
	p := plain(r)
	formatMasked(f, verb, "SetPINRequest", &p)
}

// SetPIN sets or changes the PIN asked for critical operations
// (eq.php set_pin). The client keeps using the PIN it was configured with: make a
// new client (WithPIN) after a change.
func (s *EqService) SetPIN(ctx context.Context, req *SetPINRequest) (*Operation, error) {
	if req == nil {
		return nil, invalid("new_pin", "request is nil")
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	s.client.rememberSecrets(req.OldPIN, req.NewPIN)
	return s.client.callAsync(ctx, &eqSetPIN, req, 0)
}

// CheckPIN asks the API whether pin is the account's PIN
// (eq.php check_pin). A wrong PIN fails with ErrWrongPIN; after several failures
// the API answers only with long delays, so do not loop on it.
func (s *EqService) CheckPIN(ctx context.Context, pin string) (*Operation, error) {
	if err := validatePIN("pin", pin); err != nil {
		return nil, err
	}
	s.client.rememberSecrets(pin)
	return s.client.callAsync(ctx, &eqCheckPIN, url.Values{"pin": {pin}}, 0)
}

// ---------------------------------------------------------------------------
// Ordering

// Deploy periods of order_instance, spelled as HOSTKEY's own clients send
// them (evidence.md §1b: their Terraform provider, WHMCS module and MCP
// server). The older reference writes "semi-annualy"; that is a typo no
// HOSTKEY client sends. Any other text is sent as given.
const (
	DeployHourly       = "hourly" // Terraform provider only
	DeployMonthly      = "monthly"
	DeployQuarterly    = "quarterly"
	DeploySemiAnnually = "semi-annually"
	DeployAnnually     = "annually"
)

// DiskMirror is the disk layout of order_instance's disk_mirror, as
// HOSTKEY's Terraform provider sends it. It applies to presets with two or
// more disks: RAID 0 and RAID 1 need 2, RAID 10 needs 4; HBA on one disk is
// ignored.
type DiskMirror string

// Disk layouts.
const (
	DiskMirrorHBA    DiskMirror = "hba"    // disks passed through, no RAID
	DiskMirrorRAID0  DiskMirror = "raid0"  // striped
	DiskMirrorRAID1  DiskMirror = "raid1"  // mirrored
	DiskMirrorRAID10 DiskMirror = "raid10" // striped mirrors, 4 disks or more
)

func (d DiskMirror) validate() error {
	switch d {
	case "", DiskMirrorHBA, DiskMirrorRAID0, DiskMirrorRAID1, DiskMirrorRAID10:
		return nil
	}
	return invalid("disk_mirror", "must be hba, raid0, raid1 or raid10, got %q", string(d))
}

// validRootSize checks a root partition size: a percent of the disk.
func validRootSize(n int) error {
	if n < 0 || n > 100 {
		return invalid("root_size", "is a percent of the disk, 1 to 100, got %d", n)
	}
	return nil
}

// OrderInstanceRequest orders a new server from a preset
// (eq.php order_instance). For a new server, Preset, LocationName, OSID,
// DeployPeriod and TrafficPlan are required (DeployNotify is always sent);
// with ID set, the order path reinstalls that server instead (newer
// reference) and only OSID is required. The field names are those
// HOSTKEY's Terraform provider, WHMCS module and MCP server send
// (evidence.md §1b); Extra carries any other. Printing the request never
// shows RootPass.
type OrderInstanceRequest struct {
	// ID is 0 for a new server (not sent: the server id is not known yet).
	// A server id reinstalls that server through the order path.
	ID           int    `url:"id,omitempty"`
	Preset       string `url:"preset,omitempty"`        // instance code, from presets/list
	LocationName string `url:"location_name,omitempty"` // "NL", "RU", "US"...
	OSID         int    `url:"os_id,omitempty"`         // from os/list
	OSName       string `url:"os_name,omitempty"`       // OS name in readable form
	OSTemplate   string `url:"os_template,omitempty"`
	// RootPass must meet HOSTKEY's policy when set: 8 to 30 letters, digits
	// and % - _ +, with an upper-case and a lower-case letter, a digit and
	// one of % - _ +, not starting with % - _ +.
	RootPass     string `url:"root_pass,omitempty"`
	Hostname     string `url:"hostname,omitempty"`
	SSHKey       string `url:"ssh_key,omitempty"`       // public key for root
	DeployPeriod string `url:"deploy_period,omitempty"` // DeployMonthly...
	// DeployNotify mails the customer when the server is ready. Always sent.
	DeployNotify bool   `url:"deploy_notify,int"`
	TrafficPlan  int    `url:"traffic_plan,omitempty"` // from traffic_plans/list
	IPv4Amount   int    `url:"ipv4_amount,omitempty"`  // extra IPv4 addresses, beyond the main one
	SoftID       int    `url:"soft_id,omitempty"`      // additional software, from software/list
	Promocode    string `url:"promocode,omitempty"`
	CustomDomain string `url:"custom_domain,omitempty"`
	CurrencyCode string `url:"currency_code,omitempty"`
	VLAN         string `url:"vlan,omitempty"` // private VLAN id
	IP           string `url:"ip,omitempty"`   // private IP
	Email        string `url:"email,omitempty"`
	// PostInstallCallback is a URL the fresh server calls when installed.
	PostInstallCallback string `url:"post_install_callback,omitempty"`
	// PostInstallScript is bash/PowerShell code run on the first boot.
	PostInstallScript string `url:"post_install_script,omitempty"`
	CloudInitScript   string `url:"cloud_init_script,omitempty"`
	ReinstallKey      string `url:"reinstall_key,omitempty"`
	// OwnOS delivers the server without installing an OS (install later).
	OwnOS        bool   `url:"own_os,int,omitempty"`
	JenkinsTask  string `url:"jenkins_task,omitempty"` // task id from jenkins/get_tasks; "-1" for none
	JenkinsTests int    `url:"jenkins_tests,omitempty"`
	// DiskMirror is the disk layout (DiskMirrorRAID1...), for presets with
	// two or more disks.
	DiskMirror DiskMirror `url:"disk_mirror,omitempty"`
	// RootSize is the root partition's size in percent of the disk, 1 to 100.
	RootSize int `url:"root_size,omitempty"`
	// NoLVM is "1" to partition without LVM.
	NoLVM string `url:"no_lvm,omitempty"`
	// IPv6 adds an IPv6 /64 block (dedicated servers in NL and US).
	IPv6 bool `url:"ipv6,int,omitempty"`
	// PrivateVLAN is the private VLAN to put the server in.
	PrivateVLAN string `url:"private_vlan,omitempty"`
	// SoftName names the additional software in readable form (WHMCS module).
	SoftName        string `url:"soft_name,omitempty"`
	UEFI            bool   `url:"uefi,int,omitempty"`
	AttendedInstall bool   `url:"attendedInstall,int,omitempty"`
	ActivateWindows bool   `url:"activate_windows,int,omitempty"`
	DeployData      string `url:"deploy_data,omitempty"` // email or invoice id
	DeployOptions   string `url:"deploy_options,omitempty"`
	DeployTicket    string `url:"deploy_ticket,omitempty"`
	DeployComment   string `url:"deploy_comment,omitempty"`
	DeployPrice     *Money `url:"deploy_price,omitempty"`
	InvoiceRelID    int    `url:"invoice_relid,omitempty"`
	ImitateDeploy   bool   `url:"imitate_deploy,int,omitempty"` // simulate the deployment (testing)
	ImitateError    bool   `url:"imitate_error,int,omitempty"`  // simulate a failure (testing)
	// Extra carries fields the SDK does not model; it never replaces
	// action, token or pin.
	Extra Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent; errors never show RootPass.
func (r *OrderInstanceRequest) Validate() error {
	if r.ID < 0 {
		return invalid("id", "must be 0 for a new server or a positive server id, got %d", r.ID)
	}
	if r.ID == 0 {
		if strings.TrimSpace(r.Preset) == "" {
			return invalid("preset", "is required for a new server")
		}
		if strings.TrimSpace(r.LocationName) == "" {
			return invalid("location_name", "is required for a new server")
		}
		if strings.TrimSpace(r.DeployPeriod) == "" {
			return invalid("deploy_period", "is required for a new server (hourly, monthly, quarterly, semi-annually, annually)")
		}
		if r.TrafficPlan <= 0 {
			return invalid("traffic_plan", "is required for a new server: a traffic plan id, got %d", r.TrafficPlan)
		}
	}
	if r.OSID <= 0 {
		return invalid("os_id", "is required: an OS id from os/list, got %d", r.OSID)
	}
	if r.RootPass != "" {
		if err := validateRootPass("root_pass", r.RootPass); err != nil {
			return err
		}
	}
	if r.IPv4Amount < 0 {
		return invalid("ipv4_amount", "must not be negative, got %d", r.IPv4Amount)
	}
	if err := r.DiskMirror.validate(); err != nil {
		return err
	}
	if err := validRootSize(r.RootSize); err != nil {
		return err
	}
	return eqNonNegative("soft_id", r.SoftID, "invoice_relid", r.InvoiceRelID, "jenkins_tests", r.JenkinsTests)
}

// Format implements fmt.Formatter so that no verb prints RootPass.
func (r OrderInstanceRequest) Format(f fmt.State, verb rune) {
	type plain OrderInstanceRequest
	p := plain(r)
	formatMasked(f, verb, "OrderInstanceRequest", &p)
}

// OrderInstance orders a new server from a preset, or reinstalls one
// through the order path (eq.php order_instance). Funds are checked on the
// credit account first; deployment takes 5 to 20 minutes. When the answer's
// Status is "Unpaid", the deploy waits for the invoice to be paid.
//
// The PIN is sent when the client has one (WithPIN), as the older
// reference requires; no HOSTKEY client sends one, and API-key sessions of
// accounts without a PIN order without it.
//
// It is sent at most once, never retried. If its outcome is unknown (the
// error matches ErrOutcomeUnknown), do not order again: settle it with
// UpdateServers (DeployKeys) and whmcs get_invoices, as
// OutcomeUnknownError.Settle says. The answer may carry only an invoice and
// no server id (see OrderResult).
func (s *EqService) OrderInstance(ctx context.Context, req *OrderInstanceRequest) (*OrderResult, error) {
	if req == nil {
		return nil, invalid("preset", "request is nil")
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	s.client.rememberSecrets(req.RootPass)
	return s.order(ctx, &eqOrderInstance, req, req.ID)
}

// DeployRequest starts a deployment. The vendor publishes no parameter
// list, only that deploy takes the server or preset, the OS, hostname, SSH
// keys and a post-install script: these are sent under order_instance's
// names; Extra carries anything else. Printing the request never shows
// RootPass.
type DeployRequest struct {
	ID                int    `url:"id,omitempty"`     // a server, or
	Preset            string `url:"preset,omitempty"` // a preset
	OSID              int    `url:"os_id,omitempty"`
	RootPass          string `url:"root_pass,omitempty"`
	Hostname          string `url:"hostname,omitempty"`
	SSHKey            string `url:"ssh_key,omitempty"`
	PostInstallScript string `url:"post_install_script,omitempty"`
	Extra             Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent; errors never show RootPass.
func (r *DeployRequest) Validate() error {
	if r.ID < 0 {
		return invalid("id", "must be a positive server id, got %d", r.ID)
	}
	if r.ID == 0 && strings.TrimSpace(r.Preset) == "" {
		return invalid("id", "set a server id or a preset")
	}
	if r.OSID < 0 {
		return invalid("os_id", "must be a positive OS id, got %d", r.OSID)
	}
	if r.RootPass != "" {
		return validateRootPass("root_pass", r.RootPass)
	}
	return nil
}

// Format implements fmt.Formatter so that no verb prints RootPass.
func (r DeployRequest) Format(f fmt.State, verb rune) {
	type plain DeployRequest
	p := plain(r)
	formatMasked(f, verb, "DeployRequest", &p)
}

// Deploy starts the deployment of a server or preset (eq.php deploy). The
// vendor publishes no parameter list (see DeployRequest). Like
// OrderInstance it may charge, so it is sent at most once: settle an
// unknown outcome with UpdateServers (DeployKeys) and whmcs get_invoices.
func (s *EqService) Deploy(ctx context.Context, req *DeployRequest) (*OrderResult, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	s.client.rememberSecrets(req.RootPass)
	return s.order(ctx, &eqDeploy, req, req.ID)
}

func (s *EqService) order(ctx context.Context, ep *endpoint, params any, serverID int) (*OrderResult, error) {
	out := new(OrderResult)
	op, err := s.callTyped(ctx, ep, params, out, serverID)
	if err != nil {
		return nil, err
	}
	out.Operation = op
	return out, nil
}

// ---------------------------------------------------------------------------
// Reinstalls: reinstall, create_pxe, boot_dev, clear_pxe, abort_reinstall

// BootMedia is the device boot_dev makes the server boot from.
type BootMedia string

// Boot media.
const (
	BootPXE  BootMedia = "pxe"  // network boot (PXE), to install
	BootDisk BootMedia = "disk" // local storage
	BootCD   BootMedia = "cd"   // mounted CD, usually virtual media through IPMI
)

// BootMode is the firmware boot mode of boot_dev.
type BootMode string

// Boot modes.
const (
	BootModeUEFI   BootMode = "uefi"
	BootModeLegacy BootMode = "legacy"
	BootModeAuto   BootMode = "auto"
)

// InstallOptions are the further fields the newer reference lists for
// create_pxe and reinstall. Its lists look generated from a request parser
// shared with other actions, so many (rack, kayako_ticket_text,
// new_interface_id...) probably do not apply; they are all sent as given
// when set.
type InstallOptions struct {
	DiskMirror           DiskMirror `url:"disk_mirror,omitempty"` // DiskMirrorRAID1...
	RootSize             int        `url:"root_size,omitempty"`   // root partition, percent of the disk (1-100)
	ManualChoiceDsk      int        `url:"manual_choice_dsk,omitempty"`
	NoLVM                string     `url:"no_lvm,omitempty"`
	UEFI                 bool       `url:"uefi,int,omitempty"`
	AttendedInstall      bool       `url:"attendedInstall,int,omitempty"`
	ActivateWindows      bool       `url:"activate_windows,int,omitempty"`
	OwnOS                bool       `url:"own_os,int,omitempty"`
	CustomDomain         string     `url:"custom_domain,omitempty"`
	JenkinsTask          string     `url:"jenkins_task,omitempty"`
	JenkinsTests         int        `url:"jenkins_tests,omitempty"`
	DeployTicket         string     `url:"deploy_ticket,omitempty"`
	DeployData           string     `url:"deploy_data,omitempty"`
	DeployOptions        string     `url:"deploy_options,omitempty"`
	DeployPeriod         string     `url:"deploy_period,omitempty"`
	DeployPrice          *Money     `url:"deploy_price,omitempty"`
	DeployNotify         bool       `url:"deploy_notify,int,omitempty"`
	DeployComment        string     `url:"deploy_comment,omitempty"`
	ImitateDeploy        bool       `url:"imitate_deploy,int,omitempty"`
	ImitateError         bool       `url:"imitate_error,int,omitempty"`
	TrafficPlan          int        `url:"traffic_plan,omitempty"`
	LocationName         string     `url:"location_name,omitempty"`
	InvoiceRelID         int        `url:"invoice_relid,omitempty"`
	Option               string     `url:"option,omitempty"`
	Value                string     `url:"value,omitempty"`
	Params               FormMap    `url:"params,omitempty"`
	Config               string     `url:"config,omitempty"`
	ServerName           string     `url:"server_name,omitempty"`
	LogLine              string     `url:"log_line,omitempty"`
	KVM                  string     `url:"kvm,omitempty"`
	WhiteIP              string     `url:"white_ip,omitempty"`
	Name                 string     `url:"name,omitempty"`
	Description          string     `url:"description,omitempty"`
	Size                 string     `url:"size,omitempty"`
	Groups               []string   `url:"groups,brackets,omitempty"`
	Rack                 string     `url:"rack,omitempty"`
	RackPosition         int        `url:"rack_position,omitempty"`
	IP                   string     `url:"ip,omitempty"`
	Promocode            string     `url:"promocode,omitempty"`
	Full                 bool       `url:"full,int,omitempty"`
	VLAN                 string     `url:"vlan,omitempty"`
	Key                  string     `url:"key,omitempty"`
	NewID                int        `url:"new_id,omitempty"`
	NewInterfaceID       int        `url:"new_interface_id,omitempty"`
	DontMoveIP           bool       `url:"dont_move_ip,int,omitempty"`
	MapInterface         int        `url:"map_interface,omitempty"`
	FreeIPs              int        `url:"free_ips,omitempty"`
	CreateKayakoTicket   bool       `url:"create_kayako_ticket,int,omitempty"`
	KayakoTicketText     string     `url:"kayako_ticket_text,omitempty"`
	Ticket               string     `url:"ticket,omitempty"`
	Limit                int        `url:"limit,omitempty"`
	TagsReplaceConfirmed bool       `url:"tags_replace_confirmed,int,omitempty"`
	IPv4Amount           int        `url:"ipv4_amount,omitempty"`
	CurrencyCode         string     `url:"currency_code,omitempty"`
}

func (o *InstallOptions) validate() error {
	if err := o.DiskMirror.validate(); err != nil {
		return err
	}
	if err := validRootSize(o.RootSize); err != nil {
		return err
	}
	return eqNonNegative("manual_choice_dsk", o.ManualChoiceDsk, "jenkins_tests", o.JenkinsTests, "traffic_plan", o.TrafficPlan,
		"invoice_relid", o.InvoiceRelID, "rack_position", o.RackPosition, "new_id", o.NewID,
		"new_interface_id", o.NewInterfaceID, "map_interface", o.MapInterface, "free_ips", o.FreeIPs,
		"limit", o.Limit, "ipv4_amount", o.IPv4Amount)
}

// ReinstallRequest reinstalls a server (eq.php reinstall). The references
// disagree on what it does:
//   - with only ID (older reference), it creates the master reinstall key:
//     pass ReinstallResult.Key to CreatePXE, then BootDev(pxe) and Reboot;
//     the install stages are reported on the key;
//   - with an OS (OSID or OSName, newer reference), it runs the whole
//     reinstall through the order path; RootPass is then required.
//
// Printing the request never shows RootPass.
type ReinstallRequest struct {
	ID     int    `url:"id"`
	OSID   int    `url:"os_id,omitempty"`
	OSName string `url:"os_name,omitempty"`
	// RootPass: 8 to 30 letters, digits and % - _ +, with an upper-case and
	// a lower-case letter, a digit and one of % - _ +, not starting with
	// % - _ +.
	RootPass            string `url:"root_pass,omitempty"`
	Hostname            string `url:"hostname,omitempty"`
	SSHKey              string `url:"ssh_key,omitempty"`
	PostInstallScript   string `url:"post_install_script,omitempty"`
	PostInstallCallback string `url:"post_install_callback,omitempty"`
	CloudInitScript     string `url:"cloud_init_script,omitempty"`
	ReinstallKey        string `url:"reinstall_key,omitempty"`
	Email               string `url:"email,omitempty"`
	Type                string `url:"type,omitempty"`
	OSTemplate          string `url:"os_template,omitempty"`
	SoftID              int    `url:"soft_id,omitempty"`
	InstallOptions
}

// Validate checks the request before it is sent; errors never show RootPass.
func (r *ReinstallRequest) Validate() error {
	if err := validServerID(r.ID); err != nil {
		return err
	}
	if r.OSID < 0 {
		return invalid("os_id", "must be a positive OS id, got %d", r.OSID)
	}
	if r.SoftID < 0 {
		return invalid("soft_id", "must be a positive software id, got %d", r.SoftID)
	}
	full := r.OSID > 0 || r.OSName != ""
	if full && r.RootPass == "" {
		return invalid("root_pass", "is required to reinstall with an OS")
	}
	if r.RootPass != "" {
		if err := validateRootPass("root_pass", r.RootPass); err != nil {
			return err
		}
	}
	return r.InstallOptions.validate()
}

// Format implements fmt.Formatter so that no verb prints RootPass.
func (r ReinstallRequest) Format(f fmt.State, verb rune) {
	type plain ReinstallRequest
	p := plain(r)
	formatMasked(f, verb, "ReinstallRequest", &p)
}

// Reinstall creates the master reinstall key, or runs a whole reinstall
// when an OS is given (eq.php reinstall); see ReinstallRequest. The key
// (ReinstallResult.Key) reports the install stages: wait on
// ReinstallResult.Operation.
func (s *EqService) Reinstall(ctx context.Context, req *ReinstallRequest) (*ReinstallResult, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	s.client.rememberSecrets(req.RootPass)
	out := new(ReinstallResult)
	env, err := s.client.call(ctx, &eqReinstall, req, out)
	if err != nil {
		return nil, err
	}
	out.Key = eqCallbackKey(env)
	if raw := env.Field("key"); out.Key == "" && raw != nil {
		// the older reference names it the master key: accept "key" too
		var ok bool
		if out.Key, ok = keyIn(raw, 0); !ok {
			return nil, s.client.badAnswer(&eqReinstall, env, "unreadable reinstall key", nil)
		}
	}
	out.Operation = s.operation(&eqReinstall, out.Key, req.ID)
	if out.ID == 0 {
		out.ID = req.ID
	}
	return out, nil
}

// AbortReinstallRequest stops a reinstall. The vendor publishes no
// parameter list: ID is sent as "id", Extra as given.
type AbortReinstallRequest struct {
	ID    int    `url:"id"`
	Extra Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *AbortReinstallRequest) Validate() error { return validServerID(r.ID) }

// AbortReinstall stops the server's reinstall, removes its reinstall tags
// (reinstall_start, autodeploy_start, autodeploy_timeout) and restores its
// VLAN settings (eq.php abort_reinstall). The vendor publishes no parameter
// list (see AbortReinstallRequest).
func (s *EqService) AbortReinstall(ctx context.Context, req *AbortReinstallRequest) (*Operation, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	return s.client.callAsync(ctx, &eqAbortReinstall, req, req.ID)
}

// CreatePXERequest writes the PXE config of an OS install
// (eq.php create_pxe). ID, an OS (OSID, or OSName) and RootPass are required.
// Hostname is required by the older reference; the newer says it defaults
// to the server id. Printing the request never shows RootPass.
type CreatePXERequest struct {
	ID     int    `url:"id"`
	OSID   int    `url:"os_id,omitempty"`   // from os/list
	OSName string `url:"os_name,omitempty"` // when OSID is not given
	// RootPass: 8 to 30 letters, digits and % - _ +, with an upper-case and
	// a lower-case letter, a digit and one of % - _ +, not starting with
	// % - _ +.
	RootPass            string `url:"root_pass"`
	Hostname            string `url:"hostname,omitempty"`
	SSHKey              string `url:"ssh_key,omitempty"`
	PostInstallScript   string `url:"post_install_script,omitempty"`
	PostInstallCallback string `url:"post_install_callback,omitempty"`
	CloudInitScript     string `url:"cloud_init_script,omitempty"`
	// ReinstallKey is the master key from Reinstall: the install stages are
	// then reported on it.
	ReinstallKey string `url:"reinstall_key,omitempty"`
	Email        string `url:"email,omitempty"`
	InstallOptions
}

// Validate checks the request before it is sent; errors never show RootPass.
func (r *CreatePXERequest) Validate() error {
	if err := validServerID(r.ID); err != nil {
		return err
	}
	if r.OSID < 0 || (r.OSID == 0 && strings.TrimSpace(r.OSName) == "") {
		return invalid("os_id", "is required: an OS id from os/list (or os_name), got %d", r.OSID)
	}
	if err := validateRootPass("root_pass", r.RootPass); err != nil {
		return err
	}
	return r.InstallOptions.validate()
}

// Format implements fmt.Formatter so that no verb prints RootPass.
func (r CreatePXERequest) Format(f fmt.State, verb rune) {
	type plain CreatePXERequest
	p := plain(r)
	formatMasked(f, verb, "CreatePXERequest", &p)
}

// CreatePXE writes the PXE config that installs an OS at the server's next
// network boot (eq.php create_pxe, needs the PIN). The returned Operation
// reports the config's creation; the install itself reports on
// ReinstallKey.
func (s *EqService) CreatePXE(ctx context.Context, req *CreatePXERequest) (*Operation, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	s.client.rememberSecrets(req.RootPass)
	return s.client.callAsync(ctx, &eqCreatePXE, req, req.ID)
}

// ClearPXERequest removes a server's PXE config. Hostname is required by
// the older reference, optional in the newer ("used for validation").
type ClearPXERequest struct {
	ID       int    `url:"id"`
	Hostname string `url:"hostname,omitempty"`
}

// Validate checks the request before it is sent.
func (r *ClearPXERequest) Validate() error { return validServerID(r.ID) }

// ClearPXE removes the server's PXE config, so that no later network boot
// reinstalls it (eq.php clear_pxe).
func (s *EqService) ClearPXE(ctx context.Context, req *ClearPXERequest) (*Operation, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	return s.client.callAsync(ctx, &eqClearPXE, req, req.ID)
}

// BootDevRequest sets the device a server boots from.
type BootDevRequest struct {
	ID       int       `url:"id"`
	Media    BootMedia `url:"media"`               // BootPXE, BootDisk or BootCD; required
	BootMode BootMode  `url:"boot_mode,omitempty"` // BootModeUEFI, BootModeLegacy or BootModeAuto
}

// Validate checks the request before it is sent.
func (r *BootDevRequest) Validate() error {
	if err := validServerID(r.ID); err != nil {
		return err
	}
	switch r.Media {
	case BootPXE, BootDisk, BootCD:
	default:
		return invalid("media", "must be pxe, disk or cd, got %q", string(r.Media))
	}
	switch r.BootMode {
	case "", BootModeUEFI, BootModeLegacy, BootModeAuto:
	default:
		return invalid("boot_mode", "must be uefi, legacy or auto, got %q", string(r.BootMode))
	}
	return nil
}

// BootDev sets the server's boot device: pxe before an install, disk
// after it, cd for virtual media (eq.php boot_dev, needs the PIN). It takes
// effect at the next boot (Reboot).
func (s *EqService) BootDev(ctx context.Context, req *BootDevRequest) (*Operation, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	return s.client.callAsync(ctx, &eqBootDev, req, req.ID)
}

// ---------------------------------------------------------------------------
// Renaming

// RenameServerRequest sets a server's hostname, as HOSTKEY's Terraform
// provider does after an order whose hostname was not applied.
type RenameServerRequest struct {
	ID       int    `url:"id"`
	Hostname string `url:"hostname"`
}

// Validate checks the request before it is sent.
func (r *RenameServerRequest) Validate() error {
	if err := validServerID(r.ID); err != nil {
		return err
	}
	h := r.Hostname
	if strings.TrimSpace(h) == "" {
		return invalid("hostname", "is required")
	}
	if len(h) > 253 || strings.ContainsAny(h, " \t\r\n/\\@#") {
		return invalid("hostname", "must be a host name of at most 253 characters without spaces, /, @ or #")
	}
	return nil
}

// RenameServer sets the server's hostname (eq.php rename_server). The
// field names are those of HOSTKEY's Terraform provider, which renames a
// fresh server this way (and also sets its "hostname" tag with Tags.Add,
// where InvAPI keeps it). An answer without a callback key gives an
// Operation that is already done.
func (s *EqService) RenameServer(ctx context.Context, req *RenameServerRequest) (*Operation, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	return s.client.callAsync(ctx, &eqRenameServer, req, req.ID)
}

// ---------------------------------------------------------------------------
// IPMI and consoles

// AddIPMIUserRequest creates a temporary IPMI web user. AdminUser and
// AdminPass apply to administrators (servers with the admin_ipmi tag);
// without them the API makes a random login and password. Printing the
// request never shows AdminPass.
type AddIPMIUserRequest struct {
	ID        int    `url:"id"`
	AdminUser string `url:"admin_user,omitempty"`
	AdminPass string `url:"admin_pass,omitempty"`
}

// Validate checks the request before it is sent.
func (r *AddIPMIUserRequest) Validate() error {
	if err := validServerID(r.ID); err != nil {
		return err
	}
	if r.AdminPass != "" && r.AdminUser == "" {
		return invalid("admin_user", "is required with admin_pass")
	}
	return nil
}

// Format implements fmt.Formatter so that no verb prints AdminPass.
func (r AddIPMIUserRequest) Format(f fmt.State, verb rune) {
	type plain AddIPMIUserRequest
	p := plain(r)
	formatMasked(f, verb, "AddIPMIUserRequest", &p)
}

// AddIPMIUser creates a temporary IPMI web user and returns its login
// (eq.php add_ipmi_user). The newer reference answers with the user and
// password at once, as read here; the older calls the action async: when a
// callback key comes back, IPMIUser.Operation is set and the credentials
// may arrive in its result instead. IPMI addresses are private: open them
// with NAT.AddStaticNAT.
func (s *EqService) AddIPMIUser(ctx context.Context, req *AddIPMIUserRequest) (*IPMIUser, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	s.client.rememberSecrets(req.AdminPass)
	return s.ipmiUser(ctx, &eqAddIPMIUser, req, req.ID)
}

// AddIPMIAdminRequest asks for an IPMI administrator login. The vendor
// publishes no parameter list: ID is sent as "id", Extra as given.
type AddIPMIAdminRequest struct {
	ID    int    `url:"id"`
	Extra Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *AddIPMIAdminRequest) Validate() error { return validServerID(r.ID) }

// AddIPMIAdmin creates an IPMI user with administrator rights, or returns
// the existing one (eq.php add_ipmi_admin). The vendor publishes no
// parameter list (see AddIPMIAdminRequest).
func (s *EqService) AddIPMIAdmin(ctx context.Context, req *AddIPMIAdminRequest) (*IPMIUser, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	return s.ipmiUser(ctx, &eqAddIPMIAdmin, req, req.ID)
}

func (s *EqService) ipmiUser(ctx context.Context, ep *endpoint, params any, id int) (*IPMIUser, error) {
	out := new(IPMIUser)
	op, err := s.callTyped(ctx, ep, params, out, id)
	if err != nil {
		return nil, err
	}
	s.client.rememberSecrets(out.Password)
	out.Operation = op
	return out, nil
}

// RemoveIPMIUserRequest removes an additional IPMI user. HOSTKEY's MCP
// server sends only the server id (the API removes the temporary user it
// made); the older reference also names the login, sent when set.
type RemoveIPMIUserRequest struct {
	ID       int    `url:"id"`
	Username string `url:"username,omitempty"` // the login to remove (IPMIUser.User), optional
}

// Validate checks the request before it is sent.
func (r *RemoveIPMIUserRequest) Validate() error { return validServerID(r.ID) }

// RemoveIPMIUser removes an additional (temporary) IPMI user
// (eq.php remove_ipmi_user). Only the server id is required.
func (s *EqService) RemoveIPMIUser(ctx context.Context, req *RemoveIPMIUserRequest) (*Operation, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	return s.client.callAsync(ctx, &eqRemoveIPMIUser, req, req.ID)
}

// GetIPMIRequest asks for a server's IPMI addresses. The vendor publishes
// no parameter list: ID is sent as "id", Extra as given.
type GetIPMIRequest struct {
	ID    int    `url:"id"`
	Extra Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *GetIPMIRequest) Validate() error { return validServerID(r.ID) }

// GetIPMI returns the address and model of each IPMI interface of the
// server (eq.php get_ipmi). The vendor publishes no parameter list (see
// GetIPMIRequest).
func (s *EqService) GetIPMI(ctx context.Context, req *GetIPMIRequest) ([]IPMIInterface, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	return doList[IPMIInterface](ctx, s.client, &eqGetIPMI, req, "ipmi", "IPMI", "interfaces")
}

// Console opens a virtual machine's console (eq.php console, needs the
// PIN): the finished Operation's Scope is the virt-viewer file (save it as
// console.vv).
func (s *EqService) Console(ctx context.Context, id int) (*Operation, error) {
	return s.async(ctx, &eqConsole, id)
}

// NoVNCRequest opens a NoVNC console. WhiteIP is an address allowed to
// connect (optional).
type NoVNCRequest struct {
	ID      int    `url:"id"`
	WhiteIP string `url:"white_ip,omitempty"`
}

// Validate checks the request before it is sent.
func (r *NoVNCRequest) Validate() error {
	if err := validServerID(r.ID); err != nil {
		return err
	}
	if r.WhiteIP != "" {
		if _, err := netip.ParseAddr(r.WhiteIP); err != nil {
			return invalid("white_ip", "%q is not an IP address", r.WhiteIP)
		}
	}
	return nil
}

// NoVNC opens a NoVNC console to the server (eq.php novnc); the finished
// Operation's result holds its access data.
func (s *EqService) NoVNC(ctx context.Context, req *NoVNCRequest) (*Operation, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	return s.client.callAsync(ctx, &eqNoVNC, req, req.ID)
}

// OvirtNoVNCRequest opens an oVirt NoVNC console. The vendor publishes no
// parameter list: ID is sent as "id", Extra as given.
type OvirtNoVNCRequest struct {
	ID    int    `url:"id"`
	Extra Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *OvirtNoVNCRequest) Validate() error { return validServerID(r.ID) }

// OvirtNoVNC opens a NoVNC console to a virtual server through oVirt
// (eq.php ovirt_novnc). The vendor publishes no parameter list (see
// OvirtNoVNCRequest). An answer without a callback key gives an Operation
// that is already done; its result's Raw holds the answer (console URL).
func (s *EqService) OvirtNoVNC(ctx context.Context, req *OvirtNoVNCRequest) (*Operation, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	return s.client.callAsync(ctx, &eqOvirtNoVNC, req, req.ID)
}

// RecreateNoVNC recreates the server's NoVNC console (eq.php recreate_novnc).
func (s *EqService) RecreateNoVNC(ctx context.Context, id int) (*Operation, error) {
	return s.async(ctx, &eqRecreateNoVNC, id)
}

// StopNoVNC ends the server's NoVNC console session (eq.php stop_novnc).
func (s *EqService) StopNoVNC(ctx context.Context, id int) (*Operation, error) {
	return s.async(ctx, &eqStopNoVNC, id)
}

// ---------------------------------------------------------------------------
// Backups

// BackupRequest names a server for the backup actions whose parameters the
// vendor does not publish (backup_list, backup_get_schedule,
// backup_save_schedule, check_backup_lock, create_backup): ID is sent as
// "id", Extra as given (for backup_save_schedule, the schedule itself).
type BackupRequest struct {
	ID    int    `url:"id"`
	Extra Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *BackupRequest) Validate() error { return validServerID(r.ID) }

// BackupList returns the server's backups (eq.php backup_list). The vendor
// publishes no parameter list (see BackupRequest).
func (s *EqService) BackupList(ctx context.Context, req *BackupRequest) ([]Backup, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	return doList[Backup](ctx, s.client, &eqBackupList, req, "backups", "list")
}

// BackupGetSchedule returns the server's automatic backup schedule
// (eq.php backup_get_schedule). The vendor publishes no parameter list (see
// BackupRequest).
func (s *EqService) BackupGetSchedule(ctx context.Context, req *BackupRequest) (*BackupSchedule, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	env, err := s.client.call(ctx, &eqBackupGetSchedule, req, nil)
	if err != nil {
		return nil, err
	}
	out := &BackupSchedule{Fields: eqObjectFields(env, "schedule")}
	out.setRaw(env.Body)
	return out, nil
}

// BackupSaveSchedule saves the server's automatic backup schedule
// (eq.php backup_save_schedule). The vendor publishes no parameter list: put the
// schedule's fields in req.Extra.
func (s *EqService) BackupSaveSchedule(ctx context.Context, req *BackupRequest) (*Operation, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	return s.client.callAsync(ctx, &eqBackupSaveSchedule, req, req.ID)
}

// CheckBackupLock reports whether backup operations on the server are
// locked (eq.php check_backup_lock). The vendor publishes no parameter list
// (see BackupRequest).
func (s *EqService) CheckBackupLock(ctx context.Context, req *BackupRequest) (*BackupLock, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	env, err := s.client.call(ctx, &eqCheckBackupLock, req, nil)
	if err != nil {
		return nil, err
	}
	out := &BackupLock{}
	for _, name := range []string{"locked", "lock", "is_locked"} {
		if raw := env.Field(name); raw != nil {
			var b bool
			if loose.Unmarshal(raw, &b) == nil {
				out.Locked = b
				break
			}
		}
	}
	out.setRaw(env.Body)
	return out, nil
}

// CreateBackup starts a backup of the server (eq.php create_backup). The
// vendor publishes no parameter list (see BackupRequest).
func (s *EqService) CreateBackup(ctx context.Context, req *BackupRequest) (*Operation, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	return s.client.callAsync(ctx, &eqCreateBackup, req, req.ID)
}

// BackupActionRequest names one backup of a server. The vendor publishes
// no parameter list: the backup is sent as "backup_id" (an undocumented
// name: use Extra for another), the server as "id".
type BackupActionRequest struct {
	ID       int    `url:"id"`
	BackupID string `url:"backup_id,omitempty"` // Backup.ID
	Extra    Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *BackupActionRequest) Validate() error {
	if err := validServerID(r.ID); err != nil {
		return err
	}
	if strings.TrimSpace(r.BackupID) == "" && len(r.Extra) == 0 {
		return invalid("backup_id", "is required")
	}
	return nil
}

// DeleteBackup deletes one of the server's backups (eq.php delete_backup).
// The vendor publishes no parameter list (see BackupActionRequest).
func (s *EqService) DeleteBackup(ctx context.Context, req *BackupActionRequest) (*Operation, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	return s.client.callAsync(ctx, &eqDeleteBackup, req, req.ID)
}

// RestoreBackup restores the server from one of its backups
// (eq.php restore_backup). The vendor publishes no parameter list (see
// BackupActionRequest).
func (s *EqService) RestoreBackup(ctx context.Context, req *BackupActionRequest) (*Operation, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	return s.client.callAsync(ctx, &eqRestoreBackup, req, req.ID)
}

// RequestBackupLink asks for a temporary link to download a backup
// (eq.php request_backup_link). The vendor publishes no parameter list (see
// BackupActionRequest).
func (s *EqService) RequestBackupLink(ctx context.Context, req *BackupActionRequest) (*BackupLink, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	out := new(BackupLink)
	env, err := s.client.call(ctx, &eqRequestBackupLink, req, out)
	if err != nil {
		return nil, err
	}
	out.URL = firstNonEmpty(rawText(env.Field("url")), rawText(env.Field("link")))
	out.Operation = s.operation(&eqRequestBackupLink, eqCallbackKey(env), req.ID)
	return out, nil
}

// ---------------------------------------------------------------------------
// Traffic, upgrades, announcements

// ServerTrafficRequest asks for a server's traffic usage. The vendor
// publishes no parameter list: ID is sent as "id", Extra as given (period...).
type ServerTrafficRequest struct {
	ID    int    `url:"id"`
	Extra Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *ServerTrafficRequest) Validate() error { return validServerID(r.ID) }

// GetTraffic returns the server's IPv4 traffic usage (eq.php get_traffic).
// The vendor publishes no parameter list (see ServerTrafficRequest).
func (s *EqService) GetTraffic(ctx context.Context, req *ServerTrafficRequest) (*ServerTraffic, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	env, err := s.client.call(ctx, &eqGetTraffic, req, nil)
	if err != nil {
		return nil, err
	}
	out := &ServerTraffic{Fields: eqObjectFields(env, "traffic")}
	out.setRaw(env.Body)
	return out, nil
}

// TrafficAddRequest raises a server's outbound traffic limit. The vendor
// publishes no parameter list: ID is sent as "id"; put the amount in Extra
// under the field name the API expects.
type TrafficAddRequest struct {
	ID    int    `url:"id"`
	Extra Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *TrafficAddRequest) Validate() error { return validServerID(r.ID) }

// TrafficAdd raises the server's outbound traffic limit and makes an
// invoice for it in billing (eq.php traffic_add). The vendor publishes no
// parameter list (see TrafficAddRequest). It charges, so it is sent at most
// once: settle an unknown outcome with whmcs get_invoices and GetTraffic.
func (s *EqService) TrafficAdd(ctx context.Context, req *TrafficAddRequest) (*TrafficAddResult, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	out := new(TrafficAddResult)
	env, err := s.client.call(ctx, &eqTrafficAdd, req, out)
	if err != nil {
		return nil, err
	}
	if out.Invoice, err = firstID(env.Field("invoice"), env.Field("invoice_id"), env.Field("invoiceid")); err != nil {
		return nil, s.client.badAnswer(&eqTrafficAdd, env, "unexpected invoice", err)
	}
	out.Operation = s.operation(&eqTrafficAdd, eqCallbackKey(env), req.ID)
	return out, nil
}

// GetUpgradeKeyRequest asks for an upgrade key. The vendor publishes no
// parameter list, only that the key is linked to an invoice (invoice_id).
type GetUpgradeKeyRequest struct {
	InvoiceID int    `url:"invoice_id"`
	ID        int    `url:"id,omitempty"` // the server, if the API wants it
	Extra     Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *GetUpgradeKeyRequest) Validate() error {
	if r.InvoiceID <= 0 {
		return invalid("invoice_id", "must be a positive invoice id, got %d", r.InvoiceID)
	}
	if r.ID < 0 {
		return invalid("id", "must be a positive server id, got %d", r.ID)
	}
	return nil
}

// GetUpgradeKey returns the key for an upgrade linked to an invoice
// (eq.php get_upgrade_key). The vendor publishes no parameter list (see
// GetUpgradeKeyRequest).
func (s *EqService) GetUpgradeKey(ctx context.Context, req *GetUpgradeKeyRequest) (*UpgradeKey, error) {
	if req == nil {
		return nil, invalid("invoice_id", "request is nil")
	}
	out, err := do[UpgradeKey](ctx, s.client, &eqGetUpgradeKey, req)
	if err != nil {
		return nil, err
	}
	if out.InvoiceID == 0 {
		out.InvoiceID = req.InvoiceID
	}
	return out, nil
}

// AnnounceIPRequest announces a subnet or address over BGP. The vendor
// publishes no parameter list: the server is sent as "id" and the subnet as
// "subnet" (an undocumented name: use Extra for another).
type AnnounceIPRequest struct {
	ID     int    `url:"id,omitempty"`
	Subnet string `url:"subnet,omitempty"` // "203.0.113.0/24" or an address
	Extra  Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *AnnounceIPRequest) Validate() error {
	if r.ID < 0 {
		return invalid("id", "must be a positive server id, got %d", r.ID)
	}
	if r.Subnet != "" {
		if _, err := netip.ParsePrefix(r.Subnet); err != nil {
			if _, err := netip.ParseAddr(r.Subnet); err != nil {
				return invalid("subnet", "%q is not an address or CIDR prefix", r.Subnet)
			}
		}
	} else if len(r.Extra) == 0 {
		return invalid("subnet", "is required")
	}
	return nil
}

// AnnounceIP announces a subnet or address over BGP from a server
// (eq.php announceip). The vendor publishes no parameter list (see
// AnnounceIPRequest). An answer without a callback key gives an Operation
// that is already done.
func (s *EqService) AnnounceIP(ctx context.Context, req *AnnounceIPRequest) (*Operation, error) {
	if req == nil {
		return nil, invalid("subnet", "request is nil")
	}
	return s.client.callAsync(ctx, &eqAnnounceIP, req, req.ID)
}

// GetServersForAnnounceRequest lists servers usable for announcements.
// The vendor publishes no parameter list: Extra is sent as given.
type GetServersForAnnounceRequest struct {
	Extra Fields `url:"extra,omitempty"`
}

// GetServersForAnnounce returns the servers (rented or powered off) whose
// addresses meet the /23 and /24 mask rules for announcements
// (eq.php getserversforannounce). The vendor publishes no parameter list; req may
// be nil.
func (s *EqService) GetServersForAnnounce(ctx context.Context, req *GetServersForAnnounceRequest) ([]ServerSummary, error) {
	return s.summaries(ctx, &eqGetServersForAnnounce, eqParams(req))
}

// ---------------------------------------------------------------------------
// helpers

// async sends an action that takes only a server id and answers with a
// callback key (or at once: the Operation is then already done).
func (s *EqService) async(ctx context.Context, ep *endpoint, id int) (*Operation, error) {
	if err := validServerID(id); err != nil {
		return nil, err
	}
	return s.client.callAsync(ctx, ep, eqID(id), id)
}

// callTyped sends ep, decodes its answer into out and returns the
// Operation of the callback key it carried (nil when none).
func (s *EqService) callTyped(ctx context.Context, ep *endpoint, params any, out any, serverID int) (*Operation, error) {
	env, err := s.client.call(ctx, ep, params, out)
	if err != nil {
		return nil, err
	}
	return s.operation(ep, eqCallbackKey(env), serverID), nil
}

// operation returns the Operation for a callback key, nil for none.
func (s *EqService) operation(ep *endpoint, key string, serverID int) *Operation {
	if key == "" {
		return nil
	}
	kind := ep.async
	if kind == noCallback {
		kind = eqCallback
	}
	return s.client.poller.operation(key, kind, ep.module, ep.action, serverID, false)
}

// summaries reads a server list: objects, or bare ids (older reference).
func (s *EqService) summaries(ctx context.Context, ep *endpoint, params any) ([]ServerSummary, error) {
	rows, err := doList[json.RawMessage](ctx, s.client, ep, params, "servers")
	if err != nil {
		return nil, err
	}
	out := make([]ServerSummary, 0, len(rows))
	for i, raw := range rows {
		var row ServerSummary
		if len(raw) > 0 && raw[0] == '{' {
			if err := loose.Unmarshal(raw, &row); err != nil {
				return nil, s.client.badAnswer(ep, nil, fmt.Sprintf("unexpected shape of server %d", i), err)
			}
		} else if row.ID = rawInt(raw); row.ID == 0 {
			return nil, s.client.badAnswer(ep, nil, fmt.Sprintf("server %d is neither an object nor an id", i), nil)
		}
		out = append(out, row)
	}
	return out, nil
}

// eqCallbackKey finds the callback key of an answer, at top level or in
// its data container. An unusable key on a state change was reported by
// the request path already; on a read it counts as none.
func eqCallbackKey(env *envelope.Envelope) string {
	key, _ := callbackKey(env)
	return key
}

// eqObjectFields returns, as text, the fields of the answer's object named
// key (at top level or in the data container), else the top-level fields
// minus the envelope's own.
func eqObjectFields(env *envelope.Envelope, key string) map[string]string {
	if raw := env.Field(key); len(raw) > 0 && raw[0] == '{' {
		return eqTextFields(raw)
	}
	if env.Payload != nil && env.Payload[0] == '{' {
		var inner map[string]json.RawMessage
		if json.Unmarshal(env.Payload, &inner) == nil {
			if raw := inner[key]; len(raw) > 0 && raw[0] == '{' {
				return eqTextFields(raw)
			}
		}
		return eqTextFields(env.Payload)
	}
	out := eqTextFields(env.Body)
	for _, k := range []string{"result", "action", "module", "code", "message"} {
		delete(out, k)
	}
	return out
}

// eqParams turns a nil request pointer into no parameters.
func eqParams[T any](req *T) any {
	if req == nil {
		return nil
	}
	return req
}

func eqID(id int) url.Values { return url.Values{"id": {strconv.Itoa(id)}} }

// eqNonNegative checks name/value pairs: ("traffic_plan", 3, "soft_id", 0...).
func eqNonNegative(pairs ...any) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if v := pairs[i+1].(int); v < 0 {
			return invalid(pairs[i].(string), "must not be negative, got %d", v)
		}
	}
	return nil
}
