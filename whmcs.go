package invapi

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"mime"
	"net/url"
	"strconv"
	"strings"

	"github.com/invapi-go/invapi/internal/form"
	"github.com/invapi-go/invapi/internal/loose"
)

// WHMCSService wraps whmcs.php: billing.
//
// HOSTKEY bills through WHMCS, and whmcs.php passes WHMCS's answers on:
// {"result":"success", ...} with the data at top level or under "message",
// lists as {"invoices":{"invoice":[...]}}, dates as "2024-05-01" (or
// "0000-00-00" for none) and amounts as decimal strings, read as Money.
//
// Only get_client, create_addfunds, getpaymentgw and get_billing_data are
// documented with parameters; the others are published by name only. Their
// request fields carry the names WHMCS and the rest of InvAPI use (id for a
// server, invoice_id, contact_id...), and every request has Extra for the
// fields the SDK does not model.
type WHMCSService service

const whmcsSettleInvoices = "whmcs/get_invoices (and whmcs/getcredits for the balance)"

var (
	whmcsGetClient      = endpoint{module: "whmcs", action: "get_client", class: read, evidence: byClient("whmcs", "mcp")}
	whmcsCreateAddFunds = endpoint{module: "whmcs", action: "create_addfunds", class: money, settle: whmcsSettleInvoices, evidence: byClient("mcp")}
	whmcsGetPaymentGW   = endpoint{module: "whmcs", action: "getpaymentgw", class: read, evidence: byClient("mcp")}
	// get_billing_data: every source sends id; the answer names come from a
	// third-party client only, so both those and WHMCS's names are read.
	whmcsGetBillingData            = endpoint{module: "whmcs", action: "get_billing_data", class: read, evidence: byClient("mcp")}
	whmcsAddContact                = endpoint{module: "whmcs", action: "add_contact", class: change, settle: "whmcs/get_contacts", evidence: byClient("mcp")}
	whmcsApplyCredit               = endpoint{module: "whmcs", action: "apply_credit", class: money, settle: "whmcs/get_invoice and whmcs/getcredits", evidence: byClient("whmcs", "mcp")}
	whmcsDeleteCancellationRequest = endpoint{module: "whmcs", action: "delete_cancellation_request", class: change, settle: "whmcs/get_cancellation_requests", evidence: byClient("mcp")}
	whmcsDeleteContact             = endpoint{module: "whmcs", action: "delete_contact", class: change, settle: "whmcs/get_contacts", evidence: byClient("mcp")}
	whmcsDownloadInvoice           = endpoint{module: "whmcs", action: "download_invoice", class: read, evidence: byClient("mcp")}
	whmcsGenerateDueInvoice        = endpoint{module: "whmcs", action: "generate_due_invoice", class: money, settle: "whmcs/get_related_invoices", evidence: byClient("mcp")}
	whmcsGetCancellationRequests   = endpoint{module: "whmcs", action: "get_cancellation_requests", class: read, evidence: byClient("mcp")}
	whmcsGetClientGroups           = endpoint{module: "whmcs", action: "get_clientgroups", class: read, evidence: guessed}
	whmcsGetContacts               = endpoint{module: "whmcs", action: "get_contacts", class: read, evidence: byClient("mcp")}
	// get_invoice: whmcs adds location (sent when set) and reads items' inv_id.
	whmcsGetInvoice         = endpoint{module: "whmcs", action: "get_invoice", class: read, evidence: byClient("tf", "whmcs", "mcp")}
	whmcsGetInvoices        = endpoint{module: "whmcs", action: "get_invoices", class: read, evidence: byClient("tf", "mcp")}
	whmcsGetProductInvoice  = endpoint{module: "whmcs", action: "get_product_invoice", class: read, evidence: byClient("whmcs")}
	whmcsGetRelatedInvoices = endpoint{module: "whmcs", action: "get_related_invoices", class: read, evidence: byClient("mcp")}
	whmcsGetCredits         = endpoint{module: "whmcs", action: "getcredits", class: read, evidence: byClient("mcp")}
	whmcsMassPay            = endpoint{module: "whmcs", action: "mass_pay", class: money, settle: whmcsSettleInvoices, evidence: byClient("mcp")}
	// request_cancellation: tf and whmcs send cancellation_reason, mcp
	// terminate_reason_custom; the reason goes as cancellation_reason only.
	whmcsRequestCancellation             = endpoint{module: "whmcs", action: "request_cancellation", class: change, settle: "whmcs/get_cancellation_requests", evidence: byClient("tf", "whmcs", "mcp")}
	whmcsRequestSubscriptionCancellation = endpoint{module: "whmcs", action: "request_subscription_cancellation", class: change, settle: "whmcs/get_cancellation_requests", evidence: guessed}
	whmcsResetPassword                   = endpoint{module: "whmcs", action: "reset_password", class: change, noAuth: true, evidence: byClient("mcp")}
	whmcsTransactions                    = endpoint{module: "whmcs", action: "transactions", class: read, evidence: byClient("mcp")}
	whmcsUpdateClient                    = endpoint{module: "whmcs", action: "update_client", class: change, settle: "whmcs/get_client", evidence: byClient("mcp")}
	whmcsUpdateContact                   = endpoint{module: "whmcs", action: "update_contact", class: change, settle: "whmcs/get_contacts", evidence: byClient("mcp")}
)

// BillingAnswer is the answer of a billing action that returns no data of
// its own: the API's message, and the raw body for anything else.
type BillingAnswer struct {
	Message string // e.g. "Cancellation request created"; "" when none
	RawJSON
}

// billingAnswer sends ep and keeps its message.
func (s *WHMCSService) billingAnswer(ctx context.Context, ep *endpoint, params any) (*BillingAnswer, error) {
	env, err := s.client.call(ctx, ep, params, nil)
	if err != nil {
		return nil, err
	}
	out := &BillingAnswer{Message: env.Message}
	out.setRaw(env.Body)
	return out, nil
}

