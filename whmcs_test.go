package invapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWHMCSGetClient(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	m.on("whmcs", "get_client", fixture(t, "whmcs/get_client.json"))
	got, err := c.WHMCS.GetClient(context.Background())
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"get_client"}}, m.lastForm("whmcs", "get_client"))
	assert.Equal(t, testToken, m.calls("whmcs", "get_client")[0].Form.Get("token"))
	assert.Equal(t, 1001, got.ID)
	assert.Equal(t, 1001, got.UserID)
	assert.Equal(t, "Test", got.FirstName)
	assert.Equal(t, "User", got.LastName)
	assert.Equal(t, "Test User", got.FullName)
	assert.Equal(t, "Example BV", got.CompanyName)
	assert.Equal(t, "user@example.com", got.Email)
	assert.Equal(t, "Keizersgracht 1", got.Address1)
	assert.Equal(t, "Amsterdam", got.City)
	assert.Equal(t, "Noord-Holland", got.State)
	assert.Equal(t, "1015 AA", got.PostCode)
	assert.Equal(t, "NL", got.CountryCode)
	assert.Equal(t, "+31.201234567", got.PhoneNumber)
	assert.Equal(t, "Active", got.Status)
	assert.Equal(t, 2, got.GroupID)
	assert.Equal(t, "english", got.Language)
	assert.Equal(t, "500.00", got.Credit.String())
	assert.Equal(t, "EUR", got.CurrencyCode)
	assert.Contains(t, string(got.Raw()), `"client"`)

	// The same data nested under "message", with the balance grouped.
	m.on("whmcs", "get_client", fixture(t, "whmcs/get_client_under_message.json"))
	got, err = c.WHMCS.GetClient(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 1001, got.ID)
	assert.Equal(t, "user@example.com", got.Email)
	assert.Equal(t, "1234.56", got.Credit.String())
	assert.Equal(t, "USD", got.CurrencyCode)
}

func TestWHMCSCreateAddFunds(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	m.on("whmcs", "create_addfunds", fixture(t, "whmcs/create_addfunds.json"))
	got, err := c.WHMCS.CreateAddFunds(context.Background(), &CreateAddFundsRequest{Amount: MustParseMoney("50")})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"create_addfunds"}, "amount": {"50.00"}}, m.lastForm("whmcs", "create_addfunds"))
	assert.Equal(t, 70120, got.InvoiceID)
	assert.Contains(t, string(got.Raw()), "70120")

	_, err = c.WHMCS.CreateAddFunds(context.Background(), &CreateAddFundsRequest{Amount: MustParseMoney("12.5"), Subscribe: true})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"create_addfunds"}, "amount": {"12.50"}, "subscribe": {"1"}}, m.lastForm("whmcs", "create_addfunds"))

	for _, req := range []*CreateAddFundsRequest{nil, {}, {Amount: MustParseMoney("-5")}} {
		_, err := c.WHMCS.CreateAddFunds(context.Background(), req)
		assertInvalid(t, err, "amount")
	}
	assert.Equal(t, 2, m.count("whmcs", "create_addfunds"))
}

func TestWHMCSCreateAddFundsNeverResent(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	m.onFunc("whmcs", "create_addfunds", func(url.Values) (int, string) { return http.StatusBadGateway, "bad gateway" })
	_, err := c.WHMCS.CreateAddFunds(context.Background(), &CreateAddFundsRequest{Amount: MustParseMoney("50")})
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	var ou *OutcomeUnknownError
	require.True(t, errors.As(err, &ou))
	assert.Contains(t, ou.Settle, "whmcs/get_invoices")
	assert.Equal(t, 1, m.count("whmcs", "create_addfunds"))
}

func TestWHMCSGetPaymentGW(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	m.on("whmcs", "getpaymentgw", fixture(t, "whmcs/getpaymentgw.json"))
	got, err := c.WHMCS.GetPaymentGW(context.Background(), 70120)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"getpaymentgw"}, "invoice_id": {"70120"}}, m.lastForm("whmcs", "getpaymentgw"))
	assert.Contains(t, got.Call, `<form method="post" action="https://www.paypal.com/cgi-bin/webscr">`)
	_, err = c.WHMCS.GetPaymentGW(context.Background(), 0)
	assertInvalid(t, err, "invoice_id")
	assert.Equal(t, 1, m.count("whmcs", "getpaymentgw"))
}

