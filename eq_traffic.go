package invapi

import (
	"context"
	"net/netip"
)

// Traffic, upgrades, announcements

// ServerTrafficRequest asks for a server's traffic usage. Published by name
// only: ID is sent as "id", Extra as given (period...).
type ServerTrafficRequest = ServerRequest

// GetTraffic returns the server's IPv4 traffic usage (eq.php get_traffic).
// Published by name only (see [ServerTrafficRequest]).
func (s *EqService) GetTraffic(ctx context.Context, req *ServerTrafficRequest) (*ServerTraffic, error) {
	return getWith(ctx, s.client, &eqGetTraffic, req, func(r reply) (*ServerTraffic, error) {
		out := &ServerTraffic{Fields: eqObjectFields(r, "traffic")}
		r.keep(out)
		return out, nil
	})
}

// TrafficAddRequest raises a server's outbound traffic limit. Published by name
// only: ID is sent as "id"; put the amount in Extra under the field name the
// API expects.
type TrafficAddRequest = ServerRequest

// TrafficAdd raises the server's outbound traffic limit and makes an invoice
// for it in billing (eq.php traffic_add). Published by name only (see
// [TrafficAddRequest]). It charges, so it is sent at most once: settle an
// unknown outcome with whmcs get_invoices and GetTraffic.
func (s *EqService) TrafficAdd(ctx context.Context, req *TrafficAddRequest) (*TrafficAddResult, error) {
	return getWith(ctx, s.client, &eqTrafficAdd, req, func(r reply) (*TrafficAddResult, error) {
		out := new(TrafficAddResult)
		if err := r.decode(out); err != nil {
			return nil, err
		}
		var err error
		if out.Invoice, err = firstID(r.field("invoice"), r.field("invoice_id"), r.field("invoiceid")); err != nil {
			return nil, r.bad("unexpected invoice", err)
		}
		out.Operation = r.operation(r.callback())
		return out, nil
	})
}

// GetUpgradeKeyRequest asks for an upgrade key. Published by name only, with
// only the note that the key is linked to an invoice (invoice_id).
type GetUpgradeKeyRequest struct {
	InvoiceID int    `url:"invoice_id" check:"id=invoice"`
	ID        int    `url:"id,omitempty" check:"id=server,optional"` // the server, if the API wants it
	Extra     Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *GetUpgradeKeyRequest) Validate() error { return validateRequest(r) }

// GetUpgradeKey returns the key for an upgrade linked to an invoice (eq.php
// get_upgrade_key). Published by name only (see [GetUpgradeKeyRequest]).
func (s *EqService) GetUpgradeKey(ctx context.Context, req *GetUpgradeKeyRequest) (*UpgradeKey, error) {
	out, err := get[UpgradeKey](ctx, s.client, &eqGetUpgradeKey, req)
	return completed(out, err, func(k *UpgradeKey) { k.InvoiceID = firstNonZero(k.InvoiceID, req.InvoiceID) })
}

// AnnounceIPRequest announces a subnet or address over BGP. Published by name
// only: the server is sent as "id" and the subnet as "subnet" (an undocumented
// name: use Extra for another).
type AnnounceIPRequest struct {
	ID     int    `url:"id,omitempty" check:"id=server,optional"`
	Subnet string `url:"subnet,omitempty"` // "203.0.113.0/24" or an address
	Extra  Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *AnnounceIPRequest) Validate() error { return validateRequest(r) }

func (r *AnnounceIPRequest) check() error {
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

// AnnounceIP announces a subnet or address over BGP from a server (eq.php
// announceip). Published by name only (see [AnnounceIPRequest]). An answer
// without a callback key gives an Operation that is already done.
func (s *EqService) AnnounceIP(ctx context.Context, req *AnnounceIPRequest) (*Operation, error) {
	return start(ctx, s.client, &eqAnnounceIP, req)
}

// GetServersForAnnounceRequest lists servers usable for announcements.
// Published by name only: Extra is sent as given.
type GetServersForAnnounceRequest struct {
	Extra Fields `url:"extra,omitempty"`
}

// GetServersForAnnounce returns the servers (rented or powered off) whose
// addresses meet the /23 and /24 mask rules for announcements (eq.php
// getserversforannounce). Published by name only; req may be nil.
func (s *EqService) GetServersForAnnounce(ctx context.Context, req *GetServersForAnnounceRequest) ([]ServerSummary, error) {
	return s.summaries(ctx, &eqGetServersForAnnounce, optional(req))
}
