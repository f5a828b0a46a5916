package invapi_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invapi-go/invapi"
	"github.com/invapi-go/invapi/invapitest"
)

// newSimClient starts a simulator and a client logged in to its default account.
func newSimClient(t *testing.T, simOpts []invapitest.Option, opts ...invapi.Option) (*invapi.Client, *invapitest.Server) {
	t.Helper()
	srv := invapitest.NewServer(simOpts...)
	t.Cleanup(srv.Close)
	base := []invapi.Option{invapi.WithBaseURL(srv.URL), invapi.WithAPIKey(invapitest.DefaultAPIKey),
		invapi.WithPIN(invapitest.DefaultPIN), invapi.WithRetry(4, 10*time.Millisecond),
		invapi.WithPollInterval(time.Millisecond, 5*time.Millisecond), invapi.WithPollBudget(1e6)}
	c, err := invapi.NewClient(append(base, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c, srv
}

func firstServer(t *testing.T, srv *invapitest.Server) int {
	t.Helper()
	servers := srv.Servers()
	require.NotEmpty(t, servers)
	return servers[0].ID
}

func TestSimulatorSessionAndInfo(t *testing.T) {
	t.Parallel()
	c, srv := newSimClient(t, nil)
	ctx := context.Background()
	info, err := c.Auth.Info(ctx)
	require.NoError(t, err)
	assert.Equal(t, invapitest.DefaultCustomerID, info.CustomerID)
	assert.Contains(t, info.Servers, firstServer(t, srv))
	assert.Equal(t, 1, srv.Count("auth", "login"))

	require.NoError(t, c.Auth.Logout(ctx))
	_, err = c.Auth.Info(ctx) // logs in again by itself
	require.NoError(t, err)
	assert.Equal(t, 2, srv.Count("auth", "login"))
}

func TestSimulatorRebootAndWait(t *testing.T) {
	t.Parallel()
	c, srv := newSimClient(t, nil)
	ctx := context.Background()
	id := firstServer(t, srv)
	op, err := c.Eq.Reboot(ctx, id)
	require.NoError(t, err)
	res, err := op.Wait(ctx)
	require.NoError(t, err)
	assert.Equal(t, id, res.Context.ID)
	assert.Equal(t, 1, srv.Count("eq", "reboot"))
	for _, r := range srv.Requests() {
		if pin := r.Form.Get("pin"); pin != "" {
			assert.Equal(t, "***", pin, "the simulator's log masks secrets")
		}
	}
}

func TestSimulatorWrongPIN(t *testing.T) {
	t.Parallel()
	c, srv := newSimClient(t, []invapitest.Option{invapitest.WithPINPenalty(time.Millisecond)}, invapi.WithPIN("9999"))
	_, err := c.Eq.Reboot(context.Background(), firstServer(t, srv))
	assert.ErrorIs(t, err, invapi.ErrWrongPIN)
	assert.Equal(t, 1, srv.Count("eq", "reboot"))
}

func TestSimulatorBillingLoginWith2FA(t *testing.T) {
	t.Parallel()
	srv := invapitest.NewServer(invapitest.WithAccount(invapitest.Account{
		CustomerID: 2002, User: "ops@example.com", Password: "s3cret-Pass", TwoFactor: true,
	}))
	t.Cleanup(srv.Close)
	c, err := invapi.NewClient(invapi.WithBaseURL(srv.URL), invapi.WithBillingCredentials("ops@example.com", "s3cret-Pass"),
		invapi.WithTwoFactorPrompt(func(context.Context) (string, error) { return srv.TwoFactorCode(), nil }))
	require.NoError(t, err)
	info, err := c.Auth.Info(context.Background())
	require.NoError(t, err)
	assert.Equal(t, 2002, info.CustomerID)
	assert.Equal(t, 1, srv.Count("auth", "2fa_check"))
}

func TestSimulatorTokenExpiryMidRun(t *testing.T) {
	t.Parallel()
	c, srv := newSimClient(t, nil)
	ctx := context.Background()
	_, err := c.Auth.Info(ctx)
	require.NoError(t, err)
	srv.ExpireSessions()
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.Auth.Info(ctx)
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	assert.Equal(t, 2, srv.Count("auth", "login"), "one login, then one re-login shared by all callers")
}

func TestSimulatorFaults(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("reads survive 5xx bursts and 429", func(t *testing.T) {
		c, srv := newSimClient(t, nil)
		srv.Fault(invapitest.Fault{Module: "auth", Action: "info", Kind: invapitest.FaultStatus, Status: 502, Times: 2})
		srv.Fault(invapitest.Fault{Module: "auth", Action: "info", Kind: invapitest.FaultRateLimit, RetryAfter: 0})
		_, err := c.Auth.Info(ctx)
		require.NoError(t, err)
	})
	t.Run("PHP warning before the JSON", func(t *testing.T) {
		c, srv := newSimClient(t, nil)
		srv.Fault(invapitest.Fault{Module: "auth", Action: "info", Kind: invapitest.FaultPHPWarning})
		info, err := c.Auth.Info(ctx)
		require.NoError(t, err)
		assert.Equal(t, invapitest.DefaultCustomerID, info.CustomerID)
	})
	t.Run("loose types", func(t *testing.T) {
		c, srv := newSimClient(t, nil)
		srv.Fault(invapitest.Fault{Kind: invapitest.FaultWrongTypes, Times: -1})
		info, err := c.Auth.Info(ctx)
		require.NoError(t, err)
		assert.Equal(t, invapitest.DefaultCustomerID, info.CustomerID)
	})
	t.Run("truncated JSON on a read is asked again", func(t *testing.T) {
		c, srv := newSimClient(t, nil)
		srv.Fault(invapitest.Fault{Module: "auth", Action: "info", Kind: invapitest.FaultTruncated})
		_, err := c.Auth.Info(ctx)
		require.NoError(t, err)
		assert.Equal(t, 2, srv.Count("auth", "info"))
	})
	t.Run("truncated JSON that persists is a typed error", func(t *testing.T) {
		c, srv := newSimClient(t, nil)
		srv.Fault(invapitest.Fault{Module: "auth", Action: "info", Kind: invapitest.FaultTruncated, Times: -1})
		_, err := c.Auth.Info(ctx)
		assert.ErrorIs(t, err, invapi.ErrBadResponse)
		assert.Equal(t, 5, srv.Count("auth", "info"), "the first try and WithRetry's 4 more")
	})
	t.Run("reboot dropped after processing is sent once", func(t *testing.T) {
		c, srv := newSimClient(t, nil)
		srv.Fault(invapitest.Fault{Module: "eq", Action: "reboot", Kind: invapitest.FaultDropAfter})
		_, err := c.Eq.Reboot(ctx, firstServer(t, srv))
		assert.ErrorIs(t, err, invapi.ErrOutcomeUnknown)
		assert.Equal(t, 1, srv.Count("eq", "reboot"))
	})
	t.Run("reboot after a 502 is not resent", func(t *testing.T) {
		c, srv := newSimClient(t, nil)
		srv.Fault(invapitest.Fault{Module: "eq", Action: "reboot", Kind: invapitest.FaultStatus, Status: 502})
		_, err := c.Eq.Reboot(ctx, firstServer(t, srv))
		assert.ErrorIs(t, err, invapi.ErrOutcomeUnknown)
		var unknown *invapi.OutcomeUnknownError
		require.True(t, errors.As(err, &unknown))
		assert.NotEmpty(t, unknown.Settle)
	})
	t.Run("token expired mid-run on a state change is resent once", func(t *testing.T) {
		c, srv := newSimClient(t, nil)
		srv.Fault(invapitest.Fault{Module: "eq", Action: "reboot", Kind: invapitest.FaultExpireToken})
		op, err := c.Eq.Reboot(ctx, firstServer(t, srv))
		require.NoError(t, err)
		_, err = op.Wait(ctx)
		require.NoError(t, err)
		assert.Equal(t, 2, srv.Count("auth", "login"))
	})
	t.Run("slow answer past the deadline", func(t *testing.T) {
		c, srv := newSimClient(t, nil)
		srv.Fault(invapitest.Fault{Module: "auth", Action: "info", Kind: invapitest.FaultSlow, Delay: time.Second, Times: -1})
		short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		defer cancel()
		_, err := c.Auth.Info(short)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
	})
}

func TestSimulatorAPIKeyAdd(t *testing.T) {
	c, srv := newSimClient(t, nil)
	key, err := c.APIKeys.Add(context.Background(), &invapi.APIKeyAddRequest{Params: invapi.APIKeyParams{Name: "ci"}})
	require.NoError(t, err)
	require.NotEmpty(t, key.Key.Reveal())
	require.Equal(t, 1, srv.Count("api_keys", "add"))
}

// The modules the vendor lists by name only work against the simulator,
// whose parameter names were chosen independently.
func TestSimulatorNameOnlyModules(t *testing.T) {
	t.Parallel()
	c, srv := newSimClient(t, nil)
	ctx := context.Background()
	id := firstServer(t, srv)

	img, err := c.ISO.Add(ctx, &invapi.ISOAddRequest{URL: "https://example.com/alpine.iso"})
	require.NoError(t, err)
	mount, err := c.ISO.MountISO(ctx, &invapi.MountISORequest{ID: id, ISOID: img.ID})
	require.NoError(t, err)
	_, err = mount.Wait(ctx)
	require.NoError(t, err)
	unmount, err := c.ISO.UnmountISO(ctx, id)
	require.NoError(t, err)
	_, err = unmount.Wait(ctx)
	require.NoError(t, err)
	require.NoError(t, c.ISO.Delete(ctx, img.ID))

	d, err := c.PDNS.AddDomain(ctx, &invapi.AddDomainRequest{Name: "example.com", ServerID: id})
	require.NoError(t, err)
	assert.Positive(t, d.ID, "data.id, as HOSTKEY's Terraform provider reads it")
	rec, err := c.PDNS.AddDNS(ctx, &invapi.DNSRecordRequest{Zone: d.Name, Name: "www", Type: "MX", Content: []string{"mx1.example.com"}, Priority: 10})
	require.NoError(t, err)
	assert.Equal(t, 10, rec.Priority)
	zone, err := c.PDNS.ViewZone(ctx, "example.com")
	require.NoError(t, err)
	assert.Equal(t, d.ID, zone.ID)
	found := false
	for _, r := range zone.Records {
		if r.Type == "MX" {
			found = true
			assert.Equal(t, 10, r.Priority, "record field priority")
			assert.Equal(t, "www.example.com", r.Name)
		}
	}
	assert.True(t, found, "%+v", zone.Records)
	require.NoError(t, c.PDNS.DeleteDNS(ctx, &invapi.DeleteDNSRequest{Zone: "example.com", Name: "www", Type: "MX"}))
	zone, err = c.PDNS.ViewZone(ctx, "example.com")
	require.NoError(t, err)
	for _, r := range zone.Records {
		assert.NotEqual(t, "MX", r.Type, "deleted by zone, name and type")
	}
	sub, err := c.PDNS.AddSubdomain(ctx, &invapi.AddSubdomainRequest{ServerID: id, DomainID: d.ID, Name: "api"})
	require.NoError(t, err)
	subs, err := c.PDNS.ListSubdomains(ctx, id)
	require.NoError(t, err)
	require.Len(t, subs, 1)
	assert.Equal(t, sub.ID, subs[0].ID)
	assert.Equal(t, "api", subs[0].Name)
	require.NoError(t, c.PDNS.EditSubdomain(ctx, &invapi.EditSubdomainRequest{ID: sub.ID, ServerID: id, Extra: invapi.Fields{"name": "api2"}}))
	require.NoError(t, c.PDNS.DeleteSubdomain(ctx, id, sub.ID))
	require.NoError(t, c.PDNS.DeleteDomain(ctx, &invapi.DeleteDomainRequest{ID: d.ID, Zone: d.Name}))
	require.NoError(t, c.PDNS.AddZone(ctx, &invapi.AddZoneRequest{Name: "example.net", SOA: &invapi.ZoneSOA{TTL: 3600, MName: "ns1.hostkey.com"}}))
	zones, err := c.PDNS.ListZones(ctx)
	require.NoError(t, err)
	require.Len(t, zones, 1)
	assert.Equal(t, "example.net", zones[0].Name)
	require.NoError(t, c.PDNS.DeleteZone(ctx, "example.net"))

	op, err := c.VM.CreateSnapshot(ctx, 12346, "snap-1")
	require.NoError(t, err)
	_, err = op.Wait(ctx)
	require.NoError(t, err)
	snaps, err := c.VM.GetSnapshot(ctx, 12346)
	require.NoError(t, err)
	require.Len(t, snaps.Snapshots, 1)

	ticket, err := c.RHR.Add(ctx, &invapi.RHRAddRequest{ID: id, RequestType: "request_check", Comment: "check the cable"})
	require.NoError(t, err)
	_, err = c.RHR.Chat(ctx, ticket.ID, "thanks")
	require.NoError(t, err)

	plans, err := c.S3.ListPlans(ctx, &invapi.S3LocationRequest{Location: "NL"})
	require.NoError(t, err)
	require.NotEmpty(t, plans)
	order, err := c.S3.CreateOrder(ctx, &invapi.S3OrderRequest{PlanID: plans[0].ID, Location: "NL"})
	require.NoError(t, err)
	assert.Positive(t, order.Invoice)
	keys, err := c.S3.ShowKey(ctx, order.Account.ID, false)
	require.NoError(t, err)
	assert.NotEmpty(t, keys.SecretKey.Reveal())

	billing, err := c.Auth.BillingList(ctx)
	require.NoError(t, err)
	assert.NotEmpty(t, billing)
}
