package invapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const newKeyValue = "hk_live_Zx9vQ2mN8rT4wY6uB1cE3gH5jK7"

func TestAPIKeysAdd(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	m.on("api_keys", "add", fixture(t, "api_keys/add.json"))
	active := true
	got, err := c.APIKeys.Add(context.Background(), &APIKeyAddRequest{Params: APIKeyParams{
		Name: "ci-deploy", ServerID: 12345, IPACL: []string{"203.0.113.10", "198.51.100.0/24"}, Active: &active,
		LoginNotifyMethod: NotifyEmail, LoginNotifyAddress: "ops@example.com", Expires: "2025-01-31"}})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"add"}, "params[name]": {"ci-deploy"}, "params[server_id]": {"12345"},
		"params[ip]": {"203.0.113.10,198.51.100.0/24"}, "params[active]": {"1"}, "params[login_notify_method]": {"email"},
		"params[login_notify_address]": {"ops@example.com"}, "params[expires]": {"2025-01-31"}}, m.lastForm("api_keys", "add"))
	assert.Equal(t, APIKey{ID: 7, Name: "ci-deploy", ServerID: 12345, Hash: "5e884898da28047151d0e56f8dc62927",
		IP: "203.0.113.10,198.51.100.0/24", Active: true, LoginNotifyMethod: "email", LoginNotifyAddress: "ops@example.com",
		Created: "2024-06-01 10:00:00", Expires: "2025-01-31"}, got.APIKey)
	assert.Equal(t, newKeyValue, got.Key.Reveal())
	assert.False(t, got.Key.IsZero())

	// The key never shows when the result is printed, marshalled or logged.
	for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%10.3s"} {
		assert.NotContains(t, fmt.Sprintf(format, got), newKeyValue, format)
		assert.NotContains(t, fmt.Sprintf(format, *got), newKeyValue, format)
		assert.NotContains(t, fmt.Sprintf(format, got.Key), newKeyValue, format)
	}
	assert.Equal(t, "[REDACTED]", got.Key.String())
	assert.Equal(t, "[REDACTED]", fmt.Sprint(got.Key))
	js, err := json.Marshal(got)
	require.NoError(t, err)
	assert.NotContains(t, string(js), newKeyValue)
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("made", "key", got.Key, "result", got)
	slog.New(slog.NewTextHandler(&logs, nil)).Info("made", "key", got.Key, "result", got)
	assert.NotContains(t, logs.String(), newKeyValue)
}

func TestAPIKeysAddMasksKeyAfterwards(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	m.on("api_keys", "add", `{"result":"OK","api_key":{"id":8,"name":"k"},"key":"`+newKeyValue+`"}`)
	got, err := c.APIKeys.Add(context.Background(), &APIKeyAddRequest{Params: APIKeyParams{Name: "k"}})
	require.NoError(t, err)
	assert.Equal(t, 8, got.ID)
	assert.Equal(t, newKeyValue, got.Key.Reveal())
	assert.Equal(t, url.Values{"action": {"add"}, "params[name]": {"k"}}, m.lastForm("api_keys", "add"))

	// An error that echoes the key later is masked.
	m.on("api_keys", "view", `{"result":"error","message":"key `+newKeyValue+` is disabled"}`)
	_, err = c.APIKeys.View(context.Background(), 8)
	require.Error(t, err)
	assert.NotContains(t, fmt.Sprintf("%+v", err), newKeyValue)

	// An answer without a key is an error, not an empty secret.
	m.on("api_keys", "add", `{"result":"OK","api_key":{"id":9,"name":"k"}}`)
	_, err = c.APIKeys.Add(context.Background(), &APIKeyAddRequest{Params: APIKeyParams{Name: "k"}})
	assert.ErrorIs(t, err, ErrBadResponse)
}

