// Package fromenv builds an invapi client from the environment: the account
// in HOSTKEY_API_KEY (or HOSTKEY_TOKEN), or, when neither is set, an
// in-process invapitest simulator. The examples of the invapi module start
// with it, so each can be copied out as it is; tools that should also run
// without an account can use it the same way.
package fromenv

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

// Env is a client built from the environment by New.
//
// Environment:
//
//	HOSTKEY_API_KEY   account or server API key (or HOSTKEY_TOKEN, a session token)
//	HOSTKEY_PIN       the account PIN, for critical actions
//	INVAPI_BASE_URL   API base URL (default https://invapi.hostkey.com)
//	HOSTKEY_SERVER_ID the server to act on (FirstServer)
//	INVAPI_CONFIRM    "yes" lets MayChange allow changes on HOSTKEY's own portals
//	INVAPI_DEBUG      non-empty: log the SDK's requests to stderr
type Env struct {
	Client *invapi.Client
	// Server is the simulator started because no credentials were set;
	// nil against a real API.
	Server *invapitest.Server

	serverID   int
	ownSession bool // logged in with an API key, not a caller's token
}

// New builds the client. With HOSTKEY_API_KEY or HOSTKEY_TOKEN set it is a
// client of that account (at INVAPI_BASE_URL when set) with the SDK's
// production pacing. With neither, it starts a simulator, says so in one
// line on stderr, and returns a client of its default account (which polls
// at the simulator's pace, see invapitest.PaceHeader). opts are applied
// last.
func New(opts ...invapi.Option) (*Env, error) {
	env := &Env{}
	if id, err := strconv.Atoi(os.Getenv("HOSTKEY_SERVER_ID")); err == nil && id > 0 {
		env.serverID = id
	}
	var base []invapi.Option
	key, token := os.Getenv("HOSTKEY_API_KEY"), os.Getenv("HOSTKEY_TOKEN")
	if key == "" && token == "" {
		env.Server = invapitest.NewServer()
		fmt.Fprintf(os.Stderr, "no HOSTKEY_API_KEY or HOSTKEY_TOKEN set: running against the built-in simulator at %s\n", env.Server.URL)
		base = []invapi.Option{invapi.WithBaseURL(env.Server.URL),
			invapi.WithAPIKey(invapitest.DefaultAPIKey), invapi.WithPIN(invapitest.DefaultPIN)}
		env.ownSession = true
	} else {
		if u := os.Getenv("INVAPI_BASE_URL"); u != "" {
			base = append(base, invapi.WithBaseURL(u))
		}
		if key != "" {
			base = append(base, invapi.WithAPIKey(key))
			env.ownSession = token == ""
		}
		if token != "" {
			base = append(base, invapi.WithToken(token))
		}
		if pin := os.Getenv("HOSTKEY_PIN"); pin != "" {
			base = append(base, invapi.WithPIN(pin))
		}
	}
	if os.Getenv("INVAPI_DEBUG") != "" {
		base = append(base, invapi.WithLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	}
	c, err := invapi.NewClient(append(base, opts...)...)
	if err != nil {
		if env.Server != nil {
			env.Server.Close()
		}
		return nil, err
	}
	env.Client = c
	return env, nil
}

// Simulated reports whether the client talks to the in-process simulator.
func (e *Env) Simulated() bool { return e.Server != nil }

// MayChange reports whether the program may go on with an action that
// changes or charges something (what, e.g. "order a server"). It may
// against the simulator and any base URL that is not one of HOSTKEY's
// portals; against HOSTKEY's own portals only when INVAPI_CONFIRM=yes, so
// that running an example by mistake costs nothing. When it may not, it
// prints why.
func (e *Env) MayChange(what string) bool {
	if e.Simulated() || os.Getenv("INVAPI_CONFIRM") == "yes" {
		return true
	}
	host := strings.TrimRight(e.Client.BaseURL(), "/")
	for _, portal := range []string{invapi.BaseURLCom, invapi.BaseURLRU, invapi.BaseURLAPI} {
		if strings.EqualFold(host, portal) {
			fmt.Printf("not going to %s on %s: set INVAPI_CONFIRM=yes to do it for real\n", what, host)
			return false
		}
	}
	return true
}

// FirstServer returns HOSTKEY_SERVER_ID, or the first server of the
// session (auth info, else eq list).
func (e *Env) FirstServer(ctx context.Context) (int, error) {
	if e.serverID > 0 {
		return e.serverID, nil
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

// Close logs out of the session New opened (a token given in
// HOSTKEY_TOKEN is the caller's and stays), closes the client and stops
// the simulator.
func (e *Env) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var err error
	if e.ownSession {
		err = e.Client.Auth.Logout(ctx)
	}
	_ = e.Client.Close()
	if e.Server != nil {
		e.Server.Close()
	}
	return err
}

// Main is the whole of a small program's main function: it builds an Env
// (New), calls run with a context that ends after timeout or on Ctrl-C,
// closes the Env (logging out, stopping the simulator) and, when New or
// run failed, prints "error: " and the error on stderr and exits with
// status 1. The examples of the invapi module are written this way, so
// that their main.go shows only what they do with the SDK.
func Main(timeout time.Duration, run func(ctx context.Context, env *Env) error) {
	if err := runMain(timeout, run); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

// MainOnServer is Main for a program that acts on one server: run is
// given the server FirstServer picks (HOSTKEY_SERVER_ID, else the
// account's first), asked for before run is called.
func MainOnServer(timeout time.Duration, run func(ctx context.Context, env *Env, id int) error) {
	Main(timeout, onServer(run))
}

func onServer(run func(ctx context.Context, env *Env, id int) error) func(context.Context, *Env) error {
	return func(ctx context.Context, env *Env) error {
		id, err := env.FirstServer(ctx)
		if err != nil {
			return err
		}
		return run(ctx, env, id)
	}
}

// runMain is Main without the exit: New's or run's error.
func runMain(timeout time.Duration, run func(ctx context.Context, env *Env) error) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	env, err := New()
	if err != nil {
		return err
	}
	err = run(ctx, env)
	_ = env.Close() // logs out, stops the simulator
	return err
}
