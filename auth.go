package invapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/invapi-go/invapi/internal/loose"
)

// AuthService opens and inspects sessions (auth.php).
//
// You rarely call it: the client logs in on its first call with the
// credentials given to NewClient, renews the session before it expires, and
// logs in again once when the API says the token is invalid or expired.
type AuthService service

var (
	// login: key, ttl (3600 as tf and mcp send it, or WithSessionTTL) and
	// fix_ip=0 (mcp; tf sends none: an unpinned token survives a NAT pool);
	// reads token, token_expire and invapi (tf), switching portal only
	// between HOSTKEY hosts over https.
	authLogin      = endpoint{module: "auth", action: "login", class: read, noAuth: true, evidence: byClient("tf", "whmcs", "mcp")}
	authWHMCSLogin = endpoint{module: "auth", action: "whmcslogin", class: read, noAuth: true, evidence: documented}
	auth2FACheck   = endpoint{module: "auth", action: "2fa_check", class: change, noAuth: true, evidence: guessed,
		note: "token: the pending login's token travels in the form itself; no session token exists yet"}
	auth2FAResend = endpoint{module: "auth", action: "2fa_resend", class: change, noAuth: true, evidence: guessed,
		note: "token: the pending login's token travels in the form itself; no session token exists yet"}
	authInfo   = endpoint{module: "auth", action: "info", class: read, evidence: byClient("mcp")}
	authLogout = endpoint{module: "auth", action: "logout", class: change, evidence: byClient("mcp")}
)

// defaultKeySessionTTL is the session lifetime an API-key login asks for
// unless WithSessionTTL says otherwise: the 3600 s HOSTKEY's Terraform
// provider and MCP server send.
const defaultKeySessionTTL = time.Hour

// Session describes an open session. It never holds the token itself.
type Session struct {
	Role       string    // "client", ...
	CustomerID int       // billing customer id
	Servers    []int     // ids of the servers the session may manage
	ExpiresAt  time.Time // when the client renews the session (a little before the token expires)
	// TwoFactor is true when the login asked for a 2FA code.
	TwoFactor bool
}

// loginAnswer is the wire shape of login and whmcslogin answers, wherever
// the fields sit (top level or under "result"). Only the token must be
// there; every other field is read leniently, so an unexpected shape in one
// of them never costs the login.
type loginAnswer struct {
	Token string          `json:"token" secret:"answer"`
	TTL   json.RawMessage `json:"ttl"`
	// TokenExpire is when the token expires, in Unix seconds (HOSTKEY's
	// Terraform provider renews from it).
	TokenExpire json.RawMessage `json:"token_expire"`
	// Invapi is the portal host the account belongs to ("invapi.hostkey.ru").
	Invapi     json.RawMessage `json:"invapi"`
	Role       json.RawMessage `json:"role"`
	CustomerID json.RawMessage `json:"customer_id"`
	Servers    serverRefs      `json:"servers"`
	TwoFactor  json.RawMessage `json:"2fa"`
	Customer   json.RawMessage `json:"customer"`
}

// customerID is customer_id, or the id of the customer object.
func (a *loginAnswer) customerID() int {
	if id := rawInt(a.CustomerID); id > 0 {
		return id
	}
	var c struct {
		ID int `json:"id"`
	}
	if len(a.Customer) > 0 && a.Customer[0] == '{' && loose.Unmarshal(a.Customer, &c) == nil {
		return c.ID
	}
	return 0
}

// serverRefs reads a list of servers given as ids (numbers or strings) or as
// objects with an "id"; anything else in it is skipped rather than failing
// the login or info call that carries it.
type serverRefs []int

// UnmarshalJSON implements json.Unmarshaler.
func (s *serverRefs) UnmarshalJSON(b []byte) error {
	var ids []int // the usual shape: numbers or numeric strings
	if loose.Unmarshal(b, &ids) == nil {
		*s = ids
		return nil
	}
	var rows []json.RawMessage
	if err := loose.Unmarshal(b, &rows); err != nil {
		return nil
	}
	out := make([]int, 0, len(rows))
	for _, raw := range rows {
		id := rawInt(raw)
		if id == 0 && len(raw) > 0 && raw[0] == '{' {
			var obj struct {
				ID int `json:"id"`
			}
			if loose.Unmarshal(raw, &obj) == nil {
				id = obj.ID
			}
		}
		if id > 0 {
			out = append(out, id)
		}
	}
	*s = out
	return nil
}

