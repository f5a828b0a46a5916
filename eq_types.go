package invapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/invapi-go/invapi/internal/loose"
)

// Result types of eq.php (eq.go holds the service, requests and methods).

// ServerSummary is one server as eq.php list, search and
// unified_server_search answer it, and the server_data part of eq.php show.
// The API's older reference says list answers bare ids: such rows decode
// with only ID set.
//
// Without ServerListRequest.Full, eq.php list sends only ID, Name, Status,
// Location, IP and Type: the fields marked "full" below are then not sent,
// so their zero value means unknown, not empty (a server without tags, or
// powered off). Full tells which case a row is.
type ServerSummary struct {
	ID       int    `json:"id"`       // always
	Name     string `json:"name"`     // always
	Status   string `json:"status"`   // always: "rent" (active), "power_off" (suspended), ...
	Location string `json:"location"` // always: region code "NL", "RU", "US"...
	IP       string `json:"ip"`       // always: the main address (also MainIP)
	Type     string `json:"type"`     // always: "Server", "VPS"...

	// HostnameField is the "hostname" field as sent (full); it is often
	// empty: use Hostname, which also looks in the tags.
	HostnameField string   `json:"hostname"`
	Power         string   `json:"power"`  // full: "on", "off"
	MAC           string   `json:"mac"`    // full
	OS            string   `json:"os"`     // full
	Preset        string   `json:"preset"` // full
	IPs           []string `json:"ips"`    // full
	Tags          []Tag    `json:"tags"`   // full
	// ConditionComponent is show's server_data.Condition_Component: "rent",
	// "power_off", "presale" or "TT" (HOSTKEY's WHMCS module reads the
	// server's state there). Show copies it to Status when status is absent.
	ConditionComponent string `json:"Condition_Component"`

	// Full is true when the row carried the full data (eq.php list or
	// search with Full, show's server_data): only then do empty Power,
	// Tags, MAC, OS, Preset, IPs and HostnameField mean empty rather than
	// not sent. Any one of those fields sent, whatever its value, sets it.
	Full bool `json:"-" loose:"any=power,hostname,mac,os,preset,ips,tags"`
}

// Hostname returns the server's hostname: the "hostname" field when the API
// sent one, else the value of its "hostname" tag (where InvAPI usually keeps
// it), else its name. Without Full neither field nor tags are sent, so it
// is the name.
func (s *ServerSummary) Hostname() string {
	return firstNonEmpty(s.HostnameField, eqTagValue(s.Tags, "hostname"), s.Name)
}

// MainIP returns the server's main address (the "ip" field). Server.MainIP
// also looks in show's address list.
func (s *ServerSummary) MainIP() string { return s.IP }

// Server is everything eq.php show knows about a server. The server_data
// part is embedded: s.ID, s.Name, s.Status... Top-level fields of the
// answer with the same name as a server_data field (Tags, Preset, OS) are
// the outer ones; s.ServerSummary.Tags reads server_data's.
type Server struct {
	ServerSummary `json:"server_data"`

	Hardware   Hardware          `json:"hardware"`
	Groups     []ServerGroup     `json:"groups"`
	Licenses   []ServerLicense   `json:"licenses"`
	Placement  ServerPlacement   `json:"location"` // data center and rack
	OS         ServerOS          `json:"OS"`
	Addresses  []ServerIP        `json:"IP"`
	Interfaces []ServerInterface `json:"interfaces"`
	IPMI       ServerIPMI        `json:"IPMI"`
	Tags       []Tag             `json:"tags"`
	Preset     string            `json:"preset"`
	// Reinstall is the state of a reinstall under way ("" when none). An
	// object is kept as its JSON text.
	Reinstall string `json:"reinstall"`
	// Commitment is the billing commitment ("" when none); an object is kept
	// as its JSON text.
	Commitment string `json:"commitment"`
	RawJSON
}

