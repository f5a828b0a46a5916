// Command reinstall reinstalls a server by the documented PXE procedure and
// prints every step and install stage as it happens (eq.php reinstall,
// create_pxe, boot_dev, reboot, the five stages, boot_dev disk, clear_pxe).
//
//	go run ./examples/reinstall
//
// A reinstall erases the server. With no HOSTKEY_API_KEY or HOSTKEY_TOKEN it
// runs against the built-in simulator; on HOSTKEY's own portals it runs only
// when INVAPI_CONFIRM=yes. HOSTKEY_SERVER_ID picks the server (default: the
// first one); HOSTKEY_PIN is required by the API.
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
	// in-process simulator when neither is set, and the server to act on
	// (HOSTKEY_SERVER_ID, else the first); an error exits with status 1.
	fromenv.MainOnServer(60*time.Minute, run)
}

func run(ctx context.Context, env *fromenv.Env, id int) error {
	c := env.Client
	oses, err := c.OS.List(ctx, &invapi.OSListRequest{ID: id})
	if err != nil {
		return err
	}
	if len(oses.OS) == 0 {
		return fmt.Errorf("no OS offered for server %d", id)
	}
	target := oses.OS[0]
	if !env.MayChange(fmt.Sprintf("reinstall server %d with %s (erases it)", id, target.Name)) {
		return nil
	}
	fmt.Printf("reinstalling server %d with %s\n", id, target.Name)

	req := &invapi.CreatePXERequest{ID: id, OSID: target.ID, RootPass: "Example-pass_2026", Hostname: "reinstalled.invapi.dev"}
	res, err := c.Eq.ReinstallAndWait(ctx, req, "", func(p invapi.Progress) {
		switch p.Status {
		case invapi.StatusStage:
			fmt.Printf("  stage %d/5  %s\n", p.Stage, p.Message)
		case invapi.StatusStep:
			fmt.Printf("  done      %s\n", p.Step)
		}
	})
	if err != nil {
		return err // a *WorkflowError names the step; the PXE config was cleared
	}
	fmt.Printf("server %d is back online: %s\n", id, res.Scope)
	return nil
}
