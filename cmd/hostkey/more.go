package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/invapi-go/invapi"
)

// More server commands: backups, suspension, traffic, groups, search,
// status checks, console re-creation, reinstall abort.
func (a *app) serverMoreCmds() []*cobra.Command {
	backupList := leaf("list ID", "List a server's backups", "eq.php backup_list", cobra.ExactArgs(1), idArg(func(id int) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) ([]invapi.Backup, error) {
			return c.Eq.BackupList(ctx, &invapi.BackupRequest{ID: id})
		}, func(bs []invapi.Backup) error {
			return showRows(a, bs, []string{"ID", "NAME", "DATE", "SIZE", "STATUS"}, func(t *table, b invapi.Backup) {
				t.addID(b.ID, b.ID, b.Name, b.Date, b.Size, b.Status)
			})
		})
	}))
	backupCreate := leaf("create ID", "Back a server up", "eq.php create_backup, eq_callback.php check", cobra.ExactArgs(1), idArg(func(id int) error {
		return a.runOp(fmt.Sprintf("backup %d", id), func(ctx context.Context, c *invapi.Client) (*invapi.Operation, error) {
			return c.Eq.CreateBackup(ctx, &invapi.BackupRequest{ID: id})
		})
	}))
	backupAction := func(use, short, action string, confirm string, call func(ctx context.Context, c *invapi.Client, r *invapi.BackupActionRequest) (*invapi.Operation, error)) *cobra.Command {
		return leaf(use+" ID BACKUP", short, action+", eq_callback.php check", cobra.ExactArgs(2), serverArgs(func(id int, args []string) error {
			if confirm != "" {
				if err := a.confirm(fmt.Sprintf(confirm, args[1], id)); err != nil {
					return err
				}
			}
			return a.runOp(fmt.Sprintf("%s %d", use, id), func(ctx context.Context, c *invapi.Client) (*invapi.Operation, error) {
				return call(ctx, c, &invapi.BackupActionRequest{ID: id, BackupID: args[1]})
			})
		}))
	}
	backupRestore := backupAction("restore", "Restore a server from a backup (asks first)", "eq.php restore_backup", "restore backup %s onto server %d (its disks are overwritten)",
		func(ctx context.Context, c *invapi.Client, r *invapi.BackupActionRequest) (*invapi.Operation, error) {
			return c.Eq.RestoreBackup(ctx, r)
		})
	backupDelete := backupAction("delete", "Delete a backup (asks first)", "eq.php delete_backup", "delete backup %s of server %d",
		func(ctx context.Context, c *invapi.Client, r *invapi.BackupActionRequest) (*invapi.Operation, error) {
			return c.Eq.DeleteBackup(ctx, r)
		})
	backupLink := leaf("link ID BACKUP", "Get a temporary download link to a backup", "eq.php request_backup_link", cobra.ExactArgs(2), serverArgs(func(id int, args []string) error {
		return a.call(func(ctx context.Context, c *invapi.Client) error {
			l, err := c.Eq.RequestBackupLink(ctx, &invapi.BackupActionRequest{ID: id, BackupID: args[1]})
			if err != nil {
				return err
			}
			if l.Operation != nil {
				res, err := a.wait(ctx, l.Operation, "backup link")
				if err != nil {
					return err
				}
				l.URL = firstOf(l.URL, res.Scope)
			}
			return a.show(map[string]string{"url": l.URL, "expires": l.Expires}, []string{l.URL}, fields("url", l.URL, "expires", l.Expires))
		})
	}))
	schedule := leaf("schedule ID [key=value...]", "Show a server's backup schedule, or save one from key=value fields",
		"eq.php backup_get_schedule, eq.php backup_save_schedule, eq_callback.php check", cobra.MinimumNArgs(1), serverArgs(func(id int, args []string) error {
			extra, err := keyValues(args[1:])
			if err != nil {
				return err
			}
			if len(extra) > 0 {
				return a.runOp(fmt.Sprintf("backup schedule %d", id), func(ctx context.Context, c *invapi.Client) (*invapi.Operation, error) {
					return c.Eq.BackupSaveSchedule(ctx, &invapi.BackupRequest{ID: id, Extra: extra})
				})
			}
			return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.BackupSchedule, error) {
				return c.Eq.BackupGetSchedule(ctx, &invapi.BackupRequest{ID: id})
			}, func(s *invapi.BackupSchedule) error { return a.showMap(s.Fields) })
		}))
	lock := leaf("lock ID", "Say whether backup operations are locked", "eq.php check_backup_lock", cobra.ExactArgs(1), idArg(func(id int) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.BackupLock, error) {
			return c.Eq.CheckBackupLock(ctx, &invapi.BackupRequest{ID: id})
		}, func(l *invapi.BackupLock) error {
			return a.show(map[string]bool{"locked": l.Locked}, nil, fields("locked", l.Locked))
		})
	}))
	backup := group("backup", "Server backups", backupList, backupCreate, backupRestore, backupDelete, backupLink, schedule, lock)

	suspend := leaf("suspend ID", "Suspend (lock) a server (asks first)", "eq.php suspend, eq_callback.php check", cobra.ExactArgs(1), idArg(func(id int) error {
		if err := a.confirm(fmt.Sprintf("suspend server %d", id)); err != nil {
			return err
		}
		return a.runOp(fmt.Sprintf("suspend %d", id), func(ctx context.Context, c *invapi.Client) (*invapi.Operation, error) {
			return c.Eq.Suspend(ctx, &invapi.SuspendRequest{ID: id})
		})
	}))
	unsuspend := leaf("unsuspend ID", "Lift a server's suspension", "eq.php unsuspend, eq_callback.php check", cobra.ExactArgs(1), idArg(func(id int) error {
		return a.runOp(fmt.Sprintf("unsuspend %d", id), func(ctx context.Context, c *invapi.Client) (*invapi.Operation, error) {
			return c.Eq.Unsuspend(ctx, &invapi.UnsuspendRequest{ID: id})
		})
	}))
	abort := leaf("abort-reinstall ID", "Stop a reinstall under way", "eq.php abort_reinstall, eq_callback.php check", cobra.ExactArgs(1), idArg(func(id int) error {
		return a.runOp(fmt.Sprintf("abort reinstall %d", id), func(ctx context.Context, c *invapi.Client) (*invapi.Operation, error) {
			return c.Eq.AbortReinstall(ctx, &invapi.AbortReinstallRequest{ID: id})
		})
	}))
	traffic := leaf("traffic ID", "Show a server's traffic usage", "eq.php get_traffic", cobra.ExactArgs(1), idArg(func(id int) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.ServerTraffic, error) {
			return c.Eq.GetTraffic(ctx, &invapi.ServerTrafficRequest{ID: id})
		}, func(tr *invapi.ServerTraffic) error { return a.showMap(tr.Fields) })
	}))
	groups := leaf("groups ID", "List a server's groups", "eq.php groups", cobra.ExactArgs(1), idArg(func(id int) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) ([]invapi.ServerGroup, error) {
			return c.Eq.Groups(ctx, &invapi.GroupsRequest{ID: id})
		}, func(gs []invapi.ServerGroup) error {
			return showRows(a, gs, []string{"ID", "NAME"}, func(t *table, g invapi.ServerGroup) {
				t.add(g.ID, g.Name)
			})
		})
	}))
	var status, ip string
	var locations []string
	filter := leaf("filter", "Filter servers by location, status, IP (eq search)", "eq.php search", cobra.NoArgs, func(cmd *cobra.Command, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) ([]invapi.ServerSummary, error) {
			return c.Eq.Search(ctx, &invapi.ServerSearchRequest{ServerListRequest: invapi.ServerListRequest{Locations: locations, Status: status, IP: ip}})
		}, a.showServers)
	})
	filter.Flags().StringSliceVar(&locations, "location", nil, "locations")
	filter.Flags().StringVar(&status, "status", "", "status")
	filter.Flags().StringVar(&ip, "ip", "", "an address of the server")
	check := leaf("check ID", "Ask for a fresh check of a server's state", "eq.php status_check", cobra.ExactArgs(1), idArg(func(id int) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.StatusCheck, error) {
			return c.Eq.StatusCheck(ctx, &invapi.StatusCheckRequest{ID: id})
		}, func(st *invapi.StatusCheck) error {
			return a.show(st, []string{itoa(id)}, fields("server", id, "status", st.Status, "power", st.Power, "deploy", st.DeployStatus))
		})
	}))
	recreate := leaf("console-reset ID", "Re-create a virtual server's NoVNC console", "eq.php recreate_novnc, eq_callback.php check", cobra.ExactArgs(1), idArg(func(id int) error {
		return a.runOp(fmt.Sprintf("console reset %d", id), func(ctx context.Context, c *invapi.Client) (*invapi.Operation, error) {
			return c.Eq.RecreateNoVNC(ctx, id)
		})
	}))
	return []*cobra.Command{backup, suspend, unsuspend, abort, traffic, groups, filter, check, recreate}
}

