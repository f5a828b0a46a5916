package invapi

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every secret a request carries is registered by its form field's name
// (redact.IsSecretField), with no call by hand: an error answer that
// echoes the bare value, in prose where no field name precedes it, shows
// it masked.
func TestRequestSecretsMaskedByFormFieldName(t *testing.T) {
	t.Parallel()
	const secret = "Qz7-secret-Value_91"
	const pin = "583104"
	cases := []struct {
		module, action, value string
		call                  func(c *Client) error
	}{
		{"eq", "reinstall", secret, func(c *Client) error {
			_, err := c.Eq.Reinstall(context.Background(), &ReinstallRequest{ID: 12345, OSID: 1, RootPass: secret})
			return err
		}},
		{"eq", "create_pxe", secret, func(c *Client) error {
			_, err := c.Eq.CreatePXE(context.Background(), &CreatePXERequest{ID: 12345, OSID: 114, RootPass: secret, Hostname: "web1", ReinstallKey: "k-1"})
			return err
		}},
		{"eq", "order_instance", secret, func(c *Client) error {
			_, err := c.Eq.OrderInstance(context.Background(), &OrderInstanceRequest{Preset: "vm.nano", LocationName: "US", OSID: 3,
				DeployPeriod: DeployAnnually, TrafficPlan: 1, RootPass: secret})
			return err
		}},
		{"eq", "deploy", secret, func(c *Client) error {
			_, err := c.Eq.Deploy(context.Background(), &DeployRequest{Preset: "vm.nano", OSID: 3, RootPass: secret})
			return err
		}},
		{"eq", "add_ipmi_user", secret, func(c *Client) error {
			_, err := c.Eq.AddIPMIUser(context.Background(), &AddIPMIUserRequest{ID: 12345, AdminUser: "admin", AdminPass: secret})
			return err
		}},
		{"eq", "set_pin", pin, func(c *Client) error {
			_, err := c.Eq.SetPIN(context.Background(), &SetPINRequest{OldPIN: testPIN, NewPIN: pin})
			return err
		}},
		{"eq", "check_pin", pin, func(c *Client) error {
			_, err := c.Eq.CheckPIN(context.Background(), pin)
			return err
		}},
		{"whmcs", "reset_password", secret, func(c *Client) error {
			_, err := c.WHMCS.ResetPassword(context.Background(), &ResetPasswordRequest{Email: "a@example.com", ResetToken: testResetToken, Password: secret, Code: test2FACode})
			return err
		}},
		{"whmcs", "update_contact", secret, func(c *Client) error {
			_, err := c.WHMCS.UpdateContact(context.Background(), &UpdateContactRequest{ContactID: 7, Password: secret})
			return err
		}},
		{"auth", "session_reset", testResetToken, func(c *Client) error {
			return c.Auth.SessionReset(context.Background(), testResetToken)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.action, func(t *testing.T) {
			c, m := newTestClient(t)
			m.on(tc.module, tc.action, `{"result":"error","message":"rejected `+tc.value+` as given"}`)
			err := tc.call(c)
			require.Error(t, err)
			require.Equal(t, 1, m.count(tc.module, tc.action), "sent")
			assert.NotContains(t, fmt.Sprintf("%v %+v", err, err), tc.value)
			assert.Contains(t, err.Error(), "rejected ***")
		})
	}
}

// Secrets in answers are result fields tagged secret:"answer": the decoding
// helpers remember them, and a later error echoing one shows it masked.
func TestAnswerSecretsMaskedAfterwards(t *testing.T) {
	t.Parallel()
	const secret = "S3-secret-Key_0a9b8c7d"
	cases := []struct {
		module, action, body string
		call                 func(c *Client) error
	}{
		{"eq", "add_ipmi_user", `{"result":"OK","user":"tmp","password":"` + secret + `"}`, func(c *Client) error {
			_, err := c.Eq.AddIPMIUser(context.Background(), &AddIPMIUserRequest{ID: 12345})
			return err
		}},
		{"s3", "show_key", `{"result":"OK","secret_key":"` + secret + `"}`, func(c *Client) error {
			_, err := c.S3.ShowKey(context.Background(), 5, false)
			return err
		}},
		{"s3", "show_key", `{"result":"OK","key":"` + secret + `"}`, func(c *Client) error {
			_, err := c.S3.ShowKey(context.Background(), 5, false)
			return err
		}},
		{"api_keys", "add", `{"result":"OK","data":{"api_key":{"id":8,"name":"k","key":"` + secret + `"}}}`, func(c *Client) error {
			_, err := c.APIKeys.Add(context.Background(), &APIKeyAddRequest{Params: APIKeyParams{Name: "k"}})
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.module+"/"+tc.action, func(t *testing.T) {
			c, m := newTestClient(t)
			m.on(tc.module, tc.action, tc.body)
			require.NoError(t, tc.call(c))
			m.on("eq", "show", `{"result":"error","message":"rejected `+secret+` as given"}`)
			_, err := c.Eq.Show(context.Background(), 12345)
			require.Error(t, err)
			assert.NotContains(t, fmt.Sprintf("%v %+v", err, err), secret)
		})
	}
	// A field not tagged is not taken for a secret.
	c, m := newTestClient(t)
	m.on("eq", "add_ipmi_user", `{"result":"OK","user":"tmp-user-name","password":"`+secret+`"}`)
	_, err := c.Eq.AddIPMIUser(context.Background(), &AddIPMIUserRequest{ID: 12345})
	require.NoError(t, err)
	m.on("eq", "show", `{"result":"error","message":"no user tmp-user-name"}`)
	_, err = c.Eq.Show(context.Background(), 12345)
	assert.Contains(t, err.Error(), "tmp-user-name")
}
