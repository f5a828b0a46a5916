package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/invapi-go/invapi"
)

func (a *app) sshKeyCmd() *cobra.Command {
	list := leaf("list", "List the SSH public keys stored in the account", "ssh_keys.php list", cobra.NoArgs, func(cmd *cobra.Command, args []string) error {
		return fetch(a, func(ctx context.Context, c *invapi.Client) ([]invapi.SSHKey, error) {
			return c.SSHKeys.List(ctx)
		}, func(ks []invapi.SSHKey) error {
			return a.showSSHKeys(ks...)
		})
	})
	var keyFile string
	var def bool
	add := leaf("add NAME", "Store an SSH public key (from --key-file, - for stdin), offered at order and reinstall", "ssh_keys.php add", cobra.ExactArgs(1), func(cmd *cobra.Command, args []string) error {
		if keyFile == "" {
			return usagef("ssh-key add needs --key-file FILE (for example ~/.ssh/id_ed25519.pub, or - for stdin)")
		}
		key, err := a.readFileArg(keyFile)
		if err != nil {
			return err
		}
		key = strings.TrimSpace(key)
		if strings.Contains(key, "PRIVATE KEY") {
			return usagef("%s holds a private key: give the .pub file", keyFile)
		}
		return fetch(a, func(ctx context.Context, c *invapi.Client) (*invapi.SSHKey, error) {
			return c.SSHKeys.Add(ctx, &invapi.SSHKeyAddRequest{Name: args[0], Key: key, Default: def})
		}, func(k *invapi.SSHKey) error {
			return a.showSSHKeys(*k)
		})
	})
	add.Flags().StringVar(&keyFile, "key-file", "", "the public key file (- for stdin)")
	add.Flags().BoolVar(&def, "default", false, "offer it by default")
	del := leaf("delete ID", "Delete a stored SSH key (asks first)", "ssh_keys.php delete", cobra.ExactArgs(1), numArgs("key id", func(id int, args []string) error {
		if err := a.confirm(fmt.Sprintf("delete SSH key %d", id)); err != nil {
			return err
		}
		return a.call(func(ctx context.Context, c *invapi.Client) error { return c.SSHKeys.Delete(ctx, id) })
	}))
	return group("ssh-key", "SSH public keys stored in the account", list, add, del)
}

func (a *app) showSSHKeys(ks ...invapi.SSHKey) error {
	return showRows(a, orEmpty(ks), []string{"ID", "NAME", "DEFAULT", "CREATED", "KEY"}, func(t *table, k invapi.SSHKey) {
		key := k.Key
		if len(key) > 40 {
			key = key[:20] + "..." + key[len(key)-16:]
		}
		t.addID(itoa(k.ID), k.ID, k.Name, k.Default, k.Created, key)
	})
}