// BillingClient is the billing (WHMCS) record of the customer.
type BillingClient struct {
	ID          int    `json:"id"` // the WHMCS client id (also sent as userid)
	UserID      int    `json:"userid"`
	FirstName   string `json:"firstname"`
	LastName    string `json:"lastname"`
	FullName    string `json:"fullname"`
	CompanyName string `json:"companyname"`
	Email       string `json:"email"`
	Address1    string `json:"address1"`
	Address2    string `json:"address2"`
	City        string `json:"city"`
	State       string `json:"state"`
	PostCode    string `json:"postcode"`
	CountryCode string `json:"countrycode"`
	PhoneNumber string `json:"phonenumber"`
	Status      string `json:"status"` // "Active"...
	GroupID     int    `json:"groupid"`
	Language    string `json:"language"`
	// Credit is the account's credit balance, which pays for orders and
	// invoices (check it after a payment).
	Credit       Money  `json:"credit"`
	CurrencyCode string `json:"currency_code"` // "EUR", "USD", "RUB"
	RawJSON
}

// GetClient returns the customer's billing record, including the credit
// balance (whmcs.php get_client).
func (s *WHMCSService) GetClient(ctx context.Context) (*BillingClient, error) {
	out, err := doSingle[BillingClient](ctx, s.client, &whmcsGetClient, nil, "client")
	if err != nil {
		return nil, err
	}
	if out.ID == 0 {
		out.ID = out.UserID
	}
	return out, nil
}

// CreateAddFundsRequest is a top-up of the credit balance.
type CreateAddFundsRequest struct {
	// Amount to add, in the account's currency. The vendor types it int;
	// it is sent in canonical decimal form ("50.00").
	Amount Money `url:"amount"`
	// Subscribe turns on automatic payments, where offered (the vendor
	// mentions the option but not its field name).
	Subscribe bool   `url:"subscribe,int,omitempty"`
	Extra     Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *CreateAddFundsRequest) Validate() error {
	return positiveAmount("amount", r.Amount)
}

// AddFundsInvoice is the invoice created by create_addfunds; pay it with
// the form GetPaymentGW returns.
type AddFundsInvoice struct {
	InvoiceID int `json:"invoice_id"`
	RawJSON
}

// UnmarshalJSON also reads the invoice id from WHMCS's "invoiceid".
func (a *AddFundsInvoice) UnmarshalJSON(b []byte) error {
	var v struct {
		InvoiceID int `json:"invoice_id"`
		WHMCSID   int `json:"invoiceid"`
		PlainID   int `json:"id"`
	}
	if err := loose.Unmarshal(b, &v); err != nil {
		return err
	}
	if id := firstNonZero(v.InvoiceID, v.WHMCSID, v.PlainID); id != 0 {
		a.InvoiceID = id
	}
	return nil
}

// CreateAddFunds creates an invoice that tops up the credit balance
// (whmcs.php create_addfunds). It charges nothing by itself; it is never
// resent when its outcome is unknown.
func (s *WHMCSService) CreateAddFunds(ctx context.Context, req *CreateAddFundsRequest) (*AddFundsInvoice, error) {
	if req == nil {
		return nil, invalid("amount", "request is nil")
	}
	return do[AddFundsInvoice](ctx, s.client, &whmcsCreateAddFunds, req)
}

// PaymentForm tells how to pay an invoice.
type PaymentForm struct {
	// Call is the HTML payment form to show the customer; paying it adds to
	// the credit balance.
	Call string `json:"call"`
	RawJSON
}

// GetPaymentGW returns how to pay an invoice: the payment gateway's form
// (whmcs.php getpaymentgw).
func (s *WHMCSService) GetPaymentGW(ctx context.Context, invoiceID int) (*PaymentForm, error) {
	if invoiceID <= 0 {
		return nil, invalid("invoice_id", "must be a positive invoice id, got %d", invoiceID)
	}
	return do[PaymentForm](ctx, s.client, &whmcsGetPaymentGW, url.Values{"invoice_id": {strconv.Itoa(invoiceID)}})
}

// BillingData is the billing record of one server (a WHMCS service).
type BillingData struct {
	ID               int    `json:"id"` // the WHMCS service id
	Product          string `json:"product"`
	Status           string `json:"status"`       // "Active", "Suspended"...
	BillingCycle     string `json:"billingcycle"` // "Monthly"...
	RegDate          string `json:"regdate"`      // "2024-05-01"
	NextDueDate      string `json:"nextduedate"`
	RecurringAmount  Money  `json:"recurringamount"`
	FirstPaymentAmt  Money  `json:"firstpaymentamount"`
	PaymentMethod    string `json:"paymentmethod"`
	CurrencyCode     string `json:"currency_code"`
	CancellationType string `json:"cancellation_type"` // when a cancellation is pending
	RawJSON
}

// UnmarshalJSON also reads the flat names a third-party client reads from
// the live API: billing_status, billing_cycle, billing_reccuring (sic) and
// currency. Fields already set (from another level of the answer) are kept.
func (d *BillingData) UnmarshalJSON(b []byte) error {
	type plain BillingData
	v := struct {
		plain
		BillingStatus    string `json:"billing_status"`
		BillingCycle     string `json:"billing_cycle"`
		BillingReccuring Money  `json:"billing_reccuring"`
		BillingRecurring Money  `json:"billing_recurring"`
		Currency         string `json:"currency"`
	}{plain: plain(*d)}
	if err := loose.Unmarshal(b, &v); err != nil {
		return err
	}
	raw := d.RawJSON
	*d = BillingData(v.plain)
	d.RawJSON = raw
	d.Status = firstNonEmpty(d.Status, v.BillingStatus)
	d.BillingCycle = firstNonEmpty(d.BillingCycle, v.BillingCycle)
	if d.RecurringAmount.IsZero() {
		d.RecurringAmount = v.BillingReccuring
		if d.RecurringAmount.IsZero() {
			d.RecurringAmount = v.BillingRecurring
		}
	}
	d.CurrencyCode = firstNonEmpty(d.CurrencyCode, v.Currency)
	return nil
}

