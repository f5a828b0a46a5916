package invapi

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
)

// Reinstalls: reinstall, create_pxe, boot_dev, clear_pxe, abort_reinstall

// BootMedia is the device boot_dev makes the server boot from.
type BootMedia string

// Boot media.
const (
	BootPXE  BootMedia = "pxe"  // network boot (PXE), to install
	BootDisk BootMedia = "disk" // local storage
	BootCD   BootMedia = "cd"   // mounted CD, usually virtual media through IPMI
)

// BootMode is the firmware boot mode of boot_dev.
type BootMode string

// Boot modes.
const (
	BootModeUEFI   BootMode = "uefi"
	BootModeLegacy BootMode = "legacy"
	BootModeAuto   BootMode = "auto"
)

// InstallOptions are the further fields the newer reference lists for
// create_pxe and reinstall. Its lists look generated from a request parser
// shared with other actions, so many (rack, kayako_ticket_text,
// new_interface_id...) probably do not apply; they are all sent as given
// when set.
type InstallOptions struct {
	DiskMirror           DiskMirror `url:"disk_mirror,omitempty"` // DiskMirrorRAID1...
	RootSize             int        `url:"root_size,omitempty"`   // root partition, percent of the disk (1-100)
	ManualChoiceDsk      int        `url:"manual_choice_dsk,omitempty"`
	NoLVM                string     `url:"no_lvm,omitempty"`
	UEFI                 bool       `url:"uefi,int,omitempty"`
	AttendedInstall      bool       `url:"attendedInstall,int,omitempty"`
	ActivateWindows      bool       `url:"activate_windows,int,omitempty"`
	OwnOS                bool       `url:"own_os,int,omitempty"`
	CustomDomain         string     `url:"custom_domain,omitempty"`
	JenkinsTask          string     `url:"jenkins_task,omitempty"`
	JenkinsTests         int        `url:"jenkins_tests,omitempty"`
	DeployTicket         string     `url:"deploy_ticket,omitempty"`
	DeployData           string     `url:"deploy_data,omitempty"`
	DeployOptions        string     `url:"deploy_options,omitempty"`
	DeployPeriod         string     `url:"deploy_period,omitempty"`
	DeployPrice          *Money     `url:"deploy_price,omitempty"`
	DeployNotify         bool       `url:"deploy_notify,int,omitempty"`
	DeployComment        string     `url:"deploy_comment,omitempty"`
	ImitateDeploy        bool       `url:"imitate_deploy,int,omitempty"`
	ImitateError         bool       `url:"imitate_error,int,omitempty"`
	TrafficPlan          int        `url:"traffic_plan,omitempty"`
	LocationName         string     `url:"location_name,omitempty"`
	InvoiceRelID         int        `url:"invoice_relid,omitempty"`
	Option               string     `url:"option,omitempty"`
	Value                string     `url:"value,omitempty"`
	Params               FormMap    `url:"params,omitempty"`
	Config               string     `url:"config,omitempty"`
	ServerName           string     `url:"server_name,omitempty"`
	LogLine              string     `url:"log_line,omitempty"`
	KVM                  string     `url:"kvm,omitempty"`
	WhiteIP              string     `url:"white_ip,omitempty"`
	Name                 string     `url:"name,omitempty"`
	Description          string     `url:"description,omitempty"`
	Size                 string     `url:"size,omitempty"`
	Groups               []string   `url:"groups,brackets,omitempty"`
	Rack                 string     `url:"rack,omitempty"`
	RackPosition         int        `url:"rack_position,omitempty"`
	IP                   string     `url:"ip,omitempty"`
	Promocode            string     `url:"promocode,omitempty"`
	Full                 bool       `url:"full,int,omitempty"`
	VLAN                 string     `url:"vlan,omitempty"`
	Key                  string     `url:"key,omitempty"`
	NewID                int        `url:"new_id,omitempty"`
	NewInterfaceID       int        `url:"new_interface_id,omitempty"`
	DontMoveIP           bool       `url:"dont_move_ip,int,omitempty"`
	MapInterface         int        `url:"map_interface,omitempty"`
	FreeIPs              int        `url:"free_ips,omitempty"`
	CreateKayakoTicket   bool       `url:"create_kayako_ticket,int,omitempty"`
	KayakoTicketText     string     `url:"kayako_ticket_text,omitempty"`
	Ticket               string     `url:"ticket,omitempty"`
	Limit                int        `url:"limit,omitempty"`
	TagsReplaceConfirmed bool       `url:"tags_replace_confirmed,int,omitempty"`
	IPv4Amount           int        `url:"ipv4_amount,omitempty"`
	CurrencyCode         string     `url:"currency_code,omitempty"`
}

