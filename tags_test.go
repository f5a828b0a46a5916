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

func TestTagsAdd(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("tags", "add", fixture(t, "tags/add.json"))
	res, err := c.Tags.Add(context.Background(), &TagAddRequest{ID: 101, Tag: "hostname", Value: "my_server", ExtraValue: "note"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"add"}, "id": {"101"}, "tag": {"hostname"}, "value": {"my_server"}, "extra": {"note"}},
		m.lastForm("tags", "add"))
	assert.Equal(t, 12345, res.ID)
	assert.Equal(t, "eq", res.Component)
	assert.Equal(t, 101, res.ComponentID)
	assert.Equal(t, "hostname", res.Name)
	assert.Equal(t, "my_server", res.Value)
	assert.Equal(t, "", res.Extra)
	assert.Contains(t, string(res.Raw()), `"component_id": 101`)
}

func TestTagsAddIDList(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("tags", "add", `{"result":"OK","action":"add"}`)
	_, err := c.Tags.Add(context.Background(), &TagAddRequest{IDList: []int{101, 102, 103}, Tag: "env", Value: ""})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"add"}, "id_list": {"101,102,103"}, "tag": {"env"}, "value": {""}},
		m.lastForm("tags", "add"))
}

func TestTagsAddAPIError(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("tags", "add", fixture(t, "tags/add_error_too_long.json"))
	_, err := c.Tags.Add(context.Background(), &TagAddRequest{ID: 101, Tag: "hostname", Value: "x"})
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "-1", apiErr.Code)
	assert.Equal(t, "tag/add: invalid token data, too long", apiErr.Message)
	assert.NotErrorIs(t, err, ErrInvalidInput)
}

// The vendor's documented error for a too-long tag contains "invalid token":
// it must not be read as an expired session, which would resend the add.
func TestTagsAddTooLongIsNotAuthError(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("tags", "add", fixture(t, "tags/add_error_too_long.json"))
	_, err := c.Tags.Add(context.Background(), &TagAddRequest{ID: 101, Tag: "hostname", Value: "x"})
	require.Error(t, err)
	assert.Equal(t, 1, m.count("tags", "add"), "a refused change is sent once")
	assert.Equal(t, 1, m.count("auth", "login"), "no re-login")
	assert.NotErrorIs(t, err, ErrUnauthorized)
}

func TestTagsRemove(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("tags", "remove", `{"result":"OK","action":"remove"}`)
	require.NoError(t, c.Tags.Remove(context.Background(), &TagRemoveRequest{ID: 101, Tag: "hostname"}))
	assert.Equal(t, url.Values{"action": {"remove"}, "id": {"101"}, "tag": {"hostname"}, "component": {"eq"}, "component_id": {"101"}},
		m.lastForm("tags", "remove"), "component=eq and component_id, as HOSTKEY's Terraform provider sends them")

	require.NoError(t, c.Tags.Remove(context.Background(), &TagRemoveRequest{IDList: []int{7, 8}, Tag: "env"}))
	assert.Equal(t, url.Values{"action": {"remove"}, "id_list": {"7,8"}, "tag": {"env"}}, m.lastForm("tags", "remove"))
}

func TestTagsList(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("tags", "list", fixture(t, "tags/list.json"))
	tags, err := c.Tags.List(context.Background(), 101)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"list"}, "id": {"101"}}, m.lastForm("tags", "list"))
	assert.Equal(t, []Tag{
		{ID: 88121, Component: "eq", ComponentID: 101, Name: "hostname", Value: "web-1.example.com"},
		{ID: 88122, Component: "eq", ComponentID: 101, Name: "billing_id", Value: "A-77", Extra: "since 2024"},
	}, tags)
}

func TestTagsListShapes(t *testing.T) {
	t.Parallel()
	for name, body := range map[string]string{
		"under result": `{"result":[{"tag":"hostname","value":"a"}]}`,
		"bare array":   `[{"tag":"hostname","value":"a"}]`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, m := newTestClient(t)
			m.on("tags", "list", body)
			tags, err := c.Tags.List(context.Background(), 5)
			require.NoError(t, err)
			assert.Equal(t, []Tag{{Name: "hostname", Value: "a"}}, tags)
		})
	}
}

func TestTagsUserSearch(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("tags", "user_search", fixture(t, "tags/user_search.json"))
	ids, err := c.Tags.UserSearch(context.Background(), "web-")
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"user_search"}, "value": {"web-"}}, m.lastForm("tags", "user_search"))
	assert.Equal(t, []int{101, 20455, 30777}, ids)
}

func TestTagsValidation(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	ctx := context.Background()
	cases := []struct {
		name  string
		call  func() error
		field string
	}{
		{"add empty tag", func() error { _, err := c.Tags.Add(ctx, &TagAddRequest{ID: 1, Tag: " "}); return err }, "tag"},
		{"add tag with space", func() error { _, err := c.Tags.Add(ctx, &TagAddRequest{ID: 1, Tag: "a b"}); return err }, "tag"},
		{"add tag too long", func() error {
			_, err := c.Tags.Add(ctx, &TagAddRequest{ID: 1, Tag: strings.Repeat("t", 33)})
			return err
		}, "tag"},
		{"add value too long", func() error {
			_, err := c.Tags.Add(ctx, &TagAddRequest{ID: 1, Tag: "t", Value: strings.Repeat("v", 257)})
			return err
		}, "value"},
		{"add no target", func() error { _, err := c.Tags.Add(ctx, &TagAddRequest{Tag: "t"}); return err }, "id"},
		{"add negative id", func() error { _, err := c.Tags.Add(ctx, &TagAddRequest{ID: -1, Tag: "t"}); return err }, "id"},
		{"add id and list", func() error {
			_, err := c.Tags.Add(ctx, &TagAddRequest{ID: 1, IDList: []int{2}, Tag: "t"})
			return err
		}, "id_list"},
		{"add bad list id", func() error { _, err := c.Tags.Add(ctx, &TagAddRequest{IDList: []int{2, 0}, Tag: "t"}); return err }, "id_list"},
		{"add nil", func() error { _, err := c.Tags.Add(ctx, nil); return err }, "tag"},
		{"remove empty tag", func() error { return c.Tags.Remove(ctx, &TagRemoveRequest{ID: 1}) }, "tag"},
		{"remove no id", func() error { return c.Tags.Remove(ctx, &TagRemoveRequest{Tag: "t"}) }, "id"},
		{"list id 0", func() error { _, err := c.Tags.List(ctx, 0); return err }, "id"},
		{"search empty", func() error { _, err := c.Tags.UserSearch(ctx, "  "); return err }, "value"},
	}
	for _, tc := range cases {
		err := tc.call()
		var verr *ValidationError
		require.True(t, errors.As(err, &verr), "%s: %v", tc.name, err)
		assert.Equal(t, tc.field, verr.Field, tc.name)
		assert.ErrorIs(t, err, ErrInvalidInput, tc.name)
	}
	for _, action := range []string{"add", "remove", "list", "user_search"} {
		assert.Equal(t, 0, m.count("tags", action), action)
	}
}
