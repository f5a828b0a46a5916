package invapi

import (
	"context"
	"fmt"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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

func TestS3NewActions(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	ctx := context.Background()
	m.on("s3", "get_available_locations", `{"result":"OK","locations":[{"location":"NL","name":"Amsterdam"},"US"]}`)
	locs, err := c.S3.GetAvailableLocations(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"get_available_locations"}}, m.lastForm("s3", "get_available_locations"))
	assert.Equal(t, []S3Location{{Code: "NL", Name: "Amsterdam"}, {Code: "US"}}, locs)
	m.on("s3", "get_available_locations", `{"result":"OK","data":["NL"]}`)
	locs, err = c.S3.GetAvailableLocations(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, []S3Location{{Code: "NL"}}, locs)

	m.on("s3", "update_traffic_info", `{"result":"OK"}`)
	require.NoError(t, c.S3.UpdateTrafficInfo(ctx, 9))
	assert.Equal(t, url.Values{"action": {"update_traffic_info"}, "account_id": {"9"}}, m.lastForm("s3", "update_traffic_info"))
	assertInvalid(t, c.S3.UpdateTrafficInfo(ctx, 0), "account_id")
	_, err = c.S3.ListPlans(ctx, &S3LocationRequest{Location: "N-L"})
	assertInvalid(t, err, "location")
	assert.Equal(t, 1, m.count("s3", "update_traffic_info"))
	assert.Equal(t, 0, m.count("s3", "list_plans"))
}
