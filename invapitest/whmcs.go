package invapitest

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// whmcsErr is a WHMCS-style error: {"result":"error","message":...}.
func whmcsErr(format string, args ...any) obj {
	return obj{"result": "error", "message": fmt.Sprintf(format, args...)}
}

func (st *state) newInvoice(customer int, cents int64, status, desc string, serverID int, kind string) *Invoice {
	now := st.now()
	inv := &Invoice{ID: st.nextInvoice, CustomerID: customer, Date: now, DueDate: now.AddDate(0, 0, 7),
		Total: formatMoney(cents), Status: status, Description: desc, ServerID: serverID, Kind: kind}
	st.nextInvoice++
	st.invoices[inv.ID] = inv
	if status == "Paid" {
		st.transaction(inv, "Credit Balance")
	}
	return inv
}

func (st *state) transaction(inv *Invoice, gateway string) {
	k := "tx/" + strconv.Itoa(inv.CustomerID)
	list, _ := st.extra[k].([]obj)
	st.extra[k] = append(list, obj{"id": st.id(), "userid": inv.CustomerID, "invoiceid": inv.ID, "relid": inv.ServerID,
		"date": st.now().UTC().Format("2006-01-02 15:04:05"), "gateway": gateway, "amountin": inv.Total, "description": "Invoice Payment"})
}

func invoiceJSON(inv *Invoice, cur string) obj {
	o := obj{"id": inv.ID, "invoicenum": "", "userid": inv.CustomerID, "date": inv.Date.Format("2006-01-02"),
		"duedate": inv.DueDate.Format("2006-01-02"), "subtotal": inv.Total, "total": inv.Total, "status": inv.Status,
		"currencycode": cur, "paymentmethod": "banktransfer"}
	if inv.Status == "Paid" {
		o["datepaid"] = inv.Date.Format("2006-01-02 15:04:05")
		o["balance"] = "0.00"
	} else {
		o["datepaid"] = "0000-00-00 00:00:00"
		o["balance"] = inv.Total
	}
	return o
}

func (st *state) invoiceFor(c *call) (*Invoice, obj) {
	id, _ := strconv.Atoi(firstOf(c, "invoice_id", "invoiceid", "id"))
	inv := st.invoices[id]
	if inv == nil || inv.CustomerID != c.acct.CustomerID {
		return nil, whmcsErr("Invoice ID Not Found")
	}
	return inv, nil
}

