// Package exampleenv gives every example program the same start: a client
// configured from the environment, or, with no credentials, a client talking
// to an in-process invapitest simulator.
//
// Environment:
//
//	HOSTKEY_API_KEY  account or server API key (or HOSTKEY_TOKEN, a session token)
//	HOSTKEY_PIN      the account PIN, for critical actions
//	INVAPI_BASE_URL  API base URL (default https://invapi.hostkey.com)
package exampleenv

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"

	"github.com/invapi-go/invapi"
	"github.com/invapi-go/invapi/invapitest"
)

// Env is a ready client and, when simulated, the simulator behind it.
type Env struct {
	Client    *invapi.Client
	Simulated bool
	// ServerID is a server to act on: HOSTKEY_SERVER_ID, or the simulator's
	// first server. Zero means "pick one from the account".
	ServerID   int
	close      func()
	ownSession bool // logged in with an API key, not a caller's token
}

// MayChange reports whether the example may go on with an action that
// changes or charges something (what, e.g. "order a server"). It may against
// the simulator or a test stand-in; against HOSTKEY's own portals only when
// INVAPI_CONFIRM=yes, so that running an example by mistake costs nothing.
func (e *Env) MayChange(what string) bool {
	if e.Simulated || os.Getenv("INVAPI_CONFIRM") == "yes" {
		return true
	}
	host := e.Client.BaseURL()
	for _, portal := range []string{invapi.BaseURLCom, invapi.BaseURLRU, invapi.BaseURLAPI} {
		if strings.EqualFold(strings.TrimRight(host, "/"), portal) {
			fmt.Printf("not going to %s on %s: set INVAPI_CONFIRM=yes to do it for real\n", what, host)
			return false
		}
	}
	return true
}

// Close logs out of the session the example opened (sessions should not be
// left open; a token given in HOSTKEY_TOKEN is the caller's and stays) and
// stops the simulator.
func (e *Env) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if e.ownSession {
		_ = e.Client.Auth.Logout(ctx)
	}
	_ = e.Client.Close()
	if e.close != nil {
		e.close()
	}
}

// Main runs an example: it builds the Env, runs fn with a context that ends
// on Ctrl-C or after timeout, logs out, and exits non-zero if fn failed.
func Main(timeout time.Duration, fn func(ctx context.Context, env *Env) error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	err := func() error {
		env, err := New()
		if err != nil {
			return err
		}
		defer env.Close()
		return fn(ctx, env)
	}()
	cancel()
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

// New builds the client. extra options are added after the environment's.
func New(extra ...invapi.Option) (*Env, error) {
	var opts []invapi.Option
	if os.Getenv("INVAPI_DEBUG") != "" {
		opts = append(opts, invapi.WithLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	}
	env := &Env{}
	if id, err := strconv.Atoi(os.Getenv("HOSTKEY_SERVER_ID")); err == nil && id > 0 {
		env.ServerID = id
	}
	key, token, pin := os.Getenv("HOSTKEY_API_KEY"), os.Getenv("HOSTKEY_TOKEN"), os.Getenv("HOSTKEY_PIN")
	base := os.Getenv("INVAPI_BASE_URL")
	if key == "" && token == "" {
		srv := invapitest.NewServer()
		fmt.Fprintf(os.Stderr, "no HOSTKEY_API_KEY or HOSTKEY_TOKEN set: running against the built-in simulator at %s\n", srv.URL)
		env.Simulated, env.close = true, srv.Close
		key, pin, base = invapitest.DefaultAPIKey, invapitest.DefaultPIN, srv.URL
	}
	if base != "" {
		opts = append(opts, invapi.WithBaseURL(base))
	}
	if key != "" {
		opts = append(opts, invapi.WithAPIKey(key))
		env.ownSession = token == ""
	}
	if token != "" {
		opts = append(opts, invapi.WithToken(token))
	}
	if pin != "" {
		opts = append(opts, invapi.WithPIN(pin))
	}
	c, err := invapi.NewClient(append(opts, extra...)...)
	if err != nil {
		if env.close != nil {
			env.close()
		}
		return nil, err
	}
	env.Client = c
	return env, nil
}

// FirstServer returns env.ServerID, or the first server of the session
// (auth info, else eq list).
func (e *Env) FirstServer(ctx context.Context) (int, error) {
	if e.ServerID > 0 {
		return e.ServerID, nil
	}
	info, err := e.Client.Auth.Info(ctx)
	if err != nil {
		return 0, err
	}
	if len(info.Servers) > 0 {
		return info.Servers[0], nil
	}
	servers, err := e.Client.Eq.List(ctx, &invapi.ServerListRequest{}) // info may not list them
	if err != nil {
		return 0, err
	}
	if len(servers) == 0 {
		return 0, fmt.Errorf("the account has no servers")
	}
	return servers[0].ID, nil
}
