package invapiotel

import (
	"context"
	"sync"
	"time"

	"github.com/invapi-go/invapi"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/trace"
)

// ScopeName is the instrumentation scope of the tracer and the meter.
const ScopeName = "github.com/invapi-go/invapi/otel"

// Attribute keys. The SDK's names (module, action, class, categories,
// reasons, outcomes) are recorded as they are in the invapi Info types;
// the HTTP status and the error category use the semantic conventions'
// http.response.status_code and error.type.
const (
	AttrModule       = attribute.Key("invapi.module")
	AttrAction       = attribute.Key("invapi.action")
	AttrClass        = attribute.Key("invapi.class")
	AttrAttempt      = attribute.Key("invapi.attempt")
	AttrReason       = attribute.Key("invapi.reason")
	AttrWait         = attribute.Key("invapi.wait")
	AttrCallbackKey  = attribute.Key("invapi.callback.key")
	AttrCheck        = attribute.Key("invapi.check")
	AttrCheckStatus  = attribute.Key("invapi.check.status")
	AttrChecks       = attribute.Key("invapi.checks")
	AttrOutcome      = attribute.Key("invapi.outcome")
	AttrHTTPStatus   = attribute.Key("http.response.status_code")
	AttrErrorType    = attribute.Key("error.type")
	maxPendingEvents = 64 // per module/action/class: bounds memory if a Start never comes
)

// Option configures NewObserver.
type Option func(*config)

type config struct {
	tp trace.TracerProvider
	mp metric.MeterProvider
}

// WithTracerProvider sets the TracerProvider (default: otel.GetTracerProvider()).
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(c *config) { c.tp = tp }
}

// WithMeterProvider sets the MeterProvider (default: otel.GetMeterProvider()).
func WithMeterProvider(mp metric.MeterProvider) Option {
	return func(c *config) { c.mp = mp }
}

// observer holds the instruments and the events waiting for their attempt.
type observer struct {
	tracer trace.Tracer

	requests, retries, waits  metric.Int64Counter
	reqDuration, waitDuration metric.Float64Histogram
	opDuration                metric.Float64Histogram
	pollChecks                metric.Int64Histogram

	mu sync.Mutex
	// queued: retry and rate-limit events seen before their attempt's
	// OnRequestStart; started: the events of attempts started and not
	// done. The Observer's hooks carry no call id: events go to the next
	// attempt of the same module, action and class (and attempt number),
	// which is exact unless identical calls run at once, where they may
	// trade places between attempts that look alike.
	queued  map[callKey][]event
	started map[attemptKey][][]event
}

type callKey struct{ module, action, class string }

type attemptKey struct {
	callKey
	attempt int
}

// event is a span event recorded before its span exists.
type event struct {
	name  string
	at    time.Time
	attrs []attribute.KeyValue
}

