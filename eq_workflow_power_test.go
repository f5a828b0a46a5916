package invapi_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invapi-go/invapi"
	"github.com/invapi-go/invapi/invapitest"
)

func TestPowerWithConfirmation(t *testing.T) {
	t.Parallel()
	c, srv := newSimClient(t, nil)
	id := firstServer(t, srv)
	ctx := context.Background()

	st, err := c.Eq.PowerOffAndConfirm(ctx, id, nil)
	require.NoError(t, err)
	assert.Equal(t, "off", st.Power)
	st, err = c.Eq.PowerOnAndConfirm(ctx, id, nil)
	require.NoError(t, err)
	assert.Equal(t, "on", st.Power)
	rec := &recorder{}
	_, err = c.Eq.RebootAndConfirm(ctx, id, rec.add)
	require.NoError(t, err)
	assert.Equal(t, []string{"reboot", "status"}, rec.steps())
	assert.Equal(t, 1, srv.Count("eq", "reboot"))
	assert.Equal(t, 1, srv.Count("eq", "off"))
	assert.Equal(t, 1, srv.Count("eq", "on"))
}

func TestPowerWithConfirmationFailure(t *testing.T) {
	t.Parallel()
	c, srv := newSimClient(t, nil)
	srv.Fault(invapitest.Fault{Module: "eq", Action: "on", Kind: invapitest.FaultAPIError, Code: -1, Message: "Server is locked"})
	_, err := c.Eq.PowerOnAndConfirm(context.Background(), firstServer(t, srv), nil)
	var we *invapi.WorkflowError
	require.ErrorAs(t, err, &we)
	assert.Equal(t, "on", we.Step)
	var apiErr *invapi.APIError
	assert.True(t, errors.As(err, &apiErr))
	assert.Zero(t, srv.Count("eq", "status"))
}

// The README's error handling, as written there, on a workflow's error.
func TestREADMEErrorSnippetOnAWorkflowError(t *testing.T) {
	t.Parallel()
	c, srv := newSimClient(t, nil)
	// A reboot leaves nothing to read, so its lost answer stays unknown
	// (OrderAndWait would settle a lost order by deploy_keys instead).
	srv.Fault(invapitest.Fault{Module: "eq", Action: "reboot", Kind: invapitest.FaultDropAfter})
	_, err := c.Eq.RebootAndConfirm(context.Background(), firstServer(t, srv), nil)
	require.ErrorIs(t, err, invapi.ErrOutcomeUnknown)
	var unknown *invapi.OutcomeUnknownError
	require.True(t, errors.As(err, &unknown))
	assert.Contains(t, unknown.Settle, "eq/status")
	assert.Equal(t, 1, srv.Count("eq", "reboot"))
}
