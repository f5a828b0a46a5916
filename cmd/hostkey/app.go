package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/invapi-go/invapi"
	"github.com/invapi-go/invapi/invapitest"
)

// version is the CLI's version, sent in the User-Agent beside the SDK's.
const version = "0.1.0"

// Exit codes, one per category of failure (documented in README and main.go).
const (
	exitOK          = 0
	exitOther       = 1
	exitUsage       = 2
	exitAuth        = 3
	exitNotFound    = 4
	exitUnknown     = 5
	exitOpFailed    = 6
	exitInterrupted = 130
)

// app is one run of the tool: its flags, streams and the client it builds.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer

	// global flags
	output      string
	quiet       bool
	yes         bool
	dryRun      bool
	noWait      bool
	configPath  string
	contextName string
	simulator   bool
	baseURL     string
	timeout     time.Duration

	ctx      context.Context
	cfg      *config
	client   *invapi.Client
	sim      *invapitest.Server
	dry      *dryRunTransport
	progress *progressLine // the progress line on screen, if any
	started  bool          // a command's RunE began: errors after this are not usage errors
}

// usageError is a mistake in how the tool was called (exit 2).
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// interruptedError is a wait stopped by Ctrl-C (exit 130).
type interruptedError struct{ hint string }

func (e *interruptedError) Error() string { return "interrupted: " + e.hint }

func execute(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a.ctx = ctx
	root := a.rootCmd()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	a.close()
	if errors.Is(err, errNoWait) {
		return exitOK
	}
	if err != nil && a.dry != nil && a.dry.sent {
		// The dry run stopped the call it printed; that is its success.
		return exitOK
	}
	if err == nil {
		return exitOK
	}
	code := a.exitCode(err)
	a.reportError(err, code)
	return code
}

// exitCode maps an error to its category's exit code.
func (a *app) exitCode(err error) int {
	var ue *usageError
	var ie *interruptedError
	switch {
	case errors.As(err, &ie):
		return exitInterrupted
	case errors.As(err, &ue), !a.started, errors.Is(err, invapi.ErrInvalidInput):
		return exitUsage
	case errors.Is(err, invapi.ErrOutcomeUnknown), errors.Is(err, invapi.ErrCallbackKeyGone):
		return exitUnknown
	case errors.Is(err, invapi.ErrOperationFailed):
		return exitOpFailed
	case errors.Is(err, invapi.ErrUnauthorized), errors.Is(err, invapi.ErrNoServers),
		errors.Is(err, invapi.ErrTwoFactorRequired), errors.Is(err, invapi.ErrPINRequired),
		errors.Is(err, invapi.ErrWrongPIN), errors.Is(err, invapi.ErrAccessDenied):
		return exitAuth
	case errors.Is(err, invapi.ErrNotFound):
		return exitNotFound
	case errors.Is(err, context.Canceled) && a.ctx.Err() != nil:
		return exitInterrupted // Ctrl-C before anything was sent, or during a read
	}
	return exitOther
}

// reportError prints err on stderr, with what to do next where known.
func (a *app) reportError(err error, code int) {
	fmt.Fprintln(a.stderr, "error:", err)
	var ou *invapi.OutcomeUnknownError
	switch {
	case errors.As(err, &ou):
		fmt.Fprintln(a.stderr, "The action may or may not have been carried out; it was NOT resent.")
		if ou.Settle != "" {
			fmt.Fprintln(a.stderr, "Settle it with:", ou.Settle)
		}
		if ou.Operation != nil && ou.Operation.Key() != "" {
			fmt.Fprintln(a.stderr, "The answer held an operation key: it was accepted. Follow it with:", resumeHint(ou.Operation))
		}
	case errors.Is(err, invapi.ErrCallbackKeyGone):
		fmt.Fprintln(a.stderr, "The operation's result was already read or lost: check the server's state (hostkey server show ID).")
	case code == exitUsage && !a.started:
		fmt.Fprintln(a.stderr, "Run 'hostkey --help' for usage.")
	case errors.Is(err, invapi.ErrPINRequired):
		fmt.Fprintln(a.stderr, "Set HOSTKEY_PIN, add pin to the context (hostkey context create --pin-stdin), or run on a terminal to be asked.")
	case errors.Is(err, invapi.ErrUnauthorized) || errors.Is(err, invapi.ErrNoServers):
		fmt.Fprintln(a.stderr, "Check the credentials: HOSTKEY_API_KEY / HOSTKEY_TOKEN, or hostkey context list.")
	}
}