func (o *InstallOptions) validate() error {
	if err := o.DiskMirror.validate(); err != nil {
		return err
	}
	if err := validRootSize(o.RootSize); err != nil {
		return err
	}
	return eqNonNegative("manual_choice_dsk", o.ManualChoiceDsk, "jenkins_tests", o.JenkinsTests, "traffic_plan", o.TrafficPlan,
		"invoice_relid", o.InvoiceRelID, "rack_position", o.RackPosition, "new_id", o.NewID,
		"new_interface_id", o.NewInterfaceID, "map_interface", o.MapInterface, "free_ips", o.FreeIPs,
		"limit", o.Limit, "ipv4_amount", o.IPv4Amount)
}

// ReinstallRequest reinstalls a server (eq.php reinstall). The references
// disagree on what it does:
//   - with only ID (older reference), it creates the master reinstall key:
//     pass ReinstallResult.Key to CreatePXE, then BootDev(pxe) and Reboot;
//     the install stages are reported on the key;
//   - with an OS (OSID or OSName, newer reference), it runs the whole
//     reinstall through the order path; RootPass is then required.
//
// Printing the request never shows RootPass.
type ReinstallRequest struct {
	ID     int    `url:"id" check:"id=server"`
	OSID   int    `url:"os_id,omitempty" check:"id=OS,optional"`
	OSName string `url:"os_name,omitempty"`
	// RootPass: 8 to 30 letters, digits and % - _ +, with an upper-case and
	// a lower-case letter, a digit and one of % - _ +, not starting with
	// % - _ +.
	RootPass            string `url:"root_pass,omitempty"`
	Hostname            string `url:"hostname,omitempty"`
	SSHKey              string `url:"ssh_key,omitempty"`
	PostInstallScript   string `url:"post_install_script,omitempty"`
	PostInstallCallback string `url:"post_install_callback,omitempty"`
	CloudInitScript     string `url:"cloud_init_script,omitempty"`
	ReinstallKey        string `url:"reinstall_key,omitempty"`
	Email               string `url:"email,omitempty"`
	Type                string `url:"type,omitempty"`
	OSTemplate          string `url:"os_template,omitempty"`
	SoftID              int    `url:"soft_id,omitempty" check:"id=software,optional"`
	InstallOptions
}

// Validate checks the request before it is sent; errors never show RootPass.
func (r *ReinstallRequest) Validate() error { return validateRequest(r) }

func (r *ReinstallRequest) check() error {
	full := r.OSID > 0 || r.OSName != ""
	if full && r.RootPass == "" {
		return invalid("root_pass", "is required to reinstall with an OS")
	}
	if r.RootPass != "" {
		if err := validateRootPass("root_pass", r.RootPass); err != nil {
			return err
		}
	}
	return r.InstallOptions.validate()
}

// Format implements fmt.Formatter so that no verb prints RootPass.
func (r ReinstallRequest) Format(f fmt.State, verb rune) { formatMasked(f, verb, r) }

// MarshalJSON writes the request with RootPass and the keys masked.
func (r ReinstallRequest) MarshalJSON() ([]byte, error) { return marshalMasked(r) }

// LogValue logs the request with RootPass and the keys masked.
func (r ReinstallRequest) LogValue() slog.Value { return logMasked(r) }

// Reinstall creates the master reinstall key, or runs a whole reinstall
// when an OS is given (eq.php reinstall); see ReinstallRequest. The key
// (ReinstallResult.Key) reports the install stages: wait on
// ReinstallResult.Operation.
func (s *EqService) Reinstall(ctx context.Context, req *ReinstallRequest) (*ReinstallResult, error) {
	return getWith(ctx, s.client, &eqReinstall, req, func(r reply) (*ReinstallResult, error) {
		out := new(ReinstallResult)
		if err := r.decode(out); err != nil {
			return nil, err
		}
		out.Key = r.callback()
		if raw := r.field("key"); out.Key == "" && raw != nil {
			// the older reference names it the master key: accept "key" too
			var ok bool
			if out.Key, ok = r.keyIn(raw); !ok {
				return nil, r.bad("unreadable reinstall key", nil)
			}
		}
		out.Operation = r.operation(out.Key)
		out.ID = firstNonZero(out.ID, req.ID)
		return out, nil
	})
}

// AbortReinstallRequest stops a reinstall. Published by name only: ID is sent
// as "id", Extra as given.
type AbortReinstallRequest = ServerRequest

// AbortReinstall stops the server's reinstall, removes its reinstall tags
// (reinstall_start, autodeploy_start, autodeploy_timeout) and restores its VLAN
// settings (eq.php abort_reinstall). Published by name only (see
// [AbortReinstallRequest]).
func (s *EqService) AbortReinstall(ctx context.Context, req *AbortReinstallRequest) (*Operation, error) {
	return start(ctx, s.client, &eqAbortReinstall, req)
}

