package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/invapi-go/invapi"
)

func (a *app) presetCmd() *cobra.Command {
	list := a.presetPricesCmd("list", "List the presets (instance configurations) that can be ordered in a location, with prices", "presets.php list",
		"NL", "location: NL, US, RU...", func(ctx context.Context, c *invapi.Client, location string) ([]invapi.Preset, error) {
			return c.Presets.List(ctx, &invapi.PresetsListRequest{Location: location})
		})

	var showLocation string
	show := leaf("show ID|NAME", "Show one preset", "presets.php show", cobra.ExactArgs(1), func(cmd *cobra.Command, args []string) error {
		req := &invapi.PresetShowRequest{Location: showLocation}
		if _, err := fmt.Sscanf(args[0], "%d", &req.ID); err != nil || fmt.Sprint(req.ID) != args[0] {
			req.ID, req.Name = 0, args[0]
		}
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.Preset, error) {
			return c.Presets.Show(ctx, req)
		}, func(p *invapi.Preset) error {
			price, _ := p.PriceIn(showLocation, "EUR")
			return a.show(p, []string{itoa(p.ID)}, fields("id", p.ID, "name", p.Name, "type", p.Type, "group", p.Group,
				"cpu", p.CPU, "cores", p.Cores, "ram GB", p.RAM, "disk GB", p.HDD, "locations", p.Locations,
				"available", p.Available, "price EUR/month", price))
		})
	})
	show.Flags().StringVar(&showLocation, "location", "", "location for the price")

	var groupLocation string
	groups := leaf("groups", "List the preset groups", "presets.php groups", cobra.NoArgs, func(cmd *cobra.Command, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) ([]invapi.PresetGroup, error) {
			return c.Presets.Groups(ctx, &invapi.PresetGroupsRequest{Location: groupLocation})
		}, func(gs []invapi.PresetGroup) error {
			return showRows(a, gs, []string{"ID", "NAME"}, func(t *table, g invapi.PresetGroup) {
				t.addID(itoa(g.ID), g.ID, g.Name)
			})
		})
	})
	groups.Flags().StringVar(&groupLocation, "location", "", "location")

	var searchLocation string
	search := leaf("search NAME", "Search presets by name", "presets.php search", cobra.ExactArgs(1), func(cmd *cobra.Command, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) ([]invapi.Preset, error) {
			return c.Presets.Search(ctx, &invapi.PresetSearchRequest{Name: args[0], Location: searchLocation})
		}, func(ps []invapi.Preset) error {
			return a.showPresets(ps, searchLocation, "EUR")
		})
	})
	search.Flags().StringVar(&searchLocation, "location", "", "location")

	info := a.presetPricesCmd("prices", "List presets with their prices in several currencies", "presets.php info",
		"", "location", func(ctx context.Context, c *invapi.Client, location string) ([]invapi.Preset, error) {
			return c.Presets.Info(ctx, &invapi.PresetInfoRequest{Location: location})
		})
	return group("preset", "Presets: the server configurations on offer", list, show, groups, search, info)
}

// presetPricesCmd is a command listing presets with a price column: its
// --location (default location, described by locationHelp) and --currency.
func (a *app) presetPricesCmd(use, short, action, location, locationHelp string,
	list func(ctx context.Context, c *invapi.Client, location string) ([]invapi.Preset, error)) *cobra.Command {
	var loc, currency string
	cmd := leaf(use, short, action, cobra.NoArgs, func(cmd *cobra.Command, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) ([]invapi.Preset, error) {
			return list(ctx, c, loc)
		}, func(ps []invapi.Preset) error {
			return a.showPresets(ps, loc, currency)
		})
	})
	cmd.Flags().StringVar(&loc, "location", location, locationHelp)
	cmd.Flags().StringVar(&currency, "currency", "EUR", "currency of the price column")
	return cmd
}

func (a *app) showPresets(ps []invapi.Preset, location, currency string) error {
	t := &table{header: []string{"ID", "NAME", "TYPE", "CPU", "CORES", "RAM", "DISK", "AVAILABLE", "PRICE/MONTH"}}
	for i := range ps {
		p := &ps[i]
		price := "-"
		if m, ok := p.PriceIn(location, currency); ok {
			price = m.String() + " " + currency
		}
		t.addID(p.Name, p.ID, p.Name, p.Type, p.CPU, p.Cores, p.RAM, p.HDD, p.Available, price)
	}
	return a.show(orEmpty(ps), t.ids, t)
}

