package invapi

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
)

// IPMI and consoles

// AddIPMIUserRequest creates a temporary IPMI web user. AdminUser and
// AdminPass apply to administrators (servers with the admin_ipmi tag);
// without them the API makes a random login and password. Printing the
// request never shows AdminPass.
type AddIPMIUserRequest struct {
	ID        int    `url:"id" check:"id=server"`
	AdminUser string `url:"admin_user,omitempty"`
	AdminPass string `url:"admin_pass,omitempty"`
}

// Validate checks the request before it is sent.
func (r *AddIPMIUserRequest) Validate() error { return validateRequest(r) }

func (r *AddIPMIUserRequest) check() error {
	if r.AdminPass != "" && r.AdminUser == "" {
		return invalid("admin_user", "is required with admin_pass")
	}
	return nil
}

// Format implements fmt.Formatter so that no verb prints AdminPass.
func (r AddIPMIUserRequest) Format(f fmt.State, verb rune) { formatMasked(f, verb, r) }

// MarshalJSON writes the request with AdminPass masked.
func (r AddIPMIUserRequest) MarshalJSON() ([]byte, error) { return marshalMasked(r) }

// LogValue logs the request with AdminPass masked.
func (r AddIPMIUserRequest) LogValue() slog.Value { return logMasked(r) }

// AddIPMIUser creates a temporary IPMI web user and returns its login
// (eq.php add_ipmi_user). The newer reference answers with the user and
// password at once, as read here; the older calls the action async: when a
// callback key comes back, IPMIUser.Operation is set and the credentials
// may arrive in its result instead. IPMI addresses are private: open them
// with NAT.AddStaticNAT.
func (s *EqService) AddIPMIUser(ctx context.Context, req *AddIPMIUserRequest) (*IPMIUser, error) {
	return getOp[IPMIUser](ctx, s.client, &eqAddIPMIUser, req)
}

// AddIPMIAdminRequest asks for an IPMI administrator login. Published by name
// only: ID is sent as "id", Extra as given.
type AddIPMIAdminRequest = ServerRequest

// AddIPMIAdmin creates an IPMI user with administrator rights, or returns the
// existing one (eq.php add_ipmi_admin). Published by name only (see
// [AddIPMIAdminRequest]).
func (s *EqService) AddIPMIAdmin(ctx context.Context, req *AddIPMIAdminRequest) (*IPMIUser, error) {
	return getOp[IPMIUser](ctx, s.client, &eqAddIPMIAdmin, req)
}

// RemoveIPMIUserRequest removes an additional IPMI user. HOSTKEY's MCP
// server sends only the server id (the API removes the temporary user it
// made); the older reference also names the login, sent when set.
type RemoveIPMIUserRequest struct {
	ID       int    `url:"id" check:"id=server"`
	Username string `url:"username,omitempty"` // the login to remove (IPMIUser.User), optional
}

// Validate checks the request before it is sent.
func (r *RemoveIPMIUserRequest) Validate() error { return validateRequest(r) }

// RemoveIPMIUser removes an additional (temporary) IPMI user
// (eq.php remove_ipmi_user). Only the server id is required.
func (s *EqService) RemoveIPMIUser(ctx context.Context, req *RemoveIPMIUserRequest) (*Operation, error) {
	return start(ctx, s.client, &eqRemoveIPMIUser, req)
}

// GetIPMIRequest asks for a server's IPMI addresses. Published by name only: ID
// is sent as "id", Extra as given.
type GetIPMIRequest = ServerRequest

// GetIPMI returns the address and model of each IPMI interface of the server
// (eq.php get_ipmi). Published by name only (see [GetIPMIRequest]).
func (s *EqService) GetIPMI(ctx context.Context, req *GetIPMIRequest) ([]IPMIInterface, error) {
	return getList[IPMIInterface](ctx, s.client, &eqGetIPMI, req, "ipmi", "IPMI", "interfaces")
}

// Console opens a virtual machine's console (eq.php console, needs the
// PIN): the finished Operation's Scope is the virt-viewer file (save it as
// console.vv).
func (s *EqService) Console(ctx context.Context, id int) (*Operation, error) {
	return startID(ctx, s.client, &eqConsole, id)
}

// NoVNCRequest opens a NoVNC console. WhiteIP is an address allowed to
// connect (optional).
type NoVNCRequest struct {
	ID      int    `url:"id" check:"id=server"`
	WhiteIP string `url:"white_ip,omitempty"`
}

// Validate checks the request before it is sent.
func (r *NoVNCRequest) Validate() error { return validateRequest(r) }

func (r *NoVNCRequest) check() error {
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
	return start(ctx, s.client, &eqNoVNC, req)
}

// OvirtNoVNCRequest opens an oVirt NoVNC console. Published by name only: ID is
// sent as "id", Extra as given.
type OvirtNoVNCRequest = ServerRequest

// OvirtNoVNC opens a NoVNC console to a virtual server through oVirt (eq.php
// ovirt_novnc). Published by name only (see [OvirtNoVNCRequest]). An answer
// without a callback key gives an Operation that is already done; its result's
// Raw holds the answer (console URL).
func (s *EqService) OvirtNoVNC(ctx context.Context, req *OvirtNoVNCRequest) (*Operation, error) {
	return start(ctx, s.client, &eqOvirtNoVNC, req)
}

// RecreateNoVNC recreates the server's NoVNC console (eq.php recreate_novnc).
func (s *EqService) RecreateNoVNC(ctx context.Context, id int) (*Operation, error) {
	return startID(ctx, s.client, &eqRecreateNoVNC, id)
}

// StopNoVNC ends the server's NoVNC console session (eq.php stop_novnc).
func (s *EqService) StopNoVNC(ctx context.Context, id int) (*Operation, error) {
	return startID(ctx, s.client, &eqStopNoVNC, id)
}
