package invapi

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Outcome is what a read tells of a state change whose answer was lost:
// see Client.Settle.
type Outcome int

const (
	// OutcomeStillUnknown: no read can tell, or the read did not settle it.
	// Check by hand (Settlement.Evidence says what to look at) before
	// acting again.
	OutcomeStillUnknown Outcome = iota
	// OutcomeApplied: the state the action asked for holds (the tag has the
	// value sent, the PTR reads as sent, the power is as asked...), or the
	// lost answer held a callback key, so the API accepted the action and
	// Settlement.Operation follows it. Do not send the action again.
	OutcomeApplied
	// OutcomeNotApplied: the read shows the state the action would have
	// changed, unchanged. Sending the action again is the caller's choice;
	// the SDK never does it.
	OutcomeNotApplied
)

// String returns "applied", "not applied" or "still unknown".
func (o Outcome) String() string {
	switch o {
	case OutcomeApplied:
		return "applied"
	case OutcomeNotApplied:
		return "not applied"
	}
	return "still unknown"
}

// Settlement is the answer of Client.Settle.
type Settlement struct {
	Outcome Outcome
	Module  string // the action whose outcome was unknown, e.g. "tags"
	Action  string // e.g. "add"
	// Read is the read performed, e.g. "tags/list id=12345"; "" when no
	// read was made (none can tell, or the callback key told).
	Read string
	// Evidence says what the read showed, or why nothing can tell, in
	// words for a log or a person.
	Evidence string
	// Operation is set when the lost answer held a callback key: the action
	// is under way; wait on it to learn how it ends.
	Operation *Operation
}

func (s *Settlement) String() string {
	msg := fmt.Sprintf("%s/%s: %s", s.Module, s.Action, s.Outcome)
	if s.Evidence != "" {
		msg += ": " + s.Evidence
	}
	return msg
}

// Settle finds out, by reading only, whether the state change behind an
// unknown outcome (an *OutcomeUnknownError anywhere in err's chain, a
// *WorkflowError's for example) took effect. The action is never sent
// again.
//
// The reads, by action:
//   - tags add / remove: tags/list of each server (the tag present with the
//     value sent / absent).
//   - ip update_ptr: ip/get_ptr (the records read as sent).
//   - eq on, off, hard_off: eq/status (the power as asked). A power state
//     that differs is still unknown, not "not applied": the change is queued
//     on the server's IPMI and may land after the read.
//   - eq rename_server: tags/list (the hostname tag, where InvAPI keeps it).
//   - any action whose lost answer still held a callback key: applied, and
//     Settlement.Operation follows it.
//
// Everything else is OutcomeStillUnknown with the hint of
// OutcomeUnknownError.Settle: eq reboot leaves no state to read; no read
// shows static NAT rules or IPMI users (eq/get_ipmi names the interfaces
// only, and a new user's password was only in the lost answer); an order's
// invoice is known only from its answer, so eq/update_servers deploy_keys
// and whmcs/get_invoices cannot tell this order from another without a
// record of what was there before (OrderAndWait keeps one).
//
// A NotApplied answer describes the state at the time of the read. After a
// timeout (the request's deadline, or the HTTP client's) the API may still
// carry the action out, so an unchanged state is OutcomeStillUnknown then.
//
// The error is non-nil when err holds no *OutcomeUnknownError (a
// *ValidationError) or when the read itself failed; the Settlement is then
// OutcomeStillUnknown.
func (c *Client) Settle(ctx context.Context, err error) (*Settlement, error) {
	var unknown *OutcomeUnknownError
	if !errors.As(err, &unknown) {
		return nil, invalid("err", "holds no *OutcomeUnknownError")
	}
	s := &Settlement{Module: unknown.Module, Action: unknown.Action}
	if unknown.Operation != nil {
		s.Outcome, s.Operation = OutcomeApplied, unknown.Operation
		s.Evidence = "the answer held callback key " + unknown.Operation.Key() + ": accepted and under way"
		return s, nil
	}
	f := unknown.request
	hint := func(why string) (*Settlement, error) {
		s.Outcome, s.Evidence = OutcomeStillUnknown, why
		if unknown.Settle != "" {
			s.Evidence += "; check " + unknown.Settle
		}
		return s, nil
	}
	if f == nil {
		return hint("the request's fields are not known")
	}
	var rerr error
	switch unknown.Module + "/" + unknown.Action {
	case "tags/add":
		rerr = c.settleTags(ctx, s, f, true)
	case "tags/remove":
		rerr = c.settleTags(ctx, s, f, false)
	case "ip/update_ptr":
		rerr = c.settlePTR(ctx, s, f)
	case "eq/on":
		rerr = c.settlePower(ctx, s, f, "on")
	case "eq/off", "eq/hard_off":
		rerr = c.settlePower(ctx, s, f, "off")
	case "eq/rename_server":
		rerr = c.settleHostname(ctx, s, f)
	case "eq/reboot":
		return hint("a reboot leaves no state a read can tell from before")
	case "nat/add_static_nat", "nat/remove_static_nat":
		return hint("no read shows static NAT rules")
	case "eq/add_ipmi_user", "eq/add_ipmi_admin", "eq/remove_ipmi_user":
		return hint("no read lists IPMI users (eq/get_ipmi names the interfaces only)")
	case "eq/order_instance":
		return hint("the order's invoice was only in the lost answer")
	default:
		return hint("no read settles this action")
	}
	if rerr != nil {
		s.Outcome = OutcomeStillUnknown
		return s, fmt.Errorf("invapi: settling %s/%s: %w", unknown.Module, unknown.Action, rerr)
	}
	if s.Outcome == OutcomeNotApplied && timedOut(unknown.Err) {
		// The API may still be working on a request it was not given the
		// time to answer: an unchanged state proves nothing yet.
		s.Outcome = OutcomeStillUnknown
		s.Evidence += "; the request timed out and may still be carried out: read again later"
	}
	return s, nil
}