func keyValues(args []string) (invapi.Fields, error) {
	out := invapi.Fields{}
	for _, kv := range args {
		k, v, ok := cutKV(kv)
		if !ok {
			return nil, usagef("%q is not key=value", kv)
		}
		out[k] = v
	}
	return out, nil
}

func cutKV(kv string) (string, string, bool) {
	for i := 0; i < len(kv); i++ {
		if kv[i] == '=' {
			return kv[:i], kv[i+1:], i > 0
		}
	}
	return "", "", false
}

func (a *app) isoCmd() *cobra.Command {
	showISOs := func(is []invapi.ISOImage) error {
		return showRows(a, orEmpty(is), []string{"ID", "NAME", "SIZE", "STATUS", "PUBLIC"}, func(t *table, i invapi.ISOImage) {
			t.addID(itoa(i.ID), i.ID, i.Name, i.Size, i.Status, i.Public)
		})
	}
	var isoServer int
	list := leaf("list", "List the ISO images a server can boot", "iso.php list_iso", cobra.NoArgs, func(cmd *cobra.Command, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) ([]invapi.ISOImage, error) {
			return c.ISO.List(ctx, &invapi.ISOListRequest{ServerID: isoServer})
		}, func(is []invapi.ISOImage) error {
			return showISOs(is)
		})
	})
	list.Flags().IntVar(&isoServer, "server", 0, "the images that fit this server (required with a server's API key)")
	mine := leaf("uploaded", "List the images you uploaded", "iso.php uploaded", cobra.NoArgs, func(cmd *cobra.Command, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) ([]invapi.ISOImage, error) {
			return c.ISO.Uploaded(ctx)
		}, func(is []invapi.ISOImage) error {
			return showISOs(is)
		})
	})
	var name string
	var upload bool
	add := leaf("add URL", "Add an ISO image from a URL (--upload: iso upload)", "iso.php add, iso.php upload", cobra.ExactArgs(1), func(cmd *cobra.Command, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.ISOImage, error) {
			add := c.ISO.Add
			if upload {
				add = c.ISO.Upload
			}
			return add(ctx, &invapi.ISOAddRequest{Name: name, URL: args[0]})
		}, func(img *invapi.ISOImage) error {
			return showISOs([]invapi.ISOImage{*img})
		})
	})
	add.Flags().StringVar(&name, "name", "", "image name (default: the URL's file name)")
	add.Flags().BoolVar(&upload, "upload", false, "use iso.php upload")
	del := leaf("delete ISO-ID", "Delete one of your ISO images", "iso.php delete", cobra.ExactArgs(1), numArgs("ISO id", func(id int, args []string) error {
		return a.call(func(ctx context.Context, c *invapi.Client) error { return c.ISO.Delete(ctx, id) })
	}))
	mount := leaf("mount ID ISO", "Mount an ISO image (id or name) on a server's virtual CD", "iso.php mount_iso", cobra.ExactArgs(2), serverArgs(func(id int, args []string) error {
		req := &invapi.MountISORequest{ID: id}
		if n, err := strconv.Atoi(args[1]); err == nil {
			req.ISOID = n
		} else {
			req.Name = args[1]
		}
		return a.runOp(fmt.Sprintf("mount on %d", id), func(ctx context.Context, c *invapi.Client) (*invapi.Operation, error) {
			return c.ISO.MountISO(ctx, req)
		})
	}))
	unmount := leaf("unmount ID", "Unmount the image from a server", "iso.php unmount_iso", cobra.ExactArgs(1), idArg(func(id int) error {
		return a.runOp(fmt.Sprintf("unmount on %d", id), func(ctx context.Context, c *invapi.Client) (*invapi.Operation, error) {
			return c.ISO.UnmountISO(ctx, id)
		})
	}))
	return group("iso", "ISO images to boot servers from", list, mine, add, del, mount, unmount)
}