func (st *state) customerInvoices(customer int) []*Invoice {
	var out []*Invoice
	for _, inv := range st.invoices {
		if inv.CustomerID == customer {
			out = append(out, inv)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func clientJSON(a *Account) obj {
	return obj{"id": a.CustomerID, "userid": a.CustomerID, "client_id": a.CustomerID, "firstname": a.FirstName,
		"lastname": a.LastName, "email": a.Email, "credit": a.Balance, "currency_code": a.Currency,
		"status": "Active", "companyname": "", "country": "NL", "phonenumber": ""}
}

func (st *state) whmcsGetClient(c *call) any {
	return obj{"result": "success", "client_id": c.acct.CustomerID, "client": clientJSON(c.acct),
		"stats": obj{"creditbalance": c.acct.Balance, "numunpaidinvoices": st.unpaidCount(c.acct.CustomerID)}}
}

func (st *state) unpaidCount(customer int) int {
	n := 0
	for _, inv := range st.customerInvoices(customer) {
		if inv.Status == "Unpaid" {
			n++
		}
	}
	return n
}

// whmcsUpdateClient reads the billing_ names HOSTKEY's MCP server sends;
// WHMCS's plain names (firstname...) change nothing, as evidence.md records.
func (st *state) whmcsUpdateClient(c *call) any {
	a := c.acct
	for field, p := range map[string]*string{"billing_firstname": &a.FirstName, "billing_lastname": &a.LastName, "billing_email": &a.Email} {
		if v := c.get(field); v != "" {
			if field == "billing_email" && !strings.Contains(v, "@") {
				return whmcsErr("Invalid email address")
			}
			*p = v
		}
	}
	return obj{"result": "success", "message": obj{"clientid": a.CustomerID}}
}

func (st *state) whmcsCreateAddFunds(c *call) any {
	cents, err := parseMoney(c.get("amount"))
	if err != nil || cents <= 0 {
		return whmcsErr("Invalid amount")
	}
	inv := st.newInvoice(c.acct.CustomerID, cents, "Unpaid", "Add Funds", 0, "addfunds")
	return obj{"result": "success", "message": obj{"invoiceid": inv.ID, "status": inv.Status, "amount": inv.Total}}
}

func (st *state) whmcsGetPaymentGW(c *call) any {
	inv, e := st.invoiceFor(c)
	if e != nil {
		return e
	}
	if inv.Status != "Unpaid" {
		return whmcsErr("Invoice %d is %s", inv.ID, inv.Status)
	}
	form := fmt.Sprintf(`<form method="post" action="https://billing.hostkey.com/viewinvoice.php?id=%d"><input type="hidden" name="amount" value="%s"><input type="submit" value="Pay Now"></form>`, inv.ID, inv.Total)
	return obj{"result": "success", "invoiceid": inv.ID, "call": form, "gateways": []any{
		obj{"module": "paypal", "displayname": "PayPal"}, obj{"module": "banktransfer", "displayname": "Bank transfer"},
		obj{"module": "coinpayments", "displayname": "Cryptocurrency"}}}
}

// whmcsGetBillingData answers flat, with the billing_ names a third-party
// client reads from the live API (billing_reccuring is spelt so);
// AlternativeShapes answers with WHMCS's names under "message".
func (st *state) whmcsGetBillingData(c *call) any {
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		return whmcsErr("%s", errr.message)
	}
	amount := "0.00"
	if p := st.presetByName(e.Preset); p != nil {
		amount = firstOr(p.Prices[e.Location][c.acct.Currency], "0.00")
	}
	if !st.quirks.AlternativeShapes {
		return obj{"result": "success", "id": e.ID, "name": e.Name, "product": e.Preset, "billing_status": "Active",
			"billing_cycle": "Monthly", "billing_reccuring": amount, "currency_code": c.acct.Currency, "regdate": "2024-01-15",
			"nextduedate": st.now().AddDate(0, 1, 0).Format("2006-01-02")}
	}
	return obj{"result": "success", "message": obj{"id": e.ID, "name": e.Name, "status": "Active", "regdate": "2024-01-15",
		"nextduedate": st.now().AddDate(0, 1, 0).Format("2006-01-02"), "billingcycle": "Monthly",
		"recurringamount": amount, "currency": c.acct.Currency, "product": e.Preset}}
}

func (st *state) whmcsGetInvoice(c *call) any {
	inv, e := st.invoiceFor(c)
	if e != nil {
		return e
	}
	r := invoiceJSON(inv, c.acct.Currency)
	r["result"] = "success"
	r["invoiceid"] = inv.ID
	// relid is the WHMCS service, inv_id the InvAPI server (HOSTKEY's WHMCS
	// module reads inv_id to find the server an order created).
	item := obj{"id": inv.ID*10 + 1, "type": kindType(inv.Kind), "relid": 0, "inv_id": 0,
		"description": inv.Description, "amount": inv.Total, "taxed": 0}
	if inv.ServerID > 0 {
		item["relid"], item["inv_id"] = serviceID(inv.ServerID), inv.ServerID
	}
	r["items"] = obj{"item": []any{item}}
	return r
}

// serviceID is the WHMCS service id of a server.
func serviceID(serverID int) int { return 900000 + serverID }

// whmcsGetProductInvoice answers the invoices of one billing product (a
// server's account_id, its WHMCS service) as HOSTKEY's WHMCS module reads
// them: a flat "invoices" list of {invoiceid, total, status}.
func (st *state) whmcsGetProductInvoice(c *call) any {
	product, loc := c.get("product"), strings.ToUpper(c.get("location"))
	if product == "" || loc == "" {
		return whmcsErr("product and location are required")
	}
	list := []any{}
	for _, inv := range st.customerInvoices(c.acct.CustomerID) {
		if inv.ServerID == 0 || strconv.Itoa(serviceID(inv.ServerID)) != product {
			continue
		}
		if e := st.servers[inv.ServerID]; e != nil && !strings.EqualFold(e.Location, loc) {
			continue
		}
		o := invoiceJSON(inv, c.acct.Currency)
		o["invoiceid"] = inv.ID
		list = append(list, o)
	}
	return obj{"result": "success", "invoices": list}
}

func kindType(k string) string {
	if k == "addfunds" {
		return "AddFunds"
	}
	return "Hosting"
}

func (st *state) whmcsGetInvoices(c *call) any {
	status := c.get("status")
	list := []any{}
	for _, inv := range st.customerInvoices(c.acct.CustomerID) {
		if status == "" || strings.EqualFold(status, inv.Status) {
			list = append(list, invoiceJSON(inv, c.acct.Currency))
		}
	}
	return obj{"result": "success", "totalresults": len(list), "startnumber": 0, "numreturned": len(list),
		"invoices": obj{"invoice": list}}
}

func (st *state) whmcsGetRelatedInvoices(c *call) any {
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		return whmcsErr("%s", errr.message)
	}
	list := []any{}
	for _, inv := range st.customerInvoices(c.acct.CustomerID) {
		if inv.ServerID == e.ID {
			list = append(list, invoiceJSON(inv, c.acct.Currency))
		}
	}
	return obj{"result": "success", "invoices": list}
}

func (st *state) whmcsDownloadInvoice(c *call) any {
	inv, e := st.invoiceFor(c)
	if e != nil {
		return e
	}
	return &rawReply{contentType: "application/pdf", body: invoicePDF(inv)}
}

// invoicePDF renders a minimal one-page PDF.
func invoicePDF(inv *Invoice) []byte {
	text := fmt.Sprintf("Invoice #%d - %s - %s - %s", inv.ID, inv.Description, inv.Total, inv.Status)
	text = strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(text)
	stream := "BT /F1 12 Tf 50 750 Td (" + text + ") Tj ET"
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(stream), stream),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b strings.Builder
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return []byte(b.String())
}

