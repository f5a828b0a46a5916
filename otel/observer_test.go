package invapiotel_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/invapi-go/invapi"
	"github.com/invapi-go/invapi/invapitest"
	invapiotel "github.com/invapi-go/invapi/otel"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// rig is a client against the simulator with the observer recording into
// in-memory SDK readers.
type rig struct {
	srv    *invapitest.Server
	c      *invapi.Client
	spans  *tracetest.SpanRecorder
	reader *sdkmetric.ManualReader
	token  string
}

func newRig(t *testing.T) *rig {
	t.Helper()
	r := &rig{srv: invapitest.NewServer(), spans: tracetest.NewSpanRecorder(), reader: sdkmetric.NewManualReader()}
	t.Cleanup(r.srv.Close)
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(r.spans))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(r.reader))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()); _ = mp.Shutdown(context.Background()) })
	c, err := invapi.NewClient(invapi.WithBaseURL(r.srv.URL),
		invapi.WithAPIKey(invapitest.DefaultAPIKey), invapi.WithPIN(invapitest.DefaultPIN),
		invapi.WithSessionHook(func(tok string, _ time.Time) { r.token = tok }),
		invapi.WithObserver(invapiotel.NewObserver(invapiotel.WithTracerProvider(tp), invapiotel.WithMeterProvider(mp))))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	r.c = c
	return r
}

func attrs(kvs []attribute.KeyValue) map[attribute.Key]attribute.Value {
	m := map[attribute.Key]attribute.Value{}
	for _, kv := range kvs {
		m[kv.Key] = kv.Value
	}
	return m
}

// spansNamed returns the ended spans called name, in order.
func spansNamed(r *rig, name string) []sdktrace.ReadOnlySpan {
	var out []sdktrace.ReadOnlySpan
	for _, s := range r.spans.Ended() {
		if s.Name() == name {
			out = append(out, s)
		}
	}
	return out
}

func collect(t *testing.T, r *rig) map[string]metricdata.Metrics {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := r.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	out := map[string]metricdata.Metrics{}
	for _, sm := range rm.ScopeMetrics {
		if sm.Scope.Name != invapiotel.ScopeName {
			t.Errorf("scope %q, want %q", sm.Scope.Name, invapiotel.ScopeName)
		}
		for _, m := range sm.Metrics {
			out[m.Name] = m
		}
	}
	return out
}

// sumOf is the counter's value for the points whose attributes hold want.
func sumOf(t *testing.T, m metricdata.Metrics, want ...attribute.KeyValue) int64 {
	t.Helper()
	sum, ok := m.Data.(metricdata.Sum[int64])
	if !ok {
		t.Fatalf("%s: %T, want Sum[int64]", m.Name, m.Data)
	}
	var n int64
	for _, dp := range sum.DataPoints {
		if has(dp.Attributes, want) {
			n += dp.Value
		}
	}
	return n
}

func has(set attribute.Set, want []attribute.KeyValue) bool {
	for _, kv := range want {
		v, ok := set.Value(kv.Key)
		if !ok || v != kv.Value {
			return false
		}
	}
	return true
}

