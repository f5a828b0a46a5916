package invapi

import (
	"context"
	"net/netip"
	"strings"
)

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
	ID         int      `url:"id,omitempty" check:"id=server,optional"`         // one server (newer reference)
	Locations  []string `url:"location,comma,omitempty"`                        // region codes: "RU", "NL", "US"
	LocationID int      `url:"location,omitempty" check:"id=location,optional"` // numeric location id (newer reference)
	Status     string   `url:"status,omitempty"`                                // ServerStatusRent, ServerStatusPowerOff...
	Components []int    `url:"component,comma,omitempty"`                       // component ids (CPU, GPU...), older reference
	IP         string   `url:"ip,omitempty"`                                    // an address of the server
	MAC        string   `url:"mac,omitempty"`                                   // older reference
	Groups     []string `url:"group,comma,omitempty"`                           // all of these groups: "1CPU", "AMD", "Gpu"...
	Full       bool     `url:"full,int,omitempty"`                              // full data per server (newer reference)
	Type       string   `url:"type,omitempty"`                                  // equipment type (newer reference)
}

// Validate checks the request before it is sent.
func (r *ServerListRequest) Validate() error { return validateRequest(r) }

func (r *ServerListRequest) check() error {
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
	return s.summaries(ctx, &eqList, optional(req))
}

// ServerSearchRequest filters eq.php search. Published by name only, with only
// the note that it filters "by location, status, type, IP, MAC, etc."; the list
// filters are sent under the same names, and Extra carries anything else.
type ServerSearchRequest struct {
	ServerListRequest
	Extra Fields `url:"extra,omitempty"`
}

// Search returns the servers and instances matching req (eq.php search).
// Published by name only (see [ServerSearchRequest]).
func (s *EqService) Search(ctx context.Context, req *ServerSearchRequest) ([]ServerSummary, error) {
	return s.summaries(ctx, &eqSearch, optional(req))
}

// UnifiedServerSearchRequest is a free-text server search. Published by name
// only: the text is sent as "query"; use Extra for another field name.
type UnifiedServerSearchRequest struct {
	Query string `url:"query,omitempty"`
	Extra Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *UnifiedServerSearchRequest) Validate() error { return validateRequest(r) }

func (r *UnifiedServerSearchRequest) check() error {
	return requiredOrExtra("query", r.Query, r.Extra, "is empty")
}

// UnifiedServerSearch searches servers by id, name, address... in one query
// (eq.php unified_server_search). Published by name only (see
// [UnifiedServerSearchRequest]).
func (s *EqService) UnifiedServerSearch(ctx context.Context, req *UnifiedServerSearchRequest) ([]ServerSummary, error) {
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
	out, err := get[Server](ctx, s.client, &eqShow, idForm(id))
	return completed(out, err, func(sv *Server) { sv.Status = firstNonEmpty(sv.Status, sv.ConditionComponent) })
}

// Status returns the server's status (eq.php status). The newest reference
// answers at once (status, hostname, ip, os, ram, cpu, disk), the oldest
// calls it an async power status: both are read, and when a callback key
// comes back ServerStatus.Operation is set to wait for the power state.
func (s *EqService) Status(ctx context.Context, id int) (*ServerStatus, error) {
	if err := validServerID(id); err != nil {
		return nil, err
	}
	out, err := getOp[ServerStatus](ctx, s.client, &eqStatus, idForm(id))
	return completed(out, err, func(st *ServerStatus) { st.ServerID = firstNonZero(st.ServerID, id) })
}

// StatusCheckRequest asks for a check of a server's state. Published by name
// only: ID is sent as "id", Extra as given.
type StatusCheckRequest = ServerRequest

// StatusCheck runs a check of the server's current state (eq.php status_check).
// Published by name only (see [StatusCheckRequest]).
func (s *EqService) StatusCheck(ctx context.Context, req *StatusCheckRequest) (*StatusCheck, error) {
	return getOp[StatusCheck](ctx, s.client, &eqStatusCheck, req)
}

// UpdateServers refreshes the session's server list from billing and
// inventory, after an order or a release, and returns it with the deploy
// keys linking order invoices to their deployments' callback keys (eq.php
// update_servers). Until it is called, a session's List and Show do not
// see servers ordered after its login.
func (s *EqService) UpdateServers(ctx context.Context) (*UpdateServersResult, error) {
	return get[UpdateServersResult](ctx, s.client, &eqUpdateServers, nil)
}

// GroupsRequest asks for a server's groups. Published by name only: ID is sent
// as "id", Extra as given.
type GroupsRequest = ServerRequest

// Groups returns the groups of a server (eq.php groups). Published by name only
// (see [GroupsRequest]).
func (s *EqService) Groups(ctx context.Context, req *GroupsRequest) ([]ServerGroup, error) {
	return getList[ServerGroup](ctx, s.client, &eqGroups, req, "groups")
}

// HistoryRequest asks for a server's event history. Published by name only: ID
// is sent as "id", Extra as given (paging, dates...).
type HistoryRequest = ServerRequest

// History returns the server's event history (eq.php history). Published by
// name only (see [HistoryRequest]).
func (s *EqService) History(ctx context.Context, req *HistoryRequest) ([]HistoryEvent, error) {
	return getList[HistoryEvent](ctx, s.client, &eqHistory, req, "history", "events")
}

// Sensors asks the server's IPMI for its sensor readings (temperature,
// voltage, fan RPM), bare-metal only (eq.php sensors). The readings come in
// the finished Operation's Scope.
func (s *EqService) Sensors(ctx context.Context, id int) (*Operation, error) {
	return startID(ctx, s.client, &eqSensors, id)
}

// Renaming

// RenameServerRequest sets a server's hostname, as HOSTKEY's Terraform
// provider does after an order whose hostname was not applied.
type RenameServerRequest struct {
	ID       int    `url:"id" check:"id=server"`
	Hostname string `url:"hostname" check:"required"`
}

// Validate checks the request before it is sent.
func (r *RenameServerRequest) Validate() error { return validateRequest(r) }

func (r *RenameServerRequest) check() error {
	if h := r.Hostname; len(h) > 253 || strings.ContainsAny(h, " \t\r\n/\\@#") {
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
	return start(ctx, s.client, &eqRenameServer, req)
}
