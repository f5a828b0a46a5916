package invapi

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
)

// Ordering

// Deploy periods of order_instance, spelled as HOSTKEY's own clients send
// them (evidence.md §1b: their Terraform provider, WHMCS module and MCP
// server). The older reference writes "semi-annualy"; that is a typo no
// HOSTKEY client sends. Any other text is sent as given.
const (
	DeployHourly       = "hourly" // Terraform provider only
	DeployMonthly      = "monthly"
	DeployQuarterly    = "quarterly"
	DeploySemiAnnually = "semi-annually"
	DeployAnnually     = "annually"
)

// DiskMirror is the disk layout of order_instance's disk_mirror, as
// HOSTKEY's Terraform provider sends it. It applies to presets with two or
// more disks: RAID 0 and RAID 1 need 2, RAID 10 needs 4; HBA on one disk is
// ignored.
type DiskMirror string

// Disk layouts.
const (
	DiskMirrorHBA    DiskMirror = "hba"    // disks passed through, no RAID
	DiskMirrorRAID0  DiskMirror = "raid0"  // striped
	DiskMirrorRAID1  DiskMirror = "raid1"  // mirrored
	DiskMirrorRAID10 DiskMirror = "raid10" // striped mirrors, 4 disks or more
)

func (d DiskMirror) validate() error {
	switch d {
	case "", DiskMirrorHBA, DiskMirrorRAID0, DiskMirrorRAID1, DiskMirrorRAID10:
		return nil
	}
	return invalid("disk_mirror", "must be hba, raid0, raid1 or raid10, got %q", string(d))
}

// validRootSize checks a root partition size: a percent of the disk.
func validRootSize(n int) error {
	if n < 0 || n > 100 {
		return invalid("root_size", "is a percent of the disk, 1 to 100, got %d", n)
	}
	return nil
}

