package invapitest

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Server is an in-memory, stateful InvAPI served over loopback HTTP.
//
// Start one with NewServer, point the code under test at Server.URL and stop
// it with Close. All methods are safe for concurrent use.
type Server struct {
	// URL is the base URL of the simulated API, e.g. "http://127.0.0.1:41234".
	// Calls go to URL + "/" + module + ".php".
	URL string

	ts *httptest.Server
	mu sync.Mutex
	st *state
}

// obj is a JSON object as the simulator builds answers.
type obj = map[string]any

// apiError is a business error answer: {"code":...,"message":...}.
type apiError struct {
	code    any
	message string
	extra   obj
	delay   time.Duration // how long to wait before answering (wrong PIN)
}

func (e *apiError) body() obj {
	b := obj{"code": e.code, "message": e.message}
	for k, v := range e.extra {
		b[k] = v
	}
	return b
}

// errf returns the common {"code":-1,"message":...} answer.
func errf(format string, args ...any) *apiError {
	return &apiError{code: -1, message: fmt.Sprintf(format, args...)}
}

// rawReply is a non-JSON answer (images, PDFs).
type rawReply struct {
	contentType string
	body        []byte
}

// NewServer starts a simulator on a loopback address with the default
// account, servers and catalogue, changed by opts. Call Close when done.
func NewServer(opts ...Option) *Server {
	s := &Server{st: newState()}
	for _, o := range opts {
		o(s.st)
	}
	s.st.finish()
	s.ts = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.URL = s.ts.URL
	return s
}

// Close shuts the server down and blocks until all outstanding requests
// have completed.
func (s *Server) Close() { s.ts.Close() }

// Client returns an *http.Client configured for the server (see
// httptest.Server.Client).
func (s *Server) Client() *http.Client { return s.ts.Client() }

// Advance moves the simulated clock forward by d. Token lifetimes,
// operation delays and PIN penalties' bookkeeping use this clock.
func (s *Server) Advance(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.offset += d
}

// Now returns the simulated time.
func (s *Server) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.now()
}

// secretFields are masked in the request log and refused in URL queries.
var secretFields = map[string]bool{
	"token": true, "pin": true, "old_pin": true, "new_pin": true, "password": true,
	"key": true, "root_pass": true, "code": true, "admin_pass": true, "new_password": true, "password2": true,
	"reset_token": true, "api_key": true, "secret": true, "pass": true,
}

// callbackModules take their key from the query string too.
var callbackModules = map[string]bool{"eq_callback": true, "nat_callback": true}

// call is one request as the handlers see it.
type call struct {
	s      *state
	r      *http.Request
	module string
	action string
	form   url.Values
	sess   *session
	acct   *Account
	remote string
}

