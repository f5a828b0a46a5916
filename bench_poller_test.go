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
// It counts the checks it receives.
type pollBench struct {
	srv    *httptest.Server
	mu     sync.Mutex
	doneAt map[string]time.Time
	checks atomic.Int64
}

func newPollBench() *pollBench {
	pb := &pollBench{doneAt: map[string]time.Time{}}
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
	return pb
}

// start registers n keys completing at random times in [min, max) from now.
func (pb *pollBench) start(n, round int, minDelay, maxDelay time.Duration) ([]string, []time.Time) {
	keys := make([]string, n)
	at := make([]time.Time, n)
	now := time.Now()
	pb.mu.Lock()
	for i := range keys {
		keys[i] = fmt.Sprintf("r%d-k%d", round, i)
		at[i] = now.Add(minDelay + time.Duration(rand.Int64N(int64(maxDelay-minDelay))))
		pb.doneAt[keys[i]] = at[i]
	}
	pb.mu.Unlock()
	return keys, at
}

// pollStats gathers one sub-benchmark's measurements over its rounds.
type pollStats struct {
	lat          []time.Duration // completion → waiter told
	waits        int
	heapPerWait  float64 // live heap per pending wait, waiter goroutines excluded
	stackPerWait float64 // goroutine stacks per pending wait
	extraG       int64   // peak goroutines beyond the waiters (and the benchmark's own)
}

// sampleGoroutines records, until stop is closed, the peak of goroutines
// beyond base and the waiters still alive.
func sampleGoroutines(base int, alive *atomic.Int64, peak *atomic.Int64, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(2 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		if g := int64(runtime.NumGoroutine()-base) - alive.Load(); g > peak.Load() {
			peak.Store(g)
		}
	}
}

// measurePending reads the live heap and stacks, after a GC.
func measurePending() (heap, stack uint64) {
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc, ms.StackInuse
}

// BenchmarkPoller waits on n operations at once (1, 100, 1,000, 10,000)
// through one client's shared poller, and through the naive loop users
// write by hand: one goroutine per operation polling on a fixed ticker.
// Operations complete after random delays in [300ms, 800ms). Reported per
// wait: checks sent (checks/wait), the delay between completion and the
// waiter being told (ms-p50-notify, ms-p99-notify), the live heap per
// pending wait with the waiter goroutines' stacks apart (B/pending-heap,
// B/pending-stack), and the peak of goroutines beyond the waiters
// (goroutines-beyond-waiters: the poller's, and the HTTP connections' of
// the client and of the in-process server, 3 per connection).
//
// The SDK variants have 32 checks in flight at most and no request budget:
// sdk is the default policy with pauses between 50ms and 200ms (it starts
// from the priors on a fresh client and learns over its rounds), sdk-fixed
// polls every 50ms (WithPollInterval(d, d)), and sdk-learned is the default
// policy with pauses between 10ms and 200ms after a warm-up of 600
// operations like the measured ones on the same client (not counted). The
// naive loop polls every 50ms with an http.Client allowing 64 idle
// connections; its checks/wait counts every check it tried, and
// failed-checks/wait those that failed (at n = 10,000 on a machine with
// 20,000 descriptors, connections refused: too many open files).
//
//	go test -run '^$' -bench BenchmarkPoller -benchtime 3x .
func BenchmarkPoller(b *testing.B) {
	const (
		minDelay = 300 * time.Millisecond
		maxDelay = 800 * time.Millisecond
		interval = 50 * time.Millisecond // the naive ticker = the SDK's first interval
		settle   = 100 * time.Millisecond
	)
	// sdk is the poller's default policy, scaled down; sdk-fixed polls at
	// the naive loop's fixed pace, to separate the poller's mechanism from
	// its policy.
	// sdk-learned is the poller after a warm-up of operations of the same
	// kind on the same client (not counted), so its schedule has learned
	// where completions fall; its shortest pause is 10ms, so that the
	// learned density, not the bound, sets the pace where completions are
	// dense.
	sdkVariants := []struct {
		name       string
		first, max time.Duration
		warm       bool
	}{{"sdk", interval, 4 * interval, false}, {"sdk-fixed", interval, interval, false},
		{"sdk-learned", interval / 5, 4 * interval, true}}
	for _, n := range []int{1, 100, 1000, 10000} {
		for _, v := range sdkVariants {
			b.Run(fmt.Sprintf("%s/ops=%d", v.name, n), func(b *testing.B) {
				pb := newPollBench()
				defer pb.srv.Close()
				hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
				defer hc.CloseIdleConnections()
				c, err := NewClient(WithBaseURL(pb.srv.URL), WithHTTPClient(hc),
					WithPollInterval(v.first, v.max), WithPollConcurrency(32), WithPollBudget(1e6))
				if err != nil {
					b.Fatal(err)
				}
				defer c.Close()
				if v.warm {
					warmUp(b, c, pb, minDelay, maxDelay)
				}
				var st pollStats
				for round := 1; round <= b.N; round++ {
					keys, at := pb.start(n, round, minDelay, maxDelay)
					ops := make([]*Operation, n)
					for i, k := range keys {
						ops[i], _ = c.ResumeOperation(k, "")
					}
					heap0, stack0 := measurePending()
					g0 := runtime.NumGoroutine()
					var alive, peak atomic.Int64
					stop, sampled := make(chan struct{}), make(chan struct{})
					go sampleGoroutines(g0+1, &alive, &peak, stop, sampled)
					told := make([]time.Time, n)
					var wg sync.WaitGroup
					for i, op := range ops {
						wg.Add(1)
						alive.Add(1)
						go func() {
							defer wg.Done()
							defer alive.Add(-1)
							if _, err := op.Wait(context.Background()); err != nil {
								b.Error(err)
							}
							told[i] = time.Now()
						}()
					}
					time.Sleep(settle) // every wait pending, the first checks answered
					heap1, stack1 := measurePending()
					wg.Wait()
					close(stop)
					<-sampled
					st.add(n, at, told, heap0, heap1, stack0, stack1, peak.Load())
				}
				st.report(b, pb.checks.Load())
			})
		}
		b.Run(fmt.Sprintf("naive/ops=%d", n), func(b *testing.B) {
			pb := newPollBench()
			defer pb.srv.Close()
			hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			defer hc.CloseIdleConnections()
			var st pollStats
			// The loop's checks are counted as it sends them: at n = 10,000
			// some fail to connect (too many open files) and never reach
			// the server, which counts the SDK's.
			var attempts atomic.Int64
			for round := 1; round <= b.N; round++ {
				keys, at := pb.start(n, round, minDelay, maxDelay)
				heap0, stack0 := measurePending()
				g0 := runtime.NumGoroutine()
				var alive, peak atomic.Int64
				stop, sampled := make(chan struct{}), make(chan struct{})
				go sampleGoroutines(g0+1, &alive, &peak, stop, sampled)
				told := make([]time.Time, n)
				var wg sync.WaitGroup
				for i, k := range keys {
					wg.Add(1)
					alive.Add(1)
					go func() {
						defer wg.Done()
						defer alive.Add(-1)
						t := time.NewTicker(interval)
						defer t.Stop()
						for {
							attempts.Add(1)
							if naiveCheck(hc, pb.srv.URL, k) {
								told[i] = time.Now()
								return
							}
							<-t.C
						}
					}()
				}
				time.Sleep(settle)
				heap1, stack1 := measurePending()
				wg.Wait()
				close(stop)
				<-sampled
				st.add(n, at, told, heap0, heap1, stack0, stack1, peak.Load())
			}
			st.report(b, attempts.Load())
			b.ReportMetric(float64(attempts.Load()-pb.checks.Load())/float64(st.waits), "failed-checks/wait")
		})
	}
}