func TestReadAndRebootWait(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	if _, err := r.c.Eq.Show(ctx, 12345); err != nil {
		t.Fatal(err)
	}
	op, err := r.c.Eq.Reboot(ctx, 12345)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := op.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	// OnOperationDone may come just after Wait returns.
	deadline := time.Now().Add(10 * time.Second)
	for len(spansNamed(r, "invapi eq/reboot wait")) == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}

	for _, tc := range []struct{ name, module, action, class string }{
		{"invapi auth/login", "auth", "login", "read"},
		{"invapi eq/show", "eq", "show", "read"},
		{"invapi eq/reboot", "eq", "reboot", "change"},
	} {
		ss := spansNamed(r, tc.name)
		if len(ss) != 1 {
			t.Fatalf("%d spans %q, want 1 (spans: %v)", len(ss), tc.name, names(r))
		}
		s := ss[0]
		a := attrs(s.Attributes())
		if a["invapi.module"].AsString() != tc.module || a["invapi.action"].AsString() != tc.action ||
			a["invapi.class"].AsString() != tc.class || a["invapi.attempt"].AsInt64() != 1 ||
			a["http.response.status_code"].AsInt64() != 200 {
			t.Errorf("%s attributes %v", tc.name, s.Attributes())
		}
		if _, ok := a["error.type"]; ok || s.Status().Code == codes.Error {
			t.Errorf("%s: error.type %v, status %v on a success", tc.name, a["error.type"], s.Status())
		}
		if !s.EndTime().After(s.StartTime()) {
			t.Errorf("%s: start %v, end %v", tc.name, s.StartTime(), s.EndTime())
		}
	}
	checks := spansNamed(r, "invapi eq/reboot check")
	if len(checks) < 2 { // the simulator answers "Not ready" first
		t.Fatalf("%d check spans, want >= 2", len(checks))
	}
	last := attrs(checks[len(checks)-1].Attributes())
	if last["invapi.check.status"].AsString() != "OK" || last["invapi.callback.key"].AsString() != op.Key() {
		t.Errorf("last check attributes %v (key %q)", checks[len(checks)-1].Attributes(), op.Key())
	}
	w := attrs(spansNamed(r, "invapi eq/reboot wait")[0].Attributes())
	if w["invapi.outcome"].AsString() != "OK" || w["invapi.checks"].AsInt64() != int64(len(checks)) {
		t.Errorf("wait span attributes: outcome %v, checks %v, want OK, %d", w["invapi.outcome"], w["invapi.checks"], len(checks))
	}

	ms := collect(t, r)
	for _, kv := range [][]attribute.KeyValue{
		{invapiotel.AttrModule.String("eq"), invapiotel.AttrAction.String("show"), invapiotel.AttrClass.String("read"), invapiotel.AttrHTTPStatus.Int(200)},
		{invapiotel.AttrModule.String("eq"), invapiotel.AttrAction.String("reboot"), invapiotel.AttrClass.String("change")},
		{invapiotel.AttrModule.String("auth"), invapiotel.AttrAction.String("login")},
	} {
		if n := sumOf(t, ms["invapi.requests"], kv...); n != 1 {
			t.Errorf("invapi.requests %v = %d, want 1", kv, n)
		}
	}
	// Every HTTP attempt, callback checks included, is one span, one
	// request and one duration.
	var attempts int64
	for _, s := range r.spans.Ended() {
		if !strings.HasSuffix(s.Name(), " check") && !strings.HasSuffix(s.Name(), " wait") {
			attempts++
		}
	}
	if n := sumOf(t, ms["invapi.requests"]); n != attempts || attempts < 3+int64(len(checks)) {
		t.Errorf("invapi.requests %d, %d attempt spans, want equal and >= %d", n, attempts, 3+len(checks))
	}
	if n := histCount(t, ms["invapi.request.duration"]); int64(n) != attempts {
		t.Errorf("invapi.request.duration count %d, want %d", n, attempts)
	}
	if ms["invapi.request.duration"].Unit != "s" || ms["invapi.operation.duration"].Unit != "s" {
		t.Errorf("units %q, %q", ms["invapi.request.duration"].Unit, ms["invapi.operation.duration"].Unit)
	}
	if n := histCount(t, ms["invapi.operation.duration"]); n != 1 {
		t.Errorf("invapi.operation.duration count %d, want 1", n)
	}
	pc, ok := ms["invapi.poll.checks"].Data.(metricdata.Histogram[int64])
	if !ok || len(pc.DataPoints) != 1 || pc.DataPoints[0].Sum != int64(len(checks)) {
		t.Errorf("invapi.poll.checks %+v, want one point summing %d", ms["invapi.poll.checks"].Data, len(checks))
	}
	noSecrets(t, r)
}

