package invapi

import (
	"context"
	"net/url"
	"strconv"

	"github.com/invapi-go/invapi/internal/loose"
)

// Server billing: a server's billing record and its cancellation (whmcs.php).

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

// decodeBillingData also reads the flat names a third-party client reads
// from the live API: billing_status, billing_cycle, billing_reccuring (sic)
// and currency. Fields already set (from another level of the answer) are
// kept.
func decodeBillingData(b []byte, d *BillingData) error {
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
	if err := validServerID(id); err != nil {
		return nil, err
	}
	return get[BillingData](ctx, s.client, &whmcsGetBillingData, idForm(id))
}

// ServerBillingRequest names a server for the billing actions published by
// name only.
type ServerBillingRequest = ServerRequest

// DeleteCancellationRequest withdraws a server's pending cancellation
// request, restoring its order (whmcs.php delete_cancellation_request).
func (s *WHMCSService) DeleteCancellationRequest(ctx context.Context, req *ServerBillingRequest) (*BillingAnswer, error) {
	return s.billingAnswer(ctx, &whmcsDeleteCancellationRequest, req)
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
	ID            int    `url:"id,omitempty" check:"id=server,optional"`
	Type          string `url:"type,omitempty"`
	PaymentStatus string `url:"payment_status,omitempty"`
	Date          string `url:"date,omitempty"` // "2024-05-01"
	Extra         Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *GetCancellationRequestsRequest) Validate() error { return validateRequest(r) }

// GetCancellationRequests returns the pending cancellation requests of a
// server or of the account (whmcs.php get_cancellation_requests). req may be nil.
func (s *WHMCSService) GetCancellationRequests(ctx context.Context, req *GetCancellationRequestsRequest) ([]CancellationRequest, error) {
	return getRows[CancellationRequest](ctx, s.client, &whmcsGetCancellationRequests, optional(req), "requests", "request")
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
	ID int `url:"id" check:"id=server"` // the server
	// Type is always sent: CancelEndOfBillingPeriod (0) unless set to
	// CancelImmediate (1).
	Type   CancellationType `url:"cancellation_type"`
	Reason string           `url:"cancellation_reason,omitempty"`
	Extra  Fields           `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *RequestCancellationRequest) Validate() error { return validateRequest(r) }

func (r *RequestCancellationRequest) check() error {
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
	return s.billingAnswer(ctx, &whmcsRequestCancellation, req)
}

// RequestSubscriptionCancellation asks to cancel a server's bank
// subscription; the API opens a ticket for it (whmcs.php request_subscription_cancellation).
func (s *WHMCSService) RequestSubscriptionCancellation(ctx context.Context, req *ServerBillingRequest) (*BillingAnswer, error) {
	return s.billingAnswer(ctx, &whmcsRequestSubscriptionCancellation, req)
}