func (a *app) vmCmd() *cobra.Command {
	list := leaf("snapshots ID", "List a virtual server's snapshots", "vm.php get_snapshot", cobra.ExactArgs(1), idArg(func(id int) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.Snapshots, error) {
			return c.VM.GetSnapshot(ctx, id)
		}, func(s *invapi.Snapshots) error {
			t := &table{header: []string{"NAME", "DATE", "SIZE"}}
			for _, sn := range s.Snapshots {
				t.addID(sn.Name, sn.Name, sn.Date, sn.Size)
			}
			return a.show(s, t.ids, t)
		})
	}))
	snap := func(use, short, action, confirm string, call func(ctx context.Context, c *invapi.Client, id int, name string) (*invapi.Operation, error)) *cobra.Command {
		return leaf(use+" ID NAME", short, action+", eq_callback.php check", cobra.ExactArgs(2), serverArgs(func(id int, args []string) error {
			if confirm != "" {
				if err := a.confirm(fmt.Sprintf(confirm, id, args[1])); err != nil {
					return err
				}
			}
			return a.runOp(fmt.Sprintf("%s %d", use, id), func(ctx context.Context, c *invapi.Client) (*invapi.Operation, error) {
				return call(ctx, c, id, args[1])
			})
		}))
	}
	create := snap("snapshot", "Snapshot a virtual server", "vm.php create_snapshot", "", func(ctx context.Context, c *invapi.Client, id int, name string) (*invapi.Operation, error) {
		return c.VM.CreateSnapshot(ctx, id, name)
	})
	restore := snap("restore", "Return a virtual server to a snapshot (asks first)", "vm.php restore_snapshot", "restore server %d to snapshot %s (later changes are lost)", func(ctx context.Context, c *invapi.Client, id int, name string) (*invapi.Operation, error) {
		return c.VM.RestoreSnapshot(ctx, id, name)
	})
	remove := snap("delete-snapshot", "Delete a snapshot", "vm.php remove_snapshot", "", func(ctx context.Context, c *invapi.Client, id int, name string) (*invapi.Operation, error) {
		return c.VM.RemoveSnapshot(ctx, id, name)
	})
	stats := leaf("stats ID", "Show a virtual server's resource usage", "vm.php load_stats", cobra.ExactArgs(1), idArg(func(id int) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.VMStats, error) {
			return c.VM.LoadStats(ctx, id)
		}, func(s *invapi.VMStats) error {
			return a.show(s, nil, fields("cpu %", s.CPU, "ram used MB", s.RAMUsed, "ram total MB", s.RAMTotal,
				"net in", s.NetIn, "net out", s.NetOut))
		})
	}))
	var auto bool
	var rotation int
	settings := leaf("restore-settings ID", "Set automatic restore and snapshot rotation", "vm.php update_restore_settings", cobra.ExactArgs(1), idArg(func(id int) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.RestoreSettings, error) {
			return c.VM.UpdateRestoreSettings(ctx, id, invapi.RestoreSettings{AutoRestore: auto, Rotation: rotation})
		}, func(s *invapi.RestoreSettings) error {
			return a.show(s, nil, fields("auto restore", s.AutoRestore, "rotation", s.Rotation))
		})
	}))
	settings.Flags().BoolVar(&auto, "auto-restore", false, "restore automatically")
	settings.Flags().IntVar(&rotation, "rotation", 0, "snapshots kept")
	return group("vm", "Virtual servers: snapshots and statistics", list, create, restore, remove, stats, settings)
}