func TestAPIKeysAddValidation(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	for _, tc := range []struct {
		req   *APIKeyAddRequest
		field string
	}{
		{nil, "params[name]"},
		{&APIKeyAddRequest{}, "params[name]"},
		{&APIKeyAddRequest{Params: APIKeyParams{Name: "k", ServerID: -1}}, "params[server_id]"},
		{&APIKeyAddRequest{Params: APIKeyParams{Name: "k", IPACL: []string{"10.0.0.300"}}}, "params[ip]"},
		{&APIKeyAddRequest{Params: APIKeyParams{Name: "k", LoginNotifyMethod: "sms"}}, "params[login_notify_method]"},
		{&APIKeyAddRequest{Params: APIKeyParams{Name: "k", LoginNotifyMethod: NotifyEmail, LoginNotifyAddress: "nope"}}, "params[login_notify_address]"},
		{&APIKeyAddRequest{Params: APIKeyParams{Name: "k", LoginNotifyMethod: NotifyWebhook, LoginNotifyAddress: "ftp://x"}}, "params[login_notify_address]"},
		{&APIKeyAddRequest{Params: APIKeyParams{Name: "k", LoginNotifyAddress: "a@example.com"}}, "params[login_notify_method]"},
		{&APIKeyAddRequest{Params: APIKeyParams{Name: "k", Expires: "31.01.2025"}}, "params[expires]"},
	} {
		_, err := c.APIKeys.Add(context.Background(), tc.req)
		assertInvalid(t, err, tc.field)
	}
	assert.Equal(t, 0, m.count("api_keys", "add"))
}

func TestAPIKeysEdit(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	m.on("api_keys", "edit", fixture(t, "api_keys/edit.json"))
	off := false
	got, err := c.APIKeys.Edit(context.Background(), &APIKeyEditRequest{ID: 7, Params: APIKeyParams{Name: "ci-deploy-2", Active: &off, LoginNotifyMethod: NotifyNone}})
	require.NoError(t, err)
	// The key's id nested as params[id], as mcp sends it.
	assert.Equal(t, url.Values{"action": {"edit"}, "params[id]": {"7"}, "params[name]": {"ci-deploy-2"}, "params[active]": {"0"}, "params[login_notify_method]": {"none"}},
		m.lastForm("api_keys", "edit"))
	assert.Equal(t, &APIKey{ID: 7, Name: "ci-deploy-2", ServerID: 12345, Hash: "5e884898da28047151d0e56f8dc62927", LoginNotifyMethod: "none",
		Created: "2024-06-01 10:00:00"}, got)

	for _, tc := range []struct {
		req   *APIKeyEditRequest
		field string
	}{
		{nil, "params[id]"},
		{&APIKeyEditRequest{Params: APIKeyParams{Name: "x"}}, "params[id]"},
		{&APIKeyEditRequest{ID: 7}, "params"},
		{&APIKeyEditRequest{ID: 7, Params: APIKeyParams{ServerID: 1}}, "params[server_id]"},
		{&APIKeyEditRequest{ID: 7, Params: APIKeyParams{IPACL: []string{"example.com"}}}, "params[ip]"},
	} {
		_, err := c.APIKeys.Edit(context.Background(), tc.req)
		assertInvalid(t, err, tc.field)
	}
	assert.Equal(t, 1, m.count("api_keys", "edit"))
}