// Hostname returns the server's hostname: server_data's "hostname" field
// when sent, else the "hostname" tag (InvAPI often keeps the hostname only
// there), else the server's name.
func (s *Server) Hostname() string {
	return firstNonEmpty(s.HostnameField, eqTagValue(s.Tags, "hostname"),
		eqTagValue(s.ServerSummary.Tags, "hostname"), s.Name)
}

// Tag returns the value of the server's tag named name, and whether it has one.
func (s *Server) Tag(name string) (string, bool) {
	for _, list := range [][]Tag{s.Tags, s.ServerSummary.Tags} {
		for _, t := range list {
			if t.Name == name {
				return t.Value, true
			}
		}
	}
	return "", false
}

// MainIP returns the server's main address: the address of the IP list
// flagged main_ip (as HOSTKEY's Terraform provider reads it) or main, else
// server_data's ip, else the first address.
func (s *Server) MainIP() string {
	for _, a := range s.Addresses {
		if a.MainIP || a.Main {
			return a.IP
		}
	}
	if s.IP != "" {
		return s.IP
	}
	if len(s.Addresses) > 0 {
		return s.Addresses[0].IP
	}
	return ""
}

func eqTagValue(tags []Tag, name string) string {
	for _, t := range tags {
		if t.Name == name && t.Value != "" {
			return t.Value
		}
	}
	return ""
}

// Hardware is the server's hardware configuration (show "hardware").
type Hardware struct {
	Components []HardwareComponent `json:"components"`
}

// HardwareComponent is one part: CPU, RAM, disk, NIC...
type HardwareComponent struct {
	Type  string `json:"Type"` // "CPU", "RAM", "HDD"...
	Name  string `json:"Name"`
	Cores int    `json:"Cores"`
	Size  string `json:"Size"`
	// Fields holds every field of the component as text, including those above.
	Fields map[string]string `json:"-" loose:"all"`
}

// ServerGroup is a group the server belongs to ("Mini", "Gpu", "Instances"...).
type ServerGroup struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

// ServerLicense is a license attached to the server (show "licenses"; the
// vendor documents no fields: Fields holds them all as text). A license
// sent as a bare value rather than an object is its Name.
type ServerLicense struct {
	ID     int               `json:"id"`
	Name   string            `json:"name" loose:"bare"`
	Fields map[string]string `json:"-" loose:"all"`
}

// ServerPlacement is where the server stands (show "location").
type ServerPlacement struct {
	DCName   string `json:"dc_name"`
	RackName string `json:"rack_name"`
}

// ServerOS is the installed operating system (show "OS").
type ServerOS struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

// ServerIP is one address of the server (show "IP"): HOSTKEY's Terraform
// provider reads "ip" and "main_ip"; "IP" and "main" are read too.
type ServerIP struct {
	IP     string `json:"ip"`      // also "IP"
	Type   string `json:"type"`    // "public", "private"...
	MainIP bool   `json:"main_ip"` // 1 on the server's main address
	Main   bool   `json:"main"`    // the same flag, as older answers name it
	PTR    string `json:"ptr"`
}

// ServerInterface is a network interface (show "interfaces").
type ServerInterface struct {
	ID   int    `json:"id"`
	Type string `json:"type"` // "eth0"...
	MAC  string `json:"mac"`
	// Fields holds every field of the interface as text (switch, port,
	// speed... when sent), including those above.
	Fields map[string]string `json:"-" loose:"all"`
}

// ServerIPMI is the server's IPMI module (show "IPMI").
type ServerIPMI struct {
	Model      string          `json:"model"`
	Interfaces []IPMIInterface `json:"interfaces"`
}

// IPMIInterface is one address of an IPMI module (show, get_ipmi). IPMI
// addresses are private: reach them through NAT.AddStaticNAT.
type IPMIInterface struct {
	IP    string `json:"IP"`
	MAC   string `json:"MAC"`
	Model string `json:"model"`
}