func (a *app) close() {
	if a.client != nil {
		_ = a.client.Close()
	}
	if a.sim != nil {
		a.sim.Close()
	}
}

func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "hostkey",
		Short: "Manage HOSTKEY servers, orders and billing through InvAPI",
		Long: `hostkey manages HOSTKEY servers, orders, billing, DNS and more through
InvAPI, the API behind invapi.hostkey.com, using the invapi Go SDK. Each
command names the API action(s) it calls.

Credentials come from the current context (hostkey context create) or the
environment: HOSTKEY_API_KEY or HOSTKEY_TOKEN, HOSTKEY_PIN, INVAPI_BASE_URL
(they override the context). Try it with no account: hostkey --simulator ...

Exit codes: 0 ok, 1 other error, 2 usage (bad flag or argument, invalid input,
confirmation refused), 3 authentication (credentials, PIN, access denied),
4 not found, 5 outcome unknown (may have been done; never retried: check as
the hint says), 6 operation failed, 130 interrupted (waiting stopped; the
work goes on at HOSTKEY: resume with hostkey operation wait KEY).`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			a.started = true
			switch a.output {
			case "table", "json", "yaml":
			default:
				return usagef("--output must be table, json or yaml, not %q", a.output)
			}
			if os.Getenv("HOSTKEY_SIMULATOR") == "1" || os.Getenv("HOSTKEY_SIMULATOR") == "true" {
				a.simulator = true
			}
			return nil
		},
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &usageError{err.Error()} })
	pf := root.PersistentFlags()
	pf.StringVarP(&a.output, "output", "o", "table", "output format: table, json or yaml")
	pf.BoolVarP(&a.quiet, "quiet", "q", false, "print only ids (one per line)")
	pf.BoolVarP(&a.yes, "yes", "y", false, "do it without asking (needed when not on a terminal)")
	pf.BoolVar(&a.dryRun, "dry-run", false, "print the form that would be sent (secrets masked) and send nothing")
	pf.BoolVar(&a.noWait, "no-wait", false, "do not wait for async operations: print the operation key")
	pf.StringVar(&a.configPath, "config", "", "config file (default $XDG_CONFIG_HOME/hostkey/config.toml or ~/.config/hostkey/config.toml)")
	pf.StringVar(&a.contextName, "context", "", "context to use (default: the current one; env HOSTKEY_CONTEXT)")
	pf.BoolVar(&a.simulator, "simulator", false, "run against an in-process InvAPI simulator (env HOSTKEY_SIMULATOR=1)")
	pf.StringVar(&a.baseURL, "base-url", "", "API base URL (env INVAPI_BASE_URL; default the context's, else https://invapi.hostkey.com)")
	pf.DurationVar(&a.timeout, "timeout", 0, "give up waiting after this long (0: no limit)")
	root.Flags().Bool("version", false, "print the version")
	root.Version = version + " (invapi SDK " + invapi.Version + ")"

	root.AddGroup(&cobra.Group{ID: "res", Title: "Resources:"}, &cobra.Group{ID: "cfg", Title: "Setup:"})
	for _, c := range []*cobra.Command{
		a.serverCmd(), a.orderCmd(), a.presetCmd(), a.osCmd(), a.planCmd(), a.softwareCmd(), a.stockCmd(),
		a.tagCmd(), a.ipCmd(), a.netCmd(), a.natCmd(), a.dnsCmd(), a.sshKeyCmd(), a.invoiceCmd(), a.balanceCmd(),
		a.ticketCmd(), a.apiKeyCmd(), a.s3Cmd(), a.isoCmd(), a.vmCmd(), a.operationCmd(), a.rawCmd(),
	} {
		c.GroupID = "res"
		root.AddCommand(c)
	}
	for _, c := range []*cobra.Command{a.contextCmd(), a.whoamiCmd(), a.logoutCmd()} {
		c.GroupID = "cfg"
		root.AddCommand(c)
	}
	return root
}

