package invapi

import (
	"context"
	"fmt"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Tests of the modules the vendor lists by name only (iso, pdns, vm, rhr,
// s3, the account actions of auth): the form each method sends, and the
// values it decodes from loose, realistic answers.

func TestISO(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	ctx := context.Background()
	m.on("iso", "add", `{"result":"OK","iso":{"id":"107","name":"alpine.iso","url":"https://example.com/alpine.iso","size":"1.0 GB","status":"uploaded","public":"0"}}`)
	img, err := c.ISO.Add(ctx, &ISOAddRequest{URL: "https://example.com/alpine.iso"})
	require.NoError(t, err)
	assert.Equal(t, &ISOImage{ID: 107, Name: "alpine.iso", URL: "https://example.com/alpine.iso", Size: "1.0 GB", Status: "uploaded"}, img)
	assert.Equal(t, url.Values{"action": {"add"}, "url": {"https://example.com/alpine.iso"}}, m.lastForm("iso", "add"))

	m.on("iso", "list_iso", `{"result":"OK","iso":{"0":{"id":1,"name":"ubuntu.iso","public":1},"1":{"id":"107","name":"alpine.iso"}}}`)
	list, err := c.ISO.List(ctx, &ISOListRequest{ServerID: 12345})
	require.NoError(t, err)
	// server_id, as mcp sends it (required with a customer's key).
	assert.Equal(t, url.Values{"action": {"list_iso"}, "server_id": {"12345"}}, m.lastForm("iso", "list_iso"))
	assert.Equal(t, []ISOImage{{ID: 1, Name: "ubuntu.iso", Public: true}, {ID: 107, Name: "alpine.iso"}}, list)

	// mount_iso answers a callback key (mcp): the Operation follows it.
	m.on("iso", "mount_iso", `{"result":"OK","callback":"0123456789abcdef0123456789abcdef"}`)
	m.on("eq_callback", "check", `{"result":"OK","scope":"ISO mounted"}`)
	op, err := c.ISO.MountISO(ctx, &MountISORequest{ID: 12345, Name: "alpine.iso"})
	require.NoError(t, err)
	assert.Equal(t, "0123456789abcdef0123456789abcdef", op.Key())
	assert.Equal(t, 12345, op.ServerID())
	res, err := op.Wait(ctx)
	require.NoError(t, err)
	assert.Equal(t, "ISO mounted", res.Scope)
	// name, as mcp sends it (not iso).
	assert.Equal(t, url.Values{"action": {"mount_iso"}, "id": {"12345"}, "name": {"alpine.iso"}}, m.lastForm("iso", "mount_iso"))
	m.on("iso", "mount_iso", `{"result":"OK","id":"12345","iso":"alpine.iso"}`)
	op, err = c.ISO.MountISO(ctx, &MountISORequest{ID: 12345, ISOID: 107})
	require.NoError(t, err)
	assert.Empty(t, op.Key(), "no key: done at once")
	_, err = op.Wait(ctx)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"mount_iso"}, "id": {"12345"}, "iso_id": {"107"}}, m.lastForm("iso", "mount_iso"))
	m.on("iso", "unmount_iso", `{"result":"OK","callback":"fedcba9876543210fedcba9876543210"}`)
	op, err = c.ISO.UnmountISO(ctx, 12345)
	require.NoError(t, err)
	assert.Equal(t, "fedcba9876543210fedcba9876543210", op.Key())
	assert.Equal(t, url.Values{"action": {"unmount_iso"}, "id": {"12345"}}, m.lastForm("iso", "unmount_iso"))
	m.on("iso", "delete", `{"result":"OK"}`)
	require.NoError(t, c.ISO.Delete(ctx, 107))
	// id, as mcp sends it (not iso_id).
	assert.Equal(t, url.Values{"action": {"delete"}, "id": {"107"}}, m.lastForm("iso", "delete"))

	for _, bad := range []*ISOAddRequest{{}, {URL: "ftp://x/y.iso"}, {URL: "not a url"}} {
		_, err := c.ISO.Add(ctx, bad)
		assertField(t, err, "url")
	}
	_, err = c.ISO.MountISO(ctx, &MountISORequest{ID: 12345})
	assertField(t, err, "iso_id")
	_, err = c.ISO.UnmountISO(ctx, 0)
	assertField(t, err, "id")
	_, err = c.ISO.List(ctx, &ISOListRequest{ServerID: -1})
	assertField(t, err, "server_id")
	assertField(t, c.ISO.Delete(ctx, 0), "id")
	assert.Equal(t, 2, m.count("iso", "mount_iso"))
	assert.Zero(t, m.count("iso", "upload"))
}

