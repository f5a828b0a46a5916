// Command power reboots a server and waits for the API to confirm it
// (eq.php reboot, polled on eq_callback.php), printing progress as it comes.
//
//	go run ./examples/power
//
// With no HOSTKEY_API_KEY or HOSTKEY_TOKEN it runs against the built-in
// simulator. HOSTKEY_SERVER_ID picks the server (default: the first one);
// HOSTKEY_PIN is required by the API for power actions. On HOSTKEY's own
// portals it reboots only when INVAPI_CONFIRM=yes.
package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/invapi-go/invapi"
	"github.com/invapi-go/invapi/invapitest/fromenv"
)

func main() {
	// A client of the account in HOSTKEY_API_KEY (or HOSTKEY_TOKEN), or of an
	// in-process simulator when neither is set, and the server to act on
	// (HOSTKEY_SERVER_ID, else the first); an error exits with status 1.
	fromenv.MainOnServer(10*time.Minute, run)
}

func run(ctx context.Context, env *fromenv.Env, id int) error {
	c := env.Client
	if !env.MayChange(fmt.Sprintf("reboot server %d", id)) {
		return nil
	}
	op, err := c.Eq.Reboot(ctx, id)
	var unknown *invapi.OutcomeUnknownError
	if errors.As(err, &unknown) {
		// The reboot may have been accepted: it is never sent twice.
		return fmt.Errorf("reboot of %d may or may not have started; check with %s: %w", id, unknown.Settle, err)
	}
	if err != nil {
		return err
	}
	fmt.Printf("reboot of server %d accepted (callback key %s)\n", id, op.Key())
	for p, err := range op.Watch(ctx) {
		if err != nil {
			return err
		}
		fmt.Printf("  %-9s %s\n", p.Status, p.Message)
	}
	res, err := op.Wait(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("server %d rebooted: %s\n", id, res.Debug)
	return nil
}