func TestWHMCSGetBillingData(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	m.on("whmcs", "get_billing_data", fixture(t, "whmcs/get_billing_data.json"))
	got, err := c.WHMCS.GetBillingData(context.Background(), 12345)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"get_billing_data"}, "id": {"12345"}}, m.lastForm("whmcs", "get_billing_data"))
	assert.Equal(t, 88123, got.ID)
	assert.Equal(t, "bm.v1-big", got.Product)
	assert.Equal(t, "Active", got.Status)
	assert.Equal(t, "Monthly", got.BillingCycle)
	assert.Equal(t, "2024-05-01", got.RegDate)
	assert.Equal(t, "2024-07-01", got.NextDueDate)
	assert.Equal(t, "120.00", got.RecurringAmount.String())
	assert.Equal(t, "120.00", got.FirstPaymentAmt.String())
	assert.Equal(t, "paypal", got.PaymentMethod)
	assert.Equal(t, "EUR", got.CurrencyCode)
	assert.Empty(t, got.CancellationType)
	_, err = c.WHMCS.GetBillingData(context.Background(), -1)
	assertInvalid(t, err, "id")
	assert.Equal(t, 1, m.count("whmcs", "get_billing_data"))
}

func TestWHMCSContacts(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	ctx := context.Background()
	m.on("whmcs", "add_contact", fixture(t, "whmcs/add_contact.json"))
	m.on("whmcs", "get_contacts", fixture(t, "whmcs/get_contacts.json"))
	m.on("whmcs", "update_contact", fixture(t, "whmcs/update_contact.json"))
	m.on("whmcs", "delete_contact", fixture(t, "whmcs/delete_contact.json"))

	added, err := c.WHMCS.AddContact(ctx, &AddContactRequest{FirstName: "Ann", LastName: "Admin", Email: "ann@example.com",
		PhoneNumber: "+31.200000001", Type: "billing"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"add_contact"}, "firstname": {"Ann"}, "lastname": {"Admin"}, "email": {"ann@example.com"},
		"phonenumber": {"+31.200000001"}, "type": {"billing"}}, m.lastForm("whmcs", "add_contact"))
	assert.Equal(t, 501, added.ContactID)

	// No type: the API creates a random contact.
	_, err = c.WHMCS.AddContact(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"add_contact"}}, m.lastForm("whmcs", "add_contact"))

	list, err := c.WHMCS.GetContacts(ctx, &GetContactsRequest{Email: "sub@example.com"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"get_contacts"}, "email": {"sub@example.com"}}, m.lastForm("whmcs", "get_contacts"))
	assert.Equal(t, []Contact{
		{ID: 501, FirstName: "Ann", LastName: "Admin", Email: "ann@example.com", PhoneNumber: "+31.200000001"},
		{ID: 502, FirstName: "Bob", LastName: "Billing", CompanyName: "Example BV", Email: "bob@example.com"},
	}, list)

	up, err := c.WHMCS.UpdateContact(ctx, &UpdateContactRequest{ContactID: 501, Email: "ann2@example.com"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"update_contact"}, "contact_id": {"501"}, "email": {"ann2@example.com"}}, m.lastForm("whmcs", "update_contact"))
	assert.Contains(t, string(up.Raw()), "501")

	require.NoError(t, c.WHMCS.DeleteContact(ctx, &ContactRequest{ContactID: 501}))
	assert.Equal(t, url.Values{"action": {"delete_contact"}, "contact_id": {"501"}}, m.lastForm("whmcs", "delete_contact"))

	// Validation: bad e-mails and ids send nothing.
	for _, bad := range []string{"ann", "ann@", "@example.com", "Ann <ann@example.com>", "ann@example", "ann @example.com"} {
		_, err := c.WHMCS.AddContact(ctx, &AddContactRequest{Type: "billing", Email: bad})
		assertInvalid(t, err, "email")
		_, err = c.WHMCS.UpdateContact(ctx, &UpdateContactRequest{ContactID: 1, Email: bad})
		assertInvalid(t, err, "email")
		_, err = c.WHMCS.GetContacts(ctx, &GetContactsRequest{Email: bad})
		assertInvalid(t, err, "email")
	}
	_, err = c.WHMCS.AddContact(ctx, &AddContactRequest{Type: "billing"})
	assertInvalid(t, err, "email")
	_, err = c.WHMCS.UpdateContact(ctx, &UpdateContactRequest{Email: "a@example.com"})
	assertInvalid(t, err, "contact_id")
	assertInvalid(t, c.WHMCS.DeleteContact(ctx, &ContactRequest{}), "contact_id")
	assertInvalid(t, c.WHMCS.DeleteContact(ctx, nil), "contact_id")
	assert.Equal(t, 2, m.count("whmcs", "add_contact"))
	assert.Equal(t, 1, m.count("whmcs", "update_contact"))
	assert.Equal(t, 1, m.count("whmcs", "delete_contact"))
	assert.Equal(t, 1, m.count("whmcs", "get_contacts"))
}