// actionsKey is the annotation naming the API actions a command calls
// ("eq.php off, eq_callback.php check"); a test checks every SDK action is
// reachable through one.
const actionsKey = "invapi/actions"

// leaf builds a command that calls the given API actions, named in its help.
func leaf(use, short string, actions string, args cobra.PositionalArgs, run func(cmd *cobra.Command, args []string) error) *cobra.Command {
	c := &cobra.Command{
		Use:   use,
		Short: short,
		Long:  short + ".\n\nAPI: " + actions,
		Args:  usageArgs(args),
		RunE:  run,
	}
	c.Annotations = map[string]string{actionsKey: actions}
	return c
}

// group builds a parent command of subcommands.
func group(use, short string, subs ...*cobra.Command) *cobra.Command {
	c := &cobra.Command{Use: use, Short: short, Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() }}
	c.AddCommand(subs...)
	return c
}

// usageArgs turns cobra's argument errors into usage errors.
func usageArgs(check cobra.PositionalArgs) cobra.PositionalArgs {
	if check == nil {
		return nil
	}
	return func(cmd *cobra.Command, args []string) error {
		if err := check(cmd, args); err != nil {
			return &usageError{cmd.CommandPath() + ": " + err.Error()}
		}
		return nil
	}
}

// commandContext is the run's context, bounded by --timeout.
func (a *app) commandContext() (context.Context, context.CancelFunc) {
	if a.timeout > 0 {
		return context.WithTimeout(a.ctx, a.timeout)
	}
	return context.WithCancel(a.ctx)
}

// stdinIsTerminal reports whether the user can be asked questions.
func (a *app) stdinIsTerminal() bool {
	f, ok := a.stdin.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// stderrIsTerminal reports whether progress can be drawn in place.
func (a *app) stderrIsTerminal() bool {
	f, ok := a.stderr.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// confirm asks before an action that costs money or is hard to undo. With
// --yes (or --dry-run, which sends nothing) it goes on; on a terminal it
// asks; otherwise it refuses.
func (a *app) confirm(what string) error {
	if a.yes || a.dryRun {
		return nil
	}
	if !a.stdinIsTerminal() {
		return usagef("refusing to %s without --yes (not a terminal, so nobody can confirm)", what)
	}
	fmt.Fprintf(a.stderr, "%s? Type yes to go on: ", upperFirst(what))
	answer, err := readLine(a.stdin)
	if err != nil {
		return err
	}
	if a := strings.ToLower(strings.TrimSpace(answer)); a != "yes" && a != "y" {
		return usagef("not confirmed: nothing was done")
	}
	return nil
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// readLine reads one line byte by byte, so nothing after it is consumed.
func readLine(r io.Reader) (string, error) {
	var b strings.Builder
	buf := make([]byte, 1)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			if buf[0] == '\n' {
				return strings.TrimRight(b.String(), "\r"), nil
			}
			b.WriteByte(buf[0])
		}
		if err != nil {
			if err == io.EOF && b.Len() > 0 {
				return b.String(), nil
			}
			return b.String(), err
		}
	}
}

// httpClient is the client the SDK uses: the dry-run capture, or the
// SDK's default.
func (a *app) httpClient() *http.Client {
	if a.dry != nil {
		return &http.Client{Transport: a.dry}
	}
	return nil
}
