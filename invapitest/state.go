package invapitest

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Defaults of the account every NewServer starts with.
const (
	// DefaultAPIKey is the account-wide API key of the default account.
	DefaultAPIKey = "invapitest-api-key-0123456789abcdef"
	// DefaultPIN is the PIN of the default account.
	DefaultPIN = "1234"
	// DefaultUser is the billing login (whmcslogin user) of the default account.
	DefaultUser = "user@example.com"
	// DefaultPassword is the billing password of the default account.
	DefaultPassword = "Secret-Passw0rd"
	// DefaultCustomerID is the billing customer id of the default account.
	DefaultCustomerID = 1001
	// DefaultBalance is the starting credit balance of the default account.
	DefaultBalance = "500.00"
	// DefaultServerAPIKey is a per-server API key of the default account,
	// restricted to server 12345.
	DefaultServerAPIKey = "invapitest-server-key-12345"
)

// Account is a customer of the simulated API.
type Account struct {
	CustomerID int    // billing customer id (DefaultCustomerID when zero)
	APIKey     string // account-wide API key for auth login; "" for none
	User       string // billing login for auth whmcslogin
	Password   string // billing password
	PIN        string // 4–6 digits; "" when the account has no PIN
	TwoFactor  bool   // whmcslogin demands a 2FA code (auth 2fa_check)
	// TwoFactorCode is the code 2fa_check accepts; when empty a random six
	// digit code is issued at every login (see Server.TwoFactorCode).
	TwoFactorCode string
	Balance       string // credit as a decimal string, e.g. "500.00"
	Currency      string // "EUR" (default), "USD" or "RUB"
	Email         string
	FirstName     string
	LastName      string
}

// Tag is a tag on a server (tags.php).
type Tag struct {
	Name  string
	Value string
	Extra string
}

// Equipment is a server of the simulated API as eq.php reports it.
type Equipment struct {
	ID         int    // assigned by AddServer when zero
	CustomerID int    // owner; DefaultCustomerID when zero
	Name       string // e.g. "server-01"
	Status     string // "rent" (active) or "power_off" (suspended)
	Power      string // "on" or "off"
	Location   string // "NL", "US" or "RU"
	Type       string // "Server" (bare metal) or "VPS"
	IPs        []string
	MainIP     string            // one of IPs; the first when empty
	PTR        map[string]string // ip → PTR records separated by "\n"
	MAC        string
	Tags       []Tag // the "hostname" tag holds the hostname
	OSID       int
	OSName     string
	Preset     string // preset name, e.g. "bm.v1-big"
	CPU        int    // cores
	RAM        int    // GB
	Disk       int    // GB
	Groups     []string
	// APIKey is a per-server API key: auth login with it yields a session
	// restricted to this server. "" for none.
	APIKey    string
	BootMedia string // "disk", "pxe" or "cd"
	PXE       bool   // a PXE install config exists (create_pxe; clear_pxe)
	// DeployStatus is "" when idle, "install" or "reinstall" while an
	// installation runs.
	DeployStatus string
	ISO          string // mounted ISO image name
}

// Hostname returns the value of the server's "hostname" tag, or "".
func (e Equipment) Hostname() string {
	for _, t := range e.Tags {
		if t.Name == "hostname" {
			return t.Value
		}
	}
	return ""
}

// Preset is an orderable instance configuration (presets.php).
type Preset struct {
	ID        int
	Name      string // the code order_instance takes as preset, e.g. "bm.v1-big"
	Type      string // "bm", "vm", "gpu" or "vgpu"
	Group     string // e.g. "Instances"
	CPU       string // e.g. "AMD Ryzen 9 5950X"
	Cores     int
	RAM       int // GB
	Disk      int // GB
	Locations []string
	// Prices maps location → currency → monthly price, e.g.
	// {"NL": {"EUR": "120.00", "USD": "130.00"}}.
	Prices map[string]map[string]string
}

// OS is an installable operating system (os.php).
type OS struct {
	ID     int
	Name   string   // e.g. "Ubuntu 22.04"
	Family string   // "linux" or "windows"
	Tags   []string // "bm", "vm", "gpu", "vgpu": where it can run
	MinRAM int      // GB
	MinHDD int      // GB
	// PricePerCoreEUR is the SPLA license price per core ("" when free).
	PricePerCoreEUR string
}

// TrafficPlan is a traffic plan for ordering (traffic_plans.php).
type TrafficPlan struct {
	ID        int
	Name      string // e.g. "1 Gbps, 50 TB"
	Speed     string
	Traffic   int               // TB per month; 0 unmetered
	Prices    map[string]string // currency → monthly price
	Locations []string
}

