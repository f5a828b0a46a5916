package invapi

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/invapi-go/invapi/internal/redact"
	"github.com/invapi-go/invapi/internal/retry"
)

// Base URLs of the InvAPI portals. The .ru portal has its own accounts and tokens.
const (
	BaseURLCom = "https://invapi.hostkey.com" // default
	BaseURLRU  = "https://invapi.hostkey.ru"
	BaseURLAPI = "https://api.hostkey.com" // the host newer vendor docs use
)

// Version is the SDK version sent in the User-Agent.
const Version = "0.1.0"

const (
	defaultUserAgent        = "invapi-go/" + Version
	defaultMaxResponseBytes = 32 << 20
	defaultSessionTTL       = 2 * time.Hour // the docs' shortest statement
	sessionRefreshMargin    = 5 * time.Minute
)

// Client talks to InvAPI. Create it with NewClient; it is safe for concurrent
// use by many goroutines, which share one session and one callback poller.
//
// Services hang off the client, one per API module, named after it:
// c.Eq for eq.php, c.Tags for tags.php, and so on.
type Client struct {
	baseURL          *url.URL
	base             string                // baseURL as text, joined to "/{module}.php" per call
	http             *retryablehttp.Client // reads, with retries
	hc               *http.Client          // the user's client, with the SDK's redirect policy
	ownTransport     *http.Client          // the SDK's default client, whose idle connections Close closes
	userAgent        string
	logger           *slog.Logger
	maxResponseBytes int64

	creds    credentials
	sess     session
	poller   *poller
	limiter  *limiter  // every HTTP attempt passes it (limitTransport)
	observer *Observer // nil: none
	// paceable: a loopback base URL and no WithPollInterval, so a test
	// server's PaceHeader is honoured (once: paced).
	paceable bool
	paced    atomic.Bool

	// secrets holds every secret value the client knows, for redaction.
	secrets atomic.Pointer[[]string]
	closed  atomic.Bool // set by Close: nothing is sent afterwards

	common service // shared by the services below, so they cost no allocation

	Auth         *AuthService
	Eq           *EqService
	Tags         *TagsService
	Net          *NetService
	IP           *IPService
	NAT          *NATService
	Jira         *JiraService
	WHMCS        *WHMCSService
	Presets      *PresetsService
	OS           *OSService
	TrafficPlans *TrafficPlansService
	Software     *SoftwareService
	Stocks       *StocksService
	Jenkins      *JenkinsService
	APIKeys      *APIKeysService
	ISO          *ISOService
	VM           *VMService
	PDNS         *PDNSService
	RHR          *RHRService
	S3           *S3Service
	SSHKeys      *SSHKeysService
}

// service is the back-pointer every service type shares (as in go-github).
type service struct {
	client *Client
}

