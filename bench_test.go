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
	"time"
)

// benchShowBody is a realistic eq.php show answer, loose types included
// (ids and counts as strings, as PHP sends them).
const benchShowBody = `{"result":"OK","module":"eq","action":"show","server_data":{"id":"12345","name":"server-01","status":"rent","location":"NL","ip":"192.0.2.10","type":"Server"},"hardware":{"components":[{"Type":"CPU","Name":"Intel Xeon E-2288G","Cores":"8"},{"Type":"RAM","Name":"DDR4","Size":65536}]},"groups":[{"id":1,"name":"Group 1"}],"licenses":[],"location":{"dc_name":"Datacenter 1","rack_name":"Rack 1"},"OS":{"id":"10","name":"Ubuntu 22.04"},"IP":[{"IP":"192.0.2.10","type":"public","main":"1","ptr":"web-1.example.com"}],"interfaces":[{"id":1,"type":"eth0","mac":"00:11:22:33:44:55"}],"IPMI":{"model":"Supermicro","interfaces":[{"IP":"10.0.0.5","MAC":"00:11:22:33:44:57"}]},"tags":[{"id":"991","component":"eq","component_id":"12345","tag":"hostname","value":"web-1"}],"preset":"preset-01","commitment":""}`

// benchServer is what a user decodes by hand without the SDK, for the same
// information: strings where PHP sends numbers as strings, any where it
// sends either (encoding/json cannot take "12345" into an int).
type benchServer struct {
	Result     string `json:"result"`
	ServerData struct {
		ID       string `json:"id"`
		Name     string `json:"name"`
		Status   string `json:"status"`
		Location string `json:"location"`
		IP       string `json:"ip"`
		Type     string `json:"type"`
	} `json:"server_data"`
	Hardware struct {
		Components []map[string]any `json:"components"`
	} `json:"hardware"`
	Groups []struct {
		ID   any    `json:"id"`
		Name string `json:"name"`
	} `json:"groups"`
	Licenses []map[string]any `json:"licenses"`
	Location struct {
		DCName   string `json:"dc_name"`
		RackName string `json:"rack_name"`
	} `json:"location"`
	OS struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"OS"`
	IP []struct {
		IP   string `json:"IP"`
		Type string `json:"type"`
		Main string `json:"main"`
		PTR  string `json:"ptr"`
	} `json:"IP"`
	Interfaces []struct {
		ID   any    `json:"id"`
		Type string `json:"type"`
		MAC  string `json:"mac"`
	} `json:"interfaces"`
	IPMI struct {
		Model      string `json:"model"`
		Interfaces []struct {
			IP  string `json:"IP"`
			MAC string `json:"MAC"`
		} `json:"interfaces"`
	} `json:"IPMI"`
	Tags []struct {
		ID    string `json:"id"`
		Tag   string `json:"tag"`
		Value string `json:"value"`
	} `json:"tags"`
	Preset     string `json:"preset"`
	Commitment any    `json:"commitment"`
	Code       any    `json:"code"`
	Message    string `json:"message"`
}

// benchRawShow is the hand-written eq.php show: net/http, url.Values and
// encoding/json, with the checks the API needs (HTTP status, an error
// envelope) and the id conversion.
func benchRawShow(ctx context.Context, hc *http.Client, base, token string, id int) (*benchServer, int, error) {
	form := url.Values{"action": {"show"}, "token": {token}, "id": {strconv.Itoa(id)}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/eq.php", strings.NewReader(form.Encode()))
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, 0, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, 0, fmt.Errorf("eq/show: HTTP %d", resp.StatusCode)
	}
	s := new(benchServer)
	if err := json.Unmarshal(body, s); err != nil {
		return nil, 0, err
	}
	if s.Code != nil || s.Message != "" {
		return nil, 0, fmt.Errorf("eq/show: %v %s", s.Code, s.Message)
	}
	got, err := strconv.Atoi(s.ServerData.ID)
	return s, got, err
}

// startCPU and reportCPU add a cpu-ns/op metric: the process's CPU time
// per call (client, server and GC), which a loaded machine inflates far
// less than the wall time ns/op measures. Nothing is reported where the
// process's CPU time cannot be read.
func startCPU() time.Duration {
	t, _ := processCPU()
	return t
}

func reportCPU(b *testing.B, start time.Duration) {
	if end, ok := processCPU(); ok && b.N > 0 {
		b.ReportMetric(float64(end-start)/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkCallOverhead compares one read (eq.php show) through the SDK
// with the same request written by hand with net/http, url.Values and
// encoding/json, against one loopback server answering a realistic body.
// Both run in one process with the server, so B/op and allocs/op include
// the server's share, the same on both sides.
//
//	go test -run '^$' -bench 'BenchmarkCallOverhead' -benchmem -count 8 .
func BenchmarkCallOverhead(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, benchShowBody)
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
		defer reportCPU(b, startCPU())
		for i := 0; i < b.N; i++ {
			s, err := c.Eq.Show(ctx, 12345)
			if err != nil || s.ID != 12345 || len(s.Tags) != 1 {
				b.Fatal(s, err)
			}
		}
	})
	b.Run("raw", func(b *testing.B) {
		hc := &http.Client{}
		b.ReportAllocs()
		b.ResetTimer()
		defer reportCPU(b, startCPU())
		for i := 0; i < b.N; i++ {
			s, id, err := benchRawShow(ctx, hc, srv.URL, testToken, 12345)
			if err != nil || id != 12345 || len(s.Tags) != 1 {
				b.Fatal(s, err)
			}
		}
	})
}

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

// BenchmarkCallOverheadInfo is BenchmarkCallOverhead with a small answer
// (auth.php info), where the fixed cost of the request path weighs most.
func BenchmarkCallOverheadInfo(b *testing.B) {
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
		defer reportCPU(b, startCPU())
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
		defer reportCPU(b, startCPU())
		for i := 0; i < b.N; i++ {
			id, servers, err := benchRawInfo(ctx, hc, srv.URL, testToken)
			if err != nil || id != 1001 || len(servers) != 6 {
				b.Fatal(id, servers, err)
			}
		}
	})
}