// GetBillingData returns the billing record and service status of a server
// (whmcs.php get_billing_data).
func (s *WHMCSService) GetBillingData(ctx context.Context, id int) (*BillingData, error) {
	if id <= 0 {
		return nil, invalid("id", "must be a positive server id, got %d", id)
	}
	return do[BillingData](ctx, s.client, &whmcsGetBillingData, url.Values{"id": {strconv.Itoa(id)}})
}

// Contact is an additional contact of the customer.
type Contact struct {
	ID          int    `json:"id"`
	FirstName   string `json:"firstname"`
	LastName    string `json:"lastname"`
	CompanyName string `json:"companyname"`
	Email       string `json:"email"`
	PhoneNumber string `json:"phonenumber"`
}

// AddContactRequest is a new contact. Type selects the kind of contact; when
// it is empty the API creates a random contact, as documented.
type AddContactRequest struct {
	FirstName   string `url:"firstname,omitempty"`
	LastName    string `url:"lastname,omitempty"`
	CompanyName string `url:"companyname,omitempty"`
	Email       string `url:"email,omitempty"`
	PhoneNumber string `url:"phonenumber,omitempty"`
	Type        string `url:"type,omitempty"`
	Extra       Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *AddContactRequest) Validate() error {
	if r.Type == "" {
		return nil // a random contact
	}
	if r.Email == "" {
		return invalid("email", "is required")
	}
	return validateEmail("email", r.Email)
}

// ContactID is the answer of add_contact.
type ContactID struct {
	ContactID int `json:"contactid"`
	RawJSON
}

// UnmarshalJSON also reads the id from "contact_id" or "id".
func (c *ContactID) UnmarshalJSON(b []byte) error {
	var v struct {
		A int `json:"contactid"`
		B int `json:"contact_id"`
		C int `json:"id"`
	}
	if err := loose.Unmarshal(b, &v); err != nil {
		return err
	}
	if id := firstNonZero(v.A, v.B, v.C); id != 0 {
		c.ContactID = id
	}
	return nil
}

// AddContact adds a contact person to the customer (whmcs.php add_contact).
func (s *WHMCSService) AddContact(ctx context.Context, req *AddContactRequest) (*ContactID, error) {
	if req == nil {
		req = &AddContactRequest{}
	}
	return do[ContactID](ctx, s.client, &whmcsAddContact, req)
}

// ApplyCreditRequest pays an invoice from the credit balance.
type ApplyCreditRequest struct {
	InvoiceID int `url:"invoice_id"`
	// Amount of credit to apply; the API applies at most the invoice's
	// balance.
	Amount Money  `url:"amount"`
	Extra  Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *ApplyCreditRequest) Validate() error {
	if r.InvoiceID <= 0 {
		return invalid("invoice_id", "must be a positive invoice id, got %d", r.InvoiceID)
	}
	return positiveAmount("amount", r.Amount)
}

// AppliedCredit is the answer of apply_credit.
type AppliedCredit struct {
	InvoiceID int   `json:"invoiceid"`
	Amount    Money `json:"amount"`
	RawJSON
}

// ApplyCredit pays an invoice from the credit balance; when the credit
// exceeds the invoice, the invoice's balance is applied (whmcs.php apply_credit).
func (s *WHMCSService) ApplyCredit(ctx context.Context, req *ApplyCreditRequest) (*AppliedCredit, error) {
	if req == nil {
		return nil, invalid("invoice_id", "request is nil")
	}
	out, err := do[AppliedCredit](ctx, s.client, &whmcsApplyCredit, req)
	if err == nil && out.InvoiceID == 0 {
		out.InvoiceID = req.InvoiceID
	}
	return out, err
}

// ServerBillingRequest names a server for the billing actions published by
// name only.
type ServerBillingRequest struct {
	ID    int    `url:"id"` // the server
	Extra Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *ServerBillingRequest) Validate() error {
	if r.ID <= 0 {
		return invalid("id", "must be a positive server id, got %d", r.ID)
	}
	return nil
}

// DeleteCancellationRequest withdraws a server's pending cancellation
// request, restoring its order (whmcs.php delete_cancellation_request).
func (s *WHMCSService) DeleteCancellationRequest(ctx context.Context, req *ServerBillingRequest) (*BillingAnswer, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	return s.billingAnswer(ctx, &whmcsDeleteCancellationRequest, req)
}

// ContactRequest names one contact.
type ContactRequest struct {
	ContactID int    `url:"contact_id"`
	Extra     Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *ContactRequest) Validate() error {
	if r.ContactID <= 0 {
		return invalid("contact_id", "must be a positive contact id, got %d", r.ContactID)
	}
	return nil
}

// DeleteContact deletes an additional contact (whmcs.php delete_contact).
func (s *WHMCSService) DeleteContact(ctx context.Context, req *ContactRequest) error {
	if req == nil {
		return invalid("contact_id", "request is nil")
	}
	_, err := s.client.call(ctx, &whmcsDeleteContact, req, nil)
	return err
}

// InvoiceRequest names one invoice.
type InvoiceRequest struct {
	InvoiceID int `url:"invoice_id"`
	// Location is the billing location of the invoice ("NL", "RU"...), as
	// HOSTKEY's WHMCS module sends it with get_invoice; empty for the
	// account's own.
	Location string `url:"location,omitempty"`
	Extra    Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *InvoiceRequest) Validate() error {
	if r.InvoiceID <= 0 {
		return invalid("invoice_id", "must be a positive invoice id, got %d", r.InvoiceID)
	}
	_, err := locationCode("location", r.Location, false)
	return err
}

