package invapitest

import (
	"fmt"
	"sort"
	"strconv"
)

// AddServer adds a server and returns its id (assigned when e.ID is zero).
// Zero fields get the defaults described at WithServers. Sessions opened
// before see the server only after eq update_servers, as with the real
// API.
func (s *Server) AddServer(e Equipment) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.addServer(e)
}

// Server returns a copy of server id's current state.
func (s *Server) Server(id int) (Equipment, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.st.servers[id]
	if e == nil {
		return Equipment{}, false
	}
	return e.clone(), true
}

// Servers returns copies of all servers, sorted by id.
func (s *Server) Servers() []Equipment {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Equipment, 0, len(s.st.servers))
	for _, e := range s.st.servers {
		out = append(out, e.clone())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// UpdateServer changes server id with fn under the server lock; fn gets
// the live state. It reports whether the server exists.
func (s *Server) UpdateServer(id int, fn func(*Equipment)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.st.servers[id]
	if e == nil {
		return false
	}
	fn(e)
	return true
}

// RemoveServer deletes server id (as if released).
func (s *Server) RemoveServer(id int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.st.servers, id)
}

// AddAccount adds an account, or replaces the one with the same
// CustomerID.
func (s *Server) AddAccount(a Account) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.addAccount(a)
}

// Account returns a copy of the account customerID.
func (s *Server) Account(customerID int) (Account, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.st.accounts[customerID]
	if a == nil {
		return Account{}, false
	}
	return *a, true
}

// Balance returns the credit balance of the default account as a decimal
// string, e.g. "500.00".
func (s *Server) Balance() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := s.st.accounts[DefaultCustomerID]; a != nil {
		return a.Balance
	}
	return ""
}

// SetBalance sets the credit balance of the default account. It panics on
// a malformed amount.
func (s *Server) SetBalance(amount string) {
	c, err := parseMoney(amount)
	if err != nil {
		panic(fmt.Sprintf("invapitest: SetBalance(%q): %v", amount, err))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := s.st.accounts[DefaultCustomerID]; a != nil {
		a.Balance = formatMoney(c)
	}
}

// SetPIN sets (or, with "", removes) the PIN of account customerID.
func (s *Server) SetPIN(customerID int, pin string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := s.st.accounts[customerID]; a != nil {
		a.PIN = pin
	}
}

// Invoices returns copies of all invoices, sorted by id.
func (s *Server) Invoices() []Invoice {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Invoice, 0, len(s.st.invoices))
	for _, inv := range s.st.invoices {
		out = append(out, *inv)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// PayInvoice marks an unpaid invoice paid as if the customer paid it
// through a payment gateway. Paying an add-funds invoice (whmcs
// create_addfunds) adds its total to the account's credit.
func (s *Server) PayInvoice(id int) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	inv := s.st.invoices[id]
	if inv == nil {
		return fmt.Errorf("invapitest: no invoice %d", id)
	}
	if inv.Status != "Unpaid" {
		return fmt.Errorf("invapitest: invoice %d is %s", id, inv.Status)
	}
	inv.Status = "Paid"
	s.st.transaction(inv, "paypal")
	if inv.Kind == "addfunds" {
		if a := s.st.accounts[inv.CustomerID]; a != nil {
			bal, _ := parseMoney(a.Balance)
			add, _ := parseMoney(inv.Total)
			a.Balance = formatMoney(bal + add)
			k := "credits/" + strconv.Itoa(inv.CustomerID)
			list, _ := s.st.extra[k].([]obj)
			s.st.extra[k] = append(list, obj{"id": s.st.id(), "date": s.st.now().Format("2006-01-02"),
				"description": fmt.Sprintf("Add Funds Invoice #%d", inv.ID), "amount": inv.Total, "relid": inv.ID})
		}
	}
	return nil
}

// DeployKeys returns the invoice id → callback key map of the orders of
// account customerID (what eq update_servers reports as deploy_keys). A
// key's OK names the ordered server in context.id; once read, the key
// answers "not found" like any other.
func (s *Server) DeployKeys(customerID int) map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]string{}
	for k, v := range s.st.deployKeys[customerID] {
		out[k] = v
	}
	return out
}

// Tickets returns copies of all remote-hands tickets (jira.php, rhr.php),
// oldest first.
func (s *Server) Tickets() []Ticket {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Ticket, len(s.st.tickets))
	for i, t := range s.st.tickets {
		out[i] = *t
		out[i].Messages = append([]string(nil), t.Messages...)
	}
	return out
}

// TwoFactorCode returns the 2FA code issued last (by whmcslogin or
// 2fa_resend), for tests of the 2FA flow.
func (s *Server) TwoFactorCode() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.last2FA
}

// Sessions returns the number of live (unexpired) session tokens.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, sess := range s.st.sessions {
		if s.st.now().Before(sess.expires) {
			n++
		}
	}
	return n
}
