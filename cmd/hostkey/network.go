package main

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/invapi-go/invapi"
)

func (a *app) tagCmd() *cobra.Command {
	list := leaf("list ID", "List a server's tags", "tags.php list", cobra.ExactArgs(1), idArg(func(id int) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) ([]invapi.Tag, error) {
			return c.Tags.List(ctx, id)
		}, func(tags []invapi.Tag) error {
			return showRows(a, orEmpty(tags), []string{"NAME", "VALUE", "EXTRA"}, func(t *table, tg invapi.Tag) {
				t.addID(tg.Name, tg.Name, tg.Value, tg.Extra)
			})
		})
	}))
	var extra string
	add := leaf("add ID NAME VALUE", "Add a tag to a server, or change its value", "tags.php add", cobra.ExactArgs(3), serverArgs(func(id int, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.TagAddResult, error) {
			return c.Tags.Add(ctx, &invapi.TagAddRequest{ID: id, Tag: args[1], Value: args[2], ExtraValue: extra})
		}, func(res *invapi.TagAddResult) error {
			return a.show(res.Tag, []string{args[1]}, fields("server", id, "tag", args[1], "value", args[2]))
		})
	}))
	add.Flags().StringVar(&extra, "extra", "", "the tag's extra value")
	remove := leaf("remove ID NAME", "Remove a tag from a server", "tags.php remove", cobra.ExactArgs(2), serverArgs(func(id int, args []string) error {
		return a.call(func(ctx context.Context, c *invapi.Client) error {
			if err := c.Tags.Remove(ctx, &invapi.TagRemoveRequest{ID: id, Tag: args[1]}); err != nil {
				return err
			}
			fmt.Fprintf(a.stderr, "tag %s removed from server %d\n", args[1], id)
			return nil
		})
	}))
	search := leaf("search TEXT", "Find your servers with a tag whose name or value contains TEXT", "tags.php user_search", cobra.ExactArgs(1), func(cmd *cobra.Command, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) ([]int, error) {
			return c.Tags.UserSearch(ctx, args[0])
		}, func(ids []int) error {
			return showRows(a, orEmpty(ids), []string{"SERVER"}, func(t *table, id int) {
				t.addID(itoa(id), id)
			})
		})
	})
	return group("tag", "Server tags", list, add, remove, search)
}

func (a *app) ipCmd() *cobra.Command {
	get := leaf("get ID IP", "Show the PTR records (reverse DNS) of a server's address", "ip.php get_ptr", cobra.ExactArgs(2), serverArgs(func(id int, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.PTRRecord, error) {
			return c.IP.GetPTR(ctx, &invapi.GetPTRRequest{ID: id, IP: args[1]})
		}, func(p *invapi.PTRRecord) error {
			return a.show(p, p.Names, fields("ip", p.IP, "ptr", p.Names))
		})
	}))
	set := leaf("set ID IP NAME...", "Set the PTR records of a server's address", "ip.php update_ptr", cobra.MinimumNArgs(3), serverArgs(func(id int, args []string) error {
		return a.call(func(ctx context.Context, c *invapi.Client) error {
			if err := c.IP.UpdatePTR(ctx, &invapi.UpdatePTRRequest{ID: id, IP: args[1], PTR: invapi.PTRNames(args[2:])}); err != nil {
				return err
			}
			fmt.Fprintf(a.stderr, "PTR of %s set to %s\n", args[1], strings.Join(args[2:], ", "))
			return nil
		})
	}))
	show := leaf("show IP", "Show what InvAPI knows about an address", "ip.php get_ip", cobra.ExactArgs(1), func(cmd *cobra.Command, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.IPInfo, error) {
			return c.IP.GetIP(ctx, args[0])
		}, func(info *invapi.IPInfo) error {
			return a.show(info, []string{info.IP}, fields("ip", info.IP, "network", info.Network, "netmask", info.Netmask,
				"gateway", info.Gateway, "location", info.Location, "status", info.Status))
		})
	})
	setMain := leaf("set-main ID IP", "Make an address the server's main IP", "ip.php set_main", cobra.ExactArgs(2), serverArgs(func(id int, args []string) error {
		return a.call(func(ctx context.Context, c *invapi.Client) error {
			return c.IP.SetMain(ctx, &invapi.SetMainRequest{ID: id, IP: args[1]})
		})
	}))
	mine := leaf("mine", "Show the address InvAPI sees your requests come from", "ip.php get_client_ip", cobra.NoArgs, func(cmd *cobra.Command, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) (string, error) {
			return c.IP.GetClientIP(ctx)
		}, func(ip string) error {
			return a.show(map[string]string{"ip": ip}, []string{ip}, fields("ip", ip))
		})
	})
	return group("ip", "IP addresses and reverse DNS", append(a.ipMoreCmds(), group("ptr", "PTR records (reverse DNS)", get, set), show, setMain, mine)...)
}

