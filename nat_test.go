package invapi

import (
	"context"
	"errors"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNATAddStaticNAT(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("nat", "add_static_nat", fixture(t, "nat/add_static_nat.json"))
	m.onSeq("nat_callback", "check", `{"result":"Not ready","key":"7bc29eb23fb1b879b21fce509597f07c"}`,
		fixture(t, "nat/callback_ok.json"))
	ctx := context.Background()

	op, err := c.NAT.AddStaticNAT(ctx, &AddStaticNATRequest{ID: 12345, IPACL: "198.51.100.0/24", TTL: 6})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"add_static_nat"}, "id": {"12345"}, "ip_acl": {"198.51.100.0/24"}, "ttl": {"6"},
		"pin": {testPIN}}, m.lastForm("nat", "add_static_nat"))
	assert.Equal(t, "7bc29eb23fb1b879b21fce509597f07c", op.Key())
	assert.Equal(t, "nat_callback", op.CallbackModule())
	assert.Equal(t, "add_static_nat", op.Action())
	res, err := op.Wait(ctx)
	require.NoError(t, err)
	assert.Equal(t, "NAT 203.0.113.200 -> 10.10.5.17 created for 2 hours", res.Scope)
	assert.Equal(t, 12345, res.Context.ID)
	assert.Equal(t, "NL", res.Context.Location)
	assert.Equal(t, url.Values{"action": {"check"}, "key": {"7bc29eb23fb1b879b21fce509597f07c"}}, m.lastForm("nat_callback", "check"))
	assert.Equal(t, 0, m.count("eq_callback", "check"), "NAT keys are checked on nat_callback.php only")

	// Only the id (and PIN) when nothing else is set, as in the 001 example.
	_, err = c.NAT.AddStaticNAT(ctx, &AddStaticNATRequest{ID: 12345, IPACL: "198.51.100.7"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"add_static_nat"}, "id": {"12345"}, "ip_acl": {"198.51.100.7"}, "pin": {testPIN}},
		m.lastForm("nat", "add_static_nat"))
}

func TestNATAddStaticNATError(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("nat", "add_static_nat", fixture(t, "nat/add_static_nat_error.json"))
	_, err := c.NAT.AddStaticNAT(context.Background(), &AddStaticNATRequest{ID: 12345})
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "NAT/add_static_nat: invalid server id", apiErr.Message)
	assert.Equal(t, 1, m.count("nat", "add_static_nat"))
}

func TestNATRemoveStaticNAT(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("nat", "remove_static_nat", fixture(t, "nat/remove_static_nat.json"))
	op, err := c.NAT.RemoveStaticNAT(context.Background(), 12345)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"remove_static_nat"}, "id": {"12345"}}, m.lastForm("nat", "remove_static_nat"),
		"no PIN: 001 documents none")
	assert.Equal(t, "7bc29eb23fb1b879b21fce509597f07c", op.Key())
	assert.Equal(t, "nat_callback", op.CallbackModule())
	assert.Equal(t, 12345, op.ServerID())
}

func TestNATValidation(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	ctx := context.Background()
	opErr := func(_ *Operation, err error) error { return err }
	cases := []struct {
		name  string
		call  func() error
		field string
	}{
		{"add id", func() error { return opErr(c.NAT.AddStaticNAT(ctx, &AddStaticNATRequest{})) }, "id"},
		{"add nil", func() error { return opErr(c.NAT.AddStaticNAT(ctx, nil)) }, "id"},
		{"add ttl", func() error { return opErr(c.NAT.AddStaticNAT(ctx, &AddStaticNATRequest{ID: 1, TTL: 25})) }, "ttl"},
		{"add acl", func() error { return opErr(c.NAT.AddStaticNAT(ctx, &AddStaticNATRequest{ID: 1, IPACL: "10.0.0.0/33"})) }, "ip_acl"},
		{"add acl host", func() error { return opErr(c.NAT.AddStaticNAT(ctx, &AddStaticNATRequest{ID: 1, IPACL: "office"})) }, "ip_acl"},
		{"remove id", func() error { return opErr(c.NAT.RemoveStaticNAT(ctx, 0)) }, "id"},
	}
	for _, tc := range cases {
		err := tc.call()
		var verr *ValidationError
		require.True(t, errors.As(err, &verr), "%s: %v", tc.name, err)
		assert.Equal(t, tc.field, verr.Field, tc.name)
	}
	assert.Equal(t, 0, m.count("nat", "add_static_nat"))
	assert.Equal(t, 0, m.count("nat", "remove_static_nat"))
}
