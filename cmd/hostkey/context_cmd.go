package main

import (
	"context"
	"fmt"
	"os"
	"sort"

	"github.com/spf13/cobra"

	"github.com/invapi-go/invapi"
)

func (a *app) contextCmd() *cobra.Command {
	var base, user string
	var keyStdin, pinStdin, passStdin, use bool
	create := &cobra.Command{
		Use:   "create NAME",
		Short: "Create or update a context: a portal and the account's credentials",
		Long: `Create or update a context: a portal (base URL) and the credentials of one
account, stored in the config file with mode 0600. Secrets are read from stdin
(--api-key-stdin, --pin-stdin, --password-stdin; one line each, in that order)
or asked for without echo on a terminal; never give them as arguments.

  echo "$KEY" | hostkey context create main --api-key-stdin
  hostkey context create ru --base-url https://invapi.hostkey.ru   # asks for the key`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := args[0]
			if !contextName.MatchString(name) {
				return usagef("context name %q: letters, digits, . _ - only", name)
			}
			cfg, err := a.loadConfig()
			if err != nil {
				return err
			}
			p := cfg.Contexts[name]
			if p == nil {
				p = &profile{}
				cfg.Contexts[name] = p
			}
			if base != "" {
				p.BaseURL = base
			}
			tty := a.stdinIsTerminal()
			switch {
			case user != "":
				p.User, p.APIKey = user, ""
				if p.Password, err = a.readSecretInput("billing password", passStdin || !tty); err != nil {
					return err
				}
			case keyStdin || p.APIKey == "":
				if p.APIKey, err = a.readSecretInput("API key", keyStdin || !tty); err != nil {
					return err
				}
				p.User, p.Password = "", ""
			}
			if pinStdin {
				if p.PIN, err = a.readSecretInput("PIN", true); err != nil {
					return err
				}
			}
			if use || cfg.CurrentContext == "" {
				cfg.CurrentContext = name
			}
			if _, err := invapi.NewClient(a.profileOptions(p)...); err != nil {
				return err // a bad URL or PIN, before it is saved
			}
			if err := cfg.save(); err != nil {
				return err
			}
			a.removeToken(name)
			fmt.Fprintf(a.stderr, "context %q saved in %s\n", name, cfg.path)
			return nil
		},
	}
	cf := create.Flags()
	cf.StringVar(&base, "base-url", "", "portal: https://invapi.hostkey.com (default), https://invapi.hostkey.ru...")
	cf.BoolVar(&keyStdin, "api-key-stdin", false, "read the API key from stdin")
	cf.BoolVar(&pinStdin, "pin-stdin", false, "read the PIN from stdin (else it is asked for when needed)")
	cf.StringVar(&user, "user", "", "billing login (e-mail) instead of an API key, for accounts without servers")
	cf.BoolVar(&passStdin, "password-stdin", false, "read the billing password from stdin")
	cf.BoolVar(&use, "use", false, "make it the current context")

	useCmd := a.onContext("use NAME", "Make a context the current one", " (hostkey context list)", func(cfg *config, name string) error {
		cfg.CurrentContext = name
		return cfg.save()
	})
	list := &cobra.Command{
		Use: "list", Short: "List the contexts (secrets are never shown)", Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := a.loadConfig()
			if err != nil {
				return err
			}
			type row struct {
				Name    string `json:"name"`
				Current bool   `json:"current"`
				BaseURL string `json:"base_url"`
				Auth    string `json:"auth"`
				PIN     bool   `json:"pin_stored"`
			}
			current := a.currentContextName(cfg)
			names := make([]string, 0, len(cfg.Contexts))
			for n := range cfg.Contexts {
				names = append(names, n)
			}
			sort.Strings(names)
			rows := []row{}
			t := &table{header: []string{"CURRENT", "NAME", "BASE URL", "AUTH", "PIN STORED"}}
			for _, n := range names {
				p := cfg.Contexts[n]
				auth := "api key"
				if p.User != "" {
					auth = "billing login " + p.User
				}
				base := p.BaseURL
				if base == "" {
					base = invapi.BaseURLCom
				}
				r := row{n, n == current, base, auth, p.PIN != ""}
				rows = append(rows, r)
				mark := ""
				if r.Current {
					mark = "*"
				}
				t.add(mark, n, base, auth, r.PIN)
			}
			return a.show(rows, names, t)
		},
	}
	del := a.onContext("delete NAME", "Delete a context and its cached session", "", func(cfg *config, name string) error {
		delete(cfg.Contexts, name)
		if cfg.CurrentContext == name {
			cfg.CurrentContext = ""
		}
		a.removeToken(name)
		return cfg.save()
	})
	c := &cobra.Command{Use: "context", Short: "Contexts: a portal and an account's credentials each",
		Args: usageArgs(cobra.NoArgs), RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() }}
	c.AddCommand(create, useCmd, list, del)
	return c
}

// onContext is a command on one existing context (its one argument): run
// gets the config and the name; a name the config does not hold is a usage
// error, with hint after it.
func (a *app) onContext(use, short, hint string, run func(cfg *config, name string) error) *cobra.Command {
	return &cobra.Command{Use: use, Short: short, Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := a.loadConfig()
			if err != nil {
				return err
			}
			if cfg.Contexts[args[0]] == nil {
				return usagef("no context %q%s", args[0], hint)
			}
			return run(cfg, args[0])
		}}
}

// profileOptions are the client options of a context, to check it.
func (a *app) profileOptions(p *profile) []invapi.Option {
	var opts []invapi.Option
	if p.BaseURL != "" {
		opts = append(opts, invapi.WithBaseURL(p.BaseURL))
	}
	if p.APIKey != "" {
		opts = append(opts, invapi.WithAPIKey(p.APIKey))
	}
	if p.User != "" {
		opts = append(opts, invapi.WithBillingCredentials(p.User, p.Password))
	}
	return append(opts, invapi.WithPIN(p.PIN))
}

func (a *app) removeToken(name string) {
	if path, err := a.tokenCachePath(name); err == nil {
		_ = os.Remove(path)
	}
}

func (a *app) logoutCmd() *cobra.Command {
	return leaf("logout", "End the context's cached session", "auth.php logout", cobra.NoArgs, func(cmd *cobra.Command, args []string) error {
		c, err := a.resolveCreds()
		if err != nil {
			return err
		}
		if c.token != "" && c.apiKey == "" {
			// HOSTKEY_TOKEN is the caller's session: end it on request.
			return a.call(func(ctx context.Context, cl *invapi.Client) error { return cl.Auth.Logout(ctx) })
		}
		path, _ := a.tokenCachePath(c.context)
		if a.loadToken(c, a.effectiveBase(c)) == "" {
			a.removeToken(c.context)
			fmt.Fprintln(a.stderr, "no cached session")
			return nil
		}
		err = a.call(func(ctx context.Context, cl *invapi.Client) error { return cl.Auth.Logout(ctx) })
		_ = os.Remove(path) // the local copy goes, whatever the API said
		if err == nil {
			fmt.Fprintln(a.stderr, "logged out")
		}
		return err
	})
}

func (a *app) effectiveBase(c *creds) string {
	if c.baseURL == "" {
		return invapi.BaseURLCom
	}
	return trimSlash(c.baseURL)
}
