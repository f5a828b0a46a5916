package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/invapi-go/invapi"
)

// orderOutput is what an order prints: the invoice at once (so nobody
// orders twice), and the server once it is deployed.
type orderOutput struct {
	Invoice  int            `json:"invoice"`
	ServerID int            `json:"server_id,omitempty"`
	Key      string         `json:"key,omitempty"`
	Server   *invapi.Server `json:"server,omitempty"`
}

func (a *app) orderCmd() *cobra.Command {
	var req invapi.OrderInstanceRequest
	var presetArg, sshKeyFile, script string
	var passStdin bool
	c := leaf("order", "Order a server: preset, OS and traffic plan, then wait for the deployment (asks first; charged)",
		"presets.php list, os.php list, traffic_plans.php list, eq.php order_instance, eq_callback.php check, eq.php update_servers, eq.php show",
		cobra.NoArgs, func(cmd *cobra.Command, args []string) error {
			req.DeployNotify = true
			var err error
			if req.SSHKey, req.PostInstallScript, err = a.readInstallFiles(sshKeyFile, script); err != nil {
				return err
			}
			return a.call(func(ctx context.Context, c *invapi.Client) error {
				if err := a.pickOrder(ctx, c, &req, presetArg); err != nil {
					return err
				}
				if err := a.confirm(fmt.Sprintf("order %s in %s with OS %d and traffic plan %d, billed %s", req.Preset, req.LocationName, req.OSID, req.TrafficPlan, req.DeployPeriod)); err != nil {
					return err
				}
				if passStdin {
					p, err := a.readSecretInput("root password", true)
					if err != nil {
						return err
					}
					req.RootPass = p
				}
				res, err := c.Eq.OrderInstance(ctx, &req)
				if err != nil {
					return err
				}
				out := orderOutput{Invoice: res.Invoice, ServerID: res.ID}
				fmt.Fprintf(a.stderr, "order placed: invoice %d (do not order again: follow this one)\n", res.Invoice)
				if res.Operation != nil {
					out.Key = res.Operation.Key()
					if a.noWait {
						fmt.Fprintf(a.stderr, "follow the deployment with: %s\n", resumeHint(res.Operation))
						return a.show(out, []string{out.Key}, fields("invoice", out.Invoice, "key", out.Key))
					}
					if _, err := a.wait(ctx, res.Operation, "order "+req.Preset); err != nil {
						return fmt.Errorf("order (invoice %d): %w", res.Invoice, err)
					}
					if r, _ := res.Operation.Result(); r != nil && out.ServerID == 0 {
						out.ServerID = r.Context.ID
					}
				}
				// The session sees a new server only after update_servers.
				us, err := c.Eq.UpdateServers(ctx)
				if err != nil {
					return fmt.Errorf("order (invoice %d) deployed; refreshing the server list: %w", res.Invoice, err)
				}
				if out.ServerID == 0 {
					// deploy_keys maps the invoice to the deployment's callback
					// key; its OK names the server (context.id).
					if key, ok := us.DeployKey(res.Invoice); ok {
						if op, err := c.ResumeOperation(key, "eq_callback"); err == nil {
							if r, err := a.wait(ctx, op, "order "+req.Preset); err == nil && r != nil {
								out.ServerID = r.Context.ID
							}
						}
					}
				}
				if out.ServerID == 0 {
					fmt.Fprintf(a.stderr, "the server of invoice %d is not known yet: hostkey server refresh shows the deploy keys\n", res.Invoice)
					return a.show(out, nil, fields("invoice", out.Invoice))
				}
				s, err := c.Eq.Show(ctx, out.ServerID)
				if err != nil {
					return fmt.Errorf("order (invoice %d): server %d: %w", res.Invoice, out.ServerID, err)
				}
				out.Server = s
				return a.show(out, []string{itoa(out.ServerID)}, fields("invoice", out.Invoice, "server", out.ServerID,
					"hostname", s.Hostname(), "ip", s.MainIP(), "status", s.Status))
			})
		})
	f := c.Flags()
	f.StringVar(&req.LocationName, "location", "NL", "location: NL, US, RU...")
	f.StringVar(&presetArg, "preset", "", "preset name or id (hostkey preset list); asked on a terminal")
	f.IntVar(&req.OSID, "os", 0, "OS id (hostkey os list --preset ID); asked on a terminal")
	f.IntVar(&req.TrafficPlan, "plan", 0, "traffic plan id (hostkey plan list --preset ID); asked on a terminal")
	f.StringVar(&req.DeployPeriod, "period", invapi.DeployMonthly, "billing period: monthly, quarterly, semi-annualy, annually")
	f.StringVar(&req.Hostname, "hostname", "", "hostname")
	f.StringVar(&sshKeyFile, "ssh-key-file", "", "public key file for root (- for stdin)")
	f.StringVar(&script, "post-install-script", "", "script file run on first boot")
	f.BoolVar(&passStdin, "root-pass-stdin", false, "read a root password from stdin")
	f.IntVar(&req.IPv4Amount, "extra-ipv4", 0, "extra IPv4 addresses")
	f.IntVar(&req.SoftID, "software", 0, "software id (hostkey software list)")
	f.StringVar(&req.JenkinsTask, "task", "", "post-install task id (hostkey software tasks)")
	f.StringVar(&req.Promocode, "promocode", "", "promotion code")
	return c
}

