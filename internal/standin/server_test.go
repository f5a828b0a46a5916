package standin

// The stand-in InvAPI. Every answer shape below comes from
// /work/shared/api/evidence.md (what HOSTKEY's Terraform providers, WHMCS
// module and MCP server read) or from the vendor's example answers in
// api-docs 001 and 004; the comment on each handler names which. It does not
// share a line with invapitest, on purpose: that simulator was written from
// the SDK's guesses.

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// mode selects how the stand-in answers.
type mode string

const (
	plain  mode = "plain"  // documented shapes, no faults
	quirks mode = "quirks" // loose PHP JSON: quoted ids and money, [] for {}, bare one-row lists, warnings, envelopes
	faults mode = "faults" // plain shapes with transport faults on reads and dropped callback checks
	token  mode = "token"  // plain shapes; the example gets a session token (HOSTKEY_TOKEN), not an API key
)

// wireRequest is one request as it reached the stand-in, secrets masked.
type wireRequest struct {
	Seq            int
	Method         string
	Module, Action string
	Fields         url.Values // form fields (body and query merged); secrets replaced by <token ok> etc.
	BodyFields     []string   // names sent in the body
	QueryFields    []string   // names sent in the URL query
	SecretInURL    []string   // which secret appeared in the URL (path or query)
	SecretInHeader []string   // which secret appeared in a header value
	ContentType    string
	Answer         string // "ok", "error: ...", "fault: 502", ...
}

func (r wireRequest) String() string {
	names := make([]string, 0, len(r.Fields))
	for k := range r.Fields {
		names = append(names, k+"="+strings.Join(r.Fields[k], ","))
	}
	sort.Strings(names)
	return fmt.Sprintf("#%d %s %s/%s [%s] -> %s", r.Seq, r.Method, r.Module, r.Action, strings.Join(names, " "), r.Answer)
}

// server is a machine in the stand-in's inventory.
type server struct {
	ID       int
	Name     string
	Location string
	IPs      []serverIP
	Tags     []tag
	OSName   string
	OSID     int
	Preset   string
	// PXE procedure state (api-docs 001 "Reinstall procedures").
	PXE          bool   // create_pxe done, clear_pxe not yet
	BootMedia    string // last boot_dev media
	RebootedPXE  bool   // rebooted while booting from PXE with a PXE config
	IPMIUsers    []string
	NATOpen      bool
	Reboots      int
	Reinstalled  int
	deployedFrom string // "order" for a server that came from order_instance
}

type serverIP struct {
	IP   string
	Main bool
}

type tag struct {
	ID         int
	Tag, Value string
	Extra      string
}

// op is one async key, answered on eq_callback.php / nat_callback.php check.
type op struct {
	key      string
	nat      bool // a NAT key: nat_callback.php (001), also accepted on eq_callback.php (mcp)
	action   string
	server   int
	notReady int         // "Not ready" answers before progress
	gate     func() bool // "Not ready" while false (the reinstall key waits for the PXE boot)
	stages   []string    // "Stage" answers, in order
	staged   int
	scope    string
	debug    string
	context  map[string]any
	onOK     func()
	checks   int
	burned   bool // the OK was read: the key is deleted (001)
}

// standin is the stand-in InvAPI: an httptest.Server with an account, a
// small inventory and a wire log.
type standin struct {
	*httptest.Server
	mode   mode
	APIKey string
	PIN    string

	mu      sync.Mutex
	log     []wireRequest
	tokens  map[string]bool
	secrets map[string]string // value -> what it is, for leak checks
	servers map[int]*server
	owned   []int // the account's servers, in order
	ops     map[string]*op
	keySeq  int
	tagSeq  int
	faulted map[string]bool
	expired bool // faults mode: the session has been ended once
	logins  int
	// lostAnswer makes the answer to an action be lost after the stand-in
	// has carried it out, once: "502", "drop" (connection closed) or
	// "truncated". For the never-resend checks.
	lostAnswer map[string]string
	orders     []*order
	nextSrvID  int
}

type order struct {
	invoice int
	key     string
	at      time.Time
	server  *server
	done    bool
}

const (
	serverA = 40101 // main IP is the second address (main_ip=1)
	serverB = 40102
	newSrv  = 40150 // what order_instance deploys
	invoice = 88123
)

func newStandin(m mode) *standin {
	s := &standin{
		mode:       m,
		APIKey:     "sk-standin-" + randHex("apikey" + string(m))[:20],
		PIN:        "739146",
		tokens:     map[string]bool{},
		secrets:    map[string]string{},
		servers:    map[int]*server{},
		ops:        map[string]*op{},
		faulted:    map[string]bool{},
		lostAnswer: map[string]string{},
		nextSrvID:  newSrv,
	}
	s.secrets[s.APIKey] = "API key"
	s.secrets[s.PIN] = "PIN"
	s.servers[serverA] = &server{ID: serverA, Name: "web-1.example", Location: "NL", OSName: "Ubuntu 22.04", OSID: 3,
		Preset: "bm.e2288-2x960", BootMedia: "disk",
		IPs:  []serverIP{{IP: "203.0.113.10"}, {IP: "203.0.113.11", Main: true}},
		Tags: []tag{{ID: 5001, Tag: "hostname", Value: "web-1.example"}}}
	s.servers[serverB] = &server{ID: serverB, Name: "hostkey40102", Location: "NL", OSName: "Debian 12", OSID: 7,
		Preset: "vm.v2-nano", BootMedia: "disk", IPs: []serverIP{{IP: "203.0.113.20", Main: true}}}
	s.owned = []int{serverA, serverB}
	s.tagSeq = 5100
	s.Server = httptest.NewServer(s)
	return s
}

// canRelogin reports whether the client holds the API key (it logged in).
func (s *standin) canRelogin() bool { return s.logins > 0 }

// issueToken makes a session token, as a login in the panel would.
func (s *standin) issueToken() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	tok := randHex(fmt.Sprintf("token/%s/%d", s.mode, len(s.tokens)))
	s.tokens[tok] = true
	s.secrets[tok] = "session token"
	return tok
}

