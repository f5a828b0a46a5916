package invapi

import (
	"context"
	"fmt"
	"log/slog"
)

// Contacts: the customer's additional contact persons and groups (whmcs.php).

// Contact is an additional contact of the customer.
type Contact struct {
	ID          int    `json:"id"`
	FirstName   string `json:"firstname"`
	LastName    string `json:"lastname"`
	CompanyName string `json:"companyname"`
	Email       string `json:"email"`
	PhoneNumber string `json:"phonenumber"`
}

// AddContactRequest is a new contact. Type selects the kind of contact; when
// it is empty the API creates a random contact, as documented.
type AddContactRequest struct {
	FirstName   string `url:"firstname,omitempty"`
	LastName    string `url:"lastname,omitempty"`
	CompanyName string `url:"companyname,omitempty"`
	Email       string `url:"email,omitempty"`
	PhoneNumber string `url:"phonenumber,omitempty"`
	Type        string `url:"type,omitempty"`
	Extra       Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *AddContactRequest) Validate() error { return validateRequest(r) }

func (r *AddContactRequest) check() error {
	if r.Type == "" {
		return nil // a random contact
	}
	if r.Email == "" {
		return invalid("email", "is required")
	}
	return validateEmail("email", r.Email)
}

// ContactID is the answer of add_contact.
type ContactID struct {
	ContactID int `json:"contactid" loose:"alt=contact_id,id"` // also read from "contact_id" or "id"
	RawJSON
}

// AddContact adds a contact person to the customer (whmcs.php add_contact).
func (s *WHMCSService) AddContact(ctx context.Context, req *AddContactRequest) (*ContactID, error) {
	if req == nil {
		req = &AddContactRequest{}
	}
	return get[ContactID](ctx, s.client, &whmcsAddContact, req)
}

// ContactRequest names one contact.
type ContactRequest struct {
	ContactID int    `url:"contact_id" check:"id=contact"`
	Extra     Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *ContactRequest) Validate() error { return validateRequest(r) }

// DeleteContact deletes an additional contact (whmcs.php delete_contact).
func (s *WHMCSService) DeleteContact(ctx context.Context, req *ContactRequest) error {
	return act(ctx, s.client, &whmcsDeleteContact, req)
}

// ClientGroup is a WHMCS customer group.
type ClientGroup struct {
	ID     int    `json:"id"`
	Name   string `json:"groupname"`
	Colour string `json:"groupcolour"`
}

// LocationRequest selects the billing location for the actions that take
// one (a WHMCS installation per location).
type LocationRequest struct {
	Location string `url:"location,omitempty" check:"location,optional"` // "NL", "US", "RU"...
	Extra    Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *LocationRequest) Validate() error { return validateRequest(r) }

// GetClientGroups returns the customer groups of a billing location
// (whmcs.php get_clientgroups). req may be nil.
func (s *WHMCSService) GetClientGroups(ctx context.Context, req *LocationRequest) ([]ClientGroup, error) {
	return getRows[ClientGroup](ctx, s.client, &whmcsGetClientGroups, optional(req), "groups", "group")
}

// GetContactsRequest filters the contacts: with Email (a sub-account), only
// the contacts it may see.
type GetContactsRequest struct {
	Email string `url:"email,omitempty" check:"email,optional"`
	Extra Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *GetContactsRequest) Validate() error { return validateRequest(r) }

// GetContacts returns the customer's additional contacts (whmcs.php get_contacts).
// req may be nil.
func (s *WHMCSService) GetContacts(ctx context.Context, req *GetContactsRequest) ([]Contact, error) {
	return getRows[Contact](ctx, s.client, &whmcsGetContacts, optional(req), "contacts", "contact")
}

// UpdateContactRequest changes an additional contact. Empty fields are left
// as they are.
type UpdateContactRequest struct {
	ContactID   int    `url:"contact_id" check:"id=contact"`
	FirstName   string `url:"firstname,omitempty"`
	LastName    string `url:"lastname,omitempty"`
	Email       string `url:"email,omitempty" check:"email,optional"`
	PhoneNumber string `url:"phonenumber,omitempty"`
	// Password sets the contact's (sub-account's) password, sent as
	// password2 as HOSTKEY's MCP server sends it. It is a secret: never
	// printed, logged or shown in an error.
	Password string `url:"password2,omitempty"`
	Extra    Fields `url:"extra,omitempty"`
}

// Format implements fmt.Formatter so that no verb prints the password.
func (r UpdateContactRequest) Format(f fmt.State, verb rune) { formatMasked(f, verb, r) }

// MarshalJSON writes the request with the password masked.
func (r UpdateContactRequest) MarshalJSON() ([]byte, error) { return marshalMasked(r) }

// LogValue logs the request with the password masked.
func (r UpdateContactRequest) LogValue() slog.Value { return logMasked(r) }

// Validate checks the request before it is sent.
func (r *UpdateContactRequest) Validate() error { return validateRequest(r) }

func (r *UpdateContactRequest) check() error {
	if r.Password != "" && len(r.Password) < 8 {
		return invalid("password2", "must be at least 8 characters")
	}
	return nil
}

// UpdateContact changes an additional contact's name, e-mail, phone or
// password (whmcs.php update_contact). The fields are those HOSTKEY's MCP
// server sends; the password never appears in errors or logs.
func (s *WHMCSService) UpdateContact(ctx context.Context, req *UpdateContactRequest) (*BillingAnswer, error) {
	return s.billingAnswer(ctx, &whmcsUpdateContact, req)
}
