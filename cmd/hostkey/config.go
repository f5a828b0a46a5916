package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"

	"github.com/invapi-go/invapi"
	"github.com/invapi-go/invapi/invapitest"
)

// config is ~/.config/hostkey/config.toml: named contexts (a portal and an
// account each) and the current one. It holds secrets, so it is written
// with mode 0600.
type config struct {
	CurrentContext string              `toml:"current-context"`
	Contexts       map[string]*profile `toml:"contexts"`

	path string
}

// profile is one context.
type profile struct {
	BaseURL  string `toml:"base-url,omitempty"`
	APIKey   string `toml:"api-key,omitempty"`
	User     string `toml:"user,omitempty"` // billing login (whmcslogin), for accounts without servers
	Password string `toml:"password,omitempty"`
	PIN      string `toml:"pin,omitempty"`
}

var contextName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// configFile returns the config file's path: --config, else
// $XDG_CONFIG_HOME/hostkey/config.toml, else ~/.config/hostkey/config.toml.
func (a *app) configFile() (string, error) {
	if a.configPath != "" {
		return a.configPath, nil
	}
	if x := os.Getenv("XDG_CONFIG_HOME"); x != "" {
		return filepath.Join(x, "hostkey", "config.toml"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("no home directory for the config file (use --config): %w", err)
	}
	return filepath.Join(home, ".config", "hostkey", "config.toml"), nil
}

// loadConfig reads the config file; a missing file is an empty config.
func (a *app) loadConfig() (*config, error) {
	if a.cfg != nil {
		return a.cfg, nil
	}
	path, err := a.configFile()
	if err != nil {
		return nil, err
	}
	cfg := &config{path: path, Contexts: map[string]*profile{}}
	b, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, err
	default:
		if err := toml.Unmarshal(b, cfg); err != nil {
			return nil, fmt.Errorf("config %s: %w", path, err)
		}
		if cfg.Contexts == nil {
			cfg.Contexts = map[string]*profile{}
		}
	}
	a.cfg = cfg
	return cfg, nil
}

// save writes the config with mode 0600 (its directory 0700).
func (c *config) save() error {
	if err := os.MkdirAll(filepath.Dir(c.path), 0o700); err != nil {
		return err
	}
	b, err := toml.Marshal(c)
	if err != nil {
		return err
	}
	return writeFileAtomic(c.path, b)
}