// NewObserver returns an invapi.Observer that records OpenTelemetry spans
// and metrics; install it with invapi.WithObserver.
//
// Spans: one client span per HTTP attempt, "invapi MODULE/ACTION", timed
// exactly from RequestDoneInfo.Duration, with its retry and rate-limit
// waits as events; one span per callback check ("invapi MODULE/ACTION
// check") and per operation ("invapi MODULE/ACTION wait"). The spans are
// roots: the Observer's hooks carry no context.
//
// Metrics: invapi.requests, invapi.retries and invapi.rate_limit.waits
// (counters); invapi.request.duration, invapi.rate_limit.wait and
// invapi.operation.duration (histograms, seconds); invapi.poll.checks
// (histogram of checks per operation).
//
// Only the fields of the invapi Info types are recorded, which hold no
// secret. An instrument that cannot be created is reported to
// otel.Handle and replaced by a no-op one.
func NewObserver(opts ...Option) invapi.Observer {
	cfg := config{}
	for _, opt := range opts {
		opt(&cfg)
	}
	if cfg.tp == nil {
		cfg.tp = otel.GetTracerProvider()
	}
	if cfg.mp == nil {
		cfg.mp = otel.GetMeterProvider()
	}
	o := &observer{
		tracer:  cfg.tp.Tracer(ScopeName),
		queued:  map[callKey][]event{},
		started: map[attemptKey][][]event{},
	}
	m := cfg.mp.Meter(ScopeName)
	nm := noop.NewMeterProvider().Meter(ScopeName)
	secs := []float64{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60}
	o.requests = counter(m, nm, "invapi.requests", "{request}", "HTTP attempts to the InvAPI, by outcome.")
	o.retries = counter(m, nm, "invapi.retries", "{retry}", "Attempts made after an earlier one of the same call.")
	o.waits = counter(m, nm, "invapi.rate_limit.waits", "{wait}", "Attempts that waited in the client's rate limiter.")
	o.reqDuration = histogram(m, nm, "invapi.request.duration", "s", "Duration of HTTP attempts on the wire.", secs)
	o.waitDuration = histogram(m, nm, "invapi.rate_limit.wait", "s", "Time attempts waited in the rate limiter.", secs)
	o.opDuration = histogram(m, nm, "invapi.operation.duration", "s", "Duration of async operations, from the callback key to their end.",
		[]float64{0.01, 0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200})
	pc, err := m.Int64Histogram("invapi.poll.checks", metric.WithUnit("{check}"),
		metric.WithDescription("Callback checks sent per operation."),
		metric.WithExplicitBucketBoundaries(1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000))
	if err != nil {
		otel.Handle(err)
		pc, _ = nm.Int64Histogram("invapi.poll.checks")
	}
	o.pollChecks = pc
	return invapi.Observer{
		OnRequestStart:  o.requestStart,
		OnRequestDone:   o.requestDone,
		OnRetry:         o.retry,
		OnRateLimitWait: o.rateLimitWait,
		OnPollCheck:     o.pollCheck,
		OnOperationDone: o.operationDone,
	}
}

func counter(m, nm metric.Meter, name, unit, desc string) metric.Int64Counter {
	c, err := m.Int64Counter(name, metric.WithUnit(unit), metric.WithDescription(desc))
	if err != nil {
		otel.Handle(err)
		c, _ = nm.Int64Counter(name)
	}
	return c
}

func histogram(m, nm metric.Meter, name, unit, desc string, bounds []float64) metric.Float64Histogram {
	h, err := m.Float64Histogram(name, metric.WithUnit(unit), metric.WithDescription(desc),
		metric.WithExplicitBucketBoundaries(bounds...))
	if err != nil {
		otel.Handle(err)
		h, _ = nm.Float64Histogram(name)
	}
	return h
}

func callAttrs(module, action, class string, more ...attribute.KeyValue) []attribute.KeyValue {
	return append([]attribute.KeyValue{AttrModule.String(module), AttrAction.String(action), AttrClass.String(class)}, more...)
}

func trim(q []event) []event {
	if len(q) > maxPendingEvents {
		q = q[len(q)-maxPendingEvents:]
	}
	return q
}

func (o *observer) queue(k callKey, e event) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.queued[k] = trim(append(o.queued[k], e))
}

func (o *observer) retry(e invapi.RetryInfo) {
	ctx := context.Background()
	o.retries.Add(ctx, 1, metric.WithAttributes(callAttrs(e.Module, e.Action, e.Class, AttrReason.String(e.Reason))...))
	o.queue(callKey{e.Module, e.Action, e.Class}, event{name: "invapi.retry", at: time.Now(), attrs: []attribute.KeyValue{
		AttrAttempt.Int(e.Attempt), AttrReason.String(e.Reason), AttrWait.Float64(e.After.Seconds())}})
}

func (o *observer) rateLimitWait(e invapi.RateLimitWaitInfo) {
	ctx := context.Background()
	attrs := metric.WithAttributes(callAttrs(e.Module, e.Action, e.Class, AttrReason.String(e.Reason))...)
	o.waits.Add(ctx, 1, attrs)
	o.waitDuration.Record(ctx, e.Wait.Seconds(), attrs)
	o.queue(callKey{e.Module, e.Action, e.Class}, event{name: "invapi.rate_limit.wait", at: time.Now(), attrs: []attribute.KeyValue{
		AttrReason.String(e.Reason), AttrWait.Float64(e.Wait.Seconds())}})
}

