package invapi

import (
	"context"
	"encoding/json"

	"github.com/invapi-go/invapi/internal/loose"
)

// NetService wraps net.php: switch ports, traffic graphs, IP blocking.
type NetService service

// The callback endpoint of net.php's async actions is not named by the
// vendor; eq_callback is used (the 002 overview says it handles network
// tasks). add_ipv4 orders an extra address, but no source says the action
// itself bills anything, so it is declared change (sent at most once either
// way), not money.
var (
	netGetStatus = endpoint{module: "net", action: "get_status", class: read, pin: true, async: eqCallback, evidence: byClient("mcp")}
	netPortOn    = endpoint{module: "net", action: "port_on", class: change, pin: true, async: eqCallback, settle: "net/get_status", evidence: byClient("mcp")}
	netPortOff   = endpoint{module: "net", action: "port_off", class: change, pin: true, async: eqCallback, settle: "net/get_status", evidence: byClient("mcp")}
	netShowCacti = endpoint{module: "net", action: "show_cacti", class: read, pin: true, evidence: byClient("mcp")}
	netBlockIP   = endpoint{module: "net", action: "block_ip", class: change, pin: true, async: eqCallback, settle: "tags/list (block tags)", evidence: byClient("mcp")}
	netUnblockIP = endpoint{module: "net", action: "unblock_ip", class: change, pin: true, async: eqCallback, settle: "tags/list (block tags)", evidence: byClient("mcp")}
	// add_ipv4: id, port, ips[] or amount (tf); the answer's ips ({ip,vlan} or strings) and keys are read as tf reads them.
	netAddIPv4      = endpoint{module: "net", action: "add_ipv4", class: change, async: eqCallback, settle: "eq/show (IP list)", evidence: byClient("tf")}
	netRemoveIPv4   = endpoint{module: "net", action: "remove_ipv4", class: change, async: eqCallback, settle: "eq/show (IP list)", evidence: byClient("tf")}
	netShowIPv4Free = endpoint{module: "net", action: "show_ipv4_free", class: read, evidence: guessed}
)

// GetStatusRequest selects the switch port to read.
type GetStatusRequest struct {
	ID   int    `url:"id" check:"id=server"`
	Port string `url:"port,omitempty"` // the switch port; the server's own when empty
}

// Validate checks the request before it is sent.
func (r *GetStatusRequest) Validate() error { return validateRequest(r) }

// GetStatus reads the state of a server's switch port (net.php get_status).
// It needs the PIN. The port's data (switch, vlan, speed, status, mac,
// port_security, shape) arrives in the finished Operation's result.
func (s *NetService) GetStatus(ctx context.Context, req *GetStatusRequest) (*Operation, error) {
	return start(ctx, s.client, &netGetStatus, req)
}

// PortOnRequest names the switch port to enable.
type PortOnRequest struct {
	ID   int    `url:"id" check:"id=server"`
	Port string `url:"port" check:"required=switch port"`
}

// Validate checks the request before it is sent.
func (r *PortOnRequest) Validate() error { return validateRequest(r) }

// PortOn enables a server's switch port (net.php port_on). It needs the PIN,
// and lifts a block the user set; an administrator's block stays.
func (s *NetService) PortOn(ctx context.Context, req *PortOnRequest) (*Operation, error) {
	return start(ctx, s.client, &netPortOn, req)
}

// PortOffRequest names the switch port to disable.
type PortOffRequest struct {
	ID   int    `url:"id" check:"id=server"`
	Port string `url:"port" check:"required=switch port"`
	// Reason, when set, is stored in a "block" tag on the server.
	Reason string `url:"reason,omitempty"`
}

// Validate checks the request before it is sent.
func (r *PortOffRequest) Validate() error { return validateRequest(r) }

// PortOff disables a server's switch port (net.php port_off). It needs the PIN.
func (s *NetService) PortOff(ctx context.Context, req *PortOffRequest) (*Operation, error) {
	return start(ctx, s.client, &netPortOff, req)
}

// CactiGraph is the period of a traffic graph.
type CactiGraph int

