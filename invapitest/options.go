package invapitest

import "time"

// Option configures a Server in NewServer.
type Option func(*state)

// WithAccount adds an account, or replaces the one with the same
// CustomerID (DefaultCustomerID when zero, i.e. the default account).
// Fields left empty stay empty: an account without APIKey cannot log in by
// key, one without PIN answers PIN-protected actions with an error.
func WithAccount(a Account) Option {
	return func(st *state) { st.addAccount(a) }
}

// WithServers replaces the default servers (12345, 12346, 12347) by es.
// WithServers() with no arguments starts without servers. Zero fields get
// defaults (id, owner DefaultCustomerID, status "rent", power "on",
// location "NL", an IP and a MAC).
func WithServers(es ...Equipment) Option {
	return func(st *state) { st.pendingServers = append([]Equipment(nil), es...) }
}

// WithPresets replaces the orderable presets.
func WithPresets(ps ...Preset) Option {
	return func(st *state) { st.presets = append([]Preset(nil), ps...) }
}

// WithOS replaces the operating systems.
func WithOS(os ...OS) Option {
	return func(st *state) { st.oses = append([]OS(nil), os...) }
}

// WithTrafficPlans replaces the traffic plans.
func WithTrafficPlans(ps ...TrafficPlan) Option {
	return func(st *state) { st.plans = append([]TrafficPlan(nil), ps...) }
}

// WithOperationDelay sets how long, on the simulated clock, every async
// operation stays "Not ready" after it was accepted (default 0). Combine
// with Server.Advance to step through long operations instantly.
func WithOperationDelay(d time.Duration) Option {
	return func(st *state) { st.opDelay = d }
}

// WithNotReadyChecks sets how many callback checks answer "Not ready"
// before an operation reports its stages or its result (default 2).
func WithNotReadyChecks(n int) Option {
	return func(st *state) {
		if n < 0 {
			n = 0
		}
		st.notReadyChecks = n
	}
}

// WithPINPenalty sets the delay added per consecutive wrong PIN before the
// "Wrong PIN" answer (default 5ms: 5ms, 10ms, 15ms...). A correct PIN
// resets the count.
func WithPINPenalty(d time.Duration) Option {
	return func(st *state) { st.pinPenalty = d }
}

// WithQuirks turns on loose-typing quirks for every answer.
func WithQuirks(q Quirks) Option {
	return func(st *state) { st.quirks = q }
}

// WithUnauthorizedStatus sets the HTTP status of "Invalid token" answers
// (code -2); the default is 200, as the real API. Use 401 to test clients
// against servers that do answer 401.
func WithUnauthorizedStatus(status int) Option {
	return func(st *state) { st.unauthorizedStatus = status }
}

// WithDebug2FA makes auth 2fa_resend return the new code in its answer
// ({"result":"OK","code":"123456"}), as the API does for debug users.
func WithDebug2FA() Option {
	return func(st *state) { st.debug2FA = true }
}

// WithTokenTTL sets the lifetime of tokens issued by auth login (default
// 2h). whmcslogin takes its lifetime from its ttl field (default 3h).
func WithTokenTTL(d time.Duration) Option {
	return func(st *state) {
		if s := int(d / time.Second); s > 0 {
			st.tokenTTL = s
		}
	}
}

// PaceHeader is the answer header that tells an invapi client how fast to
// poll callback keys: "first, longest" as Go durations. The invapi SDK
// honours it for loopback base URLs only (see invapi.PaceHeader); other
// clients may read it too.
const PaceHeader = "Invapi-Poll-Interval"

// The pace the simulator asks its clients for by default: a check every
// millisecond at first, at most every 5 ms, so a reboot-and-wait takes
// milliseconds and an operation made ready by Advance or
// CompleteOperations is seen at once.
const (
	DefaultPollInterval    = time.Millisecond
	DefaultPollMaxInterval = 5 * time.Millisecond
)

// WithClientPace sets the pace the simulator asks its clients for in
// PaceHeader (default DefaultPollInterval, DefaultPollMaxInterval).
// WithClientPace(0, 0) sends no header, so an invapi client keeps its
// production pacing (a first check at once, then seconds between checks).
func WithClientPace(first, longest time.Duration) Option {
	return func(st *state) {
		if first <= 0 || longest < first {
			first, longest = 0, 0
		}
		st.pace = [2]time.Duration{first, longest}
	}
}
