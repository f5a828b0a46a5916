package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/invapi-go/invapi"
)

func (a *app) serverCmd() *cobra.Command {
	return group("server", "Servers: list, show, power, reinstall, console, IPMI, backups",
		append(a.serverMoreCmds(), a.serverListCmd(), a.serverShowCmd(), a.serverStatusCmd(), a.serverPowerCmd(), a.serverRebootCmd(),
			a.serverReinstallCmd(), a.serverRenameCmd(), a.serverConsoleCmd(), a.serverIPMICmd(),
			a.serverSearchCmd(), a.serverRefreshCmd(), a.serverSensorsCmd(), a.serverHistoryCmd(),
			a.serverBootDevCmd(), a.serverUnitResetCmd(), a.serverPINCmd(), a.serverCancelCmd(),
			a.serverCancellationsCmd(), a.serverBillingCmd())...,
	)
}

func (a *app) serverListCmd() *cobra.Command {
	var locations []string
	var status string
	c := leaf("list", "List the servers of the session", "eq.php list", cobra.NoArgs, func(cmd *cobra.Command, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) ([]invapi.ServerSummary, error) {
			return c.Eq.List(ctx, &invapi.ServerListRequest{Full: true, Locations: locations, Status: status})
		}, a.showServers)
	})
	c.Flags().StringSliceVar(&locations, "location", nil, "only these locations (NL, US, RU...)")
	c.Flags().StringVar(&status, "status", "", "only this status (rent, power_off)")
	return c
}

func (a *app) showServers(servers []invapi.ServerSummary) error {
	t := &table{header: []string{"ID", "HOSTNAME", "LOCATION", "IP", "STATUS", "POWER"}}
	for i := range servers {
		s := &servers[i]
		t.addID(itoa(s.ID), s.ID, s.Hostname(), s.Location, s.IP, s.Status, s.Power)
	}
	return a.show(orEmpty(servers), t.ids, t)
}

func (a *app) serverShowCmd() *cobra.Command {
	return leaf("show ID", "Show everything known about a server", "eq.php show", cobra.ExactArgs(1), idArg(func(id int) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.Server, error) {
			return c.Eq.Show(ctx, id)
		}, func(s *invapi.Server) error {
			var hw []string
			for _, comp := range s.Hardware.Components {
				hw = append(hw, strings.TrimSpace(comp.Type+" "+comp.Name))
			}
			var ips []string
			for _, ip := range s.Addresses {
				ips = append(ips, ip.IP)
			}
			var tags []string
			for _, tg := range s.Tags {
				tags = append(tags, tg.Name+"="+tg.Value)
			}
			t := fields("id", s.ID, "hostname", s.Hostname(), "status", s.Status, "power", s.Power,
				"location", s.Location, "preset", s.Preset, "os", s.OS.Name, "main ip", s.MainIP(),
				"addresses", ips, "hardware", strings.Join(hw, "; "), "tags", tags)
			return a.show(s, []string{itoa(s.ID)}, t)
		})
	}))
}

func (a *app) serverStatusCmd() *cobra.Command {
	return leaf("status ID", "Show a server's power and state", "eq.php status", cobra.ExactArgs(1), idArg(func(id int) error {
		return a.call(func(ctx context.Context, c *invapi.Client) error {
			st, err := c.Eq.Status(ctx, id)
			if err != nil {
				return err
			}
			power := st.Power
			if power == "" && st.Operation != nil && !a.noWait {
				// The older API reports the power state through a callback.
				res, err := a.wait(ctx, st.Operation, fmt.Sprintf("status %d", id))
				if err != nil {
					return err
				}
				power = firstOf(res.Debug, res.Scope)
			}
			return a.show(st, []string{itoa(id)}, fields("server", id, "status", st.Status, "power", power,
				"hostname", st.Hostname, "ip", st.IP, "os", st.OS))
		})
	}))
}

