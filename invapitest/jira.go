package invapitest

import (
	"fmt"
	"strconv"
	"strings"
)

var rhrSubjects = map[string]string{
	"request_pon":     "Power on the server",
	"request_poff":    "Power off the server",
	"request_reboot":  "Reboot the server",
	"request_PXEboot": "Boot the server from PXE",
	"request_kvm":     "Connect IP KVM to the server",
	"request_check":   "Check the server and load it into OS",
}

const servicedeskURL = "https://my.hostkey.com/servicedesk/customer/portal/1/"

func (st *state) newTicket(customer int, kind string, e *Equipment, subject, message string) *Ticket {
	t := &Ticket{ID: "RHR-" + strconv.Itoa(st.nextTicket), CustomerID: customer, Type: kind, Status: "Open", Subject: subject, Created: st.now()}
	st.nextTicket++
	if e != nil {
		t.ServerID = e.ID
		t.Subject = fmt.Sprintf("%s %d", subject, e.ID)
	}
	if message != "" {
		t.Messages = append(t.Messages, message)
	}
	st.tickets = append(st.tickets, t)
	return t
}

func ticketJSON(t *Ticket) obj {
	msgs := make([]any, len(t.Messages))
	for i, m := range t.Messages {
		msgs[i] = m
	}
	return obj{"id": t.ID, "type": t.Type, "server_id": t.ServerID, "status": t.Status, "subject": t.Subject,
		"messages": msgs, "created": t.Created.UTC().Format("2006-01-02 15:04:05"), "url": servicedeskURL + t.ID}
}

func (st *state) jiraRequest(c *call) any {
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		return errr
	}
	t := st.newTicket(c.acct.CustomerID, c.action, e, rhrSubjects[c.action], c.get("comment"))
	return obj{"result": "OK", "action": c.action, "ticket": t.ID, "url": servicedeskURL + t.ID}
}

func (st *state) jiraAssistance(c *call) any {
	var e *Equipment
	if c.get("id") != "" {
		var errr *apiError
		if e, errr = st.serverFor(c, "id"); errr != nil {
			return errr
		}
	}
	// id, subject, message: as HOSTKEY's MCP server sends them.
	msg := firstOf(c, "message", "comment", "text")
	if msg == "" {
		return errf("jira/request_assistance: message is required")
	}
	t := st.newTicket(c.acct.CustomerID, "request_assistance", e, firstOr(c.get("subject"), "Sales assistance"), msg)
	return obj{"result": "OK", "action": c.action, "ticket": t.ID, "url": servicedeskURL + t.ID}
}

func (st *state) ticketFor(c *call) (*Ticket, *apiError) {
	id := firstOf(c, "id", "ticket", "ticket_id") // id: HOSTKEY's MCP server
	for _, t := range st.tickets {
		if strings.EqualFold(t.ID, id) || strings.TrimPrefix(t.ID, "RHR-") == id {
			if t.CustomerID != c.acct.CustomerID {
				break
			}
			return t, nil
		}
	}
	return nil, errf("rhr/%s: ticket not found", c.action)
}

func (st *state) rhrAdd(c *call) any {
	// id, comment, request_type: as HOSTKEY's MCP server sends them.
	kind := firstOr(firstOf(c, "request_type", "type"), "request_check")
	if firstOf(c, "comment", "message") == "" {
		return errf("rhr/add: comment is required")
	}
	subject, ok := rhrSubjects[kind]
	if !ok {
		subject = "Remote hands request: " + kind
	}
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		return errr
	}
	t := st.newTicket(c.acct.CustomerID, kind, e, subject, firstOf(c, "comment", "message"))
	return obj{"result": "OK", "ticket": ticketJSON(t)}
}

func (st *state) rhrChat(c *call) any {
	t, errr := st.ticketFor(c)
	if errr != nil {
		return errr
	}
	msg := firstOf(c, "message", "text", "comment")
	if msg == "" {
		return errf("rhr/chat: message is required")
	}
	if t.Status != "Open" {
		return errf("rhr/chat: ticket %s is %s", t.ID, t.Status)
	}
	t.Messages = append(t.Messages, msg)
	return obj{"result": "OK", "ticket": ticketJSON(t)}
}

func (st *state) rhrDiscard(c *call) any {
	t, errr := st.ticketFor(c)
	if errr != nil {
		return errr
	}
	t.Status = "Canceled"
	if c.get("status") == "closed" {
		t.Status = "Closed"
	}
	return obj{"result": "OK", "ticket": ticketJSON(t)}
}

func (st *state) rhrList(c *call) any {
	status, loc := c.get("status"), strings.ToUpper(c.get("location"))
	list := []any{}
	for _, t := range st.tickets {
		e := st.servers[t.ServerID]
		if t.CustomerID != c.acct.CustomerID {
			continue
		}
		if status != "" && !strings.EqualFold(status, t.Status) {
			continue
		}
		if loc != "" && (e == nil || e.Location != loc) {
			continue
		}
		list = append(list, ticketJSON(t))
	}
	return obj{"result": "OK", "tickets": list}
}
