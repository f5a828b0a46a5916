package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/invapi-go/invapi"
)

// call runs fn with the run's context and client.
func (a *app) call(fn func(ctx context.Context, c *invapi.Client) error) error {
	c, err := a.getClient()
	if err != nil {
		return err
	}
	ctx, cancel := a.commandContext()
	defer cancel()
	return fn(ctx, c)
}

// fetch is the shape of most read commands: it runs one SDK call with the
// run's context and client (as call does) and prints its answer with show,
// or returns the call's error.
func fetch[T any](a *app, call func(ctx context.Context, c *invapi.Client) (T, error), show func(T) error) error {
	return a.call(func(ctx context.Context, c *invapi.Client) error {
		v, err := call(ctx, c)
		if err != nil {
			return err
		}
		return show(v)
	})
}

// opResult is what an async command prints when its operation is done.
type opResult struct {
	Action   string `json:"action"`
	ServerID int    `json:"server_id,omitempty"`
	Key      string `json:"key"`
	Scope    string `json:"scope,omitempty"`
	Debug    string `json:"debug,omitempty"`
}

// runOp starts an async action with start, waits for it (unless --no-wait)
// and prints its result.
func (a *app) runOp(what string, start func(ctx context.Context, c *invapi.Client) (*invapi.Operation, error)) error {
	return a.call(func(ctx context.Context, c *invapi.Client) error {
		op, err := start(ctx, c)
		if err != nil {
			return err
		}
		return a.finishOp(ctx, op, what)
	})
}

func (a *app) finishOp(ctx context.Context, op *invapi.Operation, what string) error {
	if op == nil {
		fmt.Fprintln(a.stderr, what+": done")
		return nil
	}
	res, err := a.wait(ctx, op, what)
	if err != nil {
		return err
	}
	out := opResult{Action: op.Module() + ".php " + op.Action(), ServerID: op.ServerID(), Key: op.Key()}
	if res != nil {
		out.Scope, out.Debug = res.Scope, res.Debug
	}
	return a.show(out, []string{op.Key()}, fields("action", out.Action, "server", out.ServerID, "result", firstOf(out.Scope, out.Debug, "OK")))
}

func firstOf(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// serverID parses a server id argument.
func serverID(s string) (int, error) {
	id, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || id <= 0 {
		return 0, usagef("%q is not a server id (a positive number)", s)
	}
	return id, nil
}

// positiveInt parses a numeric id argument.
func positiveInt(name, s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n <= 0 {
		return 0, usagef("%q is not a valid %s (a positive number)", s, name)
	}
	return n, nil
}

// readSecretInput reads a secret: from stdin when fromStdin (first line),
// else prompted without echo on a terminal.
func (a *app) readSecretInput(name string, fromStdin bool) (string, error) {
	if fromStdin {
		line, err := readLine(a.stdin)
		if err != nil && !errors.Is(err, io.EOF) {
			return "", err
		}
		line = strings.TrimSpace(line)
		if line == "" {
			return "", usagef("no %s on stdin", name)
		}
		return line, nil
	}
	return a.promptSecret(upperFirst(name) + ": ")
}

// readInstallFiles reads the --ssh-key-file and --post-install-script of
// an order or a reinstall; "" for a file not given.
func (a *app) readInstallFiles(sshKeyFile, script string) (sshKey, postInstall string, err error) {
	if sshKeyFile != "" {
		if sshKey, err = a.readFileArg(sshKeyFile); err != nil {
			return "", "", err
		}
	}
	if script != "" {
		if postInstall, err = a.readFileArg(script); err != nil {
			return "", "", err
		}
	}
	return strings.TrimSpace(sshKey), postInstall, nil
}

// readFileArg reads a file named by a flag ("-" for stdin).
func (a *app) readFileArg(path string) (string, error) {
	if path == "-" {
		b, err := io.ReadAll(a.stdin)
		return string(b), err
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", usagef("%v", err)
	}
	return string(b), nil
}

// idArg is the common shape "one server id" of many commands.
func idArg(run func(id int) error) func(cmd *cobra.Command, args []string) error {
	return serverArgs(func(id int, _ []string) error { return run(id) })
}

// serverArgs is a command whose first argument is a server id: run gets it
// parsed, and all the arguments.
func serverArgs(run func(id int, args []string) error) func(cmd *cobra.Command, args []string) error {
	return firstArg(serverID, run)
}

// numArgs is a command whose first argument is some other positive number
// (name says which: "invoice id", "key id"...).
func numArgs(name string, run func(n int, args []string) error) func(cmd *cobra.Command, args []string) error {
	return firstArg(func(s string) (int, error) { return positiveInt(name, s) }, run)
}

func firstArg(parse func(string) (int, error), run func(n int, args []string) error) func(cmd *cobra.Command, args []string) error {
	return func(cmd *cobra.Command, args []string) error {
		n, err := parse(args[0])
		if err != nil {
			return err
		}
		return run(n, args)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func trimSlash(s string) string { return strings.TrimRight(s, "/") }