// NewClient returns a client configured by opts. With no credentials option
// only the calls that need no session work (catalogue lists, callback checks).
//
//	c, err := invapi.NewClient(
//		invapi.WithAPIKey(os.Getenv("HOSTKEY_API_KEY")),
//		invapi.WithPIN(os.Getenv("HOSTKEY_PIN")),
//	)
func NewClient(opts ...Option) (*Client, error) {
	cfg := defaultConfig()
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	base, err := parseBaseURL(cfg.baseURL)
	if err != nil {
		return nil, err
	}
	logger := cfg.logger
	if logger == nil {
		logger = slog.New(discardHandler{})
	}

	c := &Client{
		baseURL:          base,
		base:             base.String(),
		userAgent:        cfg.userAgent,
		logger:           logger,
		maxResponseBytes: cfg.maxResponseBytes,
		creds:            cfg.creds,
		observer:         cfg.observer,
		limiter:          newLimiter(cfg.limit, cfg.maxRetryAfter),
	}
	def := defaultPollOptions()
	c.paceable = isLoopback(base.Hostname()) &&
		cfg.poll.minInterval == def.minInterval && cfg.poll.maxInterval == def.maxInterval
	c.sess.token = cfg.creds.token
	c.sess.ttl = cfg.creds.ttl
	c.rememberSecrets()

	// A shallow copy of the user's client, so the SDK's redirect policy
	// applies without changing the caller's value.
	hc := *cfg.httpClient
	hc.CheckRedirect = c.redirectPolicy(cfg.httpClient.CheckRedirect)
	if cfg.callerHTTP {
		// go-retryablehttp closes the idle connections of its client after
		// every failed request; on the caller's Transport, perhaps shared
		// with the rest of the program, that can break a request in flight.
		tr := hc.Transport
		if tr == nil {
			tr = http.DefaultTransport
		}
		hc.Transport = keepIdle{tr}
	} else {
		c.ownTransport = cfg.httpClient
	}
	if hc.Transport == nil {
		hc.Transport = http.DefaultTransport
	}
	hc.Transport = limitTransport{rt: hc.Transport, c: c}
	c.hc = &hc

	policy := retry.Policy{MaxWait: cfg.retryMaxWait, MaxRetryAfter: cfg.maxRetryAfter, Final: c.pinRefused,
		MaxBody: c.maxResponseBytes, Unreadable: c.unreadable}
	c.http = &retryablehttp.Client{
		HTTPClient:   c.hc,
		Logger:       nil, // we log ourselves, without secrets
		RetryWaitMin: cfg.retryWaitMin,
		RetryWaitMax: cfg.retryMaxWait,
		RetryMax:     cfg.retryMax,
		CheckRetry:   policy.CheckRetry,
		Backoff:      policy.Backoff,
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
		PrepareRetry: func(*http.Request) error {
			if c.closed.Load() {
				return ErrClosed // nothing is sent after Close
			}
			return nil
		},
		RequestLogHook: func(_ retryablehttp.Logger, req *http.Request, attempt int) {
			if attempt > 0 {
				c.logger.LogAttrs(req.Context(), slog.LevelDebug, "invapi retry",
					slog.String("path", req.URL.Path), slog.Int("attempt", attempt))
			}
		},
	}

	c.common.client = c
	c.Auth = (*AuthService)(&c.common)
	c.Eq = (*EqService)(&c.common)
	c.Tags = (*TagsService)(&c.common)
	c.Net = (*NetService)(&c.common)
	c.IP = (*IPService)(&c.common)
	c.NAT = (*NATService)(&c.common)
	c.Jira = (*JiraService)(&c.common)
	c.WHMCS = (*WHMCSService)(&c.common)
	c.Presets = (*PresetsService)(&c.common)
	c.OS = (*OSService)(&c.common)
	c.TrafficPlans = (*TrafficPlansService)(&c.common)
	c.Software = (*SoftwareService)(&c.common)
	c.Stocks = (*StocksService)(&c.common)
	c.Jenkins = (*JenkinsService)(&c.common)
	c.APIKeys = (*APIKeysService)(&c.common)
	c.ISO = (*ISOService)(&c.common)
	c.VM = (*VMService)(&c.common)
	c.PDNS = (*PDNSService)(&c.common)
	c.RHR = (*RHRService)(&c.common)
	c.S3 = (*S3Service)(&c.common)
	c.SSHKeys = (*SSHKeysService)(&c.common)
	c.poller = newPoller(c, cfg.poll)
	return c, nil
}

// BaseURL returns the base URL the client calls: the configured one, or
// the account's portal when a login answer switched to it (auth.go).
func (c *Client) BaseURL() string { return c.requestBase() }

// Close is final: it stops the callback poller (waits still running end
// with ErrClosed) and closes the idle connections of the SDK's own HTTP
// client (not those of one given with WithHTTPClient), and from then on
// the client sends nothing: every call returns an error matching
// ErrClosed, and a retry due after Close is not sent. A request already on
// the wire completes. It does not log out: call Auth.Logout first to end
// the session on the server.
func (c *Client) Close() error {
	c.closed.Store(true)
	c.limiter.close()
	c.poller.close()
	if c.ownTransport != nil {
		c.ownTransport.CloseIdleConnections()
	}
	return nil
}

// keepIdle is a caller's RoundTripper with its CloseIdleConnections hidden.
type keepIdle struct{ http.RoundTripper }

// String prints the client without any secret.
func (c *Client) String() string {
	return fmt.Sprintf("invapi.Client{base: %s, auth: %s}", c.baseURL, c.creds.kind())
}

// GoString is String, so %#v does not print credentials either.
func (c *Client) GoString() string { return c.String() }

// redact masks every secret the client knows in s.
func (c *Client) redact(s string) string {
	if p := c.secrets.Load(); p != nil {
		return redact.Text(s, *p...)
	}
	return redact.Text(s)
}

// redactOrMask is redact for a client that may be nil (a value built by
// hand): then only the values after secret field names are masked.
func (c *Client) redactOrMask(s string) string {
	if c == nil {
		return redact.Text(s)
	}
	return c.redact(s)
}