func (st *state) whmcsGenerateDueInvoice(c *call) any {
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		return whmcsErr("%s", errr.message)
	}
	for _, inv := range st.customerInvoices(c.acct.CustomerID) {
		if inv.ServerID == e.ID && inv.Status == "Unpaid" {
			return whmcsErr("There is an unpaid invoice #%d for this service", inv.ID)
		}
	}
	var cents int64 = 1000
	if p := st.presetByName(e.Preset); p != nil {
		if v, err := parseMoney(p.Prices[e.Location][c.acct.Currency]); err == nil {
			cents = v
		}
	}
	inv := st.newInvoice(c.acct.CustomerID, cents, "Unpaid", "Renewal of "+e.Name, e.ID, "renewal")
	return obj{"result": "success", "message": obj{"invoiceid": inv.ID, "total": inv.Total}}
}

// payFromCredit pays inv from the account's credit.
func (st *state) payFromCredit(a *Account, inv *Invoice) obj {
	if inv.Status != "Unpaid" {
		return whmcsErr("Invoice %d is %s", inv.ID, inv.Status)
	}
	if inv.Kind == "addfunds" {
		return whmcsErr("Credit cannot be applied to an add funds invoice")
	}
	bal, _ := parseMoney(a.Balance)
	total, _ := parseMoney(inv.Total)
	if bal < total {
		return whmcsErr("Insufficient credit balance")
	}
	a.Balance = formatMoney(bal - total)
	inv.Status = "Paid"
	st.transaction(inv, "Credit Balance")
	return nil
}

func (st *state) whmcsApplyCredit(c *call) any {
	inv, e := st.invoiceFor(c)
	if e != nil {
		return e
	}
	if e := st.payFromCredit(c.acct, inv); e != nil {
		return e
	}
	return obj{"result": "success", "invoiceid": inv.ID, "amount": inv.Total, "invoicepaid": "true"}
}