// randHex is a deterministic 32-hex-digit key.
func randHex(seed string) string {
	h := sha256.Sum256([]byte(seed))
	return hex.EncodeToString(h[:16])
}

func (s *standin) newKey(what string) string {
	for {
		s.keySeq++
		k := randHex(fmt.Sprintf("%s/%s/%d", s.mode, what, s.keySeq))
		if !strings.Contains(k, s.PIN) {
			return k
		}
	}
}

// requests returns a copy of the wire log.
func (s *standin) requests() []wireRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.log)
}

// secretValues returns every secret the stand-in knows: API key, PIN, issued
// tokens, passwords it was sent or handed out.
func (s *standin) secretValues() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]string, len(s.secrets))
	for k, v := range s.secrets {
		out[k] = v
	}
	return out
}

func (s *standin) serverState(id int) server {
	s.mu.Lock()
	defer s.mu.Unlock()
	if srv := s.servers[id]; srv != nil {
		return *srv
	}
	return server{}
}

// call is one request being answered.
type call struct {
	s    *standin
	r    *http.Request
	form url.Values
	rec  *wireRequest
}

func (c *call) get(name string) string { return strings.TrimSpace(c.form.Get(name)) }

func (c *call) intField(name string) (int, bool) {
	n, err := strconv.Atoi(c.get(name))
	return n, err == nil
}

// Number and money spellings: quirks mode quotes them, as PHP often does.
func (s *standin) num(n int) any {
	if s.mode == quirks {
		return strconv.Itoa(n)
	}
	return n
}

func (s *standin) money(f float64) any {
	if s.mode == quirks {
		return strconv.FormatFloat(f, 'f', 2, 64)
	}
	return f
}

// emptyObject is how an empty PHP associative array comes out: {} or, in
// quirks mode, [].
func (s *standin) emptyObject() any {
	if s.mode == quirks {
		return []any{}
	}
	return map[string]any{}
}

// rows is a list; quirks mode answers a one-row list as the bare row.
func (s *standin) rows(list []any) any {
	if s.mode == quirks && len(list) == 1 {
		return list[0]
	}
	return list
}

// Error shapes (DESIGN.md, evidence §3 "Envelopes and errors").
func errResult(msg string) map[string]any { return map[string]any{"result": -1, "error": msg} }
func errCode(msg string) map[string]any   { return map[string]any{"code": -1, "message": msg} }

type answer struct {
	status int
	body   any
	raw    string // when set, sent as is
}

var secretFields = map[string]bool{"token": true, "pin": true, "password": true, "root_pass": true, "admin_pass": true}

func (s *standin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	bodyForm, _ := url.ParseQuery(string(body))
	query := r.URL.Query()
	form := url.Values{}
	for k, v := range query {
		form[k] = append(form[k], v...)
	}
	for k, v := range bodyForm {
		form[k] = append(form[k], v...)
	}
	module := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/"), ".php")
	rec := wireRequest{Method: r.Method, Module: module, Action: form.Get("action"), Fields: url.Values{},
		ContentType: r.Header.Get("Content-Type")}
	for k := range bodyForm {
		rec.BodyFields = append(rec.BodyFields, k)
	}
	for k := range query {
		rec.QueryFields = append(rec.QueryFields, k)
	}
	sort.Strings(rec.BodyFields)
	sort.Strings(rec.QueryFields)

	s.mu.Lock()
	defer s.mu.Unlock()
	rec.Seq = len(s.log) + 1
	for v, what := range s.secrets {
		if strings.Contains(r.URL.RequestURI(), url.QueryEscape(v)) || strings.Contains(r.URL.RequestURI(), v) {
			rec.SecretInURL = append(rec.SecretInURL, what)
		}
		for h, vals := range r.Header {
			for _, hv := range vals {
				if strings.Contains(hv, v) {
					rec.SecretInHeader = append(rec.SecretInHeader, what+" in "+h)
				}
			}
		}
	}
	for k, vals := range form {
		for _, v := range vals {
			switch {
			case k == "token":
				v = map[bool]string{true: "<token ok>", false: "<token unknown>"}[s.tokens[v]]
			case k == "pin":
				v = map[bool]string{true: "<pin ok>", false: "<pin wrong>"}[v == s.PIN]
			case k == "key" && module == "auth":
				v = map[bool]string{true: "<key ok>", false: "<key wrong>"}[v == s.APIKey]
			case secretFields[k]:
				if v != "" {
					s.secrets[v] = k
				}
				v = "<" + k + ">"
			}
			rec.Fields[k] = append(rec.Fields[k], v)
		}
	}
	c := &call{s: s, r: r, form: form, rec: &rec}

	if s.mode == faults && s.fault(w, c) {
		s.log = append(s.log, rec)
		return
	}
	a := s.dispatch(c)
	if kind := s.lostAnswer[rec.Module+"/"+rec.Action]; kind != "" {
		delete(s.lostAnswer, rec.Module+"/"+rec.Action)
		rec.Answer = "done, answer lost: " + kind
		s.log = append(s.log, rec)
		full, _ := json.Marshal(a.body)
		switch kind {
		case "502":
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			_, _ = io.WriteString(w, nginx502)
		case "drop":
			hangUp(w, "")
		case "truncated":
			hangUp(w, fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(full), full[:len(full)/2]))
		}
		return
	}
	if a.status == 0 {
		a.status = http.StatusOK
	}
	var out []byte
	if a.raw != "" {
		out = []byte(a.raw)
	} else {
		out, _ = json.Marshal(a.body)
		if m, ok := a.body.(map[string]any); ok && rec.Answer == "" {
			if e, ok := m["error"].(string); ok {
				rec.Answer = "error: " + e
			} else if msg, ok := m["message"].(string); ok && m["code"] != nil {
				rec.Answer = "error: " + msg
			}
		}
	}
	if rec.Answer == "" {
		rec.Answer = "ok"
	}
	if s.mode == quirks && phpWarns[module+"/"+rec.Action] {
		out = append([]byte(phpWarning), out...)
	}
	s.log = append(s.log, rec)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(a.status)
	_, _ = w.Write(out)
}

// phpWarning is what PHP prints before the JSON when display_errors is on.
const phpWarning = "<br />\n<b>Warning</b>:  Undefined array key \"currency\" in <b>/var/www/invapi/include/functions.php</b> on line <b>812</b><br />\n"