func TestWHMCSApplyCredit(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	m.on("whmcs", "apply_credit", fixture(t, "whmcs/apply_credit.json"))
	got, err := c.WHMCS.ApplyCredit(context.Background(), &ApplyCreditRequest{InvoiceID: 70100, Amount: MustParseMoney("100")})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"apply_credit"}, "invoice_id": {"70100"}, "amount": {"100.00"}}, m.lastForm("whmcs", "apply_credit"))
	assert.Equal(t, 70100, got.InvoiceID)
	assert.Equal(t, "45.50", got.Amount.String()) // at most the invoice's balance

	for _, tc := range []struct {
		req   *ApplyCreditRequest
		field string
	}{
		{nil, "invoice_id"},
		{&ApplyCreditRequest{Amount: MustParseMoney("1")}, "invoice_id"},
		{&ApplyCreditRequest{InvoiceID: 1}, "amount"},
		{&ApplyCreditRequest{InvoiceID: 1, Amount: MustParseMoney("-0.01")}, "amount"},
	} {
		_, err := c.WHMCS.ApplyCredit(context.Background(), tc.req)
		assertInvalid(t, err, tc.field)
	}
	assert.Equal(t, 1, m.count("whmcs", "apply_credit"))
}

func TestWHMCSCancellations(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	ctx := context.Background()
	m.on("whmcs", "request_cancellation", fixture(t, "whmcs/request_cancellation.json"))
	m.on("whmcs", "request_subscription_cancellation", fixture(t, "whmcs/request_subscription_cancellation.json"))
	m.on("whmcs", "get_cancellation_requests", fixture(t, "whmcs/get_cancellation_requests.json"))
	m.on("whmcs", "delete_cancellation_request", fixture(t, "whmcs/delete_cancellation_request.json"))

	// cancellation_type 1/0 and cancellation_reason, as tf, whmcs and mcp send them.
	ans, err := c.WHMCS.RequestCancellation(ctx, &RequestCancellationRequest{ID: 12345, Type: CancelEndOfBillingPeriod, Reason: "Moving"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"request_cancellation"}, "id": {"12345"}, "cancellation_type": {"0"}, "cancellation_reason": {"Moving"}},
		m.lastForm("whmcs", "request_cancellation"))
	assert.Equal(t, "Cancellation request created", ans.Message)
	_, err = c.WHMCS.RequestCancellation(ctx, &RequestCancellationRequest{ID: 12345, Type: CancelImmediate})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"request_cancellation"}, "id": {"12345"}, "cancellation_type": {"1"}},
		m.lastForm("whmcs", "request_cancellation"))
	assert.Equal(t, "Immediate", CancelImmediate.String())
	assert.Equal(t, "End of Billing Period", CancelEndOfBillingPeriod.String())

	ans, err = c.WHMCS.RequestSubscriptionCancellation(ctx, &ServerBillingRequest{ID: 12345})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"request_subscription_cancellation"}, "id": {"12345"}}, m.lastForm("whmcs", "request_subscription_cancellation"))
	assert.Equal(t, "Ticket HK-4242 created", ans.Message)

	list, err := c.WHMCS.GetCancellationRequests(ctx, &GetCancellationRequestsRequest{ID: 12345, Type: "End of Billing Period"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"get_cancellation_requests"}, "id": {"12345"}, "type": {"End of Billing Period"}},
		m.lastForm("whmcs", "get_cancellation_requests"))
	assert.Equal(t, []CancellationRequest{{ID: 12, ServerID: 12345, RelID: 88123, Type: "End of Billing Period",
		Reason: "Moving to a bigger server", Date: "2024-06-10 12:00:00", Status: "Open"}}, list)

	ans, err = c.WHMCS.DeleteCancellationRequest(ctx, &ServerBillingRequest{ID: 12345})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"delete_cancellation_request"}, "id": {"12345"}}, m.lastForm("whmcs", "delete_cancellation_request"))
	assert.Equal(t, "Cancellation request deleted", ans.Message)

	_, err = c.WHMCS.RequestCancellation(ctx, &RequestCancellationRequest{})
	assertInvalid(t, err, "id")
	_, err = c.WHMCS.RequestCancellation(ctx, nil)
	assertInvalid(t, err, "id")
	_, err = c.WHMCS.RequestCancellation(ctx, &RequestCancellationRequest{ID: 12345, Type: 2})
	assertInvalid(t, err, "cancellation_type")
	_, err = c.WHMCS.RequestSubscriptionCancellation(ctx, &ServerBillingRequest{ID: -1})
	assertInvalid(t, err, "id")
	_, err = c.WHMCS.DeleteCancellationRequest(ctx, &ServerBillingRequest{})
	assertInvalid(t, err, "id")
	_, err = c.WHMCS.GetCancellationRequests(ctx, &GetCancellationRequestsRequest{ID: -3})
	assertInvalid(t, err, "id")
	assert.Equal(t, 2, m.count("whmcs", "request_cancellation"))
	for _, a := range []string{"request_subscription_cancellation", "delete_cancellation_request", "get_cancellation_requests"} {
		assert.Equal(t, 1, m.count("whmcs", a), a)
	}
}