// DownloadInvoice returns an invoice as a PDF (whmcs.php download_invoice).
// The API sends the PDF base64-encoded inside JSON; a binary answer is
// accepted too. File.Data holds the decoded PDF either way.
func (s *WHMCSService) DownloadInvoice(ctx context.Context, req *InvoiceRequest) (*File, error) {
	if req == nil {
		return nil, invalid("invoice_id", "request is nil")
	}
	ep := &whmcsDownloadInvoice
	env, ans, err := s.client.exchange(ctx, ep, req, true)
	if err != nil {
		return nil, err
	}
	if env == nil { // a binary answer
		f := &File{ContentType: ans.contentType, Data: ans.body}
		if _, p, err := mime.ParseMediaType(ans.header.Get("Content-Disposition")); err == nil {
			f.Filename = p["filename"]
		}
		return f, nil
	}
	var fields map[string]json.RawMessage
	if env.Payload != nil && env.Payload[0] == '{' {
		_ = json.Unmarshal(env.Payload, &fields)
	}
	f := &File{ContentType: "application/pdf"}
	for _, m := range []map[string]json.RawMessage{env.TopFields(), fields} {
		for _, k := range []string{"filename", "file_name", "name"} {
			if name := rawScalar(m[k]); name != "" && f.Filename == "" {
				f.Filename = name
			}
		}
		for _, k := range []string{"pdf", "file", "content", "data", "invoice", "base64", "message", "result"} {
			if f.Data == nil {
				f.Data = decodePDF(rawScalar(m[k]))
			}
		}
	}
	if f.Data == nil {
		return nil, s.client.responseError(ep, ans, "no base64 PDF in the answer")
	}
	return f, nil
}

// decodePDF decodes a base64 PDF (standard or URL alphabet, padded or not,
// with line breaks or a data: URL prefix); nil if s is not one.
func decodePDF(s string) []byte {
	if s == "" {
		return nil
	}
	if i := strings.Index(s, ";base64,"); i >= 0 && strings.HasPrefix(s, "data:") {
		s = s[i+len(";base64,"):]
	}
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil && bytes.HasPrefix(b, []byte("%PDF")) {
			return b
		}
	}
	return nil
}

// GeneratedInvoice is the answer of generate_due_invoice.
type GeneratedInvoice struct {
	InvoiceID int `json:"invoice_id"`
	RawJSON
}

// UnmarshalJSON also reads the id from WHMCS's "invoiceid" or "id".
func (g *GeneratedInvoice) UnmarshalJSON(b []byte) error {
	var a AddFundsInvoice
	if err := a.UnmarshalJSON(b); err != nil {
		return err
	}
	if a.InvoiceID != 0 {
		g.InvoiceID = a.InvoiceID
	}
	return nil
}

// GenerateDueInvoice creates a server's next invoice ahead of time, when
// its billing cycle is running and nothing is unpaid (whmcs.php generate_due_invoice).
func (s *WHMCSService) GenerateDueInvoice(ctx context.Context, req *ServerBillingRequest) (*GeneratedInvoice, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	return do[GeneratedInvoice](ctx, s.client, &whmcsGenerateDueInvoice, req)
}

// CancellationRequest is a pending cancellation of a server's service.
type CancellationRequest struct {
	ID       int    `json:"id"`
	ServerID int    `json:"server_id"`
	RelID    int    `json:"relid"`  // the WHMCS service
	Type     string `json:"type"`   // "Immediate", "End of Billing Period"
	Reason   string `json:"reason"` // the customer's reason
	Date     string `json:"date"`
	Status   string `json:"status"`
}

// GetCancellationRequestsRequest filters the pending cancellations: of a
// server (ID) or of the whole account, by type, payment status and date.
type GetCancellationRequestsRequest struct {
	ID            int    `url:"id,omitempty"`
	Type          string `url:"type,omitempty"`
	PaymentStatus string `url:"payment_status,omitempty"`
	Date          string `url:"date,omitempty"` // "2024-05-01"
	Extra         Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *GetCancellationRequestsRequest) Validate() error {
	if r.ID < 0 {
		return invalid("id", "must be a positive server id, got %d", r.ID)
	}
	return nil
}

// GetCancellationRequests returns the pending cancellation requests of a
// server or of the account (whmcs.php get_cancellation_requests). req may be nil.
func (s *WHMCSService) GetCancellationRequests(ctx context.Context, req *GetCancellationRequestsRequest) ([]CancellationRequest, error) {
	return doWHMCSList[CancellationRequest](ctx, s.client, &whmcsGetCancellationRequests, optionalParams(req), "requests", "request")
}

// ClientGroup is a WHMCS customer group.
type ClientGroup struct {
	ID     int    `json:"id"`
	Name   string `json:"groupname"`
	Colour string `json:"groupcolour"`
}

// LocationRequest selects the billing location for the actions that take
// one (a WHMCS installation per location).
type LocationRequest struct {
	Location string `url:"location,omitempty"` // "NL", "US", "RU"...
	Extra    Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *LocationRequest) Validate() error {
	_, err := locationCode("location", r.Location, false)
	return err
}

// GetClientGroups returns the customer groups of a billing location
// (whmcs.php get_clientgroups). req may be nil.
func (s *WHMCSService) GetClientGroups(ctx context.Context, req *LocationRequest) ([]ClientGroup, error) {
	return doWHMCSList[ClientGroup](ctx, s.client, &whmcsGetClientGroups, optionalParams(req), "groups", "group")
}