func (a *app) serverPowerCmd() *cobra.Command {
	on := leaf("on ID", "Power a server on and wait", "eq.php on, eq_callback.php check", cobra.ExactArgs(1), idArg(func(id int) error {
		return a.runOp(fmt.Sprintf("power on %d", id), func(ctx context.Context, c *invapi.Client) (*invapi.Operation, error) {
			return c.Eq.On(ctx, id)
		})
	}))
	off := leaf("off ID", "Power a server off and wait (asks first)", "eq.php off, eq_callback.php check", cobra.ExactArgs(1), idArg(func(id int) error {
		if err := a.confirm(fmt.Sprintf("power off server %d", id)); err != nil {
			return err
		}
		return a.runOp(fmt.Sprintf("power off %d", id), func(ctx context.Context, c *invapi.Client) (*invapi.Operation, error) {
			return c.Eq.Off(ctx, id)
		})
	}))
	hard := leaf("hard-off ID", "Force a server off (asks first)", "eq.php hard_off", cobra.ExactArgs(1), idArg(func(id int) error {
		if err := a.confirm(fmt.Sprintf("force server %d off", id)); err != nil {
			return err
		}
		return a.runOp(fmt.Sprintf("hard off %d", id), func(ctx context.Context, c *invapi.Client) (*invapi.Operation, error) {
			return c.Eq.HardOff(ctx, &invapi.HardOffRequest{ID: id})
		})
	}))
	return group("power", "Power a server on or off", on, off, hard)
}

func (a *app) serverRebootCmd() *cobra.Command {
	return leaf("reboot ID", "Reboot a server and wait", "eq.php reboot, eq_callback.php check", cobra.ExactArgs(1), idArg(func(id int) error {
		return a.runOp(fmt.Sprintf("reboot %d", id), func(ctx context.Context, c *invapi.Client) (*invapi.Operation, error) {
			return c.Eq.Reboot(ctx, id)
		})
	}))
}

func (a *app) serverReinstallCmd() *cobra.Command {
	var osID int
	var osName, hostname, sshKeyFile, script string
	var passStdin, pxe bool
	var bootMode string
	c := leaf("reinstall ID", "Reinstall a server's OS and follow the install stages (asks first; erases the disks)",
		"eq.php reinstall, eq_callback.php check, eq.php create_pxe, eq.php boot_dev, eq.php reboot, eq.php clear_pxe", cobra.ExactArgs(1), idArg(func(id int) error {
			if osID == 0 && osName == "" {
				return usagef("reinstall needs --os ID (hostkey os list --server %d)", id)
			}
			req := &invapi.ReinstallRequest{ID: id, OSID: osID, OSName: osName, Hostname: hostname}
			var err error
			if req.SSHKey, req.PostInstallScript, err = a.readInstallFiles(sshKeyFile, script); err != nil {
				return err
			}
			if err := a.confirm(fmt.Sprintf("reinstall server %d (everything on it is erased)", id)); err != nil {
				return err
			}
			if a.dryRun && !passStdin {
				req.RootPass = "DryRun-Pass1" // masked when printed; never sent
			} else {
				pass, err := a.readSecretInput("root password", passStdin)
				if err != nil {
					return err
				}
				req.RootPass = pass
			}
			if pxe {
				// The older procedure, step by step: create_pxe, boot_dev pxe,
				// reboot, the stages, then boot_dev disk and clear_pxe.
				return a.call(func(ctx context.Context, c *invapi.Client) error {
					p := a.newProgress(fmt.Sprintf("reinstall %d", id))
					res, err := c.Eq.ReinstallAndWait(ctx, &invapi.CreatePXERequest{ID: id, OSID: osID, OSName: osName,
						RootPass: req.RootPass, Hostname: hostname, SSHKey: req.SSHKey, PostInstallScript: req.PostInstallScript},
						invapi.BootMode(bootMode), p.progressFunc())
					if err := p.end(err, "done"); err != nil {
						return err
					}
					return a.show(res, []string{itoa(id)}, fields("server", id, "result", firstOf(res.Scope, "OK")))
				})
			}
			return a.call(func(ctx context.Context, c *invapi.Client) error {
				res, err := c.Eq.Reinstall(ctx, req)
				if err != nil {
					return err
				}
				return a.finishOp(ctx, res.Operation, fmt.Sprintf("reinstall %d", id))
			})
		}))
	f := c.Flags()
	f.IntVar(&osID, "os", 0, "OS id (hostkey os list --server ID)")
	f.StringVar(&osName, "os-name", "", "OS by name, instead of --os")
	f.StringVar(&hostname, "hostname", "", "hostname")
	f.StringVar(&sshKeyFile, "ssh-key-file", "", "public key file for root (- for stdin)")
	f.StringVar(&script, "post-install-script", "", "script file run on first boot")
	f.BoolVar(&passStdin, "root-pass-stdin", false, "read the root password from stdin (else asked on the terminal)")
	f.BoolVar(&pxe, "pxe", false, "the step-by-step PXE procedure (create_pxe, boot_dev, reboot, clear_pxe) instead of the one-call reinstall")
	f.StringVar(&bootMode, "boot-mode", "", "with --pxe: uefi, legacy or auto")
	return c
}

