package invapi_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invapi-go/invapi"
	"github.com/invapi-go/invapi/invapitest"
)

// sent counts the requests of module/action in the simulator's log, handled
// or not: how many times the SDK sent the action.
func sent(srv *invapitest.Server, module, action string) int {
	n := 0
	for _, r := range srv.Requests() {
		if (module == "" || r.Module == module) && (action == "" || r.Action == action) {
			n++
		}
	}
	return n
}

// settleCase is one state change whose answer is lost, and what Settle
// must answer when the simulator processed it (drop after) and when it did
// not (drop before).
type settleCase struct {
	name           string
	module, action string
	read           string // the read Settle performs ("" for none)
	setup          func(ctx context.Context, t *testing.T, c *invapi.Client, id int)
	send           func(ctx context.Context, c *invapi.Client, id int, ip string) error
	after, before  invapi.Outcome
}

func settleCases() []settleCase {
	return []settleCase{
		{name: "tags add", module: "tags", action: "add", read: "tags/list",
			send: func(ctx context.Context, c *invapi.Client, id int, _ string) error {
				_, err := c.Tags.Add(ctx, &invapi.TagAddRequest{ID: id, Tag: "role", Value: "web"})
				return err
			}, after: invapi.OutcomeApplied, before: invapi.OutcomeNotApplied},
		{name: "tags remove", module: "tags", action: "remove", read: "tags/list",
			setup: func(ctx context.Context, t *testing.T, c *invapi.Client, id int) {
				_, err := c.Tags.Add(ctx, &invapi.TagAddRequest{ID: id, Tag: "role", Value: "web"})
				require.NoError(t, err)
			},
			send: func(ctx context.Context, c *invapi.Client, id int, _ string) error {
				return c.Tags.Remove(ctx, &invapi.TagRemoveRequest{ID: id, Tag: "role"})
			}, after: invapi.OutcomeApplied, before: invapi.OutcomeNotApplied},
		{name: "ip update_ptr", module: "ip", action: "update_ptr", read: "ip/get_ptr",
			send: func(ctx context.Context, c *invapi.Client, id int, ip string) error {
				return c.IP.UpdatePTR(ctx, &invapi.UpdatePTRRequest{ID: id, IP: ip, PTR: invapi.PTRNames{"web-1.example.com"}})
			}, after: invapi.OutcomeApplied, before: invapi.OutcomeNotApplied},
		{name: "eq rename_server", module: "eq", action: "rename_server", read: "tags/list",
			send: func(ctx context.Context, c *invapi.Client, id int, _ string) error {
				_, err := c.Eq.RenameServer(ctx, &invapi.RenameServerRequest{ID: id, Hostname: "renamed.example.com"})
				return err
			}, after: invapi.OutcomeApplied, before: invapi.OutcomeNotApplied},
		{name: "eq off", module: "eq", action: "off", read: "eq/status",
			setup: powerTo("on"),
			send: func(ctx context.Context, c *invapi.Client, id int, _ string) error {
				_, err := c.Eq.Off(ctx, id)
				return err
			}, after: invapi.OutcomeApplied, before: invapi.OutcomeStillUnknown},
		{name: "eq hard_off", module: "eq", action: "hard_off", read: "eq/status",
			setup: powerTo("on"),
			send: func(ctx context.Context, c *invapi.Client, id int, _ string) error {
				_, err := c.Eq.HardOff(ctx, &invapi.HardOffRequest{ID: id})
				return err
			}, after: invapi.OutcomeApplied, before: invapi.OutcomeStillUnknown},
		{name: "eq on", module: "eq", action: "on", read: "eq/status",
			setup: powerTo("off"),
			send: func(ctx context.Context, c *invapi.Client, id int, _ string) error {
				_, err := c.Eq.On(ctx, id)
				return err
			}, after: invapi.OutcomeApplied, before: invapi.OutcomeStillUnknown},
		{name: "eq reboot", module: "eq", action: "reboot",
			send: func(ctx context.Context, c *invapi.Client, id int, _ string) error {
				_, err := c.Eq.Reboot(ctx, id)
				return err
			}, after: invapi.OutcomeStillUnknown, before: invapi.OutcomeStillUnknown},
		{name: "nat add_static_nat", module: "nat", action: "add_static_nat",
			send: func(ctx context.Context, c *invapi.Client, id int, _ string) error {
				_, err := c.NAT.AddStaticNAT(ctx, &invapi.AddStaticNATRequest{ID: id})
				return err
			}, after: invapi.OutcomeStillUnknown, before: invapi.OutcomeStillUnknown},
		{name: "eq add_ipmi_user", module: "eq", action: "add_ipmi_user",
			send: func(ctx context.Context, c *invapi.Client, id int, _ string) error {
				_, err := c.Eq.AddIPMIUser(ctx, &invapi.AddIPMIUserRequest{ID: id})
				return err
			}, after: invapi.OutcomeStillUnknown, before: invapi.OutcomeStillUnknown},
	}
}

