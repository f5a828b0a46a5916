package invapi

import (
	"context"
	"errors"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestJiraRemoteHandsRequests(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	methods := map[string]func(context.Context, int) (*Ticket, error){
		"request_pon":     c.Jira.RequestPon,
		"request_poff":    c.Jira.RequestPoff,
		"request_reboot":  c.Jira.RequestReboot,
		"request_PXEboot": c.Jira.RequestPXEBoot,
		"request_kvm":     c.Jira.RequestKVM,
		"request_check":   c.Jira.RequestCheck,
	}
	for action, method := range methods {
		m.on("jira", action, `{"result":"OK","action":"`+action+`","ticket":"CS-504413"}`)
		tk, err := method(context.Background(), 12345)
		require.NoError(t, err, action)
		assert.Equal(t, url.Values{"action": {action}, "id": {"12345"}}, m.lastForm("jira", action), action)
		assert.Equal(t, "CS-504413", tk.ID, action)
		assert.Equal(t, "https://my.hostkey.com/servicedesk/customer/portal/1/CS-504413", tk.URL, action)
		assert.Contains(t, string(tk.Raw()), action)
	}
}

func TestJiraRequestReboot(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("jira", "request_reboot", fixture(t, "jira/request_reboot.json"))
	tk, err := c.Jira.RequestReboot(context.Background(), 12345)
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"request_reboot"}, "id": {"12345"}}, m.lastForm("jira", "request_reboot"))
	assert.Equal(t, "CS-504413", tk.ID)
	assert.Equal(t, ServiceDeskTicketURL+"CS-504413", tk.URL)
}

func TestJiraTicketShapes(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		body, id, url string
	}{
		"numeric id":       {`{"result":"OK","ticket_id":1164018}`, "1164018", ServiceDeskTicketURL + "1164018"},
		"under data":       {`{"result":"OK","data":{"jira_issue":"CS-7","jira_url":"https://my.hostkey.com/x/CS-7"}}`, "CS-7", "https://my.hostkey.com/x/CS-7"},
		"issue object":     {`{"result":"OK","issue":{"id":"1164018","key":"CS-8"}}`, "CS-8", ServiceDeskTicketURL + "CS-8"},
		"no id (message)":  {`{"result":"OK","message":"Request created"}`, "", ""},
		"under result":     {`{"result":{"ticket":"CS-9"}}`, "CS-9", ServiceDeskTicketURL + "CS-9"},
		"id as string num": {`{"result":"OK","ticket":"504413"}`, "504413", ServiceDeskTicketURL + "504413"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, m := newTestClient(t)
			m.on("jira", "request_kvm", tc.body)
			tk, err := c.Jira.RequestKVM(context.Background(), 1)
			require.NoError(t, err)
			assert.Equal(t, tc.id, tk.ID)
			assert.Equal(t, tc.url, tk.URL)
			assert.JSONEq(t, tc.body, string(tk.Raw()))
		})
	}
}

func TestJiraRequestAssistance(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("jira", "request_assistance", fixture(t, "jira/request_assistance.json"))
	tk, err := c.Jira.RequestAssistance(context.Background(), &RequestAssistanceRequest{ID: 12345,
		Subject: "Plan change", Message: "Please move the server to the yearly plan", Extra: Fields{"cancellation_type": "none"}})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"action": {"request_assistance"}, "id": {"12345"},
		"subject": {"Plan change"}, "message": {"Please move the server to the yearly plan"}, "cancellation_type": {"none"}},
		m.lastForm("jira", "request_assistance"))
	assert.Equal(t, "CS-506937", tk.ID)
	assert.Equal(t, "https://my.hostkey.com/servicedesk/customer/portal/1/CS-506937", tk.URL)
}

func TestJiraRequestAssistanceExists(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("jira", "request_assistance", fixture(t, "jira/request_assistance_exists.json"))
	_, err := c.Jira.RequestAssistance(context.Background(), &RequestAssistanceRequest{ID: 12345, Message: "x"})
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "ASSISTANCE_TICKET_EXISTS", apiErr.Code)
	assert.Contains(t, apiErr.Message, "CS-506937")
	assert.Equal(t, 1, m.count("jira", "request_assistance"), "a ticket request is sent once")
}

func TestJiraValidation(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	ctx := context.Background()
	calls := map[string]func() error{
		"request_pon":     func() error { _, err := c.Jira.RequestPon(ctx, 0); return err },
		"request_poff":    func() error { _, err := c.Jira.RequestPoff(ctx, -1); return err },
		"request_reboot":  func() error { _, err := c.Jira.RequestReboot(ctx, 0); return err },
		"request_PXEboot": func() error { _, err := c.Jira.RequestPXEBoot(ctx, 0); return err },
		"request_kvm":     func() error { _, err := c.Jira.RequestKVM(ctx, 0); return err },
		"request_check":   func() error { _, err := c.Jira.RequestCheck(ctx, 0); return err },
		"request_assistance": func() error {
			_, err := c.Jira.RequestAssistance(ctx, &RequestAssistanceRequest{ID: -5})
			return err
		},
	}
	for action, call := range calls {
		err := call()
		var verr *ValidationError
		require.True(t, errors.As(err, &verr), "%s: %v", action, err)
		assert.Equal(t, "id", verr.Field, action)
		assert.Equal(t, 0, m.count("jira", action), action)
	}
	_, err := c.Jira.RequestAssistance(ctx, nil)
	assert.ErrorIs(t, err, ErrInvalidInput)
}
