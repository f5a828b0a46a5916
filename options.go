package invapi

import (
	"context"
	"log/slog"
	"math"
	"net/http"
	"time"
)

// Option configures a Client in NewClient.
type Option func(*config) error

type config struct {
	baseURL          string
	httpClient       *http.Client
	callerHTTP       bool // httpClient came from WithHTTPClient: the caller's, not ours
	userAgent        string
	logger           *slog.Logger
	maxResponseBytes int64
	retryMax         int
	retryWaitMin     time.Duration
	retryMaxWait     time.Duration
	maxRetryAfter    time.Duration
	creds            credentials
	poll             pollOptions
	limit            limitConfig
	observer         *Observer
}

func defaultConfig() config {
	return config{
		baseURL:          BaseURLCom,
		httpClient:       defaultHTTPClient(),
		userAgent:        defaultUserAgent,
		maxResponseBytes: defaultMaxResponseBytes,
		retryMax:         4,
		retryWaitMin:     500 * time.Millisecond,
		retryMaxWait:     15 * time.Second,
		maxRetryAfter:    time.Minute,
		poll:             defaultPollOptions(),
		limit:            limitConfig{adaptive: true},
	}
}

// defaultHTTPClient bounds the wait for an answer's headers at the transport
// (2 minutes) rather than with http.Client.Timeout, which costs a context
// and a timer on every request; callers bound whole calls with their ctx.
func defaultHTTPClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.ResponseHeaderTimeout = 2 * time.Minute
	tr.MaxIdleConnsPerHost = 16 // the poller runs several checks at once
	return &http.Client{
		Transport: tr,
		// A redirected POST would be replayed as a GET without its form:
		// surface the redirect instead of following it.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// credentials are what the client logs in with. Their values never leave
// the client except in the form body of the call that needs them.
type credentials struct {
	apiKey    string
	user      string // billing (WHMCS) login
	password  string
	fixIP     bool
	ttl       time.Duration // requested session lifetime (whmcslogin ttl)
	token     string        // an existing session token
	pin       string
	pinPrompt func(ctx context.Context) (string, error)
	twoFactor func(ctx context.Context) (string, error)
	// onSession is told of every new session token and of its end.
	onSession func(token string, expires time.Time)
}

// kind describes the credentials without revealing them.
func (c credentials) kind() string {
	switch {
	case c.apiKey != "":
		return "api key"
	case c.user != "":
		return "billing login"
	case c.token != "":
		return "token"
	}
	return "none"
}

// WithAPIKey logs in with an account-wide or per-server API key
// (auth.php action=login). The session is opened on the first call.
func WithAPIKey(key string) Option {
	return func(c *config) error {
		if err := validCredential("api key", key); err != nil {
			return err
		}
		c.creds.apiKey = key
		return nil
	}
}

// validCredential refuses an empty login credential, and one holding a
// control character (CR, LF...), which would break the form it is sent in.
func validCredential(field, v string) error {
	if v == "" {
		return invalid(field, "is empty")
	}
	if hasControl(v) {
		return invalid(field, "holds a control character (CR, LF...)")
	}
	return nil
}

// WithBillingCredentials logs in with the billing (WHMCS) e-mail and password
// (auth.php action=whmcslogin): the only way in for an account that has no
// servers yet. If the account uses 2FA, also pass WithTwoFactorPrompt.
func WithBillingCredentials(user, password string) Option {
	return func(c *config) error {
		if err := validCredential("user", user); err != nil {
			return err
		}
		if password == "" {
			return invalid("password", "is empty")
		}
		c.creds.user, c.creds.password = user, password
		return nil
	}
}

// WithSessionTTL asks for sessions of the given lifetime (the ttl of login
// and whmcslogin). Without it, API-key logins ask for 1 hour, as HOSTKEY's
// own clients do, and billing logins take the API's default (3 hours). The
// client renews the session before it ends (token_expire when the answer
// carries it).
func WithSessionTTL(ttl time.Duration) Option {
	return func(c *config) error {
		if ttl < time.Minute {
			return invalid("ttl", "must be at least a minute, got %s", ttl)
		}
		c.creds.ttl = ttl
		return nil
	}
}

// WithFixIP binds sessions to the caller's IP (fix_ip=1 on login and
// whmcslogin). Without it the client sends fix_ip=0, as HOSTKEY's MCP
// server does, so a token survives a change of outgoing address.
func WithFixIP() Option {
	return func(c *config) error { c.creds.fixIP = true; return nil }
}

// WithToken uses an existing session token (for example $HOSTKEY_TOKEN).
// Without an API key or billing credentials as well, the client cannot renew
// it, and calls fail with ErrUnauthorized once it expires.
func WithToken(token string) Option {
	return func(c *config) error {
		if err := validCredential("token", token); err != nil {
			return err
		}
		c.creds.token = token
		return nil
	}
}

// WithSessionHook calls fn with every session token the client opens
// (auth.php login or whmcslogin, including renewals and the re-login after
// an expired token) and when it should be renewed, and with ("", zero time)
// when Auth.Logout ends the session. A program that runs many times, such
// as a command-line tool, keeps the token this way and passes it back with
// WithToken next time, so that it does not log in on every run.
//
// The token is a secret: store it as you store the API key (a file only its
// owner can read). fn is called on the goroutine that logged in, outside the
// client's locks; keep it quick.
func WithSessionHook(fn func(token string, expires time.Time)) Option {
	return func(c *config) error {
		c.creds.onSession = fn
		return nil
	}
}

// WithPIN sets the account PIN (4–6 digits) sent with critical actions. An
// empty pin sets none (for accounts without a PIN), so
// WithPIN(os.Getenv("HOSTKEY_PIN")) works either way.
func WithPIN(pin string) Option {
	return func(c *config) error {
		if pin == "" {
			return nil
		}
		if err := validatePIN("pin", pin); err != nil {
			return err
		}
		c.creds.pin = pin
		return nil
	}
}

// WithPINPrompt asks prompt for the PIN when a critical action needs one,
// once per action (a rejected PIN is never retried). Use it to read the PIN
// from a terminal or a secret store instead of keeping it in memory.
func WithPINPrompt(prompt func(ctx context.Context) (string, error)) Option {
	return func(c *config) error {
		if prompt == nil {
			return invalid("pin prompt", "is nil")
		}
		c.creds.pinPrompt = prompt
		return nil
	}
}

// WithTwoFactorPrompt supplies the 2FA code when a billing login asks for it
// (auth.php 2fa_check).
func WithTwoFactorPrompt(prompt func(ctx context.Context) (string, error)) Option {
	return func(c *config) error {
		if prompt == nil {
			return invalid("2fa prompt", "is nil")
		}
		c.creds.twoFactor = prompt
		return nil
	}
}

// WithBaseURL sets the API base URL (default BaseURLCom). Plain http:// is
// refused unless the host is loopback, as for invapitest servers.
func WithBaseURL(baseURL string) Option {
	return func(c *config) error {
		if _, err := parseBaseURL(baseURL); err != nil {
			return err
		}
		c.baseURL = baseURL
		return nil
	}
}

// WithHTTPClient sets the *http.Client used for every request (default: one
// that waits at most 2 minutes for an answer and does not follow redirects).
// Set per-call deadlines with the context.
//
// The SDK uses a shallow copy of hc and leaves hc itself unchanged. The
// copy's CheckRedirect wraps hc's: whatever hc would do, no redirect is
// followed for a state change, nor to another scheme, host or port than
// the base URL's, nor with a status other than 307 or 308 (see
// ErrRedirected). The client's idle connections are the caller's: the SDK
// never closes them (Client.Close does not either), since on a shared
// Transport that can break another user's request in flight. A Transport
// that resends requests by itself (a retrying RoundTripper) is beyond the
// SDK's reach: do not pass one, or a state change may be sent twice.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return invalid("http client", "is nil")
		}
		c.httpClient, c.callerHTTP = hc, true
		return nil
	}
}

