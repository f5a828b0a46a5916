package invapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// IPMIAccess is temporary access to a server's IPMI: a NAT pass-through to
// its IPMI interface and an IPMI user. Close removes both. Printing it
// never shows the password.
type IPMIAccess struct {
	ServerID int
	Address  string // the IPMI address to open, when the API reports it
	User     string
	Password string
	// Expires is when the NAT pass-through lapses by itself (2 hours by
	// default).
	Expires time.Time

	svc *EqService
}

// String describes the access without the password.
func (a *IPMIAccess) String() string {
	return fmt.Sprintf("IPMI access to server %d at %s as %s (until %s)", a.ServerID, a.Address, a.User, a.Expires.Format(time.RFC3339))
}

// GoString is String, so %#v does not show the password either.
func (a *IPMIAccess) GoString() string { return a.String() }

// Format implements fmt.Formatter: every verb prints String.
func (a *IPMIAccess) Format(f fmt.State, _ rune) { _, _ = fmt.Fprint(f, a.String()) }

// LogValue keeps the password out of structured logs.
func (a *IPMIAccess) LogValue() slog.Value { return slog.StringValue(a.String()) }

// IPMIAccessOptions tune OpenIPMI.
type IPMIAccessOptions struct {
	// AllowFrom limits the NAT pass-through to an address or CIDR prefix
	// (nat.php ip_acl); empty means any.
	AllowFrom string
	// Hours is how long the pass-through lasts (1 to 24; 0 for the API's 2).
	Hours int
	// Admin creates an administrator (add_ipmi_admin) rather than a user.
	Admin bool
}

// OpenIPMI gives temporary access to a server's IPMI: it opens the NAT
// pass-through (nat.php add_static_nat, PIN required) and creates an IPMI
// user (eq.php add_ipmi_user, or add_ipmi_admin). If the user cannot be
// created, the pass-through is removed again. Call Close on the result when
// done.
func (s *EqService) OpenIPMI(ctx context.Context, id int, opts *IPMIAccessOptions, progress ProgressFunc) (*IPMIAccess, error) {
	if opts == nil {
		opts = &IPMIAccessOptions{}
	}
	natReq := &AddStaticNATRequest{ID: id, IPACL: opts.AllowFrom, TTL: opts.Hours}
	if err := natReq.Validate(); err != nil {
		return nil, err
	}
	w := &workflow{c: s.client, name: "ipmi access", serverID: id, progress: progress}
	if _, err := w.run(ctx, "add_static_nat", func() (*Operation, error) {
		return s.client.NAT.AddStaticNAT(ctx, natReq)
	}); err != nil {
		return nil, err
	}
	hours := opts.Hours
	if hours == 0 {
		hours = 2
	}
	access := &IPMIAccess{ServerID: id, Expires: time.Now().Add(time.Duration(hours) * time.Hour), svc: s}

	user, err := s.newIPMIUser(ctx, w, id, opts.Admin)
	if err != nil {
		return nil, w.withCleanup(err, s.removeNAT(ctx, w, id))
	}
	access.User, access.Password, access.Address = user.User, user.Password, user.IP
	if access.Address == "" {
		if ifaces, err := s.GetIPMI(ctx, &GetIPMIRequest{ID: id}); err == nil && len(ifaces) > 0 {
			access.Address = ifaces[0].IP
		}
	}
	s.client.rememberSecrets(access.Password)
	w.step("add_ipmi_user", "IPMI user "+access.User+" created")
	return access, nil
}

// newIPMIUser creates the user and, when the API answered with a callback
// key, waits for the credentials.
func (s *EqService) newIPMIUser(ctx context.Context, w *workflow, id int, admin bool) (*IPMIUser, error) {
	var user *IPMIUser
	var err error
	if admin {
		user, err = s.AddIPMIAdmin(ctx, &AddIPMIAdminRequest{ID: id})
	} else {
		user, err = s.AddIPMIUser(ctx, &AddIPMIUserRequest{ID: id})
	}
	if err != nil {
		// A lost answer that still held a callback key: the user is being
		// made and its credentials come on the key. No read shows IPMI
		// users, so without a key the step fails.
		st, ok := w.settle(ctx, "add_ipmi_user", err)
		if !ok || st.Operation == nil {
			return nil, w.failSettled("add_ipmi_user", err, st)
		}
		user = &IPMIUser{Operation: st.Operation}
	}
	if user.Operation != nil {
		// Wait even when the answer already named the user: the key is
		// read, not left pending, and the user exists once it is OK.
		res, err := w.wait(ctx, user.Operation)
		if err != nil {
			return nil, w.fail("add_ipmi_user", err)
		}
		if user.User == "" {
			user.User = firstNonEmpty(res.Context.Fields["user"], res.Context.Fields["username"], res.Context.Fields["login"])
			user.Password = firstNonEmpty(res.Context.Fields["password"], res.Context.Fields["pass"])
		}
		user.IP = firstNonEmpty(user.IP, res.Context.Fields["ip"])
	}
	if user.User == "" {
		return nil, w.fail("add_ipmi_user", errors.New("the answer named no IPMI user"))
	}
	return user, nil
}