func (a *app) netCmd() *cobra.Command {
	var reason string
	on := leaf("on ID PORT", "Enable a server's switch port", "net.php port_on, eq_callback.php check", cobra.ExactArgs(2), serverArgs(func(id int, args []string) error {
		return a.runOp(fmt.Sprintf("port on %d %s", id, args[1]), func(ctx context.Context, c *invapi.Client) (*invapi.Operation, error) {
			return c.Net.PortOn(ctx, &invapi.PortOnRequest{ID: id, Port: args[1]})
		})
	}))
	off := leaf("off ID PORT", "Disable a server's switch port (asks first: the server goes offline)", "net.php port_off, eq_callback.php check", cobra.ExactArgs(2), serverArgs(func(id int, args []string) error {
		if err := a.confirm(fmt.Sprintf("disable port %s of server %d", args[1], id)); err != nil {
			return err
		}
		return a.runOp(fmt.Sprintf("port off %d %s", id, args[1]), func(ctx context.Context, c *invapi.Client) (*invapi.Operation, error) {
			return c.Net.PortOff(ctx, &invapi.PortOffRequest{ID: id, Port: args[1], Reason: reason})
		})
	}))
	off.Flags().StringVar(&reason, "reason", "", "why (kept in a block tag)")
	status := leaf("status ID [PORT]", "Read a server's switch port state", "net.php get_status, eq_callback.php check", cobra.RangeArgs(1, 2), serverArgs(func(id int, args []string) error {
		port := ""
		if len(args) > 1 {
			port = args[1]
		}
		return a.runOp(fmt.Sprintf("port status %d", id), func(ctx context.Context, c *invapi.Client) (*invapi.Operation, error) {
			return c.Net.GetStatus(ctx, &invapi.GetStatusRequest{ID: id, Port: port})
		})
	}))
	var graph int
	var outFile string
	cacti := leaf("graph ID PORT", "Save a port's traffic graph (PNG)", "net.php show_cacti", cobra.ExactArgs(2), serverArgs(func(id int, args []string) error {
		if outFile == "" {
			return usagef("graph needs --out FILE")
		}
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.File, error) {
			return c.Net.ShowCacti(ctx, &invapi.ShowCactiRequest{ID: id, Port: args[1], Graph: invapi.CactiGraph(graph)})
		}, func(f *invapi.File) error {
			return os.WriteFile(outFile, f.Data, 0o644)
		})
	}))
	cacti.Flags().IntVar(&graph, "period", 1, "1 daily, 2 monthly, 3 annual")
	cacti.Flags().StringVar(&outFile, "out", "", "file to write")
	var desc string
	var fourHours bool
	block := leaf("block ID IP", "Block an address at HOSTKEY's network edge", "net.php block_ip, eq_callback.php check", cobra.ExactArgs(2), serverArgs(func(id int, args []string) error {
		return a.runOp("block "+args[1], func(ctx context.Context, c *invapi.Client) (*invapi.Operation, error) {
			return c.Net.BlockIP(ctx, &invapi.BlockIPRequest{ID: id, IP: args[1], Description: desc, FourHours: fourHours})
		})
	}))
	block.Flags().StringVar(&desc, "reason", "", "why")
	block.Flags().BoolVar(&fourHours, "four-hours", false, "lift the block after four hours")
	unblock := leaf("unblock ID IP", "Lift an address block", "net.php unblock_ip, eq_callback.php check", cobra.ExactArgs(2), serverArgs(func(id int, args []string) error {
		return a.runOp("unblock "+args[1], func(ctx context.Context, c *invapi.Client) (*invapi.Operation, error) {
			return c.Net.UnblockIP(ctx, &invapi.UnblockIPRequest{ID: id, IP: args[1]})
		})
	}))
	var amount int
	addIP := leaf("add-ipv4 ID", "Add IPv4 addresses to a server", "net.php add_ipv4, eq_callback.php check", cobra.ExactArgs(1), idArg(func(id int) error {
		return a.runOp(fmt.Sprintf("add ipv4 %d", id), func(ctx context.Context, c *invapi.Client) (*invapi.Operation, error) {
			r, err := c.Net.AddIPv4(ctx, &invapi.AddIPv4Request{ID: id, Amount: amount})
			if err != nil {
				return nil, err
			}
			return r.Operation, nil
		})
	}))
	addIP.Flags().IntVar(&amount, "amount", 1, "how many")
	removeIP := leaf("remove-ipv4 ID IP", "Remove an IPv4 address from a server (asks first)", "net.php remove_ipv4, eq_callback.php check", cobra.ExactArgs(2), serverArgs(func(id int, args []string) error {
		if err := a.confirm(fmt.Sprintf("remove %s from server %d", args[1], id)); err != nil {
			return err
		}
		return a.runOp(fmt.Sprintf("remove ipv4 %d", id), func(ctx context.Context, c *invapi.Client) (*invapi.Operation, error) {
			return c.Net.RemoveIPv4(ctx, &invapi.RemoveIPv4Request{ID: id, IP: args[1]})
		})
	}))
	free := leaf("free-ipv4 ID", "List the free IPv4 addresses a server could get", "net.php show_ipv4_free", cobra.ExactArgs(1), idArg(func(id int) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) ([]string, error) {
			return c.Net.ShowIPv4Free(ctx, &invapi.ShowIPv4FreeRequest{ID: id})
		}, func(ips []string) error {
			return a.showList("IP", ips)
		})
	}))
	return group("net", "Switch ports, traffic graphs, address blocks, extra IPv4",
		group("port", "Switch ports", on, off, status), cacti, block, unblock, addIP, removeIP, free)
}