// WithUserAgent sets the User-Agent header; the SDK's own is appended.
func WithUserAgent(ua string) Option {
	return func(c *config) error {
		if hasControl(ua) {
			return invalid("user agent", "holds a control character (CR, LF...)")
		}
		if ua != "" {
			c.userAgent = ua + " " + defaultUserAgent
		}
		return nil
	}
}

// WithLogger logs requests (module, action, status, duration, attempt) and
// retries at debug level, and anomalies at warn level. No secret is logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error { c.logger = l; return nil }
}

// WithRetry sets how many times a read or callback check is retried on
// network errors, HTTP 429 and 5xx (default 4), and the longest pause between
// tries (default 15s). State-changing actions are never retried once sent.
func WithRetry(maxRetries int, maxWait time.Duration) Option {
	return func(c *config) error {
		if maxRetries < 0 {
			return invalid("max retries", "must not be negative")
		}
		if maxWait <= 0 {
			return invalid("max wait", "must be positive")
		}
		c.retryMax, c.retryMaxWait = maxRetries, maxWait
		if c.retryWaitMin > maxWait {
			c.retryWaitMin = maxWait
		}
		return nil
	}
}

// WithMaxRetryAfter caps how long a read waits when the API answers 429 with
// Retry-After (default 1 minute); a longer demand returns ErrRateLimited.
// It also caps the pause a long Retry-After of a 429 or a 503 (any, with
// adaptation off) puts on every request of the client (see
// WithAdaptiveRateLimit). The cap must be positive.
func WithMaxRetryAfter(d time.Duration) Option {
	return func(c *config) error {
		if err := positiveDuration("max retry after", d); err != nil {
			return err
		}
		c.maxRetryAfter = d
		return nil
	}
}

