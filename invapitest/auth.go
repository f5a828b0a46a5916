package invapitest

import (
	"crypto/rand"
	"fmt"
	"math/big"
	"net"
	"strconv"
	"time"
)

// invalidToken is the answer to a missing, unknown or expired token.
func (st *state) invalidToken() *apiError {
	return &apiError{code: -2, message: "Invalid token", extra: obj{"description": "Token missing or invalid"}}
}

// authenticate resolves the request's token. Called with the lock held.
func (st *state) authenticate(c *call, a *actionSpec) (*session, *apiError) {
	tok := c.form.Get("token")
	s := st.sessions[tok]
	if tok == "" || s == nil {
		return nil, st.invalidToken()
	}
	if !st.now().Before(s.expires) {
		delete(st.sessions, tok)
		return nil, st.invalidToken()
	}
	if s.boundIP != "" && s.boundIP != c.remote {
		return nil, st.invalidToken()
	}
	if s.pending2FA && !a.during2FA {
		return nil, &apiError{code: -2, message: "2FA required", extra: obj{"description": "Two-factor authentication code required", "2fa": 1}}
	}
	if st.accounts[s.customerID] == nil {
		return nil, st.invalidToken()
	}
	return s, nil
}

// expireToken makes a token expired now (FaultExpireToken).
func (st *state) expireToken(tok string) {
	if s := st.sessions[tok]; s != nil {
		s.expires = st.now().Add(-time.Second)
	}
}

// checkPIN verifies the pin field of a PIN-protected action.
func (st *state) checkPIN(c *call) *apiError {
	pin := c.form.Get("pin")
	if pin == "" {
		return errf("PIN required")
	}
	if c.acct.PIN == "" {
		return errf("PIN is not set: set it with eq/set_pin first")
	}
	if pin != c.acct.PIN {
		st.pinFails[c.acct.CustomerID]++
		return &apiError{code: -1, message: "Wrong PIN", delay: st.pinPenalty * time.Duration(st.pinFails[c.acct.CustomerID])}
	}
	st.pinFails[c.acct.CustomerID] = 0
	return nil
}

// serverFor returns the server named by form field field, checking that
// the session may manage it.
func (st *state) serverFor(c *call, field string) (*Equipment, *apiError) {
	raw := c.get(field)
	id, err := strconv.Atoi(raw)
	e := st.servers[id]
	if err != nil || e == nil || e.CustomerID != c.acct.CustomerID {
		return nil, errf("%s/%s: invalid server id", c.module, c.action)
	}
	if !containsInt(c.sess.servers, id) {
		return nil, errf("Access denied")
	}
	return e, nil
}

func containsInt(l []int, v int) bool {
	for _, x := range l {
		if x == v {
			return true
		}
	}
	return false
}

func idStrings(ids []int) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = strconv.Itoa(id)
	}
	return out
}

func (st *state) newSession(acct *Account, servers []int, ttl int) *session {
	s := &session{
		token: newKey(), customerID: acct.CustomerID, role: "client",
		servers: servers, ttl: ttl, expires: st.now().Add(time.Duration(ttl) * time.Second),
	}
	st.sessions[s.token] = s
	return s
}

