package invapi_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invapi-go/invapi"
	"github.com/invapi-go/invapi/invapitest"
)

// The SDK against the simulator in its evidenced shapes (the default) and in
// the alternative ones (Quirks.AlternativeShapes): both must decode.

func bothShapes(t *testing.T, fn func(t *testing.T, c *invapi.Client, srv *invapitest.Server)) {
	for _, alt := range []bool{false, true} {
		name := map[bool]string{false: "evidenced", true: "alternative"}[alt]
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, srv := newSimClient(t, []invapitest.Option{invapitest.WithQuirks(invapitest.Quirks{AlternativeShapes: alt})})
			fn(t, c, srv)
		})
	}
}

func TestSimulatorWHMCSCancellationAndBilling(t *testing.T) {
	t.Parallel()
	bothShapes(t, func(t *testing.T, c *invapi.Client, srv *invapitest.Server) {
		ctx := context.Background()
		_, err := c.WHMCS.RequestCancellation(ctx, &invapi.RequestCancellationRequest{ID: 12345, Type: invapi.CancelImmediate, Reason: "done"})
		require.NoError(t, err)
		list, err := c.WHMCS.GetCancellationRequests(ctx, &invapi.GetCancellationRequestsRequest{ID: 12345})
		require.NoError(t, err)
		require.Len(t, list, 1)
		assert.Equal(t, "Immediate", list[0].Type, "cancellation_type=1 is an immediate cancellation")
		assert.Equal(t, "done", list[0].Reason)

		bd, err := c.WHMCS.GetBillingData(ctx, 12345)
		require.NoError(t, err)
		assert.Equal(t, "Active", bd.Status)
		assert.Equal(t, "Monthly", bd.BillingCycle)
		assert.Equal(t, "120.00", bd.RecurringAmount.String())
		assert.Equal(t, "EUR", bd.CurrencyCode)

		inv, err := c.WHMCS.GenerateDueInvoice(ctx, &invapi.ServerBillingRequest{ID: 12345})
		require.NoError(t, err)
		det, err := c.WHMCS.GetInvoice(ctx, &invapi.InvoiceRequest{InvoiceID: inv.InvoiceID})
		require.NoError(t, err)
		assert.Equal(t, 12345, det.ServerID(), "items[].inv_id names the server")
		require.NotEmpty(t, det.Items)
		prod, err := c.WHMCS.GetProductInvoice(ctx, &invapi.GetProductInvoiceRequest{Product: det.Items[0].RelID, Location: "NL"})
		require.NoError(t, err)
		require.Len(t, prod, 1)
		assert.Equal(t, inv.InvoiceID, prod[0].ID)
		assert.Equal(t, "Unpaid", prod[0].Status)

		pay, err := c.WHMCS.MassPay(ctx, &invapi.MassPayRequest{InvoiceIDs: []int{inv.InvoiceID}})
		require.NoError(t, err)
		assert.NotZero(t, pay.InvoiceID, "invoices[] reached the simulator")
	})
}

func TestSimulatorAPIKeys(t *testing.T) {
	t.Parallel()
	bothShapes(t, func(t *testing.T, c *invapi.Client, srv *invapitest.Server) {
		ctx := context.Background()
		k, err := c.APIKeys.Add(ctx, &invapi.APIKeyAddRequest{Params: invapi.APIKeyParams{Name: "ci", ServerID: 12346,
			LoginNotifyMethod: invapi.NotifyEmail, LoginNotifyAddress: "ops@example.com"}})
		require.NoError(t, err)
		require.False(t, k.Key.IsZero())
		v, err := c.APIKeys.View(ctx, k.ID)
		require.NoError(t, err)
		assert.Equal(t, invapi.NotifyEmail, v.LoginNotifyMethod)
		assert.Equal(t, "ops@example.com", v.LoginNotifyAddress)
		off := false
		e, err := c.APIKeys.Edit(ctx, &invapi.APIKeyEditRequest{ID: k.ID, Params: invapi.APIKeyParams{Active: &off}})
		require.NoError(t, err)
		assert.False(t, e.Active)
		list, err := c.APIKeys.ListForServer(ctx, 12346)
		require.NoError(t, err)
		require.Len(t, list, 1)
		assert.Equal(t, k.ID, list[0].ID)
		h, err := c.APIKeys.History(ctx, &invapi.APIKeyHistoryRequest{ID: k.ID})
		require.NoError(t, err)
		assert.Len(t, h, 2)
		require.NoError(t, c.APIKeys.Delete(ctx, k.ID))
		_, err = c.APIKeys.View(ctx, k.ID)
		assert.Error(t, err)
	})
}

