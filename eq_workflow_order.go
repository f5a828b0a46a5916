package invapi

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"
)

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