// GetContactsRequest filters the contacts: with Email (a sub-account), only
// the contacts it may see.
type GetContactsRequest struct {
	Email string `url:"email,omitempty"`
	Extra Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *GetContactsRequest) Validate() error {
	if r.Email == "" {
		return nil
	}
	return validateEmail("email", r.Email)
}

// GetContacts returns the customer's additional contacts (whmcs.php get_contacts).
// req may be nil.
func (s *WHMCSService) GetContacts(ctx context.Context, req *GetContactsRequest) ([]Contact, error) {
	return doWHMCSList[Contact](ctx, s.client, &whmcsGetContacts, optionalParams(req), "contacts", "contact")
}

// Invoice is a billing invoice.
type Invoice struct {
	ID            int    `json:"id"`
	InvoiceNum    string `json:"invoicenum"`
	UserID        int    `json:"userid"`
	Date          string `json:"date"` // "2024-05-01"
	DueDate       string `json:"duedate"`
	DatePaid      string `json:"datepaid"`      // "0000-00-00 00:00:00" when unpaid
	Status        string `json:"status"`        // "Paid", "Unpaid", "Cancelled", "Refunded"...
	PaymentMethod string `json:"paymentmethod"` // gateway module
	CurrencyCode  string `json:"currencycode"`  // "EUR"
	Subtotal      Money  `json:"subtotal"`
	Credit        Money  `json:"credit"` // credit applied
	Tax           Money  `json:"tax"`
	Total         Money  `json:"total"`
	Balance       Money  `json:"balance"` // still due (get_invoice)
	Notes         string `json:"notes"`
	// Items are the invoice's lines (get_invoice).
	Items []InvoiceItem `json:"-"`
}

// InvoiceItem is one line of an invoice.
type InvoiceItem struct {
	ID    int    `json:"id"`
	Type  string `json:"type"`  // "Hosting", "AddFunds"...
	RelID int    `json:"relid"` // the WHMCS service it bills
	// InvID is the InvAPI server the line bills (HOSTKEY's WHMCS module
	// reads it to find the server an order created); 0 when none.
	InvID       int    `json:"inv_id"`
	Description string `json:"description"`
	Amount      Money  `json:"amount"`
}

// ServerID returns the InvAPI server the invoice bills: the inv_id of its
// first line that has one, as HOSTKEY's WHMCS module reads it; 0 when no
// line names a server (an add-funds invoice, an order not yet deployed).
func (inv *Invoice) ServerID() int {
	for _, it := range inv.Items {
		if it.InvID > 0 {
			return it.InvID
		}
	}
	return 0
}

// UnmarshalJSON reads WHMCS's "invoiceid" as ID and its nested
// {"items":{"item":[...]}}.
func (inv *Invoice) UnmarshalJSON(b []byte) error {
	type plain Invoice
	var v struct {
		plain
		InvoiceID int             `json:"invoiceid"`
		Items     json.RawMessage `json:"items"`
	}
	if err := loose.Unmarshal(b, &v); err != nil {
		return err
	}
	*inv = Invoice(v.plain)
	if inv.ID == 0 {
		inv.ID = v.InvoiceID
	}
	items, err := whmcsRows[InvoiceItem](v.Items, "item")
	if err != nil {
		return err
	}
	inv.Items = items
	return nil
}

// InvoiceDetails is the answer of get_invoice.
type InvoiceDetails struct {
	Invoice
	RawJSON
}

// GetInvoice returns an invoice with its lines and payment status
// (whmcs.php get_invoice).
func (s *WHMCSService) GetInvoice(ctx context.Context, req *InvoiceRequest) (*InvoiceDetails, error) {
	if req == nil {
		return nil, invalid("invoice_id", "request is nil")
	}
	out, err := doSingle[InvoiceDetails](ctx, s.client, &whmcsGetInvoice, req, "invoice")
	if err != nil {
		return nil, err
	}
	if out.ID == 0 {
		out.ID = req.InvoiceID
	}
	return out, nil
}

// GetInvoicesRequest filters the invoices of a billing location.
type GetInvoicesRequest struct {
	Location string `url:"location,omitempty"`
	Status   string `url:"status,omitempty"` // "Paid", "Unpaid", "Cancelled"...
	Extra    Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *GetInvoicesRequest) Validate() error {
	_, err := locationCode("location", r.Location, false)
	return err
}

// GetInvoices returns the customer's invoices in a billing location
// (whmcs.php get_invoices). req may be nil.
func (s *WHMCSService) GetInvoices(ctx context.Context, req *GetInvoicesRequest) ([]Invoice, error) {
	return doWHMCSList[Invoice](ctx, s.client, &whmcsGetInvoices, optionalParams(req), "invoices", "invoice")
}

// GetProductInvoiceRequest names a server's billing product, as eq/show
// reports it: its account_id and its type_billing.
type GetProductInvoiceRequest struct {
	Product  int    `url:"product"`  // the server's account_id (eq/show)
	Location string `url:"location"` // the server's type_billing (eq/show), e.g. "NL"
	Extra    Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *GetProductInvoiceRequest) Validate() error {
	if r.Product <= 0 {
		return invalid("product", "must be the server's positive account_id, got %d", r.Product)
	}
	if strings.TrimSpace(r.Location) == "" {
		return invalid("location", "is required (the server's type_billing)")
	}
	return nil
}

// GetProductInvoice returns the invoices of one billing product (whmcs.php
// get_product_invoice). The vendor does not publish this action: the
// fields and the "invoices" list are those HOSTKEY's WHMCS module sends and
// reads, to pay a server's unpaid renewals.
func (s *WHMCSService) GetProductInvoice(ctx context.Context, req *GetProductInvoiceRequest) ([]Invoice, error) {
	if req == nil {
		return nil, invalid("product", "request is nil")
	}
	return doWHMCSList[Invoice](ctx, s.client, &whmcsGetProductInvoice, req, "invoices", "invoice")
}

