package invapi

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEqAddIPMIUserSync(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "add_ipmi_user", fixture(t, "eq/add_ipmi_user.json"))
	u, err := c.Eq.AddIPMIUser(context.Background(), &AddIPMIUserRequest{ID: 12345})
	require.NoError(t, err)
	assert.Equal(t, eqForm("add_ipmi_user", "id", "12345"), m.lastForm("eq", "add_ipmi_user"))
	assert.Equal(t, "u1a2b3c", u.User)
	assert.Equal(t, "Ab1Cd2Ef3Gh4Ij5K", u.Password)
	assert.Nil(t, u.Operation, "the newer reference answers with the login at once")
	for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		assert.NotContains(t, fmt.Sprintf(format, u), "Ab1Cd2Ef3Gh4Ij5K", format)
		assert.NotContains(t, fmt.Sprintf(format, *u), "Ab1Cd2Ef3Gh4Ij5K", format)
	}
	assert.Contains(t, u.String(), "u1a2b3c")
	assert.Contains(t, u.GoString(), "invapi.IPMIUser{")

	// An error echoing the new password later is masked: the SDK remembers it.
	m.on("eq", "remove_ipmi_user", `{"code":-1,"message":"Remove IPMI user request failed: Ab1Cd2Ef3Gh4Ij5K"}`)
	_, err = c.Eq.RemoveIPMIUser(context.Background(), &RemoveIPMIUserRequest{ID: 12345, Username: "u1a2b3c"})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "Ab1Cd2Ef3Gh4Ij5K")
}

func TestEqAddIPMIUserAdminAndAsync(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "add_ipmi_user", fixture(t, "eq/add_ipmi_user_async.json"))
	u, err := c.Eq.AddIPMIUser(context.Background(), &AddIPMIUserRequest{ID: 12345, AdminUser: "admin", AdminPass: "s3cret-Pass"})
	require.NoError(t, err)
	assert.Equal(t, eqForm("add_ipmi_user", "id", "12345", "admin_user", "admin", "admin_pass", "s3cret-Pass"), m.lastForm("eq", "add_ipmi_user"))
	require.NotNil(t, u.Operation, "the older reference calls it async")
	assert.Equal(t, "1f2e3d4c5b6a79880706f5e4d3c2b1a0", u.Operation.Key())
	assert.Equal(t, "", u.User)

	for field, req := range map[string]*AddIPMIUserRequest{"id": {}, "admin_user": {ID: 1, AdminPass: "s3cret-Pass"}} {
		_, err := c.Eq.AddIPMIUser(context.Background(), req)
		var ve *ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, field, ve.Field)
		assertErrorHidesSecrets(t, err)
	}
	assert.Equal(t, 1, m.count("eq", "add_ipmi_user"))
}

func TestEqAddIPMIAdmin(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "add_ipmi_admin", `{"result":"OK","action":"add_ipmi_admin","user":"adm7f3","password":"s3cret-Pass","role":"administrator","ip":"10.20.30.40"}`)
	u, err := c.Eq.AddIPMIAdmin(context.Background(), &AddIPMIAdminRequest{ID: 12345})
	require.NoError(t, err)
	assert.Equal(t, eqForm("add_ipmi_admin", "id", "12345"), m.lastForm("eq", "add_ipmi_admin"))
	assert.Equal(t, "adm7f3", u.User)
	assert.Equal(t, "s3cret-Pass", u.Password)
	assert.Equal(t, "administrator", u.Role)
	assert.Equal(t, "10.20.30.40", u.IP)
	assertNoSecrets(t, "IPMIUser", fmt.Sprintf("%+v", u))
}

func TestEqRemoveIPMIUser(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "remove_ipmi_user", fixture(t, "eq/remove_ipmi_user.json"))
	op, err := c.Eq.RemoveIPMIUser(context.Background(), &RemoveIPMIUserRequest{ID: 12345, Username: "u1a2b3c"})
	require.NoError(t, err)
	assert.Equal(t, eqForm("remove_ipmi_user", "id", "12345", "username", "u1a2b3c"), m.lastForm("eq", "remove_ipmi_user"))
	assert.Equal(t, "7bc29eb23fb1b879b21fce509597f07c", op.Key())
	// id only (as HOSTKEY's MCP server sends it): TestEqRemoveIPMIUserIDOnly.
}

func TestEqGetIPMI(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "get_ipmi", `{"result":"OK","ipmi":[{"ip":"10.20.30.40","model":"Supermicro","mac":"0c:c4:7a:00:11:23"},{"IP":"10.20.30.41","model":"Supermicro"}]}`)
	got, err := c.Eq.GetIPMI(context.Background(), &GetIPMIRequest{ID: 12345})
	require.NoError(t, err)
	assert.Equal(t, eqForm("get_ipmi", "id", "12345"), m.lastForm("eq", "get_ipmi"))
	assert.Equal(t, []IPMIInterface{{IP: "10.20.30.40", MAC: "0c:c4:7a:00:11:23", Model: "Supermicro"}, {IP: "10.20.30.41", Model: "Supermicro"}}, got)
}

func TestEqNoVNC(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "novnc", fixture(t, "eq/novnc.json"))
	op, err := c.Eq.NoVNC(context.Background(), &NoVNCRequest{ID: 12345, WhiteIP: "198.51.100.7"})
	require.NoError(t, err)
	assert.Equal(t, eqForm("novnc", "id", "12345", "white_ip", "198.51.100.7"), m.lastForm("eq", "novnc"))
	assert.Equal(t, "7bc29eb23fb1b879b21fce509597f07c", op.Key())
	_, err = c.Eq.NoVNC(context.Background(), &NoVNCRequest{ID: 12345, WhiteIP: "everyone"})
	assertEqInvalid(t, m, "novnc-none", "white_ip", err)
	assert.Equal(t, 1, m.count("eq", "novnc"))
}
