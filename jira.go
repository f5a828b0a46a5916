package invapi

import (
	"context"
	"encoding/json"
	"net/url"
)

// JiraService wraps jira.php: remote-hands tickets.
type JiraService service

// Each jira.php action opens a service desk ticket: a state change, sent at
// most once. When its outcome is unknown, look for the ticket before asking
// again.
const jiraSettle = "the service desk tickets (my.hostkey.com/servicedesk) or the confirmation email"

var (
	jiraRequestPon     = endpoint{module: "jira", action: "request_pon", class: change, settle: jiraSettle, evidence: byClient("mcp")}
	jiraRequestPoff    = endpoint{module: "jira", action: "request_poff", class: change, settle: jiraSettle, evidence: byClient("mcp")}
	jiraRequestReboot  = endpoint{module: "jira", action: "request_reboot", class: change, settle: jiraSettle, evidence: byClient("mcp")}
	jiraRequestPXEBoot = endpoint{module: "jira", action: "request_PXEboot", class: change, settle: jiraSettle, evidence: byClient("mcp")}
	jiraRequestKVM     = endpoint{module: "jira", action: "request_kvm", class: change, settle: jiraSettle, evidence: byClient("mcp")}
	jiraRequestCheck   = endpoint{module: "jira", action: "request_check", class: change, settle: jiraSettle, evidence: byClient("mcp")}
	// request_assistance: id, subject, message as mcp sends them (the SDK used terminate_reason_custom, mcp's name for a cancellation reason).
	jiraRequestAssistance = endpoint{module: "jira", action: "request_assistance", class: change, settle: jiraSettle, evidence: byClient("mcp")}
)

// ServiceDeskTicketURL is where a ticket is read, followed by its id.
const ServiceDeskTicketURL = "https://my.hostkey.com/servicedesk/customer/portal/1/"

// Ticket is a service desk (JIRA) ticket opened on the user's behalf. The
// duty shift answers in the ticket; a confirmation email is sent too.
type Ticket struct {
	// ID is the ticket's id as the API gives it, e.g. "CS-504413"; empty if
	// the answer carried none (the ticket was still opened: see Raw).
	ID string `json:"id"`
	// URL is the ticket's page: the one the API sent, or ServiceDeskTicketURL
	// followed by ID.
	URL string `json:"url"`
	RawJSON
}

// RequestPon opens a remote-hands request to power the server on (jira.php request_pon).
func (s *JiraService) RequestPon(ctx context.Context, id int) (*Ticket, error) {
	return s.request(ctx, &jiraRequestPon, id)
}

// RequestPoff opens a remote-hands request to power the server off (jira.php request_poff).
func (s *JiraService) RequestPoff(ctx context.Context, id int) (*Ticket, error) {
	return s.request(ctx, &jiraRequestPoff, id)
}

// RequestReboot opens a remote-hands request to reboot the server (jira.php request_reboot).
func (s *JiraService) RequestReboot(ctx context.Context, id int) (*Ticket, error) {
	return s.request(ctx, &jiraRequestReboot, id)
}

// RequestPXEBoot opens a remote-hands request to boot the server from PXE (jira.php request_PXEboot).
// A reinstall of a server without remote control needs it.
func (s *JiraService) RequestPXEBoot(ctx context.Context, id int) (*Ticket, error) {
	return s.request(ctx, &jiraRequestPXEBoot, id)
}

// RequestKVM opens a remote-hands request to connect an IP KVM to the server (jira.php request_kvm).
func (s *JiraService) RequestKVM(ctx context.Context, id int) (*Ticket, error) {
	return s.request(ctx, &jiraRequestKVM, id)
}

// RequestCheck opens a remote-hands request to check the server and bring it back into its OS (jira.php request_check).
func (s *JiraService) RequestCheck(ctx context.Context, id int) (*Ticket, error) {
	return s.request(ctx, &jiraRequestCheck, id)
}

// RequestAssistanceRequest describes a request to the sales department,
// in the fields HOSTKEY's MCP server sends (the vendor names the action
// only): the server, a subject and the message.
type RequestAssistanceRequest struct {
	ID      int    `url:"id,omitempty" check:"id=server,optional"` // the server concerned, if any
	Subject string `url:"subject,omitempty"`                       // the request's subject
	// Message says what to cancel or change, and why. Required.
	Message string `url:"message"`
	Extra   Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *RequestAssistanceRequest) Validate() error { return validateRequest(r) }

func (r *RequestAssistanceRequest) check() error {
	return requiredText("message", r.Message, "is empty: say what to cancel or change, and why")
}

func (r *RequestAssistanceRequest) nilField() string { return "id" }

// RequestAssistance opens a ticket for the sales department about cancelling or changing a service (jira.php request_assistance).
func (s *JiraService) RequestAssistance(ctx context.Context, req *RequestAssistanceRequest) (*Ticket, error) {
	return getWith(ctx, s.client, &jiraRequestAssistance, req, ticketFrom)
}

func (s *JiraService) request(ctx context.Context, ep *endpoint, id int) (*Ticket, error) {
	if err := validServerID(id); err != nil {
		return nil, err
	}
	return getWith(ctx, s.client, ep, idForm(id), ticketFrom)
}

// ticketFrom finds the ticket id and URL wherever the answer put them.
func ticketFrom(r reply) (*Ticket, error) {
	t := &Ticket{}
	for _, f := range r.objects() {
		for _, k := range []string{"jira_issue", "ticket_id", "ticket", "issue_key", "issue", "jira_key", "ticket_key"} {
			if t.ID == "" {
				t.ID = ticketID(f[k])
			}
		}
		for _, k := range []string{"jira_url", "ticket_url", "url", "link"} {
			if t.URL == "" {
				t.URL = rawScalar(f[k])
			}
		}
	}
	if t.URL == "" && t.ID != "" {
		t.URL = ServiceDeskTicketURL + url.PathEscape(t.ID)
	}
	r.keep(t)
	return t, nil
}

// ticketID reads an id given as a string, a number, or an object with a
// key or id.
func ticketID(raw json.RawMessage) string {
	if len(raw) > 0 && raw[0] == '{' {
		var obj map[string]json.RawMessage
		if json.Unmarshal(raw, &obj) != nil {
			return ""
		}
		for _, k := range []string{"key", "issueKey", "id", "issueId"} {
			if v := rawScalar(obj[k]); v != "" {
				return v
			}
		}
		return ""
	}
	return rawScalar(raw)
}