// rememberSecrets records the current secret values for redaction.
func (c *Client) rememberSecrets(extra ...string) {
	for {
		old := c.secrets.Load()
		var list []string
		if old != nil {
			list = append(list, *old...)
		} else {
			list = append(list, c.creds.apiKey, c.creds.password, c.creds.pin, c.creds.token)
		}
		added := false
		for _, s := range extra {
			if s != "" && !contains(list, s) {
				list = append(list, s)
				added = true
			}
		}
		if old != nil && !added {
			return
		}
		// The configured credentials stay; of the secrets met on the way
		// (tokens, passwords sent, keys received) the newest are kept, so a
		// long-lived client's masking stays bounded.
		if n := len(list) - maxRememberedSecrets; n > 0 {
			list = append(list[:staticSecrets], list[staticSecrets+n:]...)
		}
		if c.secrets.CompareAndSwap(old, &list) {
			return
		}
	}
}

const (
	staticSecrets        = 4 // API key, password, PIN and token as configured
	maxRememberedSecrets = 64
)

// rememberRequestSecrets records the values of a request's secret fields
// (root_pass, admin_pass, password, code...: redact.IsSecretField, also as
// params[name]) before it is sent, so that the answer to that very call,
// and every later error, masks them.
func (c *Client) rememberRequestSecrets(ep *endpoint, fields url.Values) {
	var found []string
	for name, vals := range fields {
		inner := name
		if i := strings.IndexByte(name, '['); i >= 0 && strings.HasSuffix(name, "]") {
			inner = name[i+1 : len(name)-1]
			name = name[:i]
		}
		if !redact.IsSecretField(name) && !redact.IsSecretField(inner) {
			continue
		}
		if name == "key" && ep.noAuth && strings.HasSuffix(ep.module, "_callback") {
			continue // a callback key is no secret, and is shown in errors
		}
		for _, v := range vals {
			if len(v) >= redact.MinLength {
				found = append(found, v)
			}
		}
	}
	if len(found) > 0 {
		c.rememberSecrets(found...)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func parseBaseURL(raw string) (*url.URL, error) {
	if hasControl(raw) {
		return nil, invalid("base URL", "holds a control character")
	}
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || u.Host == "" {
		return nil, invalid("base URL", "%q is not an absolute URL", maskUserInfo(raw))
	}
	if u.User != nil {
		// Credentials in the URL would travel in every request's
		// Authorization header and print wherever the URL does.
		return nil, invalid("base URL", "must not carry user info (user:password@ before the host)")
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return nil, invalid("base URL", "plain http is refused for %s: secrets travel in the body; use https (http is allowed for loopback addresses and localhost only)", u.Host)
		}
	default:
		return nil, invalid("base URL", "scheme %q is not http or https", u.Scheme)
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.ContainsAny(raw, "?#") {
		return nil, invalid("base URL", "must not carry a query or fragment")
	}
	return u, nil
}

// maskUserInfo hides what sits between "//" and "@" in a URL that did not
// parse, since it may be a password.
func maskUserInfo(raw string) string {
	if i := strings.Index(raw, "//"); i >= 0 {
		rest := raw[i+2:]
		end := strings.IndexAny(rest, "/?#")
		if end < 0 {
			end = len(rest)
		}
		if at := strings.LastIndex(rest[:end], "@"); at >= 0 {
			return raw[:i+2] + "***@" + rest[at+1:]
		}
	}
	return raw
}

// isLoopback reports a host that may be called over plain http: a loopback
// address or the literal name localhost. A name under .localhost is not
// trusted: not every resolver keeps it on the machine.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// hasControl reports a control character (CR, LF, NUL, DEL...) in s: never
// valid in a header, a URL or a credential.
func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if b := s[i]; b < 0x20 || b == 0x7f {
			return true
		}
	}
	return false
}

// discardHandler is a slog.Handler that drops everything (slog.DiscardHandler
// needs Go 1.24; this module supports 1.23).
type discardHandler struct{}

func (discardHandler) Enabled(context.Context, slog.Level) bool  { return false }
func (discardHandler) Handle(context.Context, slog.Record) error { return nil }
func (d discardHandler) WithAttrs([]slog.Attr) slog.Handler      { return d }
func (d discardHandler) WithGroup(string) slog.Handler           { return d }
