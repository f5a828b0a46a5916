package invapi

import (
	"context"
	"net/netip"
	"net/url"
	"strings"
)

// NATService wraps nat.php: static NAT (async on nat_callback.php).
type NATService service

var (
	// add/remove_static_nat: id as mcp sends it; the key is polled on nat_callback as docs 001 say (mcp follows it on eq_callback; no client uses nat_callback): kept, the docs are the only source naming the endpoint.
	natAddStatic    = endpoint{module: "nat", action: "add_static_nat", class: change, pin: true, async: natCallback, settle: "nat_callback/check with the callback key", evidence: byClient("mcp")}
	natRemoveStatic = endpoint{module: "nat", action: "remove_static_nat", class: change, async: natCallback, settle: "nat_callback/check with the callback key", evidence: byClient("mcp")}
	// clear_static_nat (ip) and drop_nat (id and/or ip): only HOSTKEY's MCP server uses them, with these fields; no answer shape is known, a callback key is followed on eq_callback as mcp does for NAT.
	natClearStatic = endpoint{module: "nat", action: "clear_static_nat", class: change, settle: "nat/add_static_nat state (eq/show IPMI)", evidence: byClient("mcp")}
	natDrop        = endpoint{module: "nat", action: "drop_nat", class: change, settle: "nat/add_static_nat state (eq/show IPMI)", evidence: byClient("mcp")}
)

// maxStaticNATTTL is the longest life of a NAT rule, in hours.
const maxStaticNATTTL = 24

// AddStaticNATRequest opens a public pass-through to a server's IPMI.
type AddStaticNATRequest struct {
	ID int `url:"id" check:"id=server"`
	// IPACL limits who may connect, as an address or CIDR prefix
	// ("198.51.100.7" or "198.51.100.0/24").
	IPACL string `url:"ip_acl,omitempty"`
	// TTL is the rule's life in hours (the API's default is 2, the most 24).
	TTL int `url:"ttl,omitempty"`
}

// Validate checks the request before it is sent.
func (r *AddStaticNATRequest) Validate() error { return validateRequest(r) }

func (r *AddStaticNATRequest) check() error {
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
	return start(ctx, s.client, &natAddStatic, req)
}

// RemoveStaticNAT removes the static DNAT rule to the server's IPMI (nat.php remove_static_nat).
// The returned Operation is polled on nat_callback.php.
func (s *NATService) RemoveStaticNAT(ctx context.Context, id int) (*Operation, error) {
	return startID(ctx, s.client, &natRemoveStatic, id)
}

// ClearStaticNAT removes stale static NAT pass-through rules to an internal
// (IPMI) address (nat.php clear_static_nat), sending ip as HOSTKEY's MCP
// server does. An answer without a callback key gives an Operation that is
// already done.
func (s *NATService) ClearStaticNAT(ctx context.Context, ip string) (*Operation, error) {
	if err := validIPField("ip", ip); err != nil {
		return nil, err
	}
	return start(ctx, s.client, &natClearStatic, url.Values{"ip": {ip}})
}

// DropNATRequest names a NAT record to delete from InvAPI's database: by
// its id, its address, or both.
type DropNATRequest struct {
	ID    int    `url:"id,omitempty" check:"id=NAT record,optional"` // the NAT record's id
	IP    string `url:"ip,omitempty"`                                // the record's address
	Extra Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *DropNATRequest) Validate() error { return validateRequest(r) }

func (r *DropNATRequest) check() error {
	if r.ID == 0 && r.IP == "" {
		return invalid("id", "set the NAT record's id, its ip, or both")
	}
	if r.IP != "" {
		return validIPField("ip", r.IP)
	}
	return nil
}

// DropNAT deletes a NAT record from InvAPI's database, a maintenance
// operation (nat.php drop_nat), with the fields HOSTKEY's MCP server sends.
// An answer without a callback key gives an Operation that is already done.
func (s *NATService) DropNAT(ctx context.Context, req *DropNATRequest) (*Operation, error) {
	return startOn(ctx, s.client, &natDrop, req, 0)
}