func (a *app) serverRenameCmd() *cobra.Command {
	return leaf("rename ID HOSTNAME", "Set a server's hostname, and its hostname tag where InvAPI keeps it (as HOSTKEY's Terraform provider does)",
		"eq.php rename_server, eq_callback.php check, tags.php add", cobra.ExactArgs(2), serverArgs(func(id int, args []string) error {
			return a.call(func(ctx context.Context, c *invapi.Client) error {
				op, err := c.Eq.RenameServer(ctx, &invapi.RenameServerRequest{ID: id, Hostname: args[1]})
				if err != nil {
					return err
				}
				if _, err := a.wait(ctx, op, fmt.Sprintf("rename %d", id)); err != nil {
					return err
				}
				res, err := c.Tags.Add(ctx, &invapi.TagAddRequest{ID: id, Tag: "hostname", Value: args[1]})
				if err != nil {
					return fmt.Errorf("renamed; setting the hostname tag: %w", err)
				}
				return a.show(res.Tag, []string{itoa(id)}, fields("server", id, "hostname", args[1]))
			})
		}))
}

func (a *app) serverConsoleCmd() *cobra.Command {
	var allow string
	var stop bool
	c := leaf("console ID", "Open a NoVNC console link for a virtual server (--stop closes it)",
		"eq.php novnc, eq.php stop_novnc, eq_callback.php check", cobra.ExactArgs(1), idArg(func(id int) error {
			if stop {
				return a.runOp(fmt.Sprintf("console %d stop", id), func(ctx context.Context, c *invapi.Client) (*invapi.Operation, error) {
					return c.Eq.StopNoVNC(ctx, id)
				})
			}
			return a.call(func(ctx context.Context, c *invapi.Client) error {
				p := a.newProgress(fmt.Sprintf("console %d", id))
				acc, err := c.Eq.OpenConsole(ctx, id, allow, p.progressFunc())
				if err := p.end(err, "open"); err != nil {
					return err
				}
				out := struct {
					ServerID int    `json:"server_id"`
					URL      string `json:"url"`
				}{id, acc.URL}
				fmt.Fprintf(a.stderr, "close it with: hostkey server console %d --stop\n", id)
				return a.show(out, []string{acc.URL}, fields("server", id, "url", acc.URL))
			})
		}))
	c.Flags().StringVar(&allow, "allow-from", "", "address allowed to connect")
	c.Flags().BoolVar(&stop, "stop", false, "stop the console instead")
	return c
}

