package invapi

import (
	"context"
	"net/url"
	"strings"
)

// The account-level actions of auth.php beyond the session itself:
// billing entities, e-mail checks, customer tags, the login log, SSO
// sign-in, session reset and Telegram notifications. The vendor lists them
// by name only, with no parameter list: the fields modelled here follow the
// descriptions, and Client.Do reaches anything else.

var (
	authBillingList   = endpoint{module: "auth", action: "billing_list", class: read, evidence: guessed}
	authEmailCheck    = endpoint{module: "auth", action: "email_check", class: change, evidence: guessed}
	authFlipTag       = endpoint{module: "auth", action: "flip_tag", class: change, settle: "auth/info", evidence: guessed}
	authSetTag        = endpoint{module: "auth", action: "set_tag", class: change, settle: "auth/info", evidence: guessed}
	authGetLog        = endpoint{module: "auth", action: "get_log", class: read, evidence: guessed}
	authGetLogDetails = endpoint{module: "auth", action: "get_log_details", class: read, evidence: guessed}
	authGithubInit    = endpoint{module: "auth", action: "github_init", class: read, noAuth: true, evidence: guessed}
	authVKInit        = endpoint{module: "auth", action: "vk_init", class: read, noAuth: true, evidence: guessed}
	authGithubSignin  = endpoint{module: "auth", action: "github_signin", class: change, evidence: guessed}
	authGoogleSignin  = endpoint{module: "auth", action: "google_signin", class: change, noAuth: true, evidence: guessed}
	authVKSignin      = endpoint{module: "auth", action: "vk_signin", class: change, noAuth: true, evidence: guessed}
	authSessionReset  = endpoint{module: "auth", action: "session_reset", class: change, noAuth: true, evidence: guessed}
	authTgVerify      = endpoint{module: "auth", action: "tg_verify", class: change, evidence: guessed}
)

// BillingEntity is a HOSTKEY billing entity (payment system) the customer
// can be billed by.
type BillingEntity struct {
	ID       int    `json:"id"`
	Name     string `json:"name"`
	Location string `json:"location"`
	Currency string `json:"currency"`
	Current  bool   `json:"current"` // the customer's own
}

// BillingList returns the billing entities available to the customer
// (auth.php billing_list).
func (s *AuthService) BillingList(ctx context.Context) ([]BillingEntity, error) {
	return getList[BillingEntity](ctx, s.client, &authBillingList, nil, "billing", "billings", "list")
}

// EmailCheck starts the verification of an e-mail address (a code is sent
// to it), or, with code, confirms it (auth.php email_check). It reports
// whether the address is verified.
func (s *AuthService) EmailCheck(ctx context.Context, email, code string) (verified bool, err error) {
	if err := validateEmail("email", email); err != nil {
		return false, err
	}
	f := url.Values{"email": {email}}
	if code != "" {
		f.Set("code", code)
	}
	var out struct {
		Verified bool `json:"verified"`
	}
	if err := getInto(ctx, s.client, &authEmailCheck, f, &out); err != nil {
		return false, err
	}
	return out.Verified, nil
}

// FlipTag creates the customer tag, or removes it if it exists (auth.php
// flip_tag). It reports whether the tag exists afterwards. Customer tags are
// account settings, not the server tags of tags.php.
func (s *AuthService) FlipTag(ctx context.Context, tag string) (bool, error) {
	if strings.TrimSpace(tag) == "" {
		return false, invalid("tag", "is empty")
	}
	var out struct {
		State bool `json:"state"`
	}
	if err := getInto(ctx, s.client, &authFlipTag, url.Values{"tag": {tag}}, &out); err != nil {
		return false, err
	}
	return out.State, nil
}

// SetTag sets a customer tag to value, e.g. "auto_credit"; an empty value
// toggles the tag's presence (auth.php set_tag). It returns the customer's
// tags afterwards.
func (s *AuthService) SetTag(ctx context.Context, tag, value string) (map[string]string, error) {
	if strings.TrimSpace(tag) == "" {
		return nil, invalid("tag", "is empty")
	}
	f := url.Values{"tag": {tag}}
	if value != "" {
		f.Set("value", value)
	}
	var out struct {
		Tags map[string]string `json:"tags"`
	}
	if err := getInto(ctx, s.client, &authSetTag, f, &out); err != nil {
		return nil, err
	}
	return out.Tags, nil
}

