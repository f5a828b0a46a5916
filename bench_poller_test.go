package invapi

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// pollBench is a callback endpoint whose keys complete after random delays.
// It counts the checks each key receives.
type pollBench struct {
	srv      *httptest.Server
	mu       sync.Mutex
	doneAt   map[string]time.Time
	checks   atomic.Int64
	maxDelay time.Duration
}

func newPollBench(maxDelay time.Duration) *pollBench {
	pb := &pollBench{doneAt: map[string]time.Time{}, maxDelay: maxDelay}
	pb.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		form, _ := url.ParseQuery(string(body))
		key := form.Get("key")
		pb.checks.Add(1)
		pb.mu.Lock()
		at, ok := pb.doneAt[key]
		pb.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		switch {
		case !ok:
			_, _ = io.WriteString(w, `{"code":-1,"message":"AsyncKey `+key+` not found"}`)
		case time.Now().Before(at):
			_, _ = io.WriteString(w, `{"result":"Not ready","key":"`+key+`"}`)
		default:
			_, _ = io.WriteString(w, `{"result":"OK","scope":"done","context":{"action":"on","id":"1"},"key":"`+key+`"}`)
		}
	}))
	pb.srv.Config.SetKeepAlivesEnabled(true)
	return pb
}

// start registers n keys completing at random times within maxDelay.
func (pb *pollBench) start(n int, round int) ([]string, []time.Time) {
	keys := make([]string, n)
	at := make([]time.Time, n)
	now := time.Now()
	pb.mu.Lock()
	for i := range keys {
		keys[i] = fmt.Sprintf("r%d-k%d", round, i)
		at[i] = now.Add(time.Duration(rand.Int64N(int64(pb.maxDelay))))
		pb.doneAt[keys[i]] = at[i]
	}
	pb.mu.Unlock()
	return keys, at
}

// BenchmarkPoller waits on many operations at once through one client's
// shared poller, and through the naive loop users write by hand (one
// goroutine per operation polling on a fixed ticker). Reported per wait:
// checks sent, the delay between completion and the waiter being told (p50
// and p99), and, for the SDK, heap bytes per pending operation and goroutines
// beyond the waiters themselves.
func BenchmarkPoller(b *testing.B) {
	const (
		maxDelay = 500 * time.Millisecond
		interval = 50 * time.Millisecond // the naive loop's ticker = the SDK's first interval
	)
	for _, n := range []int{1, 100, 1000, 10000} {
		b.Run(fmt.Sprintf("sdk/ops=%d", n), func(b *testing.B) {
			pb := newPollBench(maxDelay)
			defer pb.srv.Close()
			hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			c, err := NewClient(WithBaseURL(pb.srv.URL), WithHTTPClient(hc),
				WithPollInterval(interval, 4*interval), WithPollConcurrency(32), WithPollBudget(1e6))
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			var lat []time.Duration
			var heapPerOp, extraGoroutines float64
			round := 0
			for i := 0; i < b.N; i++ {
				round++
				keys, at := pb.start(n, round)
				ops := make([]*Operation, n)
				var ms0, ms1 runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&ms0)
				for i, k := range keys {
					ops[i], _ = c.ResumeOperation(k, "")
					c.poller.watch(ops[i]) // pending, as a Wait would make it
				}
				runtime.ReadMemStats(&ms1)
				heapPerOp = float64(ms1.HeapAlloc-ms0.HeapAlloc) / float64(n)
				g0 := runtime.NumGoroutine()
				var wg sync.WaitGroup
				told := make([]time.Time, n)
				var peak atomic.Int64
				for i, op := range ops {
					wg.Add(1)
					go func() {
						defer wg.Done()
						if _, err := op.Wait(context.Background()); err != nil {
							b.Error(err)
						}
						told[i] = time.Now()
						if g := int64(runtime.NumGoroutine()); g > peak.Load() {
							peak.Store(g)
						}
					}()
				}
				wg.Wait()
				for _, op := range ops {
					c.poller.unwatch(op)
				}
				extraGoroutines = float64(peak.Load() - int64(g0) - int64(n))
				for i := range told {
					lat = append(lat, told[i].Sub(at[i]))
				}
			}
			report(b, pb, lat, n)
			b.ReportMetric(heapPerOp, "B/pending-op")
			b.ReportMetric(extraGoroutines, "goroutines-beyond-waiters")
		})
		b.Run(fmt.Sprintf("naive/ops=%d", n), func(b *testing.B) {
			pb := newPollBench(maxDelay)
			defer pb.srv.Close()
			hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			var lat []time.Duration
			round := 0
			for i := 0; i < b.N; i++ {
				round++
				keys, at := pb.start(n, round)
				var wg sync.WaitGroup
				told := make([]time.Time, n)
				for i, k := range keys {
					wg.Add(1)
					go func() {
						defer wg.Done()
						t := time.NewTicker(interval)
						defer t.Stop()
						for {
							resp, err := hc.PostForm(pb.srv.URL+"/eq_callback.php", url.Values{"action": {"check"}, "key": {k}})
							if err == nil {
								body, _ := io.ReadAll(resp.Body)
								resp.Body.Close()
								if strings.Contains(string(body), `"OK"`) {
									told[i] = time.Now()
									return
								}
							}
							<-t.C
						}
					}()
				}
				wg.Wait()
				for i := range told {
					lat = append(lat, told[i].Sub(at[i]))
				}
			}
			report(b, pb, lat, n)
		})
	}
}

func report(b *testing.B, pb *pollBench, lat []time.Duration, n int) {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	waits := float64(len(lat))
	b.ReportMetric(float64(pb.checks.Load())/waits, "checks/wait")
	b.ReportMetric(float64(lat[len(lat)/2])/1e6, "ms-p50-notify")
	b.ReportMetric(float64(lat[len(lat)*99/100])/1e6, "ms-p99-notify")
	b.ReportMetric(0, "ns/op") // wall time per round is not the point here
	_ = n
}