// timedOut reports an unknown outcome caused by a deadline or a timeout,
// after which the API may still carry the request out.
func timedOut(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// settleIDs returns the servers a tags request named (id or id_list).
func settleIDs(f url.Values) []int {
	var ids []int
	for _, v := range strings.Split(firstNonEmpty(f.Get("id"), f.Get("id_list")), ",") {
		if id, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && id > 0 {
			ids = append(ids, id)
		}
	}
	return ids
}

// settleTags reads tags/list of every server the request named: the tag
// with the value sent (add) or no such tag (remove) on all is applied; the
// opposite on all is not applied; a mix is still unknown.
func (c *Client) settleTags(ctx context.Context, s *Settlement, f url.Values, add bool) error {
	ids, name, value := settleIDs(f), f.Get("tag"), f.Get("value")
	if len(ids) == 0 || name == "" {
		s.Evidence = "the request named no server or tag"
		return nil
	}
	done := 0
	for _, id := range ids {
		tags, err := c.Tags.List(ctx, id)
		if err != nil {
			return err
		}
		found := slices.ContainsFunc(tags, func(t Tag) bool {
			return t.Name == name && (!add || t.Value == value)
		})
		if found == add {
			done++
		}
	}
	s.Read = "tags/list id=" + joinInts(ids)
	what := fmt.Sprintf("tag %s=%q", name, value)
	if !add {
		what = "no tag " + name
	}
	switch done {
	case len(ids):
		s.Outcome = OutcomeApplied
		s.Evidence = fmt.Sprintf("%s on %d of %d servers", what, done, len(ids))
	case 0:
		s.Outcome = OutcomeNotApplied
		s.Evidence = fmt.Sprintf("%s on none of %d servers", what, len(ids))
	default:
		s.Outcome = OutcomeStillUnknown
		s.Evidence = fmt.Sprintf("%s on %d of %d servers only", what, done, len(ids))
	}
	return nil
}

// settlePTR reads ip/get_ptr: the records as sent is applied.
func (c *Client) settlePTR(ctx context.Context, s *Settlement, f url.Values) error {
	id, _ := strconv.Atoi(f.Get("id"))
	ip := f.Get("ip")
	rec, err := c.IP.GetPTR(ctx, &GetPTRRequest{ID: id, IP: ip})
	if err != nil {
		return err
	}
	s.Read = "ip/get_ptr id=" + f.Get("id") + " ip=" + ip
	want := ptrSet(strings.Split(f.Get("ptr"), "\n"))
	got := ptrSet(rec.Names)
	if slices.Equal(want, got) {
		s.Outcome = OutcomeApplied
	} else {
		s.Outcome = OutcomeNotApplied
	}
	s.Evidence = fmt.Sprintf("PTR of %s reads %q, sent %q", ip, strings.Join(got, " "), strings.Join(want, " "))
	return nil
}

// ptrSet normalises PTR names for comparison: lower case, no trailing dot,
// sorted.
func ptrSet(names []string) []string {
	var out []string
	for _, n := range names {
		if n = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(n)), "."); n != "" {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// settlePower reads eq/status: the power as asked is applied; otherwise
// the change may still be queued, so it stays unknown.
func (c *Client) settlePower(ctx context.Context, s *Settlement, f url.Values, want string) error {
	id, _ := strconv.Atoi(f.Get("id"))
	state, err := c.Eq.powerNow(ctx, id)
	if err != nil {
		return err
	}
	s.Read = "eq/status id=" + f.Get("id")
	switch state {
	case want:
		s.Outcome = OutcomeApplied
		s.Evidence = "power is " + state
	case "":
		s.Outcome = OutcomeStillUnknown
		s.Evidence = "eq/status did not say the power state"
	default:
		s.Outcome = OutcomeStillUnknown
		s.Evidence = fmt.Sprintf("power is %s, want %s: the change may still be queued; read eq/status again", state, want)
	}
	return nil
}

// powerNow reads the server's power state, "on", "off" or "" when the
// answer does not say, waiting on the status check's key when there is
// one (so that no key is left pending on the API).
func (s *EqService) powerNow(ctx context.Context, id int) (string, error) {
	st, err := s.Status(ctx, id)
	if err != nil {
		return "", err
	}
	state := powerState(st)
	if st.Operation != nil {
		if res, err := st.Operation.Wait(ctx); err == nil && state == "" {
			state = firstNonEmpty(powerFromText(res.Debug), powerFromText(res.Scope))
		}
	}
	return state, nil
}

// settleHostname reads the hostname tag, where InvAPI keeps a server's
// hostname (rename_server sets it).
func (c *Client) settleHostname(ctx context.Context, s *Settlement, f url.Values) error {
	id, _ := strconv.Atoi(f.Get("id"))
	want := f.Get("hostname")
	tags, err := c.Tags.List(ctx, id)
	if err != nil {
		return err
	}
	s.Read = "tags/list id=" + f.Get("id")
	got := ""
	for _, t := range tags {
		if t.Name == "hostname" {
			got = t.Value
		}
	}
	if strings.EqualFold(got, want) {
		s.Outcome = OutcomeApplied
	} else {
		s.Outcome = OutcomeNotApplied
	}
	s.Evidence = fmt.Sprintf("hostname tag reads %q, sent %q", got, want)
	return nil
}

func joinInts(ids []int) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.Itoa(id)
	}
	return strings.Join(parts, ",")
}