func (a *app) natCmd() *cobra.Command {
	var allow string
	var ttl int
	add := leaf("add ID", "Open a public pass-through to a server's IPMI", "nat.php add_static_nat, nat_callback.php check", cobra.ExactArgs(1), idArg(func(id int) error {
		return a.runOp(fmt.Sprintf("nat add %d", id), func(ctx context.Context, c *invapi.Client) (*invapi.Operation, error) {
			return c.NAT.AddStaticNAT(ctx, &invapi.AddStaticNATRequest{ID: id, IPACL: allow, TTL: ttl})
		})
	}))
	add.Flags().StringVar(&allow, "allow-from", "", "address or CIDR allowed")
	add.Flags().IntVar(&ttl, "hours", 0, "life of the rule in hours (default 2, at most 24)")
	remove := leaf("remove ID", "Remove the pass-through to a server's IPMI", "nat.php remove_static_nat, nat_callback.php check", cobra.ExactArgs(1), idArg(func(id int) error {
		return a.runOp(fmt.Sprintf("nat remove %d", id), func(ctx context.Context, c *invapi.Client) (*invapi.Operation, error) {
			return c.NAT.RemoveStaticNAT(ctx, id)
		})
	}))
	return group("nat", "Static NAT to a server's IPMI", add, remove)
}
