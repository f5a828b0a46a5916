// Package invapi is a Go client for HOSTKEY's InvAPI, the form-encoded HTTP
// API behind the HOSTKEY control panel (invapi.hostkey.com): servers, power,
// reinstalls, IPMI and consoles, networking, IPs and PTR, NAT, tags,
// remote-hands tickets, billing, presets, OS images, API keys and more.
//
// # Logging in
//
// Create one Client and share it; it is safe for concurrent use.
//
//	c, err := invapi.NewClient(
//		invapi.WithAPIKey(os.Getenv("HOSTKEY_API_KEY")),
//		invapi.WithPIN(os.Getenv("HOSTKEY_PIN")),
//	)
//
// The client opens a session (auth.php login, asking for one hour as
// HOSTKEY's own clients do; WithSessionTTL for another) on its first call,
// renews it before it expires (the answer's token_expire), and logs in
// again once if the API says the token is invalid or expired; concurrent
// callers share that one login. When the login answer names the account's
// portal (invapi) and the client calls a HOSTKEY portal, it moves there,
// but only to another hostkey.com or hostkey.ru host over https. An account
// that has no servers yet cannot log in with an API key (ErrNoServers): use
// WithBillingCredentials (auth.php whmcslogin), plus WithTwoFactorPrompt if
// the account uses 2FA. WithToken reuses an existing session token.
// Use BaseURLRU for the Russian portal, which has its own accounts.
//
// # The PIN
//
// Critical actions (power, reinstall, orders, NAT, network ports) need the
// account PIN. Give it with WithPIN, or WithPINPrompt to ask for it when an
// action needs it (once per action). A rejected PIN (ErrWrongPIN) is never
// retried: the API slows down after repeated failures.
//
// # Calling
//
// Services hang off the client, one per API module, with one method per
// action named after it: eq.php show is c.Eq.Show, ip.php get_ptr is
// c.IP.GetPTR, nat.php add_static_nat is c.NAT.AddStaticNAT. Every method
// takes a context.Context first. Actions with several parameters take a
// request struct; it is validated before anything is sent, and invalid input
// is reported as a *ValidationError naming the form field. Client.Do calls
// an action the SDK does not model yet through the same machinery.
//
// # Actions published by name only
//
// The vendor publishes many actions by name only, with no parameter list
// (the README's Evidence column says which); their documentation here says
// "Published by name only". Their request types send the names the rest of
// InvAPI and HOSTKEY's own clients use (id for a server, invoice_id...), as
// each type says, and carry Extra (Fields) for whatever the SDK does not
// model, sent as given. The many that take only a server have request types
// that are names for ServerRequest (HardOffRequest, BackupRequest...). A nil
// request is refused with a *ValidationError, except where the method says
// nil means no parameters. Raw() on a result returns the answer as received.
//
// # Waiting for async operations
//
// Long actions (power, reinstall, orders, backups, NAT) answer with a
// callback key at once. Their methods return an *Operation:
//
//	op, err := c.Eq.Reboot(ctx, 12345)
//	if err != nil { ... }
//	res, err := op.Wait(ctx) // until "OK", a failure, or ctx is done
//
// or stream the stages as they happen (a reinstall reports five):
//
//	for p := range op.Progress(ctx) {
//		fmt.Println(p.Status, p.Message)
//	}
//
// Watch is the same stream as an iterator. All waits of a client share one
// poller, which bounds concurrent checks and their rate, retries failed
// checks, and learns, per kind of action (power, reinstall, order, NAT,
// and each other action on its own), how long operations take on this
// client: it checks densely where operations of the kind finished before
// and sparsely where they did not, never further apart than
// WithPollInterval's longest pause (unless the budget cannot check every
// waiting operation that often). Client.PollerStats reports what it is
// doing and what it has learned. A key answers "OK" only once: the
// Operation keeps it for every later Wait. Save Operation.Key to resume a
// wait later with Client.ResumeOperation; a key whose OK was already read
// elsewhere is reported as ErrCallbackKeyGone, and a wait that ctx ends is a
// *WaitError naming the key, action and server. WaitAll and StartAndWaitAll
// wait for many operations at once (one outcome per server).
//
// # Workflows
//
// The vendor's multi-step procedures are single calls with progress and
// clean-up: Eq.OrderAndWait, Eq.ReinstallAndWait, Eq.OpenIPMI (with
// IPMIAccess.Close), Eq.OpenConsole, and Eq.PowerOnAndConfirm,
// PowerOffAndConfirm and RebootAndConfirm. Every failure of a workflow is a
// *WorkflowError naming the step, the server, and an order's invoice (only
// invalid input, found before anything is sent, is a bare *ValidationError);
// match what it wraps with errors.Is and errors.As. OrderAndWait returns the
// server with its invoice (*OrderedServer).
//
// # Retries, and what is never retried
//
// Reads and callback checks are retried on network errors, HTTP 429
// (honouring Retry-After up to WithMaxRetryAfter), 5xx and unreadable 2xx
// answers (HTML pages, truncated JSON), with jittered exponential backoff
// (WithRetry); a read whose answer breaks off mid-body is asked again too.
// All of these draw on one budget of WithRetry's tries per call.
// A PIN refusal is never retried, whatever its status. An action that
// creates, charges, reinstalls or changes state is sent at most once: the
// SDK sends it with a body no layer below can rewind (so net/http cannot
// replay it after an HTTP/2 stream reset or a lost keep-alive connection),
// never follows a redirect for it, and repeats it only when the failure
// proves it was not processed (the connection could not be opened, an
// HTTP/2 stream was refused with REFUSED_STREAM or left out by the server's
// GOAWAY), or when the API refused
// the session with a 2xx or 4xx answer (once, after a new login; a 5xx
// saying "Invalid token" is no proof). Redirects of reads are followed only
// for 307 and 308 within the base URL's origin, and only if the
// *http.Client given to WithHTTPClient would (the default one follows
// none); any other is ErrRedirected. After Client.Close nothing is sent:
// every call returns ErrClosed. When its outcome is unknown (a
// timeout, a reset, a 5xx or an unreadable answer after it was sent), the
// error matches ErrOutcomeUnknown and its OutcomeUnknownError.Settle names the
// read that tells what happened (eq show, update_servers deploy_keys...);
// Client.Settle performs that read and says whether the action took effect.
//
// # Loose JSON
//
// InvAPI's answers are loosely typed: ids and amounts arrive as numbers or
// strings, empty objects as [], one-row lists as bare objects, data at top
// level or under result, data or message. The SDK absorbs all of it; results
// are plain Go types, and Raw() on a result returns the body as received
// for fields the SDK does not model. Amounts are Money, never float64.
//
// # Errors
//
// Business errors (which InvAPI sends with HTTP 200) are *APIError with the
// module, action, code, message and HTTP status. Their category comes from
// the code and HTTP status, then from whole messages the API is known to
// send (one table, with sources), never from a word inside a message. Match
// categories with errors.Is: ErrUnauthorized, ErrNoServers, ErrPINRequired, ErrWrongPIN,
// ErrNotFound, ErrAccessDenied, ErrRateLimited, ErrServer, ErrNetwork,
// ErrOperationFailed, ErrCallbackKeyGone, ErrOutcomeUnknown, ErrInvalidInput,
// ErrBadResponse, ErrRedirected, ErrClosed. Answers that are not JSON (HTML pages, PHP fatal errors,
// truncated bodies) are *ResponseError, with a short excerpt. No error, log
// line or printed value of the SDK contains a token, PIN, password or API key.
//
// # Rate limits
//
// HOSTKEY documents no rate limit, so the client finds it: every HTTP
// attempt (calls, retries, logins, callback checks) passes one client-wide
// limiter. It starts permissive, bounding only the requests in flight at
// once by a window that widens while it is used. When the API answers 429,
// the rate is cut to what the API accepted per second (measured between
// its 429s), and only the request it answered waits out its Retry-After:
// the others go on at the new rate, which then grows back along TCP
// CUBIC's curve: flat around the measure, then probing beyond it. Only a
// Retry-After of 3 seconds or more (a spent quota) pauses every request.
// Reads and state changes wait in separate queues served in turn, so a mass
// reboot never starves a show. A request whose context ends while it waits
// returns ctx.Err() and was never sent. WithRateLimit sets a fixed rate
// instead, WithAdaptiveRateLimit(false) turns adaptation off, and
// Client.LimiterStats shows where it stands. A 429 to a state change is
// still not resent by the SDK: the caller decides.
//
// # Logging and observing
//
// Pass WithLogger to log requests (module, action, status, duration) and
// retries at debug level through log/slog. Form bodies are never logged.
// WithObserver calls an Observer's hooks on every attempt, retry,
// rate-limit wait, callback check and finished operation, with names,
// numbers, durations and an error category, never a secret: feed them to
// metrics or traces.
//
// # Testing your automation
//
// Package invapitest starts an in-memory InvAPI on loopback with accounts,
// servers, async operations and fault injection; point the client at it with
// WithBaseURL(srv.URL). Its answers carry PaceHeader, so waits against it
// take milliseconds with no option (a client of a real portal keeps the
// production pace).
package invapi