func TestWHMCSDownloadInvoice(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	m.on("whmcs", "download_invoice", fixture(t, "whmcs/download_invoice.json"))
	f, err := c.WHMCS.DownloadInvoice(context.Background(), &InvoiceRequest{InvoiceID: 70100})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"download_invoice"}, "invoice_id": {"70100"}}, m.lastForm("whmcs", "download_invoice"))
	assert.Equal(t, "application/pdf", f.ContentType)
	assert.Equal(t, "Invoice-70100.pdf", f.Filename)
	assert.Equal(t, "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", string(f.Data))

	// Nested under message, without a name, as a data: URL.
	m.on("whmcs", "download_invoice", `{"result":"success","message":{"file":"data:application/pdf;base64,JVBERi0xLjQK"}}`)
	f, err = c.WHMCS.DownloadInvoice(context.Background(), &InvoiceRequest{InvoiceID: 70100})
	require.NoError(t, err)
	assert.Equal(t, "%PDF-1.4\n", string(f.Data))
	assert.Empty(t, f.Filename)

	// JSON without a PDF is an unreadable answer; an API error is an APIError.
	m.on("whmcs", "download_invoice", `{"result":"success","pdf":"not base64"}`)
	_, err = c.WHMCS.DownloadInvoice(context.Background(), &InvoiceRequest{InvoiceID: 70100})
	assert.ErrorIs(t, err, ErrBadResponse)
	m.on("whmcs", "download_invoice", fixture(t, "quirks/error_whmcs.json"))
	_, err = c.WHMCS.DownloadInvoice(context.Background(), &InvoiceRequest{InvoiceID: 70100})
	var apiErr *APIError
	require.True(t, errors.As(err, &apiErr))
	assert.Equal(t, "Invoice ID Not Found", apiErr.Message)

	// A binary answer (raw handlers win over m.on from here on).
	m.onRaw("whmcs", "download_invoice", func(w http.ResponseWriter, _ url.Values) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Disposition", `attachment; filename="Invoice-70101.pdf"`)
		fmt.Fprint(w, "%PDF-1.7 binary")
	})
	f, err = c.WHMCS.DownloadInvoice(context.Background(), &InvoiceRequest{InvoiceID: 70101})
	require.NoError(t, err)
	assert.Equal(t, &File{ContentType: "application/pdf", Filename: "Invoice-70101.pdf", Data: []byte("%PDF-1.7 binary")}, f)

	_, err = c.WHMCS.DownloadInvoice(context.Background(), &InvoiceRequest{})
	assertInvalid(t, err, "invoice_id")
	assert.Equal(t, 5, m.count("whmcs", "download_invoice"))
}

