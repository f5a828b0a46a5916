package invapi

import (
	"context"
	"net/url"
	"strconv"
	"strings"
)

// SSHKeysService wraps ssh_keys.php: the account's stored SSH public keys.
//
// The vendor does not publish this module. The fields and answers are those
// of HOSTKEY's Terraform provider (internal/invapi/ssh_keys.go): add sends
// params[name], params[key] and params[default]=0/1, delete sends id, and
// the API answers a list under "sshkeys" and one key under "sshkey".
type SSHKeysService service

var (
	sshKeysList = endpoint{module: "ssh_keys", action: "list", class: read, evidence: byClient("tf")}
	// ssh_keys/add: tf never retries it; a key added twice is a duplicate.
	sshKeysAdd    = endpoint{module: "ssh_keys", action: "add", class: change, settle: "ssh_keys/list", evidence: byClient("tf")}
	sshKeysDelete = endpoint{module: "ssh_keys", action: "delete", class: change, settle: "ssh_keys/list", evidence: byClient("tf")}
)

// SSHKey is an SSH public key stored in the account, offered when servers
// are ordered or reinstalled.
type SSHKey struct {
	ID         int    `json:"id"`
	CustomerID int    `json:"customer_id"`
	Name       string `json:"name"`
	Key        string `json:"key"`     // the public key, "ssh-ed25519 AAAA... comment"
	Default    bool   `json:"default"` // offered by default
	Created    string `json:"created"` // "2024-05-01 10:00:00"
}

// List returns the account's SSH keys (ssh_keys.php list), read under
// "sshkeys" as HOSTKEY's Terraform provider reads them.
func (s *SSHKeysService) List(ctx context.Context) ([]SSHKey, error) {
	return getList[SSHKey](ctx, s.client, &sshKeysList, nil, "sshkeys")
}

// SSHKeyAddRequest stores a public key. Every field goes nested under
// params[...], as HOSTKEY's Terraform provider sends it; Default is always
// sent, as params[default]=1 or 0.
type SSHKeyAddRequest struct {
	Name    string `url:"params[name]" check:"required"`
	Key     string `url:"params[key]"` // an OpenSSH public key line
	Default bool   `url:"params[default],int"`
	Extra   Fields `url:"extra,omitempty"`
}

// sshKeyTypes are the OpenSSH public key types the SDK accepts.
var sshKeyTypes = []string{"ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
	"ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com", "ssh-dss"}

// Validate checks the request before it is sent.
func (r *SSHKeyAddRequest) Validate() error { return validateRequest(r) }

func (r *SSHKeyAddRequest) check() error {
	f := strings.Fields(r.Key)
	if len(f) < 2 || strings.ContainsAny(r.Key, "\r\n") {
		return invalid("params[key]", "must be one OpenSSH public key line (\"ssh-ed25519 AAAA... comment\")")
	}
	for _, t := range sshKeyTypes {
		if f[0] == t {
			return nil
		}
	}
	return invalid("params[key]", "key type %q is not an OpenSSH public key type (ssh-ed25519, ssh-rsa, ecdsa-sha2-...)", f[0])
}

// Add stores an SSH public key in the account and returns it with its id
// (ssh_keys.php add). The key is read under "sshkey", as HOSTKEY's
// Terraform provider reads it. It is sent once, never again.
func (s *SSHKeysService) Add(ctx context.Context, req *SSHKeyAddRequest) (*SSHKey, error) {
	return getWith(ctx, s.client, &sshKeysAdd, req, func(r reply) (*SSHKey, error) {
		out, err := oneOf[SSHKey](r, "sshkey")
		if err != nil {
			return nil, err // an unknown outcome: the key may be stored
		}
		if out.ID == 0 {
			// tf refuses an answer with no id; the key may be stored all the same.
			return nil, r.bad("the answer holds no key id; check ssh_keys/list", nil)
		}
		return out, nil
	})
}

// Delete deletes a stored SSH key by its id (ssh_keys.php delete), sent as
// id, as HOSTKEY's Terraform provider sends it.
func (s *SSHKeysService) Delete(ctx context.Context, id int) error {
	if id <= 0 {
		return invalid("id", "must be a positive key id, got %d", id)
	}
	return act(ctx, s.client, &sshKeysDelete, url.Values{"id": {strconv.Itoa(id)}})
}
