// Command ipmi opens temporary IPMI access to a server (a NAT pass-through
// and an IPMI user), prints how to reach it, and removes both again
// (nat.php add_static_nat / remove_static_nat, eq.php add_ipmi_user /
// remove_ipmi_user).
//
//	go run ./examples/ipmi
//
// With no HOSTKEY_API_KEY or HOSTKEY_TOKEN it runs against the built-in
// simulator. HOSTKEY_SERVER_ID picks the server (default: the first one);
// HOSTKEY_PIN is required by the API; INVAPI_ALLOW_FROM limits access to
// one address or prefix.
package main

import (
	"context"
	"fmt"
	"os"
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
	if !env.MayChange(fmt.Sprintf("open IPMI access to server %d", id)) {
		return nil
	}
	access, err := c.Eq.OpenIPMI(ctx, id, &invapi.IPMIAccessOptions{AllowFrom: os.Getenv("INVAPI_ALLOW_FROM")},
		func(p invapi.Progress) {
			if p.Status == invapi.StatusStep {
				fmt.Printf("  done  %s\n", p.Step)
			}
		})
	if err != nil {
		return err // the pass-through is removed again if the user could not be made
	}
	// Close even if the program is interrupted: cleanup outlives ctx.
	defer func() {
		if err := access.Close(ctx); err != nil {
			fmt.Fprintln(os.Stderr, "clean-up:", err)
			return
		}
		fmt.Println("IPMI user and NAT pass-through removed")
	}()

	fmt.Println(access) // never prints the password
	where := "the IPMI address shown in the control panel"
	if access.Address != "" { // the API does not always report it
		where = "https://" + access.Address
	}
	fmt.Printf("open %s and log in as %s (password: %d characters, not shown)\n",
		where, access.User, len(access.Password))
	return nil
}