// whmcsMassPay reads invoices[], one field per invoice, as HOSTKEY's MCP
// server sends them.
func (st *state) whmcsMassPay(c *call) any {
	ids := c.form["invoices[]"]
	if len(ids) == 0 {
		return whmcsErr("No invoices selected")
	}
	var total int64
	var invs []*Invoice
	for _, raw := range ids {
		id, _ := strconv.Atoi(raw)
		inv := st.invoices[id]
		if inv == nil || inv.CustomerID != c.acct.CustomerID || inv.Status != "Unpaid" {
			return whmcsErr("Invoice %s is not payable", raw)
		}
		t, _ := parseMoney(inv.Total)
		total += t
		invs = append(invs, inv)
	}
	for _, inv := range invs {
		inv.Status = "Cancelled"
	}
	mp := st.newInvoice(c.acct.CustomerID, total, "Unpaid", fmt.Sprintf("Mass Payment of %d invoices", len(invs)), 0, "masspay")
	return obj{"result": "success", "invoiceid": mp.ID, "total": mp.Total}
}

func (st *state) whmcsGetCredits(c *call) any {
	list, _ := st.extra["credits/"+strconv.Itoa(c.acct.CustomerID)].([]obj)
	out := []any{}
	for _, x := range list {
		if id := c.get("id"); id != "" && fmt.Sprint(x["relid"]) != id {
			continue // id narrows to one server's movements
		}
		out = append(out, x)
	}
	return obj{"result": "success", "clientid": c.acct.CustomerID, "balance": c.acct.Balance,
		"totalresults": len(out), "credits": obj{"credit": out}}
}

func (st *state) whmcsTransactions(c *call) any {
	list, _ := st.extra["tx/"+strconv.Itoa(c.acct.CustomerID)].([]obj)
	inv, sid := c.get("invoice_id"), c.get("id")
	out := []any{}
	for _, t := range list {
		if inv != "" && fmt.Sprint(t["invoiceid"]) != inv {
			continue
		}
		if sid != "" && fmt.Sprint(t["relid"]) != sid {
			continue
		}
		out = append(out, t)
	}
	return obj{"result": "success", "totalresults": len(out), "transactions": obj{"transaction": out}}
}

func (st *state) whmcsGetClientGroups(c *call) any {
	return obj{"result": "success", "totalresults": 2, "groups": obj{"group": []any{
		obj{"id": 1, "groupname": "Retail", "groupcolour": "#ffffff", "discountpercent": "0.00"},
		obj{"id": 2, "groupname": "Partners", "groupcolour": "#cccccc", "discountpercent": "5.00"}}}}
}

func (st *state) contacts(c *call) map[int]obj {
	k := "contacts/" + strconv.Itoa(c.acct.CustomerID)
	m, _ := st.extra[k].(map[int]obj)
	if m == nil {
		m = map[int]obj{}
		st.extra[k] = m
	}
	return m
}