// CreatePXERequest writes the PXE config of an OS install
// (eq.php create_pxe). ID, an OS (OSID, or OSName) and RootPass are required.
// Hostname is required by the older reference; the newer says it defaults
// to the server id. Printing the request never shows RootPass.
type CreatePXERequest struct {
	ID     int    `url:"id" check:"id=server"`
	OSID   int    `url:"os_id,omitempty"`   // from os/list
	OSName string `url:"os_name,omitempty"` // when OSID is not given
	// RootPass: 8 to 30 letters, digits and % - _ +, with an upper-case and
	// a lower-case letter, a digit and one of % - _ +, not starting with
	// % - _ +.
	RootPass            string `url:"root_pass"`
	Hostname            string `url:"hostname,omitempty"`
	SSHKey              string `url:"ssh_key,omitempty"`
	PostInstallScript   string `url:"post_install_script,omitempty"`
	PostInstallCallback string `url:"post_install_callback,omitempty"`
	CloudInitScript     string `url:"cloud_init_script,omitempty"`
	// ReinstallKey is the master key from Reinstall: the install stages are
	// then reported on it.
	ReinstallKey string `url:"reinstall_key,omitempty"`
	Email        string `url:"email,omitempty"`
	InstallOptions
}

// Validate checks the request before it is sent; errors never show RootPass.
func (r *CreatePXERequest) Validate() error { return validateRequest(r) }

func (r *CreatePXERequest) check() error {
	if r.OSID < 0 || (r.OSID == 0 && strings.TrimSpace(r.OSName) == "") {
		return invalid("os_id", "is required: an OS id from os/list (or os_name), got %d", r.OSID)
	}
	if err := validateRootPass("root_pass", r.RootPass); err != nil {
		return err
	}
	return r.InstallOptions.validate()
}

// Format implements fmt.Formatter so that no verb prints RootPass.
func (r CreatePXERequest) Format(f fmt.State, verb rune) { formatMasked(f, verb, r) }

// MarshalJSON writes the request with RootPass and the keys masked.
func (r CreatePXERequest) MarshalJSON() ([]byte, error) { return marshalMasked(r) }

// LogValue logs the request with RootPass and the keys masked.
func (r CreatePXERequest) LogValue() slog.Value { return logMasked(r) }

// CreatePXE writes the PXE config that installs an OS at the server's next
// network boot (eq.php create_pxe, needs the PIN). The returned Operation
// reports the config's creation; the install itself reports on
// ReinstallKey.
func (s *EqService) CreatePXE(ctx context.Context, req *CreatePXERequest) (*Operation, error) {
	return start(ctx, s.client, &eqCreatePXE, req)
}

// ClearPXERequest removes a server's PXE config. Hostname is required by
// the older reference, optional in the newer ("used for validation").
type ClearPXERequest struct {
	ID       int    `url:"id" check:"id=server"`
	Hostname string `url:"hostname,omitempty"`
}

// Validate checks the request before it is sent.
func (r *ClearPXERequest) Validate() error { return validateRequest(r) }

// ClearPXE removes the server's PXE config, so that no later network boot
// reinstalls it (eq.php clear_pxe).
func (s *EqService) ClearPXE(ctx context.Context, req *ClearPXERequest) (*Operation, error) {
	return start(ctx, s.client, &eqClearPXE, req)
}

// BootDevRequest sets the device a server boots from.
type BootDevRequest struct {
	ID       int       `url:"id" check:"id=server"`
	Media    BootMedia `url:"media"`               // BootPXE, BootDisk or BootCD; required
	BootMode BootMode  `url:"boot_mode,omitempty"` // BootModeUEFI, BootModeLegacy or BootModeAuto
}

// Validate checks the request before it is sent.
func (r *BootDevRequest) Validate() error { return validateRequest(r) }

func (r *BootDevRequest) check() error {
	switch r.Media {
	case BootPXE, BootDisk, BootCD:
	default:
		return invalid("media", "must be pxe, disk or cd, got %q", string(r.Media))
	}
	switch r.BootMode {
	case "", BootModeUEFI, BootModeLegacy, BootModeAuto:
	default:
		return invalid("boot_mode", "must be uefi, legacy or auto, got %q", string(r.BootMode))
	}
	return nil
}

// BootDev sets the server's boot device: pxe before an install, disk
// after it, cd for virtual media (eq.php boot_dev, needs the PIN). It takes
// effect at the next boot (Reboot).
func (s *EqService) BootDev(ctx context.Context, req *BootDevRequest) (*Operation, error) {
	return start(ctx, s.client, &eqBootDev, req)
}