// Invoice is a billing invoice (whmcs.php).
type Invoice struct {
	ID          int
	CustomerID  int
	Date        time.Time
	DueDate     time.Time
	Total       string // decimal
	Status      string // "Paid", "Unpaid" or "Cancelled"
	Description string
	ServerID    int    // server the invoice is for; 0 for add-funds
	Kind        string // "order", "addfunds", "renewal", "traffic"
}

// Ticket is a remote-hands request (jira.php, rhr.php).
type Ticket struct {
	ID         string // e.g. "RHR-1001"
	CustomerID int
	Type       string // "request_pon", "request_reboot", ...
	ServerID   int
	Status     string // "Open", "Canceled" or "Closed"
	Subject    string
	Messages   []string
	Created    time.Time
}

// session is an auth token.
type session struct {
	token      string
	customerID int
	role       string
	servers    []int // the servers the token may manage
	serverKey  bool  // issued for a per-server API key
	expires    time.Time
	ttl        int
	boundIP    string
	pending2FA bool
	code2FA    string
}

// apiKey is an api_keys.php record.
type apiKey struct {
	ID         int
	CustomerID int
	Name       string
	ServerID   int // 0: account-wide
	Hash       string
	IP         string
	Active     bool
	Notify     string
	NotifyTo   string
	Created    time.Time
	Expires    string
	secret     string
}

// state is everything the simulator knows; guarded by Server.mu.
type state struct {
	offset   time.Duration
	accounts map[int]*Account
	servers  map[int]*Equipment
	sessions map[string]*session
	ops      map[string]*operation

	presets  []Preset
	oses     []OS
	plans    []TrafficPlan
	invoices map[int]*Invoice
	tickets  []*Ticket
	apiKeys  map[int]*apiKey

	deployKeys map[int]map[string]string // customer → invoice id → callback key of the deployment
	pinFails   map[int]int
	authLog    []obj
	keyHistory []obj
	userTags   map[int]map[string]string
	extra      map[string]any // per-module stores of the name-only actions

	nextServer, nextInvoice, nextTicket, nextKey, nextID int

	faults   []*Fault
	requests []Request
	counts   map[string]int

	opDelay            time.Duration
	pace               [2]time.Duration // PaceHeader: first and longest pause between checks
	notReadyChecks     int
	pinPenalty         time.Duration
	quirks             Quirks
	unauthorizedStatus int
	debug2FA           bool
	tokenTTL           int
	last2FA            string
	pendingServers     []Equipment
}

func newState() *state {
	st := &state{
		accounts:       map[int]*Account{},
		servers:        map[int]*Equipment{},
		sessions:       map[string]*session{},
		ops:            map[string]*operation{},
		invoices:       map[int]*Invoice{},
		apiKeys:        map[int]*apiKey{},
		deployKeys:     map[int]map[string]string{},
		pinFails:       map[int]int{},
		userTags:       map[int]map[string]string{},
		extra:          map[string]any{},
		counts:         map[string]int{},
		nextServer:     20000,
		nextInvoice:    50001,
		nextTicket:     1001,
		nextKey:        1,
		nextID:         1,
		notReadyChecks: 2,
		pace:           [2]time.Duration{DefaultPollInterval, DefaultPollMaxInterval},
		pinPenalty:     5 * time.Millisecond,
		tokenTTL:       7200,
		presets:        defaultPresets(),
		oses:           defaultOSes(),
		plans:          defaultTrafficPlans(),
	}
	st.addAccount(Account{
		CustomerID: DefaultCustomerID, APIKey: DefaultAPIKey, User: DefaultUser, Password: DefaultPassword,
		PIN: DefaultPIN, Balance: DefaultBalance, Currency: "EUR", Email: DefaultUser,
		FirstName: "Test", LastName: "User",
	})
	st.pendingServers = defaultServers()
	return st
}

// finish adds the servers given by options (or the defaults) once all
// options have run.
func (st *state) finish() {
	for _, e := range st.pendingServers {
		st.addServer(e)
	}
	st.pendingServers = nil
}

func (st *state) now() time.Time { return time.Now().Add(st.offset) }

func (st *state) id() int { st.nextID++; return st.nextID }

func (st *state) addAccount(a Account) {
	if a.CustomerID == 0 {
		a.CustomerID = DefaultCustomerID
	}
	a.Currency = firstOr(a.Currency, "EUR")
	a.Balance = firstOr(a.Balance, "0.00")
	if c, err := parseMoney(a.Balance); err == nil {
		a.Balance = formatMoney(c)
	}
	st.accounts[a.CustomerID] = &a
	for id, k := range st.apiKeys {
		if k.CustomerID == a.CustomerID && k.ServerID == 0 && k.Name == "default" {
			delete(st.apiKeys, id)
		}
	}
	if a.APIKey != "" {
		st.addAPIKeyRecord(a.CustomerID, "default", 0, a.APIKey)
	}
}