func (a *app) whoamiCmd() *cobra.Command {
	return leaf("whoami", "Show the session: role, customer, servers (logs in if needed)", "auth.php info, auth.php login, auth.php whmcslogin, auth.php 2fa_check", cobra.NoArgs, func(cmd *cobra.Command, args []string) error {
		return a.call(func(ctx context.Context, c *invapi.Client) error {
			info, err := c.Auth.Info(ctx)
			if err != nil {
				return err
			}
			ids := make([]string, 0, len(info.Servers))
			for _, id := range info.Servers {
				ids = append(ids, itoa(id))
			}
			return a.show(info, ids, fields("role", info.Role, "customer", info.CustomerID, "email", info.Email,
				"servers", ids, "portal", c.BaseURL()))
		})
	})
}

func (a *app) ipMoreCmds() []*cobra.Command {
	traffic := leaf("traffic IP [key=value...]", "Show an address's traffic (period fields as key=value)", "ip.php get_traffic", cobra.MinimumNArgs(1), func(cmd *cobra.Command, args []string) error {
		extra, err := keyValues(args[1:])
		if err != nil {
			return err
		}
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.IPTraffic, error) {
			return c.IP.GetTraffic(ctx, &invapi.GetTrafficRequest{IP: args[0], Extra: extra})
		}, func(tr *invapi.IPTraffic) error {
			return a.printRaw(tr.Raw())
		})
	})
	free := leaf("free [key=value...]", "List unused addresses (subnet or location fields as key=value)", "ip.php list_free_ip", cobra.ArbitraryArgs, func(cmd *cobra.Command, args []string) error {
		extra, err := keyValues(args)
		if err != nil {
			return err
		}
		return fetch(a, func(ctx context.Context, c *invapi.Client) ([]string, error) {
			return c.IP.ListFreeIP(ctx, &invapi.ListFreeIPRequest{Extra: extra})
		}, func(ips []string) error {
			return a.showList("IP", ips)
		})
	})
	return []*cobra.Command{traffic, free}
}