func TestRetryAndRateLimitEvents(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	if _, err := r.c.Auth.Info(ctx); err != nil { // log in first: the faults below hit eq show only
		t.Fatal(err)
	}
	r.srv.Fault(invapitest.Fault{Module: "eq", Action: "show", Kind: invapitest.FaultStatus, Status: 502})
	r.srv.Fault(invapitest.Fault{Module: "eq", Action: "show", Kind: invapitest.FaultRateLimit, RetryAfter: 1})
	if _, err := r.c.Eq.Show(ctx, 12345); err != nil {
		t.Fatal(err)
	}
	ss := spansNamed(r, "invapi eq/show")
	if len(ss) != 3 {
		t.Fatalf("%d eq/show spans, want 3 (502, 429, 200): %v", len(ss), names(r))
	}
	for i, want := range []struct {
		status  int64
		errType string
	}{{502, "server"}, {429, "rate_limited"}, {200, ""}} {
		a := attrs(ss[i].Attributes())
		if a["invapi.attempt"].AsInt64() != int64(i+1) || a["http.response.status_code"].AsInt64() != want.status ||
			a["error.type"].AsString() != want.errType {
			t.Errorf("attempt %d attributes %v", i+1, ss[i].Attributes())
		}
		if got := ss[i].Status().Code == codes.Error; got != (want.errType != "") {
			t.Errorf("attempt %d status %v", i+1, ss[i].Status())
		}
	}
	eventNames := func(s sdktrace.ReadOnlySpan) []string {
		var n []string
		for _, e := range s.Events() {
			n = append(n, e.Name)
		}
		return n
	}
	if ev := ss[0].Events(); len(ev) != 0 {
		t.Errorf("first attempt events %v, want none", eventNames(ss[0]))
	}
	if got := strings.Join(eventNames(ss[1]), ","); got != "invapi.retry" {
		t.Errorf("second attempt events %q, want invapi.retry", got)
	}
	// After a short Retry-After (1 s) only the throttled request waits it
	// out, in its retry's backoff; it may also wait in the limiter for the
	// rate cut by the 429 (its reason is the limiter's business).
	got := eventNames(ss[2])
	var reason string
	if len(got) < 1 || got[0] != "invapi.retry" || len(got) > 2 || (len(got) == 2 && got[1] != "invapi.rate_limit.wait") {
		t.Fatalf("third attempt events %v, want [invapi.retry] or [invapi.retry invapi.rate_limit.wait]", got)
	}
	if len(got) == 2 {
		if a := attrs(ss[2].Events()[1].Attributes); a["invapi.reason"].AsString() == "" || a["invapi.wait"].AsFloat64() <= 0 {
			t.Errorf("rate-limit event attributes %v", ss[2].Events()[1].Attributes)
		} else {
			reason = a["invapi.reason"].AsString()
		}
	}

	ms := collect(t, r)
	show := []attribute.KeyValue{invapiotel.AttrModule.String("eq"), invapiotel.AttrAction.String("show")}
	if n := sumOf(t, ms["invapi.retries"], append(show, invapiotel.AttrReason.String("server"))...); n != 1 {
		t.Errorf("invapi.retries reason=server %d, want 1", n)
	}
	if n := sumOf(t, ms["invapi.retries"], append(show, invapiotel.AttrReason.String("rate_limited"))...); n != 1 {
		t.Errorf("invapi.retries reason=rate_limited %d, want 1", n)
	}
	if reason != "" {
		if n := sumOf(t, ms["invapi.rate_limit.waits"], append(show, invapiotel.AttrReason.String(reason))...); n != 1 {
			t.Errorf("invapi.rate_limit.waits reason=%s %d, want 1", reason, n)
		}
	}
	if n := sumOf(t, ms["invapi.requests"], append(show, invapiotel.AttrErrorType.String("server"), invapiotel.AttrHTTPStatus.Int(502))...); n != 1 {
		t.Errorf("invapi.requests 502/server %d, want 1", n)
	}
	if want := uint64(len(got) - 1); want > 0 && histCount(t, ms["invapi.rate_limit.wait"]) != want {
		t.Errorf("invapi.rate_limit.wait count %d, want %d", histCount(t, ms["invapi.rate_limit.wait"]), want)
	}
	noSecrets(t, r)
}