func TestWHMCSGenerateDueInvoice(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	m.on("whmcs", "generate_due_invoice", fixture(t, "whmcs/generate_due_invoice.json"))
	got, err := c.WHMCS.GenerateDueInvoice(context.Background(), &ServerBillingRequest{ID: 12345})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"generate_due_invoice"}, "id": {"12345"}}, m.lastForm("whmcs", "generate_due_invoice"))
	assert.Equal(t, 70130, got.InvoiceID)
	_, err = c.WHMCS.GenerateDueInvoice(context.Background(), &ServerBillingRequest{})
	assertInvalid(t, err, "id")
	assert.Equal(t, 1, m.count("whmcs", "generate_due_invoice"))
}

func TestWHMCSGetClientGroups(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	m.on("whmcs", "get_clientgroups", fixture(t, "whmcs/get_clientgroups.json"))
	got, err := c.WHMCS.GetClientGroups(context.Background(), &LocationRequest{Location: "NL"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"get_clientgroups"}, "location": {"NL"}}, m.lastForm("whmcs", "get_clientgroups"))
	assert.Equal(t, []ClientGroup{{1, "Resellers", "#ffffff"}, {2, "VIP", "#ffcc00"}}, got)
	_, err = c.WHMCS.GetClientGroups(context.Background(), &LocationRequest{Location: "N-L"})
	assertInvalid(t, err, "location")
	assert.Equal(t, 1, m.count("whmcs", "get_clientgroups"))
}

func TestWHMCSGetInvoice(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	m.on("whmcs", "get_invoice", fixture(t, "whmcs/get_invoice.json"))
	got, err := c.WHMCS.GetInvoice(context.Background(), &InvoiceRequest{InvoiceID: 70100})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"get_invoice"}, "invoice_id": {"70100"}}, m.lastForm("whmcs", "get_invoice"))
	assert.Equal(t, Invoice{ID: 70100, InvoiceNum: "2024-0100", UserID: 1001, Date: "2024-06-01", DueDate: "2024-06-08",
		DatePaid: "0000-00-00 00:00:00", Status: "Unpaid", PaymentMethod: "paypal", CurrencyCode: "EUR",
		Subtotal: MustParseMoney("120"), Tax: MustParseMoney("25.20"), Total: MustParseMoney("145.20"), Balance: MustParseMoney("145.20"),
		Items: []InvoiceItem{{ID: 9001, Type: "Hosting", RelID: 88123, Description: "bm.v1-big (01/06/2024 - 30/06/2024)", Amount: MustParseMoney("120")}},
	}, got.Invoice)
	assert.Contains(t, string(got.Raw()), `"invoicenum"`)
	_, err = c.WHMCS.GetInvoice(context.Background(), &InvoiceRequest{InvoiceID: -1})
	assertInvalid(t, err, "invoice_id")
	_, err = c.WHMCS.GetInvoice(context.Background(), nil)
	assertInvalid(t, err, "invoice_id")
	assert.Equal(t, 1, m.count("whmcs", "get_invoice"))
}

func TestWHMCSGetInvoices(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	m.on("whmcs", "get_invoices", fixture(t, "whmcs/get_invoices.json"))
	got, err := c.WHMCS.GetInvoices(context.Background(), &GetInvoicesRequest{Location: "NL", Status: "Unpaid"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"get_invoices"}, "location": {"NL"}, "status": {"Unpaid"}}, m.lastForm("whmcs", "get_invoices"))
	require.Len(t, got, 2)
	assert.Equal(t, Invoice{ID: 70100, InvoiceNum: "2024-0100", UserID: 1001, Date: "2024-06-01", DueDate: "2024-06-08",
		DatePaid: "0000-00-00 00:00:00", Status: "Unpaid", PaymentMethod: "paypal", CurrencyCode: "EUR",
		Subtotal: MustParseMoney("120"), Tax: MustParseMoney("25.20"), Total: MustParseMoney("145.20"), Items: []InvoiceItem{}}, got[0])
	assert.Equal(t, 70090, got[1].ID)
	assert.Equal(t, "Paid", got[1].Status)
	assert.Equal(t, "50.00", got[1].Total.String())

	m.on("whmcs", "get_invoices", fixture(t, "whmcs/get_invoices_empty.json"))
	got, err = c.WHMCS.GetInvoices(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"get_invoices"}}, m.lastForm("whmcs", "get_invoices"))
	assert.Empty(t, got)

	_, err = c.WHMCS.GetInvoices(context.Background(), &GetInvoicesRequest{Location: "1"})
	assertInvalid(t, err, "location")
	assert.Equal(t, 2, m.count("whmcs", "get_invoices"))
}

