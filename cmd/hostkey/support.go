package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/invapi-go/invapi"
)

// jiraRequests are the remote-hands requests jira.php opens in one call,
// in the order of the help.
var jiraRequests = []struct {
	name, action string
	call         func(s *invapi.JiraService, ctx context.Context, id int) (*invapi.Ticket, error)
}{
	{"power-on", "request_pon", (*invapi.JiraService).RequestPon},
	{"power-off", "request_poff", (*invapi.JiraService).RequestPoff},
	{"reboot", "request_reboot", (*invapi.JiraService).RequestReboot},
	{"pxe-boot", "request_PXEboot", (*invapi.JiraService).RequestPXEBoot},
	{"kvm", "request_kvm", (*invapi.JiraService).RequestKVM},
	{"check", "request_check", (*invapi.JiraService).RequestCheck},
}

func (a *app) ticketCmd() *cobra.Command {
	var subs []*cobra.Command
	for _, req := range jiraRequests {
		name := req.name
		subs = append(subs, leaf(name+" ID", "Ask the data center staff to "+strings.ReplaceAll(name, "-", " ")+" a server (a remote-hands ticket)",
			"jira.php "+req.action, cobra.ExactArgs(1), idArg(func(id int) error {
				if name == "power-off" {
					if err := a.confirm(fmt.Sprintf("ask the staff to power off server %d", id)); err != nil {
						return err
					}
				}
				return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.Ticket, error) {
					return req.call(c.Jira, ctx, id)
				}, a.showTicket)
			})))
	}
	var details, subject string
	assist := leaf("assistance [ID]", "Ask the sales department about cancelling or changing a service", "jira.php request_assistance", cobra.MaximumNArgs(1), func(cmd *cobra.Command, args []string) error {
		id := 0
		if len(args) == 1 {
			var err error
			if id, err = serverID(args[0]); err != nil {
				return err
			}
		}
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.Ticket, error) {
			return c.Jira.RequestAssistance(ctx, &invapi.RequestAssistanceRequest{ID: id, Subject: subject, Message: details})
		}, a.showTicket)
	})
	assist.Flags().StringVar(&details, "message", "", "what you need (required)")
	assist.Flags().StringVar(&subject, "subject", "", "the request's subject")
	var status, location string
	list := leaf("list", "List remote-hands requests", "rhr.php list", cobra.NoArgs, func(cmd *cobra.Command, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) ([]invapi.RemoteHandsRequest, error) {
			return c.RHR.List(ctx, &invapi.RHRListRequest{Status: status, Location: location})
		}, func(rs []invapi.RemoteHandsRequest) error {
			return a.showRHR(rs...)
		})
	})
	list.Flags().StringVar(&status, "status", "", "Open, Closed...")
	list.Flags().StringVar(&location, "location", "", "location")
	var message string
	add := leaf("open ID TYPE", "Open a remote-hands request of any type (e.g. request_check)", "rhr.php add", cobra.ExactArgs(2), serverArgs(func(id int, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.RemoteHandsRequest, error) {
			return c.RHR.Add(ctx, &invapi.RHRAddRequest{ID: id, RequestType: args[1], Comment: message})
		}, func(r *invapi.RemoteHandsRequest) error {
			return a.showRHR(*r)
		})
	}))
	add.Flags().StringVar(&message, "message", "", "the work, described in detail (required; sent as comment)")
	chat := leaf("reply TICKET MESSAGE", "Add a message to a request", "rhr.php chat", cobra.ExactArgs(2), func(cmd *cobra.Command, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.RemoteHandsRequest, error) {
			return c.RHR.Chat(ctx, args[0], args[1])
		}, func(r *invapi.RemoteHandsRequest) error {
			return a.showRHR(*r)
		})
	})
	var closed bool
	discard := leaf("cancel TICKET", "Cancel a request (--closed: close it as done)", "rhr.php discard", cobra.ExactArgs(1), func(cmd *cobra.Command, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.RemoteHandsRequest, error) {
			return c.RHR.Discard(ctx, args[0], closed)
		}, func(r *invapi.RemoteHandsRequest) error {
			return a.showRHR(*r)
		})
	})
	discard.Flags().BoolVar(&closed, "closed", false, "close instead of cancel")
	subs = append(subs, assist, list, add, chat, discard)
	return group("ticket", "Remote-hands tickets to the data center staff", subs...)
}

func (a *app) showTicket(t *invapi.Ticket) error {
	out := struct {
		ID  string `json:"id"`
		URL string `json:"url"`
	}{t.ID, t.URL}
	return a.show(out, []string{t.ID}, fields("ticket", t.ID, "url", t.URL))
}

func (a *app) showRHR(rs ...invapi.RemoteHandsRequest) error {
	return showRows(a, orEmpty(rs), []string{"ID", "TYPE", "SERVER", "STATUS", "CREATED", "SUBJECT"}, func(t *table, r invapi.RemoteHandsRequest) {
		t.addID(r.ID, r.ID, r.Type, r.ServerID, r.Status, r.Created, r.Subject)
	})
}