// warmUp waits on warmRounds rounds of warmOps operations completing as in
// the benchmark, on c, then forgets their checks: the schedule has learned
// from them.
func warmUp(b *testing.B, c *Client, pb *pollBench, minDelay, maxDelay time.Duration) {
	const warmRounds, warmOps = 3, 200
	for round := 1; round <= warmRounds; round++ {
		keys, _ := pb.start(warmOps, -round, minDelay, maxDelay)
		ops := make([]*Operation, len(keys))
		for i, k := range keys {
			ops[i], _ = c.ResumeOperation(k, "")
		}
		if _, err := WaitAll(context.Background(), ops, nil); err != nil {
			b.Fatal(err)
		}
	}
	pb.checks.Store(0)
}

// naiveCheck is one hand-written callback check; it reports whether the
// operation is done.
func naiveCheck(hc *http.Client, base, key string) bool {
	resp, err := hc.PostForm(base+"/eq_callback.php", url.Values{"action": {"check"}, "key": {key}})
	if err != nil {
		return false
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return strings.Contains(string(body), `"result":"OK"`)
}

func (st *pollStats) add(n int, at, told []time.Time, heap0, heap1, stack0, stack1 uint64, extra int64) {
	for i := range told {
		st.lat = append(st.lat, told[i].Sub(at[i]))
	}
	st.waits += n
	// The last round's figures are kept: each round is the same experiment.
	st.heapPerWait = (float64(heap1) - float64(heap0)) / float64(n)
	st.stackPerWait = (float64(stack1) - float64(stack0)) / float64(n)
	if extra > st.extraG {
		st.extraG = extra
	}
}

// report reports st, with checks the checks sent over all its rounds.
func (st *pollStats) report(b *testing.B, checks int64) {
	lat := st.lat
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(checks)/float64(st.waits), "checks/wait")
	b.ReportMetric(float64(lat[len(lat)/2])/1e6, "ms-p50-notify")
	b.ReportMetric(float64(lat[len(lat)*99/100])/1e6, "ms-p99-notify")
	b.ReportMetric(st.heapPerWait, "B/pending-heap")
	b.ReportMetric(st.stackPerWait, "B/pending-stack")
	b.ReportMetric(float64(st.extraG), "goroutines-beyond-waiters")
	b.ReportMetric(0, "ns/op") // the wall time of a round is set by the delays, not the point
}
