package invapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fleetServer is a loopback InvAPI for BenchmarkFleet that enforces a rate
// limit its clients are not told of: a token bucket of fleetRate requests a
// second with bursts of fleetBurst, over every request (login, show,
// reboot, callback check). Beyond it, it answers 429 with Retry-After (whole
// seconds, as HTTP has them: the time until the next token, rounded up).
type fleetServer struct {
	srv      *httptest.Server
	requests atomic.Int64
	limited  atomic.Int64

	mu     sync.Mutex
	tokens float64
	last   time.Time
	doneAt map[string]time.Time
}

const (
	fleetRate      = 200 // requests per second
	fleetBurst     = 50
	fleetServers   = 1000
	fleetReboots   = 200
	fleetRebootFor = 300 * time.Millisecond // a reboot's callback reads OK after this
)

func newFleetServer() *fleetServer {
	fs := &fleetServer{tokens: fleetBurst, last: time.Now(), doneAt: map[string]time.Time{}}
	fs.srv = httptest.NewServer(http.HandlerFunc(fs.serve))
	return fs
}

// take spends a token, or returns how long until one is there.
func (fs *fleetServer) take() (time.Duration, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	now := time.Now()
	fs.tokens = math.Min(fleetBurst, fs.tokens+now.Sub(fs.last).Seconds()*fleetRate)
	fs.last = now
	if fs.tokens >= 1 {
		fs.tokens--
		return 0, true
	}
	return time.Duration((1 - fs.tokens) / fleetRate * float64(time.Second)), false
}

func (fs *fleetServer) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	form, _ := url.ParseQuery(string(body))
	fs.requests.Add(1)
	w.Header().Set("Content-Type", "application/json")
	if wait, ok := fs.take(); !ok {
		fs.limited.Add(1)
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = io.WriteString(w, `{"code":-1,"message":"Too many requests"}`)
		return
	}
	module := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/"), ".php")
	switch module + "/" + form.Get("action") {
	case "auth/login":
		_, _ = io.WriteString(w, `{"result":{"token":"fleet-token-0123456789","ttl":7200}}`)
	case "eq/show":
		_, _ = io.WriteString(w, `{"result":"OK","server_data":{"id":"`+form.Get("id")+`","name":"srv","status":"rent"}}`)
	case "eq/reboot":
		key := "fleetkey" + form.Get("id")
		fs.mu.Lock()
		fs.doneAt[key] = time.Now().Add(fleetRebootFor)
		fs.mu.Unlock()
		_, _ = io.WriteString(w, `{"result":"OK","callback":"`+key+`"}`)
	case "eq_callback/check":
		key := form.Get("key")
		fs.mu.Lock()
		at, ok := fs.doneAt[key]
		fs.mu.Unlock()
		switch {
		case !ok:
			_, _ = io.WriteString(w, `{"code":-1,"message":"AsyncKey `+key+` not found"}`)
		case time.Now().Before(at):
			_, _ = io.WriteString(w, `{"result":"Not ready","key":"`+key+`"}`)
		default:
			_, _ = io.WriteString(w, `{"result":"OK","scope":"done","key":"`+key+`"}`)
		}
	default:
		_, _ = io.WriteString(w, `{"code":-1,"message":"Unknown action"}`)
	}
}

// fleetSDK runs the fleet with the SDK: every show and every reboot on its
// own goroutine, at once, as a program with an errgroup would; the client
// paces them. A reboot the API refuses with a 429 is not resent by the
// SDK (a state change); the program sends it again at once, as it may (the
// API refused it), and the limiter paces the resend.
func fleetSDK(b *testing.B, fs *fleetServer, opts ...Option) {
	base := []Option{WithBaseURL(fs.srv.URL), WithAPIKey("fleet-api-key-0123456789"),
		WithRetry(20, 2*time.Second), WithPollInterval(100*time.Millisecond, 500*time.Millisecond),
		WithPollBudget(1000), WithPollConcurrency(32)}
	c, err := NewClient(append(base, opts...)...)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	var failed atomic.Int64
	var firstErr atomic.Value
	fail := func(err error) {
		if failed.Add(1) == 1 {
			firstErr.Store(err)
		}
	}
	for id := 1; id <= fleetServers; id++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Eq.Show(ctx, id); err != nil {
				fail(err)
			}
		}()
	}
	for id := 1; id <= fleetReboots; id++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				op, err := c.Eq.Reboot(ctx, id)
				var apiErr *APIError
				if errors.Is(err, ErrRateLimited) && errors.As(err, &apiErr) && apiErr.HTTPStatus == http.StatusTooManyRequests {
					continue // refused, not carried out: the limiter paces the resend
				}
				if err != nil {
					fail(err)
					return
				}
				if _, err := op.Wait(ctx); err != nil {
					fail(err)
				}
				return
			}
		}()
	}
	wg.Wait()
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d calls failed, the first: %v", n, firstErr.Load())
	}
	st := c.LimiterStats()
	b.ReportMetric(st.Rate, "final-rate/s")
}