// GetRelatedInvoices returns the invoices of one server (whmcs.php get_related_invoices).
func (s *WHMCSService) GetRelatedInvoices(ctx context.Context, req *ServerBillingRequest) ([]Invoice, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	return doWHMCSList[Invoice](ctx, s.client, &whmcsGetRelatedInvoices, req, "invoices", "invoice")
}

// CreditEntry is one movement of the credit balance.
type CreditEntry struct {
	ID          int    `json:"id"`
	Date        string `json:"date"`
	Description string `json:"description"`
	Amount      Money  `json:"amount"`
	RelID       int    `json:"relid"`
}

// Credits is the credit balance and its history.
type Credits struct {
	ClientID int   `json:"clientid"`
	Balance  Money `json:"credit"` // when the API sends the balance
	Currency string
	Entries  []CreditEntry
	RawJSON
}

// UnmarshalJSON reads WHMCS's {"credits":{"credit":[...]}} and the balance.
func (c *Credits) UnmarshalJSON(b []byte) error {
	var v struct {
		ClientID     int             `json:"clientid"`
		Credit       json.RawMessage `json:"credit"`
		Balance      Money           `json:"balance"`
		Currency     string          `json:"currency"`
		CurrencyCode string          `json:"currency_code"`
		Credits      json.RawMessage `json:"credits"`
	}
	if err := loose.Unmarshal(b, &v); err != nil {
		return err
	}
	if v.ClientID != 0 {
		c.ClientID = v.ClientID
	}
	if cur := firstNonEmpty(v.CurrencyCode, v.Currency); cur != "" {
		c.Currency = cur
	}
	if !v.Balance.IsZero() {
		c.Balance = v.Balance
	}
	if len(v.Credit) > 0 && v.Credit[0] != '{' && v.Credit[0] != '[' {
		var m Money
		if err := m.UnmarshalJSON(v.Credit); err != nil {
			return err
		}
		c.Balance = m
	}
	if len(v.Credits) > 0 {
		entries, err := whmcsRows[CreditEntry](v.Credits, "credit")
		if err != nil {
			return err
		}
		c.Entries = entries
	}
	return nil
}

// GetCreditsRequest selects getcredits: the credit movements of one server
// (ID, as HOSTKEY's MCP server sends it) or, empty, of the account.
type GetCreditsRequest struct {
	ID    int    `url:"id,omitempty"` // a server
	Extra Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *GetCreditsRequest) Validate() error {
	if r.ID < 0 {
		return invalid("id", "must be a positive server id, got %d", r.ID)
	}
	return nil
}

// GetCredits returns the credit balance and its movements, for the account
// or one server (whmcs.php getcredits). req may be nil. The answer is read
// at top level or nested under "message".
func (s *WHMCSService) GetCredits(ctx context.Context, req *GetCreditsRequest) (*Credits, error) {
	return do[Credits](ctx, s.client, &whmcsGetCredits, optionalParams(req))
}

// MassPayRequest pays several invoices with one transaction.
type MassPayRequest struct {
	// InvoiceIDs are sent as invoices[]=1&invoices[]=2, one field per
	// invoice, as HOSTKEY's MCP server sends them.
	InvoiceIDs []int  `url:"invoices,brackets"`
	Extra      Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *MassPayRequest) Validate() error {
	if len(r.InvoiceIDs) == 0 {
		return invalid("invoices[]", "give at least one invoice id")
	}
	seen := map[int]bool{}
	for _, id := range r.InvoiceIDs {
		if id <= 0 {
			return invalid("invoices[]", "must be positive invoice ids, got %d", id)
		}
		if seen[id] {
			return invalid("invoices[]", "invoice %d is listed twice", id)
		}
		seen[id] = true
	}
	return nil
}

// MassPayment is the answer of mass_pay: the invoice that pays them all.
type MassPayment struct {
	InvoiceID int `json:"invoice_id"`
	RawJSON
}

// UnmarshalJSON also reads the id from WHMCS's "invoiceid" or "id".
func (p *MassPayment) UnmarshalJSON(b []byte) error {
	var a AddFundsInvoice
	if err := a.UnmarshalJSON(b); err != nil {
		return err
	}
	if a.InvoiceID != 0 {
		p.InvoiceID = a.InvoiceID
	}
	return nil
}

// MassPay pays several invoices with a single transaction (whmcs.php
// mass_pay). The fields are those HOSTKEY's MCP server sends.
func (s *WHMCSService) MassPay(ctx context.Context, req *MassPayRequest) (*MassPayment, error) {
	if req == nil {
		return nil, invalid("invoices[]", "request is nil")
	}
	return do[MassPayment](ctx, s.client, &whmcsMassPay, req)
}

// CancellationType says when a cancellation takes effect; it is sent as
// cancellation_type=1 or 0, as every HOSTKEY client sends it.
type CancellationType int

// Cancellation types.
const (
	// CancelEndOfBillingPeriod ends the service when its paid period ends
	// (cancellation_type=0). It is the zero value, the safer default.
	CancelEndOfBillingPeriod CancellationType = 0
	// CancelImmediate ends the service now, with a partial refund where
	// possible (cancellation_type=1).
	CancelImmediate CancellationType = 1
)

// String returns WHMCS's name for the type: "Immediate" or "End of Billing
// Period".
func (t CancellationType) String() string {
	switch t {
	case CancelImmediate:
		return "Immediate"
	case CancelEndOfBillingPeriod:
		return "End of Billing Period"
	}
	return "CancellationType(" + strconv.Itoa(int(t)) + ")"
}

// EncodeValues implements go-querystring's Encoder: the type goes as its
// number, 1 or 0, never as its name.
func (t CancellationType) EncodeValues(key string, v *url.Values) error {
	v.Set(key, strconv.Itoa(int(t)))
	return nil
}