func TestWHMCSGetInvoicesLooseBody(t *testing.T) {
	t.Parallel()
	skipUntilLooseDecoder(t)
	c, m := newCatalogTestClient(t)
	m.on("whmcs", "get_invoices", fixture(t, "whmcs/get_invoices_loose.json"))
	got, err := c.WHMCS.GetInvoices(context.Background(), nil)
	require.NoError(t, err)
	require.Len(t, got, 1) // one row sent as an object
	assert.Equal(t, 70100, got[0].ID)
	assert.Equal(t, 1001, got[0].UserID)
	assert.Equal(t, "145.20", got[0].Total.String())
}

func TestWHMCSGetRelatedInvoices(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	m.on("whmcs", "get_related_invoices", fixture(t, "whmcs/get_related_invoices.json"))
	got, err := c.WHMCS.GetRelatedInvoices(context.Background(), &ServerBillingRequest{ID: 12345})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"get_related_invoices"}, "id": {"12345"}}, m.lastForm("whmcs", "get_related_invoices"))
	assert.Equal(t, []Invoice{{ID: 70100, UserID: 1001, Date: "2024-06-01", DueDate: "2024-06-08", Total: MustParseMoney("145.20"),
		Status: "Unpaid", Items: []InvoiceItem{}}}, got)
	_, err = c.WHMCS.GetRelatedInvoices(context.Background(), nil)
	assertInvalid(t, err, "id")
	assert.Equal(t, 1, m.count("whmcs", "get_related_invoices"))
}

func TestWHMCSGetCredits(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	m.on("whmcs", "getcredits", fixture(t, "whmcs/getcredits.json"))
	got, err := c.WHMCS.GetCredits(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"getcredits"}}, m.lastForm("whmcs", "getcredits"))
	assert.Equal(t, 1001, got.ClientID)
	assert.True(t, got.Balance.IsZero())
	assert.Equal(t, []CreditEntry{
		{ID: 301, Date: "2024-05-02", Description: "Add Funds Invoice #70090", Amount: MustParseMoney("50")},
		{ID: 302, Date: "2024-06-02", Description: "Credit Applied to Invoice #70095", Amount: MustParseMoney("-12.50"), RelID: 70095},
	}, got.Entries)

	m.on("whmcs", "getcredits", `{"result":"success","message":{"credit":"500.00","currency":"EUR"}}`)
	got, err = c.WHMCS.GetCredits(context.Background(), &GetCreditsRequest{ID: 12345})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"getcredits"}, "id": {"12345"}}, m.lastForm("whmcs", "getcredits"))
	assert.Equal(t, "500.00", got.Balance.String())
	assert.Equal(t, "EUR", got.Currency)
	_, err = c.WHMCS.GetCredits(context.Background(), &GetCreditsRequest{ID: -1})
	assertInvalid(t, err, "id")
	assert.Equal(t, 2, m.count("whmcs", "getcredits"))
}

func TestWHMCSMassPay(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	m.on("whmcs", "mass_pay", fixture(t, "whmcs/mass_pay.json"))
	got, err := c.WHMCS.MassPay(context.Background(), &MassPayRequest{InvoiceIDs: []int{70100, 70101}})
	require.NoError(t, err)
	// One invoices[] field per invoice, as mcp sends them.
	assert.Equal(t, url.Values{"action": {"mass_pay"}, "invoices[]": {"70100", "70101"}}, m.lastForm("whmcs", "mass_pay"))
	assert.Equal(t, 70140, got.InvoiceID)
	for _, req := range []*MassPayRequest{nil, {}, {InvoiceIDs: []int{1, 0}}, {InvoiceIDs: []int{1, 1}}} {
		_, err := c.WHMCS.MassPay(context.Background(), req)
		assertInvalid(t, err, "invoices[]")
	}
	assert.Equal(t, 1, m.count("whmcs", "mass_pay"))
}