// powerTo sets the server's power before the case, and waits for it.
func powerTo(state string) func(ctx context.Context, t *testing.T, c *invapi.Client, id int) {
	return func(ctx context.Context, t *testing.T, c *invapi.Client, id int) {
		var err error
		if state == "on" {
			_, err = c.Eq.PowerOnAndConfirm(ctx, id, nil)
		} else {
			_, err = c.Eq.PowerOffAndConfirm(ctx, id, nil)
		}
		require.NoError(t, err)
	}
}

// For every covered action: with the answer dropped after the simulator
// processed it, Settle proves it applied (or says a read cannot tell);
// dropped before, it shows it not applied. The action is sent exactly once
// either way, and Settle sends nothing but reads.
func TestSettleByReading(t *testing.T) {
	t.Parallel()
	for _, tc := range settleCases() {
		for _, drop := range []invapitest.FaultKind{invapitest.FaultDropAfter, invapitest.FaultDropBefore} {
			t.Run(tc.name+"/"+drop.String(), func(t *testing.T) {
				t.Parallel()
				c, srv := eqSimClient(t)
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				s0 := srv.Servers()[0]
				id, ip := s0.ID, s0.IPs[0]
				if tc.setup != nil {
					tc.setup(ctx, t, c, id)
				}
				srv.ClearRequests()
				srv.Fault(invapitest.Fault{Module: tc.module, Action: tc.action, Kind: drop})

				err := tc.send(ctx, c, id, ip)
				require.ErrorIs(t, err, invapi.ErrOutcomeUnknown)
				st, serr := c.Settle(ctx, err)
				require.NoError(t, serr)

				want := tc.before
				if drop == invapitest.FaultDropAfter {
					want = tc.after
				}
				assert.Equal(t, want, st.Outcome, "%s", st)
				assert.Equal(t, tc.module, st.Module)
				assert.Equal(t, tc.action, st.Action)
				assert.NotEmpty(t, st.Evidence)
				if tc.read != "" {
					assert.Contains(t, st.Read, tc.read)
					assert.Positive(t, sent(srv, "", "")-sent(srv, tc.module, tc.action), "Settle read something")
				} else {
					assert.Empty(t, st.Read)
				}
				assert.Equal(t, 1, sent(srv, tc.module, tc.action), "the action is sent exactly once, never to find out")
				for _, r := range srv.Requests() {
					if r.Module != tc.module || r.Action != tc.action {
						assert.Contains(t, []string{"tags/list", "ip/get_ptr", "eq/status", "eq_callback/check", "auth/login"},
							r.Module+"/"+r.Action, "Settle only reads")
					}
				}
			})
		}
	}
}

// A tags request over several servers is applied only when every server
// shows it.
func TestSettleTagsIDListPartial(t *testing.T) {
	t.Parallel()
	c, srv := eqSimClient(t)
	ctx := context.Background()
	a, b := srv.Servers()[0].ID, srv.Servers()[1].ID
	_, err := c.Tags.Add(ctx, &invapi.TagAddRequest{ID: a, Tag: "role", Value: "db"})
	require.NoError(t, err)
	srv.Fault(invapitest.Fault{Module: "tags", Action: "add", Kind: invapitest.FaultDropBefore})
	_, err = c.Tags.Add(ctx, &invapi.TagAddRequest{IDList: []int{a, b}, Tag: "role", Value: "db"})
	require.ErrorIs(t, err, invapi.ErrOutcomeUnknown)
	st, err := c.Settle(ctx, err)
	require.NoError(t, err)
	assert.Equal(t, invapi.OutcomeStillUnknown, st.Outcome, "%s", st)
	assert.Contains(t, st.Evidence, "1 of 2")
}

