package invapi

import (
	"context"
	"encoding/json"
	"net/url"
	"regexp"
)

// CallOption adjusts a raw call made with Client.Do or Client.DoAsync.
type CallOption func(*endpoint)

// ReadOnly declares a raw call a read: it is then retried on network errors,
// HTTP 429 and 5xx. Without it a raw call is treated as state-changing and
// sent at most once, since the SDK cannot know what an unmodelled action does.
func ReadOnly() CallOption { return func(ep *endpoint) { ep.class = read } }

// Charges declares a raw call an order or a charge (sent at most once, and
// reported as such in an unknown outcome).
func Charges() CallOption { return func(ep *endpoint) { ep.class = money } }

// SendPIN sends the account PIN with a raw call, for critical actions.
func SendPIN() CallOption { return func(ep *endpoint) { ep.pin = true } }

// NoSession sends a raw call without a session token, for the few calls the
// API answers without one (catalogue lists, callback checks).
func NoSession() CallOption { return func(ep *endpoint) { ep.noAuth = true } }

// SettleWith names the read that tells whether a raw state change took
// effect, shown in an OutcomeUnknownError.
func SettleWith(read string) CallOption { return func(ep *endpoint) { ep.settle = read } }

var rawName = regexp.MustCompile(`^[A-Za-z0-9_]{1,64}$`)

// rawEndpoint builds the endpoint of a raw call, checking its names.
func rawEndpoint(module, action string, opts []CallOption) (*endpoint, error) {
	if !rawName.MatchString(module) {
		return nil, invalid("module", "%q is not a module name (letters, digits, _)", module)
	}
	if !rawName.MatchString(action) {
		return nil, invalid("action", "%q is not an action name (letters, digits, _)", action)
	}
	ep := &endpoint{module: module, action: action, class: change, async: eqCallback}
	if module == "nat" {
		ep.async = natCallback
	}
	for _, opt := range opts {
		if opt != nil {
			opt(ep)
		}
	}
	return ep, nil
}

// Do calls an action the SDK does not model yet (module.php action) through
// the same request path as every method: session, PIN, retries by class,
// error classification, redaction. params is a struct with `url` tags,
// url.Values, map[string]string, or nil. The answer's data is decoded into
// out as the typed methods do (wherever the API put it, absorbing loose
// types); pass a *json.RawMessage to get the whole body, or nil to ignore it.
//
// A raw call is state-changing unless ReadOnly is given.
//
//	var out struct{ Zones []string `json:"zones"` }
//	err := c.Do(ctx, "pdns", "list_zones", url.Values{"id": {"12345"}}, &out, invapi.ReadOnly())
func (c *Client) Do(ctx context.Context, module, action string, params, out any, opts ...CallOption) error {
	ep, err := rawEndpoint(module, action, opts)
	if err != nil {
		return err
	}
	params = ownForm(params)
	if raw, ok := out.(*json.RawMessage); ok {
		r, err := c.call(ctx, ep, params, nil)
		if err != nil {
			return err
		}
		*raw = append((*raw)[:0], r.body()...)
		return nil
	}
	return getInto(ctx, c, ep, params, out)
}

// DoAsync is Do for an action that answers with a callback key: it returns
// the Operation to wait on (polled on nat_callback.php for module "nat",
// eq_callback.php otherwise). serverID, when known, is recorded on it.
func (c *Client) DoAsync(ctx context.Context, module, action string, params any, serverID int, opts ...CallOption) (*Operation, error) {
	ep, err := rawEndpoint(module, action, opts)
	if err != nil {
		return nil, err
	}
	return startOn(ctx, c, ep, ownForm(params), serverID)
}

// ownForm copies a caller's url.Values: the request path adds action, token
// and pin to the form it is given, which must not show up in the caller's map.
func ownForm(params any) any {
	v, ok := params.(url.Values)
	if !ok {
		return params
	}
	out := make(url.Values, len(v)+3)
	for k, vals := range v {
		out[k] = append([]string(nil), vals...)
	}
	return out
}
