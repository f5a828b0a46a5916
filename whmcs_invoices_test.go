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
