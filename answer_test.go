package invapi

import (
	"context"
	"errors"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Answers a state change may get that the SDK cannot fully read. Each one
// is sent to every state-changing endpoint of the registry: the outcome is
// unknown (never ErrBadResponse alone, never a success), the action was
// sent once, and a callback key found anywhere is kept.
var unreadableStateAnswers = []struct {
	name  string
	body  string
	key   string // the callback key the error must keep, if any
	typed bool   // unreadable only to a typed result (an async call reads no field)
}{
	{"mistyped id beside a callback", `{"result":"OK","callback":"cbkey0001","id":"twelve"}`, "cbkey0001", true},
	{"id past int64", `{"result":"OK","id":9223372036854775808}`, "", true},
	{"id as an exponent past int64", `{"result":"OK","id":1e400}`, "", true},
	{"id with a fraction", `{"result":"OK","id":12.5}`, "", true},
	{"invoice as an object", `{"result":"OK","invoice_id":{"x":1}}`, "", true},
	{"amount as a word", `{"result":"success","amount":"lots"}`, "", true},
	{"key inside an object, id a list", `{"result":"OK","callback":{"key":"cbkey0002"},"id":[1,2]}`, "cbkey0002", false},
	{"mistyped field in the container", `{"result":"OK","data":{"callback":"cbkey0004","id":{"n":1}}}`, "cbkey0004", true},
	{"callback true", `{"result":"OK","callback":true}`, "", false},
	{"callback null", `{"result":"OK","callback":null}`, "", false},
	{"callback empty", `{"result":"OK","callback":""}`, "", false},
	{"callback object without a key", `{"result":"OK","callback":{"x":"y"}}`, "", false},
	{"callback list of two", `{"result":"OK","callback":["a1","b2"]}`, "", false},
	{"callback with spaces", `{"result":"OK","callback":"<b>oops</b> x"}`, "", false},
	{"empty object", `{}`, "", false},
	{"empty list", `[]`, "", false},
	{"empty result", `{"result":""}`, "", false},
	{"null result", `{"result":null}`, "", false},
	{"empty result object", `{"result":{}}`, "", false},
	{"empty data", `{"data":[],"message":""}`, "", false},
	{"null data", `{"data":null}`, "", false},
	{"unknown result word", `{"result":"maybe"}`, "", false},
}

// decodedState is a typed result, as the methods decode: ids, invoices and
// amounts of fixed types.
type decodedState struct {
	ID      int   `json:"id"`
	Invoice int   `json:"invoice_id"`
	Amount  Money `json:"amount"`
}

func TestEveryStateChangeReportsAnUnreadableAnswerAsOutcomeUnknown(t *testing.T) {
	t.Parallel()
	changes := 0
	for _, ep := range endpointRegistry {
		if ep.class.Idempotent() {
			continue
		}
		changes++
		t.Run(ep.String(), func(t *testing.T) {
			t.Parallel()
			c, m := newTestClient(t)
			for _, tt := range unreadableStateAnswers {
				before := m.count(ep.module, ep.action)
				m.on(ep.module, ep.action, tt.body)
				var out decodedState
				_, err := c.call(context.Background(), ep, url.Values{"id": {"12345"}}, &out)
				assertOutcomeUnknown(t, ep, tt.name, err, tt.key)
				assert.Equal(t, before+1, m.count(ep.module, ep.action), "%s: sent once", tt.name)
				if ep.async != noCallback && !tt.typed {
					op, err := startOn(context.Background(), c, ep, url.Values{"id": {"12345"}}, 12345)
					if tt.key != "" && err == nil {
						// only the key's shape was odd, and the key was found
						assert.Equal(t, tt.key, op.Key(), tt.name)
						continue
					}
					assertOutcomeUnknown(t, ep, tt.name+" (async)", err, tt.key)
				}
			}
			// The readable answers still succeed, and a key inside an
			// object is followed rather than taken for "done at once".
			m.on(ep.module, ep.action, `{"result":"OK","callback":{"key":"cbkey0003"},"id":"12345"}`)
			var out decodedState
			_, err := c.call(context.Background(), ep, url.Values{"id": {"12345"}}, &out)
			require.NoError(t, err)
			assert.Equal(t, 12345, out.ID)
			op, err := startOn(context.Background(), c, ep, url.Values{"id": {"12345"}}, 12345)
			require.NoError(t, err)
			assert.Equal(t, "cbkey0003", op.Key())
			assert.False(t, isClosed(op.done), "an operation with a key is not done before any check")
			for _, body := range []string{`{"result":"OK"}`, `{"result":"success","id":"7"}`, `{"result":1}`, `{"data":{"invoice_id":"5"}}`, `{"code":0}`} {
				m.on(ep.module, ep.action, body)
				_, err := c.call(context.Background(), ep, url.Values{"id": {"12345"}}, &out)
				assert.NoError(t, err, body)
			}
		})
	}
	assert.Greater(t, changes, 50, "the registry's state changes were walked")
}

func assertOutcomeUnknown(t *testing.T, ep *endpoint, name string, err error, key string) {
	t.Helper()
	require.Error(t, err, name)
	assert.ErrorIs(t, err, ErrOutcomeUnknown, "%s: %v", name, err)
	var unknown *OutcomeUnknownError
	if !assert.ErrorAs(t, err, &unknown, name) {
		return
	}
	assert.Equal(t, ep.module, unknown.Module)
	if ep.settle != "" {
		assert.Contains(t, unknown.Settle, ep.settle+" id=12345", name)
	}
	if key != "" {
		if assert.NotNil(t, unknown.Operation, "%s: the callback key is kept", name) {
			assert.Equal(t, key, unknown.Operation.Key())
			assert.Contains(t, err.Error(), key)
		}
	} else {
		assert.Nil(t, unknown.Operation, name)
	}
	assertErrorHidesSecrets(t, err)
}

// The typed methods of the main state changes, through their own decoding:
// a mistyped success answer is an unknown outcome with its settle hint.
func TestTypedStateChangesWithMistypedAnswers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	methods := []struct {
		module, action string
		typed          bool // decodes fields of fixed types (ids, money)
		call           func(c *Client) error
	}{
		{"eq", "order_instance", true, func(c *Client) error {
			_, err := c.Eq.OrderInstance(ctx, &OrderInstanceRequest{Preset: "p1", OSID: 1, LocationName: "NL", RootPass: "Root-pass_123", DeployPeriod: DeployMonthly, TrafficPlan: 1})
			return err
		}},
		{"eq", "reboot", false, func(c *Client) error {
			op, err := c.Eq.Reboot(ctx, 12345)
			if err == nil {
				_, err = op.Wait(ctx)
			}
			return err
		}},
		{"eq", "reinstall", true, func(c *Client) error {
			_, err := c.Eq.Reinstall(ctx, &ReinstallRequest{ID: 12345, OSID: 1, RootPass: "Root-pass_123"})
			return err
		}},
		{"tags", "add", true, func(c *Client) error {
			_, err := c.Tags.Add(ctx, &TagAddRequest{ID: 12345, Tag: "env", Value: "prod"})
			return err
		}},
		{"eq", "add_ipmi_user", false, func(c *Client) error {
			_, err := c.Eq.AddIPMIUser(ctx, &AddIPMIUserRequest{ID: 12345})
			return err
		}},
		{"whmcs", "create_addfunds", true, func(c *Client) error {
			_, err := c.WHMCS.CreateAddFunds(ctx, &CreateAddFundsRequest{Amount: MustParseMoney("10.00")})
			return err
		}},
		{"whmcs", "mass_pay", true, func(c *Client) error {
			_, err := c.WHMCS.MassPay(ctx, &MassPayRequest{InvoiceIDs: []int{7, 8}})
			return err
		}},
		{"whmcs", "apply_credit", true, func(c *Client) error {
			_, err := c.WHMCS.ApplyCredit(ctx, &ApplyCreditRequest{InvoiceID: 7, Amount: MustParseMoney("10.00")})
			return err
		}},
	}
	mistyped := []string{
		`{"result":"OK","id":"twelve","invoice_id":"x","invoiceid":"x","value":{"a":1}}`,
		`{"result":"OK","id":9223372036854775808,"invoice_id":9223372036854775808,"invoiceid":9223372036854775808}`,
	}
	bodies := []string{
		`{"result":"OK","callback":{"no":"key"}}`,
		`{"result":"OK","callback":true}`,
		`{}`,
		`[]`,
		`{"result":null}`,
	}
	for _, mt := range methods {
		t.Run(mt.module+"/"+mt.action, func(t *testing.T) {
			t.Parallel()
			tried := bodies
			if mt.typed {
				tried = append(append([]string(nil), mistyped...), bodies...)
			}
			for _, body := range tried {
				c, m := newTestClient(t)
				m.on(mt.module, mt.action, body)
				m.on("eq_callback", "check", `{"result":"OK"}`)
				err := mt.call(c)
				require.Error(t, err, body)
				assert.True(t, errors.Is(err, ErrOutcomeUnknown), "%s: %v", body, err)
				assert.Equal(t, 1, m.count(mt.module, mt.action), body)
				assert.Zero(t, m.count("eq_callback", "check"), "%s: nothing to wait on", body)
				var unknown *OutcomeUnknownError
				require.ErrorAs(t, err, &unknown)
				assert.NotEmpty(t, unknown.Settle, body)
				assertErrorHidesSecrets(t, err)
			}
		})
	}
}