// ServerStatus is the answer of eq.php status: the newest reference answers
// at once with the state below; the oldest calls it an async power status,
// and when the answer carries a callback key Operation is set (its result's
// Scope and Debug hold the power state, e.g. "Chassis Power is on").
type ServerStatus struct {
	Status   string `json:"status"` // "active"...
	Power    string `json:"power"`  // "on", "off", when sent
	ServerID int    `json:"server_id"`
	Hostname string `json:"hostname"`
	IP       string `json:"ip"`
	OS       string `json:"os"`
	RAM      int    `json:"ram"`  // GB
	CPU      int    `json:"cpu"`  // cores
	Disk     int    `json:"disk"` // GB
	// Operation is the power-status check under way, when the API answered
	// with a callback key; nil otherwise.
	Operation *Operation `json:"-"`
	RawJSON
}

func (s *ServerStatus) setOperation(op *Operation) { s.Operation = op }

// StatusCheck is the answer of eq.php status_check. The vendor documents no
// fields: the ones below are read when present; Raw has the rest.
type StatusCheck struct {
	ID           int        `json:"id"`
	Status       string     `json:"status"`
	Power        string     `json:"power"`
	DeployStatus string     `json:"deploy_status"`
	Operation    *Operation `json:"-"` // set when the answer carried a callback key
	RawJSON
}

func (s *StatusCheck) setOperation(op *Operation) { s.Operation = op }

// UpdateServersResult is the answer of eq.php update_servers: the session's
// refreshed server list, the billing services, and the deploy keys that
// link orders to servers.
type UpdateServersResult struct {
	Servers        []int           `json:"servers"`
	BillingServers []BillingServer `json:"billing_servers"`
	// DeployKeys maps an order's invoice id to the callback key that follows
	// its deployment (tf pending.go): check it on eq_callback.php, and its OK
	// names the new server in context.id. The API answers [] when no order
	// is pending. Use DeployKey to look one up.
	DeployKeys map[string]string `json:"-"`
	RawJSON
}

// decodeUpdateServersResult reads deploy_keys whatever its values are
// (keys as text; an object value is kept as its JSON text).
func decodeUpdateServersResult(b []byte, r *UpdateServersResult) error {
	type plain UpdateServersResult
	aux := struct {
		*plain
		DeployKeys json.RawMessage `json:"deploy_keys"`
	}{plain: (*plain)(r)}
	if err := loose.Unmarshal(b, &aux); err != nil {
		return err
	}
	if aux.DeployKeys == nil {
		return nil
	}
	text := map[string]string{}
	if err := loose.Unmarshal(aux.DeployKeys, &text); err != nil {
		// values that are not scalars: keep them as JSON text
		var raw map[string]json.RawMessage
		if loose.Unmarshal(aux.DeployKeys, &raw) != nil {
			return err
		}
		for k, v := range raw {
			text[k] = rawText(v)
		}
	}
	r.DeployKeys = make(map[string]string, len(text))
	for k, v := range text {
		if v = strings.TrimSpace(v); v != "" {
			r.DeployKeys[strings.TrimSpace(k)] = v
		}
	}
	return nil
}

// DeployKey returns the callback key that follows the deployment of the
// order with the given invoice id, if deploy_keys lists it yet. Resume it
// with Client.ResumeOperation and wait: the result's Context.ID is the new
// server (EqService.OrderAndWait does all of this).
func (r *UpdateServersResult) DeployKey(invoiceID int) (key string, ok bool) {
	if invoiceID <= 0 {
		return "", false
	}
	key, ok = r.DeployKeys[strconv.Itoa(invoiceID)]
	return key, ok && key != ""
}

// BillingServer is a server's billing service (update_servers billing_servers).
type BillingServer struct {
	ID           int       `json:"id"`
	Config       string    `json:"config"` // the configuration, as JSON text
	Status       string    `json:"status"` // "Active", "Pending payment"...
	RegDate      time.Time `json:"regdate"`
	Name         string    `json:"name"`
	Recurring    Money     `json:"recurring"` // recurring amount
	NextDueDate  time.Time `json:"nextduedate"`
	BillingCycle string    `json:"billingcycle"` // "Monthly"...
}

