package invapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"

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
	Message string `json:"message"` // e.g. "Cancellation request created"; "" when none
	RawJSON
}

// billingAnswer sends ep and keeps its message.
func (s *WHMCSService) billingAnswer(ctx context.Context, ep *endpoint, params any) (*BillingAnswer, error) {
	return getWith(ctx, s.client, ep, params, func(r reply) (*BillingAnswer, error) {
		out := &BillingAnswer{Message: r.message()}
		r.keep(out)
		return out, nil
	})
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
	out, err := getOne[BillingClient](ctx, s.client, &whmcsGetClient, nil, "client")
	return completed(out, err, func(cl *BillingClient) { cl.ID = firstNonZero(cl.ID, cl.UserID) })
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
func (r ResetPasswordRequest) Format(f fmt.State, verb rune) { formatMasked(f, verb, r) }

// MarshalJSON writes the request with the reset token, the password and
// the code masked.
func (r ResetPasswordRequest) MarshalJSON() ([]byte, error) { return marshalMasked(r) }

// LogValue logs the request with the reset token, the password and the
// code masked.
func (r ResetPasswordRequest) LogValue() slog.Value { return logMasked(r) }

// Validate checks the request before it is sent.
func (r *ResetPasswordRequest) Validate() error { return validateRequest(r) }

func (r *ResetPasswordRequest) check() error {
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
	return s.billingAnswer(ctx, &whmcsResetPassword, req)
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
	Email       string `url:"billing_email,omitempty" check:"email,optional"` // may need re-verification
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
func (r *UpdateClientRequest) Validate() error { return validateRequest(r) }

func (r *UpdateClientRequest) check() error {
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
	return s.billingAnswer(ctx, &whmcsUpdateClient, req)
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
