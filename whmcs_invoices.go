package invapi

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/invapi-go/invapi/internal/loose"
)

// Invoices: list, read, download, generate and pay (whmcs.php).

// InvoiceRequest names one invoice.
type InvoiceRequest struct {
	InvoiceID int `url:"invoice_id" check:"id=invoice"`
	// Location is the billing location of the invoice ("NL", "RU"...), as
	// HOSTKEY's WHMCS module sends it with get_invoice; empty for the
	// account's own.
	Location string `url:"location,omitempty" check:"location,optional"`
	Extra    Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *InvoiceRequest) Validate() error { return validateRequest(r) }

// DownloadInvoice returns an invoice as a PDF (whmcs.php download_invoice).
// The API sends the PDF base64-encoded inside JSON; a binary answer is
// accepted too. File.Data holds the decoded PDF either way.
func (s *WHMCSService) DownloadInvoice(ctx context.Context, req *InvoiceRequest) (*File, error) {
	ep := &whmcsDownloadInvoice
	return getFile(ctx, s.client, ep, req, func(r reply) (*File, error) {
		f := &File{ContentType: "application/pdf"}
		for _, m := range r.objects() {
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
			return nil, r.notRead("no base64 PDF in the answer")
		}
		return f, nil
	})
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

// CreatedInvoice is the answer of the actions that create an invoice:
// generate_due_invoice, create_addfunds and mass_pay. Each has its own name
// for it (GeneratedInvoice, AddFundsInvoice, MassPayment).
type CreatedInvoice struct {
	InvoiceID int `json:"invoice_id" loose:"alt=invoiceid,id"` // also read from WHMCS's "invoiceid" or "id"
	RawJSON
}

// GeneratedInvoice is the answer of generate_due_invoice.
type GeneratedInvoice = CreatedInvoice

// GenerateDueInvoice creates a server's next invoice ahead of time, when
// its billing cycle is running and nothing is unpaid (whmcs.php generate_due_invoice).
func (s *WHMCSService) GenerateDueInvoice(ctx context.Context, req *ServerBillingRequest) (*GeneratedInvoice, error) {
	return get[GeneratedInvoice](ctx, s.client, &whmcsGenerateDueInvoice, req)
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

// decodeInvoice reads WHMCS's "invoiceid" as ID and its nested
// {"items":{"item":[...]}}.
func decodeInvoice(b []byte, inv *Invoice) error {
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
	inv.ID = firstNonZero(inv.ID, v.InvoiceID)
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
	out, err := getOne[InvoiceDetails](ctx, s.client, &whmcsGetInvoice, req, "invoice")
	return completed(out, err, func(inv *InvoiceDetails) { inv.ID = firstNonZero(inv.ID, req.InvoiceID) })
}

// GetInvoicesRequest filters the invoices of a billing location.
type GetInvoicesRequest struct {
	Location string `url:"location,omitempty" check:"location,optional"`
	Status   string `url:"status,omitempty"` // "Paid", "Unpaid", "Cancelled"...
	Extra    Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *GetInvoicesRequest) Validate() error { return validateRequest(r) }

// GetInvoices returns the customer's invoices in a billing location
// (whmcs.php get_invoices). req may be nil.
func (s *WHMCSService) GetInvoices(ctx context.Context, req *GetInvoicesRequest) ([]Invoice, error) {
	return getRows[Invoice](ctx, s.client, &whmcsGetInvoices, optional(req), "invoices", "invoice")
}

// GetProductInvoiceRequest names a server's billing product, as eq/show
// reports it: its account_id and its type_billing.
type GetProductInvoiceRequest struct {
	Product  int    `url:"product"`  // the server's account_id (eq/show)
	Location string `url:"location"` // the server's type_billing (eq/show), e.g. "NL"
	Extra    Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *GetProductInvoiceRequest) Validate() error { return validateRequest(r) }

func (r *GetProductInvoiceRequest) check() error {
	if r.Product <= 0 {
		return invalid("product", "must be the server's positive account_id, got %d", r.Product)
	}
	return requiredText("location", r.Location, "is required (the server's type_billing)")
}

// GetProductInvoice returns the invoices of one billing product (whmcs.php
// get_product_invoice). The vendor does not publish this action: the
// fields and the "invoices" list are those HOSTKEY's WHMCS module sends and
// reads, to pay a server's unpaid renewals.
func (s *WHMCSService) GetProductInvoice(ctx context.Context, req *GetProductInvoiceRequest) ([]Invoice, error) {
	return getRows[Invoice](ctx, s.client, &whmcsGetProductInvoice, req, "invoices", "invoice")
}

// GetRelatedInvoices returns the invoices of one server (whmcs.php get_related_invoices).
func (s *WHMCSService) GetRelatedInvoices(ctx context.Context, req *ServerBillingRequest) ([]Invoice, error) {
	return getRows[Invoice](ctx, s.client, &whmcsGetRelatedInvoices, req, "invoices", "invoice")
}

// MassPayRequest pays several invoices with one transaction.
type MassPayRequest struct {
	// InvoiceIDs are sent as invoices[]=1&invoices[]=2, one field per
	// invoice, as HOSTKEY's MCP server sends them.
	InvoiceIDs []int  `url:"invoices,brackets"`
	Extra      Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *MassPayRequest) Validate() error { return validateRequest(r) }

func (r *MassPayRequest) check() error {
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
type MassPayment = CreatedInvoice

// MassPay pays several invoices with a single transaction (whmcs.php
// mass_pay). The fields are those HOSTKEY's MCP server sends.
func (s *WHMCSService) MassPay(ctx context.Context, req *MassPayRequest) (*MassPayment, error) {
	return get[MassPayment](ctx, s.client, &whmcsMassPay, req)
}
