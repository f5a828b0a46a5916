package invapi

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
