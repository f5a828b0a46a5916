package invapi_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invapi-go/invapi"
	"github.com/invapi-go/invapi/invapitest"
)

func TestOrderAndWait(t *testing.T) {
	t.Parallel()
	c, srv := newSimClient(t, nil)
	req := orderRequest(t, c)
	balance := srv.Balance()

	rec := &recorder{}
	ordered, err := c.Eq.OrderAndWait(context.Background(), req, rec.add)
	require.NoError(t, err)
	server := ordered.Server
	invs := srv.Invoices()
	require.Len(t, invs, 1)
	assert.Equal(t, invs[0].ID, ordered.Invoice, "the invoice comes back with the server")
	assert.Equal(t, invs[0].ServerID, server.ID)
	require.NotNil(t, ordered.Deployment)
	assert.Equal(t, server.ID, ordered.Deployment.Context.ID)
	assert.Equal(t, "new1.example.com", server.Hostname())
	assert.Equal(t, req.Preset, server.Preset)
	assert.NotEmpty(t, server.MainIP())
	assert.Equal(t, 1, srv.Count("eq", "order_instance"), "an order is sent once")
	assert.NotEqual(t, balance, srv.Balance(), "the order was charged")
	assert.Equal(t, []string{"order_instance", "update_servers"}, rec.steps())
	assert.Equal(t, invapitest.ReinstallStages, rec.stages(), "every install stage, in order")
}

func TestOrderAndWaitFailureMidWayNamesTheInvoice(t *testing.T) {
	t.Parallel()
	c, srv := newSimClient(t, nil, invapi.WithRetry(0, time.Millisecond))
	req := orderRequest(t, c)
	srv.Fault(invapitest.Fault{Module: "eq_callback", Action: "check", Kind: invapitest.FaultAPIError, Code: -1,
		Message: "Deployment failed: no stock", Times: -1})
	_, err := c.Eq.OrderAndWait(context.Background(), req, nil)
	var we *invapi.WorkflowError
	require.ErrorAs(t, err, &we)
	assert.Equal(t, "deploy", we.Step)
	assert.Positive(t, we.Invoice)
	assert.Contains(t, err.Error(), "do not order again")
	assert.ErrorIs(t, err, invapi.ErrOperationFailed)
	assert.Equal(t, 1, srv.Count("eq", "order_instance"))
}

func TestOrderAndWaitCancelled(t *testing.T) {
	t.Parallel()
	c, srv := newSimClient(t, []invapitest.Option{invapitest.WithOperationDelay(time.Hour)})
	req := orderRequest(t, c)
	// Cancelled once the order is placed (an event, not a wall-clock
	// deadline, which a loaded machine can reach before the order is sent).
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := c.Eq.OrderAndWait(ctx, req, func(p invapi.Progress) {
		if p.Status == invapi.StatusStep && p.Step == "order_instance" {
			cancel()
		}
	})
	assert.ErrorIs(t, err, context.Canceled)
	var we *invapi.WorkflowError
	require.ErrorAs(t, err, &we)
	assert.Positive(t, we.Invoice)
	assert.Equal(t, 1, srv.Count("eq", "order_instance"))
}

func TestOrderAndWaitRejectsAnExistingServer(t *testing.T) {
	t.Parallel()
	c, srv := newSimClient(t, nil)
	_, err := c.Eq.OrderAndWait(context.Background(), &invapi.OrderInstanceRequest{ID: 12345}, nil)
	assert.ErrorIs(t, err, invapi.ErrInvalidInput)
	assert.Zero(t, srv.Count("eq", "order_instance"))
}
