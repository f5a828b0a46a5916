package invapi_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/invapi-go/invapi"
	"github.com/invapi-go/invapi/invapitest"
)

// The examples run offline against invapitest, the in-memory simulator; in
// real use, leave out WithBaseURL and pass your own credentials.

func Example() {
	srv := invapitest.NewServer()
	defer srv.Close()

	c, err := invapi.NewClient(
		invapi.WithBaseURL(srv.URL), // default: https://invapi.hostkey.com
		invapi.WithAPIKey(invapitest.DefaultAPIKey),
		invapi.WithPIN(invapitest.DefaultPIN),
	) // the simulator's answers ask for fast polling: waits take milliseconds

	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	info, err := c.Auth.Info(ctx) // logs in on first use
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("servers:", info.Servers)

	op, err := c.Eq.Reboot(ctx, 12345) // an async action: returns an *Operation
	if err != nil {
		log.Fatal(err)
	}
	res, err := op.Wait(ctx) // polls eq_callback.php until OK
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("rebooted:", res.Context.ID)
	// Output:
	// servers: [12345 12346 12347]
	// rebooted: 12345
}

func ExampleOperation_Progress() {
	srv := invapitest.NewServer()
	defer srv.Close()
	c, _ := invapi.NewClient(invapi.WithBaseURL(srv.URL), invapi.WithAPIKey(invapitest.DefaultAPIKey),
		invapi.WithPIN(invapitest.DefaultPIN))
	ctx := context.Background()

	op, err := c.Eq.Reboot(ctx, 12345)
	if err != nil {
		log.Fatal(err)
	}
	for p := range op.Progress(ctx) { // every event, in order, then the channel closes
		fmt.Println(p.Status)
	}
	// Output:
	// Not ready
	// OK
}

func ExampleOutcomeUnknownError() {
	srv := invapitest.NewServer()
	defer srv.Close()
	c, _ := invapi.NewClient(invapi.WithBaseURL(srv.URL), invapi.WithAPIKey(invapitest.DefaultAPIKey),
		invapi.WithPIN(invapitest.DefaultPIN))
	// The connection drops after the API accepted the reboot.
	srv.Fault(invapitest.Fault{Module: "eq", Action: "reboot", Kind: invapitest.FaultDropAfter})

	_, err := c.Eq.Reboot(context.Background(), 12345)
	var unknown *invapi.OutcomeUnknownError
	if errors.As(err, &unknown) {
		fmt.Println("not resent; settle with:", unknown.Settle)
	}
	fmt.Println("reboots sent:", srv.Count("eq", "reboot"))
	// Output:
	// not resent; settle with: eq/status id=12345
	// reboots sent: 1
}

func ExampleClient_ResumeOperation() {
	srv := invapitest.NewServer()
	defer srv.Close()
	c, _ := invapi.NewClient(invapi.WithBaseURL(srv.URL), invapi.WithAPIKey(invapitest.DefaultAPIKey),
		invapi.WithPIN(invapitest.DefaultPIN))
	ctx := context.Background()

	op, err := c.Eq.Reboot(ctx, 12345)
	if err != nil {
		log.Fatal(err)
	}
	saved := op.Key() // e.g. stored in a job queue

	// Later, perhaps in another process:
	resumed, err := c.ResumeOperation(saved, "eq_callback")
	if err != nil {
		log.Fatal(err)
	}
	res, err := resumed.Wait(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Context.Action)
	// Output:
	// reboot
}

func ExampleEqService_OrderAndWait() {
	srv := invapitest.NewServer()
	defer srv.Close()
	c, _ := invapi.NewClient(invapi.WithBaseURL(srv.URL), invapi.WithAPIKey(invapitest.DefaultAPIKey),
		invapi.WithPIN(invapitest.DefaultPIN))
	ctx := context.Background()

	// The catalogue: a preset, an OS and a traffic plan for it.
	presets, _ := c.Presets.List(ctx, &invapi.PresetsListRequest{Location: "NL"})
	oses, _ := c.OS.List(ctx, &invapi.OSListRequest{InstanceID: presets[0].ID, Location: "NL"})
	plans, _ := c.TrafficPlans.List(ctx, &invapi.TrafficPlansListRequest{Location: "NL", InstanceID: presets[0].ID})

	ordered, err := c.Eq.OrderAndWait(ctx, &invapi.OrderInstanceRequest{
		Preset: presets[0].Name, LocationName: "NL", OSID: oses.OS[0].ID, TrafficPlan: plans[0].ID,
		DeployPeriod: invapi.DeployMonthly, Hostname: "web-9.example.com", RootPass: "Example-pass_2026",
	}, func(p invapi.Progress) {
		if p.Status == invapi.StatusStage {
			fmt.Println(p.Message)
		}
	})
	if err != nil {
		log.Fatal(err) // a *WorkflowError names the invoice: never order again blindly
	}
	fmt.Println("ready:", ordered.Server.Hostname(), "invoice:", ordered.Invoice)
	// Output:
	// 1st stage: OS installation was started
	// 2nd stage: base OS was installed, proceed with post-install tasks
	// 3rd stage: Post-install tasks are completed, running final tasks
	// 4th stage: Install is completed, restarting the server
	// 5th stage: The server is online
	// ready: web-9.example.com invoice: 50001
}

func ExampleEqService_OpenIPMI() {
	srv := invapitest.NewServer()
	defer srv.Close()
	c, _ := invapi.NewClient(invapi.WithBaseURL(srv.URL), invapi.WithAPIKey(invapitest.DefaultAPIKey),
		invapi.WithPIN(invapitest.DefaultPIN))
	ctx := context.Background()

	access, err := c.Eq.OpenIPMI(ctx, 12345, &invapi.IPMIAccessOptions{AllowFrom: "198.51.100.7", Hours: 1}, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer access.Close(ctx) // removes the IPMI user and the NAT pass-through

	fmt.Println(access.User != "", access.Password != "") // printing access never shows the password
	// Output:
	// true true
}

// Reboot several servers, at most two at a time, and report each.
func ExampleStartAndWaitAll() {
	srv := invapitest.NewServer()
	defer srv.Close()
	c, _ := invapi.NewClient(invapi.WithBaseURL(srv.URL), invapi.WithAPIKey(invapitest.DefaultAPIKey),
		invapi.WithPIN(invapitest.DefaultPIN))
	ctx := context.Background()

	outcomes, err := invapi.StartAndWaitAll(ctx, []int{12345, 12346, 12347}, c.Eq.Reboot,
		&invapi.WaitAllOptions{Concurrency: 2})
	for _, o := range outcomes {
		if o.Err != nil {
			fmt.Println(o.ServerID, "failed:", o.Err)
			continue
		}
		fmt.Println(o.ServerID, "rebooted")
	}
	if err != nil {
		fmt.Println("some failed") // every failure, joined
	}
	// Output:
	// 12345 rebooted
	// 12346 rebooted
	// 12347 rebooted
}
