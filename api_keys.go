package invapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/invapi-go/invapi/internal/loose"
)

// APIKeysService wraps api_keys.php: API keys.
//
// The vendor publishes these actions by name only. Every field goes nested
// under params[...] (params[id], params[server_id], params[name]...), as
// HOSTKEY's WHMCS module and MCP server send them, and the API answers
// under "data". The key's attributes are those of the control panel: a
// name, a restriction to one server or none, an IP ACL, a login
// notification by e-mail or webhook, and an Active flag.
type APIKeysService service

var (
	apiKeysAdd           = endpoint{module: "api_keys", action: "add", class: change, settle: "api_keys/list", evidence: byClient("whmcs", "mcp")}
	apiKeysDelete        = endpoint{module: "api_keys", action: "delete", class: change, settle: "api_keys/list", evidence: byClient("mcp")}
	apiKeysEdit          = endpoint{module: "api_keys", action: "edit", class: change, settle: "api_keys/view", evidence: byClient("mcp")}
	apiKeysHistory       = endpoint{module: "api_keys", action: "history", class: read, evidence: byClient("mcp")}
	apiKeysList          = endpoint{module: "api_keys", action: "list", class: read, evidence: byClient("mcp")}
	apiKeysListForServer = endpoint{module: "api_keys", action: "list_for_server", class: read, evidence: byClient("whmcs", "mcp")}
	apiKeysView          = endpoint{module: "api_keys", action: "view", class: read, evidence: byClient("mcp")}
)

// LoginNotifyMethod is how logins made with an API key are reported, sent
// as params[login_notify_method].
type LoginNotifyMethod string

// Login notification methods of an API key.
const (
	NotifyNone    LoginNotifyMethod = "none"
	NotifyEmail   LoginNotifyMethod = "email"
	NotifyWebhook LoginNotifyMethod = "webhook"
)

// APIKey is an API key as the API describes it. The key itself is never
// part of it: the API keeps only its hash and shows the key once, when it
// is created (APIKeysService.Add).
type APIKey struct {
	ID       int    `json:"id"`
	Name     string `json:"name"`
	ServerID int    `json:"server_id"` // 0: the whole account
	// IP is the IP ACL: addresses or CIDR blocks, comma-separated; "" for
	// no restriction.
	IP string `json:"ip"`
	// Active is read from true/false, 1/0 or "1"/"0".
	Active bool `json:"active" loose:"flag"`
	// LoginNotifyMethod is how logins with the key are reported (also read
	// from the older name notify).
	LoginNotifyMethod LoginNotifyMethod `json:"login_notify_method" loose:"alt=notify"`
	// LoginNotifyAddress is the e-mail address or webhook URL it reports to
	// (also read from the older name notify_to).
	LoginNotifyAddress string `json:"login_notify_address" loose:"alt=notify_to"`
	Created            string `json:"created"` // "2024-05-01 10:00:00"
	Expires            string `json:"expires"` // "2025-01-01"; "" for never
	Hash               string `json:"hash"`
}

// Secret is a secret value the API hands out: a new API key (shown once),
// an S3 secret key. It is never printed by the SDK: fmt (every verb), JSON,
// text and slog all show "[REDACTED]". Call Reveal to get it, and store it
// somewhere safe.
type Secret struct{ value string }

const redactedSecret = "[REDACTED]"

// Reveal returns the key, to pass to WithAPIKey or to store.
func (s Secret) Reveal() string { return s.value }

// IsZero reports whether there is no key.
func (s Secret) IsZero() bool { return s.value == "" }

func (s Secret) String() string   { return redactedSecret }
func (s Secret) GoString() string { return "invapi.Secret{" + redactedSecret + "}" }

// Format implements fmt.Formatter so that no verb (%v, %+v, %#v, %s, %q,
// %x) prints the key.
func (s Secret) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		_, _ = f.Write([]byte(s.GoString()))
		return
	}
	if verb == 'q' {
		_, _ = f.Write([]byte(strconv.Quote(redactedSecret)))
		return
	}
	_, _ = f.Write([]byte(redactedSecret))
}

// LogValue keeps the key out of slog output.
func (s Secret) LogValue() slog.Value { return slog.StringValue(redactedSecret) }

// MarshalJSON writes "[REDACTED]", never the key.
func (s Secret) MarshalJSON() ([]byte, error) { return json.Marshal(redactedSecret) }

// MarshalText writes "[REDACTED]", never the key.
func (s Secret) MarshalText() ([]byte, error) { return []byte(redactedSecret), nil }

