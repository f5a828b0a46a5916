package invapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// benchInfoBody is a realistic auth.php info answer, loose types included:
// the customer id and the server ids come as strings, as PHP sends them.
const benchInfoBody = `{"result":"OK","module":"auth","action":"info","token_data":{"role":"client","customer_id":"1001","email":"ops@example.com","servers":["12345","12346","12347","12348","12349","12350"],"permissions":["eq","tags","net","ip","whmcs"],"expires":1718003600,"ttl":"7190","fix_ip":"0","server_key":false}}`

// benchInfo is the shape a user decodes by hand without the SDK: strings for
// the loosely typed ids, then strconv (encoding/json cannot take "1001"
// into an int).
type benchInfo struct {
	Result    string `json:"result"`
	TokenData struct {
		Role        string   `json:"role"`
		CustomerID  string   `json:"customer_id"`
		Email       string   `json:"email"`
		Servers     []string `json:"servers"`
		Permissions []string `json:"permissions"`
	} `json:"token_data"`
	Code    any    `json:"code"`
	Message string `json:"message"`
}

// benchRawInfo is the hand-written call: what a careful user writes with
// net/http, url.Values and encoding/json, including the error checks the
// API needs (HTTP status, an error envelope) and the id conversions.
func benchRawInfo(ctx context.Context, hc *http.Client, base, token string) (customerID int, servers []int, err error) {
	form := url.Values{"action": {"info"}, "token": {token}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/auth.php", strings.NewReader(form.Encode()))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return 0, nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, nil, fmt.Errorf("auth/info: HTTP %d", resp.StatusCode)
	}
	var in benchInfo
	if err := json.Unmarshal(body, &in); err != nil {
		return 0, nil, err
	}
	if in.Code != nil || in.Message != "" {
		return 0, nil, fmt.Errorf("auth/info: %v %s", in.Code, in.Message)
	}
	if customerID, err = strconv.Atoi(in.TokenData.CustomerID); err != nil {
		return 0, nil, err
	}
	servers = make([]int, len(in.TokenData.Servers))
	for i, s := range in.TokenData.Servers {
		if servers[i], err = strconv.Atoi(s); err != nil {
			return 0, nil, err
		}
	}
	return customerID, servers, nil
}

// BenchmarkCallOverhead compares one read through the SDK with the same
// request written by hand with net/http, url.Values and encoding/json,
// against one loopback server answering a realistic body. The action is
// auth.php info (eq.php show once eq.go has it): a read with a session
// token, loosely typed ids and nested data.
//
//	go test -run '^$' -bench BenchmarkCallOverhead -benchmem -count 6 .
func BenchmarkCallOverhead(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, benchInfoBody)
	}))
	defer srv.Close()
	ctx := context.Background()

	b.Run("sdk", func(b *testing.B) {
		// The SDK's default transport, as a user gets it.
		c, err := NewClient(WithBaseURL(srv.URL), WithToken(testToken))
		if err != nil {
			b.Fatal(err)
		}
		defer c.Close()
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			info, err := c.Auth.Info(ctx)
			if err != nil || info.CustomerID != 1001 || len(info.Servers) != 6 {
				b.Fatal(info, err)
			}
		}
	})
	b.Run("raw", func(b *testing.B) {
		hc := &http.Client{}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			id, servers, err := benchRawInfo(ctx, hc, srv.URL, testToken)
			if err != nil || id != 1001 || len(servers) != 6 {
				b.Fatal(id, servers, err)
			}
		}
	})
}
