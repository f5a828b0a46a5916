package invapi

import (
	"context"
	"fmt"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWHMCSContacts(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	ctx := context.Background()
	m.on("whmcs", "add_contact", fixture(t, "whmcs/add_contact.json"))
	m.on("whmcs", "get_contacts", fixture(t, "whmcs/get_contacts.json"))
	m.on("whmcs", "update_contact", fixture(t, "whmcs/update_contact.json"))
	m.on("whmcs", "delete_contact", fixture(t, "whmcs/delete_contact.json"))

	added, err := c.WHMCS.AddContact(ctx, &AddContactRequest{FirstName: "Ann", LastName: "Admin", Email: "ann@example.com",
		PhoneNumber: "+31.200000001", Type: "billing"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"add_contact"}, "firstname": {"Ann"}, "lastname": {"Admin"}, "email": {"ann@example.com"},
		"phonenumber": {"+31.200000001"}, "type": {"billing"}}, m.lastForm("whmcs", "add_contact"))
	assert.Equal(t, 501, added.ContactID)

	// No type: the API creates a random contact.
	_, err = c.WHMCS.AddContact(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"add_contact"}}, m.lastForm("whmcs", "add_contact"))

	list, err := c.WHMCS.GetContacts(ctx, &GetContactsRequest{Email: "sub@example.com"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"get_contacts"}, "email": {"sub@example.com"}}, m.lastForm("whmcs", "get_contacts"))
	assert.Equal(t, []Contact{
		{ID: 501, FirstName: "Ann", LastName: "Admin", Email: "ann@example.com", PhoneNumber: "+31.200000001"},
		{ID: 502, FirstName: "Bob", LastName: "Billing", CompanyName: "Example BV", Email: "bob@example.com"},
	}, list)

	up, err := c.WHMCS.UpdateContact(ctx, &UpdateContactRequest{ContactID: 501, Email: "ann2@example.com"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"update_contact"}, "contact_id": {"501"}, "email": {"ann2@example.com"}}, m.lastForm("whmcs", "update_contact"))
	assert.Contains(t, string(up.Raw()), "501")

	require.NoError(t, c.WHMCS.DeleteContact(ctx, &ContactRequest{ContactID: 501}))
	assert.Equal(t, url.Values{"action": {"delete_contact"}, "contact_id": {"501"}}, m.lastForm("whmcs", "delete_contact"))

	// Validation: bad e-mails and ids send nothing.
	for _, bad := range []string{"ann", "ann@", "@example.com", "Ann <ann@example.com>", "ann@example", "ann @example.com"} {
		_, err := c.WHMCS.AddContact(ctx, &AddContactRequest{Type: "billing", Email: bad})
		assertInvalid(t, err, "email")
		_, err = c.WHMCS.UpdateContact(ctx, &UpdateContactRequest{ContactID: 1, Email: bad})
		assertInvalid(t, err, "email")
		_, err = c.WHMCS.GetContacts(ctx, &GetContactsRequest{Email: bad})
		assertInvalid(t, err, "email")
	}
	_, err = c.WHMCS.AddContact(ctx, &AddContactRequest{Type: "billing"})
	assertInvalid(t, err, "email")
	_, err = c.WHMCS.UpdateContact(ctx, &UpdateContactRequest{Email: "a@example.com"})
	assertInvalid(t, err, "contact_id")
	assertInvalid(t, c.WHMCS.DeleteContact(ctx, &ContactRequest{}), "contact_id")
	assertInvalid(t, c.WHMCS.DeleteContact(ctx, nil), "contact_id")
	assert.Equal(t, 2, m.count("whmcs", "add_contact"))
	assert.Equal(t, 1, m.count("whmcs", "update_contact"))
	assert.Equal(t, 1, m.count("whmcs", "delete_contact"))
	assert.Equal(t, 1, m.count("whmcs", "get_contacts"))
}

func TestWHMCSGetClientGroups(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	m.on("whmcs", "get_clientgroups", fixture(t, "whmcs/get_clientgroups.json"))
	got, err := c.WHMCS.GetClientGroups(context.Background(), &LocationRequest{Location: "NL"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"get_clientgroups"}, "location": {"NL"}}, m.lastForm("whmcs", "get_clientgroups"))
	assert.Equal(t, []ClientGroup{{1, "Resellers", "#ffffff"}, {2, "VIP", "#ffcc00"}}, got)
	_, err = c.WHMCS.GetClientGroups(context.Background(), &LocationRequest{Location: "N-L"})
	assertInvalid(t, err, "location")
	assert.Equal(t, 1, m.count("whmcs", "get_clientgroups"))
}

func TestWHMCSUpdateContactPassword2IsSecret(t *testing.T) {
	t.Parallel()
	c, m := newCatalogTestClient(t)
	const pw = "s3cret-Pass"
	m.on("whmcs", "update_contact", `{"result":"error","message":"Password s3cret-Pass is too weak"}`)
	req := &UpdateContactRequest{ContactID: 501, Email: "ann@example.com", PhoneNumber: "+31.2012", Password: pw}
	_, err := c.WHMCS.UpdateContact(context.Background(), req)
	require.Error(t, err)
	assert.Equal(t, url.Values{"action": {"update_contact"}, "contact_id": {"501"}, "email": {"ann@example.com"},
		"phonenumber": {"+31.2012"}, "password2": {pw}}, m.lastForm("whmcs", "update_contact"))
	assertErrorHidesSecrets(t, err)
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		assertNoSecrets(t, "request printed with "+format, fmt.Sprintf(format, req))
		assertNoSecrets(t, "request printed with "+format, fmt.Sprintf(format, *req))
	}
	_, err = c.WHMCS.UpdateContact(context.Background(), &UpdateContactRequest{ContactID: 501, Password: "short"})
	assertInvalid(t, err, "password2")
	assert.Equal(t, 1, m.count("whmcs", "update_contact"))
}