func TestVM(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	ctx := context.Background()
	m.on("vm", "create_snapshot", `{"result":"OK","action":"create_snapshot","callback":"k-snap"}`)
	m.on("eq_callback", "check", `{"result":"OK","scope":"Snapshot before-upgrade created","context":{"id":"12346"},"key":"k-snap"}`)
	op, err := c.VM.CreateSnapshot(ctx, 12346, "before-upgrade")
	require.NoError(t, err)
	res, err := op.Wait(ctx)
	require.NoError(t, err)
	assert.Equal(t, "Snapshot before-upgrade created", res.Scope)
	assert.Equal(t, url.Values{"action": {"create_snapshot"}, "id": {"12346"}, "name": {"before-upgrade"}}, m.lastForm("vm", "create_snapshot"))

	m.on("vm", "get_snapshot", `{"result":"OK","snapshots":[{"name":"before-upgrade","date":"2026-11-24 09:00:00","size":"4.2 GB"}],"settings":{"auto_restore":"0","rotation":"3"}}`)
	snaps, err := c.VM.GetSnapshot(ctx, 12346)
	require.NoError(t, err)
	assert.Equal(t, []Snapshot{{Name: "before-upgrade", Date: "2026-11-24 09:00:00", Size: "4.2 GB"}}, snaps.Snapshots)
	assert.Equal(t, RestoreSettings{Rotation: 3}, snaps.Settings)

	m.on("vm", "update_restore_settings", `{"result":"OK","settings":{"auto_restore":1,"rotation":5}}`)
	set, err := c.VM.UpdateRestoreSettings(ctx, 12346, RestoreSettings{AutoRestore: true, Rotation: 5})
	require.NoError(t, err)
	assert.Equal(t, &RestoreSettings{AutoRestore: true, Rotation: 5}, set)
	assert.Equal(t, url.Values{"action": {"update_restore_settings"}, "id": {"12346"}, "auto_restore": {"1"}, "rotation": {"5"}},
		m.lastForm("vm", "update_restore_settings"))

	m.on("vm", "load_stats", `{"result":"OK","id":12346,"stats":{"cpu":"12.5","ram_used":1536,"ram_total":"4096"}}`)
	st, err := c.VM.LoadStats(ctx, 12346)
	require.NoError(t, err)
	assert.Equal(t, 12.5, st.CPU)
	assert.Equal(t, int64(4096), st.RAMTotal)

	_, err = c.VM.RestoreSnapshot(ctx, 12346, " ")
	assertField(t, err, "name")
	_, err = c.VM.RemoveSnapshot(ctx, 0, "x")
	assertField(t, err, "id")
	assert.Zero(t, m.count("vm", "restore_snapshot")+m.count("vm", "remove_snapshot"))
}

func TestRHR(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	ctx := context.Background()
	ticket := `{"result":"OK","ticket":{"id":"CS-504413","type":"request_check","server_id":"12345","status":"Open","subject":"Check","messages":"cable loose?","url":"https://my.hostkey.com/servicedesk/customer/portal/1/CS-504413"}}`
	m.on("rhr", "add", ticket)
	r, err := c.RHR.Add(ctx, &RHRAddRequest{ID: 12345, RequestType: "request_check", Comment: "cable loose?"})
	require.NoError(t, err)
	assert.Equal(t, &RemoteHandsRequest{ID: "CS-504413", Type: "request_check", ServerID: 12345, Status: "Open", Subject: "Check",
		Messages: []string{"cable loose?"}, URL: "https://my.hostkey.com/servicedesk/customer/portal/1/CS-504413"}, r)
	assert.Equal(t, url.Values{"action": {"add"}, "id": {"12345"}, "request_type": {"request_check"}, "comment": {"cable loose?"}}, m.lastForm("rhr", "add"))

	m.on("rhr", "chat", ticket)
	_, err = c.RHR.Chat(ctx, "CS-504413", "any news?")
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"chat"}, "id": {"CS-504413"}, "message": {"any news?"}}, m.lastForm("rhr", "chat"), "the request's id as id (mcp)")
	m.on("rhr", "discard", ticket)
	_, err = c.RHR.Discard(ctx, "CS-504413", true)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"discard"}, "id": {"CS-504413"}, "status": {"closed"}}, m.lastForm("rhr", "discard"))
	_, err = c.RHR.Discard(ctx, "CS-504413", false)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"discard"}, "id": {"CS-504413"}}, m.lastForm("rhr", "discard"), "id only, as mcp sends it")
	m.on("rhr", "list", `{"result":"OK","tickets":[]}`)
	list, err := c.RHR.List(ctx, &RHRListRequest{Location: "NL", Status: "Open"})
	require.NoError(t, err)
	assert.Empty(t, list)
	assert.Equal(t, url.Values{"action": {"list"}, "location": {"NL"}, "status": {"Open"}}, m.lastForm("rhr", "list"))

	_, err = c.RHR.Chat(ctx, "CS-1", " ")
	assertField(t, err, "message")
	_, err = c.RHR.Add(ctx, &RHRAddRequest{ID: 12345})
	assertField(t, err, "comment")
	_, err = c.RHR.Chat(ctx, " ", "hello")
	assertField(t, err, "id")
}