// Settle finds the unknown outcome inside a workflow's error, refuses
// anything else, and keeps secrets out of what it says.
func TestSettleInputs(t *testing.T) {
	t.Parallel()
	c, srv := eqSimClient(t)
	ctx := context.Background()
	_, err := c.Settle(ctx, errors.New("boom"))
	require.ErrorIs(t, err, invapi.ErrInvalidInput)
	_, err = c.Settle(ctx, nil)
	require.ErrorIs(t, err, invapi.ErrInvalidInput)

	id := srv.Servers()[0].ID
	srv.Fault(invapitest.Fault{Module: "eq", Action: "add_ipmi_user", Kind: invapitest.FaultDropAfter})
	_, err = c.Eq.AddIPMIUser(ctx, &invapi.AddIPMIUserRequest{ID: id, AdminUser: "boss", AdminPass: "Sup3r-secret-pass"})
	require.ErrorIs(t, err, invapi.ErrOutcomeUnknown)
	wrapped := &invapi.WorkflowError{Workflow: "ipmi access", Step: "add_ipmi_user", Err: err}
	st, err := c.Settle(ctx, wrapped)
	require.NoError(t, err)
	assert.Equal(t, invapi.OutcomeStillUnknown, st.Outcome)
	assert.Contains(t, st.Evidence, "eq/get_ipmi")
	assert.NotContains(t, st.String()+st.Evidence, "Sup3r-secret-pass")
	// What the error keeps of the request for Settle holds no secret.
	var unknown *invapi.OutcomeUnknownError
	require.ErrorAs(t, wrapped, &unknown)
	kept := fmt.Sprintf("%#v", *unknown)
	assert.Contains(t, kept, "boss", "the non-secret fields are kept")
	assert.NotContains(t, kept, "Sup3r-secret-pass")
	assert.NotContains(t, kept, `"pin"`)
	assert.NotContains(t, kept, `"token"`)
}

// A confirm workflow whose power action's answer was lost carries on when
// eq/status shows the power as asked, and fails (with what the read saw)
// when nothing was done. The action is sent once either way.
func TestPowerWorkflowSettlesALostAnswer(t *testing.T) {
	t.Parallel()
	for _, drop := range []invapitest.FaultKind{invapitest.FaultDropAfter, invapitest.FaultDropBefore} {
		t.Run(drop.String(), func(t *testing.T) {
			t.Parallel()
			c, srv := eqSimClient(t)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			id := srv.Servers()[0].ID
			powerTo("on")(ctx, t, c, id)
			srv.ClearRequests()
			srv.Fault(invapitest.Fault{Module: "eq", Action: "off", Kind: drop})
			rec := &recorder{}
			st, err := c.Eq.PowerOffAndConfirm(ctx, id, rec.add)
			assert.Equal(t, 1, sent(srv, "eq", "off"), "eq/off is sent once")
			if drop == invapitest.FaultDropBefore {
				require.ErrorIs(t, err, invapi.ErrOutcomeUnknown)
				var we *invapi.WorkflowError
				require.ErrorAs(t, err, &we)
				require.NotNil(t, we.Settlement, "the read's answer comes with the failure")
				assert.Equal(t, invapi.OutcomeStillUnknown, we.Settlement.Outcome)
				assert.Contains(t, we.Settlement.Evidence, "power is on")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, "off", st.Power)
			assert.Equal(t, []string{"off", "status"}, rec.steps())
		})
	}
}

// OrderAndWait whose order answer was lost finds the order by the one new
// invoice in deploy_keys and follows its deployment; ordered nothing
// (dropped before), it fails and nothing is ordered, ever.
func TestOrderAndWaitSettlesALostAnswer(t *testing.T) {
	t.Parallel()
	for _, drop := range []invapitest.FaultKind{invapitest.FaultDropAfter, invapitest.FaultDropBefore} {
		t.Run(drop.String(), func(t *testing.T) {
			t.Parallel()
			c, srv := newSimClient(t, nil)
			req := orderRequest(t, c)
			srv.Fault(invapitest.Fault{Module: "eq", Action: "order_instance", Kind: drop})
			rec := &recorder{}
			ordered, err := c.Eq.OrderAndWait(context.Background(), req, rec.add)
			assert.Equal(t, 1, sent(srv, "eq", "order_instance"), "an order is sent once")
			if drop == invapitest.FaultDropBefore {
				require.ErrorIs(t, err, invapi.ErrOutcomeUnknown)
				var we *invapi.WorkflowError
				require.ErrorAs(t, err, &we)
				assert.Equal(t, "order_instance", we.Step)
				require.NotNil(t, we.Settlement)
				assert.NotEqual(t, invapi.OutcomeApplied, we.Settlement.Outcome)
				assert.Empty(t, srv.Invoices(), "nothing was ordered")
				return
			}
			require.NoError(t, err)
			invs := srv.Invoices()
			require.Len(t, invs, 1)
			assert.Equal(t, invs[0].ID, ordered.Invoice, "the invoice found by reading")
			assert.Equal(t, invs[0].ServerID, ordered.Server.ID)
			assert.Nil(t, ordered.Order, "the answer was lost")
			require.NotNil(t, ordered.Deployment, "the deployment is followed on the deploy_keys key")
			assert.Equal(t, ordered.Server.ID, ordered.Deployment.Context.ID)
			assert.Equal(t, []string{"order_instance", "update_servers"}, rec.steps())
		})
	}
}
