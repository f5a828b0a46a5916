package invapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"
)

// The procedures the vendor's docs describe in several steps, as single
// calls built on the eq.php actions: order and wait, reinstall, IPMI and
// console access, power with confirmation. Each takes an optional progress
// callback that sees every step and every stage as it happens; each stops
// when ctx ends; each cleans up what it set up when a later step fails.

// StatusStep is the Progress status of a workflow step that completed.
const StatusStep ProgressStatus = "Step"

// ProgressFunc receives the progress of a workflow: a StatusStep event for
// each step done, and every event of the operations it waits on. It is
// called on the workflow's goroutine, in order; keep it quick.
type ProgressFunc func(Progress)

// WorkflowError is the failure of one step of a workflow. ServerID and
// Invoice say what already exists, so nothing is ordered twice by a retry.
//
// Every failure of a workflow (OrderAndWait, ReinstallAndWait, OpenIPMI,
// OpenConsole, PowerOnAndConfirm, PowerOffAndConfirm, RebootAndConfirm, and
// the Close of their IPMIAccess and ConsoleAccess) is a *WorkflowError, from
// the first step on; only input found invalid before anything was sent is
// returned as a bare *ValidationError. The step's own error is wrapped: match
// it with errors.Is and errors.As (ErrOutcomeUnknown, *OutcomeUnknownError,
// *APIError, context.DeadlineExceeded), never with a type assertion.
type WorkflowError struct {
	Workflow string // "order", "reinstall", "ipmi access", "power on"...
	Step     string // the action that failed, e.g. "create_pxe"
	ServerID int    // the server concerned, when known
	Invoice  int    // the order's invoice, when an order was placed
	Err      error
	// Cleanup holds the failures of the clean-up that followed, if any.
	Cleanup error
	// Settlement is what reading told of a step whose answer was lost (Err
	// matches ErrOutcomeUnknown) when it did not prove the step happened;
	// nil when no read was tried.
	Settlement *Settlement
}

func (e *WorkflowError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "invapi: %s: step %s failed", e.Workflow, e.Step)
	if e.ServerID > 0 {
		fmt.Fprintf(&b, " (server %d)", e.ServerID)
	}
	if e.Invoice > 0 {
		fmt.Fprintf(&b, " (order placed: invoice %d; do not order again, check eq/update_servers deploy_keys)", e.Invoice)
	}
	fmt.Fprintf(&b, ": %s", innerText(e.Err, "", ""))
	if e.Cleanup != nil {
		fmt.Fprintf(&b, "; clean-up also failed: %s", innerText(e.Cleanup, "", ""))
	}
	return b.String()
}

func (e *WorkflowError) Unwrap() error { return e.Err }

// workflow runs the steps of one procedure and reports them.
type workflow struct {
	c        *Client
	name     string
	serverID int
	invoice  int
	progress ProgressFunc
}

func (w *workflow) step(name, message string) {
	if w.progress != nil {
		w.progress(Progress{Status: StatusStep, Step: name, Message: message, Time: time.Now()})
	}
}

func (w *workflow) fail(step string, err error) error {
	return &WorkflowError{Workflow: w.name, Step: step, ServerID: w.serverID, Invoice: w.invoice, Err: err}
}

// settle reads whether a step whose answer was lost took effect
// (Client.Settle; the step is never sent again). It returns the
// settlement, and whether it proves the step happened so the workflow may
// carry on.
func (w *workflow) settle(ctx context.Context, step string, err error) (*Settlement, bool) {
	if !errors.Is(err, ErrOutcomeUnknown) {
		return nil, false
	}
	st, serr := w.c.Settle(ctx, err)
	if serr != nil {
		w.c.logger.Debug("invapi workflow could not settle a lost answer", slog.String("workflow", w.name),
			slog.String("step", step), slog.String("error", w.c.redact(serr.Error())))
	}
	if st == nil || st.Outcome != OutcomeApplied {
		return st, false
	}
	w.c.logger.Info("invapi workflow step settled by reading", slog.String("workflow", w.name),
		slog.String("step", step), slog.String("evidence", w.c.redact(st.Evidence)))
	return st, true
}