// A callback check that answers neither pending, done nor an error leaves
// the outcome unknown: not a failure, not a success.
func TestCallbackCheckWithAnUnknownResult(t *testing.T) {
	t.Parallel()
	for _, body := range []string{`{}`, `{"result":"Maybe"}`, `{"result":{"status":"x"}}`} {
		c, m := newTestClient(t)
		m.on("eq", "reboot", `{"result":"OK","callback":"cbkey0009"}`)
		m.on("eq_callback", "check", body)
		op, err := c.Eq.Reboot(context.Background(), 12345)
		require.NoError(t, err)
		_, err = op.Wait(context.Background())
		assert.ErrorIs(t, err, ErrOutcomeUnknown, body)
		assert.NotErrorIs(t, err, ErrOperationFailed, body)
		var unknown *OutcomeUnknownError
		require.ErrorAs(t, err, &unknown)
		assert.Contains(t, unknown.Settle, "eq/show id=12345")
		assert.Contains(t, unknown.Settle, "key=cbkey0009")
	}
}

// An order's invoice id under any of its names is read exactly: a mangled
// one is an unknown outcome, not "no invoice".
func TestOrderInvoiceReadExactly(t *testing.T) {
	t.Parallel()
	order := &OrderInstanceRequest{Preset: "p1", OSID: 1, LocationName: "NL", DeployPeriod: DeployMonthly, TrafficPlan: 1}
	for body, want := range map[string]int{
		`{"result":"OK","invoice":"123"}`:                 123,
		`{"result":"OK","invoiceid":77,"invoice":""}`:     77,
		`{"result":"OK","invoice_id":null,"invoice":"9"}`: 9,
	} {
		c, m := newTestClient(t)
		m.on("eq", "order_instance", body)
		res, err := c.Eq.OrderInstance(context.Background(), order)
		require.NoError(t, err, body)
		assert.Equal(t, want, res.Invoice, body)
	}
	for _, body := range []string{`{"result":"OK","invoice":"INV-12"}`, `{"result":"OK","invoiceid":9223372036854775808}`, `{"result":"OK","invoice_id":{"id":1}}`} {
		c, m := newTestClient(t)
		m.on("eq", "order_instance", body)
		_, err := c.Eq.OrderInstance(context.Background(), order)
		assert.ErrorIs(t, err, ErrOutcomeUnknown, body)
		m.on("eq", "traffic_add", body)
		_, err = c.Eq.TrafficAdd(context.Background(), &TrafficAddRequest{ID: 12345})
		assert.ErrorIs(t, err, ErrOutcomeUnknown, body)
		assert.Equal(t, 1, m.count("eq", "traffic_add"))
	}
}

// A 5xx (or any unknown outcome) whose body still holds a callback key
// keeps it: the action is under way, and the key says how it ends.
func TestUnknownOutcomeKeepsTheKeyOfA5xx(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.onFunc("eq", "reboot", func(url.Values) (int, string) { return 502, `{"result":"OK","callback":{"key":"cbkey5xx"}}` })
	m.on("eq_callback", "check", `{"result":"OK","scope":"rebooted"}`)
	_, err := c.Eq.Reboot(context.Background(), 12345)
	var unknown *OutcomeUnknownError
	require.ErrorAs(t, err, &unknown)
	require.NotNil(t, unknown.Operation)
	assert.Equal(t, "cbkey5xx", unknown.Operation.Key())
	assert.Equal(t, 12345, unknown.Operation.ServerID())
	assert.Equal(t, 1, m.count("eq", "reboot"), "not resent")
	res, err := unknown.Operation.Wait(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "rebooted", res.Scope)
}
