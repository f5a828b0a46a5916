package main

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
)

// secretFields are the form fields whose values a dry run never prints.
var secretFields = map[string]bool{
	"token": true, "pin": true, "old_pin": true, "new_pin": true, "password": true, "new_password": true,
	"key": true, "api_key": true, "root_pass": true, "admin_pass": true, "code": true, "reset_token": true,
	"secret": true, "secret_key": true,
}

// isSecretField reports whether a form field holds a secret: a known name,
// or one that looks like it (params[password], new_pin, s3 secret...).
func isSecretField(name string) bool {
	n := strings.ToLower(name)
	if secretFields[n] {
		return true
	}
	if i := strings.LastIndex(n, "["); i >= 0 && strings.HasSuffix(n, "]") && secretFields[n[i+1:len(n)-1]] {
		return true
	}
	for _, part := range []string{"pass", "pin", "token", "secret", "api_key", "apikey"} {
		if strings.Contains(n, part) {
			return true
		}
	}
	return false
}

// errDryRun stops the SDK's request once its form was printed.
var errDryRun = errors.New("dry run: not sent")

// dryRunTransport is the SDK's HTTP transport under --dry-run: it prints the
// request the SDK built (the same form a real run sends) and sends nothing.
// The client has a placeholder token and PIN, so no login goes out either.
type dryRunTransport struct {
	out  io.Writer
	mu   sync.Mutex
	sent bool
}

func (d *dryRunTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body.Close()
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.sent {
		return nil, errDryRun // a retry of the same request: printed once
	}
	d.sent = true
	form, _ := url.ParseQuery(string(body))
	fmt.Fprintf(d.out, "dry run: would send %s %s\n", req.Method, req.URL.Redacted())
	keys := make([]string, 0, len(form))
	for k := range form {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i] == "action" || keys[j] == "action" {
			return keys[i] == "action"
		}
		return keys[i] < keys[j]
	})
	for _, k := range keys {
		for _, v := range form[k] {
			if isSecretField(k) {
				v = "***"
			}
			fmt.Fprintf(d.out, "  %s=%s\n", k, v)
		}
	}
	fmt.Fprintln(d.out, "nothing was sent")
	return nil, errDryRun
}