// OrderResult is the answer of eq.php order_instance and deploy.
//
// A new order may answer with an invoice and no server id: the server is
// then the Context.ID of the finished Operation, or of the callback key
// EqService.UpdateServers lists for the invoice (DeployKey).
type OrderResult struct {
	// Operation follows the deployment; nil when the answer carried no
	// callback key.
	Operation    *Operation `json:"-"`
	Invoice      int        `json:"-"`             // invoice id ("invoice", "invoice_id" or "invoiceid")
	ID           int        `json:"id"`            // server id, when known
	DeployStatus string     `json:"deploy_status"` // "install", "reinstall"
	OSName       string     `json:"os_name"`
	SoftName     string     `json:"soft_name"`
	// Status is the order's payment state, "Unpaid" or "Paid", when sent:
	// an unpaid invoice holds the deploy back until it is paid (HOSTKEY's
	// Terraform provider waits on whmcs get_invoices then).
	Status string `json:"status"`
	RawJSON
}

func (o *OrderResult) setOperation(op *Operation) { o.Operation = op }

// Order payment states (OrderResult.Status).
const (
	OrderUnpaid = "Unpaid"
	OrderPaid   = "Paid"
)

// Unpaid reports whether the order waits for its invoice to be paid.
func (o *OrderResult) Unpaid() bool { return strings.EqualFold(o.Status, OrderUnpaid) }

// decodeOrderResult reads the invoice under any of its names: the first
// positive id, a mangled one an error (not the same as none after an order).
func decodeOrderResult(b []byte, o *OrderResult) error {
	type plain OrderResult
	aux := struct {
		*plain
		Invoice   json.RawMessage `json:"invoice"`
		InvoiceID json.RawMessage `json:"invoice_id"`
		Invoiceid json.RawMessage `json:"invoiceid"`
	}{plain: (*plain)(o)}
	if err := loose.Unmarshal(b, &aux); err != nil {
		return err
	}
	n, err := firstID(aux.Invoice, aux.InvoiceID, aux.Invoiceid)
	o.Invoice = n
	return err
}

// ReinstallResult is the answer of eq.php reinstall.
//
// With only a server id (the older reference), the answer's callback key is
// the master reinstall key: pass it to CreatePXE as ReinstallKey, and the
// five install stages are reported on it (Operation). With an OS (the newer
// reference), the reinstall runs through order_instance and Operation
// follows it.
type ReinstallResult struct {
	Key          string     `json:"-"` // the callback / master reinstall key
	Operation    *Operation `json:"-"` // follows Key; nil when no key came back
	ID           int        `json:"id"`
	DeployStatus string     `json:"deploy_status"` // "reinstall"
	OSName       string     `json:"os_name"`
	SoftName     string     `json:"soft_name"`
	RawJSON
}

// IPMIUser is an IPMI login made by add_ipmi_user or add_ipmi_admin.
//
// Its Password never appears when the value is printed with fmt (any verb),
// logged with slog or turned into an error: read the field itself.
type IPMIUser struct {
	User     string `json:"user"`
	Password string `json:"password" secret:"answer"`
	Role     string `json:"role"` // "administrator" for add_ipmi_admin, when sent
	IP       string `json:"ip"`   // IPMI address, when sent
	// Operation is set when the API answered with a callback key (the older
	// reference calls add_ipmi_user async): the credentials may then come
	// in the finished operation's Scope or Context rather than here.
	Operation *Operation `json:"-"`
}

func (u *IPMIUser) setOperation(op *Operation) { u.Operation = op }

// String describes the login without its password.
func (u IPMIUser) String() string { return fmt.Sprintf("%+v", u) }

// GoString is the %#v form, without the password.
func (u IPMIUser) GoString() string { return fmt.Sprintf("%#v", u) }

