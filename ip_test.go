package invapi

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIPGetIP(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("ip", "get_ip", fixture(t, "ip/get_ip.json"))
	info, err := c.IP.GetIP(context.Background(), "192.168.1.10")
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"get_ip"}, "ip": {"192.168.1.10"}}, m.lastForm("ip", "get_ip"))
	assert.Equal(t, "192.168.1.10", info.IP)
	assert.Equal(t, "192.168.1.0", info.Network)
	assert.Equal(t, "255.255.255.0", info.Netmask)
	assert.Equal(t, "192.168.1.1", info.Gateway)
	assert.Equal(t, "AMS", info.Location)
	assert.Equal(t, "assigned", info.Status)
	assert.Contains(t, string(info.Raw()), `"module": "ip"`)
}

func TestIPGetIPError(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("ip", "get_ip", fixture(t, "ip/get_ip_malformed.json"))
	_, err := c.IP.GetIP(context.Background(), "192.168.1.10")
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "-1", apiErr.Code)
	assert.Contains(t, apiErr.Message, "malformed IP=192.168.1.10")
}

func TestIPGetPTR(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("ip", "get_ptr", fixture(t, "ip/get_ptr.json"))
	rec, err := c.IP.GetPTR(context.Background(), &GetPTRRequest{ID: 12345, IP: "203.0.113.7"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"get_ptr"}, "id": {"12345"}, "ip": {"203.0.113.7"}}, m.lastForm("ip", "get_ptr"))
	assert.Equal(t, "203.0.113.7", rec.IP)
	assert.Equal(t, []string{"web-1.example.com", "mail.example.com"}, rec.Names)
	assert.Contains(t, string(rec.Raw()), "get_ptr")
}