// failSettled is fail for a step whose lost answer a read did not settle.
func (w *workflow) failSettled(step string, err error, st *Settlement) error {
	return &WorkflowError{Workflow: w.name, Step: step, ServerID: w.serverID, Invoice: w.invoice, Err: err, Settlement: st}
}

// wait waits on op, passing its events to the progress callback.
func (w *workflow) wait(ctx context.Context, op *Operation) (*OperationResult, error) {
	if op == nil {
		return &OperationResult{}, nil
	}
	if w.progress == nil {
		return op.Wait(ctx)
	}
	for p, err := range op.Watch(ctx) {
		if err != nil && p.Status == "" {
			return nil, err // ctx ended
		}
		p.Step = op.Action()
		w.progress(p)
	}
	return op.Wait(ctx)
}

// run sends one async action, waits for it, and reports the step. When
// the action's answer is lost, a read that proves it happened (see
// Client.Settle) lets the workflow carry on: it waits on the callback key
// the answer still held, or takes the step as done.
func (w *workflow) run(ctx context.Context, step string, send func() (*Operation, error)) (*OperationResult, error) {
	op, err := send()
	if err != nil {
		st, ok := w.settle(ctx, step, err)
		if !ok {
			return nil, w.failSettled(step, err, st)
		}
		if st.Operation == nil {
			w.step(step, "settled by reading: "+st.Evidence)
			return &OperationResult{Scope: st.Evidence}, nil
		}
		op = st.Operation
	}
	res, err := w.wait(ctx, op)
	if err != nil {
		return nil, w.fail(step, err)
	}
	w.step(step, res.Scope)
	return res, nil
}

// cleanupContext outlives the caller's cancellation for a little while, so
// that what a workflow set up is taken down even when it was cancelled.
func cleanupContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
}

// OrderedServer is what OrderAndWait returns: the new server and the order
// that made it.
type OrderedServer struct {
	// Server is the new server as eq.php show reports it (after eq.php
	// update_servers, without which a session cannot see it).
	Server *Server
	// Invoice is the order's invoice id (0 when the answer named none).
	Invoice int
	// OrderStatus is the order's payment status when the answer said it:
	// "Paid", or "Unpaid" (the deployment waits for the invoice to be paid).
	OrderStatus string
	// Order is the order_instance answer; nil when the answer was lost and
	// the order was found by reading (see OrderAndWait).
	Order *OrderResult
	// Deployment is the deployment's final answer (its Context.ID is the
	// server); nil when the callback key's OK was read by someone else, or
	// the API gave no key to follow.
	Deployment *OperationResult
}

