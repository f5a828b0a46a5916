package invapi_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

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
		invapi.WithPollInterval(10*time.Millisecond, time.Second), // the simulator is fast
	)
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
		invapi.WithPIN(invapitest.DefaultPIN), invapi.WithPollInterval(10*time.Millisecond, 50*time.Millisecond))
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
		invapi.WithPIN(invapitest.DefaultPIN), invapi.WithPollInterval(10*time.Millisecond, time.Second))
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