func (st *state) addServer(e Equipment) int {
	if e.ID == 0 {
		for st.servers[st.nextServer] != nil {
			st.nextServer++
		}
		e.ID = st.nextServer
		st.nextServer++
	}
	if e.CustomerID == 0 {
		e.CustomerID = DefaultCustomerID
	}
	e.Status = firstOr(e.Status, "rent")
	e.Power = firstOr(e.Power, "on")
	e.Location = firstOr(e.Location, "NL")
	e.Type = firstOr(e.Type, "Server")
	e.Name = firstOr(e.Name, fmt.Sprintf("server-%d", e.ID))
	e.BootMedia = firstOr(e.BootMedia, "disk")
	if len(e.IPs) == 0 {
		e.IPs = []string{fmt.Sprintf("185.%d.%d.%d", 100+e.ID%50, (e.ID/256)%256, e.ID%250+2)}
	}
	e.MainIP = firstOr(e.MainIP, e.IPs[0])
	e.MAC = firstOr(e.MAC, fmt.Sprintf("0c:c4:7a:%02x:%02x:%02x", (e.ID>>16)&0xff, (e.ID>>8)&0xff, e.ID&0xff))
	if e.PTR == nil {
		e.PTR = map[string]string{}
	}
	if e.OSID != 0 && e.OSName == "" {
		if o := st.osByID(e.OSID); o != nil {
			e.OSName = o.Name
		}
	}
	if _, ok := st.accounts[e.CustomerID]; !ok {
		st.addAccount(Account{CustomerID: e.CustomerID})
	}
	cp := e.clone()
	st.servers[e.ID] = &cp
	if e.APIKey != "" {
		st.addAPIKeyRecord(e.CustomerID, "server "+strconv.Itoa(e.ID), e.ID, e.APIKey)
	}
	return e.ID
}

func (e Equipment) clone() Equipment {
	e.IPs = append([]string(nil), e.IPs...)
	e.Tags = append([]Tag(nil), e.Tags...)
	e.Groups = append([]string(nil), e.Groups...)
	ptr := make(map[string]string, len(e.PTR))
	for k, v := range e.PTR {
		ptr[k] = v
	}
	e.PTR = ptr
	return e
}

func (st *state) addAPIKeyRecord(customer int, name string, serverID int, secret string) *apiKey {
	k := &apiKey{ID: st.nextKey, CustomerID: customer, Name: name, ServerID: serverID,
		Hash: hashKey(secret), Active: true, Notify: "none", Created: st.now(), secret: secret}
	st.nextKey++
	st.apiKeys[k.ID] = k
	return k
}

// accountServers returns the ids of a customer's servers, sorted.
func (st *state) accountServers(customer int) []int {
	var ids []int
	for id, e := range st.servers {
		if e.CustomerID == customer {
			ids = append(ids, id)
		}
	}
	sort.Ints(ids)
	return ids
}

func (st *state) osByID(id int) *OS {
	return find(st.oses, func(o *OS) bool { return o.ID == id })
}

func (st *state) presetByName(name string) *Preset {
	return find(st.presets, func(p *Preset) bool { return strings.EqualFold(p.Name, name) || strconv.Itoa(p.ID) == name })
}

func (st *state) planByID(id int) *TrafficPlan {
	return find(st.plans, func(p *TrafficPlan) bool { return p.ID == id })
}

// find is the first item of list that match accepts, or nil.
func find[T any](list []T, match func(*T) bool) *T {
	for i := range list {
		if match(&list[i]) {
			return &list[i]
		}
	}
	return nil
}

// parseMoney parses a decimal string into cents.
func parseMoney(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("empty amount")
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 2 {
		return 0, fmt.Errorf("too many decimals")
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, err
	}
	f, err := strconv.ParseInt(frac, 10, 64)
	if err != nil {
		return 0, err
	}
	c := w*100 + f
	if neg {
		c = -c
	}
	return c, nil
}

// formatMoney formats cents as a decimal string with two decimals.
func formatMoney(c int64) string {
	sign := ""
	if c < 0 {
		sign, c = "-", -c
	}
	return fmt.Sprintf("%s%d.%02d", sign, c/100, c%100)
}

func hashKey(s string) string {
	var h uint64 = 14695981039346656037
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return fmt.Sprintf("%016x", h)
}