// Format implements fmt.Formatter so that no verb prints the password.
func (u IPMIUser) Format(f fmt.State, verb rune) {
	type plain IPMIUser
	p := plain(u)
	p.Password = eqMask(p.Password)
	eqFormat(f, verb, "IPMIUser", p)
}

// LogValue keeps the password out of slog output.
func (u IPMIUser) LogValue() slog.Value {
	return slog.GroupValue(slog.String("user", u.User), slog.String("password", eqMask(u.Password)),
		slog.String("role", u.Role), slog.String("ip", u.IP))
}

// HistoryEvent is one entry of a server's history (eq.php history). The
// vendor documents no fields: Fields holds them all as text. An entry sent
// as a bare string is its Event.
type HistoryEvent struct {
	Date   string            `json:"date"`
	Event  string            `json:"event" loose:"bare"`
	User   string            `json:"user"`
	Fields map[string]string `json:"-" loose:"all"`
}

// Backup is one backup of a server (eq.php backup_list). The vendor
// documents no fields: the ones below are read when present, Fields holds
// them all as text. A backup sent as a bare string is its Name.
type Backup struct {
	ID     string            `json:"id"`
	Name   string            `json:"name" loose:"bare"`
	Date   string            `json:"date"`
	Size   string            `json:"size"`
	Status string            `json:"status"`
	Fields map[string]string `json:"-" loose:"all"`
}

// BackupSchedule is a server's automatic backup schedule (eq.php
// backup_get_schedule). The vendor documents no fields: Fields holds every
// field of the schedule ("schedule" object, else the top level) as text.
type BackupSchedule struct {
	Fields map[string]string `json:"fields"`
	RawJSON
}

// BackupLock says whether backup operations are locked (eq.php check_backup_lock).
type BackupLock struct {
	// Locked is read from "locked", "lock" or "result" when it is a boolean
	// or 0/1; Raw has the answer.
	Locked bool `json:"locked"`
	RawJSON
}

// BackupLink is a temporary download link to a backup (eq.php request_backup_link).
type BackupLink struct {
	URL string `json:"-"` // "url" or "link"
	// Expires is the link's expiry as sent (a date or a Unix time), when sent.
	Expires string `json:"expires"`
	// Operation is set when the API answered with a callback key: the link
	// then comes in the finished operation's Scope.
	Operation *Operation `json:"-"`
	RawJSON
}

// ServerTraffic is a server's IPv4 traffic usage (eq.php get_traffic). The
// vendor documents no fields: Fields holds the usage ("traffic" object,
// else the top level) as text; Raw has the answer.
type ServerTraffic struct {
	Fields map[string]string `json:"fields"`
	RawJSON
}

// TrafficAddResult is the answer of eq.php traffic_add.
type TrafficAddResult struct {
	Invoice   int        `json:"-"` // invoice id generated in WHMCS, when sent
	Operation *Operation `json:"-"` // set when the answer carried a callback key
	RawJSON
}

// UpgradeKey is the answer of eq.php get_upgrade_key.
type UpgradeKey struct {
	Key       string `json:"key"`
	InvoiceID int    `json:"invoice_id"`
	RawJSON
}

// eqTextFields returns every field of a JSON object as text (nil if b is
// not an object).
func eqTextFields(b []byte) map[string]string {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		return nil
	}
	out := map[string]string{}
	_ = loose.Fields(b, func(key string, raw []byte) bool {
		out[key] = rawText(raw)
		return true
	})
	return out
}

// eqMask hides a secret: "[REDACTED]" when set, "" when empty.
func eqMask(s string) string {
	if s == "" {
		return ""
	}
	return "[REDACTED]"
}

// eqFormat prints p (a method-less copy of a value whose secrets are
// masked) with f's verb and flags, naming the type name in %#v.
func eqFormat(f fmt.State, verb rune, name string, p any) {
	s := fmt.Sprintf(fmt.FormatString(f, verb), p)
	if verb == 'v' && f.Flag('#') {
		s = strings.Replace(s, "invapi.plain", "invapi."+name, 1)
	}
	_, _ = f.Write([]byte(s))
}
