package invapi

import (
	"context"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
