package invapi

import (
	"context"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// NATService wraps nat.php: static NAT (async on nat_callback.php).
type NATService service

var (
	natAddStatic    = endpoint{module: "nat", action: "add_static_nat", class: change, pin: true, async: natCallback, settle: "nat_callback/check with the callback key", evidence: byClient("mcp")}
	natRemoveStatic = endpoint{module: "nat", action: "remove_static_nat", class: change, async: natCallback, settle: "nat_callback/check with the callback key", evidence: byClient("mcp")}
)

// maxStaticNATTTL is the longest life of a NAT rule, in hours.
const maxStaticNATTTL = 24

// AddStaticNATRequest opens a public pass-through to a server's IPMI.
type AddStaticNATRequest struct {
	ID int `url:"id"`
	// IPACL limits who may connect, as an address or CIDR prefix
	// ("198.51.100.7" or "198.51.100.0/24").
	IPACL string `url:"ip_acl,omitempty"`
	// TTL is the rule's life in hours (the API's default is 2, the most 24).
	TTL int `url:"ttl,omitempty"`
}

// Validate checks the request before it is sent.
func (r *AddStaticNATRequest) Validate() error {
	if r.ID <= 0 {
		return invalid("id", "must be a positive server id, got %d", r.ID)
	}
	if r.TTL < 0 || r.TTL > maxStaticNATTTL {
		return invalid("ttl", "must be 1 to %d hours (0 for the default), got %d", maxStaticNATTTL, r.TTL)
	}
	if r.IPACL != "" {
		if strings.Contains(r.IPACL, "/") {
			if _, err := netip.ParsePrefix(r.IPACL); err != nil {
				return invalid("ip_acl", "%q is not an address or CIDR prefix", r.IPACL)
			}
		} else if err := validIPField("ip_acl", r.IPACL); err != nil {
			return err
		}
	}
	return nil
}

// AddStaticNAT creates a static DNAT rule giving a public address to the
// server's IPMI, for two hours unless TTL says otherwise (nat.php add_static_nat).
// It needs the PIN. The returned Operation is polled on nat_callback.php.
func (s *NATService) AddStaticNAT(ctx context.Context, req *AddStaticNATRequest) (*Operation, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	return s.client.callAsync(ctx, &natAddStatic, req, req.ID)
}

// RemoveStaticNAT removes the static DNAT rule to the server's IPMI (nat.php remove_static_nat).
// The returned Operation is polled on nat_callback.php.
func (s *NATService) RemoveStaticNAT(ctx context.Context, id int) (*Operation, error) {
	if id <= 0 {
		return nil, invalid("id", "must be a positive server id, got %d", id)
	}
	return s.client.callAsync(ctx, &natRemoveStatic, url.Values{"id": {strconv.Itoa(id)}}, id)
}