// fleetNaive is the same fleet with raw net/http and 32 workers, each
// retrying a 429 after its Retry-After and polling a reboot's key every
// 100 ms until it reads OK.
func fleetNaive(b *testing.B, fs *fleetServer) {
	hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	defer hc.CloseIdleConnections()
	post := func(module string, form url.Values) (map[string]any, error) {
		for {
			resp, err := hc.PostForm(fs.srv.URL+"/"+module+".php", form)
			if err != nil {
				return nil, err
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusTooManyRequests {
				secs, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
				time.Sleep(time.Duration(secs) * time.Second)
				continue
			}
			var out map[string]any
			if err := json.Unmarshal(body, &out); err != nil {
				return nil, err
			}
			return out, nil
		}
	}
	login, err := post("auth", url.Values{"action": {"login"}, "key": {"fleet-api-key-0123456789"}})
	if err != nil {
		b.Fatal(err)
	}
	token := login["result"].(map[string]any)["token"].(string)
	jobs := make(chan int)
	var wg sync.WaitGroup
	var failed atomic.Int64
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for job := range jobs {
				if job > 0 {
					if _, err := post("eq", url.Values{"action": {"show"}, "id": {strconv.Itoa(job)}, "token": {token}}); err != nil {
						failed.Add(1)
					}
					continue
				}
				id := strconv.Itoa(-job)
				ans, err := post("eq", url.Values{"action": {"reboot"}, "id": {id}, "token": {token}})
				if err != nil {
					failed.Add(1)
					continue
				}
				key, _ := ans["callback"].(string)
				for {
					time.Sleep(100 * time.Millisecond)
					ans, err := post("eq_callback", url.Values{"action": {"check"}, "key": {key}})
					if err != nil {
						failed.Add(1)
						break
					}
					if ans["result"] == "OK" {
						break
					}
				}
			}
		}()
	}
	// Reboots and shows interleaved, so both kinds run from the start.
	for i := 1; i <= fleetServers; i++ {
		jobs <- i
		if i%(fleetServers/fleetReboots) == 0 {
			jobs <- -(i / (fleetServers / fleetReboots))
		}
	}
	close(jobs)
	wg.Wait()
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d naive requests failed", n)
	}
}

// fleetFixedRate is the best fixed rate found by hand against the hidden
// limit (see BENCHMARKS.md); FLEET_FIXED_RATE overrides it to search.
func fleetFixedRate() float64 {
	if v, err := strconv.ParseFloat(os.Getenv("FLEET_FIXED_RATE"), 64); err == nil && v > 0 {
		return v
	}
	return 200
}

// BenchmarkFleet: 1,000 servers, a show each, plus 200 reboots waited
// through their callback keys, against a server that enforces a hidden
// rate limit with 429s. Run with -benchtime 1x.
func BenchmarkFleet(b *testing.B) {
	variants := []struct {
		name string
		run  func(*testing.B, *fleetServer)
	}{
		{"default", func(b *testing.B, fs *fleetServer) { fleetSDK(b, fs) }},
		{"fixed", func(b *testing.B, fs *fleetServer) { fleetSDK(b, fs, WithRateLimit(fleetFixedRate(), 10)) }},
		{"naive", fleetNaive},
	}
	for _, v := range variants {
		b.Run(v.name, func(b *testing.B) {
			var wall time.Duration
			var requests, limited int64
			for range b.N {
				fs := newFleetServer()
				start := time.Now()
				v.run(b, fs)
				wall += time.Since(start)
				requests += fs.requests.Load()
				limited += fs.limited.Load()
				fs.srv.Close()
			}
			n := float64(b.N)
			b.ReportMetric(float64(wall.Milliseconds())/n, "wall-ms")
			b.ReportMetric(float64(limited)/n, "429s")
			b.ReportMetric(float64(requests)/n, "requests")
			b.ReportMetric(0, "ns/op")
		})
	}
}
