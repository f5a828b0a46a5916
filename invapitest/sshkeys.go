package invapitest

import (
	"strings"
)

// ssh_keys.php, as HOSTKEY's Terraform provider speaks it (the vendor does
// not publish it): add takes params[name], params[key], params[default]
// 0/1 and answers the key under "sshkey"; list answers "sshkeys"; delete
// takes id. AlternativeShapes answers under "data".

func (st *state) sshKeysAnswer(action, key string, v any) obj {
	if st.quirks.AlternativeShapes {
		return obj{"result": "OK", "data": v}
	}
	return obj{"result": "OK", "module": "ssh_keys", "action": action, key: v}
}

func (st *state) sshKeysList(c *call) any {
	return st.sshKeysAnswer("list", "sshkeys", toAny(st.store(c, "sshkeys")))
}

func (st *state) sshKeysAdd(c *call) any {
	name, key := param(c, "name"), param(c, "key")
	if name == "" {
		return errf("ssh_keys/add: name is required")
	}
	f := strings.Fields(key)
	if len(f) < 2 || !(strings.HasPrefix(f[0], "ssh-") || strings.HasPrefix(f[0], "ecdsa-") || strings.HasPrefix(f[0], "sk-")) {
		return errf("ssh_keys/add: invalid public key")
	}
	def := param(c, "default")
	if def != "" && def != "0" && def != "1" {
		return errf("ssh_keys/add: default must be 0 or 1")
	}
	l := st.store(c, "sshkeys")
	for _, k := range l {
		if k["key"] == key {
			return errf("ssh_keys/add: this key is already stored")
		}
	}
	if def == "1" {
		for _, k := range l {
			k["default"] = 0
		}
	}
	k := obj{"id": st.id(), "customer_id": c.acct.CustomerID, "name": name, "key": key, "default": boolInt(def == "1"),
		"created": st.now().UTC().Format("2006-01-02 15:04:05")}
	st.setStore(c, "sshkeys", append(l, k))
	return st.sshKeysAnswer("add", "sshkey", k)
}

func (st *state) sshKeysDelete(c *call) any {
	i := findByID(st.store(c, "sshkeys"), c.get("id"))
	if i < 0 {
		return errf("ssh_keys/delete: key not found")
	}
	st.removeAt(c, "sshkeys", i)
	return obj{"result": "OK", "module": "ssh_keys", "action": "delete"}
}