// requestStart hands the events queued for this call to its attempt.
func (o *observer) requestStart(e invapi.RequestStartInfo) {
	ck := callKey{e.Module, e.Action, e.Class}
	o.mu.Lock()
	defer o.mu.Unlock()
	q := o.queued[ck]
	delete(o.queued, ck)
	ak := attemptKey{ck, e.Attempt}
	s := o.started[ak]
	if len(s) >= maxPendingEvents { // Dones that never came: forget the oldest
		s = s[1:]
	}
	o.started[ak] = append(s, q)
}

// takeEvents returns the events of the oldest started attempt like e.
func (o *observer) takeEvents(e invapi.RequestDoneInfo) []event {
	ak := attemptKey{callKey{e.Module, e.Action, e.Class}, e.Attempt}
	o.mu.Lock()
	defer o.mu.Unlock()
	s := o.started[ak]
	if len(s) == 0 {
		return nil
	}
	if len(s) == 1 {
		delete(o.started, ak)
	} else {
		o.started[ak] = s[1:]
	}
	return s[0]
}

func (o *observer) requestDone(e invapi.RequestDoneInfo) {
	ctx := context.Background()
	end := time.Now()
	attrs := callAttrs(e.Module, e.Action, e.Class)
	if e.HTTPStatus != 0 {
		attrs = append(attrs, AttrHTTPStatus.Int(e.HTTPStatus))
	}
	if e.Err != "" {
		attrs = append(attrs, AttrErrorType.String(e.Err))
	}
	set := metric.WithAttributes(attrs...)
	o.requests.Add(ctx, 1, set)
	o.reqDuration.Record(ctx, e.Duration.Seconds(), set)

	_, span := o.tracer.Start(ctx, "invapi "+e.Module+"/"+e.Action,
		trace.WithSpanKind(trace.SpanKindClient),
		trace.WithTimestamp(end.Add(-e.Duration)),
		trace.WithAttributes(append(attrs, AttrAttempt.Int(e.Attempt))...))
	for _, ev := range o.takeEvents(e) {
		span.AddEvent(ev.name, trace.WithTimestamp(ev.at), trace.WithAttributes(ev.attrs...))
	}
	if e.Err != "" {
		span.SetStatus(codes.Error, e.Err)
	}
	span.End(trace.WithTimestamp(end))
}

func (o *observer) pollCheck(e invapi.PollCheckInfo) {
	end := time.Now()
	attrs := []attribute.KeyValue{AttrModule.String(e.Module), AttrAction.String(e.Action),
		AttrCallbackKey.String(e.Key), AttrCheck.Int(e.Check), AttrCheckStatus.String(e.Status)}
	if e.Err != "" {
		attrs = append(attrs, AttrErrorType.String(e.Err))
	}
	_, span := o.tracer.Start(context.Background(), "invapi "+e.Module+"/"+e.Action+" check",
		trace.WithSpanKind(trace.SpanKindClient),
		trace.WithTimestamp(end.Add(-e.Duration)), trace.WithAttributes(attrs...))
	if e.Err != "" {
		span.SetStatus(codes.Error, e.Err)
	}
	span.End(trace.WithTimestamp(end))
}

func (o *observer) operationDone(e invapi.OperationDoneInfo) {
	ctx := context.Background()
	end := time.Now()
	attrs := []attribute.KeyValue{AttrModule.String(e.Module), AttrAction.String(e.Action), AttrOutcome.String(e.Outcome)}
	if e.Err != "" {
		attrs = append(attrs, AttrErrorType.String(e.Err))
	}
	// The callback key is on the span, not on the metrics: one per operation.
	set := metric.WithAttributes(attrs...)
	o.opDuration.Record(ctx, e.Duration.Seconds(), set)
	o.pollChecks.Record(ctx, int64(e.Checks), set)

	_, span := o.tracer.Start(ctx, "invapi "+e.Module+"/"+e.Action+" wait",
		trace.WithSpanKind(trace.SpanKindInternal),
		trace.WithTimestamp(end.Add(-e.Duration)),
		trace.WithAttributes(append(attrs, AttrCallbackKey.String(e.Key), AttrChecks.Int(e.Checks))...))
	if e.Err != "" {
		span.SetStatus(codes.Error, e.Err)
	}
	span.End(trace.WithTimestamp(end))
}
