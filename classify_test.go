package invapi

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every sentinel against the texts it must match and the near misses it
// must not: a message about pings, shipping or spinning disks is no PIN
// error, a tag value about tokens is no session error.
func TestClassifyNearMisses(t *testing.T) {
	tests := []struct {
		want  error
		match []string
		miss  []string
	}{
		{ErrWrongPIN,
			[]string{"Wrong PIN", "wrong pin.", "Wrong PIN ***", "Invalid PIN code", "eq/on: Wrong PIN", "Incorrect PIN"},
			[]string{"Ping to the server failed", "IP mapping failed", "Spinning up disks failed",
				"Shipping address invalid", "Pinned version mismatch", "PIN must be 4 to 6 digits",
				"Wrong PIN count exceeded, try tomorrow with the pin", "Opinion invalid"}},
		{ErrPINRequired,
			[]string{"PIN required", "Empty PIN", "eq/reboot: PIN is required"},
			[]string{"Spinning disk required", "Shipping address required", "PIN is not set: set it with eq/set_pin first",
				"Mapping needed", "pin required for shipping"}},
		{ErrNotFound,
			[]string{"Nothing found for id", "AsyncKey abc123 not found", "incorrect server id", "eq/off: incorrect server id",
				"EQ/sensors: invalid server id", "tags/list: invalid server id", "No such server", "Unknown server 12345",
				"server not exist", "Server 12345 does not exist", "ip/get_ip: IP not found"},
			[]string{"Foundation not ready", "Nothing founded", "Unknown serverless plan", "invalid server idea",
				"Start request failed: Server is locked or invalid ID", "Unknown preset \"x\"", "Unknown action",
				"No active servers were found for this account"}},
		{ErrUnauthorized,
			[]string{"Invalid token", "Invalid token ***", "Invalid token tok-5f2a9c0e7b1d4a3c", "Token missing or invalid",
				"Authentication required", "token expired", "Not authorized", "Authentication failed", "Invalid hash"},
			[]string{"tag/add: invalid token data, too long", "Invalid token data", "Authentication required for shipping",
				"Not authorized to order this preset in FI, contact sales"}},
		{ErrAccessDenied,
			[]string{"Access denied", "eq/show: access denied for server 12345", "Permission denied"},
			[]string{"Processing access", "Denied IP list updated", "Accessed denied-list"}},
		{ErrNoServers,
			[]string{"No appropriate servers found", "NO_APPROPRIATE_SERVERS"},
			[]string{"No appropriate servers found in FI for this preset"}},
		{ErrRateLimited,
			[]string{"Too many requests", "Rate limit exceeded, retry in 5s"},
			[]string{"Too many IPs requested", "The rate limited plan"}},
	}
	for _, tt := range tests {
		for _, m := range tt.match {
			assert.Equal(t, tt.want, classify("-1", m, 200), "%q must be %v", m, tt.want)
		}
		for _, m := range tt.miss {
			assert.NotEqual(t, tt.want, classify("-1", m, 200), "%q must not be %v", m, tt.want)
		}
	}
}

// The code and the HTTP status decide before any text.
func TestClassifyByCodeFirst(t *testing.T) {
	assert.Equal(t, ErrUnauthorized, classify("-2", "Nothing found for id", 200))
	assert.Equal(t, ErrTwoFactorRequired, classify("-2", "2FA required", 200))
	assert.Equal(t, ErrNoServers, classify("NO_APPROPRIATE_SERVERS", "whatever the text", 200))
	assert.Equal(t, ErrNoServers, classify("no_appropriate_servers", "", 200))
	assert.Equal(t, ErrRateLimited, classify("", "Nothing found for id", 429))
	assert.Equal(t, ErrUnauthorized, classify("", "Access denied", 401))
	assert.Equal(t, ErrNotFound, classify("-1", "Nothing found for id", 500), "a known text says more than a 5xx")
	assert.Equal(t, ErrServer, classify("-1", "Internal error", 502))
	assert.Nil(t, classify("-1", "", 200))
	assert.Nil(t, classify("-1", "Server is locked", 200))
}

// The table holds each text once, with a source, and every entry matches
// its own text (with {} filled in).
func TestKnownMessagesTable(t *testing.T) {
	seen := map[string]bool{}
	for _, m := range knownMessages {
		require.NotEmpty(t, m.source, m.text)
		require.False(t, seen[m.text], "duplicate %q", m.text)
		seen[m.text] = true
		text := m.text
		for _, f := range [][2]string{{"{token}", "0123456789abcdef"}, {"{}", "x1"}} {
			text = strings.ReplaceAll(text, f[0], f[1])
		}
		got := classifyMessage(text)
		if m.kind == ErrUnauthorized || m.kind == ErrTwoFactorRequired {
			assert.Truef(t, errors.Is(got, m.kind), "%q", text)
			continue
		}
		assert.Equal(t, m.kind, got, "%q", text)
		if !m.phrase {
			assert.GreaterOrEqual(t, len(m.text), 6, "whole-message entries are not short words: %q", m.text)
		}
	}
}

// "invapi: tags/list: tags/list: invalid server id" says the action twice.
func TestAPIErrorNamesItsActionOnce(t *testing.T) {
	e := &APIError{Module: "tags", Action: "list", Code: "-1", Message: "tags/list: invalid server id", HTTPStatus: 200}
	assert.Equal(t, "invapi: tags/list: invalid server id (code -1)", e.Error())
	e = &APIError{Module: "eq", Action: "sensors", Message: "EQ/sensors: invalid server id"}
	assert.Equal(t, "invapi: eq/sensors: invalid server id", e.Error())
	e = &APIError{Module: "eq", Action: "show", Message: "eq/off: incorrect server id"}
	assert.Equal(t, "invapi: eq/show: eq/off: incorrect server id", e.Error(), "another action's name is kept")
}

// A resumed operation does not know what started it: its error says so
// rather than "invapi: /: ...".
func TestResumedOperationErrorName(t *testing.T) {
	e := &OperationError{Key: "k1", Gone: true}
	assert.Equal(t, "invapi: resumed operation: callback key k1 is gone (its result was probably read elsewhere); check the server's state", e.Error())
	e = &OperationError{Key: "k1", Module: "eq", Action: "reboot", Message: "IPMI timeout"}
	assert.Equal(t, "invapi: eq/reboot: operation failed: IPMI timeout", e.Error())
}

// Wrappers say "invapi:" and the action once.
func TestWrappedErrorsSayTheirPrefixOnce(t *testing.T) {
	inner := &ResponseError{Module: "eq", Action: "off", HTTPStatus: 502, Reason: "server error"}
	e := &OutcomeUnknownError{Module: "eq", Action: "off", Err: inner, Settle: "eq/show id=1"}
	assert.Equal(t, "invapi: eq/off: outcome unknown, not resent: unreadable answer (HTTP 502): server error; check with eq/show id=1", e.Error())
	w := &WorkflowError{Workflow: "power on", Step: "on", ServerID: 12345,
		Err: &APIError{Module: "eq", Action: "on", Code: "-1", Message: "Server is locked"}}
	assert.Equal(t, "invapi: power on: step on failed (server 12345): eq/on: Server is locked (code -1)", w.Error())
	assert.Equal(t, 1, strings.Count(w.Error(), "invapi:"))
}
