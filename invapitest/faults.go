package invapitest

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// FaultKind selects what an injected Fault does to a request.
type FaultKind int

// The fault kinds. "Not handled" means the request never reaches the
// handler: nothing changes and Count does not see it.
const (
	// FaultNone is the zero FaultKind; Server.Fault treats it as FaultStatus.
	FaultNone FaultKind = iota
	// FaultStatus answers Fault.Status (default 502) with an nginx-style
	// HTML page. Not handled.
	FaultStatus
	// FaultRateLimit answers 429 with a Retry-After header of
	// Fault.RetryAfter seconds (default 1). Not handled.
	FaultRateLimit
	// FaultHTML answers an HTML error page with Fault.Status (default 200).
	// Not handled.
	FaultHTML
	// FaultPHPWarning handles the request and puts a PHP warning before
	// the JSON body.
	FaultPHPWarning
	// FaultTruncated handles the request and cuts the JSON body in half.
	FaultTruncated
	// FaultSlow handles the request, then waits Fault.Delay (default 1s)
	// before answering, or until the client gives up.
	FaultSlow
	// FaultDropBefore closes the connection without processing the request
	// or answering. Not handled.
	FaultDropBefore
	// FaultDropAfter handles the request (its effects stay), then closes
	// the connection without answering.
	FaultDropAfter
	// FaultWrongTypes handles the request and answers with every loose
	// type quirk on (see Quirks).
	FaultWrongTypes
	// FaultExpireToken expires the request's token before handling it, so
	// the request answers as with an expired session.
	FaultExpireToken
	// FaultAPIError answers {"code":Fault.Code,"message":Fault.Message}
	// (defaults -1 and "Internal error") with HTTP 200. Not handled.
	FaultAPIError
)

var faultNames = [...]string{"none", "status", "rate_limit", "html", "php_warning", "truncated", "slow",
	"drop_before", "drop_after", "wrong_types", "expire_token", "api_error"}

// String returns a short name of the kind, e.g. "drop_after".
func (k FaultKind) String() string {
	if int(k) >= 0 && int(k) < len(faultNames) {
		return faultNames[k]
	}
	return "FaultKind(" + strconv.Itoa(int(k)) + ")"
}

// Fault describes a failure to inject into the next matching requests.
type Fault struct {
	Module string // module to match, e.g. "eq"; "" matches every module
	Action string // action to match, e.g. "show"; "" matches every action
	// ServerID, when set, matches only requests about that server: its
	// id field (id, server_id or params[server_id]), or, for a callback
	// check, the server of the operation behind the key. A fault on
	// eq_callback check with ServerID 12345 fails the wait of server
	// 12345's operation and no other.
	ServerID int
	// Key, when set, matches only callback checks of that key (and requests
	// whose key field is that key).
	Key  string
	Kind FaultKind
	// Times is how many matching requests the fault applies to; 0 means
	// once, a negative value means until ClearFaults.
	Times      int
	Status     int           // HTTP status for FaultStatus and FaultHTML
	RetryAfter int           // seconds, for FaultRateLimit
	Delay      time.Duration // for FaultSlow
	Code       int           // for FaultAPIError
	Message    string        // for FaultAPIError
}

// PHPWarning is the prefix FaultPHPWarning puts before the JSON body.
const PHPWarning = "<br />\n<b>Warning</b>:  Undefined variable $x in <b>/var/www/eq.php</b> on line <b>42</b><br />\n"

// Fault injects f. Faults are matched in the order they were added; each
// request consumes at most one. Module, Action, ServerID and Key narrow
// which requests match; the zero values match all.
func (s *Server) Fault(f Fault) {
	if f.Kind == FaultNone {
		f.Kind = FaultStatus
	}
	if f.Times == 0 {
		f.Times = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.faults = append(s.st.faults, &f)
}

// ClearFaults removes every injected fault not yet used up.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.faults = nil
}