// APIKeyParams are the attributes of a key, sent as params[name]=...
type APIKeyParams struct {
	Name string `url:"name,omitempty"`
	// ServerID restricts the key to one server; 0 means the whole account
	// (only at creation: a key's restriction cannot be changed).
	ServerID int `url:"server_id,omitempty"`
	// IPACL lists the addresses or CIDR blocks the key may be used from
	// (sent as ip=a,b); empty for no restriction.
	IPACL []string `url:"ip,comma,omitempty"`
	// Active enables or disables the key (sent as 1/0 when set).
	Active *bool `url:"active,int,omitempty"`
	// LoginNotifyMethod is how logins with the key are reported:
	// NotifyNone, NotifyEmail or NotifyWebhook.
	LoginNotifyMethod LoginNotifyMethod `url:"login_notify_method,omitempty"`
	// LoginNotifyAddress is the e-mail address or webhook URL for
	// LoginNotifyMethod.
	LoginNotifyAddress string `url:"login_notify_address,omitempty"`
	// Expires is the expiry date, "2006-01-02"; empty for none. No HOSTKEY
	// client sends it: the name is the control panel's, a guess.
	Expires string `url:"expires,omitempty"`
}

func (p *APIKeyParams) validate() error {
	if p.ServerID < 0 {
		return invalid("params[server_id]", "must be a positive server id, or 0 for the whole account, got %d", p.ServerID)
	}
	for _, ip := range p.IPACL {
		ip = strings.TrimSpace(ip)
		if net.ParseIP(ip) != nil {
			continue
		}
		if _, _, err := net.ParseCIDR(ip); err != nil {
			return invalid("params[ip]", "must be IP addresses or CIDR blocks, got %q", ip)
		}
	}
	switch p.LoginNotifyMethod {
	case "", NotifyNone:
	case NotifyEmail:
		if err := validateEmail("params[login_notify_address]", p.LoginNotifyAddress); err != nil {
			return err
		}
	case NotifyWebhook:
		u, err := url.Parse(p.LoginNotifyAddress)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return invalid("params[login_notify_address]", "must be an http(s) URL for a webhook")
		}
	default:
		return invalid("params[login_notify_method]", "must be none, email or webhook, got %q", p.LoginNotifyMethod)
	}
	if p.LoginNotifyAddress != "" && p.LoginNotifyMethod == "" {
		return invalid("params[login_notify_method]", "set none, email or webhook to use login_notify_address")
	}
	if p.Expires != "" {
		if _, err := time.Parse(time.DateOnly, p.Expires); err != nil {
			return invalid("params[expires]", "must be a date such as 2025-01-31, got %q", p.Expires)
		}
	}
	return nil
}

// APIKeyAddRequest creates a key.
type APIKeyAddRequest struct {
	Params APIKeyParams `url:"params"`
	// Extra sends fields the SDK does not model, as given (name them
	// "params[x]" to put them with the others).
	Extra Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *APIKeyAddRequest) Validate() error { return validateRequest(r) }

func (r *APIKeyAddRequest) check() error {
	if strings.TrimSpace(r.Params.Name) == "" {
		return invalid("params[name]", "is required")
	}
	return r.Params.validate()
}

// NewAPIKey is a key just created: its record and, once, its value.
// It keeps no raw body, since the body holds the key.
type NewAPIKey struct {
	APIKey
	// Key is the key's value: printing it shows "[REDACTED]"; Key.Reveal()
	// returns it. The API shows it only this once.
	Key Secret
}

// Add creates an API key for the account or for one server, and returns
// its value, which the API shows only once (api_keys.php add). The account
// must have active servers. The key is read from data.api_key, where
// HOSTKEY's WHMCS module reads it, or beside the record.
func (s *APIKeysService) Add(ctx context.Context, req *APIKeyAddRequest) (*NewAPIKey, error) {
	return getWith(ctx, s.client, &apiKeysAdd, req, func(r reply) (*NewAPIKey, error) {
		data := r.find("api_key", "key")
		if data == nil || data[0] != '{' {
			data = r.body()
		}
		// The key exists now and is shown only this once: an odd record must
		// not lose it, so the record is read leniently and only the key is
		// required. Decoding remembers it: from now on it is masked in every
		// error and log line.
		var v newKeyWire
		var rec APIKey
		_ = loose.Unmarshal(data, &rec)
		_ = r.decodeRaw(data, &v)
		secret := firstNonEmpty(v.Key, v.APIKey, v.Secret)
		if secret == "" { // the key beside the record: {"api_key":{...},"key":"..."}
			var top struct {
				Key    string `json:"key" secret:"answer"`
				APIKey string `json:"api_key" secret:"answer"`
			}
			_ = json.Unmarshal(bytes.TrimSpace(r.body()), &top) // strict: api_key is the record here
			r.keepSecrets(&top)
			secret = firstNonEmpty(top.Key, top.APIKey)
		}
		if secret == "" {
			return nil, r.bad("the answer holds no key; check api_keys/list", nil)
		}
		rec.Name = firstNonEmpty(rec.Name, req.Params.Name)
		return &NewAPIKey{APIKey: rec, Key: Secret{value: secret}}, nil
	})
}

// newKeyWire is where a new key may sit in add's answer.
type newKeyWire struct {
	Key    string `json:"key" secret:"answer"`
	APIKey string `json:"api_key" secret:"answer"`
	Secret string `json:"secret" secret:"answer"`
}

// keyParams is the form of an action naming one key or server, nested as
// params[name]=value as HOSTKEY's clients send it.
func keyParams(name string, id int) url.Values {
	return url.Values{"params[" + name + "]": {strconv.Itoa(id)}}
}