// session is the client's one shared login state.
type session struct {
	mu      sync.Mutex
	token   string
	expires time.Time     // renew after this; zero: unknown (a token given by the user)
	ttl     time.Duration // requested lifetime (WithSessionTTL)
	gen     uint64        // bumped on every new token
	flight  *loginFlight  // the login under way, shared by all callers
	last    *Session
	// portal is the base URL a login answer's invapi switched the client
	// to (nil: the configured one); read on every request.
	portal atomic.Pointer[string]
}

type loginFlight struct {
	done chan struct{}
	err  error
}

// canLogin reports whether the client can open a session by itself.
func (c *Client) canLogin() bool { return c.creds.apiKey != "" || c.creds.user != "" }

// sessionToken returns a valid token, logging in first when there is none or
// it is about to expire. Concurrent callers share one login.
func (c *Client) sessionToken(ctx context.Context) (string, uint64, error) {
	for {
		c.sess.mu.Lock()
		s := &c.sess
		fresh := s.token != "" && (s.expires.IsZero() || time.Now().Before(s.expires))
		if fresh || (s.token != "" && !c.canLogin()) {
			tok, gen := s.token, s.gen
			s.mu.Unlock()
			return tok, gen, nil
		}
		if !c.canLogin() {
			s.mu.Unlock()
			return "", 0, &APIError{Module: "auth", Action: "login", kind: ErrUnauthorized,
				Message: "no credentials: use WithAPIKey, WithBillingCredentials or WithToken"}
		}
		if f := s.flight; f != nil {
			s.mu.Unlock()
			select {
			case <-f.done:
				if f.err != nil && !isContextError(f.err) {
					return "", 0, f.err
				}
				continue // the leader's context ended; try again with ours
			case <-ctx.Done():
				return "", 0, ctx.Err()
			}
		}
		f := &loginFlight{done: make(chan struct{})}
		s.flight = f
		s.mu.Unlock()

		sess, token, err := c.login(ctx)
		s.mu.Lock()
		if err == nil {
			s.token, s.expires, s.last = token, sess.ExpiresAt, sess
			s.gen++
		}
		s.flight, f.err = nil, err
		close(f.done)
		s.mu.Unlock()
		if err != nil {
			return "", 0, err
		}
		if hook := c.creds.onSession; hook != nil {
			hook(token, sess.ExpiresAt)
		}
	}
}

// invalidateSession drops the token of generation gen, so the next call logs
// in again. Callers that saw the same dead token cause only one new login.
func (c *Client) invalidateSession(gen uint64) {
	c.sess.mu.Lock()
	if c.sess.gen == gen {
		c.sess.token = ""
	}
	c.sess.mu.Unlock()
}

