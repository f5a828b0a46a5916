package invapi

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// After a timeout the API may still be carrying the change out: a read
// that shows nothing changed yet is still unknown, not "not applied".
func TestSettleAfterATimeoutIsNotNotApplied(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t, WithHTTPClient(&http.Client{Timeout: 100 * time.Millisecond}))
	m.onFunc("tags", "add", func(url.Values) (int, string) {
		time.Sleep(400 * time.Millisecond)
		return 200, `{"result":"OK"}`
	})
	m.on("tags", "list", `{"result":"OK","tags":[]}`)
	_, err := c.Tags.Add(context.Background(), &TagAddRequest{ID: 12345, Tag: "role", Value: "web"})
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	st, err := c.Settle(context.Background(), err)
	require.NoError(t, err)
	assert.Equal(t, OutcomeStillUnknown, st.Outcome, "%s", st)
	assert.Contains(t, st.Evidence, "timed out")
	assert.Equal(t, 1, m.count("tags", "add"))
	assert.Equal(t, "12345", m.lastForm("tags", "list").Get("id"))
}