// Graph periods of show_cacti.
const (
	GraphDaily   CactiGraph = 1
	GraphMonthly CactiGraph = 2
	GraphAnnual  CactiGraph = 3
)

// ShowCactiRequest selects a port's traffic graph.
type ShowCactiRequest struct {
	ID    int        `url:"id" check:"id=server"`
	Port  string     `url:"port" check:"required=switch port"`
	Graph CactiGraph `url:"graph"` // GraphDaily, GraphMonthly or GraphAnnual
}

// Validate checks the request before it is sent.
func (r *ShowCactiRequest) Validate() error { return validateRequest(r) }

func (r *ShowCactiRequest) check() error {
	if r.Graph < GraphDaily || r.Graph > GraphAnnual {
		return invalid("graph", "must be 1 (daily), 2 (monthly) or 3 (annual), got %d", r.Graph)
	}
	return nil
}

// ShowCacti returns the traffic graph of a server's switch port as an image (net.php show_cacti).
// It needs the PIN. An error answered as JSON is returned as an error; any
// other JSON answer (a link or graph data) is returned as a File of type
// application/json.
func (s *NetService) ShowCacti(ctx context.Context, req *ShowCactiRequest) (*File, error) {
	return getFile(ctx, s.client, &netShowCacti, req, nil)
}

// BlockIPRequest names an address to block at HOSTKEY's network edge.
type BlockIPRequest struct {
	ID          int    `url:"id" check:"id=server"`
	IP          string `url:"ip" check:"ip"`         // IPv4 or IPv6
	Description string `url:"description,omitempty"` // the reason for the block
	// FourHours lifts the block by itself after four hours.
	FourHours bool `url:"four_hours,int,omitempty"`
}

// Validate checks the request before it is sent.
func (r *BlockIPRequest) Validate() error { return validateRequest(r) }

// BlockIP blocks an IP address of a server on HOSTKEY's network layer (net.php block_ip).
// It needs the PIN; use it to answer an abuse report, for example.
func (s *NetService) BlockIP(ctx context.Context, req *BlockIPRequest) (*Operation, error) {
	return start(ctx, s.client, &netBlockIP, req)
}

// UnblockIPRequest names a blocked address.
type UnblockIPRequest struct {
	ID int    `url:"id" check:"id=server"`
	IP string `url:"ip" check:"ip"`
}

// Validate checks the request before it is sent.
func (r *UnblockIPRequest) Validate() error { return validateRequest(r) }

// UnblockIP lifts the block of an IP address (net.php unblock_ip). It needs the PIN.
func (s *NetService) UnblockIP(ctx context.Context, req *UnblockIPRequest) (*Operation, error) {
	return start(ctx, s.client, &netUnblockIP, req)
}

