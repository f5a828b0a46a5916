package invapi_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invapi-go/invapi"
)

// Without Full, list rows do not carry power or tags: Full says so, so an
// empty Power reads as unknown rather than "no power state".
func TestEqListFullTellsUnknownFromEmpty(t *testing.T) {
	t.Parallel()
	c, _ := newSimClient(t, nil)
	ctx := context.Background()

	short, err := c.Eq.List(ctx, nil)
	require.NoError(t, err)
	require.NotEmpty(t, short)
	for _, s := range short {
		assert.False(t, s.Full, "server %d", s.ID)
		assert.Empty(t, s.Power, "not sent without full")
		assert.Empty(t, s.Tags)
		assert.NotEmpty(t, s.MainIP())
		assert.Equal(t, s.Name, s.Hostname(), "without Full, Hostname is the name")
	}
	full, err := c.Eq.List(ctx, &invapi.ServerListRequest{Full: true})
	require.NoError(t, err)
	require.Len(t, full, len(short))
	for _, s := range full {
		assert.True(t, s.Full, "server %d", s.ID)
		assert.NotEmpty(t, s.Power)
	}
	srv, err := c.Eq.Show(ctx, short[0].ID)
	require.NoError(t, err)
	assert.True(t, srv.Full, "show's server_data is the full row")
	assert.Equal(t, srv.ServerSummary.MainIP(), srv.IP)
}
