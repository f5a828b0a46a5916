package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/spf13/cobra"

	"github.com/invapi-go/invapi"
)

func (a *app) rawCmd() *cobra.Command {
	var readOnly, pin, noSession, async, charges bool
	var settle string
	var serverIDFlag int
	c := &cobra.Command{
		Use:   "raw MODULE ACTION [key=value...]",
		Short: "Call any API action through the SDK (Client.Do)",
		Long: `Call any InvAPI action, MODULE.php ACTION with the given form fields, through
the SDK's request path (Client.Do): session, PIN, retries by class, error
categories and redaction as for every command. The answer is printed as JSON.

A raw call is treated as a state change (sent at most once) unless
--read-only says it only reads. --pin sends the account PIN; --async waits on
the callback key the action answers with.

  hostkey raw pdns list_zones --read-only
  hostkey raw eq get_traffic id=12345 --read-only
  hostkey raw eq suspend id=12345 --pin --async`,
		Args: usageArgs(cobra.MinimumNArgs(2)),
		RunE: func(cmd *cobra.Command, args []string) error {
			module := strings.TrimSuffix(args[0], ".php")
			action := args[1]
			form := url.Values{}
			for _, kv := range args[2:] {
				k, v, ok := strings.Cut(kv, "=")
				if !ok || k == "" {
					return usagef("%q is not key=value", kv)
				}
				form.Add(k, v)
			}
			var opts []invapi.CallOption
			if readOnly {
				opts = append(opts, invapi.ReadOnly())
			}
			if pin {
				opts = append(opts, invapi.SendPIN())
			}
			if noSession {
				opts = append(opts, invapi.NoSession())
			}
			if charges {
				opts = append(opts, invapi.Charges())
			}
			if settle != "" {
				opts = append(opts, invapi.SettleWith(settle))
			}
			if !readOnly {
				if err := a.confirmRaw(module, action); err != nil {
					return err
				}
			}
			return a.call(func(ctx context.Context, c *invapi.Client) error {
				if async {
					op, err := c.DoAsync(ctx, module, action, form, serverIDFlag, opts...)
					if err != nil {
						return err
					}
					return a.finishOp(ctx, op, module+" "+action)
				}
				var body json.RawMessage
				if err := c.Do(ctx, module, action, form, &body, opts...); err != nil {
					return err
				}
				if a.output == "yaml" {
					var v any
					if err := json.Unmarshal(body, &v); err != nil {
						return err
					}
					return a.printYAML(v)
				}
				var v any
				if json.Unmarshal(body, &v) == nil {
					return a.printJSON(v)
				}
				_, err := fmt.Fprintf(a.stdout, "%s\n", body)
				return err
			})
		},
	}
	f := c.Flags()
	f.BoolVar(&readOnly, "read-only", false, "the action only reads: retried on network errors, 429 and 5xx")
	f.BoolVar(&pin, "pin", false, "send the account PIN")
	f.BoolVar(&noSession, "no-session", false, "send no session token (catalogue lists)")
	f.BoolVar(&async, "async", false, "the action answers with a callback key: wait for it")
	f.BoolVar(&charges, "charges", false, "the action orders or charges (reported as such if its outcome is unknown)")
	f.StringVar(&settle, "settle", "", "the read that tells whether the change took effect, shown if its outcome is unknown")
	f.IntVar(&serverIDFlag, "server", 0, "the server an --async action acts on")
	c.Annotations = map[string]string{actionsKey: "any (Client.Do)"}
	c.Long += "\n\nAPI: any (Client.Do)"
	return c
}

// confirmRaw asks before a raw state change on a terminal. Without one it
// goes on: a raw call is a deliberate expert tool, and scripts use it.
func (a *app) confirmRaw(module, action string) error {
	if a.yes || a.dryRun || !a.stdinIsTerminal() {
		return nil
	}
	return a.confirm(fmt.Sprintf("send %s.php %s (a state change unless --read-only)", module, action))
}