func TestSimulatorCatalogue(t *testing.T) {
	t.Parallel()
	bothShapes(t, func(t *testing.T, c *invapi.Client, srv *invapitest.Server) {
		ctx := context.Background()
		presets, err := c.Presets.List(ctx, &invapi.PresetsListRequest{Location: "NL"})
		require.NoError(t, err)
		require.NotEmpty(t, presets)
		p := presets[0]
		assert.Equal(t, invapi.Locations{"NL", "US", "RU"}, p.Locations)
		assert.NotEmpty(t, p.HDD)
		oses, err := c.OS.List(ctx, &invapi.OSListRequest{InstanceID: p.ID, Location: "NL", BillPeriod: "monthly"})
		require.NoError(t, err)
		assert.NotEmpty(t, oses.OS, "os_list (or os) must be read")
		plans, err := c.TrafficPlans.List(ctx, &invapi.TrafficPlansListRequest{Location: "NL", InstanceID: p.ID})
		require.NoError(t, err)
		require.NotEmpty(t, plans)
		v, ok := plans[1].Price.In("EUR") // by currency, or a bare number in currency_id 1 (EUR)
		if !ok {
			v, ok = plans[1].Price[""]
		}
		assert.True(t, ok)
		assert.Equal(t, "20.00", v.String())
		info, err := c.Presets.Info(ctx, &invapi.PresetInfoRequest{ID: p.ID, Currencies: []string{"EUR"}})
		require.NoError(t, err)
		require.Len(t, info, 1)
		eur, ok := info[0].PriceIn("US", "EUR")
		assert.True(t, ok)
		assert.Equal(t, "125.00", eur.String())
		assert.NotEmpty(t, info[0].OS)
		assert.NotEmpty(t, info[0].TrafficPlans["NL"])
		sw, err := c.Software.List(ctx, &invapi.SoftwareListRequest{InstanceID: p.ID, Location: "NL", BillPeriod: "monthly"})
		require.NoError(t, err)
		assert.NotEmpty(t, sw)
		st, err := c.Stocks.List(ctx, &invapi.StocksListRequest{Location: "NL"})
		require.NoError(t, err)
		assert.Len(t, st, 2)
		assert.Equal(t, 0, srv.Count("auth", "login"), "the catalogue needs no session")
		found, err := c.Presets.Search(ctx, &invapi.PresetSearchRequest{Name: "bm", Location: "NL"})
		require.NoError(t, err)
		assert.NotEmpty(t, found)
	})
}

func TestSimulatorISOS3VMSSHJenkins(t *testing.T) {
	t.Parallel()
	bothShapes(t, func(t *testing.T, c *invapi.Client, srv *invapitest.Server) {
		ctx := context.Background()
		const pub = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl me@laptop"
		k, err := c.SSHKeys.Add(ctx, &invapi.SSHKeyAddRequest{Name: "laptop", Key: pub, Default: true})
		require.NoError(t, err)
		assert.True(t, k.Default)
		keys, err := c.SSHKeys.List(ctx)
		require.NoError(t, err)
		require.Len(t, keys, 1)
		assert.Equal(t, pub, keys[0].Key)
		require.NoError(t, c.SSHKeys.Delete(ctx, k.ID))

		list, err := c.ISO.List(ctx, &invapi.ISOListRequest{ServerID: 12345})
		require.NoError(t, err)
		require.NotEmpty(t, list)
		op, err := c.ISO.MountISO(ctx, &invapi.MountISORequest{ID: 12345, Name: list[0].Name})
		require.NoError(t, err)
		_, err = op.Wait(ctx)
		require.NoError(t, err)
		e, _ := srv.Server(12345)
		assert.Equal(t, list[0].Name, e.ISO)
		op, err = c.ISO.UnmountISO(ctx, 12345)
		require.NoError(t, err)
		_, err = op.Wait(ctx)
		require.NoError(t, err)

		op, err = c.Jenkins.Call(ctx, &invapi.JenkinsCallRequest{ID: 12347, Task: "Install Docker"})
		require.NoError(t, err)
		res, err := op.Wait(ctx)
		require.NoError(t, err)
		assert.Equal(t, "Task Install Docker completed", res.Scope)

		snap, err := c.VM.CreateSnapshot(ctx, 12346, "s1")
		require.NoError(t, err)
		_, err = snap.Wait(ctx)
		require.NoError(t, err)
		snaps, err := c.VM.GetSnapshot(ctx, 12346)
		require.NoError(t, err)
		require.Len(t, snaps.Snapshots, 1)
		assert.Positive(t, snaps.Snapshots[0].SnapshotID)
		eng, err := c.VM.GetEngine(ctx, nil)
		require.NoError(t, err)
		assert.Equal(t, "ovirt", eng.Engine)

		locs, err := c.S3.GetAvailableLocations(ctx, nil)
		require.NoError(t, err)
		require.NotEmpty(t, locs)
		plans, err := c.S3.ListPlans(ctx, &invapi.S3LocationRequest{Location: locs[0].Code})
		require.NoError(t, err)
		require.NotEmpty(t, plans)
		acc, err := c.S3.CreateAccount(ctx, &invapi.S3OrderRequest{PlanID: plans[0].ID, Location: locs[0].Code, Bucket: "backups-1"})
		require.NoError(t, err)
		b, err := c.S3.GetBucketsRMQ(ctx, acc.Account.ID)
		require.NoError(t, err)
		require.Len(t, b.Buckets, 1, "create_account's bucket")
		require.NoError(t, c.S3.CreateBucket(ctx, &invapi.S3BucketRequest{AccountID: acc.Account.ID, Bucket: "logs-1"}))
		files, err := c.S3.GetFiles(ctx, &invapi.S3FilesRequest{AccountID: acc.Account.ID, Bucket: "logs-1", Search: "READ", Limit: 10})
		require.NoError(t, err)
		assert.Len(t, files.Files, 1)
		access, err := c.S3.ShowKey(ctx, acc.Account.ID, true)
		require.NoError(t, err)
		assert.NotEmpty(t, access.AccessKey)
		assert.True(t, access.SecretKey.IsZero())
		full, err := c.S3.ShowKey(ctx, acc.Account.ID, false)
		require.NoError(t, err)
		assert.False(t, full.SecretKey.IsZero())
		require.NoError(t, c.S3.UpdateTrafficInfo(ctx, acc.Account.ID))
	})
}