// pickOrder fills in the preset, OS and plan: from the flags, else asked on
// a terminal from the lists (presets.php list, os.php list,
// traffic_plans.php list). A dry run asks nothing, since that would send.
func (a *app) pickOrder(ctx context.Context, c *invapi.Client, req *invapi.OrderInstanceRequest, presetArg string) error {
	ask := a.stdinIsTerminal() && !a.dryRun
	if presetArg == "" || req.OSID == 0 || req.TrafficPlan == 0 {
		if !ask {
			return usagef("order needs --preset, --os and --plan (hostkey preset list, os list --preset ID, plan list --preset ID)")
		}
	}
	var preset *invapi.Preset
	if presetArg == "" || req.OSID == 0 || req.TrafficPlan == 0 {
		ps, err := c.Presets.List(ctx, &invapi.PresetsListRequest{Location: req.LocationName})
		if err != nil {
			return err
		}
		if presetArg == "" {
			if err := a.showPresets(ps, req.LocationName, "EUR"); err != nil {
				return err
			}
			presetArg, err = a.ask("Preset (name or id): ")
			if err != nil {
				return err
			}
		}
		for i := range ps {
			if ps[i].Name == presetArg || strconv.Itoa(ps[i].ID) == presetArg {
				preset = &ps[i]
			}
		}
		if preset == nil {
			return usagef("no preset %q in %s (hostkey preset list --location %s)", presetArg, req.LocationName, req.LocationName)
		}
		presetArg = preset.Name
	}
	req.Preset = presetArg
	if req.OSID == 0 {
		l, err := c.OS.List(ctx, &invapi.OSListRequest{InstanceID: preset.ID, Location: req.LocationName})
		if err != nil {
			return err
		}
		if err := a.showOS(l.OS, l); err != nil {
			return err
		}
		if req.OSID, err = a.askInt("OS id: "); err != nil {
			return err
		}
	}
	if req.TrafficPlan == 0 {
		ps, err := c.TrafficPlans.List(ctx, &invapi.TrafficPlansListRequest{InstanceID: preset.ID, Location: req.LocationName})
		if err != nil {
			return err
		}
		if err := a.showPlans(ps); err != nil {
			return err
		}
		if req.TrafficPlan, err = a.askInt("Traffic plan id: "); err != nil {
			return err
		}
	}
	return nil
}

func (a *app) ask(prompt string) (string, error) {
	fmt.Fprint(a.stderr, prompt)
	s, err := readLine(a.stdin)
	return strings.TrimSpace(s), err
}

func (a *app) askInt(prompt string) (int, error) {
	s, err := a.ask(prompt)
	if err != nil {
		return 0, err
	}
	return positiveInt("id", s)
}
