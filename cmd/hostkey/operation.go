package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/invapi-go/invapi"
)

func (a *app) operationCmd() *cobra.Command {
	var nat bool
	wait := leaf("wait KEY", "Wait for an operation started earlier (its callback key, printed by --no-wait or after Ctrl-C)",
		"eq_callback.php check, nat_callback.php check", cobra.ExactArgs(1), func(cmd *cobra.Command, args []string) error {
			module := "eq_callback"
			if nat {
				module = "nat_callback"
			}
			return a.call(func(ctx context.Context, c *invapi.Client) error {
				op, err := c.ResumeOperation(args[0], module)
				if err != nil {
					return err
				}
				noWait := a.noWait
				a.noWait = false // waiting is the point of this command
				defer func() { a.noWait = noWait }()
				return a.finishOp(ctx, op, "operation "+args[0])
			})
		})
	wait.Flags().BoolVar(&nat, "nat", false, "the key is a NAT operation's (nat_callback.php)")
	return group("operation", "Async operations: resume a wait", wait)
}