// RequestCancellationRequest cancels a server's order or subscription.
type RequestCancellationRequest struct {
	ID int `url:"id"` // the server
	// Type is always sent: CancelEndOfBillingPeriod (0) unless set to
	// CancelImmediate (1).
	Type   CancellationType `url:"cancellation_type"`
	Reason string           `url:"cancellation_reason,omitempty"`
	Extra  Fields           `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *RequestCancellationRequest) Validate() error {
	if r.ID <= 0 {
		return invalid("id", "must be a positive server id, got %d", r.ID)
	}
	if r.Type != CancelImmediate && r.Type != CancelEndOfBillingPeriod {
		return invalid("cancellation_type", "must be CancelImmediate (1) or CancelEndOfBillingPeriod (0), got %d", int(r.Type))
	}
	return nil
}

// RequestCancellation starts the cancellation of a server's order or
// subscription; the API checks licenses, the server's state and refund
// eligibility (whmcs.php request_cancellation). It sends id,
// cancellation_type 1/0 and cancellation_reason, as HOSTKEY's Terraform
// providers and WHMCS module do. An immediate cancellation refunds part of
// the period where possible; the server may still show status rent for a
// while afterwards (tf resource_server.go).
func (s *WHMCSService) RequestCancellation(ctx context.Context, req *RequestCancellationRequest) (*BillingAnswer, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	return s.billingAnswer(ctx, &whmcsRequestCancellation, req)
}

// RequestSubscriptionCancellation asks to cancel a server's bank
// subscription; the API opens a ticket for it (whmcs.php request_subscription_cancellation).
func (s *WHMCSService) RequestSubscriptionCancellation(ctx context.Context, req *ServerBillingRequest) (*BillingAnswer, error) {
	if req == nil {
		return nil, invalid("id", "request is nil")
	}
	return s.billingAnswer(ctx, &whmcsRequestSubscriptionCancellation, req)
}

// ResetPasswordRequest resets the billing password, in two steps. First
// with Email only: the API mails a reset link (and turns on 2FA). Then with
// ResetToken from the link, the new Password and the 2FA Code.
type ResetPasswordRequest struct {
	Email      string `url:"email,omitempty"`
	ResetToken string `url:"reset_token,omitempty"`
	Password   string `url:"password,omitempty"`
	Code       string `url:"code,omitempty"` // the 2FA code
	Extra      Fields `url:"extra,omitempty"`
}

// Format implements fmt.Formatter so that no verb prints the reset token,
// the password or the code.
func (r ResetPasswordRequest) Format(f fmt.State, verb rune) {
	type plain ResetPasswordRequest
	p := plain(r)
	formatMasked(f, verb, "ResetPasswordRequest", &p)
}

// Validate checks the request before it is sent.
func (r *ResetPasswordRequest) Validate() error {
	if r.ResetToken == "" {
		if r.Email == "" {
			return invalid("email", "is required to ask for a reset link")
		}
		return validateEmail("email", r.Email)
	}
	if r.Password == "" {
		return invalid("password", "is required with reset_token")
	}
	if len(r.Password) < 8 {
		return invalid("password", "must be at least 8 characters")
	}
	return nil
}

// ResetPassword asks for a password reset link, or sets the new password
// with the link's token (whmcs.php reset_password). It needs no session.
// The token, password and code never appear in errors or logs.
func (s *WHMCSService) ResetPassword(ctx context.Context, req *ResetPasswordRequest) (*BillingAnswer, error) {
	if req == nil {
		return nil, invalid("email", "request is nil")
	}
	var secrets []string
	for _, v := range []string{req.ResetToken, req.Password, req.Code} {
		if v != "" {
			secrets = append(secrets, v)
		}
	}
	if len(secrets) > 0 {
		s.client.rememberSecrets(secrets...)
	}
	return s.billingAnswer(ctx, &whmcsResetPassword, req)
}

// Transaction is a payment recorded in billing.
type Transaction struct {
	ID          int    `json:"id"`
	UserID      int    `json:"userid"`
	Currency    int    `json:"currency"` // WHMCS currency id (0: the client's)
	Gateway     string `json:"gateway"`
	Date        string `json:"date"` // "2024-05-01 10:00:00"
	Description string `json:"description"`
	AmountIn    Money  `json:"amountin"`
	Fees        Money  `json:"fees"`
	AmountOut   Money  `json:"amountout"`
	TransID     string `json:"transid"` // the gateway's transaction id
	InvoiceID   int    `json:"invoiceid"`
	RefundID    int    `json:"refundid"`
}

// TransactionsRequest filters transactions by client, server, invoice or
// transaction id; an empty request lists the caller's.
type TransactionsRequest struct {
	ClientID      int    `url:"client_id,omitempty"`
	ID            int    `url:"id,omitempty"` // a server
	InvoiceID     int    `url:"invoice_id,omitempty"`
	TransactionID int    `url:"transaction_id,omitempty"`
	Extra         Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *TransactionsRequest) Validate() error {
	for _, f := range []struct {
		name string
		v    int
	}{{"client_id", r.ClientID}, {"id", r.ID}, {"invoice_id", r.InvoiceID}, {"transaction_id", r.TransactionID}} {
		if f.v < 0 {
			return invalid(f.name, "must be a positive id, got %d", f.v)
		}
	}
	return nil
}

// Transactions returns the customer's payments, filtered by client, server,
// invoice or transaction (whmcs.php transactions). req may be nil.
func (s *WHMCSService) Transactions(ctx context.Context, req *TransactionsRequest) ([]Transaction, error) {
	return doWHMCSList[Transaction](ctx, s.client, &whmcsTransactions, optionalParams(req), "transactions", "transaction")
}

// UpdateClientRequest changes the customer's billing record. Empty fields
// are left as they are.
//
// The fields go with a billing_ prefix (billing_firstname...), as HOSTKEY's
// MCP server sends them; Language and MarketingOptIn, which no HOSTKEY
// client sends, keep WHMCS's plain names.
type UpdateClientRequest struct {
	FirstName   string `url:"billing_firstname,omitempty"`
	LastName    string `url:"billing_lastname,omitempty"`
	CompanyName string `url:"billing_companyname,omitempty"`
	Email       string `url:"billing_email,omitempty"` // may need re-verification
	Address1    string `url:"billing_address1,omitempty"`
	Address2    string `url:"billing_address2,omitempty"`
	City        string `url:"billing_city,omitempty"`
	State       string `url:"billing_state,omitempty"`
	PostCode    string `url:"billing_postcode,omitempty"`
	Country     string `url:"billing_country,omitempty"`     // two-letter code
	PhoneNumber string `url:"billing_phonenumber,omitempty"` // may need re-verification
	Language    string `url:"language,omitempty"`
	// MarketingOptIn is sent as marketingoptin=0/1 when set.
	MarketingOptIn *bool `url:"marketingoptin,int,omitempty"`
	// Extra carries custom profile fields and anything else.
	Extra Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *UpdateClientRequest) Validate() error {
	if r.Email != "" {
		if err := validateEmail("billing_email", r.Email); err != nil {
			return err
		}
	}
	if r.Country != "" && len(r.Country) != 2 {
		return invalid("billing_country", "must be a two-letter country code, got %q", r.Country)
	}
	if v, err := form.Encode(r); err == nil && len(v) == 0 {
		return invalid("billing_firstname", "nothing to update")
	}
	return nil
}

// UpdateClient changes the customer's details: name, e-mail, phone,
// address, marketing settings and custom fields (whmcs.php update_client).
func (s *WHMCSService) UpdateClient(ctx context.Context, req *UpdateClientRequest) (*BillingAnswer, error) {
	if req == nil {
		return nil, invalid("billing_firstname", "request is nil")
	}
	return s.billingAnswer(ctx, &whmcsUpdateClient, req)
}

// UpdateContactRequest changes an additional contact. Empty fields are left
// as they are.
type UpdateContactRequest struct {
	ContactID   int    `url:"contact_id"`
	FirstName   string `url:"firstname,omitempty"`
	LastName    string `url:"lastname,omitempty"`
	Email       string `url:"email,omitempty"`
	PhoneNumber string `url:"phonenumber,omitempty"`
	// Password sets the contact's (sub-account's) password, sent as
	// password2 as HOSTKEY's MCP server sends it. It is a secret: never
	// printed, logged or shown in an error.
	Password string `url:"password2,omitempty"`
	Extra    Fields `url:"extra,omitempty"`
}

// Format implements fmt.Formatter so that no verb prints the password.
func (r UpdateContactRequest) Format(f fmt.State, verb rune) {
	type plain UpdateContactRequest
	p := plain(r)
	formatMasked(f, verb, "UpdateContactRequest", &p)
}

// Validate checks the request before it is sent.
func (r *UpdateContactRequest) Validate() error {
	if r.ContactID <= 0 {
		return invalid("contact_id", "must be a positive contact id, got %d", r.ContactID)
	}
	if r.Password != "" && len(r.Password) < 8 {
		return invalid("password2", "must be at least 8 characters")
	}
	if r.Email != "" {
		return validateEmail("email", r.Email)
	}
	return nil
}

// UpdateContact changes an additional contact's name, e-mail, phone or
// password (whmcs.php update_contact). The fields are those HOSTKEY's MCP
// server sends; the password never appears in errors or logs.
func (s *WHMCSService) UpdateContact(ctx context.Context, req *UpdateContactRequest) (*BillingAnswer, error) {
	if req == nil {
		return nil, invalid("contact_id", "request is nil")
	}
	if req.Password != "" {
		s.client.rememberSecrets(req.Password)
	}
	return s.billingAnswer(ctx, &whmcsUpdateContact, req)
}

// doWHMCSList calls ep and returns a WHMCS list, found under plural (or the
// container), unwrapped from {"<plural>":{"<singular>":[...]}}.
func doWHMCSList[T any](ctx context.Context, c *Client, ep *endpoint, params any, plural, singular string) ([]T, error) {
	env, err := c.call(ctx, ep, params, nil)
	if err != nil {
		return nil, err
	}
	out, err := whmcsRows[T](listData(env, plural), singular)
	if err != nil {
		return nil, c.badAnswer(ep, env, "unexpected shape", err)
	}
	return out, nil
}

// whmcsRows reads a WHMCS list: [...], {"<singular>":[...]}, one row as an
// object, or "" / null / [] / {} as empty.
func whmcsRows[T any](raw json.RawMessage, singular string) ([]T, error) {
	raw = bytes.TrimSpace(raw)
	out := []T{}
	if len(raw) == 0 || (raw[0] != '[' && raw[0] != '{') {
		return out, nil
	}
	if raw[0] == '{' {
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(raw, &fields); err != nil {
			return nil, err
		}
		if len(fields) == 0 {
			return out, nil
		}
		if inner, ok := fields[singular]; ok && len(fields) <= 2 {
			return whmcsRows[T](inner, "")
		}
	}
	if err := loose.Unmarshal(raw, &out); err != nil {
		if raw[0] == '{' { // one row sent as an object
			var one T
			if err2 := loose.Unmarshal(raw, &one); err2 == nil {
				return []T{one}, nil
			}
		}
		return nil, err
	}
	return out, nil
}

// positiveAmount refuses zero and negative amounts.
func positiveAmount(field string, m Money) error {
	if !m.IsPositive() {
		return invalid(field, "must be a positive amount, got %s", m)
	}
	return nil
}

func firstNonZero(v ...int) int {
	for _, x := range v {
		if x != 0 {
			return x
		}
	}
	return 0
}
