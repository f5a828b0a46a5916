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

func TestNetGetStatus(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("net", "get_status", fixture(t, "net/get_status.json"))
	m.onSeq("eq_callback", "check", `{"result":"Not ready","key":"a1b2c3d4e5f60718293a4b5c6d7e8f90"}`,
		fixture(t, "net/get_status_callback_ok.json"))
	ctx := context.Background()
	op, err := c.Net.GetStatus(ctx, &GetStatusRequest{ID: 12345, Port: "Gi1/0/17"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"get_status"}, "id": {"12345"}, "port": {"Gi1/0/17"}, "pin": {testPIN}},
		m.lastForm("net", "get_status"))
	assert.Equal(t, "a1b2c3d4e5f60718293a4b5c6d7e8f90", op.Key())
	assert.Equal(t, "eq_callback", op.CallbackModule())
	assert.Equal(t, 12345, op.ServerID())
	res, err := op.Wait(ctx)
	require.NoError(t, err)
	assert.Equal(t, "Port status", res.Scope)
	assert.Equal(t, 12345, res.Context.ID)
	assert.Equal(t, "sw-ams-12 (10.20.0.12)", res.Context.Fields["switch"])
	assert.Equal(t, "310", res.Context.Fields["vlan"])
	assert.Equal(t, "connected", res.Context.Fields["status"])
	assert.Equal(t, "0c:c4:7a:aa:bb:cc", res.Context.Fields["mac"])
	assert.Equal(t, url.Values{"action": {"check"}, "key": {"a1b2c3d4e5f60718293a4b5c6d7e8f90"}},
		m.lastForm("eq_callback", "check"))

	// Without a port, none is sent.
	_, err = c.Net.GetStatus(ctx, &GetStatusRequest{ID: 12345})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"get_status"}, "id": {"12345"}, "pin": {testPIN}}, m.lastForm("net", "get_status"))
}

func TestNetPortOnOff(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("net", "port_on", fixture(t, "net/port_on.json"))
	m.on("net", "port_off", fixture(t, "net/port_off.json"))
	ctx := context.Background()

	op, err := c.Net.PortOn(ctx, &PortOnRequest{ID: 12345, Port: "Gi1/0/17"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"port_on"}, "id": {"12345"}, "port": {"Gi1/0/17"}, "pin": {testPIN}},
		m.lastForm("net", "port_on"))
	assert.Equal(t, "5b1e0c7d9a2f4e6b8c3d1a0f9e8d7c6b", op.Key())
	assert.Equal(t, "port_on", op.Action())

	op, err = c.Net.PortOff(ctx, &PortOffRequest{ID: 12345, Port: "Gi1/0/17", Reason: "maintenance"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"port_off"}, "id": {"12345"}, "port": {"Gi1/0/17"}, "reason": {"maintenance"},
		"pin": {testPIN}}, m.lastForm("net", "port_off"))
	assert.Equal(t, "6c2f1d8e0b3a5f7c9d4e2b1a0f9e8d7c", op.Key())
	assert.Equal(t, "eq_callback", op.CallbackModule())
}

func TestNetPortOffNotResent(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.onFunc("net", "port_off", func(url.Values) (int, string) { return http.StatusBadGateway, "<html>Bad gateway</html>" })
	_, err := c.Net.PortOff(context.Background(), &PortOffRequest{ID: 12345, Port: "eth0"})
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	var unk *OutcomeUnknownError
	require.ErrorAs(t, err, &unk)
	assert.Equal(t, "net/get_status id=12345", unk.Settle)
	assert.Equal(t, 1, m.count("net", "port_off"))
}

func TestNetShowCacti(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR-fake-graph")
	m.onRaw("net", "show_cacti", func(w http.ResponseWriter, _ url.Values) {
		w.Header().Set("Content-Type", "image/png")
		w.Header().Set("Content-Disposition", `inline; filename="graph_12345_1.png"`)
		_, _ = w.Write(png)
	})
	f, err := c.Net.ShowCacti(context.Background(), &ShowCactiRequest{ID: 12345, Port: "Gi1/0/17", Graph: GraphMonthly})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"show_cacti"}, "id": {"12345"}, "port": {"Gi1/0/17"}, "graph": {"2"},
		"pin": {testPIN}}, m.lastForm("net", "show_cacti"))
	assert.Equal(t, "image/png", f.ContentType)
	assert.Equal(t, "graph_12345_1.png", f.Filename)
	assert.Equal(t, png, f.Data)
}