func histCount(t *testing.T, m metricdata.Metrics) uint64 {
	t.Helper()
	h, ok := m.Data.(metricdata.Histogram[float64])
	if !ok {
		t.Fatalf("%s: %T, want Histogram[float64]", m.Name, m.Data)
	}
	var n uint64
	for _, dp := range h.DataPoints {
		n += dp.Count
	}
	return n
}

func names(r *rig) []string {
	var n []string
	for _, s := range r.spans.Ended() {
		n = append(n, s.Name())
	}
	return n
}

// noSecrets fails if any recorded attribute value holds a secret of the
// simulator's account or the session's token.
func noSecrets(t *testing.T, r *rig) {
	t.Helper()
	if r.token == "" {
		t.Fatal("no session token seen")
	}
	secrets := []string{r.token, invapitest.DefaultAPIKey, invapitest.DefaultPIN, invapitest.DefaultServerAPIKey, invapitest.DefaultPassword}
	check := func(where string, kvs []attribute.KeyValue) {
		for _, kv := range kvs {
			v := kv.Value.Emit()
			for _, s := range secrets {
				if v == s || (len(s) > 4 && strings.Contains(v, s)) {
					t.Errorf("%s: attribute %s = %q holds a secret", where, kv.Key, v)
				}
			}
		}
	}
	n := 0
	for _, s := range r.spans.Ended() {
		check(s.Name(), s.Attributes())
		n += len(s.Attributes())
		for _, e := range s.Events() {
			check(s.Name()+" event "+e.Name, e.Attributes)
		}
	}
	for name, m := range collect(t, r) {
		switch d := m.Data.(type) {
		case metricdata.Sum[int64]:
			for _, dp := range d.DataPoints {
				check(name, dp.Attributes.ToSlice())
				n++
			}
		case metricdata.Histogram[float64]:
			for _, dp := range d.DataPoints {
				check(name, dp.Attributes.ToSlice())
				n++
			}
		case metricdata.Histogram[int64]:
			for _, dp := range d.DataPoints {
				check(name, dp.Attributes.ToSlice())
				n++
			}
		}
	}
	if n == 0 {
		t.Fatal("nothing recorded to check")
	}
}

// Concurrent calls share the observer: every attempt is one span and one
// count, and no event is lost or made up.
func TestConcurrentCalls(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	if _, err := r.c.Auth.Info(ctx); err != nil {
		t.Fatal(err)
	}
	const n = 16
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		go func() { _, err := r.c.Eq.Show(ctx, 12345+i%3); errs <- err }()
	}
	for i := 0; i < n; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	ss := spansNamed(r, "invapi eq/show")
	if len(ss) != n {
		t.Fatalf("%d eq/show spans, want %d", len(ss), n)
	}
	for _, s := range ss {
		if len(s.Events()) != 0 {
			t.Errorf("span with events %v, want none (no retry, no fault)", s.Events())
		}
	}
	show := []attribute.KeyValue{invapiotel.AttrModule.String("eq"), invapiotel.AttrAction.String("show")}
	if got := sumOf(t, collect(t, r)["invapi.requests"], show...); got != n {
		t.Errorf("invapi.requests eq/show %d, want %d", got, n)
	}
	noSecrets(t, r)
}

// Without options the observer records through the otel globals.
func TestGlobalProviders(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	prevT, prevM := otel.GetTracerProvider(), otel.GetMeterProvider()
	otel.SetTracerProvider(tp)
	otel.SetMeterProvider(mp)
	t.Cleanup(func() { otel.SetTracerProvider(prevT); otel.SetMeterProvider(prevM) })

	srv := invapitest.NewServer()
	defer srv.Close()
	c, err := invapi.NewClient(invapi.WithBaseURL(srv.URL), invapi.WithAPIKey(invapitest.DefaultAPIKey),
		invapi.WithObserver(invapiotel.NewObserver()))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Auth.Info(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(rec.Ended()) != 2 { // login, info
		t.Errorf("%d spans through the global TracerProvider, want 2", len(rec.Ended()))
	}
	r := &rig{reader: reader}
	if got := sumOf(t, collect(t, r)["invapi.requests"]); got != 2 {
		t.Errorf("invapi.requests %d through the global MeterProvider, want 2", got)
	}
}
