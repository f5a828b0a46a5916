package invapitest

import (
	"net"
	"sort"
	"strconv"
	"strings"
	"time"
)

// api_keys.php, as HOSTKEY's WHMCS module and MCP server speak it: every
// field nested under params[...] (params[id], params[server_id],
// params[login_notify_method]...), answers under "data". AlternativeShapes
// answers under api_key / keys, with notify / notify_to.

// param reads params[name], the only place api_keys.php takes its fields.
func param(c *call, name string) string { return strings.TrimSpace(c.form.Get("params[" + name + "]")) }

func (st *state) apiKeyJSON(k *apiKey) obj {
	o := obj{"id": k.ID, "name": k.Name, "server_id": k.ServerID, "hash": k.Hash, "ip": k.IP,
		"active": boolInt(k.Active), "login_notify_method": k.Notify, "login_notify_address": k.NotifyTo,
		"created": k.Created.UTC().Format("2006-01-02 15:04:05"), "expires": k.Expires}
	if st.quirks.AlternativeShapes {
		o["notify"], o["notify_to"] = k.Notify, k.NotifyTo
		delete(o, "login_notify_method")
		delete(o, "login_notify_address")
	}
	return o
}

// keysAnswer puts data under "data", or under alt with AlternativeShapes.
func (st *state) keysAnswer(alt string, data any) obj {
	if st.quirks.AlternativeShapes {
		return obj{"result": "OK", alt: data}
	}
	return obj{"result": "OK", "data": data}
}

func (st *state) keyHistoryAdd(k *apiKey, action string) {
	st.keyHistory = append(st.keyHistory, obj{"id": len(st.keyHistory) + 1, "key_id": k.ID, "customer_id": k.CustomerID,
		"action": action, "date": st.now().UTC().Format("2006-01-02 15:04:05")})
}

// keyFields applies the editable fields of an API key.
func keyFields(c *call, k *apiKey) *apiError {
	if v := param(c, "name"); v != "" {
		k.Name = v
	}
	if v, ok := c.form["params[ip]"]; ok {
		ip := ""
		if len(v) > 0 {
			ip = v[0]
		}
		for _, x := range splitList(ip) {
			if net.ParseIP(x) == nil {
				if _, _, err := net.ParseCIDR(x); err != nil {
					return errf("api_keys/%s: invalid ip %s", c.action, x)
				}
			}
		}
		k.IP = ip
	}
	if v := param(c, "active"); v != "" {
		k.Active = v == "1"
	}
	if v := param(c, "login_notify_method"); v != "" {
		if v != "none" && v != "email" && v != "webhook" {
			return errf("api_keys/%s: login_notify_method must be none, email or webhook", c.action)
		}
		k.Notify = v
	}
	if v := param(c, "login_notify_address"); v != "" {
		k.NotifyTo = v
	}
	if v := param(c, "expires"); v != "" {
		if _, err := time.Parse("2006-01-02", v); err != nil {
			return errf("api_keys/%s: expires must be YYYY-MM-DD", c.action)
		}
		k.Expires = v
	}
	return nil
}

func (st *state) apiKeysAdd(c *call) any {
	if len(st.accountServers(c.acct.CustomerID)) == 0 {
		return errf("api_keys/add: the customer has no active servers")
	}
	name := param(c, "name")
	if name == "" {
		return errf("api_keys/add: name is required")
	}
	sid := 0
	if v := param(c, "server_id"); v != "" && v != "0" && v != "any" {
		var errr *apiError
		c.form.Set("server_id", v)
		e, errr := st.serverFor(c, "server_id")
		if errr != nil {
			return errr
		}
		sid = e.ID
	}
	secret := newKey() + newKey()
	k := st.addAPIKeyRecord(c.acct.CustomerID, name, sid, secret)
	if e := keyFields(c, k); e != nil {
		delete(st.apiKeys, k.ID)
		return e
	}
	st.keyHistoryAdd(k, "create")
	o := st.apiKeyJSON(k)
	if st.quirks.AlternativeShapes {
		o["key"] = secret
		return obj{"result": "OK", "api_key": o}
	}
	o["api_key"] = secret // whmcs reads the key at data.api_key
	return obj{"result": "OK", "data": o}
}

func (st *state) keyFor(c *call) (*apiKey, *apiError) {
	id, _ := strconv.Atoi(param(c, "id"))
	k := st.apiKeys[id]
	if k == nil || k.CustomerID != c.acct.CustomerID {
		return nil, errf("api_keys/%s: key not found", c.action)
	}
	return k, nil
}

func (st *state) apiKeysDelete(c *call) any {
	k, errr := st.keyFor(c)
	if errr != nil {
		return errr
	}
	delete(st.apiKeys, k.ID)
	st.keyHistoryAdd(k, "delete")
	return st.keysAnswer("id", obj{"id": k.ID})
}

func (st *state) apiKeysEdit(c *call) any {
	k, errr := st.keyFor(c)
	if errr != nil {
		return errr
	}
	if e := keyFields(c, k); e != nil {
		return e
	}
	st.keyHistoryAdd(k, "edit")
	return st.keysAnswer("api_key", st.apiKeyJSON(k))
}

func (st *state) apiKeysView(c *call) any {
	k, errr := st.keyFor(c)
	if errr != nil {
		return errr
	}
	return st.keysAnswer("api_key", st.apiKeyJSON(k))
}

func (st *state) apiKeysList(c *call) any {
	sid := 0
	if c.action == "list_for_server" {
		c.form.Set("server_id", param(c, "server_id"))
		e, errr := st.serverFor(c, "server_id")
		if errr != nil {
			return errr
		}
		sid = e.ID
	}
	var ks []*apiKey
	for _, k := range st.apiKeys {
		if k.CustomerID == c.acct.CustomerID && (sid == 0 || k.ServerID == sid) {
			ks = append(ks, k)
		}
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i].ID < ks[j].ID })
	list := []any{}
	for _, k := range ks {
		list = append(list, st.apiKeyJSON(k))
	}
	return st.keysAnswer("keys", list)
}

func (st *state) apiKeysHistory(c *call) any {
	want := param(c, "id")
	from, to := param(c, "period_from"), param(c, "period_to")
	list := []any{}
	for _, h := range st.keyHistory {
		if h["customer_id"] != c.acct.CustomerID {
			continue
		}
		if want != "" && strconv.Itoa(h["key_id"].(int)) != want {
			continue
		}
		// dates compare as text: "2006-01-02" sorts before that day's times
		if d := h["date"].(string); (from != "" && d < from) || (to != "" && d[:min(len(d), len(to))] > to) {
			continue
		}
		list = append(list, h)
	}
	return st.keysAnswer("history", list)
}