func (a *app) apiKeyCmd() *cobra.Command {
	var server int
	list := leaf("list", "List the account's API keys (never their values)", "api_keys.php list, api_keys.php list_for_server", cobra.NoArgs, func(cmd *cobra.Command, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) ([]invapi.APIKey, error) {
			if server > 0 {
				return c.APIKeys.ListForServer(ctx, server)
			}
			return c.APIKeys.List(ctx)
		}, func(ks []invapi.APIKey) error {
			return a.showKeys(ks...)
		})
	})
	list.Flags().IntVar(&server, "server", 0, "only the keys restricted to this server")
	show := leaf("show ID", "Show one API key", "api_keys.php view", cobra.ExactArgs(1), numArgs("key id", func(id int, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.APIKey, error) {
			return c.APIKeys.View(ctx, id)
		}, func(k *invapi.APIKey) error {
			return a.showKeys(*k)
		})
	}))
	var p invapi.APIKeyParams
	var acl []string
	add := leaf("create NAME", "Create an API key; its value is shown once, on stdout", "api_keys.php add", cobra.ExactArgs(1), func(cmd *cobra.Command, args []string) error {
		p.Name, p.IPACL = args[0], acl
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.NewAPIKey, error) {
			return c.APIKeys.Add(ctx, &invapi.APIKeyAddRequest{Params: p})
		}, func(k *invapi.NewAPIKey) error {
			fmt.Fprintln(a.stderr, "the key is shown once: store it now (for example: hostkey context create NAME --api-key-stdin)")
			out := struct {
				invapi.APIKey
				Key string `json:"key"`
			}{k.APIKey, k.Key.Reveal()}
			return a.show(out, []string{out.Key}, fields("id", k.ID, "name", k.Name, "key", out.Key))
		})
	})
	add.Flags().IntVar(&p.ServerID, "server", 0, "restrict the key to one server")
	add.Flags().StringSliceVar(&acl, "allow-from", nil, "addresses or CIDR blocks the key may be used from")
	add.Flags().StringVar(&p.Expires, "expires", "", "expiry date, 2006-01-02")
	var ep invapi.APIKeyParams
	var active, inactive bool
	edit := leaf("edit ID", "Change an API key's name, expiry or state", "api_keys.php edit", cobra.ExactArgs(1), numArgs("key id", func(id int, args []string) error {
		if active || inactive {
			v := active
			ep.Active = &v
		}
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.APIKey, error) {
			return c.APIKeys.Edit(ctx, &invapi.APIKeyEditRequest{ID: id, Params: ep})
		}, func(k *invapi.APIKey) error {
			return a.showKeys(*k)
		})
	}))
	edit.Flags().StringVar(&ep.Name, "name", "", "new name")
	edit.Flags().StringVar(&ep.Expires, "expires", "", "expiry date, 2006-01-02")
	edit.Flags().BoolVar(&active, "enable", false, "enable the key")
	edit.Flags().BoolVar(&inactive, "disable", false, "disable the key")
	del := leaf("delete ID", "Delete an API key for good (asks first)", "api_keys.php delete", cobra.ExactArgs(1), numArgs("key id", func(id int, args []string) error {
		if err := a.confirm(fmt.Sprintf("delete API key %d (it cannot be restored)", id)); err != nil {
			return err
		}
		return a.call(func(ctx context.Context, c *invapi.Client) error { return c.APIKeys.Delete(ctx, id) })
	}))
	history := leaf("history [ID]", "Show what was done with API keys, logins included", "api_keys.php history", cobra.MaximumNArgs(1), func(cmd *cobra.Command, args []string) error {
		req := &invapi.APIKeyHistoryRequest{}
		if len(args) == 1 {
			id, err := positiveInt("key id", args[0])
			if err != nil {
				return err
			}
			req.ID = id
		}
		return fetch(a, func(ctx context.Context, c *invapi.Client) ([]invapi.APIKeyEvent, error) {
			return c.APIKeys.History(ctx, req)
		}, func(evs []invapi.APIKeyEvent) error {
			return showRows(a, evs, []string{"DATE", "KEY", "ACTION", "IP", "SUCCESS"}, func(t *table, e invapi.APIKeyEvent) {
				t.add(e.Date, e.KeyID, e.Action, e.IP, e.Success)
			})
		})
	})
	return group("api-key", "API keys of the account", list, show, add, edit, del, history)
}

func (a *app) showKeys(ks ...invapi.APIKey) error {
	return showRows(a, orEmpty(ks), []string{"ID", "NAME", "SERVER", "ACTIVE", "IP ACL", "EXPIRES"}, func(t *table, k invapi.APIKey) {
		t.addID(itoa(k.ID), k.ID, k.Name, k.ServerID, k.Active, k.IP, k.Expires)
	})
}