func TestNetShowCactiJSONError(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	// Served as text/html, as PHP often does: still read as a JSON error.
	m.onRaw("net", "show_cacti", func(w http.ResponseWriter, _ url.Values) {
		w.Header().Set("Content-Type", "text/html; charset=UTF-8")
		_, _ = w.Write([]byte(fixture(t, "net/show_cacti_error.json")))
	})
	f, err := c.Net.ShowCacti(context.Background(), &ShowCactiRequest{ID: 12345, Port: "eth0", Graph: GraphDaily})
	assert.Nil(t, f)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "Nothing found for id", apiErr.Message)
	assert.ErrorIs(t, err, ErrNotFound)
}

func TestNetBlockUnblockIP(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("net", "block_ip", fixture(t, "net/block_ip.json"))
	m.on("net", "unblock_ip", fixture(t, "net/unblock_ip.json"))
	ctx := context.Background()

	op, err := c.Net.BlockIP(ctx, &BlockIPRequest{ID: 12345, IP: "198.51.100.23", Description: "this is block test", FourHours: true})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"block_ip"}, "id": {"12345"}, "ip": {"198.51.100.23"},
		"description": {"this is block test"}, "four_hours": {"1"}, "pin": {testPIN}}, m.lastForm("net", "block_ip"))
	assert.Equal(t, "0f1e2d3c4b5a69788796a5b4c3d2e1f0", op.Key())

	_, err = c.Net.BlockIP(ctx, &BlockIPRequest{ID: 12345, IP: "2001:db8::23"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"block_ip"}, "id": {"12345"}, "ip": {"2001:db8::23"}, "pin": {testPIN}},
		m.lastForm("net", "block_ip"))

	op, err = c.Net.UnblockIP(ctx, &UnblockIPRequest{ID: 12345, IP: "198.51.100.23"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"unblock_ip"}, "id": {"12345"}, "ip": {"198.51.100.23"}, "pin": {testPIN}},
		m.lastForm("net", "unblock_ip"))
	assert.Equal(t, "1f2e3d4c5b6a79887766a5b4c3d2e1f0", op.Key())
}

func TestNetAddIPv4(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("net", "add_ipv4", fixture(t, "net/add_ipv4.json"))
	ctx := context.Background()

	res, err := c.Net.AddIPv4(ctx, &AddIPv4Request{ID: 12345, Amount: 2, Port: "eth0", VLAN: 310})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"add_ipv4"}, "id": {"12345"}, "amount": {"2"}, "port": {"eth0"}, "vlan": {"310"}},
		m.lastForm("net", "add_ipv4"), "no PIN: none is documented")
	assert.Equal(t, "2a3b4c5d6e7f80910a1b2c3d4e5f6071", res.Operation.Key())

	_, err = c.Net.AddIPv4(ctx, &AddIPv4Request{ID: 12345, IP: "203.0.113.30", IPs: []string{"203.0.113.31", "203.0.113.32"}})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"add_ipv4"}, "id": {"12345"}, "ip": {"203.0.113.30"},
		"ips[]": {"203.0.113.31", "203.0.113.32"}}, m.lastForm("net", "add_ipv4"))
}

func TestNetRemoveIPv4(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("net", "remove_ipv4", fixture(t, "net/remove_ipv4.json"))
	ctx := context.Background()

	// Answered without a callback key: the operation is already done.
	op, err := c.Net.RemoveIPv4(ctx, &RemoveIPv4Request{ID: 12345, IP: "203.0.113.9"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"remove_ipv4"}, "id": {"12345"}, "ip": {"203.0.113.9"}}, m.lastForm("net", "remove_ipv4"))
	res, err := op.Wait(ctx)
	require.NoError(t, err)
	assert.JSONEq(t, fixture(t, "net/remove_ipv4.json"), string(res.Raw()))
	assert.Equal(t, 0, m.count("eq_callback", "check"))

	_, err = c.Net.RemoveIPv4(ctx, &RemoveIPv4Request{ID: 12345, RemoveAll: true})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"remove_ipv4"}, "id": {"12345"}, "remove_all": {"1"}}, m.lastForm("net", "remove_ipv4"))
}

func TestNetShowIPv4Free(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("net", "show_ipv4_free", fixture(t, "net/show_ipv4_free.json"))
	ips, err := c.Net.ShowIPv4Free(context.Background(), &ShowIPv4FreeRequest{ID: 12345, Port: "eth0", VLAN: 310,
		Extra: Fields{"fresh": "30"}})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"show_ipv4_free"}, "id": {"12345"}, "port": {"eth0"}, "vlan": {"310"}, "fresh": {"30"}},
		m.lastForm("net", "show_ipv4_free"))
	assert.Equal(t, []string{"203.0.113.30", "203.0.113.31", "203.0.113.32"}, ips)
}