// phpWarns are the answers that carry a PHP warning in quirks mode.
var phpWarns = map[string]bool{"eq/show": true, "presets/list": true, "eq/update_servers": true}

// Faults mode: the first call of each of these reads fails in transport.
var readFaults = map[string]string{
	"auth/info":          "502",
	"eq/list":            "truncated",
	"eq/show":            "429",
	"presets/list":       "502",
	"os/list":            "truncated",
	"traffic_plans/list": "429",
	"tags/list":          "truncated",
	"eq/update_servers":  "502",
}

const nginx502 = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
const nginx429 = "<html>\r\n<head><title>429 Too Many Requests</title></head>\r\n<body>\r\n<center><h1>429 Too Many Requests</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"

// fault answers c with a transport fault and reports whether it did. Only
// reads and callback checks fault: a state change is never interfered with,
// so "reached exactly once" stays the SDK's doing.
func (s *standin) fault(w http.ResponseWriter, c *call) bool {
	name := c.rec.Module + "/" + c.rec.Action
	if c.rec.Action == "check" && (c.rec.Module == "eq_callback" || c.rec.Module == "nat_callback") {
		o := s.ops[c.get("key")]
		if o == nil || o.checks > 0 || o.burned {
			return false
		}
		// Drop the first check of every key, after the stand-in has
		// processed it, when it answers Not ready: a lost Stage would be
		// progress no client can see, and a lost OK burns the key (both
		// different tests).
		if !s.wouldBeNotReady(o) {
			return false
		}
		_ = s.check(c, o)
		c.rec.Answer = "fault: dropped (processed)"
		hangUp(w, "")
		return true
	}
	kind, ok := readFaults[name]
	if !ok || s.faulted[name] {
		return false
	}
	s.faulted[name] = true
	c.rec.Answer = "fault: " + kind
	switch kind {
	case "502":
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, nginx502)
	case "429":
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = io.WriteString(w, nginx429)
	case "truncated":
		// The real answer, cut in the middle: the header promises the whole.
		a := s.dispatch(c)
		full, _ := json.Marshal(a.body)
		head := fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", len(full))
		hangUp(w, head+string(full[:len(full)/2]))
	}
	return true
}

// hangUp writes raw bytes (possibly none) and closes the connection.
func hangUp(w http.ResponseWriter, raw string) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("standin: no hijacker")
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return
	}
	if raw != "" {
		_, _ = buf.WriteString(raw)
		_ = buf.Flush()
	}
	_ = conn.Close()
}

// noToken are the actions HOSTKEY's clients send without a session token
// (evidence §3 "Tokens not needed").
var noToken = map[string]bool{
	"auth/login": true, "presets/list": true, "presets/info": true, "presets/groups": true,
	"stocks/list": true, "stocks/show": true, "os/list": true, "software/list": true,
	"traffic_plans/list": true, "jenkins/get_tasks": true, "eq_callback/check": true, "nat_callback/check": true,
}

func (s *standin) dispatch(c *call) answer {
	name := c.rec.Module + "/" + c.rec.Action
	h, ok := handlers[name]
	if !ok {
		return answer{body: errResult("Unknown action " + name)}
	}
	if s.mode == faults && !s.expired && stateChanging[name] && s.tokens[c.get("token")] && s.canRelogin() {
		// The session ends just before the first state change: the API
		// refuses it, which proves it was not carried out, so a client may
		// log in again and send it once more (tf client.go re-logs in on
		// these answers).
		s.expired = true
		delete(s.tokens, c.get("token"))
		c.rec.Answer = "refused: token expired"
		return answer{body: map[string]any{"code": -2, "message": "Authentication required", "description": "Token missing or invalid"}}
	}
	if tok := c.get("token"); !noToken[name] && !s.tokens[tok] {
		// 004's failure example for eq/list.
		return answer{body: map[string]any{"code": -2, "message": "Authentication required", "description": "Token missing or invalid"}}
	}
	if pin := c.form.Get("pin"); pin != "" && pin != s.PIN {
		return answer{body: errCode("Invalid PIN")}
	}
	return h(c)
}

var handlers map[string]func(*call) answer

func init() {
	handlers = map[string]func(*call) answer{
		"auth/login":            (*call).login,
		"auth/info":             (*call).info,
		"auth/logout":           (*call).logout,
		"eq/list":               (*call).eqList,
		"eq/show":               (*call).eqShow,
		"eq/update_servers":     (*call).updateServers,
		"eq/on":                 (*call).power,
		"eq/off":                (*call).power,
		"eq/reboot":             (*call).power,
		"eq/hard_off":           (*call).power,
		"eq/order_instance":     (*call).orderInstance,
		"eq/reinstall":          (*call).reinstall,
		"eq/create_pxe":         (*call).createPXE,
		"eq/boot_dev":           (*call).bootDev,
		"eq/clear_pxe":          (*call).clearPXE,
		"eq/add_ipmi_user":      (*call).addIPMIUser,
		"eq/remove_ipmi_user":   (*call).removeIPMIUser,
		"eq_callback/check":     (*call).callbackCheck,
		"nat_callback/check":    (*call).callbackCheck,
		"nat/add_static_nat":    (*call).addStaticNAT,
		"nat/remove_static_nat": (*call).removeStaticNAT,
		"tags/list":             (*call).tagsList,
		"tags/add":              (*call).tagsAdd,
		"tags/remove":           (*call).tagsRemove,
		"presets/list":          (*call).presetsList,
		"os/list":               (*call).osList,
		"traffic_plans/list":    (*call).trafficPlans,
		"whmcs/get_client":      (*call).whmcsGetClient,
		"whmcs/get_invoices":    (*call).whmcsGetInvoices,
		"whmcs/get_invoice":     (*call).whmcsGetInvoice,
	}
}

// --- auth ---

