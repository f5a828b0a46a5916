package invapi

import (
	"context"
	"fmt"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Answer shapes HOSTKEY's own clients read (../shared/api/evidence.md),
// decoded through the SDK. Each body's file name names its source.

func TestWHMCSGetInvoiceServerIDFromWHMCSModule(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	m.on("whmcs", "get_invoice", fixture(t, "evidence/whmcs/get_invoice.whmcs.json"))
	got, err := c.WHMCS.GetInvoice(context.Background(), &InvoiceRequest{InvoiceID: 70100, Location: "nl"})
	require.NoError(t, err)
	// whmcs sends the location with get_invoice.
	assert.Equal(t, url.Values{"action": {"get_invoice"}, "invoice_id": {"70100"}, "location": {"nl"}}, m.lastForm("whmcs", "get_invoice"))
	require.Len(t, got.Items, 1)
	assert.Equal(t, 12345, got.Items[0].InvID, "inv_id is the InvAPI server")
	assert.Equal(t, 88123, got.Items[0].RelID, "relid is the WHMCS service")
	assert.Equal(t, 12345, got.ServerID())
	assert.Equal(t, "145.20", got.Total.String())
	assert.Equal(t, 0, (&Invoice{Items: []InvoiceItem{{RelID: 1}}}).ServerID())

	_, err = c.WHMCS.GetInvoice(context.Background(), &InvoiceRequest{InvoiceID: 1, Location: "N-L"})
	assertInvalid(t, err, "location")
	assert.Equal(t, 1, m.count("whmcs", "get_invoice"))
}

func TestWHMCSGetBillingDataThirdPartyNames(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	m.on("whmcs", "get_billing_data", fixture(t, "evidence/whmcs/get_billing_data.3p.json"))
	got, err := c.WHMCS.GetBillingData(context.Background(), 12345)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"get_billing_data"}, "id": {"12345"}}, m.lastForm("whmcs", "get_billing_data"))
	assert.Equal(t, 88123, got.ID)
	assert.Equal(t, "Active", got.Status)
	assert.Equal(t, "Monthly", got.BillingCycle)
	assert.Equal(t, "120.00", got.RecurringAmount.String())
	assert.Equal(t, "EUR", got.CurrencyCode)
	assert.Equal(t, "2024-07-01", got.NextDueDate)

	// WHMCS's own names win when both are present, at any level.
	m.on("whmcs", "get_billing_data", `{"result":"success","billing_status":"Suspended","message":{"status":"Active","recurringamount":"9.00","currency":"USD"}}`)
	got, err = c.WHMCS.GetBillingData(context.Background(), 12345)
	require.NoError(t, err)
	assert.Equal(t, "Active", got.Status)
	assert.Equal(t, "9.00", got.RecurringAmount.String())
	assert.Equal(t, "USD", got.CurrencyCode)
}

func TestWHMCSGetProductInvoice(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	m.on("whmcs", "get_product_invoice", fixture(t, "evidence/whmcs/get_product_invoice.whmcs.json"))
	got, err := c.WHMCS.GetProductInvoice(context.Background(), &GetProductInvoiceRequest{Product: 88123, Location: "NL"})
	require.NoError(t, err)
	// product is the server's account_id, location its type_billing (whmcs).
	assert.Equal(t, url.Values{"action": {"get_product_invoice"}, "product": {"88123"}, "location": {"NL"}}, m.lastForm("whmcs", "get_product_invoice"))
	require.Len(t, got, 2)
	assert.Equal(t, 70100, got[0].ID)
	assert.Equal(t, "Unpaid", got[0].Status)
	assert.Equal(t, "145.20", got[0].Total.String())
	assert.Equal(t, 70090, got[1].ID)

	for _, tc := range []struct {
		req   *GetProductInvoiceRequest
		field string
	}{{nil, "product"}, {&GetProductInvoiceRequest{Location: "NL"}, "product"}, {&GetProductInvoiceRequest{Product: 1}, "location"}} {
		_, err := c.WHMCS.GetProductInvoice(context.Background(), tc.req)
		assertInvalid(t, err, tc.field)
	}
	assert.Equal(t, 1, m.count("whmcs", "get_product_invoice"))
}

func TestWHMCSUpdateContactPassword2IsSecret(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	const pw = "s3cret-Pass"
	m.on("whmcs", "update_contact", `{"result":"error","message":"Password s3cret-Pass is too weak"}`)
	req := &UpdateContactRequest{ContactID: 501, Email: "ann@example.com", PhoneNumber: "+31.2012", Password: pw}
	_, err := c.WHMCS.UpdateContact(context.Background(), req)
	require.Error(t, err)
	assert.Equal(t, url.Values{"action": {"update_contact"}, "contact_id": {"501"}, "email": {"ann@example.com"},
		"phonenumber": {"+31.2012"}, "password2": {pw}}, m.lastForm("whmcs", "update_contact"))
	assertErrorHidesSecrets(t, err)
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		assertNoSecrets(t, "request printed with "+format, fmt.Sprintf(format, req))
		assertNoSecrets(t, "request printed with "+format, fmt.Sprintf(format, *req))
	}
	_, err = c.WHMCS.UpdateContact(context.Background(), &UpdateContactRequest{ContactID: 501, Password: "short"})
	assertInvalid(t, err, "password2")
	assert.Equal(t, 1, m.count("whmcs", "update_contact"))
}