// OrderAndWait orders a server (eq.php order_instance), waits until it is
// deployed, and returns it with its invoice. The order is sent once, never
// again, whatever happens next.
//
// The deployment is followed on the callback key of the answer or, when the
// answer carries only an invoice, on the key eq.php update_servers lists
// for that invoice in deploy_keys; its OK names the server (context.id).
// When neither gives a key, the server is the one that appeared in
// update_servers since the order, returned without waiting for its
// deployment. A session sees a server ordered after its login only after
// update_servers: OrderAndWait calls it before eq.php show.
//
// When the order's answer is lost (ErrOutcomeUnknown), OrderAndWait
// settles it by reading, never by ordering again: it follows the callback
// key the answer still held, or the one invoice eq.php update_servers added
// to deploy_keys since just before the order, or the one server that
// appeared there. When none of these tells (several new invoices, another
// order placed at the same moment, or no record from before the order), it
// fails with the *WorkflowError's Settlement saying what it saw.
//
// Deployments take 5 to 30 minutes: give ctx a deadline that allows for
// it. Every failure is a *WorkflowError (Step "order_instance", "deploy",
// "update_servers" or "show") whose Invoice, and ServerID when known, say
// what exists: do not order again.
func (s *EqService) OrderAndWait(ctx context.Context, req *OrderInstanceRequest, progress ProgressFunc) (*OrderedServer, error) {
	if req == nil {
		return nil, invalid("preset", "request is nil")
	}
	if req.ID != 0 {
		return nil, invalid("id", "must be empty for a new server (use ReinstallAndWait for an existing one)")
	}
	w := &workflow{c: s.client, name: "order", progress: progress}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	// The servers before the order: a last way to recognise the new one when
	// the API gives no key to follow. Best effort: an account with no
	// servers answers this with an error.
	var before []int
	var beforeKeys map[string]string
	if us, err := s.UpdateServers(ctx); err == nil {
		before, beforeKeys = us.Servers, us.DeployKeys
		if beforeKeys == nil {
			beforeKeys = map[string]string{}
		}
	}
	order, err := s.OrderInstance(ctx, req)
	answer, settledBy := order, ""
	if err != nil {
		// Refused, or outcome unknown: never resent. A lost answer is
		// settled by reading: the callback key it still held, or one new
		// invoice in deploy_keys (or one new server) since before.
		found, st := s.settleOrder(ctx, w, err, before, beforeKeys)
		if found == nil {
			return nil, w.failSettled("order_instance", err, st)
		}
		order, settledBy = found, st.Evidence
	}
	out := &OrderedServer{Invoice: order.Invoice, OrderStatus: order.Status, Order: answer}
	w.invoice, w.serverID = order.Invoice, order.ID
	if answer != nil {
		w.step("order_instance", fmt.Sprintf("order accepted, invoice %d", order.Invoice))
	} else {
		w.step("order_instance", "answer lost, order found by reading: "+settledBy)
	}

	op := order.Operation
	if op == nil && order.Invoice > 0 {
		// Only an invoice: deploy_keys names the key of its deployment, or
		// the new server shows up in the list.
		key, id, err := s.deployKeyForOrder(ctx, order.Invoice, before)
		if err != nil {
			return nil, w.fail("update_servers", err)
		}
		if key != "" {
			op = s.client.poller.operation(key, eqCallback, eqOrderInstance.module, eqOrderInstance.action, 0, true)
		} else if w.serverID == 0 {
			w.serverID = id
		}
	}
	if op != nil {
		res, err := w.wait(ctx, op)
		switch {
		case err == nil:
			out.Deployment = res
			if res.Context.ID > 0 {
				w.serverID = res.Context.ID
			}
		case errors.Is(err, ErrCallbackKeyGone):
			// The OK was read elsewhere: the server list still tells.
		default:
			return nil, w.fail("deploy", err)
		}
	}
	// Refresh the session's server list (the new server is not in it yet)
	// and find the server there when the callback did not name it.
	id, err := s.serverForOrder(ctx, w.serverID, order.Invoice, before)
	if err != nil {
		return nil, w.fail("update_servers", err)
	}
	w.serverID = id
	w.step("update_servers", fmt.Sprintf("server %d", id))
	srv, err := s.Show(ctx, id)
	if err != nil {
		return nil, w.fail("show", err)
	}
	out.Server = srv
	return out, nil
}