// LoginEvent is one entry of the authorization log.
type LoginEvent struct {
	ID      int    `json:"id"`
	Method  string `json:"method"` // "login", "whmcslogin"...
	IP      string `json:"ip"`
	Success bool   `json:"success"`
	Date    string `json:"date"` // as the API prints it
}

// GetLogRequest selects log entries by period.
type GetLogRequest struct {
	From  string `url:"date_from,omitempty"` // "2026-11-01"
	To    string `url:"date_to,omitempty"`
	Extra Fields `url:"extra,omitempty"`
}

// GetLog returns the authorization log (auth.php get_log).
func (s *AuthService) GetLog(ctx context.Context, req *GetLogRequest) ([]LoginEvent, error) {
	return getList[LoginEvent](ctx, s.client, &authGetLog, optional(req), "log")
}

// GetLogDetails returns one authorization event in detail (auth.php
// get_log_details).
func (s *AuthService) GetLogDetails(ctx context.Context, id int) (*LoginEvent, error) {
	if id <= 0 {
		return nil, invalid("id", "must be a positive log entry id, got %d", id)
	}
	var out struct {
		Details LoginEvent `json:"details"`
	}
	if err := getInto(ctx, s.client, &authGetLogDetails, url.Values{"id": {itoa(id)}}, &out); err != nil {
		return nil, err
	}
	return &out.Details, nil
}

// SSOInit is what starts a sign-in with an identity provider.
type SSOInit struct {
	ClientID      string `json:"client_id"` // GitHub
	RedirectURI   string `json:"redirect_uri"`
	State         string `json:"state"`
	CodeChallenge string `json:"code_challenge"` // VK (PKCE)
}

// GithubInit returns what a GitHub sign-in needs (auth.php github_init).
func (s *AuthService) GithubInit(ctx context.Context) (*SSOInit, error) {
	return get[SSOInit](ctx, s.client, &authGithubInit, nil)
}

// VKInit starts a VK sign-in (auth.php vk_init).
func (s *AuthService) VKInit(ctx context.Context) (*SSOInit, error) {
	return get[SSOInit](ctx, s.client, &authVKInit, nil)
}

// GithubSignin links a GitHub account to the current customer with the
// provider's authorization code (auth.php github_signin).
func (s *AuthService) GithubSignin(ctx context.Context, code, state string) error {
	return s.ssoSignin(ctx, &authGithubSignin, url.Values{"code": {code}, "state": {state}})
}

// GoogleSignin signs in with a Google ID token (auth.php google_signin).
// The session it opens is not the client's own: this is for linking an
// account; the client keeps logging in with its configured credentials.
func (s *AuthService) GoogleSignin(ctx context.Context, idToken string) error {
	return s.ssoSignin(ctx, &authGoogleSignin, url.Values{"id_token": {idToken}})
}

// VKSignin signs in with VK's authorization code (auth.php vk_signin).
func (s *AuthService) VKSignin(ctx context.Context, code, state string) error {
	return s.ssoSignin(ctx, &authVKSignin, url.Values{"code": {code}, "state": {state}})
}

func (s *AuthService) ssoSignin(ctx context.Context, ep *endpoint, f url.Values) error {
	for k, v := range f {
		if k != "state" && (len(v) == 0 || v[0] == "") {
			return invalid(k, "is empty")
		}
	}
	return act(ctx, s.client, ep, f)
}

// SessionReset ends every session matching a reset token (from the
// "was this you?" notice) and clears its tags (auth.php session_reset).
func (s *AuthService) SessionReset(ctx context.Context, resetToken string) error {
	if resetToken == "" {
		return invalid("reset_token", "is empty")
	}
	return act(ctx, s.client, &authSessionReset, url.Values{"reset_token": {resetToken}})
}

// TelegramLink is the answer of tg_verify.
type TelegramLink struct {
	Username string `json:"username"`
	Link     string `json:"link"` // open it to start the notification bot
}

// TgVerify links a Telegram username to the account and returns the link to
// the notification bot (auth.php tg_verify).
func (s *AuthService) TgVerify(ctx context.Context, username string) (*TelegramLink, error) {
	username = strings.TrimPrefix(strings.TrimSpace(username), "@")
	if username == "" {
		return nil, invalid("username", "is empty")
	}
	return get[TelegramLink](ctx, s.client, &authTgVerify, url.Values{"username": {username}})
}
