// Package standin is a test-only check of the examples against an InvAPI
// stand-in written from ../../../shared/api/evidence.md (what HOSTKEY's own
// clients send and read) and the vendor's documented example answers, not
// from invapitest. Everything lives in _test.go files, so nothing, in the
// library or elsewhere, can import it.
//
// Run it with
//
//	go test ./internal/standin/
//
// It builds every program under examples/ and runs each with
// INVAPI_BASE_URL, HOSTKEY_API_KEY and HOSTKEY_PIN pointing at a fresh
// stand-in, in four modes: plain (the documented shapes), quirks (quoted
// ids and money, [] for empty objects, one-row lists as bare objects, PHP
// warnings before the JSON, data under result, data or message), faults (a
// 502, a truncated answer and a 429 with Retry-After on reads, dropped
// callback checks, the session ended just before the first state change)
// and token (HOSTKEY_TOKEN instead of an API key). Then it reads the wire
// log: every state change reached the stand-in exactly once (a refusal for
// an expired session aside), secrets only in the body and never printed,
// and each action's form field names are the ones HOSTKEY's clients use.
//
// The same stand-in also drives OrderAndWait and ReinstallAndWait directly,
// decodes each answer shape through the SDK, and loses the answer to state
// changes after carrying them out, to check they are never sent twice.
//
// A failure whose cause another helper owns is listed in knownProblems and
// skipped naming the owner; TestMain prints the entries no longer hit.
package standin