// login opens a new session with the configured credentials.
func (c *Client) login(ctx context.Context) (*Session, string, error) {
	var ans loginAnswer
	var err error
	if c.creds.apiKey != "" {
		// As HOSTKEY's Terraform provider and MCP server log in: ttl 3600
		// unless WithSessionTTL says otherwise, and (MCP) fix_ip=0.
		ttl := defaultKeySessionTTL
		if c.creds.ttl > 0 {
			ttl = c.creds.ttl
		}
		params := url.Values{"key": {c.creds.apiKey}, "ttl": {strconv.FormatInt(int64(ttl/time.Second), 10)}, "fix_ip": {"0"}}
		if c.creds.fixIP {
			params.Set("fix_ip", "1")
		}
		err = getInto(ctx, c, &authLogin, params, &ans)
	} else {
		params := url.Values{"user": {c.creds.user}, "password": {c.creds.password}}
		if c.creds.fixIP {
			params.Set("fix_ip", "1")
		} else {
			params.Set("fix_ip", "0")
		}
		if c.creds.ttl > 0 {
			params.Set("ttl", strconv.FormatInt(int64(c.creds.ttl/time.Second), 10))
		}
		err = getInto(ctx, c, &authWHMCSLogin, params, &ans)
	}
	if err != nil {
		var apiErr *APIError
		if errors.As(err, &apiErr) && errors.Is(err, ErrNoServers) {
			apiErr.Message += " (an account with no servers cannot log in with an API key: use WithBillingCredentials)"
		}
		return nil, "", err
	}
	if ans.Token == "" {
		return nil, "", &ResponseError{Module: "auth", Action: authLogin.action, HTTPStatus: 200, Reason: "login answer holds no token"}
	}
	twoFactor := rawBool(ans.TwoFactor)
	if twoFactor {
		if err := c.completeTwoFactor(ctx, ans.Token); err != nil {
			return nil, "", err
		}
	}

	now := time.Now()
	ttl := time.Duration(rawInt(ans.TTL)) * time.Second
	if exp := int64(rawInt(ans.TokenExpire)); exp > 0 {
		// token_expire wins when it lies ahead (within a day: a value
		// further out is not trusted to keep a token that long).
		if left := time.Unix(exp, 0).Sub(now); left > 0 && left <= 24*time.Hour {
			ttl = left
		}
	}
	if ttl <= 0 {
		ttl = c.sess.ttl
	}
	if ttl <= 0 {
		ttl = defaultSessionTTL
	}

	// Renew a little before the end: 5 minutes, or a fifth of a short TTL.
	margin := min(sessionRefreshMargin, ttl/5)
	role := rawText(ans.Role)
	if len(ans.Role) > 0 && (ans.Role[0] == '{' || ans.Role[0] == '[') {
		role = "" // not a role name
	}
	sess := &Session{Role: role, CustomerID: ans.customerID(), Servers: ans.Servers,
		ExpiresAt: now.Add(ttl - margin), TwoFactor: twoFactor}
	c.followPortal(rawText(ans.Invapi))
	return sess, ans.Token, nil
}

// requestBase is the base URL requests go to: the configured one, or the
// portal a login answer switched to.
func (c *Client) requestBase() string {
	if p := c.sess.portal.Load(); p != nil {
		return *p
	}
	return c.base
}

// followPortal switches the client to the portal named by a login answer's
// invapi, as HOSTKEY's Terraform provider does, but only from one HOSTKEY
// host to another over https: never to plain http, never to another
// domain, and never away from a base URL that is not a HOSTKEY host (a
// proxy, or a local stand-in in tests, stays in use).
func (c *Client) followPortal(invapi string) {
	next, ok := portalSwitch(c.baseURL, invapi)
	if !ok {
		if invapi != "" && next == "" {
			c.logger.Warn("invapi: login answer names a portal that is not a HOSTKEY host over https; staying",
				"base", c.requestBase())
		}
		return
	}
	if next == c.requestBase() {
		return
	}
	c.logger.Info("invapi: switching to the account's portal, as the login answer says", "from", c.requestBase(), "to", next)
	c.sess.portal.Store(&next)
}

// portalSwitch decides whether invapi (a host or an https URL) replaces
// the configured base URL current. It returns the new base URL and true for
// a switch; "" and false for a refused value; the candidate and false when
// the current base is not a HOSTKEY host (nothing to refuse, nothing done).
func portalSwitch(current *url.URL, invapi string) (string, bool) {
	invapi = strings.TrimSpace(invapi)
	if invapi == "" {
		return "", false
	}
	raw := invapi
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(strings.TrimRight(raw, "/"))
	if err != nil || u.Scheme != "https" || u.User != nil || u.RawQuery != "" || u.Fragment != "" ||
		(u.Path != "" && u.Path != "/") || !isHostkeyHost(u.Hostname()) {
		return "", false
	}
	next := "https://" + strings.ToLower(u.Host)
	if current == nil || current.Scheme != "https" || !isHostkeyHost(current.Hostname()) {
		return next, false
	}
	return next, true
}

// isHostkeyHost reports hostkey.com, hostkey.ru and their subdomains.
func isHostkeyHost(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	return h == "hostkey.com" || h == "hostkey.ru" || strings.HasSuffix(h, ".hostkey.com") || strings.HasSuffix(h, ".hostkey.ru")
}

