// Command quickstart logs in, lists the account's servers and shows one in
// detail (auth.php info, eq.php list and show).
//
//	go run ./examples/quickstart
//
// With no HOSTKEY_API_KEY or HOSTKEY_TOKEN in the environment it runs
// against the built-in simulator, so it works without a HOSTKEY account.
package main

import (
	"context"
	"fmt"
	"time"

	"github.com/invapi-go/invapi"
	"github.com/invapi-go/invapi/invapitest/fromenv"
)

func main() {
	// A client of the account in HOSTKEY_API_KEY (or HOSTKEY_TOKEN), or of an
	// in-process simulator when neither is set; an error exits with status 1.
	fromenv.Main(2*time.Minute, run)
}

func run(ctx context.Context, env *fromenv.Env) error {
	c := env.Client

	info, err := c.Auth.Info(ctx) // the first call logs in
	if err != nil {
		return err
	}
	fmt.Printf("logged in: customer %d, role %q, %d servers\n", info.CustomerID, info.Role, len(info.Servers))

	servers, err := c.Eq.List(ctx, &invapi.ServerListRequest{Full: true})
	if err != nil {
		return err
	}
	for _, s := range servers {
		fmt.Printf("  %-7d %-22s %-3s %-15s %s\n", s.ID, s.Hostname(), s.Location, s.IP, s.Status)
	}

	id, err := env.FirstServer(ctx)
	if err != nil {
		return err
	}
	s, err := c.Eq.Show(ctx, id)
	if err != nil {
		return err
	}
	fmt.Printf("\nserver %d: %s\n", s.ID, s.Hostname())
	fmt.Printf("  location %s, OS %s, preset %s\n", s.Location, s.OS.Name, s.Preset)
	fmt.Printf("  main IP  %s\n", s.MainIP())
	for _, comp := range s.Hardware.Components {
		fmt.Printf("  %-5s %s\n", comp.Type, comp.Name)
	}
	return nil
}