// Delete deletes an API key; it cannot be restored (api_keys.php delete).
// The key goes as params[id], as HOSTKEY's MCP server sends it.
func (s *APIKeysService) Delete(ctx context.Context, id int) error {
	if id <= 0 {
		return invalid("params[id]", "must be a positive key id, got %d", id)
	}
	return act(ctx, s.client, &apiKeysDelete, keyParams("id", id))
}

// APIKeyEditRequest changes a key's name, IP ACL, notification, Active
// flag or expiry; fields left empty are not changed.
type APIKeyEditRequest struct {
	ID     int          `url:"params[id]" check:"id=key"` // the key, sent as params[id]
	Params APIKeyParams `url:"params"`
	Extra  Fields       `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *APIKeyEditRequest) Validate() error { return validateRequest(r) }

func (r *APIKeyEditRequest) check() error {
	if r.Params.ServerID != 0 {
		return invalid("params[server_id]", "a key's server cannot be changed; create a new key")
	}
	p := r.Params
	if p.Name == "" && len(p.IPACL) == 0 && p.Active == nil && p.LoginNotifyMethod == "" && p.LoginNotifyAddress == "" && p.Expires == "" && len(r.Extra) == 0 {
		return invalid("params", "nothing to change")
	}
	return r.Params.validate()
}

// Edit changes an API key and returns it as stored (api_keys.php edit).
// The key goes as params[id] with the other fields, as HOSTKEY's MCP server
// sends it.
func (s *APIKeysService) Edit(ctx context.Context, req *APIKeyEditRequest) (*APIKey, error) {
	out, err := getOne[APIKey](ctx, s.client, &apiKeysEdit, req, "api_key", "key")
	return completed(out, err, func(k *APIKey) { k.ID = firstNonZero(k.ID, req.ID) })
}

// APIKeyEvent is one entry of a key's history: a creation, change or
// deletion, or a login made with the key.
type APIKeyEvent struct {
	ID         int    `json:"id"`
	KeyID      int    `json:"key_id"`
	Action     string `json:"action"` // "create", "edit", "delete", "login"
	Date       string `json:"date"`   // "2024-05-01 10:00:00"
	IP         string `json:"ip"`
	Email      string `json:"email"`
	Success    bool   `json:"success" loose:"flag"` // true/false, 1/0 or "1"/"0"
	CustomerID int    `json:"customer_id"`
}

// APIKeyHistoryRequest selects the history of one key (ID) or of all, over
// a period. Every field goes nested under params[...], as HOSTKEY's MCP
// server sends it.
type APIKeyHistoryRequest struct {
	ID int `url:"params[id],omitempty" check:"id=key,optional"`
	// PeriodFrom and PeriodTo bound the period: "2006-01-02" or
	// "2006-01-02 15:04:05"; empty for no bound.
	PeriodFrom string `url:"params[period_from],omitempty"`
	PeriodTo   string `url:"params[period_to],omitempty"`
	Extra      Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *APIKeyHistoryRequest) Validate() error { return validateRequest(r) }

func (r *APIKeyHistoryRequest) check() error {
	for _, f := range []struct{ name, v string }{{"params[period_from]", r.PeriodFrom}, {"params[period_to]", r.PeriodTo}} {
		if f.v == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, f.v); err != nil {
			if _, err := time.Parse(time.DateTime, f.v); err != nil {
				return invalid(f.name, "must be a date such as 2025-01-31 (or 2025-01-31 10:00:00), got %q", f.v)
			}
		}
	}
	return nil
}

// History returns what was done with API keys: creations, changes,
// deletions and logins, for one key or all, over a period (api_keys.php
// history). req may be nil.
func (s *APIKeysService) History(ctx context.Context, req *APIKeyHistoryRequest) ([]APIKeyEvent, error) {
	return getList[APIKeyEvent](ctx, s.client, &apiKeysHistory, optional(req), "history")
}

// List returns the account's API keys (api_keys.php list), read from
// "data" (or "keys").
func (s *APIKeysService) List(ctx context.Context) ([]APIKey, error) {
	return getList[APIKey](ctx, s.client, &apiKeysList, nil, "keys", "api_keys")
}

// ListForServer returns the API keys restricted to one server
// (api_keys.php list_for_server). The server goes as params[server_id] and
// the keys are read from "data", as HOSTKEY's WHMCS module does.
func (s *APIKeysService) ListForServer(ctx context.Context, serverID int) ([]APIKey, error) {
	if serverID <= 0 {
		return nil, invalid("params[server_id]", "must be a positive server id, got %d", serverID)
	}
	return getList[APIKey](ctx, s.client, &apiKeysListForServer, keyParams("server_id", serverID), "keys", "api_keys")
}

// View returns one API key (api_keys.php view). The key goes as
// params[id], as HOSTKEY's MCP server sends it.
func (s *APIKeysService) View(ctx context.Context, id int) (*APIKey, error) {
	if id <= 0 {
		return nil, invalid("params[id]", "must be a positive key id, got %d", id)
	}
	return getOne[APIKey](ctx, s.client, &apiKeysView, keyParams("id", id), "api_key", "key")
}
