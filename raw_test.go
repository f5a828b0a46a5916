package invapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDoSendsTheFormAndDecodes(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("pdns", "list_zones", `{"result":"OK","data":{"zones":["example.com","example.org"],"count":"2"}}`)
	var out struct {
		Zones []string `json:"zones"`
		Count int      `json:"count"`
	}
	require.NoError(t, c.Do(context.Background(), "pdns", "list_zones", url.Values{"id": {"12345"}}, &out, ReadOnly()))
	assert.Equal(t, []string{"example.com", "example.org"}, out.Zones)
	assert.Equal(t, 2, out.Count)
	assert.Equal(t, url.Values{"action": {"list_zones"}, "id": {"12345"}}, m.lastForm("pdns", "list_zones"))
	assert.Equal(t, testToken, m.calls("pdns", "list_zones")[0].Form.Get("token"))

	var raw json.RawMessage
	require.NoError(t, c.Do(context.Background(), "pdns", "list_zones", nil, &raw, ReadOnly()))
	assert.JSONEq(t, `{"result":"OK","data":{"zones":["example.com","example.org"],"count":"2"}}`, string(raw))
}

func TestDoRetriesOnlyReads(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		opts  []CallOption
		count int
	}{
		{"read", []CallOption{ReadOnly()}, 2},
		{"default is a state change", nil, 1},
		{"money", []CallOption{Charges(), SettleWith("whmcs/get_invoices")}, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, m := newTestClient(t)
			var n atomic.Int32
			m.onFunc("s3", "create_bucket", func(url.Values) (int, string) {
				if n.Add(1) == 1 {
					return http.StatusBadGateway, "bad gateway"
				}
				return 200, `{"result":"OK"}`
			})
			err := c.Do(context.Background(), "s3", "create_bucket", map[string]string{"name": "b1"}, nil, tt.opts...)
			assert.Equal(t, tt.count, m.count("s3", "create_bucket"))
			if tt.count == 1 {
				assert.ErrorIs(t, err, ErrOutcomeUnknown)
			} else {
				assert.NoError(t, err)
			}
		})
	}
}

func TestDoPINAndSession(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "new_action", `{"result":"OK"}`)
	require.NoError(t, c.Do(context.Background(), "eq", "new_action", nil, nil, SendPIN()))
	assert.Equal(t, testPIN, m.lastForm("eq", "new_action").Get("pin"))

	m.on("presets", "future_list", `[]`)
	require.NoError(t, c.Do(context.Background(), "presets", "future_list", nil, nil, NoSession(), ReadOnly()))
	assert.Empty(t, m.calls("presets", "future_list")[0].Form.Get("token"))
}

func TestDoAsync(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("nat", "new_nat_action", `{"result":"OK","callback":"k-nat"}`)
	m.on("nat_callback", "check", `{"result":"OK","scope":"done","key":"k-nat"}`)
	op, err := c.DoAsync(context.Background(), "nat", "new_nat_action", url.Values{"id": {"1"}}, 1)
	require.NoError(t, err)
	assert.Equal(t, "nat_callback", op.CallbackModule())
	res, err := op.Wait(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "done", res.Scope)
}

func TestDoValidatesNames(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	for _, bad := range [][2]string{{"../eq", "show"}, {"eq", "show&pin=1"}, {"", "x"}, {"eq", ""}} {
		err := c.Do(context.Background(), bad[0], bad[1], nil, nil)
		assert.ErrorIs(t, err, ErrInvalidInput, bad)
	}
	assert.Zero(t, m.count("auth", "login"))
}

func TestDoLeavesTheCallersFormAlone(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "x", `{"result":"OK"}`)
	form := url.Values{"id": {"1"}}
	require.NoError(t, c.Do(context.Background(), "eq", "x", form, nil, SendPIN()))
	assert.Equal(t, url.Values{"id": {"1"}}, form, "no action, token or pin added to the caller's map")
}