func TestIPGetPTRShapes(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"under data":       `{"result":"OK","data":{"ip":"2001:db8::7","ptr":"a.example.com"}}`,
		"list under data":  `{"result":"OK","data":["a.example.com"]}`,
		"scalar data":      `{"result":"OK","data":"a.example.com"}`,
		"list in ptr":      `{"result":"OK","ptr":["a.example.com"]}`,
		"trailing newline": `{"result":"OK","ptr":"a.example.com\n"}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, m := newTestClient(t)
			m.on("ip", "get_ptr", body)
			rec, err := c.IP.GetPTR(context.Background(), &GetPTRRequest{ID: 1, IP: "2001:db8::7"})
			require.NoError(t, err)
			assert.Equal(t, "2001:db8::7", rec.IP)
			assert.Equal(t, []string{"a.example.com"}, rec.Names)
		})
	}
}

func TestIPUpdatePTR(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("ip", "update_ptr", fixture(t, "ip/update_ptr.json"))
	err := c.IP.UpdatePTR(context.Background(), &UpdatePTRRequest{ID: 12345, IP: "203.0.113.7",
		PTR: PTRNames{"web-1.example.com", "mail.example.com"}})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"update_ptr"}, "id": {"12345"}, "ip": {"203.0.113.7"},
		"ptr": {"web-1.example.com\nmail.example.com"}}, m.lastForm("ip", "update_ptr"))
	// On the wire the records are separated by %0A, as the vendor documents.
	assert.Contains(t, m.calls("ip", "update_ptr")[0].Form.Encode(), "ptr=web-1.example.com%0Amail.example.com")
}

func TestIPSetMain(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("ip", "set_main", fixture(t, "ip/set_main.json"))
	require.NoError(t, c.IP.SetMain(context.Background(), &SetMainRequest{ID: 12345, IP: "203.0.113.8"}))
	assert.Equal(t, url.Values{"action": {"set_main"}, "id": {"12345"}, "ip": {"203.0.113.8"}, "main": {"1"}},
		m.lastForm("ip", "set_main"))

	require.NoError(t, c.IP.SetMain(context.Background(), &SetMainRequest{ID: 12345, IP: "203.0.113.8", Main: "203.0.113.8"}))
	assert.Equal(t, "203.0.113.8", m.lastForm("ip", "set_main").Get("main"))
}

func TestIPGetClientIP(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("ip", "get_client_ip", fixture(t, "ip/get_client_ip.json"))
	ip, err := c.IP.GetClientIP(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "192.168.1.100", ip)
	assert.Equal(t, url.Values{"action": {"get_client_ip"}}, m.lastForm("ip", "get_client_ip"))

	m.on("ip", "get_client_ip", `{"ip":"192.168.1.1"}`) // no envelope (another vendor page)
	ip, err = c.IP.GetClientIP(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "192.168.1.1", ip)
}

func TestIPGetTraffic(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("ip", "get_traffic", fixture(t, "ip/get_traffic.json"))
	tr, err := c.IP.GetTraffic(context.Background(), &GetTrafficRequest{IP: "203.0.113.7",
		Extra: Fields{"date_from": "2024-01-01", "date_to": "2024-01-31"}})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"get_traffic"}, "ip": {"203.0.113.7"}, "date_from": {"2024-01-01"},
		"date_to": {"2024-01-31"}}, m.lastForm("ip", "get_traffic"))
	assert.JSONEq(t, fixture(t, "ip/get_traffic.json"), string(tr.Raw()))
}

func TestIPListFreeIP(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("ip", "list_free_ip", fixture(t, "ip/list_free_ip.json"))
	ips, err := c.IP.ListFreeIP(context.Background(), &ListFreeIPRequest{Extra: Fields{"subnet_id": "17"}})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"list_free_ip"}, "subnet_id": {"17"}}, m.lastForm("ip", "list_free_ip"))
	assert.Equal(t, []string{"203.0.113.20", "203.0.113.21"}, ips)

	ips, err = c.IP.ListFreeIP(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"list_free_ip"}}, m.lastForm("ip", "list_free_ip"))
	assert.Len(t, ips, 2)
}

func TestIPValidation(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	ctx := context.Background()
	cases := []struct {
		name  string
		call  func() error
		field string
	}{
		{"get_ip empty", func() error { _, err := c.IP.GetIP(ctx, ""); return err }, "ip"},
		{"get_ip as int", func() error { _, err := c.IP.GetIP(ctx, "3232235786"); return err }, "ip"},
		{"get_ip cidr", func() error { _, err := c.IP.GetIP(ctx, "10.0.0.0/24"); return err }, "ip"},
		{"get_ip zone", func() error { _, err := c.IP.GetIP(ctx, "fe80::1%eth0"); return err }, "ip"},
		{"get_ptr id", func() error { _, err := c.IP.GetPTR(ctx, &GetPTRRequest{IP: "10.0.0.1"}); return err }, "id"},
		{"get_ptr ip", func() error { _, err := c.IP.GetPTR(ctx, &GetPTRRequest{ID: 1, IP: "10.0.0.256"}); return err }, "ip"},
		{"get_ptr nil", func() error { _, err := c.IP.GetPTR(ctx, nil); return err }, "id"},
		{"update_ptr no names", func() error {
			return c.IP.UpdatePTR(ctx, &UpdatePTRRequest{ID: 1, IP: "10.0.0.1"})
		}, "ptr"},
		{"update_ptr empty name", func() error {
			return c.IP.UpdatePTR(ctx, &UpdatePTRRequest{ID: 1, IP: "10.0.0.1", PTR: PTRNames{"a.example.com", ""}})
		}, "ptr"},
		{"update_ptr space", func() error {
			return c.IP.UpdatePTR(ctx, &UpdatePTRRequest{ID: 1, IP: "10.0.0.1", PTR: PTRNames{"a b.example.com"}})
		}, "ptr"},
		{"update_ptr newline", func() error {
			return c.IP.UpdatePTR(ctx, &UpdatePTRRequest{ID: 1, IP: "10.0.0.1", PTR: PTRNames{"a.example.com\nb.example.com"}})
		}, "ptr"},
		{"update_ptr too long", func() error {
			return c.IP.UpdatePTR(ctx, &UpdatePTRRequest{ID: 1, IP: "10.0.0.1", PTR: PTRNames{strings.Repeat("a", 254)}})
		}, "ptr"},
		{"update_ptr bad ip", func() error {
			return c.IP.UpdatePTR(ctx, &UpdatePTRRequest{ID: 1, IP: "example.com", PTR: PTRNames{"a.example.com"}})
		}, "ip"},
		{"update_ptr id", func() error {
			return c.IP.UpdatePTR(ctx, &UpdatePTRRequest{ID: -3, IP: "10.0.0.1", PTR: PTRNames{"a.example.com"}})
		}, "id"},
		{"set_main ip", func() error { return c.IP.SetMain(ctx, &SetMainRequest{ID: 1, IP: "1.2.3"}) }, "ip"},
		{"set_main id", func() error { return c.IP.SetMain(ctx, &SetMainRequest{IP: "1.2.3.4"}) }, "id"},
		{"get_traffic ip", func() error { _, err := c.IP.GetTraffic(ctx, &GetTrafficRequest{}); return err }, "ip"},
	}
	for _, tc := range cases {
		err := tc.call()
		var verr *ValidationError
		require.True(t, errors.As(err, &verr), "%s: %v", tc.name, err)
		assert.Equal(t, tc.field, verr.Field, tc.name)
	}
	for _, action := range []string{"get_ip", "get_ptr", "update_ptr", "set_main", "get_traffic"} {
		assert.Equal(t, 0, m.count("ip", action), action)
	}
	// 253 characters is the longest valid name.
	assert.NoError(t, (&UpdatePTRRequest{ID: 1, IP: "::1", PTR: PTRNames{strings.Repeat("a", 253)}}).Validate())
}
