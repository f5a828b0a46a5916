// Package invapiotel adapts the invapi SDK's Observer to OpenTelemetry
// traces and metrics.
//
// It is its own module (github.com/invapi-go/invapi/otel), so the SDK
// itself depends on no OpenTelemetry package:
//
//	c, err := invapi.NewClient(invapi.WithAPIKey(key),
//		invapi.WithObserver(invapiotel.NewObserver())) // the global TracerProvider and MeterProvider
//
// WithTracerProvider and WithMeterProvider choose others.
//
// # Spans
//
// The Observer's hooks carry no context and no call id, so each span is
// made when its outcome is known, timed from the duration the SDK
// measured (trace.WithTimestamp), and is a root span:
//
//   - "invapi MODULE/ACTION" (client): one per HTTP attempt, with
//     invapi.module, invapi.action, invapi.class, invapi.attempt,
//     http.response.status_code (absent when no answer arrived) and
//     error.type (the SDK's error category, absent on success; the span's
//     status is Error with it). The retry (invapi.retry) and the wait in
//     the rate limiter (invapi.rate_limit.wait) before the attempt are
//     events on it. Events go to the next attempt of the same module,
//     action, class and attempt number; when identical calls run at
//     once, they may trade places between attempts that look alike.
//   - "invapi MODULE/ACTION check" (client): one per callback check, with
//     invapi.callback.key, invapi.check and invapi.check.status.
//   - "invapi MODULE/ACTION wait" (internal): one per operation, from the
//     callback key to its end, with invapi.outcome and invapi.checks.
//
// # Metrics
//
//   - invapi.requests {request}: HTTP attempts, by invapi.module,
//     invapi.action, invapi.class, http.response.status_code, error.type.
//   - invapi.request.duration (s): the same attempts' time on the wire.
//   - invapi.retries {retry}: by module, action, class, invapi.reason
//     (the category of the attempt before).
//   - invapi.rate_limit.waits {wait} and invapi.rate_limit.wait (s): by
//     module, action, class, invapi.reason ("rate", "retry_after",
//     "concurrency", "queue").
//   - invapi.operation.duration (s) and invapi.poll.checks {check}: per
//     operation, by module, action, invapi.outcome, error.type (the
//     callback key is left out of metrics).
//
// Nothing but the fields of the invapi Info types is recorded: no token,
// PIN, password, API key, form field or answer text.
package invapiotel