func (st *state) whmcsGetContacts(c *call) any {
	m := st.contacts(c)
	ids := make([]int, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Ints(ids)
	list := []any{}
	for _, id := range ids {
		list = append(list, m[id])
	}
	return obj{"result": "success", "totalresults": len(list), "contacts": obj{"contact": list}}
}

func (st *state) whmcsAddContact(c *call) any {
	email := c.get("email")
	if email == "" {
		email = fmt.Sprintf("contact%d@example.com", st.nextID+1)
	}
	if !strings.Contains(email, "@") {
		return whmcsErr("Invalid email address")
	}
	id := st.id()
	st.contacts(c)[id] = obj{"id": id, "userid": c.acct.CustomerID, "firstname": firstOr(c.get("firstname"), "Contact"),
		"lastname": c.get("lastname"), "email": email, "phonenumber": c.get("phonenumber")}
	return obj{"result": "success", "contactid": id}
}

func (st *state) whmcsUpdateContact(c *call) any {
	id, _ := strconv.Atoi(firstOf(c, "contactid", "contact_id", "id"))
	ct := st.contacts(c)[id]
	if ct == nil {
		return whmcsErr("Contact ID Not Found")
	}
	for _, f := range []string{"firstname", "lastname", "email", "phonenumber"} {
		if v := c.get(f); v != "" {
			ct[f] = v
		}
	}
	if pw := c.form.Get("password2"); pw != "" && len(pw) < 8 {
		return whmcsErr("Password is too short")
	}
	return obj{"result": "success", "contactid": id}
}

func (st *state) whmcsDeleteContact(c *call) any {
	id, _ := strconv.Atoi(firstOf(c, "contactid", "contact_id", "id"))
	m := st.contacts(c)
	if m[id] == nil {
		return whmcsErr("Contact ID Not Found")
	}
	delete(m, id)
	return obj{"result": "success", "contactid": id}
}

func (st *state) cancellations(c *call) []obj {
	l, _ := st.extra["cancel/"+strconv.Itoa(c.acct.CustomerID)].([]obj)
	return l
}

func (st *state) whmcsRequestCancellation(c *call) any {
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		return whmcsErr("%s", errr.message)
	}
	for _, r := range st.cancellations(c) {
		if r["relid"] == e.ID {
			return whmcsErr("Existing Cancellation Request Exists")
		}
	}
	// cancellation_type 1 (immediate) / 0 (end of billing period) and
	// cancellation_reason, as every HOSTKEY client sends them (mcp puts the
	// text in terminate_reason_custom). The old type/reason names are not
	// read: a request sending them is filed with the defaults.
	typ := "End of Billing Period"
	switch c.get("cancellation_type") {
	case "", "0":
	case "1":
		typ = "Immediate"
	default:
		return whmcsErr("Invalid Cancellation Type")
	}
	reason := firstOf(c, "cancellation_reason", "terminate_reason_custom")
	r := obj{"id": st.id(), "relid": e.ID, "type": typ, "reason": reason,
		"date": st.now().UTC().Format("2006-01-02 15:04:05"), "kind": c.action}
	st.extra["cancel/"+strconv.Itoa(c.acct.CustomerID)] = append(st.cancellations(c), r)
	out := obj{"result": "success", "message": obj{"id": r["id"], "serviceid": e.ID}}
	if c.action == "request_subscription_cancellation" {
		t := st.newTicket(c.acct.CustomerID, "subscription_cancellation", e, "Cancel bank subscription", reason)
		out["ticket"] = t.ID
	}
	return out
}

func (st *state) whmcsGetCancellationRequests(c *call) any {
	id := c.get("id")
	list := []any{}
	for _, r := range st.cancellations(c) {
		if id == "" || fmt.Sprint(r["relid"]) == id {
			list = append(list, r)
		}
	}
	return obj{"result": "success", "totalresults": len(list), "requests": list}
}

func (st *state) whmcsDeleteCancellationRequest(c *call) any {
	id := c.get("id")
	list := st.cancellations(c)
	for i, r := range list {
		if fmt.Sprint(r["relid"]) == id || fmt.Sprint(r["id"]) == c.get("request_id") {
			st.extra["cancel/"+strconv.Itoa(c.acct.CustomerID)] = append(list[:i:i], list[i+1:]...)
			return obj{"result": "success"}
		}
	}
	return whmcsErr("No cancellation request found")
}

func (st *state) whmcsResetPassword(c *call) any {
	if tok := c.get("reset_token"); tok != "" {
		if len(c.form.Get("password")) < 8 {
			return whmcsErr("Password is too short")
		}
		if c.get("code") == "" {
			return whmcsErr("2FA code required")
		}
		return obj{"result": "success", "message": "Password changed"}
	}
	if !strings.Contains(c.get("email"), "@") {
		return whmcsErr("Invalid email address")
	}
	return obj{"result": "success", "message": "A password reset link was sent", "expires": st.now().Add(time.Hour).Unix()}
}