// AddIPv4Request adds IPv4 addresses to a server: Amount free ones, or the
// given IP / IPs. The 001 and 002 references name the action only; the
// fields follow the vendor's current net.php page.
type AddIPv4Request struct {
	ID     int      `url:"id" check:"id=server"`
	Amount int      `url:"amount,omitempty" check:"nonnegative"` // how many free addresses to add
	Port   string   `url:"port,omitempty"`                       // interface, e.g. "eth0"
	VLAN   int      `url:"vlan,omitempty" check:"nonnegative"`   // found automatically for clients
	IP     string   `url:"ip,omitempty"`                         // one given address
	IPs    []string `url:"ips,brackets,omitempty"`
	Extra  Fields   `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *AddIPv4Request) Validate() error { return validateRequest(r) }

func (r *AddIPv4Request) check() error {
	if r.Amount == 0 && r.IP == "" && len(r.IPs) == 0 {
		return invalid("amount", "give an amount, or the addresses to add (ip, ips)")
	}
	if r.IP != "" {
		if err := validIPv4Field("ip", r.IP); err != nil {
			return err
		}
	}
	return validEach("ips", r.IPs, validIPv4Field)
}

// AssignedIPv4 is an address add_ipv4 gave the server.
type AssignedIPv4 struct {
	IP   string `json:"ip"`
	VLAN int    `json:"vlan"` // 0 when not sent
}

// AddIPv4Result is the answer of net.php add_ipv4: the addresses added and
// the Operation following the change.
type AddIPv4Result struct {
	// IPs are the addresses the answer lists ("ips": {ip, vlan} objects or
	// bare strings, as HOSTKEY's Terraform provider reads them); empty when
	// the answer names none (see the Operation's result, or eq/show).
	IPs []AssignedIPv4 `json:"ips"`
	// Keys are the callback keys the answer lists under "keys", as text.
	Keys []string `json:"keys"`
	// Operation follows the change: already done when the answer carried no
	// callback key.
	Operation *Operation `json:"-"`
	RawJSON
}

// AddIPv4 adds IPv4 addresses to a server (net.php add_ipv4) and returns
// the addresses the answer lists, with the Operation following the change.
func (s *NetService) AddIPv4(ctx context.Context, req *AddIPv4Request) (*AddIPv4Result, error) {
	return getWith(ctx, s.client, &netAddIPv4, req, func(r reply) (*AddIPv4Result, error) {
		out := &AddIPv4Result{}
		r.keep(out)
		var rows []json.RawMessage
		if raw := r.field("ips"); len(raw) > 0 && loose.Unmarshal(raw, &rows) == nil {
			for _, row := range rows {
				var a AssignedIPv4
				if len(row) > 0 && row[0] == '{' {
					if loose.Unmarshal(row, &a) != nil {
						continue
					}
				} else {
					a.IP = rawText(row)
				}
				if a.IP != "" {
					out.IPs = append(out.IPs, a)
				}
			}
		}
		if raw := r.field("keys"); len(raw) > 0 {
			var keys []json.RawMessage
			if loose.Unmarshal(raw, &keys) == nil {
				for _, k := range keys {
					if t := rawText(k); t != "" {
						out.Keys = append(out.Keys, t)
					}
				}
			} else if t := rawText(raw); t != "" {
				out.Keys = []string{t}
			}
		}
		var err error
		out.Operation, err = r.started()
		if err != nil {
			return nil, err
		}
		return out, nil
	})
}

// RemoveIPv4Request removes one address (IP) or all of them (RemoveAll).
type RemoveIPv4Request struct {
	ID        int    `url:"id" check:"id=server"`
	IP        string `url:"ip,omitempty"`
	RemoveAll bool   `url:"remove_all,int,omitempty"`
	Extra     Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *RemoveIPv4Request) Validate() error { return validateRequest(r) }

func (r *RemoveIPv4Request) check() error {
	switch {
	case r.RemoveAll && r.IP != "":
		return invalid("remove_all", "set either ip or remove_all, not both")
	case r.RemoveAll:
		return nil
	}
	return validIPv4Field("ip", r.IP)
}

// RemoveIPv4 removes an IPv4 address, or all of them, from a server (net.php remove_ipv4).
// Their PTR records are cleared. If the API answers without a callback key,
// the returned Operation is already done and its result holds the answer.
func (s *NetService) RemoveIPv4(ctx context.Context, req *RemoveIPv4Request) (*Operation, error) {
	return start(ctx, s.client, &netRemoveIPv4, req)
}

// ShowIPv4FreeRequest selects the server, interface and VLAN to look in.
type ShowIPv4FreeRequest struct {
	ID    int    `url:"id" check:"id=server"`
	Port  string `url:"port,omitempty"`
	VLAN  int    `url:"vlan,omitempty" check:"nonnegative"`
	Extra Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *ShowIPv4FreeRequest) Validate() error { return validateRequest(r) }

// ShowIPv4Free returns the free IPv4 addresses a server could get on an interface and VLAN (net.php show_ipv4_free).
func (s *NetService) ShowIPv4Free(ctx context.Context, req *ShowIPv4FreeRequest) ([]string, error) {
	rows, err := getList[json.RawMessage](ctx, s.client, &netShowIPv4Free, req, "ips", "free", "list")
	if err != nil {
		return nil, err
	}
	return addressRows(rows), nil
}
