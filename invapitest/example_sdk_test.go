package invapitest_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/invapi-go/invapi"
	"github.com/invapi-go/invapi/invapitest"
)

// Test your own automation written with the invapi SDK: point the client at
// the simulator, run the code under test, then inspect the simulator's
// state and request log. In a test, use t.Cleanup(srv.Close).
func ExampleNewServer_withSDK() {
	srv := invapitest.NewServer()
	defer srv.Close()
	c, _ := invapi.NewClient(invapi.WithBaseURL(srv.URL), invapi.WithAPIKey(invapitest.DefaultAPIKey),
		invapi.WithPIN(invapitest.DefaultPIN))
	ctx := context.Background()

	// The automation under test: power a server off and wait for it.
	if _, err := c.Eq.PowerOffAndConfirm(ctx, 12345, nil); err != nil {
		fmt.Println("error:", err)
		return
	}

	s, _ := srv.Server(12345)
	fmt.Println("power:", s.Power)
	fmt.Println("off sent:", srv.Count("eq", "off"))
	// Output:
	// power: off
	// off sent: 1
}

// Faults test the unhappy paths: here the connection drops after the API
// accepted the action, and the SDK reports an unknown outcome instead of
// sending the action again.
func ExampleServer_Fault_withSDK() {
	srv := invapitest.NewServer()
	defer srv.Close()
	c, _ := invapi.NewClient(invapi.WithBaseURL(srv.URL), invapi.WithAPIKey(invapitest.DefaultAPIKey),
		invapi.WithPIN(invapitest.DefaultPIN))

	srv.Fault(invapitest.Fault{Module: "eq", Action: "off", Kind: invapitest.FaultDropAfter})
	_, err := c.Eq.Off(context.Background(), 12345)
	fmt.Println(errors.Is(err, invapi.ErrOutcomeUnknown), srv.Count("eq", "off"))
	// Output:
	// true 1
}