// login: auth.php action=login key ttl. All clients read result.token; tf
// also token_expire (unix) and invapi (a portal host it switches to only for
// HOSTKEY hosts over https). tf types.go shows both the nested and the
// top-level shape; quirks mode answers top-level with string server ids.
func (c *call) login() answer {
	s := c.s
	if c.get("key") != s.APIKey {
		return answer{body: map[string]any{"result": -1, "error": "Invalid API key", "code": "INVALID_KEY"}}
	}
	ttl := 7200
	if n, ok := c.intField("ttl"); ok && n > 0 {
		ttl = n
	}
	s.logins++
	tok := randHex(fmt.Sprintf("token/%s/login%d", s.mode, s.logins))
	s.tokens[tok] = true
	s.secrets[tok] = "session token"
	res := map[string]any{
		"token":        tok,
		"token_expire": time.Now().Add(time.Duration(ttl) * time.Second).Unix(),
		// What the live portal answers: a client pointed at another base URL
		// (this stand-in) must not follow it there.
		"invapi":  "invapi.hostkey.com",
		"role":    "Customer",
		"servers": s.ids(true),
	}
	if s.mode == quirks {
		res["result"] = "OK"
		return answer{body: res}
	}
	return answer{body: map[string]any{"result": res}}
}

// ids are the account's servers: numbers, or strings (login's nested shape
// in tf types.go, and quirks mode).
func (s *standin) ids(asStrings bool) []any {
	out := make([]any, 0, len(s.owned))
	for _, id := range s.owned {
		if asStrings || s.mode == quirks {
			out = append(out, strconv.Itoa(id))
		} else {
			out = append(out, id)
		}
	}
	return out
}

// info: 001 "servers is a list of server ids"; 3p read whmcs_id,
// customer_id, whmcs_location, currency_code, data.username. Quirks mode
// puts it all under result, as login does.
func (c *call) info() answer {
	s := c.s
	payload := map[string]any{
		"role": "Customer", "customer_id": s.num(777), "whmcs_id": s.num(777), "whmcs_location": "NL",
		"currency_code": "EUR", "email": "standin@example.com", "servers": s.ids(false),
		"data": map[string]any{"username": "standin@example.com"},
	}
	if s.mode == quirks {
		return answer{body: map[string]any{"result": payload}}
	}
	payload["result"] = "OK"
	return answer{body: payload}
}

func (c *call) logout() answer {
	delete(c.s.tokens, c.get("token"))
	return answer{body: map[string]any{"result": "OK", "action": "logout"}}
}

// --- eq: inventory ---

// eqList: 001 answers ids; 004 answers objects; tf reads ids, objects or
// string ids. full=1 gets objects here.
func (c *call) eqList() answer {
	s := c.s
	loc := strings.ToUpper(c.get("location"))
	var list []any
	for _, id := range s.owned {
		srv := s.servers[id]
		if loc != "" && !slices.Contains(strings.Split(loc, ","), srv.Location) {
			continue
		}
		if c.get("full") == "1" {
			list = append(list, map[string]any{"id": s.num(id), "name": srv.Name, "status": "rent",
				"location": srv.Location, "ip": srv.mainIP(), "type": "Server"})
		} else if s.mode == quirks {
			list = append(list, strconv.Itoa(id))
		} else {
			list = append(list, id)
		}
	}
	if list == nil {
		list = []any{}
	}
	return answer{body: map[string]any{"result": "OK", "module": "eq", "action": "list", "servers": list}}
}

func (srv *server) mainIP() string {
	for _, ip := range srv.IPs {
		if ip.Main {
			return ip.IP
		}
	}
	if len(srv.IPs) > 0 {
		return srv.IPs[0].IP
	}
	return ""
}

func (s *standin) owns(id int) *server {
	if !slices.Contains(s.owned, id) {
		return nil
	}
	return s.servers[id]
}

func (c *call) server() (*server, *answer) {
	id, ok := c.intField("id")
	if !ok {
		if id, ok = c.intField("component_id"); !ok {
			return nil, &answer{body: errCode(c.rec.Module + "/" + c.rec.Action + ": incorrect server id")}
		}
	}
	srv := c.s.owns(id)
	if srv == nil {
		return nil, &answer{body: errCode("Nothing found for id")}
	}
	return srv, nil
}

// eqShow: 004's example (server_data, hardware.components, location, OS,
// IP[], IPMI, tags, preset) with what tf reads: IP[] rows with ip and
// main_ip, server_data.status; whmcs reads server_data.Condition_Component.
func (c *call) eqShow() answer {
	s := c.s
	srv, bad := c.server()
	if bad != nil {
		return *bad
	}
	ips := make([]any, 0, len(srv.IPs))
	for _, ip := range srv.IPs {
		main := 0
		if ip.Main {
			main = 1
		}
		ips = append(ips, map[string]any{"ip": ip.IP, "type": "public", "main_ip": main, "vlan": s.num(1040)})
	}
	var tags []any
	for _, t := range srv.Tags {
		tags = append(tags, map[string]any{"tag": t.Tag, "value": t.Value})
	}
	ipmi := any(map[string]any{"model": "Supermicro", "interfaces": []any{map[string]any{"IP": "10.10.4.21", "MAC": "00:25:90:aa:bb:01"}}})
	if s.mode == quirks {
		ipmi = s.emptyObject() // a VM-like answer: no IPMI, as []
	}
	return answer{body: map[string]any{
		"result": "OK", "module": "eq", "action": "show",
		"server_data": map[string]any{"id": s.num(srv.ID), "name": srv.Name, "status": "rent", "Condition_Component": "rent",
			"location": srv.Location, "ip": srv.IPs[0].IP, "type": "Server"},
		"hardware": map[string]any{"components": []any{
			map[string]any{"Type": "CPU", "Name": "Intel Xeon E-2288G", "Cores": s.num(8)},
			map[string]any{"Type": "RAM", "Name": "64 GB DDR4"},
			map[string]any{"Type": "HDD", "Name": "2x960 GB NVMe"},
		}},
		"groups":     []any{},
		"licenses":   []any{},
		"reinstall":  "",
		"location":   map[string]any{"dc_name": "NL-AMS-1", "rack_name": "R12"},
		"OS":         map[string]any{"id": s.num(srv.OSID), "name": srv.OSName},
		"IP":         ips,
		"interfaces": []any{map[string]any{"id": s.num(1), "type": "eth0", "mac": "00:25:90:aa:bb:00"}},
		"IPMI":       ipmi,
		"tags":       tags,
		"preset":     srv.Preset,
		"commitment": "",
	}}
}