func (st *state) logAuth(c *call, customer int, method string, ok bool) {
	st.authLog = append(st.authLog, obj{
		"id": len(st.authLog) + 1, "customer_id": customer, "method": method, "ip": c.remote,
		"success": boolInt(ok), "date": st.now().UTC().Format("2006-01-02 15:04:05"),
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// loginResult is the login answer: token, token_expire (Unix seconds) and
// invapi (the account's portal host) as HOSTKEY's Terraform provider reads
// them, and ttl, role, customer_id, servers.
func loginResult(s *session) obj {
	return obj{"token": s.token, "ttl": s.ttl, "token_expire": s.expires.Unix(), "invapi": "invapi.hostkey.com",
		"role": s.role, "customer_id": strconv.Itoa(s.customerID), "servers": idStrings(s.servers)}
}

func (st *state) authLogin(c *call) any {
	key := c.form.Get("key")
	if key == "" {
		return errf("Invalid API key")
	}
	for _, k := range st.apiKeys {
		if k.secret == key && k.Active && st.accounts[k.CustomerID] != nil {
			a := st.accounts[k.CustomerID]
			var ids []int
			serverKey := k.ServerID != 0
			if serverKey {
				if e := st.servers[k.ServerID]; e != nil && e.CustomerID == k.CustomerID {
					ids = []int{k.ServerID}
				}
			} else {
				ids = st.accountServers(k.CustomerID)
			}
			if k.IP != "" && !ipAllowed(k.IP, c.remote) {
				st.logAuth(c, a.CustomerID, "api_key", false)
				return errf("Invalid API key")
			}
			if k.Expires != "" && st.now().Format("2006-01-02") > k.Expires {
				return errf("Invalid API key")
			}
			if len(ids) == 0 {
				st.logAuth(c, a.CustomerID, "api_key", false)
				return obj{"result": -1, "error": "NO_APPROPRIATE_SERVERS", "code": "NO_APPROPRIATE_SERVERS"}
			}
			// ttl as HOSTKEY's clients send it (3600), at most the
			// server's own token lifetime (WithTokenTTL).
			ttl := st.tokenTTL
			if v := c.get("ttl"); v != "" {
				n, err := strconv.Atoi(v)
				if err != nil || n <= 0 {
					return errf("auth/login: invalid ttl")
				}
				ttl = min(n, ttl)
			}
			switch c.get("fix_ip") {
			case "", "0", "1":
			default:
				return errf("auth/login: invalid fix_ip")
			}
			st.logAuth(c, a.CustomerID, "api_key", true)
			s := st.newSession(a, ids, ttl)
			if c.get("fix_ip") == "1" {
				s.boundIP = c.remote
			}
			s.serverKey = serverKey
			return obj{"result": loginResult(s)}
		}
	}
	return errf("Invalid API key")
}

func (st *state) authWHMCSLogin(c *call) any {
	user, pass := c.get("user"), c.form.Get("password")
	var acct *Account
	for _, a := range st.accounts {
		if a.User != "" && a.User == user {
			acct = a
		}
	}
	if acct == nil || acct.Password != pass || pass == "" {
		if acct != nil {
			st.logAuth(c, acct.CustomerID, "whmcslogin", false)
		}
		return errf("Invalid login or password")
	}
	ttl := 10800
	if v := c.get("ttl"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return errf("auth/whmcslogin: invalid ttl")
		}
		ttl = n
	}
	s := st.newSession(acct, st.accountServers(acct.CustomerID), ttl)
	if c.get("fix_ip") == "1" {
		s.boundIP = c.remote
	}
	if acct.TwoFactor {
		s.pending2FA = true
		s.code2FA = st.issue2FA(acct)
	}
	st.logAuth(c, acct.CustomerID, "whmcslogin", true)
	res := loginResult(s)
	res["customer"] = obj{"id": acct.CustomerID, "email": acct.Email, "firstname": acct.FirstName,
		"lastname": acct.LastName, "currency": acct.Currency, "credit": acct.Balance}
	res["2fa"] = boolInt(acct.TwoFactor)
	return obj{"result": res}
}

func (st *state) issue2FA(a *Account) string {
	code := a.TwoFactorCode
	if code == "" {
		n, _ := rand.Int(rand.Reader, big.NewInt(1000000))
		code = fmt.Sprintf("%06d", n.Int64())
	}
	st.last2FA = code
	return code
}

func (st *state) auth2FACheck(c *call) any {
	if !c.sess.pending2FA {
		return obj{"result": "OK"}
	}
	if c.get("code") == "" || c.get("code") != c.sess.code2FA {
		return errf("Wrong 2FA code")
	}
	c.sess.pending2FA = false
	return obj{"result": "OK"}
}

func (st *state) auth2FAResend(c *call) any {
	if !c.sess.pending2FA {
		return obj{"result": "OK"}
	}
	c.sess.code2FA = st.issue2FA(c.acct)
	r := obj{"result": "OK"}
	if st.debug2FA {
		r["code"] = c.sess.code2FA
	}
	return r
}

func (st *state) authInfo(c *call) any {
	s := c.sess
	return obj{"result": "OK", "token_data": obj{
		"role": s.role, "customer_id": strconv.Itoa(s.customerID), "servers": idStrings(s.servers),
		"expires": s.expires.Unix(), "ttl": int(s.expires.Sub(st.now()).Seconds()),
		"fix_ip": boolInt(s.boundIP != ""), "server_key": boolInt(s.serverKey),
	}}
}

func (st *state) authLogout(c *call) any {
	delete(st.sessions, c.sess.token)
	return obj{"result": "OK"}
}

func (st *state) authBillingList(c *call) any {
	return obj{"result": "OK", "billing": []any{
		obj{"id": 1, "name": "HOSTKEY B.V.", "location": "NL", "currency": "EUR", "current": 1},
		obj{"id": 2, "name": "HOSTKEY USA", "location": "US", "currency": "USD", "current": 0},
	}}
}

func (st *state) authEmailCheck(c *call) any {
	email := c.get("email")
	if email == "" {
		return errf("auth/email_check: email is required")
	}
	if code := c.get("code"); code != "" {
		return obj{"result": "OK", "verified": 1}
	}
	return obj{"result": "OK", "sent": 1, "email": email}
}

func (st *state) userTagMap(customer int) map[string]string {
	m := st.userTags[customer]
	if m == nil {
		m = map[string]string{}
		st.userTags[customer] = m
	}
	return m
}

func (st *state) authFlipTag(c *call) any {
	tag := c.get("tag")
	if tag == "" {
		return errf("auth/flip_tag: tag is required")
	}
	m := st.userTagMap(c.acct.CustomerID)
	if _, ok := m[tag]; ok {
		delete(m, tag)
		return obj{"result": "OK", "tag": tag, "state": 0}
	}
	m[tag] = "1"
	return obj{"result": "OK", "tag": tag, "state": 1}
}

func (st *state) authSetTag(c *call) any {
	tag := c.get("tag")
	if tag == "" {
		return errf("auth/set_tag: tag is required")
	}
	m := st.userTagMap(c.acct.CustomerID)
	if v, ok := c.form["value"]; ok && len(v) > 0 && v[0] != "" {
		m[tag] = v[0]
	} else if _, exists := m[tag]; exists {
		delete(m, tag)
	} else {
		m[tag] = "1"
	}
	tags := obj{}
	for k, v := range m {
		tags[k] = v
	}
	return obj{"result": "OK", "tags": tags}
}

func (st *state) authGetLog(c *call) any {
	list := []any{}
	for _, e := range st.authLog {
		if e["customer_id"] == c.acct.CustomerID {
			list = append(list, e)
		}
	}
	return obj{"result": "OK", "log": list}
}

func (st *state) authGetLogDetails(c *call) any {
	id, _ := strconv.Atoi(c.get("id"))
	for _, e := range st.authLog {
		if e["customer_id"] == c.acct.CustomerID && e["id"] == id {
			return obj{"result": "OK", "details": e}
		}
	}
	if id == 0 {
		return st.authGetLog(c)
	}
	return errf("auth/get_log_details: record not found")
}

func authSSOInit(provider string) handler {
	return func(st *state, c *call) any {
		state := newKey()
		r := obj{"result": "OK", "state": state, "redirect_uri": "https://invapi.hostkey.com/auth.php?action=" + provider + "_signin"}
		switch provider {
		case "github":
			r["client_id"] = "Iv1.invapitest"
		case "vk":
			r["code_challenge"] = newKey()
		}
		return r
	}
}

func (st *state) authSSOSignin(c *call) any {
	return errf("%s: invalid or expired authorization code", c.action)
}

func (st *state) authSessionReset(c *call) any {
	tok := firstOf(c, "reset_token", "token")
	s := st.sessions[tok]
	if s == nil {
		return errf("auth/session_reset: invalid reset token")
	}
	for k, o := range st.sessions {
		if o.customerID == s.customerID {
			delete(st.sessions, k)
		}
	}
	return obj{"result": "OK"}
}

func (st *state) authTgVerify(c *call) any {
	user := c.get("username")
	if user == "" {
		user = c.get("tg")
	}
	return obj{"result": "OK", "username": user, "link": "https://t.me/hostkey_notify_bot?start=" + newKey()[:16]}
}

// orMsg keeps "Access denied" and replaces any other server lookup error by
// the action's own failure message.
func orMsg(e *apiError, msg string) *apiError {
	if e.message == "Access denied" {
		return e
	}
	return errf("%s", msg)
}

// ipAllowed reports whether ip is in the comma separated list of addresses
// and CIDR blocks acl.
func ipAllowed(acl, ip string) bool {
	addr := net.ParseIP(ip)
	for _, x := range splitList(acl) {
		if x == ip {
			return true
		}
		if _, n, err := net.ParseCIDR(x); err == nil && addr != nil && n.Contains(addr) {
			return true
		}
	}
	return false
}
