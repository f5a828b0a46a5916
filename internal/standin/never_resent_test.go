package standin

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/invapi-go/invapi"
)

// TestSDKNeverResendsAStateChange loses the answer to a state change after
// the stand-in carried it out (a 502 from the proxy, a dropped connection, a
// cut answer): the SDK must not send it again and must say the outcome is
// unknown, naming the read that settles it (DESIGN.md "Retries").
func TestSDKNeverResendsAStateChange(t *testing.T) {
	t.Parallel()
	cases := []struct {
		action, lost string
		call         func(context.Context, *invapi.Client) error
	}{
		{"eq/reboot", "502", func(ctx context.Context, c *invapi.Client) error { _, err := c.Eq.Reboot(ctx, serverA); return err }},
		{"tags/add", "drop", func(ctx context.Context, c *invapi.Client) error {
			_, err := c.Tags.Add(ctx, &invapi.TagAddRequest{ID: serverA, Tag: "k", Value: "v"})
			return err
		}},
		{"eq/order_instance", "truncated", func(ctx context.Context, c *invapi.Client) error {
			_, err := c.Eq.OrderInstance(ctx, &invapi.OrderInstanceRequest{Preset: "vm.v2-nano", LocationName: "NL", OSID: 3,
				TrafficPlan: 11, DeployPeriod: invapi.DeployMonthly, Hostname: "x.invapi.dev", RootPass: "Example-pass_2026"})
			return err
		}},
		{"nat/add_static_nat", "502", func(ctx context.Context, c *invapi.Client) error {
			_, err := c.NAT.AddStaticNAT(ctx, &invapi.AddStaticNATRequest{ID: serverA})
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.action+"/"+tc.lost, func(t *testing.T) {
			st := newStandin(plain)
			defer st.Close()
			st.lostAnswer[tc.action] = tc.lost
			c, err := sdkClient(st)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			err = tc.call(ctx, c)
			var probs []string
			var unknown *invapi.OutcomeUnknownError
			if !errors.As(err, &unknown) || !errors.Is(err, invapi.ErrOutcomeUnknown) || unknown.Settle == "" {
				probs = append(probs, tc.action+": after a lost answer got "+errString(err)+", want an *OutcomeUnknownError naming the read that settles it")
			}
			n := 0
			for _, w := range st.requests() {
				if w.Module+"/"+w.Action == tc.action {
					n++
				}
			}
			if n != 1 {
				probs = append(probs, fmt.Sprintf("%s: reached the stand-in %d times after a lost answer, want once", tc.action, n))
			}
			judge(t, probs)
		})
	}
}

func errString(err error) string {
	if err == nil {
		return "no error"
	}
	return err.Error()
}
