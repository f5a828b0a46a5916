package invapi

import (
	"context"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