// positiveDuration refuses a duration that is zero or negative.
func positiveDuration(field string, d time.Duration) error {
	if d <= 0 {
		return invalid(field, "must be positive, got %s", d)
	}
	return nil
}

// WithPollInterval sets the shortest and the longest pause between checks of
// one callback key (defaults 1s and 20s). Within these bounds the poller
// places each operation's checks where operations of the same kind
// finished before on this client (its priors until it has seen some): close
// together where completions are likely, up to the longest pause where they
// are not, never longer, unless more operations wait than the budget
// (WithPollBudget) can check in that time: then each is checked once per
// round of them all. The first check of a wait may come sooner than the
// shortest pause (at once on a fresh client); until the client has seen 8
// operations of the kind finish, checks come no later than the pause growing
// by half from the shortest would bring them; after a "Stage" the next check
// comes after the shortest pause. With first == max the pause is fixed
// (±10%). A failed check backs off, the pause growing by half up to the
// longest.
func WithPollInterval(first, max time.Duration) Option {
	return func(c *config) error {
		if first <= 0 || max < first {
			return invalid("poll interval", "need 0 < first <= max, got %s and %s", first, max)
		}
		c.poll.minInterval, c.poll.maxInterval = first, max
		return nil
	}
}

// WithPollConcurrency bounds how many callback checks run at once for this
// client (default 8), whatever the number of pending operations.
func WithPollConcurrency(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return invalid("poll concurrency", "must be at least 1")
		}
		c.poll.concurrency = n
		return nil
	}
}

// WithPollCheckTimeout bounds each callback check, its retries included
// (default 30s). A check the API leaves hanging then frees its place among
// the WithPollConcurrency checks in flight and counts as a failed check, so
// one stalled key never starves the others.
func WithPollCheckTimeout(d time.Duration) Option {
	return func(c *config) error {
		if err := positiveDuration("poll check timeout", d); err != nil {
			return err
		}
		c.poll.checkTimeout = d
		return nil
	}
}

// WithPollBudget caps the callback checks the client sends per second, over
// all operations (default 20). With more operations waiting than the budget
// checks within the longest pause of WithPollInterval, the pauses grow to
// one round of them all (waiting operations over the budget), so no check
// is planned only to queue behind the others.
func WithPollBudget(perSecond float64) Option {
	return func(c *config) error {
		if err := validRate("poll budget", "checks", perSecond); err != nil {
			return err
		}
		c.poll.perSecond = perSecond
		return nil
	}
}