// writeFileAtomic writes a file only its owner can read, replacing it whole.
func writeFileAtomic(path string, b []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".hostkey-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// currentContextName is --context, else $HOSTKEY_CONTEXT, else the config's
// current context, else "default".
func (a *app) currentContextName(cfg *config) string {
	switch {
	case a.contextName != "":
		return a.contextName
	case os.Getenv("HOSTKEY_CONTEXT") != "":
		return os.Getenv("HOSTKEY_CONTEXT")
	case cfg.CurrentContext != "":
		return cfg.CurrentContext
	}
	return "default"
}

// creds are the credentials of this run, after the environment overrode the
// context.
type creds struct {
	context  string
	baseURL  string
	apiKey   string
	token    string // HOSTKEY_TOKEN: the caller's session, never cached or logged out
	user     string
	password string
	pin      string
}

func (a *app) resolveCreds() (*creds, error) {
	cfg, err := a.loadConfig()
	if err != nil {
		return nil, err
	}
	name := a.currentContextName(cfg)
	p := cfg.Contexts[name]
	if p == nil {
		if a.contextName != "" {
			return nil, usagef("no context %q in %s (hostkey context list)", name, cfg.path)
		}
		p = &profile{}
	}
	c := &creds{context: name, baseURL: p.BaseURL, apiKey: p.APIKey, user: p.User, password: p.Password, pin: p.PIN}
	if v := os.Getenv("HOSTKEY_API_KEY"); v != "" {
		c.apiKey, c.user, c.password = v, "", ""
	}
	if v := os.Getenv("HOSTKEY_TOKEN"); v != "" {
		c.token = v
		if os.Getenv("HOSTKEY_API_KEY") == "" {
			c.apiKey, c.user, c.password = "", "", "" // the token's session, not the context's
		}
	}
	if v := os.Getenv("HOSTKEY_PIN"); v != "" {
		c.pin = v
	}
	if v := os.Getenv("INVAPI_BASE_URL"); v != "" {
		c.baseURL = v
	}
	if a.baseURL != "" {
		c.baseURL = a.baseURL
	}
	return c, nil
}

// tokenCache is a context's cached session token, in
// <config dir>/sessions/<context>.json, mode 0600. It is used only with the
// same portal and credentials it was opened with.
type tokenCache struct {
	BaseURL     string    `json:"base_url"`
	Fingerprint string    `json:"credentials"` // a hash of the credentials, never them
	Token       string    `json:"token"`
	Expires     time.Time `json:"renew_after"`
}

func (a *app) tokenCachePath(context string) (string, error) {
	path, err := a.configFile()
	if err != nil {
		return "", err
	}
	return filepath.Join(filepath.Dir(path), "sessions", context+".json"), nil
}

func fingerprint(c *creds) string {
	h := sha256.Sum256([]byte("hostkey-session\x00" + c.apiKey + "\x00" + c.user + "\x00" + c.password))
	return hex.EncodeToString(h[:8])
}

func (a *app) loadToken(c *creds, base string) string {
	path, err := a.tokenCachePath(c.context)
	if err != nil {
		return ""
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	var tc tokenCache
	if json.Unmarshal(b, &tc) != nil {
		return ""
	}
	if tc.BaseURL != base || tc.Fingerprint != fingerprint(c) || tc.Token == "" || time.Now().After(tc.Expires) {
		return ""
	}
	return tc.Token
}

func (a *app) saveToken(c *creds, base, token string, expires time.Time) {
	path, err := a.tokenCachePath(c.context)
	if err != nil {
		return
	}
	if token == "" {
		_ = os.Remove(path)
		return
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return
	}
	b, _ := json.Marshal(tokenCache{BaseURL: base, Fingerprint: fingerprint(c), Token: token, Expires: expires})
	_ = writeFileAtomic(path, b) // a cache: failing to write costs a login next time, nothing more
}

// getClient builds the SDK client for this run: the simulator, a dry run
// that sends nothing, or the context's portal with its credentials.
func (a *app) getClient() (*invapi.Client, error) {
	if a.client != nil {
		return a.client, nil
	}
	opts := []invapi.Option{invapi.WithUserAgent("hostkey/" + version)}
	if d := os.Getenv("HOSTKEY_POLL_INTERVAL"); d != "" {
		first, err := time.ParseDuration(d)
		if err != nil || first <= 0 {
			return nil, usagef("HOSTKEY_POLL_INTERVAL: %q is not a duration", d)
		}
		opts = append(opts, invapi.WithPollInterval(first, 10*first), invapi.WithPollBudget(1000))
	}
	if a.dryRun {
		// Nothing leaves: no login (a placeholder token, masked when
		// printed), and the transport prints the form instead of sending.
		c, err := a.resolveCreds()
		if err != nil {
			return nil, err
		}
		base := c.baseURL
		if base == "" || a.simulator {
			base = invapi.BaseURLCom
		}
		a.dry = &dryRunTransport{out: a.stdout}
		opts = append(opts, invapi.WithBaseURL(base), invapi.WithHTTPClient(a.httpClient()),
			invapi.WithToken("dry-run-token"), invapi.WithPIN("0000"), invapi.WithRetry(0, time.Millisecond))
		client, err := invapi.NewClient(opts...)
		if err != nil {
			return nil, err
		}
		a.client = client
		return client, nil
	}
	if a.simulator {
		a.sim = invapitest.NewServer()
		fmt.Fprintf(a.stderr, "simulator: an in-process InvAPI at %s (nothing real is touched; its state lasts for this command only)\n", a.sim.URL)
		opts = append(opts, invapi.WithBaseURL(a.sim.URL), invapi.WithAPIKey(invapitest.DefaultAPIKey),
			invapi.WithPIN(invapitest.DefaultPIN))
		if os.Getenv("HOSTKEY_POLL_INTERVAL") == "" {
			opts = append(opts, invapi.WithPollInterval(20*time.Millisecond, 200*time.Millisecond), invapi.WithPollBudget(1000))
		}
		client, err := invapi.NewClient(opts...)
		if err != nil {
			return nil, err
		}
		a.client = client
		return client, nil
	}
	c, err := a.resolveCreds()
	if err != nil {
		return nil, err
	}
	base := c.baseURL
	if base == "" {
		base = invapi.BaseURLCom
	}
	base = strings.TrimRight(base, "/")
	opts = append(opts, invapi.WithBaseURL(base))
	switch {
	case c.apiKey != "":
		opts = append(opts, invapi.WithAPIKey(c.apiKey))
	case c.user != "":
		opts = append(opts, invapi.WithBillingCredentials(c.user, c.password))
		if a.stdinIsTerminal() {
			opts = append(opts, invapi.WithTwoFactorPrompt(func(ctx context.Context) (string, error) {
				return a.promptSecret("2FA code: ")
			}))
		}
	case c.token == "":
		return nil, &invapiAuthError{msg: fmt.Sprintf("no credentials: set HOSTKEY_API_KEY (or HOSTKEY_TOKEN), or create a context (hostkey context create NAME --api-key-stdin); context %q has none", c.context)}
	}
	if c.token != "" {
		opts = append(opts, invapi.WithToken(c.token))
	} else {
		if tok := a.loadToken(c, base); tok != "" {
			opts = append(opts, invapi.WithToken(tok))
		}
		opts = append(opts, invapi.WithSessionHook(func(token string, expires time.Time) {
			a.saveToken(c, base, token, expires)
		}))
	}
	switch {
	case c.pin != "":
		opts = append(opts, invapi.WithPIN(c.pin))
	case a.stdinIsTerminal():
		opts = append(opts, invapi.WithPINPrompt(func(ctx context.Context) (string, error) {
			return a.promptSecret("PIN: ")
		}))
	}
	client, err := invapi.NewClient(opts...)
	if err != nil {
		return nil, err
	}
	a.client = client
	return client, nil
}

// invapiAuthError is a missing-credentials error (exit 3).
type invapiAuthError struct{ msg string }

func (e *invapiAuthError) Error() string        { return e.msg }
func (e *invapiAuthError) Is(target error) bool { return target == invapi.ErrUnauthorized }