// get returns a form value. api_keys.php wraps a key's attributes as
// params[name]=...; both that and the bare name are accepted there.
func (c *call) get(name string) string {
	v := strings.TrimSpace(c.form.Get(name))
	if v == "" && c.module == "api_keys" {
		v = strings.TrimSpace(c.form.Get("params[" + name + "]"))
	}
	return v
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	if p := s.st.pace; p[0] > 0 { // set once by NewServer, read only
		w.Header().Set(PaceHeader, p[0].String()+", "+p[1].String())
	}
	module, ok := moduleFromPath(r.URL.Path)
	if !ok || modules[module] == nil {
		s.log(Request{Module: module, Method: r.Method, Time: start, Status: http.StatusNotFound})
		writeNotFound(w, r.URL.Path)
		return
	}
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		s.log(Request{Module: module, Method: r.Method, Time: start, Status: http.StatusMethodNotAllowed})
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "Method Not Allowed", http.StatusMethodNotAllowed)
		return
	}
	form, err := readForm(r)
	if err != nil {
		s.log(Request{Module: module, Method: r.Method, Time: start, Status: http.StatusBadRequest})
		http.Error(w, "Bad Request", http.StatusBadRequest)
		return
	}
	query := r.URL.Query()
	secretInQuery := false
	for k, vs := range query {
		if secretFields[k] && !(callbackModules[module] && k == "key") {
			if k == "token" {
				secretInQuery = true
			}
			continue // secrets are taken only from the body
		}
		if _, inBody := form[k]; !inBody {
			form[k] = vs
		}
	}
	action := strings.TrimSpace(form.Get("action"))
	rec := Request{Module: module, Action: action, Method: r.Method, Form: maskForm(form), Time: start}

	s.mu.Lock()
	f := s.st.takeFault(module, action, form)
	s.mu.Unlock()
	if f != nil {
		rec.Fault = f.Kind
		if f.Kind == FaultDropBefore {
			// Logged before the connection closes: the client sees the
			// drop only after the log holds the request.
			s.log(rec)
			hijackClose(w)
			return
		}
		if done := s.preFault(w, r, f, &rec); done {
			s.log(rec)
			return
		}
	}

	s.mu.Lock()
	c := &call{s: s.st, r: r, module: module, action: action, form: form, remote: remoteHost(r)}
	if f != nil && f.Kind == FaultExpireToken {
		s.st.expireToken(form.Get("token"))
	}
	var reply any
	if secretInQuery {
		reply = s.st.invalidToken()
	} else {
		reply = s.st.dispatch(c)
	}
	rec.Handled = true
	s.st.counts[module+"/"+action]++
	var delay time.Duration
	if e, ok := reply.(*apiError); ok {
		delay = e.delay
	}
	status, ctype, body := s.st.encode(reply, f)
	s.mu.Unlock()

	if delay > 0 {
		sleep(r, delay)
	}
	if f != nil {
		if f.Kind == FaultDropAfter {
			s.log(rec) // before the close, as for FaultDropBefore
			hijackClose(w)
			return
		}
		if done := s.postFault(w, r, f, &rec, &status, &body); done {
			s.log(rec)
			return
		}
	}
	rec.Status = status
	s.log(rec)
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("X-Powered-By", "PHP/8.1.2")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// encode turns a handler's answer into status, content type and body,
// applying the loose-type quirks. Called with the lock held.
func (st *state) encode(reply any, f *Fault) (int, string, []byte) {
	status := http.StatusOK
	ctype := "application/json; charset=utf-8"
	if st.quirks.HTMLContentType {
		ctype = "text/html; charset=UTF-8"
	}
	var v any
	switch t := reply.(type) {
	case *rawReply:
		return status, t.contentType, t.body
	case *apiError:
		v = t.body()
		if t.code == -2 && st.unauthorizedStatus != 0 {
			status = st.unauthorizedStatus
		}
	default:
		v = t
	}
	q := st.quirks
	if f != nil && f.Kind == FaultWrongTypes {
		q = Quirks{StringIDs: true, EmptyObjectsAsArrays: true, OneRowListsAsObjects: true}
	}
	v = applyQuirks(v, q, "")
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return http.StatusInternalServerError, "text/plain", []byte(err.Error())
	}
	return status, ctype, bytes.TrimRight(buf.Bytes(), "\n")
}

// dispatch runs the authentication, PIN and handler steps. Called with the
// lock held.
func (st *state) dispatch(c *call) any {
	acts := modules[c.module]
	a, ok := acts[c.action]
	if !ok {
		return errf("Unknown action")
	}
	if !a.noAuth || (a.optionalAuth && c.form.Get("token") != "") {
		sess, e := st.authenticate(c, a)
		if e != nil {
			return e
		}
		c.sess, c.acct = sess, st.accounts[sess.customerID]
	}
	if a.pin {
		if e := st.checkPIN(c); e != nil {
			return e
		}
	}
	return a.fn(st, c)
}

// readForm reads the urlencoded (or multipart) body of any method.
func readForm(r *http.Request) (url.Values, error) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "multipart/form-data" {
		if err := r.ParseMultipartForm(32 << 20); err != nil {
			return nil, err
		}
		v := url.Values{}
		for k, vs := range r.MultipartForm.Value {
			v[k] = append([]string(nil), vs...)
		}
		return v, nil
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, 16<<20))
	if err != nil {
		return nil, err
	}
	if len(b) == 0 {
		return url.Values{}, nil
	}
	return url.ParseQuery(string(b))
}

func moduleFromPath(p string) (string, bool) {
	p = strings.TrimPrefix(p, "/")
	if strings.Contains(p, "/") || !strings.HasSuffix(p, ".php") {
		return p, false
	}
	return strings.TrimSuffix(p, ".php"), true
}

func remoteHost(r *http.Request) string {
	h, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return h
}

func writeNotFound(w http.ResponseWriter, path string) {
	w.Header().Set("Content-Type", "text/html; charset=iso-8859-1")
	w.WriteHeader(http.StatusNotFound)
	fmt.Fprintf(w, "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n<h1>Not Found</h1>\n<p>The requested URL %s was not found on this server.</p>\n<hr>\n<address>Apache/2.4.52 (Ubuntu) Server</address>\n</body></html>\n", htmlEscape(path))
}

func htmlEscape(s string) string {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")
	return r.Replace(s)
}

// sleep waits d or until the client goes away.
func sleep(r *http.Request, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-r.Context().Done():
	}
}

// newKey returns 32 random hex characters (async keys, tokens).
func newKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// maskForm copies a form with secret values replaced by "***".
func maskForm(f url.Values) url.Values {
	out := make(url.Values, len(f))
	for k, vs := range f {
		cp := append([]string(nil), vs...)
		if secretFields[k] {
			for i := range cp {
				cp[i] = "***"
			}
		}
		out[k] = cp
	}
	return out
}
