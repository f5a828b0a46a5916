package standin

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/invapi-go/invapi"
)

// The examples stop early while the catalogue answers are misread (see
// knownProblems), so the two long workflows they lead to are also driven
// here directly, through the SDK, against the same stand-in: OrderAndWait
// (an invoice and no server id: deploy_keys[invoice] -> callback ->
// context.id) and ReinstallAndWait (the 001 PXE procedure, five stages).
// The client polls fast by its own option; the stand-in is not tuned.

type flowRun struct {
	name     string
	mode     mode
	st       *standin
	progress []invapi.Progress
	probs    []string
}

func sdkClient(st *standin) (*invapi.Client, error) {
	return invapi.NewClient(invapi.WithBaseURL(st.URL), invapi.WithAPIKey(st.APIKey), invapi.WithPIN(st.PIN),
		invapi.WithPollInterval(10*time.Millisecond, 50*time.Millisecond))
}

func orderFlow(ctx context.Context, r *flowRun) {
	c, err := sdkClient(r.st)
	if err != nil {
		r.probs = append(r.probs, "NewClient: "+err.Error())
		return
	}
	defer c.Close()
	var mu sync.Mutex
	ordered, err := c.Eq.OrderAndWait(ctx, &invapi.OrderInstanceRequest{
		Preset: "vm.v2-nano", LocationName: "NL", OSID: 3, TrafficPlan: 11,
		DeployPeriod: invapi.DeployMonthly, Hostname: "flow-1.invapi.dev", RootPass: "Example-pass_2026",
	}, func(p invapi.Progress) { mu.Lock(); r.progress = append(r.progress, p); mu.Unlock() })
	var srv *invapi.Server
	if err == nil {
		srv = ordered.Server
	}
	switch {
	case err != nil:
		r.probs = append(r.probs, "OrderAndWait: "+err.Error())
	case srv.ID != newSrv:
		r.probs = append(r.probs, fmt.Sprintf("OrderAndWait returned server %d, want %d", srv.ID, newSrv))
	case srv.MainIP() != "203.0.113.50":
		r.probs = append(r.probs, fmt.Sprintf("OrderAndWait: MainIP %q, want 203.0.113.50", srv.MainIP()))
	}
	wire := r.st.requests()
	r.probs = append(r.probs, changesExactly("order", wire, []string{"eq/order_instance"})...)
	// The key deploy_keys names for the invoice must be followed: the
	// server-list difference is a guess that two parallel orders defeat.
	followed := slices.ContainsFunc(wire, func(w wireRequest) bool {
		return w.Module == "eq_callback" && w.Action == "check" && strings.HasPrefix(w.Answer, "OK")
	})
	if err == nil && !followed {
		r.probs = append(r.probs, "OrderAndWait: deploy_keys[invoice] is a callback key, never checked; the server was found by the server-list difference (evidence §1c eq/update_servers)")
	}
}

func reinstallFlow(ctx context.Context, r *flowRun) {
	c, err := sdkClient(r.st)
	if err != nil {
		r.probs = append(r.probs, "NewClient: "+err.Error())
		return
	}
	defer c.Close()
	var mu sync.Mutex
	res, err := c.Eq.ReinstallAndWait(ctx, &invapi.CreatePXERequest{ID: serverA, OSID: 7, RootPass: "Example-pass_2026",
		Hostname: "reinstalled.invapi.dev"}, "", func(p invapi.Progress) { mu.Lock(); r.progress = append(r.progress, p); mu.Unlock() })
	if err != nil {
		r.probs = append(r.probs, "ReinstallAndWait: "+err.Error())
	} else if res.Context.ID != serverA || res.Context.Fields["ip"] != "203.0.113.11" {
		r.probs = append(r.probs, fmt.Sprintf("ReinstallAndWait: context id %d ip %q, want %d and 203.0.113.11", res.Context.ID, res.Context.Fields["ip"], serverA))
	}
	var stages []int
	for _, p := range r.progress {
		if p.Status == invapi.StatusStage {
			stages = append(stages, p.Stage)
		}
	}
	if err == nil && !slices.Equal(stages, []int{1, 2, 3, 4, 5}) {
		r.probs = append(r.probs, fmt.Sprintf("ReinstallAndWait: stage events %v, want 1..5 (001 reinstall stages)", stages))
	}
	r.probs = append(r.probs, changesExactly("reinstall", r.st.requests(), wantChanges["reinstall"])...)
	if s := r.st.serverState(serverA); s.PXE || s.BootMedia != "disk" || s.Reinstalled != 1 {
		r.probs = append(r.probs, fmt.Sprintf("reinstall: server left with PXE %v, boot %q, %d reinstalls", s.PXE, s.BootMedia, s.Reinstalled))
	}
}

func changesExactly(what string, wire []wireRequest, want []string) []string {
	var got []string
	for _, w := range wire {
		if stateChanging[w.Module+"/"+w.Action] && !strings.HasPrefix(w.Answer, "refused") {
			got = append(got, changeName(w))
		}
	}
	if !slices.Equal(got, want) {
		return []string{fmt.Sprintf("%s: state changes %v, want exactly %v", what, got, want)}
	}
	return nil
}

func TestSDKWorkflowsAgainstStandin(t *testing.T) {
	t.Parallel()
	var runs []*flowRun
	var wg sync.WaitGroup
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	for _, m := range []mode{plain, quirks, faults} {
		for name, flow := range map[string]func(context.Context, *flowRun){"OrderAndWait": orderFlow, "ReinstallAndWait": reinstallFlow} {
			r := &flowRun{name: name, mode: m, st: newStandin(m)}
			runs = append(runs, r)
			wg.Add(1)
			go func() { defer wg.Done(); flow(ctx, r) }()
		}
	}
	wg.Wait()
	for _, r := range runs {
		r.st.Close()
		t.Run(string(r.mode)+"/"+r.name, func(t *testing.T) {
			t.Cleanup(func() {
				if t.Failed() {
					var b strings.Builder
					for _, w := range r.st.requests() {
						b.WriteString(w.String() + "\n")
					}
					t.Logf("wire:\n%s", b.String())
				}
			})
			var probs []string
			for _, w := range r.st.requests() {
				probs = append(probs, checkFields(w)...)
			}
			judge(t, dedupe(append(probs, r.probs...)))
		})
	}
}