func (a *app) osCmd() *cobra.Command {
	var server, preset int
	var location string
	list := leaf("list", "List the operating systems for one of your servers (--server) or a preset (--preset, --location)", "os.php list", cobra.NoArgs, func(cmd *cobra.Command, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.OSList, error) {
			return c.OS.List(ctx, &invapi.OSListRequest{ID: server, InstanceID: preset, Location: location})
		}, func(l *invapi.OSList) error {
			return a.showOS(l.OS, l)
		})
	})
	f := list.Flags()
	f.IntVar(&server, "server", 0, "the OSes that fit this server (for a reinstall)")
	f.IntVar(&preset, "preset", 0, "the OSes that fit this preset id (for an order)")
	f.StringVar(&location, "location", "", "location of the preset")
	return group("os", "Operating systems", list)
}

func (a *app) showOS(oses []invapi.OS, v any) error {
	t := &table{header: []string{"ID", "NAME", "FAMILY", "RUNS ON"}}
	for _, o := range oses {
		t.addID(itoa(o.ID), o.ID, o.Name, o.Family, o.Tags)
	}
	return a.show(v, t.ids, t)
}

func (a *app) planCmd() *cobra.Command {
	var server, preset int
	var location string
	list := leaf("list", "List the traffic plans for a preset in a location, or for one of your servers", "traffic_plans.php list", cobra.NoArgs, func(cmd *cobra.Command, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) ([]invapi.TrafficPlan, error) {
			return c.TrafficPlans.List(ctx, &invapi.TrafficPlansListRequest{ID: server, InstanceID: preset, Location: location})
		}, a.showPlans)
	})
	f := list.Flags()
	f.IntVar(&server, "server", 0, "plans of this server")
	f.IntVar(&preset, "preset", 0, "plans of this preset id")
	f.StringVar(&location, "location", "", "location of the preset")
	return group("plan", "Traffic plans", list)
}

func (a *app) showPlans(ps []invapi.TrafficPlan) error {
	return showRows(a, orEmpty(ps), []string{"ID", "NAME", "SPEED", "TRAFFIC TB", "PRICE/MONTH"}, func(t *table, p invapi.TrafficPlan) {
		t.addID(itoa(p.ID), p.ID, p.Name, p.Speed, p.Traffic, eurCell(p.Price.In("EUR")))
	})
}

func (a *app) softwareCmd() *cobra.Command {
	var server, preset int
	list := leaf("list", "List the software (panels, licenses) for a server or a preset", "software.php list", cobra.NoArgs, func(cmd *cobra.Command, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) ([]invapi.Software, error) {
			return c.Software.List(ctx, &invapi.SoftwareListRequest{ID: server, InstanceID: preset})
		}, func(ss []invapi.Software) error {
			return showRows(a, ss, []string{"ID", "NAME", "PRICE", "CURRENCY"}, func(t *table, s invapi.Software) {
				t.addID(itoa(s.ID), s.ID, s.Name, s.Price, s.Currency)
			})
		})
	})
	list.Flags().IntVar(&server, "server", 0, "for this server")
	list.Flags().IntVar(&preset, "preset", 0, "for this preset id")
	tasks := leaf("tasks", "List the post-install tasks an order can run", "jenkins.php get_tasks", cobra.NoArgs, func(cmd *cobra.Command, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) ([]invapi.JenkinsTask, error) {
			return c.Jenkins.GetTasks(ctx)
		}, func(ts []invapi.JenkinsTask) error {
			return showRows(a, ts, []string{"ID", "NAME", "TAGS"}, func(t *table, x invapi.JenkinsTask) {
				t.addID(itoa(x.ID), x.ID, x.Name, x.Tags)
			})
		})
	})
	return group("software", "Software and post-install tasks for orders", list, tasks)
}

func (a *app) stockCmd() *cobra.Command {
	var location, grp string
	list := leaf("list", "List the servers in stock, ready to rent", "stocks.php list", cobra.NoArgs, func(cmd *cobra.Command, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) ([]invapi.Stock, error) {
			return c.Stocks.List(ctx, &invapi.StocksListRequest{Location: location, Group: grp})
		}, a.showStock)
	})
	list.Flags().StringVar(&location, "location", "", "location")
	list.Flags().StringVar(&grp, "group", "", "group")
	show := leaf("show ID", "Show one server in stock", "stocks.php show", cobra.ExactArgs(1), numArgs("stock id", func(id int, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.Stock, error) {
			return c.Stocks.Show(ctx, id)
		}, func(s *invapi.Stock) error {
			return a.showStock([]invapi.Stock{*s})
		})
	}))
	return group("stock", "Servers in stock", list, show)
}

func (a *app) showStock(ss []invapi.Stock) error {
	return showRows(a, ss, []string{"ID", "NAME", "LOCATION", "CPU", "RAM", "DISK", "PRICE/MONTH"}, func(t *table, s invapi.Stock) {
		t.addID(itoa(s.ID), s.ID, s.Name, s.Location, s.CPU, s.RAM, s.HDD, eurCell(s.Price.In("EUR")))
	})
}