// takeFault returns a copy of the first fault matching the request and
// uses one of its times. Called with the lock held.
func (st *state) takeFault(module, action string, form url.Values) *Fault {
	for i, f := range st.faults {
		if (f.Module != "" && f.Module != module) || (f.Action != "" && f.Action != action) {
			continue
		}
		if f.Key != "" && strings.TrimSpace(form.Get("key")) != f.Key {
			continue
		}
		if f.ServerID != 0 && st.requestServer(module, form) != f.ServerID {
			continue
		}
		cp := *f
		if f.Times > 0 {
			f.Times--
			if f.Times == 0 {
				st.faults = append(st.faults[:i:i], st.faults[i+1:]...)
			}
		}
		return &cp
	}
	return nil
}

func errorPage(status int) string {
	text := http.StatusText(status)
	if text == "" {
		text = "Error"
	}
	return fmt.Sprintf("<!DOCTYPE html>\n<html><head><title>%d %s</title></head>\n<body><center><h1>%d %s</h1></center><hr><center>nginx</center></body></html>\n",
		status, text, status, text)
}

// preFault applies the faults that answer without handling the request.
// It reports whether the request is finished.
func (s *Server) preFault(w http.ResponseWriter, r *http.Request, f *Fault, rec *Request) bool {
	html := func(status int) {
		rec.Status = status
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(errorPage(status)))
	}
	switch f.Kind {
	case FaultStatus:
		st := f.Status
		if st == 0 {
			st = http.StatusBadGateway
		}
		html(st)
	case FaultHTML:
		st := f.Status
		if st == 0 {
			st = http.StatusOK
		}
		html(st)
	case FaultRateLimit:
		ra := f.RetryAfter
		if ra <= 0 {
			ra = 1
		}
		rec.Status = http.StatusTooManyRequests
		w.Header().Set("Retry-After", strconv.Itoa(ra))
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(errorPage(http.StatusTooManyRequests)))
	case FaultDropBefore:
		hijackClose(w)
	case FaultAPIError:
		code, msg := f.Code, f.Message
		if code == 0 {
			code = -1
		}
		if msg == "" {
			msg = "Internal error"
		}
		s.mu.Lock()
		status, ctype, body := s.st.encode(&apiError{code: code, message: msg}, nil)
		s.mu.Unlock()
		rec.Status = status
		w.Header().Set("Content-Type", ctype)
		w.WriteHeader(status)
		_, _ = w.Write(body)
	default:
		return false
	}
	return true
}

// postFault applies the faults that change or drop a handled answer. It
// reports whether the request is finished.
func (s *Server) postFault(w http.ResponseWriter, r *http.Request, f *Fault, rec *Request, status *int, body *[]byte) bool {
	switch f.Kind {
	case FaultPHPWarning:
		*body = append([]byte(PHPWarning), *body...)
	case FaultTruncated:
		*body = (*body)[:len(*body)/2]
	case FaultSlow:
		d := f.Delay
		if d <= 0 {
			d = time.Second
		}
		sleep(r, d)
	case FaultDropAfter:
		hijackClose(w)
		return true
	}
	return false
}

// hijackClose closes the client connection without an answer.
func hijackClose(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// ExpireSessions makes every session token expired now.
func (s *Server) ExpireSessions() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sess := range s.st.sessions {
		sess.expires = s.st.now().Add(-time.Second)
	}
}

// requestServer returns the server a request is about: the operation's
// server for a callback check, else its id field; 0 when none.
func (st *state) requestServer(module string, form url.Values) int {
	if callbackModules[module] {
		if op := st.ops[strings.TrimSpace(form.Get("key"))]; op != nil {
			return op.serverID
		}
		return 0
	}
	for _, name := range []string{"id", "server_id", "params[server_id]", "params[id]"} {
		if id, err := strconv.Atoi(strings.TrimSpace(form.Get(name))); err == nil && id > 0 {
			return id
		}
	}
	return 0
}
