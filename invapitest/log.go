package invapitest

import (
	"net/url"
	"strings"
	"time"
)

// Request is one request the simulator received, as Server.Requests
// reports it.
type Request struct {
	Module string // "eq" for /eq.php
	Action string // the action field
	Method string // "POST" or "GET"
	// Form holds the body fields (and the query fields that are not
	// secrets). The values of token, pin, old_pin, new_pin, password, key,
	// root_pass, code, admin_pass, new_password, reset_token, api_key,
	// secret and pass are masked as "***".
	Form   url.Values
	Time   time.Time // when the request arrived (wall clock)
	Status int       // HTTP status answered; 0 when the connection was dropped
	// Handled is true when the request reached its handler (see Count).
	Handled bool
	// Fault is the injected fault applied to the request, FaultNone if none.
	Fault FaultKind
}

func (s *Server) log(r Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.requests = append(s.st.requests, r)
}

// Requests returns a copy of the request log, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.st.requests))
	for i, r := range s.st.requests {
		r.Form = maskForm(r.Form)
		out[i] = r
	}
	return out
}

// Count returns how many requests for module/action reached their handler,
// whatever they answered. A request dropped by FaultDropAfter counts (it was
// processed); one refused by FaultDropBefore, FaultStatus, FaultRateLimit,
// FaultHTML or FaultAPIError does not. An empty module or action matches
// any.
func (s *Server) Count(module, action string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for k, c := range s.st.counts {
		m, a, _ := strings.Cut(k, "/")
		if (module == "" || module == m) && (action == "" || action == a) {
			n += c
		}
	}
	return n
}

// ClearRequests empties the request log and resets the counts.
func (s *Server) ClearRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.requests = nil
	s.st.counts = map[string]int{}
}
