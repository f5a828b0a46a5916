package invapi

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRebootEndToEnd(t *testing.T) {
	c, m := newTestClient(t)
	m.on("eq", "reboot", `{"result":"OK","action":"reboot","callback":"f685eaa0f06e47faa2e6bb5002828b00"}`)
	m.onSeq("eq_callback", "check",
		`{"result":"Not ready","key":"f685eaa0f06e47faa2e6bb5002828b00"}`,
		`{"result":"OK","scope":"Server rebooted","context":{"action":"reboot","id":"12345","location":"NL"},"debug":"Chassis Power Control: Reset","key":"f685eaa0f06e47faa2e6bb5002828b00"}`,
		`{"code":-1,"message":"AsyncKey f685eaa0f06e47faa2e6bb5002828b00 not found"}`)
	ctx := context.Background()
	op, err := c.Eq.Reboot(ctx, 12345)
	require.NoError(t, err)
	res, err := op.Wait(ctx)
	require.NoError(t, err)
	assert.Equal(t, "Server rebooted", res.Scope)
	assert.Equal(t, 12345, res.Context.ID)
	assert.Equal(t, "Chassis Power Control: Reset", res.Debug)
	f := m.lastForm("eq", "reboot")
	assert.Equal(t, "12345", f.Get("id"))
	assert.Equal(t, testPIN, f.Get("pin"))
	assert.Equal(t, testToken, m.calls("eq", "reboot")[0].Form.Get("token"))
	assert.Equal(t, testAPIKey, m.lastForm("auth", "login").Get("key"))
	assert.Equal(t, 2, m.count("eq_callback", "check"))
}