func (a *app) serverIPMICmd() *cobra.Command {
	var allow string
	var hours int
	var admin bool
	var closeUser string
	c := leaf("ipmi ID", "Open temporary IPMI access: a NAT pass-through and an IPMI user (--close USER removes both)",
		"nat.php add_static_nat, nat_callback.php check, eq.php add_ipmi_user, eq.php add_ipmi_admin, eq.php remove_ipmi_user, nat.php remove_static_nat, eq.php get_ipmi",
		cobra.ExactArgs(1), idArg(func(id int) error {
			if closeUser != "" {
				return a.call(func(ctx context.Context, c *invapi.Client) error {
					p := a.newProgress(fmt.Sprintf("ipmi %d close", id))
					return p.end(closeIPMI(ctx, c, id, closeUser), "closed")
				})
			}
			return a.call(func(ctx context.Context, c *invapi.Client) error {
				p := a.newProgress(fmt.Sprintf("ipmi %d", id))
				acc, err := c.Eq.OpenIPMI(ctx, id, &invapi.IPMIAccessOptions{AllowFrom: allow, Hours: hours, Admin: admin}, p.progressFunc())
				if err := p.end(err, "open"); err != nil {
					return err
				}
				out := struct {
					ServerID int       `json:"server_id"`
					Address  string    `json:"address"`
					User     string    `json:"user"`
					Password string    `json:"password"`
					Expires  time.Time `json:"expires"`
				}{id, acc.Address, acc.User, acc.Password, acc.Expires}
				fmt.Fprintf(a.stderr, "close it with: hostkey server ipmi %d --close %s\n", id, acc.User)
				return a.show(out, []string{acc.User}, fields("server", id, "address", acc.Address, "user", acc.User,
					"password", acc.Password, "expires", acc.Expires.Format(time.RFC3339)))
			})
		}))
	f := c.Flags()
	f.StringVar(&allow, "allow-from", "", "address or CIDR allowed through the NAT")
	f.IntVar(&hours, "hours", 0, "how long the pass-through lasts (1-24; default 2)")
	f.BoolVar(&admin, "admin", false, "an administrator user")
	f.StringVar(&closeUser, "close", "", "remove this IPMI user and the pass-through")
	return c
}

// closeIPMI removes an IPMI user, then the NAT pass-through to the
// server's IPMI, waiting for each.
func closeIPMI(ctx context.Context, c *invapi.Client, id int, user string) error {
	op, err := c.Eq.RemoveIPMIUser(ctx, &invapi.RemoveIPMIUserRequest{ID: id, Username: user})
	if err == nil && op != nil {
		_, err = op.Wait(ctx)
	}
	if err != nil {
		return err
	}
	if op, err = c.NAT.RemoveStaticNAT(ctx, id); err != nil {
		return err
	}
	_, err = op.Wait(ctx)
	return err
}

func (a *app) serverSearchCmd() *cobra.Command {
	return leaf("search TEXT", "Find servers by id, name, address...", "eq.php unified_server_search", cobra.ExactArgs(1), func(cmd *cobra.Command, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) ([]invapi.ServerSummary, error) {
			return c.Eq.UnifiedServerSearch(ctx, &invapi.UnifiedServerSearchRequest{Query: args[0]})
		}, a.showServers)
	})
}

func (a *app) serverRefreshCmd() *cobra.Command {
	return leaf("refresh", "Refresh the session's server list (after an order) and show the deploy keys", "eq.php update_servers", cobra.NoArgs, func(cmd *cobra.Command, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.UpdateServersResult, error) {
			return c.Eq.UpdateServers(ctx)
		}, func(res *invapi.UpdateServersResult) error {
			t := &table{header: []string{"SERVER"}}
			for _, id := range res.Servers {
				t.addID(itoa(id), id)
			}
			return a.show(res, t.ids, t)
		})
	})
}