// validRate checks a rate of what (checks, requests) per second: a finite
// number, at least 0.01. NaN passes every comparison but none of the
// scheduler's sums; a rate below one per 100 s would overflow the pause.
func validRate(field, what string, perSecond float64) error {
	if math.IsNaN(perSecond) || math.IsInf(perSecond, 0) || perSecond < 0.01 {
		return invalid(field, "must be a finite number of %s per second, at least 0.01, got %v", what, perSecond)
	}
	return nil
}

// WithMaxResponseBytes caps the size of an answer (default 32 MiB, at least
// 1024). math.MaxInt64 means no cap.
func WithMaxResponseBytes(n int64) Option {
	return func(c *config) error {
		if n < 1024 {
			return invalid("max response bytes", "must be at least 1024")
		}
		// The body is read up to n+1 bytes to see an answer that is too
		// large: keep the sum from overflowing.
		c.maxResponseBytes = min(n, math.MaxInt64-1)
		return nil
	}
}

// WithRateLimit sets a fixed client-wide rate: at most perSecond requests
// a second, with bursts of up to burst, for every HTTP attempt the client
// makes (calls, retries, logins and callback checks together). It turns
// the adaptation off: the rate stays as set whatever the API answers, so a
// 429 with Retry-After pauses every request for as long as it says.
//
// Without it the client adapts by itself (see WithAdaptiveRateLimit). Use
// it when the account's limit is known, or to leave room for other
// programs that share the account. Reads and state changes wait in
// separate queues served in turn, so neither starves the other.
func WithRateLimit(perSecond float64, burst int) Option {
	return func(c *config) error {
		if err := validRate("rate limit", "requests", perSecond); err != nil {
			return err
		}
		if burst < 1 {
			return invalid("rate limit burst", "must be at least 1, got %d", burst)
		}
		c.limit = limitConfig{rate: perSecond, burst: burst}
		return nil
	}
}

// WithAdaptiveRateLimit turns the client's adaptive rate limit on (the
// default) or off.
//
// On, the client sends as fast as its callers ask until the API answers
// 429: only the requests in flight at once are bounded, by a window that
// starts at 16 and widens while it is used, so the API's burst serves the
// start. A 429 cuts the rate, and only the request it answered waits out
// its Retry-After (a read is then sent again, a state change is returned
// as ErrRateLimited); every other request goes on at the new rate. The
// first cut sets the rate to what the API accepted over the last second;
// a later one to what it accepted per second since the cut before (a 429
// says its budget is spent, so in between it accepted what it refilled:
// its sustained rate), less 2%. The rate then grows back along TCP CUBIC's
// curve: within a second or two to near that measure, flat around it for a
// few seconds, then faster and faster beyond it (probing for a raised
// limit), never beyond twice what the client was accepted over the last
// second; it is lifted after five minutes without a 429. A Retry-After of 3 seconds or more (a spent quota rather than a
// token that comes within a second) pauses every request for as long as
// it says, capped by WithMaxRetryAfter; so does one on a 503 (the API
// down for maintenance), which cuts no rate. LimiterStats shows where it
// stands: its Estimate is a good WithRateLimit for the next run.
//
// Off, the client sets no rate and no window of its own (only
// WithRateLimit's, if given), and every Retry-After (of a 429 or a 503)
// pauses every request.
// WithAdaptiveRateLimit(true) after WithRateLimit removes the fixed rate.
func WithAdaptiveRateLimit(enabled bool) Option {
	return func(c *config) error {
		if enabled {
			c.limit = limitConfig{adaptive: true}
		} else {
			c.limit.adaptive = false
		}
		return nil
	}
}

// WithObserver calls o's hooks on every HTTP attempt, retry, rate-limit
// wait, callback check and finished operation of the client (see
// Observer). The events carry no secret.
func WithObserver(o Observer) Option {
	return func(c *config) error {
		c.observer = &o
		return nil
	}
}
