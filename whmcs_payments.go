package invapi

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"

	"github.com/invapi-go/invapi/internal/loose"
)

// Payments: top-ups, payment gateways, the credit balance and transactions (whmcs.php).

// CreateAddFundsRequest is a top-up of the credit balance.
type CreateAddFundsRequest struct {
	// Amount to add, in the account's currency. The vendor types it int;
	// it is sent in canonical decimal form ("50.00").
	Amount Money `url:"amount" check:"amount"`
	// Subscribe turns on automatic payments, where offered (the vendor
	// mentions the option but not its field name).
	Subscribe bool   `url:"subscribe,int,omitempty"`
	Extra     Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *CreateAddFundsRequest) Validate() error { return validateRequest(r) }

// AddFundsInvoice is the invoice created by create_addfunds; pay it with
// the form GetPaymentGW returns.
type AddFundsInvoice = CreatedInvoice

// CreateAddFunds creates an invoice that tops up the credit balance
// (whmcs.php create_addfunds). It charges nothing by itself; it is never
// resent when its outcome is unknown.
func (s *WHMCSService) CreateAddFunds(ctx context.Context, req *CreateAddFundsRequest) (*AddFundsInvoice, error) {
	return get[AddFundsInvoice](ctx, s.client, &whmcsCreateAddFunds, req)
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
	return get[PaymentForm](ctx, s.client, &whmcsGetPaymentGW, url.Values{"invoice_id": {strconv.Itoa(invoiceID)}})
}

// ApplyCreditRequest pays an invoice from the credit balance.
type ApplyCreditRequest struct {
	InvoiceID int `url:"invoice_id" check:"id=invoice"`
	// Amount of credit to apply; the API applies at most the invoice's
	// balance.
	Amount Money  `url:"amount" check:"amount"`
	Extra  Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *ApplyCreditRequest) Validate() error { return validateRequest(r) }

// AppliedCredit is the answer of apply_credit.
type AppliedCredit struct {
	InvoiceID int   `json:"invoiceid"`
	Amount    Money `json:"amount"`
	RawJSON
}

// ApplyCredit pays an invoice from the credit balance; when the credit
// exceeds the invoice, the invoice's balance is applied (whmcs.php apply_credit).
func (s *WHMCSService) ApplyCredit(ctx context.Context, req *ApplyCreditRequest) (*AppliedCredit, error) {
	out, err := get[AppliedCredit](ctx, s.client, &whmcsApplyCredit, req)
	return completed(out, err, func(a *AppliedCredit) { a.InvoiceID = firstNonZero(a.InvoiceID, req.InvoiceID) })
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
	ClientID int           `json:"clientid"`
	Balance  Money         `json:"credit"` // when the API sends the balance
	Currency string        `json:"currency"`
	Entries  []CreditEntry `json:"entries"`
	RawJSON
}

// decodeCredits reads WHMCS's {"credits":{"credit":[...]}} and the balance.
func decodeCredits(b []byte, c *Credits) error {
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
	ID    int    `url:"id,omitempty" check:"id=server,optional"` // a server
	Extra Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *GetCreditsRequest) Validate() error { return validateRequest(r) }

// GetCredits returns the credit balance and its movements, for the account
// or one server (whmcs.php getcredits). req may be nil. The answer is read
// at top level or nested under "message".
func (s *WHMCSService) GetCredits(ctx context.Context, req *GetCreditsRequest) (*Credits, error) {
	return get[Credits](ctx, s.client, &whmcsGetCredits, optional(req))
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
	ClientID      int    `url:"client_id,omitempty" check:"id,optional"`
	ID            int    `url:"id,omitempty" check:"id,optional"` // a server
	InvoiceID     int    `url:"invoice_id,omitempty" check:"id,optional"`
	TransactionID int    `url:"transaction_id,omitempty" check:"id,optional"`
	Extra         Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *TransactionsRequest) Validate() error { return validateRequest(r) }

// Transactions returns the customer's payments, filtered by client, server,
// invoice or transaction (whmcs.php transactions). req may be nil.
func (s *WHMCSService) Transactions(ctx context.Context, req *TransactionsRequest) ([]Transaction, error) {
	return getRows[Transaction](ctx, s.client, &whmcsTransactions, optional(req), "transactions", "transaction")
}