func TestS3(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	ctx := context.Background()
	m.on("s3", "list_plans", `{"result":"OK","plans":[{"id":1,"name":"S3 250 GB","size_gb":"250","location":"NL","price":{"EUR":"5.00"}}]}`)
	plans, err := c.S3.ListPlans(ctx, &S3LocationRequest{Location: "NL"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"list_plans"}, "location": {"NL"}}, m.lastForm("s3", "list_plans"))
	require.Len(t, plans, 1)
	eur, _ := plans[0].Price.In("EUR")
	assert.Equal(t, "5.00", eur.String())

	m.on("s3", "create_order", `{"result":"OK","account":{"id":"9","plan_id":1,"s3uid":"s3u9","status":"Active","access_key":"AKIA1"},"invoice":"50007"}`)
	o, err := c.S3.CreateOrder(ctx, &S3OrderRequest{PlanID: 1, Location: "NL"})
	require.NoError(t, err)
	assert.Equal(t, 9, o.Account.ID)
	assert.Equal(t, 50007, o.Invoice)
	assert.Equal(t, url.Values{"action": {"create_order"}, "plan_id": {"1"}, "location": {"NL"}}, m.lastForm("s3", "create_order"))
	m.on("s3", "create_account", `{"result":"OK","account":{"id":"10"},"invoice":"50008"}`)
	_, err = c.S3.CreateAccount(ctx, &S3OrderRequest{PlanID: 1, Location: "NL", Bucket: "backups-1"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"create_account"}, "plan_id": {"1"}, "location": {"NL"}, "bucket": {"backups-1"}}, m.lastForm("s3", "create_account"))

	m.on("s3", "show_key", `{"result":"OK","access_key":"AKIA1","secret_key":"s3-secret-value-123"}`)
	keys, err := c.S3.ShowKey(ctx, 9, false)
	require.NoError(t, err)
	// key_type, as mcp sends it (not type).
	assert.Equal(t, url.Values{"action": {"show_key"}, "account_id": {"9"}, "key_type": {"secret_key"}}, m.lastForm("s3", "show_key"))
	assert.Equal(t, "s3-secret-value-123", keys.SecretKey.Reveal())
	assert.Equal(t, "AKIA1", keys.AccessKey)
	m.on("s3", "show_key", `{"result":"OK","key":"AKIA2"}`)
	keys, err = c.S3.ShowKey(ctx, 9, true)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"show_key"}, "account_id": {"9"}, "key_type": {"access_key"}}, m.lastForm("s3", "show_key"))
	assert.Equal(t, "AKIA2", keys.AccessKey, "a bare key is the one asked for")
	assert.True(t, keys.SecretKey.IsZero())
	for _, f := range []string{"%v", "%+v", "%#v"} {
		assert.NotContains(t, fmt.Sprintf(f, keys), "s3-secret-value-123")
	}

	m.on("s3", "get_buckets_rmq", `{"result":"OK","buckets":{"name":"backups-1","size":"1024","objects":2},"quota_gb":250,"credentials":{"access_key":"AKIA1","endpoint":"https://s3.hostkey.com"}}`)
	b, err := c.S3.GetBucketsRMQ(ctx, 9)
	require.NoError(t, err)
	assert.Equal(t, []S3Bucket{{Name: "backups-1", Size: 1024, Objects: 2}}, b.Buckets)
	assert.Equal(t, "https://s3.hostkey.com", b.Credentials.Endpoint)
	assert.Equal(t, url.Values{"action": {"get_buckets_rmq"}, "account_id": {"9"}}, m.lastForm("s3", "get_buckets_rmq"))
	_, err = c.S3.GetBucketsRMQ(ctx, 0) // account_id is optional in mcp
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"get_buckets_rmq"}}, m.lastForm("s3", "get_buckets_rmq"))

	m.on("s3", "get_files", `{"result":"OK","files":[{"key":"a.txt","size":42}],"page":"1","total":"1"}`)
	files, err := c.S3.GetFiles(ctx, &S3FilesRequest{AccountID: 9, Bucket: "backups-1", Search: "a", Page: 1, Limit: 50})
	require.NoError(t, err)
	// search and limit, as mcp sends them (not prefix).
	assert.Equal(t, url.Values{"action": {"get_files"}, "account_id": {"9"}, "bucket": {"backups-1"}, "search": {"a"}, "page": {"1"}, "limit": {"50"}},
		m.lastForm("s3", "get_files"))
	assert.Equal(t, &S3Files{Files: []S3File{{Key: "a.txt", Size: 42}}, Page: 1, Total: 1}, files)
	m.on("s3", "delete_file", `{"result":"OK"}`)
	require.NoError(t, c.S3.DeleteFile(ctx, &S3BucketRequest{AccountID: 9, Bucket: "backups-1"}, "a.txt"))
	assert.Equal(t, url.Values{"action": {"delete_file"}, "account_id": {"9"}, "bucket": {"backups-1"}, "file": {"a.txt"}}, m.lastForm("s3", "delete_file"))

	err = c.S3.CreateBucket(ctx, &S3BucketRequest{AccountID: 9, Bucket: "Bad_Name"})
	assertField(t, err, "bucket")
	_, err = c.S3.CreateAccount(ctx, &S3OrderRequest{})
	assertField(t, err, "plan_id")
	_, err = c.S3.CreateAccount(ctx, &S3OrderRequest{PlanID: 1, Location: "N L"})
	assertField(t, err, "location")
	_, err = c.S3.GetFiles(ctx, &S3FilesRequest{AccountID: 9, Bucket: "backups-1", Limit: -1})
	assertField(t, err, "limit")
	_, err = c.S3.GetBuckets(ctx, -1)
	assertField(t, err, "account_id")
	assert.Zero(t, m.count("s3", "create_bucket"))
	assert.Equal(t, 1, m.count("s3", "create_account"))
}