func TestNetValidation(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	ctx := context.Background()
	opErr := func(_ *Operation, err error) error { return err }
	addErr := func(_ *AddIPv4Result, err error) error { return err }
	cases := []struct {
		name  string
		call  func() error
		field string
	}{
		{"get_status id", func() error { return opErr(c.Net.GetStatus(ctx, &GetStatusRequest{})) }, "id"},
		{"get_status nil", func() error { return opErr(c.Net.GetStatus(ctx, nil)) }, "id"},
		{"port_on port", func() error { return opErr(c.Net.PortOn(ctx, &PortOnRequest{ID: 1})) }, "port"},
		{"port_on id", func() error { return opErr(c.Net.PortOn(ctx, &PortOnRequest{Port: "eth0"})) }, "id"},
		{"port_off port", func() error { return opErr(c.Net.PortOff(ctx, &PortOffRequest{ID: 1, Port: " "})) }, "port"},
		{"show_cacti graph", func() error {
			_, err := c.Net.ShowCacti(ctx, &ShowCactiRequest{ID: 1, Port: "eth0", Graph: 4})
			return err
		}, "graph"},
		{"show_cacti no graph", func() error {
			_, err := c.Net.ShowCacti(ctx, &ShowCactiRequest{ID: 1, Port: "eth0"})
			return err
		}, "graph"},
		{"show_cacti port", func() error {
			_, err := c.Net.ShowCacti(ctx, &ShowCactiRequest{ID: 1, Graph: GraphDaily})
			return err
		}, "port"},
		{"block_ip int ip", func() error { return opErr(c.Net.BlockIP(ctx, &BlockIPRequest{ID: 1, IP: "3325256727"})) }, "ip"},
		{"block_ip empty ip", func() error { return opErr(c.Net.BlockIP(ctx, &BlockIPRequest{ID: 1})) }, "ip"},
		{"block_ip id", func() error { return opErr(c.Net.BlockIP(ctx, &BlockIPRequest{IP: "1.2.3.4"})) }, "id"},
		{"unblock_ip ip", func() error { return opErr(c.Net.UnblockIP(ctx, &UnblockIPRequest{ID: 1, IP: "1.2.3.4.5"})) }, "ip"},
		{"add_ipv4 nothing", func() error { return addErr(c.Net.AddIPv4(ctx, &AddIPv4Request{ID: 1})) }, "amount"},
		{"add_ipv4 negative", func() error { return addErr(c.Net.AddIPv4(ctx, &AddIPv4Request{ID: 1, Amount: -1})) }, "amount"},
		{"add_ipv4 ipv6", func() error { return addErr(c.Net.AddIPv4(ctx, &AddIPv4Request{ID: 1, IP: "2001:db8::1"})) }, "ip"},
		{"add_ipv4 bad ips", func() error {
			return addErr(c.Net.AddIPv4(ctx, &AddIPv4Request{ID: 1, IPs: []string{"1.2.3.4", "x"}}))
		}, "ips"},
		{"add_ipv4 id", func() error { return addErr(c.Net.AddIPv4(ctx, &AddIPv4Request{Amount: 1})) }, "id"},
		{"remove_ipv4 nothing", func() error { return opErr(c.Net.RemoveIPv4(ctx, &RemoveIPv4Request{ID: 1})) }, "ip"},
		{"remove_ipv4 both", func() error {
			return opErr(c.Net.RemoveIPv4(ctx, &RemoveIPv4Request{ID: 1, IP: "1.2.3.4", RemoveAll: true}))
		}, "remove_all"},
		{"show_ipv4_free id", func() error { _, err := c.Net.ShowIPv4Free(ctx, &ShowIPv4FreeRequest{}); return err }, "id"},
		{"show_ipv4_free vlan", func() error {
			_, err := c.Net.ShowIPv4Free(ctx, &ShowIPv4FreeRequest{ID: 1, VLAN: -2})
			return err
		}, "vlan"},
	}
	for _, tc := range cases {
		err := tc.call()
		var verr *ValidationError
		require.True(t, errors.As(err, &verr), "%s: %v", tc.name, err)
		assert.Equal(t, tc.field, verr.Field, tc.name)
	}
	for _, action := range []string{"get_status", "port_on", "port_off", "show_cacti", "block_ip", "unblock_ip",
		"add_ipv4", "remove_ipv4", "show_ipv4_free"} {
		assert.Equal(t, 0, m.count("net", action), action)
	}
}
