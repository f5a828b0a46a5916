// Command order orders an instant server and waits until it is deployed:
// presets → OS → traffic plan → eq.php order_instance → the install stages
// → the ready server with its id and IP.
//
//	go run ./examples/order
//
// Ordering charges the account. With no HOSTKEY_API_KEY or HOSTKEY_TOKEN it
// runs against the built-in simulator; on HOSTKEY's own portals it orders
// only when INVAPI_CONFIRM=yes. INVAPI_LOCATION picks the location
// (default NL).
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/invapi-go/invapi"
	"github.com/invapi-go/invapi/invapitest/fromenv"
)

func main() {
	// A client of the account in HOSTKEY_API_KEY (or HOSTKEY_TOKEN), or of an
	// in-process simulator when neither is set; an error exits with status 1.
	fromenv.Main(45*time.Minute, run)
}

func run(ctx context.Context, env *fromenv.Env) error {
	c := env.Client
	location := os.Getenv("INVAPI_LOCATION")
	if location == "" {
		location = "NL"
	}

	presets, err := c.Presets.List(ctx, &invapi.PresetsListRequest{Location: location})
	if err != nil {
		return err
	}
	if len(presets) == 0 {
		return fmt.Errorf("no preset offered in %s", location)
	}
	preset := &presets[0]
	for i := range presets { // prefer one that can be deployed now
		if presets[i].Available > 0 {
			preset = &presets[i]
			break
		}
	}
	price, _ := preset.PriceIn(location, "EUR")
	fmt.Printf("preset   %s (%d cores, %d GB RAM) %s EUR/month\n", preset.Name, preset.Cores, preset.RAM, price)

	oses, err := c.OS.List(ctx, &invapi.OSListRequest{InstanceID: preset.ID, Location: location})
	if err != nil {
		return err
	}
	if len(oses.OS) == 0 {
		return fmt.Errorf("no OS for preset %s", preset.Name)
	}
	osChoice := oses.OS[0]
	fmt.Printf("os       %s\n", osChoice.Name)

	plans, err := c.TrafficPlans.List(ctx, &invapi.TrafficPlansListRequest{Location: location, InstanceID: preset.ID})
	if err != nil {
		return err
	}
	if len(plans) == 0 {
		return fmt.Errorf("no traffic plan for preset %s", preset.Name)
	}
	fmt.Printf("traffic  %s\n", plans[0].Name)

	if !env.MayChange("order a server (charged)") {
		return nil
	}
	req := &invapi.OrderInstanceRequest{
		Preset:       preset.Name,
		LocationName: location,
		OSID:         osChoice.ID,
		TrafficPlan:  plans[0].ID,
		DeployPeriod: invapi.DeployMonthly,
		Hostname:     "example-1.invapi.dev",
		RootPass:     "Example-pass_2026",
	}
	ordered, err := c.Eq.OrderAndWait(ctx, req, func(p invapi.Progress) {
		fmt.Printf("  %-9s %-16s %s\n", p.Status, p.Step, p.Message)
	})
	var unknown *invapi.OutcomeUnknownError
	if errors.As(err, &unknown) {
		return fmt.Errorf("the order may have been placed; it is not sent again. Check %s: %w", unknown.Settle, err)
	}
	if err != nil {
		return err
	}
	server := ordered.Server
	fmt.Printf("server %d is ready: %s at %s (invoice %d)\n", server.ID, server.Hostname(), server.MainIP(), ordered.Invoice)
	return nil
}