// settleOrder reads whether an order whose answer was lost was placed:
// the callback key the answer still held, else exactly one invoice added
// to deploy_keys since beforeKeys, else exactly one server added since
// before. It returns the order as found (nil when nothing proves it) and
// the settlement. Without a record from before the order (beforeKeys nil:
// update_servers failed then) nothing new can be told from old.
func (s *EqService) settleOrder(ctx context.Context, w *workflow, err error, before []int, beforeKeys map[string]string) (*OrderResult, *Settlement) {
	st, ok := w.settle(ctx, "order_instance", err)
	if ok && st.Operation != nil {
		return &OrderResult{Operation: st.Operation}, st
	}
	if st == nil || beforeKeys == nil {
		return nil, st
	}
	us, uerr := s.UpdateServers(ctx)
	if uerr != nil {
		return nil, st
	}
	var invoices []string
	for inv := range us.DeployKeys {
		if _, old := beforeKeys[inv]; !old {
			invoices = append(invoices, inv)
		}
	}
	added := newServers(before, us.Servers)
	found := &Settlement{Outcome: OutcomeApplied, Module: st.Module, Action: st.Action, Read: "eq/update_servers"}
	switch {
	case len(invoices) == 1:
		inv, _ := strconv.Atoi(invoices[0])
		found.Evidence = "deploy_keys gained invoice " + invoices[0] + " since the order was sent"
		op := s.client.poller.operation(us.DeployKeys[invoices[0]], eqCallback, eqOrderInstance.module, eqOrderInstance.action, 0, true)
		return &OrderResult{Invoice: inv, Operation: op}, found
	case len(invoices) == 0 && len(added) == 1:
		found.Evidence = fmt.Sprintf("server %d appeared in update_servers since the order was sent", added[0])
		return &OrderResult{ID: added[0]}, found
	}
	st.Read = "eq/update_servers"
	st.Evidence = fmt.Sprintf("%d new invoices in deploy_keys and %d new servers since the order was sent: cannot tell which, if any, is this order; check whmcs/get_invoices", len(invoices), len(added))
	return nil, st
}

// deployKeyForOrder polls update_servers until deploy_keys lists the
// invoice's callback key, or, failing that, exactly one server appeared
// since before (then key is "" and id that server).
func (s *EqService) deployKeyForOrder(ctx context.Context, invoice int, before []int) (key string, id int, err error) {
	delay, maxDelay := s.client.poller.pace()
	for {
		us, err := s.UpdateServers(ctx)
		if err != nil {
			return "", 0, err
		}
		if key, ok := us.DeployKey(invoice); ok {
			return key, 0, nil
		}
		if before != nil {
			if added := newServers(before, us.Servers); len(added) == 1 {
				return "", added[0], nil
			}
		}
		select {
		case <-ctx.Done():
			return "", 0, fmt.Errorf("invoice %d is not in deploy_keys yet and no new server appeared: %w", invoice, ctx.Err())
		case <-time.After(delay):
		}
		delay = min(delay*2, maxDelay)
	}
}

// serverForOrder refreshes the session's server list (so that show sees
// the new server) and returns the new server: known when the callback named
// it, else the only server absent from before. It polls while neither
// tells yet.
func (s *EqService) serverForOrder(ctx context.Context, known, invoice int, before []int) (int, error) {
	delay, maxDelay := s.client.poller.pace()
	for {
		us, err := s.UpdateServers(ctx)
		if err != nil {
			return 0, err
		}
		if known > 0 {
			return known, nil
		}
		if before != nil {
			if added := newServers(before, us.Servers); len(added) == 1 {
				return added[0], nil
			}
		}
		select {
		case <-ctx.Done():
			return 0, fmt.Errorf("the server of invoice %d is not known yet: %w", invoice, ctx.Err())
		case <-time.After(delay):
		}
		delay = min(delay*2, maxDelay)
	}
}

// newServers returns the ids in after that are not in before.
func newServers(before, after []int) []int {
	seen := make(map[int]bool, len(before))
	for _, id := range before {
		seen[id] = true
	}
	var added []int
	for _, id := range after {
		if !seen[id] {
			added = append(added, id)
		}
	}
	return added
}

