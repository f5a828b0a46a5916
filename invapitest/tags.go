package invapitest

import (
	"strconv"
	"strings"
)

// tagTargets returns the servers named by id or id_list (comma separated,
// or repeated id_list[] fields).
func (st *state) tagTargets(c *call) ([]*Equipment, *apiError) {
	ids := splitList(c.get("id_list"))
	ids = append(ids, c.form["id_list[]"]...)
	if len(ids) == 0 {
		ids = []string{c.get("id")}
	}
	var out []*Equipment
	for _, raw := range ids {
		id, err := strconv.Atoi(strings.TrimSpace(raw))
		e := st.servers[id]
		if err != nil || e == nil || e.CustomerID != c.acct.CustomerID {
			return nil, errf("tags/%s: invalid server id", c.action)
		}
		if !containsInt(c.sess.servers, id) {
			return nil, errf("Access denied")
		}
		out = append(out, e)
	}
	return out, nil
}

func (st *state) tagsAdd(c *call) any {
	tag := c.get("tag")
	if tag == "" {
		return errf("tags/add: tag is required")
	}
	if _, ok := c.form["value"]; !ok {
		return errf("tags/add: value is required")
	}
	es, errr := st.tagTargets(c)
	if errr != nil {
		return errr
	}
	for _, e := range es {
		setTag(e, tag, c.form.Get("value"), c.form.Get("extra"))
	}
	return obj{"result": "OK", "action": "add", "tag": tag, "value": c.form.Get("value")}
}

func (st *state) tagsRemove(c *call) any {
	tag := c.get("tag")
	if tag == "" {
		return errf("tags/remove: tag is required")
	}
	es, errr := st.tagTargets(c)
	if errr != nil {
		return errr
	}
	n := 0
	for _, e := range es {
		if removeTag(e, tag) {
			n++
		}
	}
	if n == 0 {
		return errf("tags/remove: tag %s not found", tag)
	}
	return obj{"result": "OK", "action": "remove", "tag": tag}
}

func (st *state) tagsList(c *call) any {
	e, errr := st.serverFor(c, "id")
	if errr != nil {
		return errr
	}
	return obj{"result": "OK", "id": e.ID, "tags": tagsJSON(e)}
}

func (st *state) tagsUserSearch(c *call) any {
	v := strings.ToLower(c.get("value"))
	if v == "" {
		return errf("tags/user_search: value is required")
	}
	servers := []any{}
	found := []any{}
	for _, e := range st.visibleServers(c) {
		hit := false
		for _, t := range e.Tags {
			if strings.Contains(strings.ToLower(t.Name), v) || strings.Contains(strings.ToLower(t.Value), v) {
				found = append(found, obj{"id": e.ID, "tag": t.Name, "value": t.Value})
				hit = true
			}
		}
		if hit {
			servers = append(servers, e.ID)
		}
	}
	return obj{"result": "OK", "servers": servers, "tags": found}
}
