package invapi

import (
	"context"
	"net/url"
	"strings"
)

// RHRService wraps rhr.php: remote-hands requests (tickets to the data
// center staff) and their conversation.
//
// The vendor lists rhr.php's actions by name only, with no parameter list:
// the fields modelled here follow the descriptions, and every request takes
// Extra for anything else. jira.php (JiraService) opens the common requests
// in one call.
type RHRService service

// rhr add/chat/discard: the fields HOSTKEY's MCP server sends (add: id,
// comment, request_type; chat: id of the request, message; discard: id).
var (
	rhrAdd     = endpoint{module: "rhr", action: "add", class: change, settle: "rhr/list", evidence: byClient("mcp")}
	rhrChat    = endpoint{module: "rhr", action: "chat", class: change, settle: "rhr/list", evidence: byClient("mcp")}
	rhrDiscard = endpoint{module: "rhr", action: "discard", class: change, settle: "rhr/list", evidence: byClient("mcp")}
	rhrList    = endpoint{module: "rhr", action: "list", class: read, evidence: byClient("mcp")}
)

// RemoteHandsRequest is a remote-hands request as rhr.php reports it.
type RemoteHandsRequest struct {
	ID       string   `json:"id"`   // e.g. "CS-504413"
	Type     string   `json:"type"` // e.g. "request_reboot"
	ServerID int      `json:"server_id"`
	Status   string   `json:"status"` // "Open", "Canceled", "Closed"
	Subject  string   `json:"subject"`
	Messages []string `json:"messages"`
	Created  string   `json:"created"` // as the API prints it
	URL      string   `json:"url"`
}

// RHRAddRequest opens a remote-hands request for a server (rhr.php add),
// in the fields HOSTKEY's MCP server sends.
type RHRAddRequest struct {
	ID int `url:"id" check:"id=server"` // the server
	// Comment describes the work for the data center staff, in detail. Required.
	Comment string `url:"comment"`
	// RequestType is the kind of work, when the API's list of kinds is used
	// (e.g. "request_check"); optional.
	RequestType string `url:"request_type,omitempty"`
	Extra       Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *RHRAddRequest) Validate() error { return validateRequest(r) }

func (r *RHRAddRequest) check() error {
	return requiredText("comment", r.Comment, "is empty: describe the work")
}

// Add opens a remote-hands request (rhr.php add), sending id, comment and
// request_type as HOSTKEY's MCP server does.
func (s *RHRService) Add(ctx context.Context, req *RHRAddRequest) (*RemoteHandsRequest, error) {
	return s.ticket(ctx, &rhrAdd, req)
}

// Chat adds a message, visible to the customer, to a request's history
// (rhr.php chat). requestID is the request's id (RemoteHandsRequest.ID),
// sent as id as HOSTKEY's MCP server does.
func (s *RHRService) Chat(ctx context.Context, requestID, message string) (*RemoteHandsRequest, error) {
	if strings.TrimSpace(requestID) == "" {
		return nil, invalid("id", "is empty: the request's id")
	}
	if strings.TrimSpace(message) == "" {
		return nil, invalid("message", "is empty")
	}
	return s.ticket(ctx, &rhrChat, url.Values{"id": {requestID}, "message": {message}})
}

// Discard cancels a request (rhr.php discard), sending its id as HOSTKEY's
// MCP server does. With closed true it also sends status=closed, to close
// it rather than cancel it (not a field HOSTKEY's clients send).
func (s *RHRService) Discard(ctx context.Context, requestID string, closed bool) (*RemoteHandsRequest, error) {
	if strings.TrimSpace(requestID) == "" {
		return nil, invalid("id", "is empty: the request's id")
	}
	f := url.Values{"id": {requestID}}
	if closed {
		f.Set("status", "closed")
	}
	return s.ticket(ctx, &rhrDiscard, f)
}

func (s *RHRService) ticket(ctx context.Context, ep *endpoint, params any) (*RemoteHandsRequest, error) {
	var out struct {
		Ticket RemoteHandsRequest `json:"ticket"`
	}
	if err := getInto(ctx, s.client, ep, params, &out); err != nil {
		return nil, err
	}
	return &out.Ticket, nil
}

// RHRListRequest filters rhr.php list.
type RHRListRequest struct {
	Location string `url:"location,omitempty"` // "NL", "US"...
	Status   string `url:"status,omitempty"`   // "Open", "Closed"...
	From     string `url:"date_from,omitempty"`
	To       string `url:"date_to,omitempty"`
	Extra    Fields `url:"extra,omitempty"`
}

// List returns remote-hands requests, filtered by location, status and date
// (rhr.php list). Published by name only.
func (s *RHRService) List(ctx context.Context, req *RHRListRequest) ([]RemoteHandsRequest, error) {
	return getList[RemoteHandsRequest](ctx, s.client, &rhrList, optional(req), "tickets", "requests", "list")
}