// updateServers: 004's example plus what tf reads: deploy_keys maps an
// invoice to a callback key, and is [] when empty (tf types.go, pending.go).
// Quirks mode puts it all under message (DESIGN.md).
func (c *call) updateServers() answer {
	s := c.s
	s.settleOrders()
	keys := map[string]any{}
	for _, o := range s.orders {
		keys[strconv.Itoa(o.invoice)] = o.key
	}
	var deployKeys any = keys
	if len(keys) == 0 {
		deployKeys = []any{}
	}
	billing := []any{}
	for _, o := range s.orders {
		st := "Pending payment"
		if o.done {
			st = "Active"
		}
		billing = append(billing, map[string]any{"id": s.num(o.invoice), "name": "vm.v2-nano", "status": st,
			"config": "{}", "regdate": time.Now().Format("2006-01-02"), "billingcycle": "Monthly", "recurring": s.money(4)})
	}
	payload := map[string]any{"servers": s.ids(false), "billing_servers": billing, "deploy_keys": deployKeys}
	if s.mode == quirks {
		// DESIGN.md: data may sit under message.
		return answer{body: map[string]any{"result": "OK", "message": payload}}
	}
	payload["result"] = "OK"
	return answer{body: payload}
}

// settleOrders finishes deploys that have run long enough without anyone
// reading their key: a deploy does not wait for its poller.
func (s *standin) settleOrders() {
	for _, o := range s.orders {
		if !o.done && time.Since(o.at) > 3*time.Second {
			s.finishOrder(o)
		}
	}
}

func (s *standin) finishOrder(o *order) {
	if o.done {
		return
	}
	o.done = true
	s.servers[o.server.ID] = o.server
	s.owned = append(s.owned, o.server.ID)
}

// --- eq: power ---

// power: eq on/off/reboot/hard_off answer a callback key (001, 004); the
// OK carries context {action, id, location} and debug (001 example).
func (c *call) power() answer {
	s := c.s
	srv, bad := c.server()
	if bad != nil {
		return *bad
	}
	act := c.rec.Action
	k := s.newKey(act)
	s.ops[k] = &op{key: k, action: act, server: srv.ID, notReady: 1,
		scope: map[string]string{"on": "Server is on", "off": "Server is off", "reboot": "Server is rebooted", "hard_off": "Server is off"}[act],
		debug: map[string]string{"on": "Chassis Power Control: Up/On", "off": "Chassis Power Control: Down/Off",
			"reboot": "Chassis Power Control: Cycle", "hard_off": "Chassis Power Control: Down/Off"}[act],
		context: map[string]any{"action": act, "id": strconv.Itoa(srv.ID), "location": srv.Location}}
	if act == "reboot" {
		srv.Reboots++
		if srv.PXE && srv.BootMedia == "pxe" {
			srv.RebootedPXE = true
		}
	}
	return answer{body: map[string]any{"result": "OK", "action": act, "callback": k}}
}

// --- eq: ordering ---

var deployPeriods = map[string]bool{"monthly": true, "quarterly": true, "semi-annually": true, "annually": true, "hourly": true}