func (s *EqService) removeNAT(ctx context.Context, w *workflow, id int) error {
	cctx, cancel := cleanupContext(ctx)
	defer cancel()
	_, err := w.run(cctx, "remove_static_nat", func() (*Operation, error) {
		return s.client.NAT.RemoveStaticNAT(cctx, id)
	})
	return err
}

// Close removes the IPMI user and the NAT pass-through (eq.php
// remove_ipmi_user, nat.php remove_static_nat), even if ctx is already
// cancelled. It tries both and returns what failed.
func (a *IPMIAccess) Close(ctx context.Context) error {
	cctx, cancel := cleanupContext(ctx)
	defer cancel()
	w := &workflow{c: a.svc.client, name: "ipmi access clean-up", serverID: a.ServerID}
	_, errUser := w.run(cctx, "remove_ipmi_user", func() (*Operation, error) {
		return a.svc.RemoveIPMIUser(cctx, &RemoveIPMIUserRequest{ID: a.ServerID, Username: a.User})
	})
	return errors.Join(errUser, a.svc.removeNAT(cctx, w, a.ServerID))
}

// ConsoleAccess is a NoVNC console link to a virtual server. Close stops it.
type ConsoleAccess struct {
	ServerID int
	URL      string // the console link (it carries a session secret: do not log it)
	svc      *EqService
}

// String describes the console without its link.
func (a *ConsoleAccess) String() string { return fmt.Sprintf("NoVNC console of server %d", a.ServerID) }

// GoString is String, so %#v does not show the link either.
func (a *ConsoleAccess) GoString() string { return a.String() }

// Format implements fmt.Formatter: every verb prints String.
func (a *ConsoleAccess) Format(f fmt.State, _ rune) { _, _ = fmt.Fprint(f, a.String()) }

// LogValue keeps the link out of structured logs.
func (a *ConsoleAccess) LogValue() slog.Value { return slog.StringValue(a.String()) }

// OpenConsole starts a NoVNC console for a virtual server (eq.php novnc) and
// returns its link; allowFrom, when set, is the only address allowed to
// use it. Call Close when done.
func (s *EqService) OpenConsole(ctx context.Context, id int, allowFrom string, progress ProgressFunc) (*ConsoleAccess, error) {
	req := &NoVNCRequest{ID: id, WhiteIP: allowFrom}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	w := &workflow{c: s.client, name: "console access", serverID: id, progress: progress}
	res, err := w.run(ctx, "novnc", func() (*Operation, error) { return s.NoVNC(ctx, req) })
	if err != nil {
		return nil, err
	}
	link := firstNonEmpty(res.Context.Fields["url"], res.Context.Fields["link"], res.Context.Fields["novnc_url"])
	if link == "" && (strings.HasPrefix(res.Scope, "https://") || strings.HasPrefix(res.Scope, "http://")) {
		link = res.Scope
	}
	if link == "" {
		return nil, w.fail("novnc", errors.New("the answer carried no console link"))
	}
	return &ConsoleAccess{ServerID: id, URL: link, svc: s}, nil
}

// Close stops the console (eq.php stop_novnc), even if ctx is cancelled.
func (a *ConsoleAccess) Close(ctx context.Context) error {
	cctx, cancel := cleanupContext(ctx)
	defer cancel()
	w := &workflow{c: a.svc.client, name: "console clean-up", serverID: a.ServerID}
	_, err := w.run(cctx, "stop_novnc", func() (*Operation, error) { return a.svc.StopNoVNC(cctx, a.ServerID) })
	return err
}
