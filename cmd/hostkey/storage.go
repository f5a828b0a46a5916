package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/invapi-go/invapi"
)

func (a *app) s3Cmd() *cobra.Command {
	var planLocation string
	plans := leaf("plans", "List the S3 plans on offer", "s3.php list_plans", cobra.NoArgs, func(cmd *cobra.Command, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) ([]invapi.S3Plan, error) {
			return c.S3.ListPlans(ctx, &invapi.S3LocationRequest{Location: planLocation})
		}, func(ps []invapi.S3Plan) error {
			return showRows(a, ps, []string{"ID", "NAME", "SIZE GB", "LOCATION", "PRICE/MONTH"}, func(t *table, p invapi.S3Plan) {
				t.addID(itoa(p.ID), p.ID, p.Name, p.SizeGB, p.Location, eurCell(p.Price.In("EUR")))
			})
		})
	})
	plans.Flags().StringVar(&planLocation, "location", "", "only the plans of this location (NL...)")
	accounts := leaf("accounts", "List your S3 accounts", "s3.php get_users", cobra.NoArgs, func(cmd *cobra.Command, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) ([]invapi.S3Account, error) {
			return c.S3.GetUsers(ctx, &invapi.S3UsersRequest{})
		}, func(as []invapi.S3Account) error {
			return showRows(a, as, []string{"ID", "PLAN", "STATUS", "LOCATION", "BUCKETS"}, func(t *table, x invapi.S3Account) {
				t.addID(itoa(x.ID), x.ID, x.PlanID, x.Status, x.Location, x.Buckets)
			})
		})
	})
	var legacy bool
	buckets := leaf("buckets ACCOUNT", "List an account's buckets with usage and quota", "s3.php get_buckets_rmq, s3.php get_buckets", cobra.ExactArgs(1), accountArg(func(id int) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.S3Buckets, error) {
			get := c.S3.GetBucketsRMQ
			if legacy {
				get = c.S3.GetBuckets
			}
			return get(ctx, id)
		}, func(bs *invapi.S3Buckets) error {
			t := &table{header: []string{"NAME", "SIZE", "OBJECTS"}}
			for _, b := range bs.Buckets {
				t.addID(b.Name, b.Name, fmt.Sprint(b.Size), b.Objects)
			}
			return a.show(bs, t.ids, t)
		})
	}))
	buckets.Flags().BoolVar(&legacy, "legacy", false, "use get_buckets (disabled in the current API)")
	mkBucket := leaf("create-bucket ACCOUNT NAME", "Create a bucket", "s3.php create_bucket", cobra.ExactArgs(2), numArgs("account id", func(id int, args []string) error {
		return a.call(func(ctx context.Context, c *invapi.Client) error {
			return c.S3.CreateBucket(ctx, &invapi.S3BucketRequest{AccountID: id, Bucket: args[1]})
		})
	}))
	rmBucket := leaf("delete-bucket ACCOUNT NAME", "Delete a bucket (asks first)", "s3.php delete_bucket", cobra.ExactArgs(2), numArgs("account id", func(id int, args []string) error {
		if err := a.confirm("delete bucket " + args[1]); err != nil {
			return err
		}
		return a.call(func(ctx context.Context, c *invapi.Client) error {
			return c.S3.DeleteBucket(ctx, &invapi.S3BucketRequest{AccountID: id, Bucket: args[1]})
		})
	}))
	var search string
	var page, limit int
	files := leaf("files ACCOUNT BUCKET", "List a bucket's files, a page at a time", "s3.php get_files", cobra.ExactArgs(2), numArgs("account id", func(id int, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.S3Files, error) {
			return c.S3.GetFiles(ctx, &invapi.S3FilesRequest{AccountID: id, Bucket: args[1], Search: search, Page: page, Limit: limit})
		}, func(fs *invapi.S3Files) error {
			t := &table{header: []string{"KEY", "SIZE"}}
			for _, f := range fs.Files {
				t.addID(f.Key, f.Key, fmt.Sprint(f.Size))
			}
			return a.show(fs, t.ids, t)
		})
	}))
	files.Flags().StringVar(&search, "search", "", "file names containing")
	files.Flags().IntVar(&limit, "limit", 0, "files per page")
	files.Flags().IntVar(&page, "page", 0, "page")
	rmFile := leaf("delete-file ACCOUNT BUCKET KEY", "Delete a file (asks first)", "s3.php delete_file", cobra.ExactArgs(3), numArgs("account id", func(id int, args []string) error {
		if err := a.confirm("delete " + args[1] + "/" + args[2]); err != nil {
			return err
		}
		return a.call(func(ctx context.Context, c *invapi.Client) error {
			return c.S3.DeleteFile(ctx, &invapi.S3BucketRequest{AccountID: id, Bucket: args[1]}, args[2])
		})
	}))
	var withSecret bool
	keys := leaf("keys ACCOUNT", "Show an account's access key (--secret: and its secret key)", "s3.php show_key", cobra.ExactArgs(1), accountArg(func(id int) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.S3Keys, error) {
			return c.S3.ShowKey(ctx, id, !withSecret)
		}, func(k *invapi.S3Keys) error {
			out := struct {
				AccessKey string `json:"access_key"`
				SecretKey string `json:"secret_key,omitempty"`
			}{AccessKey: k.AccessKey}
			if withSecret {
				out.SecretKey = k.SecretKey.Reveal()
			}
			return a.show(out, []string{k.AccessKey}, fields("access key", out.AccessKey, "secret key", firstOf(out.SecretKey, "(use --secret)")))
		})
	}))
	keys.Flags().BoolVar(&withSecret, "secret", false, "also print the secret key")
	var bucket string
	var withBucket bool
	order := leaf("order PLAN", "Order an S3 account on a plan (asks first; billed)", "s3.php create_account, s3.php create_order", cobra.ExactArgs(1), numArgs("plan id", func(plan int, args []string) error {
		if err := a.confirm(fmt.Sprintf("order an S3 account on plan %d (billed)", plan)); err != nil {
			return err
		}
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.S3Order, error) {
			create := c.S3.CreateAccount
			if withBucket || bucket != "" {
				create = c.S3.CreateOrder
			}
			return create(ctx, &invapi.S3OrderRequest{PlanID: plan, Bucket: bucket})
		}, func(o *invapi.S3Order) error {
			return a.show(o, []string{itoa(o.Account.ID)}, fields("account", o.Account.ID, "invoice", o.Invoice, "status", o.Account.Status))
		})
	}))
	order.Flags().StringVar(&bucket, "bucket", "", "a first bucket (create_order)")
	order.Flags().BoolVar(&withBucket, "with-order", false, "use create_order even without --bucket")
	del := leaf("delete ACCOUNT", "Delete an S3 account (asks first)", "s3.php delete_account", cobra.ExactArgs(1), accountArg(func(id int) error {
		if err := a.confirm(fmt.Sprintf("delete S3 account %d and its data", id)); err != nil {
			return err
		}
		return a.call(func(ctx context.Context, c *invapi.Client) error { return c.S3.DeleteAccount(ctx, id) })
	}))
	var undo bool
	cancel := leaf("cancel ACCOUNT", "Cancel the S3 service and its billing account (asks first); --undo withdraws it",
		"s3.php delete_payment_account, s3.php cancel_payment_account_deletion", cobra.ExactArgs(1), accountArg(func(id int) error {
			if undo {
				return a.call(func(ctx context.Context, c *invapi.Client) error { return c.S3.CancelPaymentAccountDeletion(ctx, id) })
			}
			if err := a.confirm(fmt.Sprintf("cancel the S3 service of account %d", id)); err != nil {
				return err
			}
			return a.call(func(ctx context.Context, c *invapi.Client) error { return c.S3.DeletePaymentAccount(ctx, id) })
		}))
	cancel.Flags().BoolVar(&undo, "undo", false, "withdraw the cancellation")
	history := leaf("history ACCOUNT", "Show an account's events", "s3.php history", cobra.ExactArgs(1), accountArg(func(id int) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) ([]invapi.S3Event, error) {
			return c.S3.History(ctx, id)
		}, func(evs []invapi.S3Event) error {
			return showRows(a, evs, []string{"DATE", "EVENT"}, func(t *table, e invapi.S3Event) {
				t.add(e.Date, e.Event)
			})
		})
	}))
	return group("s3", "S3 storage: accounts, buckets, files, plans", plans, accounts, buckets, mkBucket, rmBucket, files, rmFile, keys, order, del, cancel, history)
}