// rootPassOK is HOSTKEY's own policy (evidence §3, whmcs validatePassword):
// 8-30 of letters, digits and % - _ +, with upper, lower, digit and special,
// not starting with a special.
func rootPassOK(p string) bool {
	return regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9%_+\-]{7,29}$`).MatchString(p) &&
		strings.ContainsAny(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") && strings.ContainsAny(p, "abcdefghijklmnopqrstuvwxyz") &&
		strings.ContainsAny(p, "0123456789") && strings.ContainsAny(p, "%-_+")
}

// orderInstance: evidence §1b field by field. The answer has an invoice and
// no server id ("The answer often has an invoice and no server id", §3) and
// status Paid (tf-com waits on Unpaid). The server is found through
// update_servers deploy_keys[invoice] and that key's context.id.
func (c *call) orderInstance() answer {
	s := c.s
	if id := c.get("id"); id != "" && id != "0" && id != "-" {
		return answer{body: errResult("standin: order_instance with id " + id + " reinstalls and wipes that server; a new order must not send id")}
	}
	p := presetByName(c.get("preset"))
	if p == nil {
		return answer{body: errCode("Preset not found: " + c.get("preset"))}
	}
	loc := c.get("location_name")
	if !strings.Contains(","+p.locations+",", ","+loc+",") {
		return answer{body: errCode("Preset " + p.name + " is not available in location " + loc)}
	}
	osID, _ := c.intField("os_id")
	if osByID(osID) == nil {
		return answer{body: errCode("OS is not compatible with preset")}
	}
	if tp, _ := c.intField("traffic_plan"); tp != 11 && tp != 12 {
		return answer{body: errCode("Traffic plan not found")}
	}
	if !deployPeriods[c.get("deploy_period")] {
		return answer{body: errCode("Unknown deploy_period " + c.get("deploy_period"))}
	}
	if rp := c.form.Get("root_pass"); rp != "" && !rootPassOK(rp) {
		return answer{body: errCode("root_pass does not meet the password policy")}
	}
	host := c.get("hostname")
	id := s.nextSrvID
	s.nextSrvID++
	if host == "" {
		host = fmt.Sprintf("hostkey%d", id)
	}
	srv := &server{ID: id, Name: host, Location: loc, OSID: osID, OSName: osByID(osID).name, Preset: p.name,
		BootMedia: "disk", IPs: []serverIP{{IP: "203.0.113.50", Main: true}},
		Tags: []tag{{ID: 5200, Tag: "hostname", Value: host}}, deployedFrom: "order"}
	k := s.newKey("order")
	o := &order{invoice: invoice + len(s.orders), key: k, at: time.Now(), server: srv}
	s.orders = append(s.orders, o)
	s.ops[k] = &op{key: k, action: "order_instance", server: id, notReady: 1,
		stages:  []string{"Deploy started: installing " + srv.OSName},
		scope:   "deploy_done: autodeploy completed",
		context: map[string]any{"action": "order_instance", "id": strconv.Itoa(id), "ip": "203.0.113.50", "location": loc},
		onOK:    func() { s.finishOrder(o) }}
	return answer{body: map[string]any{"result": "OK", "action": "order_instance", "deploy_status": "install",
		"invoice": s.num(o.invoice), "status": "Paid", "os_name": srv.OSName}}
}

// --- eq: the PXE reinstall procedure (api-docs 001) ---

// reinstall with only id creates the master key (001 Stage 0). Its checks
// stay Not ready until the server has rebooted into PXE, then report the
// five stages and an OK with context {id, ip}.
func (c *call) reinstall() answer {
	s := c.s
	srv, bad := c.server()
	if bad != nil {
		return *bad
	}
	if c.get("os_id") != "" {
		return answer{body: errResult("standin: one-call reinstall (004) not modelled")}
	}
	k := s.newKey("reinstall")
	s.ops[k] = &op{key: k, action: "reinstall", server: srv.ID,
		gate: func() bool { return srv.RebootedPXE },
		stages: []string{
			"1st stage: OS installation was started",
			"2nd stage: base OS was installed, proceed with post-install tasks",
			"3rd stage: Post-install tasks are completed, running final tasks",
			"4th stage: Install is completed, restarting the server",
			"5th stage: The server is online",
		},
		scope:   "Reinstall completed, the server is online",
		context: map[string]any{"action": "reinstall", "id": strconv.Itoa(srv.ID), "ip": srv.mainIP(), "location": srv.Location},
		onOK:    func() { srv.Reinstalled++; srv.RebootedPXE = false }}
	return answer{body: map[string]any{"result": "OK", "action": "reinstall", "callback": k, "id": s.num(srv.ID)}}
}

func (s *standin) simpleOp(act string, srv *server, scope string) string {
	k := s.newKey(act)
	s.ops[k] = &op{key: k, action: act, server: srv.ID, notReady: 1, scope: scope,
		context: map[string]any{"action": act, "id": strconv.Itoa(srv.ID), "location": srv.Location}}
	return k
}

// createPXE: 001 requires id, os_id, root_pass, hostname (+pin) and takes
// the master key as reinstall_key.
func (c *call) createPXE() answer {
	s := c.s
	srv, bad := c.server()
	if bad != nil {
		return *bad
	}
	osID, _ := c.intField("os_id")
	if osByID(osID) == nil {
		return answer{body: errCode("Create PXE config request failed: unknown os_id")}
	}
	if !rootPassOK(c.form.Get("root_pass")) {
		return answer{body: errCode("Create PXE config request failed: root_pass does not meet the password policy")}
	}
	if c.get("hostname") == "" {
		return answer{body: errCode("Create PXE config request failed: hostname is required")}
	}
	if rk := c.get("reinstall_key"); rk != "" {
		if o := s.ops[rk]; o == nil || o.action != "reinstall" || o.server != srv.ID {
			return answer{body: errCode("Create PXE config request failed: unknown reinstall_key")}
		}
	}
	srv.PXE = true
	srv.OSID, srv.OSName = osID, osByID(osID).name
	return answer{body: map[string]any{"result": "OK", "action": "create_pxe", "callback": s.simpleOp("create_pxe", srv, "PXE config created")}}
}

func (c *call) bootDev() answer {
	s := c.s
	srv, bad := c.server()
	if bad != nil {
		return *bad
	}
	media := c.get("media")
	switch media {
	case "pxe", "disk", "cd":
	default:
		return answer{body: errCode("Bootable media change request failed: media must be pxe, disk or cd")}
	}
	srv.BootMedia = media
	return answer{body: map[string]any{"result": "OK", "action": "boot_dev", "callback": s.simpleOp("boot_dev", srv, "Boot device set to "+media)}}
}

func (c *call) clearPXE() answer {
	s := c.s
	srv, bad := c.server()
	if bad != nil {
		return *bad
	}
	srv.PXE = false
	return answer{body: map[string]any{"result": "OK", "action": "clear_pxe", "callback": s.simpleOp("clear_pxe", srv, "PXE config removed")}}
}

// --- IPMI and NAT (001 "Remote access"; 004 add/remove_ipmi_user) ---

// addIPMIUser answers synchronously with user and password (004's example).
func (c *call) addIPMIUser() answer {
	s := c.s
	srv, bad := c.server()
	if bad != nil {
		return *bad
	}
	user := fmt.Sprintf("u%03dstd", len(srv.IPMIUsers)+1)
	pass := "Ab1" + randHex("ipmi/" + user + string(s.mode))[:13]
	s.secrets[pass] = "IPMI password"
	srv.IPMIUsers = append(srv.IPMIUsers, user)
	return answer{body: map[string]any{"result": "OK", "action": "add_ipmi_user", "user": user, "password": pass}}
}

// removeIPMIUser: 004 takes id and username and answers a callback key;
// mcp sends id only (then every temporary user goes).
func (c *call) removeIPMIUser() answer {
	s := c.s
	srv, bad := c.server()
	if bad != nil {
		return *bad
	}
	if u := c.get("username"); u != "" {
		if !slices.Contains(srv.IPMIUsers, u) {
			return answer{body: errCode("Remove IPMI user request failed: no user " + u)}
		}
		srv.IPMIUsers = slices.DeleteFunc(srv.IPMIUsers, func(x string) bool { return x == u })
	} else {
		srv.IPMIUsers = nil
	}
	return answer{body: map[string]any{"result": "OK", "action": "remove_ipmi_user", "id": s.num(srv.ID),
		"callback": s.simpleOp("remove_ipmi_user", srv, "IPMI user removed")}}
}

// addStaticNAT: 001, async on nat_callback.php (mcp follows it on
// eq_callback.php: both are accepted).
func (c *call) addStaticNAT() answer {
	s := c.s
	srv, bad := c.server()
	if bad != nil {
		return *bad
	}
	srv.NATOpen = true
	k := s.newKey("nat")
	s.ops[k] = &op{key: k, nat: true, action: "add_static_nat", server: srv.ID, notReady: 1,
		scope:   "Static NAT 198.51.100.23 -> IPMI of " + strconv.Itoa(srv.ID) + " created",
		context: map[string]any{"action": "add_static_nat", "id": strconv.Itoa(srv.ID), "ip": "198.51.100.23", "location": srv.Location}}
	return answer{body: map[string]any{"result": "OK", "action": "add_static_nat", "callback": k}}
}

func (c *call) removeStaticNAT() answer {
	s := c.s
	srv, bad := c.server()
	if bad != nil {
		return *bad
	}
	srv.NATOpen = false
	k := s.newKey("nat")
	s.ops[k] = &op{key: k, nat: true, action: "remove_static_nat", server: srv.ID, notReady: 1,
		scope:   "Static NAT removed",
		context: map[string]any{"action": "remove_static_nat", "id": strconv.Itoa(srv.ID), "location": srv.Location}}
	return answer{body: map[string]any{"result": "OK", "action": "remove_static_nat", "callback": k}}
}

// --- callbacks (001 "Asynchronous actions") ---

func (c *call) callbackCheck() answer {
	s := c.s
	k := c.get("key")
	o := s.ops[k]
	if o == nil || o.burned || (c.rec.Module == "nat_callback" && !o.nat) {
		return answer{body: errResult("AsyncKey " + k + " not found")}
	}
	return s.check(c, o)
}

func (s *standin) wouldBeNotReady(o *op) bool {
	return (o.gate != nil && !o.gate()) || o.notReady > 0
}

func (s *standin) check(c *call, o *op) answer {
	o.checks++
	if (o.gate != nil && !o.gate()) || o.notReady > 0 {
		if o.notReady > 0 && (o.gate == nil || o.gate()) {
			o.notReady--
		}
		c.rec.Answer = "Not ready"
		return answer{body: map[string]any{"result": "Not ready", "key": o.key}}
	}
	if o.staged < len(o.stages) {
		scope := o.stages[o.staged]
		o.staged++
		c.rec.Answer = "Stage"
		ctx := map[string]any{"action": o.action, "id": strconv.Itoa(o.server), "location": "NL"}
		return answer{body: map[string]any{"result": "Stage", "scope": scope, "context": ctx, "key": o.key}}
	}
	o.burned = true
	if o.onOK != nil {
		o.onOK()
	}
	c.rec.Answer = "OK"
	return answer{body: map[string]any{"result": "OK", "scope": o.scope, "context": o.context, "debug": o.debug, "key": o.key}}
}

// --- tags (001 Tags; tf tags.go reads tags[] of {id, tag, value, extra}) ---

func (c *call) tagsList() answer {
	s := c.s
	srv, bad := c.server()
	if bad != nil {
		return *bad
	}
	list := []any{}
	for _, t := range srv.Tags {
		list = append(list, map[string]any{"id": s.num(t.ID), "tag": t.Tag, "value": t.Value, "extra": t.Extra,
			"internal": 0, "component": "eq", "component_id": s.num(srv.ID)})
	}
	if s.mode == quirks {
		return answer{body: map[string]any{"result": "OK", "data": map[string]any{"tags": list}}}
	}
	return answer{body: map[string]any{"result": "OK", "module": "tags", "action": "list", "tags": list}}
}

func (c *call) tagServers() ([]*server, *answer) {
	var ids []string
	if v := c.get("id_list"); v != "" {
		ids = strings.Split(v, ",")
	} else if v := c.get("id"); v != "" {
		ids = []string{v}
	} else if v := c.get("component_id"); v != "" {
		ids = []string{v}
	}
	if len(ids) == 0 {
		return nil, &answer{body: errResult("tags: id is required")}
	}
	var out []*server
	for _, v := range ids {
		id, err := strconv.Atoi(strings.TrimSpace(v))
		srv := c.s.owns(id)
		if err != nil || srv == nil {
			return nil, &answer{body: errResult("tags: incorrect server id " + v)}
		}
		out = append(out, srv)
	}
	return out, nil
}

func (c *call) tagsAdd() answer {
	s := c.s
	srvs, bad := c.tagServers()
	if bad != nil {
		return *bad
	}
	name, value := c.get("tag"), c.form.Get("value")
	if name == "" {
		return answer{body: errResult("tags/add: tag is required")}
	}
	for _, srv := range srvs {
		i := slices.IndexFunc(srv.Tags, func(t tag) bool { return t.Tag == name })
		if i >= 0 {
			srv.Tags[i].Value, srv.Tags[i].Extra = value, c.form.Get("extra")
			continue
		}
		s.tagSeq++
		srv.Tags = append(srv.Tags, tag{ID: s.tagSeq, Tag: name, Value: value, Extra: c.form.Get("extra")})
	}
	return answer{body: map[string]any{"result": "OK", "module": "tags", "action": "add"}}
}

func (c *call) tagsRemove() answer {
	srvs, bad := c.tagServers()
	if bad != nil {
		return *bad
	}
	name := c.get("tag")
	for _, srv := range srvs {
		i := slices.IndexFunc(srv.Tags, func(t tag) bool { return t.Tag == name })
		if i < 0 {
			return answer{body: errResult("tags/remove: no tag " + name + " on server " + strconv.Itoa(srv.ID))}
		}
		srv.Tags = slices.Delete(srv.Tags, i, i+1)
	}
	return answer{body: map[string]any{"result": "OK", "module": "tags", "action": "remove"}}
}

// --- catalogue ---

type presetRow struct {
	id        int
	name      string
	locations string
	hdd       any // a number, or "2x960" (tf types.go FlexString)
	cpu, ram  int
	virtual   int
	available int
	eur       float64
}

var presetRows = []presetRow{
	{id: 101, name: "vm.v2-nano", locations: "NL,FI", hdd: 30, cpu: 1, ram: 2, virtual: 1, available: 25, eur: 4},
	{id: 202, name: "bm.e2288-2x960", locations: "NL", hdd: "2x960", cpu: 8, ram: 64, virtual: 0, available: 0, eur: 129},
}

func presetByName(n string) *presetRow {
	for i := range presetRows {
		if presetRows[i].name == n || strconv.Itoa(presetRows[i].id) == n {
			return &presetRows[i]
		}
	}
	return nil
}

// presetsList: tf catalog.go reads presets[] with id, name, location,
// locations (a comma string "NL,FI"), hdd (string or number), virtual,
// active; prices by location then currency (3p Gateway).
func (c *call) presetsList() answer {
	s := c.s
	loc := strings.ToUpper(c.get("location"))
	list := []any{}
	for _, p := range presetRows {
		if loc != "" && !strings.Contains(","+p.locations+",", ","+loc+",") {
			continue
		}
		list = append(list, map[string]any{
			"id": s.num(p.id), "name": p.name, "location": loc, "locations": p.locations,
			"description": fmt.Sprintf("%d cores, %d GB RAM", p.cpu, p.ram),
			"cpu":         s.num(p.cpu), "ram": s.num(p.ram), "hdd": p.hdd, "virtual": s.num(p.virtual), "active": s.num(1),
			"available": s.num(p.available), "server_type": map[int]string{0: "bm", 1: "vm"}[p.virtual],
			"price": map[string]any{loc: map[string]any{"EUR": s.money(p.eur), "USD": s.money(p.eur * 1.1)}},
		})
	}
	return answer{body: map[string]any{"result": "OK", "presets": list}}
}

type osRow struct {
	id   int
	name string
}

var osRows = []osRow{{3, "Ubuntu 24.04"}, {7, "Debian 12"}}

func osByID(id int) *osRow {
	for i := range osRows {
		if osRows[i].id == id {
			return &osRows[i]
		}
	}
	return nil
}

// osList: answers under os_list and os_excluded (tf catalog.go; 3p Laravel,
// TS Gateway). Quirks mode sends an empty os_excluded as [].
func (c *call) osList() answer {
	s := c.s
	if id := c.get("id"); id != "" {
		if _, bad := c.server(); bad != nil {
			return *bad
		}
	} else if inst := c.get("instance_id"); inst == "" || presetByName(inst) == nil {
		return answer{body: errResult("os/list: instance_id or id is required")}
	}
	list := []any{}
	for _, o := range osRows {
		list = append(list, map[string]any{"id": s.num(o.id), "name": o.name, "active": s.num(1),
			"tags": []any{"bm", "vm"}, "min_ram": s.num(1), "min_hdd": s.num(10), "price": s.money(0)})
	}
	var excluded any = []any{map[string]any{"id": s.num(21), "name": "Windows Server 2022", "reason": "min_ram"}}
	if s.mode == quirks {
		excluded = s.emptyObject()
	}
	return answer{body: map[string]any{"result": "OK", "os_list": list, "os_excluded": excluded}}
}

// trafficPlans: traffic_plans[] with id, name, active, location(s),
// numeric price, main_plan, currency_id (tf, 3p). tf: sent with a customer
// token it "often returns invalid request": quirks mode does so. Quirks mode
// also answers the one plan of FI as a bare object.
func (c *call) trafficPlans() answer {
	s := c.s
	if s.mode == quirks && c.get("token") != "" {
		return answer{body: errResult("invalid request")}
	}
	plans := []any{
		map[string]any{"id": s.num(11), "name": "1 Gbps / 50 TB", "active": s.num(1), "location": "NL", "locations": "NL,FI",
			"price": s.money(0), "main_plan": s.num(1), "currency_id": s.num(1)},
	}
	if s.mode != quirks {
		plans = append(plans, map[string]any{"id": 12, "name": "10 Gbps / unmetered", "active": 1, "location": "NL",
			"locations": "NL", "price": 90.0, "main_plan": 0, "currency_id": 1})
	}
	return answer{body: map[string]any{"result": "OK", "traffic_plans": s.rows(plans)}}
}

// --- whmcs: WHMCS's own shapes, result "success" (evidence §1 whmcs) ---

// whmcsGetClient: {"result":"success","client":{...}} (mcp, whmcs).
func (c *call) whmcsGetClient() answer {
	s := c.s
	return answer{body: map[string]any{"result": "success", "client": map[string]any{
		"id": s.num(777), "userid": s.num(777), "firstname": "Stand", "lastname": "In", "fullname": "Stand In",
		"email": "standin@example.com", "currency_code": "EUR", "credit": s.money(12.5), "country": "NL"}}}
}

// whmcsGetInvoices: invoices.invoice is an array, or one bare object (both
// decoded by HOSTKEY's clients; quirks mode sends the object).
func (c *call) whmcsGetInvoices() answer {
	s := c.s
	inv := map[string]any{"id": s.num(invoice), "invoicenum": "", "userid": s.num(777), "date": "2026-12-01",
		"duedate": "2026-12-08", "datepaid": "0000-00-00 00:00:00", "status": "Unpaid", "paymentmethod": "banktransfer",
		"currencycode": "EUR", "subtotal": s.money(4), "credit": s.money(0), "tax": s.money(0), "total": s.money(4)}
	return answer{body: map[string]any{"result": "success", "totalresults": s.num(1), "startnumber": 0, "numreturned": s.num(1),
		"invoices": map[string]any{"invoice": s.rows([]any{inv})}}}
}

// whmcsGetInvoice: flat, with items.item[] carrying relid (the WHMCS
// service) and inv_id (the InvAPI server id) (whmcs getServerIdByInvoiceId).
func (c *call) whmcsGetInvoice() answer {
	s := c.s
	if id, _ := c.intField("invoice_id"); id != invoice {
		return answer{body: map[string]any{"result": "error", "message": "Invoice ID Not Found"}}
	}
	item := map[string]any{"id": s.num(9001), "type": "Hosting", "relid": s.num(5512), "inv_id": s.num(newSrv),
		"description": "vm.v2-nano (01/12/2026 - 31/12/2026)", "amount": s.money(4), "taxed": 0}
	return answer{body: map[string]any{"result": "success", "invoiceid": s.num(invoice), "invoicenum": "", "userid": s.num(777),
		"date": "2026-12-01", "duedate": "2026-12-08", "status": "Unpaid", "subtotal": s.money(4), "credit": s.money(0),
		"tax": s.money(0), "total": s.money(4), "balance": s.money(4), "currencycode": "EUR",
		"items": map[string]any{"item": s.rows([]any{item})}}}
}
