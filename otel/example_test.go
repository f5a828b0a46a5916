package invapiotel_test

import (
	"context"
	"fmt"
	"log"

	"github.com/invapi-go/invapi"
	"github.com/invapi-go/invapi/invapitest"
	invapiotel "github.com/invapi-go/invapi/otel"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// The example records into an in-memory SpanRecorder; in real use, pass
// your exporter's TracerProvider (or none: the otel globals are the
// default).
func ExampleNewObserver() {
	srv := invapitest.NewServer()
	defer srv.Close()

	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	defer tp.Shutdown(context.Background())

	c, err := invapi.NewClient(invapi.WithBaseURL(srv.URL), invapi.WithAPIKey(invapitest.DefaultAPIKey),
		invapi.WithObserver(invapiotel.NewObserver(invapiotel.WithTracerProvider(tp))))
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Auth.Info(context.Background()); err != nil {
		log.Fatal(err)
	}
	for _, s := range rec.Ended() {
		fmt.Println(s.Name())
	}
	// Output:
	// invapi auth/login
	// invapi auth/info
}