func TestWHMCSResetPassword(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	m.on("whmcs", "reset_password", fixture(t, "whmcs/reset_password.json"))
	ans, err := c.WHMCS.ResetPassword(context.Background(), &ResetPasswordRequest{Email: "user@example.com"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"reset_password"}, "email": {"user@example.com"}}, m.lastForm("whmcs", "reset_password"))
	assert.Equal(t, "Reset link sent", ans.Message)
	assert.Empty(t, m.calls("whmcs", "reset_password")[0].Form["token"])
	assert.Equal(t, 0, m.count("auth", "login"))

	// The second step: the API's refusal must not echo the password.
	m.on("whmcs", "reset_password", `{"result":"error","message":"Code invalid for password s3cret-Pass"}`)
	_, err = c.WHMCS.ResetPassword(context.Background(), &ResetPasswordRequest{ResetToken: "rt-abc123", Password: "s3cret-Pass", Code: "123456"})
	require.Error(t, err)
	assert.Equal(t, url.Values{"action": {"reset_password"}, "reset_token": {"rt-abc123"}, "password": {"s3cret-Pass"}, "code": {"123456"}},
		m.lastForm("whmcs", "reset_password"))
	assertErrorHidesSecrets(t, err)

	for _, tc := range []struct {
		req   *ResetPasswordRequest
		field string
	}{
		{nil, "email"}, {&ResetPasswordRequest{}, "email"}, {&ResetPasswordRequest{Email: "nope"}, "email"},
		{&ResetPasswordRequest{ResetToken: "x"}, "password"}, {&ResetPasswordRequest{ResetToken: "x", Password: "short"}, "password"},
	} {
		_, err := c.WHMCS.ResetPassword(context.Background(), tc.req)
		assertInvalid(t, err, tc.field)
	}
	assert.Equal(t, 2, m.count("whmcs", "reset_password"))
}

func TestWHMCSTransactions(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	m.on("whmcs", "transactions", fixture(t, "whmcs/transactions.json"))
	got, err := c.WHMCS.Transactions(context.Background(), &TransactionsRequest{InvoiceID: 70090})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"transactions"}, "invoice_id": {"70090"}}, m.lastForm("whmcs", "transactions"))
	assert.Equal(t, []Transaction{{ID: 4001, UserID: 1001, Gateway: "paypal", Date: "2024-05-02 09:12:44", Description: "Invoice Payment",
		AmountIn: MustParseMoney("50"), Fees: MustParseMoney("1.75"), TransID: "9XK12345AB678901C", InvoiceID: 70090}}, got)
	_, err = c.WHMCS.Transactions(context.Background(), &TransactionsRequest{TransactionID: -1})
	assertInvalid(t, err, "transaction_id")
	assert.Equal(t, 1, m.count("whmcs", "transactions"))
}

func TestWHMCSUpdateClient(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	m.on("whmcs", "update_client", fixture(t, "whmcs/update_client.json"))
	optIn := false
	ans, err := c.WHMCS.UpdateClient(context.Background(), &UpdateClientRequest{City: "Rotterdam", Country: "NL",
		Email: "new@example.com", MarketingOptIn: &optIn, Extra: Fields{"customfields[1]": "VAT123"}})
	require.NoError(t, err)
	// The billing_ prefix mcp sends.
	assert.Equal(t, url.Values{"action": {"update_client"}, "billing_city": {"Rotterdam"}, "billing_country": {"NL"}, "billing_email": {"new@example.com"},
		"marketingoptin": {"0"}, "customfields[1]": {"VAT123"}}, m.lastForm("whmcs", "update_client"))
	assert.Contains(t, string(ans.Raw()), "1001")

	for _, tc := range []struct {
		req   *UpdateClientRequest
		field string
	}{{nil, "billing_firstname"}, {&UpdateClientRequest{}, "billing_firstname"}, {&UpdateClientRequest{Email: "x@"}, "billing_email"}, {&UpdateClientRequest{Country: "NLD"}, "billing_country"}} {
		_, err := c.WHMCS.UpdateClient(context.Background(), tc.req)
		assertInvalid(t, err, tc.field)
	}
	assert.Equal(t, 1, m.count("whmcs", "update_client"))
}

func TestWHMCSBusinessError(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	m.on("whmcs", "get_invoice", fixture(t, "quirks/error_whmcs.json"))
	_, err := c.WHMCS.GetInvoice(context.Background(), &InvoiceRequest{InvoiceID: 1})
	var apiErr *APIError
	require.True(t, errors.As(err, &apiErr))
	assert.Equal(t, "whmcs", apiErr.Module)
	assert.Equal(t, "get_invoice", apiErr.Action)
	assert.Equal(t, "Invoice ID Not Found", apiErr.Message)
}