// ReinstallAndWait reinstalls a server by the documented PXE procedure and
// waits until it is back online: eq.php reinstall (the master key),
// create_pxe, boot_dev pxe, reboot, the five install stages, then boot_dev
// disk and clear_pxe. The install stages reach progress as they happen.
//
// req describes the install; its ReinstallKey is set by the workflow. Once
// the PXE config exists, boot_dev disk and clear_pxe are sent even when a
// later step fails or ctx is cancelled, so the server does not reinstall
// again at its next boot. mode is the boot mode for the PXE boot ("" keeps
// the server's).
//
// For the one-call reinstall of the newer API reference, use Reinstall with
// an OS and wait on its Operation.
func (s *EqService) ReinstallAndWait(ctx context.Context, req *CreatePXERequest, mode BootMode, progress ProgressFunc) (*OperationResult, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	if err := req.Validate(); err != nil { // before the master key is made
		return nil, err
	}
	w := &workflow{c: s.client, name: "reinstall", serverID: req.ID, progress: progress}

	master, err := s.Reinstall(ctx, &ReinstallRequest{ID: req.ID})
	if err != nil {
		return nil, w.fail("reinstall", err)
	}
	w.step("reinstall", "master reinstall key created")

	pxe := *req
	pxe.ReinstallKey = master.Key
	if _, err := w.run(ctx, "create_pxe", func() (*Operation, error) { return s.CreatePXE(ctx, &pxe) }); err != nil {
		return nil, w.withCleanup(err, s.pxeCleanup(ctx, req.ID, req.Hostname, progress))
	}
	res, err := s.bootAndInstall(ctx, w, req.ID, mode, master.Operation)
	cleanupErr := s.pxeCleanup(ctx, req.ID, req.Hostname, progress)
	if err != nil {
		return nil, w.withCleanup(err, cleanupErr)
	}
	if cleanupErr != nil {
		return res, w.withCleanup(w.fail("clean-up", cleanupErr), nil)
	}
	return res, nil
}

// bootAndInstall boots the server from PXE and follows the install stages.
func (s *EqService) bootAndInstall(ctx context.Context, w *workflow, id int, mode BootMode, install *Operation) (*OperationResult, error) {
	if _, err := w.run(ctx, "boot_dev pxe", func() (*Operation, error) {
		return s.BootDev(ctx, &BootDevRequest{ID: id, Media: BootPXE, BootMode: mode})
	}); err != nil {
		return nil, err
	}
	if _, err := w.run(ctx, "reboot", func() (*Operation, error) { return s.Reboot(ctx, id) }); err != nil {
		return nil, err
	}
	if install == nil {
		return nil, w.fail("install", errors.New("the reinstall answer carried no key to follow the install"))
	}
	res, err := w.wait(ctx, install)
	if err != nil {
		return nil, w.fail("install", err)
	}
	w.step("install", res.Scope)
	return res, nil
}

// pxeCleanup sets the server to boot from disk and removes its PXE config,
// even after cancellation. It returns what failed, joined.
func (s *EqService) pxeCleanup(ctx context.Context, id int, hostname string, progress ProgressFunc) error {
	cctx, cancel := cleanupContext(ctx)
	defer cancel()
	w := &workflow{c: s.client, name: "reinstall clean-up", serverID: id, progress: progress}
	_, errDisk := w.run(cctx, "boot_dev disk", func() (*Operation, error) {
		return s.BootDev(cctx, &BootDevRequest{ID: id, Media: BootDisk})
	})
	_, errClear := w.run(cctx, "clear_pxe", func() (*Operation, error) {
		return s.ClearPXE(cctx, &ClearPXERequest{ID: id, Hostname: hostname})
	})
	return errors.Join(errDisk, errClear)
}

// withCleanup attaches a clean-up failure to a step's WorkflowError.
func (w *workflow) withCleanup(err, cleanup error) error {
	var we *WorkflowError
	if errors.As(err, &we) {
		we.Cleanup = cleanup
	}
	if cleanup != nil {
		w.c.logger.Warn("invapi workflow clean-up failed", slog.String("workflow", w.name),
			slog.Int("server", w.serverID), slog.String("error", w.c.redact(cleanup.Error())))
	}
	return err
}

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