// OrderInstanceRequest orders a new server from a preset
// (eq.php order_instance). For a new server, Preset, LocationName, OSID,
// DeployPeriod and TrafficPlan are required (DeployNotify is always sent);
// with ID set, the order path reinstalls that server instead (newer
// reference) and only OSID is required. The field names are those
// HOSTKEY's Terraform provider, WHMCS module and MCP server send
// (evidence.md §1b); Extra carries any other. Printing the request never
// shows RootPass.
type OrderInstanceRequest struct {
	// ID is 0 for a new server (not sent: the server id is not known yet).
	// A server id reinstalls that server through the order path.
	ID           int    `url:"id,omitempty"`
	Preset       string `url:"preset,omitempty"`        // instance code, from presets/list
	LocationName string `url:"location_name,omitempty"` // "NL", "RU", "US"...
	OSID         int    `url:"os_id,omitempty"`         // from os/list
	OSName       string `url:"os_name,omitempty"`       // OS name in readable form
	OSTemplate   string `url:"os_template,omitempty"`
	// RootPass must meet HOSTKEY's policy when set: 8 to 30 letters, digits
	// and % - _ +, with an upper-case and a lower-case letter, a digit and
	// one of % - _ +, not starting with % - _ +.
	RootPass     string `url:"root_pass,omitempty"`
	Hostname     string `url:"hostname,omitempty"`
	SSHKey       string `url:"ssh_key,omitempty"`       // public key for root
	DeployPeriod string `url:"deploy_period,omitempty"` // DeployMonthly...
	// DeployNotify mails the customer when the server is ready. Always sent.
	DeployNotify bool   `url:"deploy_notify,int"`
	TrafficPlan  int    `url:"traffic_plan,omitempty"` // from traffic_plans/list
	IPv4Amount   int    `url:"ipv4_amount,omitempty"`  // extra IPv4 addresses, beyond the main one
	SoftID       int    `url:"soft_id,omitempty"`      // additional software, from software/list
	Promocode    string `url:"promocode,omitempty"`
	CustomDomain string `url:"custom_domain,omitempty"`
	CurrencyCode string `url:"currency_code,omitempty"`
	VLAN         string `url:"vlan,omitempty"` // private VLAN id
	IP           string `url:"ip,omitempty"`   // private IP
	Email        string `url:"email,omitempty"`
	// PostInstallCallback is a URL the fresh server calls when installed.
	PostInstallCallback string `url:"post_install_callback,omitempty"`
	// PostInstallScript is bash/PowerShell code run on the first boot.
	PostInstallScript string `url:"post_install_script,omitempty"`
	CloudInitScript   string `url:"cloud_init_script,omitempty"`
	ReinstallKey      string `url:"reinstall_key,omitempty"`
	// OwnOS delivers the server without installing an OS (install later).
	OwnOS        bool   `url:"own_os,int,omitempty"`
	JenkinsTask  string `url:"jenkins_task,omitempty"` // task id from jenkins/get_tasks; "-1" for none
	JenkinsTests int    `url:"jenkins_tests,omitempty"`
	// DiskMirror is the disk layout (DiskMirrorRAID1...), for presets with
	// two or more disks.
	DiskMirror DiskMirror `url:"disk_mirror,omitempty"`
	// RootSize is the root partition's size in percent of the disk, 1 to 100.
	RootSize int `url:"root_size,omitempty"`
	// NoLVM is "1" to partition without LVM.
	NoLVM string `url:"no_lvm,omitempty"`
	// IPv6 adds an IPv6 /64 block (dedicated servers in NL and US).
	IPv6 bool `url:"ipv6,int,omitempty"`
	// PrivateVLAN is the private VLAN to put the server in.
	PrivateVLAN string `url:"private_vlan,omitempty"`
	// SoftName names the additional software in readable form (WHMCS module).
	SoftName        string `url:"soft_name,omitempty"`
	UEFI            bool   `url:"uefi,int,omitempty"`
	AttendedInstall bool   `url:"attendedInstall,int,omitempty"`
	ActivateWindows bool   `url:"activate_windows,int,omitempty"`
	DeployData      string `url:"deploy_data,omitempty"` // email or invoice id
	DeployOptions   string `url:"deploy_options,omitempty"`
	DeployTicket    string `url:"deploy_ticket,omitempty"`
	DeployComment   string `url:"deploy_comment,omitempty"`
	DeployPrice     *Money `url:"deploy_price,omitempty"`
	InvoiceRelID    int    `url:"invoice_relid,omitempty"`
	ImitateDeploy   bool   `url:"imitate_deploy,int,omitempty"` // simulate the deployment (testing)
	ImitateError    bool   `url:"imitate_error,int,omitempty"`  // simulate a failure (testing)
	// Extra carries fields the SDK does not model; it never replaces
	// action, token or pin.
	Extra Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent; errors never show RootPass.
func (r *OrderInstanceRequest) Validate() error { return validateRequest(r) }

func (r *OrderInstanceRequest) check() error {
	if r.ID < 0 {
		return invalid("id", "must be 0 for a new server or a positive server id, got %d", r.ID)
	}
	if r.ID == 0 {
		if strings.TrimSpace(r.Preset) == "" {
			return invalid("preset", "is required for a new server")
		}
		if strings.TrimSpace(r.LocationName) == "" {
			return invalid("location_name", "is required for a new server")
		}
		if strings.TrimSpace(r.DeployPeriod) == "" {
			return invalid("deploy_period", "is required for a new server (hourly, monthly, quarterly, semi-annually, annually)")
		}
		if r.TrafficPlan <= 0 {
			return invalid("traffic_plan", "is required for a new server: a traffic plan id, got %d", r.TrafficPlan)
		}
	}
	if r.OSID <= 0 {
		return invalid("os_id", "is required: an OS id from os/list, got %d", r.OSID)
	}
	if r.RootPass != "" {
		if err := validateRootPass("root_pass", r.RootPass); err != nil {
			return err
		}
	}
	if r.IPv4Amount < 0 {
		return invalid("ipv4_amount", "must not be negative, got %d", r.IPv4Amount)
	}
	if err := r.DiskMirror.validate(); err != nil {
		return err
	}
	if err := validRootSize(r.RootSize); err != nil {
		return err
	}
	return eqNonNegative("soft_id", r.SoftID, "invoice_relid", r.InvoiceRelID, "jenkins_tests", r.JenkinsTests)
}

// Format implements fmt.Formatter so that no verb prints RootPass.
func (r OrderInstanceRequest) Format(f fmt.State, verb rune) { formatMasked(f, verb, r) }

// MarshalJSON writes the request with RootPass and ReinstallKey masked.
func (r OrderInstanceRequest) MarshalJSON() ([]byte, error) { return marshalMasked(r) }

// LogValue logs the request with RootPass and ReinstallKey masked.
func (r OrderInstanceRequest) LogValue() slog.Value { return logMasked(r) }

// OrderInstance orders a new server from a preset, or reinstalls one
// through the order path (eq.php order_instance). Funds are checked on the
// credit account first; deployment takes 5 to 20 minutes. When the answer's
// Status is "Unpaid", the deploy waits for the invoice to be paid.
//
// The PIN is sent when the client has one (WithPIN), as the older
// reference requires; no HOSTKEY client sends one, and API-key sessions of
// accounts without a PIN order without it.
//
// It is sent at most once, never retried. If its outcome is unknown (the
// error matches ErrOutcomeUnknown), do not order again: settle it with
// UpdateServers (DeployKeys) and whmcs get_invoices, as
// OutcomeUnknownError.Settle says. The answer may carry only an invoice and
// no server id (see OrderResult).
func (s *EqService) OrderInstance(ctx context.Context, req *OrderInstanceRequest) (*OrderResult, error) {
	return getOp[OrderResult](ctx, s.client, &eqOrderInstance, req)
}

// DeployRequest starts a deployment. Published by name only, with only the note
// that deploy takes the server or preset, the OS, hostname, SSH keys and a
// post-install script: these are sent under order_instance's names; Extra
// carries anything else. Printing the request never shows RootPass.
type DeployRequest struct {
	ID                int    `url:"id,omitempty" check:"id=server,optional"` // a server, or
	Preset            string `url:"preset,omitempty"`                        // a preset
	OSID              int    `url:"os_id,omitempty"`
	RootPass          string `url:"root_pass,omitempty"`
	Hostname          string `url:"hostname,omitempty"`
	SSHKey            string `url:"ssh_key,omitempty"`
	PostInstallScript string `url:"post_install_script,omitempty"`
	Extra             Fields `url:"extra,omitempty"`
}

// Validate checks the request before it is sent; errors never show RootPass.
func (r *DeployRequest) Validate() error { return validateRequest(r) }

func (r *DeployRequest) check() error {
	if r.ID == 0 && strings.TrimSpace(r.Preset) == "" {
		return invalid("id", "set a server id or a preset")
	}
	if r.OSID < 0 {
		return invalid("os_id", "must be a positive OS id, got %d", r.OSID)
	}
	if r.RootPass != "" {
		return validateRootPass("root_pass", r.RootPass)
	}
	return nil
}

// Format implements fmt.Formatter so that no verb prints RootPass.
func (r DeployRequest) Format(f fmt.State, verb rune) { formatMasked(f, verb, r) }

// MarshalJSON writes the request with RootPass masked.
func (r DeployRequest) MarshalJSON() ([]byte, error) { return marshalMasked(r) }

// LogValue logs the request with RootPass masked.
func (r DeployRequest) LogValue() slog.Value { return logMasked(r) }

// Deploy starts the deployment of a server or preset (eq.php deploy). Published
// by name only (see [DeployRequest]). Like OrderInstance it may charge, so it
// is sent at most once: settle an unknown outcome with UpdateServers
// (DeployKeys) and whmcs get_invoices.
func (s *EqService) Deploy(ctx context.Context, req *DeployRequest) (*OrderResult, error) {
	return getOp[OrderResult](ctx, s.client, &eqDeploy, req)
}