// completeTwoFactor asks the user's prompt for the 2FA code and sends it.
func (c *Client) completeTwoFactor(ctx context.Context, token string) error {
	if c.creds.twoFactor == nil {
		return &APIError{Module: "auth", Action: "whmcslogin", kind: ErrTwoFactorRequired,
			Message: "the account asks for a 2FA code: pass WithTwoFactorPrompt"}
	}
	code, err := runPrompt(ctx, c.creds.twoFactor)
	if err != nil {
		return fmt.Errorf("invapi: 2FA prompt: %w", err)
	}
	if code == "" {
		return invalid("code", "2FA code is empty")
	}
	err = act(ctx, c, &auth2FACheck, url.Values{"token": {token}, "code": {code}})
	return err
}

// Login opens a new session now with the credentials given to NewClient,
// replacing the current one (auth.php login; auth.php whmcslogin with
// billing credentials). Use it to fail fast on bad credentials; other calls
// log in by themselves.
func (s *AuthService) Login(ctx context.Context) (*Session, error) {
	c := s.client
	c.sess.mu.Lock()
	gen := c.sess.gen
	c.sess.mu.Unlock()
	c.invalidateSession(gen)
	if _, _, err := c.sessionToken(ctx); err != nil {
		return nil, err
	}
	c.sess.mu.Lock()
	defer c.sess.mu.Unlock()
	out := *c.sess.last
	return &out, nil
}

// SessionInfo is the session's environment (auth.php info).
type SessionInfo struct {
	Role       string `json:"role"`
	CustomerID int    `json:"customer_id"`
	Email      string `json:"email"`
	Servers    []int  `json:"-"`
	// Permissions granted to the session, when the API lists them.
	Permissions []string `json:"permissions"`
	RawJSON
}

// Info returns the session's role, customer and server ids (auth.php info).
func (s *AuthService) Info(ctx context.Context) (*SessionInfo, error) {
	type infoFields struct {
		SessionInfo
		Servers serverRefs `json:"servers"` // ids, numbers as strings, or objects
	}
	var wire struct {
		infoFields
		TokenData infoFields `json:"token_data"`
	}
	if err := getInto(ctx, s.client, &authInfo, nil, &wire); err != nil {
		return nil, err
	}
	info := wire.SessionInfo
	info.Servers = wire.Servers
	// The fields may sit under token_data instead: fill what is missing.
	td := &wire.TokenData
	info.Role = firstNonEmpty(info.Role, td.Role)
	info.Email = firstNonEmpty(info.Email, td.Email)
	info.CustomerID = firstNonZero(info.CustomerID, td.CustomerID)
	if len(info.Servers) == 0 {
		info.Servers = td.Servers
	}
	if len(info.Permissions) == 0 {
		info.Permissions = td.Permissions
	}
	return &info, nil
}

// Logout ends the session on the server (auth.php logout). The next call
// logs in again.
func (s *AuthService) Logout(ctx context.Context) error {
	c := s.client
	c.sess.mu.Lock()
	has, gen := c.sess.token != "", c.sess.gen
	c.sess.mu.Unlock()
	if !has {
		return nil
	}
	err := act(ctx, c, &authLogout, nil)
	c.invalidateSession(gen)
	if hook := c.creds.onSession; hook != nil && err == nil {
		hook("", time.Time{})
	}
	return err
}

// TwoFactorCheck sends a 2FA code for the current session (auth.php
// 2fa_check). The client does this by itself when WithTwoFactorPrompt is set.
func (s *AuthService) TwoFactorCheck(ctx context.Context, code string) error {
	if code == "" {
		return invalid("code", "is empty")
	}
	token, _, err := s.client.sessionToken(ctx)
	if err != nil {
		return err
	}
	return act(ctx, s.client, &auth2FACheck, url.Values{"token": {token}, "code": {code}})
}

// TwoFactorResend asks the API to send the 2FA code again (auth.php 2fa_resend).
func (s *AuthService) TwoFactorResend(ctx context.Context) error {
	token, _, err := s.client.sessionToken(ctx)
	if err != nil {
		return err
	}
	return act(ctx, s.client, &auth2FAResend, url.Values{"token": {token}})
}

func isContextError(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