// PowerOnAndConfirm powers a server on (eq.php on), waits for the callback,
// then reads eq.php status until it reports the power on.
func (s *EqService) PowerOnAndConfirm(ctx context.Context, id int, progress ProgressFunc) (*ServerStatus, error) {
	return s.powerAndConfirm(ctx, id, "on", "on", s.On, progress)
}

// PowerOffAndConfirm powers a server off (eq.php off), waits for the
// callback, then reads eq.php status until it reports the power off.
func (s *EqService) PowerOffAndConfirm(ctx context.Context, id int, progress ProgressFunc) (*ServerStatus, error) {
	return s.powerAndConfirm(ctx, id, "off", "off", s.Off, progress)
}

// RebootAndConfirm reboots a server (eq.php reboot), waits for the
// callback, then reads eq.php status until it reports the power on.
func (s *EqService) RebootAndConfirm(ctx context.Context, id int, progress ProgressFunc) (*ServerStatus, error) {
	return s.powerAndConfirm(ctx, id, "reboot", "on", s.Reboot, progress)
}

func (s *EqService) powerAndConfirm(ctx context.Context, id int, action, want string,
	send func(context.Context, int) (*Operation, error), progress ProgressFunc) (*ServerStatus, error) {
	if id <= 0 {
		return nil, invalid("id", "must be a positive server id, got %d", id)
	}
	w := &workflow{c: s.client, name: "power " + action, serverID: id, progress: progress}
	if _, err := w.run(ctx, action, func() (*Operation, error) { return send(ctx, id) }); err != nil {
		return nil, err
	}
	delay, maxDelay := s.client.poller.pace()
	for {
		st, err := s.Status(ctx, id)
		if err != nil {
			return nil, w.fail("status", err)
		}
		state := powerState(st)
		if st.Operation != nil {
			// Read the status check's key even when the answer already
			// said the state, so no key is left pending on the API.
			if res, err := w.wait(ctx, st.Operation); err == nil && state == "" {
				state = firstNonEmpty(powerFromText(res.Debug), powerFromText(res.Scope))
			}
		}
		if state == want {
			w.step("status", "power "+state)
			return st, nil
		}
		select {
		case <-ctx.Done():
			return nil, w.fail("status", fmt.Errorf("power still %q, want %q: %w", state, want, ctx.Err()))
		case <-time.After(delay):
		}
		delay = min(delay*2, maxDelay)
	}
}

// powerState reads "on" or "off" from a status answer, or "" when unknown.
func powerState(st *ServerStatus) string {
	if p := powerFromText(st.Power); p != "" {
		return p
	}
	switch strings.ToLower(st.Status) {
	case "power_off", "inactive", "off":
		return "off"
	case "active", "on", "power_on":
		return "on"
	}
	return ""
}

// powerTexts are the power states as the API words them: ipmitool's
// "power status" and "power on/off" output, the simulator's scopes, and the
// bare words of eq status.
var powerTexts = map[string]string{
	"on": "on", "off": "off",
	"power on": "on", "power off": "off",
	"power is on": "on", "power is off": "off",
	"chassis power is on": "on", "chassis power is off": "off",
	"chassis power control: up/on":    "on",
	"chassis power control: down/off": "off",
}

// powerFromText reads "on" or "off" from a power status text, or "" when
// the text is none of the known phrasings. Anything else is unknown, not
// on: "Chassis Power Control: Cycle" (a reboot's output) says nothing of
// the state, and "Error: Unable to establish IPMI v2 / RMCP+ session"
// contains "on" only by accident. Multi-line output is read line by line;
// lines that disagree make it unknown.
func powerFromText(s string) string {
	state := ""
	for _, line := range strings.Split(s, "\n") {
		line = strings.Trim(strings.ToLower(strings.Join(strings.Fields(line), " ")), " .")
		if line == "" {
			continue
		}
		p, ok := powerTexts[line]
		if !ok {
			continue
		}
		if state != "" && state != p {
			return ""
		}
		state = p
	}
	return state
}