func TestAuthAccountActions(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	ctx := context.Background()
	m.on("auth", "billing_list", `{"result":"OK","billing":[{"id":1,"name":"HOSTKEY B.V.","location":"NL","currency":"EUR","current":"1"}]}`)
	bl, err := c.Auth.BillingList(ctx)
	require.NoError(t, err)
	assert.Equal(t, []BillingEntity{{ID: 1, Name: "HOSTKEY B.V.", Location: "NL", Currency: "EUR", Current: true}}, bl)

	m.on("auth", "flip_tag", `{"result":"OK","tag":"newsletter","state":"1"}`)
	on, err := c.Auth.FlipTag(ctx, "newsletter")
	require.NoError(t, err)
	assert.True(t, on)
	m.on("auth", "set_tag", `{"result":"OK","tags":{"auto_credit":"1"}}`)
	tags, err := c.Auth.SetTag(ctx, "auto_credit", "1")
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"auto_credit": "1"}, tags)
	assert.Equal(t, url.Values{"action": {"set_tag"}, "tag": {"auto_credit"}, "value": {"1"}}, m.lastForm("auth", "set_tag"))

	m.on("auth", "get_log", `{"result":"OK","log":[{"id":1,"method":"login","ip":"198.51.100.7","success":1,"date":"2026-11-24 08:00:00"}]}`)
	log, err := c.Auth.GetLog(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, []LoginEvent{{ID: 1, Method: "login", IP: "198.51.100.7", Success: true, Date: "2026-11-24 08:00:00"}}, log)

	m.on("auth", "github_init", `{"result":"OK","client_id":"Iv1.x","redirect_uri":"https://invapi.hostkey.com/auth.php?action=github_signin","state":"st"}`)
	gi, err := c.Auth.GithubInit(ctx)
	require.NoError(t, err)
	assert.Equal(t, "Iv1.x", gi.ClientID)
	assert.Empty(t, m.calls("auth", "github_init")[0].Form.Get("token"), "no session needed")

	m.on("auth", "tg_verify", `{"result":"OK","username":"ops","link":"https://t.me/hostkey_notify_bot?start=x"}`)
	tg, err := c.Auth.TgVerify(ctx, "@ops")
	require.NoError(t, err)
	assert.Equal(t, "ops", m.lastForm("auth", "tg_verify").Get("username"))
	assert.Contains(t, tg.Link, "t.me")

	m.on("auth", "session_reset", `{"code":-1,"message":"Invalid reset token rst-0123456789"}`)
	err = c.Auth.SessionReset(ctx, "rst-0123456789")
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "rst-0123456789")

	_, err = c.Auth.EmailCheck(ctx, "nope", "")
	assertField(t, err, "email")
	assertField(t, c.Auth.GoogleSignin(ctx, ""), "id_token")
}

// assertField checks err is a *ValidationError naming field.
func assertField(t *testing.T, err error, field string) {
	t.Helper()
	var ve *ValidationError
	if assert.ErrorAs(t, err, &ve) {
		assert.Equal(t, field, ve.Field)
	}
}