func TestAPIKeysDeleteViewList(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	ctx := context.Background()
	m.on("api_keys", "delete", fixture(t, "api_keys/delete.json"))
	m.on("api_keys", "view", fixture(t, "api_keys/view.json"))
	m.on("api_keys", "list", fixture(t, "api_keys/list.json"))
	m.on("api_keys", "list_for_server", fixture(t, "api_keys/list.json"))
	m.on("api_keys", "history", fixture(t, "api_keys/history.json"))

	require.NoError(t, c.APIKeys.Delete(ctx, 7))
	assert.Equal(t, url.Values{"action": {"delete"}, "params[id]": {"7"}}, m.lastForm("api_keys", "delete"))

	v, err := c.APIKeys.View(ctx, 7)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"view"}, "params[id]": {"7"}}, m.lastForm("api_keys", "view"))
	assert.Equal(t, &APIKey{ID: 7, Name: "ci-deploy", Hash: "5e884898da28047151d0e56f8dc62927", IP: "203.0.113.10", Active: true,
		LoginNotifyMethod: "webhook", LoginNotifyAddress: "https://hooks.example.com/invapi", Created: "2024-06-01 10:00:00"}, v)

	list, err := c.APIKeys.List(ctx)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"list"}}, m.lastForm("api_keys", "list"))
	require.Len(t, list, 2)
	assert.Equal(t, APIKey{ID: 1, Name: "account", Hash: "1b4f0e9851971998e732078544c96b36", Active: true, LoginNotifyMethod: "none",
		Created: "2024-01-15 09:00:00"}, list[0])
	assert.Equal(t, 12345, list[1].ServerID)
	assert.False(t, list[1].Active)
	assert.Equal(t, "2025-01-31", list[1].Expires)

	_, err = c.APIKeys.ListForServer(ctx, 12345)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"list_for_server"}, "params[server_id]": {"12345"}}, m.lastForm("api_keys", "list_for_server"))

	h, err := c.APIKeys.History(ctx, &APIKeyHistoryRequest{ID: 7, PeriodFrom: "2024-06-01", PeriodTo: "2024-06-30 23:59:59"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"history"}, "params[id]": {"7"}, "params[period_from]": {"2024-06-01"},
		"params[period_to]": {"2024-06-30 23:59:59"}}, m.lastForm("api_keys", "history"))
	assert.Equal(t, []APIKeyEvent{
		{ID: 1, KeyID: 7, CustomerID: 1001, Action: "create", Date: "2024-06-01 10:00:00"},
		{ID: 2, KeyID: 7, CustomerID: 1001, Action: "login", Date: "2024-06-02 08:30:00", IP: "203.0.113.10", Email: "user@example.com", Success: true},
	}, h)
	_, err = c.APIKeys.History(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"history"}}, m.lastForm("api_keys", "history"))

	assertInvalid(t, c.APIKeys.Delete(ctx, 0), "params[id]")
	_, err = c.APIKeys.View(ctx, -1)
	assertInvalid(t, err, "params[id]")
	_, err = c.APIKeys.ListForServer(ctx, 0)
	assertInvalid(t, err, "params[server_id]")
	_, err = c.APIKeys.History(ctx, &APIKeyHistoryRequest{ID: -1})
	assertInvalid(t, err, "params[id]")
	_, err = c.APIKeys.History(ctx, &APIKeyHistoryRequest{PeriodTo: "30.06.2024"})
	assertInvalid(t, err, "params[period_to]")
	for _, a := range []string{"delete", "view", "list_for_server"} {
		assert.Equal(t, 1, m.count("api_keys", a), a)
	}
	assert.Equal(t, 2, m.count("api_keys", "history"))
	assert.False(t, strings.Contains(fmt.Sprint(list), newKeyValue))
}

func TestAPIKeysEvidencedShapes(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	ctx := context.Background()
	// whmcs addApiKey: the key at data.api_key.
	m.on("api_keys", "add", fixture(t, "evidence/api_keys/add.whmcs.json"))
	got, err := c.APIKeys.Add(ctx, &APIKeyAddRequest{Params: APIKeyParams{Name: "reseller [12345.70100]", ServerID: 12345,
		LoginNotifyMethod: NotifyNone, LoginNotifyAddress: "owner@example.com"}})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"add"}, "params[name]": {"reseller [12345.70100]"}, "params[server_id]": {"12345"},
		"params[login_notify_method]": {"none"}, "params[login_notify_address]": {"owner@example.com"}}, m.lastForm("api_keys", "add"))
	assert.Equal(t, newKeyValue, got.Key.Reveal())
	assert.Equal(t, 21, got.ID)
	assert.Equal(t, "reseller [12345.70100]", got.Name)

	// whmcs getApiKeyList: data[].
	m.on("api_keys", "list_for_server", fixture(t, "evidence/api_keys/list_for_server.whmcs.json"))
	list, err := c.APIKeys.ListForServer(ctx, 12345)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"list_for_server"}, "params[server_id]": {"12345"}}, m.lastForm("api_keys", "list_for_server"))
	assert.Equal(t, []APIKey{{ID: 21, Name: "reseller [12345.70100]", ServerID: 12345, Active: true, LoginNotifyMethod: NotifyNone,
		LoginNotifyAddress: "owner@example.com", Created: "2024-06-01 10:00:00"}}, list)
	assert.NotContains(t, fmt.Sprint(list), newKeyValue)
}