func (a *app) serverSensorsCmd() *cobra.Command {
	return leaf("sensors ID", "Read a server's IPMI sensors", "eq.php sensors, eq_callback.php check", cobra.ExactArgs(1), idArg(func(id int) error {
		return a.runOp(fmt.Sprintf("sensors %d", id), func(ctx context.Context, c *invapi.Client) (*invapi.Operation, error) {
			return c.Eq.Sensors(ctx, id)
		})
	}))
}

func (a *app) serverHistoryCmd() *cobra.Command {
	return leaf("history ID", "Show a server's event history", "eq.php history", cobra.ExactArgs(1), idArg(func(id int) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) ([]invapi.HistoryEvent, error) {
			return c.Eq.History(ctx, &invapi.HistoryRequest{ID: id})
		}, func(evs []invapi.HistoryEvent) error {
			return showRows(a, evs, []string{"DATE", "EVENT", "USER"}, func(t *table, e invapi.HistoryEvent) {
				t.add(e.Date, e.Event, e.User)
			})
		})
	}))
}

func (a *app) serverBootDevCmd() *cobra.Command {
	var mode string
	c := leaf("boot-dev ID pxe|disk|cd", "Set the device a server boots from", "eq.php boot_dev, eq_callback.php check", cobra.ExactArgs(2), serverArgs(func(id int, args []string) error {
		return a.runOp(fmt.Sprintf("boot-dev %d", id), func(ctx context.Context, c *invapi.Client) (*invapi.Operation, error) {
			return c.Eq.BootDev(ctx, &invapi.BootDevRequest{ID: id, Media: invapi.BootMedia(args[1]), BootMode: invapi.BootMode(mode)})
		})
	}))
	c.Flags().StringVar(&mode, "mode", "", "boot mode: uefi, legacy or auto")
	return c
}

func (a *app) serverUnitResetCmd() *cobra.Command {
	return leaf("unit-reset ID", "Cold-reset a server's IPMI module", "eq.php unit_reset, eq_callback.php check", cobra.ExactArgs(1), idArg(func(id int) error {
		return a.runOp(fmt.Sprintf("unit-reset %d", id), func(ctx context.Context, c *invapi.Client) (*invapi.Operation, error) {
			return c.Eq.UnitReset(ctx, id)
		})
	}))
}

func (a *app) serverPINCmd() *cobra.Command {
	check := leaf("check", "Check the account PIN", "eq.php check_pin, eq_callback.php check", cobra.NoArgs, func(cmd *cobra.Command, args []string) error {
		pin := ""
		if !a.dryRun {
			var err error
			if pin, err = a.readSecretInput("PIN", !a.stdinIsTerminal()); err != nil {
				return err
			}
		} else {
			pin = "0000"
		}
		return a.runOp("check pin", func(ctx context.Context, c *invapi.Client) (*invapi.Operation, error) {
			return c.Eq.CheckPIN(ctx, pin)
		})
	})
	set := leaf("set", "Set or change the account PIN (old and new PIN asked on the terminal, or two lines on stdin: old, empty if none, then new)", "eq.php set_pin, eq_callback.php check", cobra.NoArgs, func(cmd *cobra.Command, args []string) error {
		var old, nw string
		var err error
		if a.stdinIsTerminal() {
			if old, err = a.promptSecret("Old PIN (empty if none): "); err != nil {
				return err
			}
			if nw, err = a.promptSecret("New PIN: "); err != nil {
				return err
			}
		} else {
			if old, err = readLine(a.stdin); err != nil {
				return usagef("set pin: give the old PIN (or an empty line) and the new PIN on stdin")
			}
			if nw, err = readLine(a.stdin); err != nil && nw == "" {
				return usagef("set pin: no new PIN on stdin")
			}
		}
		old, nw = strings.TrimSpace(old), strings.TrimSpace(nw)
		return a.runOp("set pin", func(ctx context.Context, c *invapi.Client) (*invapi.Operation, error) {
			return c.Eq.SetPIN(ctx, &invapi.SetPINRequest{OldPIN: old, NewPIN: nw})
		})
	})
	return group("pin", "The account PIN", check, set)
}
