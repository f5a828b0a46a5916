package invapi

import (
	"context"
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
