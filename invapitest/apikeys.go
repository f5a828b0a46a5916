package invapitest

import (
	"net"
	"sort"
	"strconv"
	"time"
)

func apiKeyJSON(k *apiKey) obj {
	return obj{"id": k.ID, "name": k.Name, "server_id": k.ServerID, "hash": k.Hash, "ip": k.IP,
		"active": boolInt(k.Active), "notify": k.Notify, "notify_to": k.NotifyTo,
		"created": k.Created.UTC().Format("2006-01-02 15:04:05"), "expires": k.Expires}
}

func (st *state) keyHistoryAdd(k *apiKey, action string) {
	st.keyHistory = append(st.keyHistory, obj{"id": len(st.keyHistory) + 1, "key_id": k.ID, "customer_id": k.CustomerID,
		"action": action, "date": st.now().UTC().Format("2006-01-02 15:04:05")})
}

// keyFields applies the editable fields of an API key.
func keyFields(c *call, k *apiKey) *apiError {
	if v := c.get("name"); v != "" {
		k.Name = v
	}
	if v, ok := c.form["ip"]; ok {
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
	if v := c.get("active"); v != "" {
		k.Active = v == "1"
	}
	if v := c.get("notify"); v != "" {
		if v != "none" && v != "email" && v != "webhook" {
			return errf("api_keys/%s: notify must be none, email or webhook", c.action)
		}
		k.Notify = v
	}
	if v := c.get("notify_to"); v != "" {
		k.NotifyTo = v
	}
	if v := c.get("expires"); v != "" {
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
	name := c.get("name")
	if name == "" {
		return errf("api_keys/add: name is required")
	}
	sid := 0
	if v := firstOf(c, "server_id", "server"); v != "" && v != "0" && v != "any" {
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
	o := apiKeyJSON(k)
	o["key"] = secret
	return obj{"result": "OK", "api_key": o}
}

func (st *state) keyFor(c *call) (*apiKey, *apiError) {
	id, _ := strconv.Atoi(firstOf(c, "key_id", "id"))
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
	return obj{"result": "OK", "id": k.ID}
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
	return obj{"result": "OK", "api_key": apiKeyJSON(k)}
}

func (st *state) apiKeysView(c *call) any {
	k, errr := st.keyFor(c)
	if errr != nil {
		return errr
	}
	return obj{"result": "OK", "api_key": apiKeyJSON(k)}
}

func (st *state) apiKeysList(c *call) any {
	sid := 0
	if c.action == "list_for_server" {
		e, errr := st.serverFor(c, map[bool]string{true: "server_id", false: "id"}[c.get("server_id") != ""])
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
		list = append(list, apiKeyJSON(k))
	}
	return obj{"result": "OK", "keys": list}
}

func (st *state) apiKeysHistory(c *call) any {
	want := firstOf(c, "key_id", "id")
	list := []any{}
	for _, h := range st.keyHistory {
		if h["customer_id"] != c.acct.CustomerID {
			continue
		}
		if want != "" && strconv.Itoa(h["key_id"].(int)) != want {
			continue
		}
		list = append(list, h)
	}
	return obj{"result": "OK", "history": list}
}