// accountArg is a command whose one argument is an S3 account id.
func accountArg(run func(id int) error) func(cmd *cobra.Command, args []string) error {
	return numArgs("account id", func(id int, _ []string) error { return run(id) })
}

func (a *app) dnsCmd() *cobra.Command {
	zones := leaf("list", "List your DNS zones", "pdns.php list_zones", cobra.NoArgs, func(cmd *cobra.Command, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) ([]invapi.Domain, error) {
			return c.PDNS.ListZones(ctx)
		}, a.showDomains)
	})
	domains := leaf("domains", "List your domains", "pdns.php list_domains", cobra.NoArgs, func(cmd *cobra.Command, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) ([]invapi.Domain, error) {
			return c.PDNS.ListDomains(ctx)
		}, a.showDomains)
	})
	show := leaf("show DOMAIN", "Show a zone and its records", "pdns.php view_zone", cobra.ExactArgs(1), func(cmd *cobra.Command, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.Zone, error) {
			return c.PDNS.ViewZone(ctx, args[0])
		}, func(z *invapi.Zone) error {
			t := &table{header: []string{"ID", "NAME", "TYPE", "CONTENT", "TTL", "PRIO"}}
			for _, r := range z.Records {
				t.addID(itoa(r.ID), r.ID, r.Name, r.Type, r.Content, r.TTL, r.Priority)
			}
			return a.show(z, t.ids, t)
		})
	})
	create := leaf("create DOMAIN", "Add a domain to HOSTKEY's DNS", "pdns.php add_domain", cobra.ExactArgs(1), func(cmd *cobra.Command, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.Domain, error) {
			return c.PDNS.AddDomain(ctx, &invapi.AddDomainRequest{Name: args[0]})
		}, func(d *invapi.Domain) error {
			return a.showDomains([]invapi.Domain{*d})
		})
	})
	del := leaf("delete DOMAIN", "Delete a domain and all its records (asks first)", "pdns.php delete_domain", cobra.ExactArgs(1), func(cmd *cobra.Command, args []string) error {
		if err := a.confirm("delete the zone " + args[0] + " and all its records"); err != nil {
			return err
		}
		return a.call(func(ctx context.Context, c *invapi.Client) error {
			// HOSTKEY's Terraform provider deletes by id and zone: find the id.
			req := &invapi.DeleteDomainRequest{Zone: args[0]}
			if ds, err := c.PDNS.ListDomains(ctx); err == nil {
				for _, d := range ds {
					if strings.EqualFold(strings.TrimSuffix(d.Name, "."), strings.TrimSuffix(args[0], ".")) {
						req.ID = d.ID
					}
				}
			}
			return c.PDNS.DeleteDomain(ctx, req)
		})
	})
	cb := leaf("callback-url", "Show where DNS change notifications are sent", "pdns.php get_cb_url", cobra.NoArgs, func(cmd *cobra.Command, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) (string, error) {
			return c.PDNS.GetCallbackURL(ctx)
		}, func(u string) error {
			return a.show(map[string]string{"url": u}, []string{u}, fields("url", u))
		})
	})
	var ttl, prio int
	add := leaf("add ZONE NAME TYPE CONTENT...", "Add a record to a zone (several CONTENT values make one record set)", "pdns.php add_dns", cobra.MinimumNArgs(4), func(cmd *cobra.Command, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.DNSRecord, error) {
			return c.PDNS.AddDNS(ctx, &invapi.DNSRecordRequest{Zone: args[0], Name: args[1], Type: args[2], Content: args[3:], TTL: ttl, Priority: prio})
		}, func(r *invapi.DNSRecord) error {
			return a.show(r, []string{itoa(r.ID)}, fields("id", r.ID, "name", r.Name, "type", r.Type, "content", r.Content))
		})
	})
	add.Flags().IntVar(&ttl, "ttl", 0, "seconds")
	add.Flags().IntVar(&prio, "prio", 0, "priority (MX, SRV)")
	rm := leaf("delete ZONE NAME TYPE [CONTENT...]", "Delete the records of a name and type in a zone (only the given values, if any)", "pdns.php delete_dns", cobra.MinimumNArgs(3), func(cmd *cobra.Command, args []string) error {
		return a.call(func(ctx context.Context, c *invapi.Client) error {
			return c.PDNS.DeleteDNS(ctx, &invapi.DeleteDNSRequest{Zone: args[0], Name: args[1], Type: args[2], Content: args[3:]})
		})
	})
	return group("dns", "DNS zones and records",
		group("zone", "DNS zones (domains)", zones, domains, show, create, del, cb),
		group("record", "Records of a zone", add, rm))
}

func (a *app) showDomains(ds []invapi.Domain) error {
	return showRows(a, orEmpty(ds), []string{"ID", "NAME", "RECORDS"}, func(t *table, d invapi.Domain) {
		t.addID(d.Name, d.ID, d.Name, d.Records)
	})
}
