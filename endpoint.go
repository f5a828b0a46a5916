package invapi

import (
	"net/url"
	"strings"

	"github.com/invapi-go/invapi/internal/envelope"
	"github.com/invapi-go/invapi/internal/retry"
)

// callbackKind says which endpoint reports an async action's progress.
type callbackKind uint8

const (
	noCallback  callbackKind = iota
	eqCallback               // eq_callback.php
	natCallback              // nat_callback.php
)

func (k callbackKind) module() string {
	if k == natCallback {
		return "nat_callback"
	}
	return "eq_callback"
}

// Action classes, declared next to every endpoint.
const (
	read   = retry.Read   // changes nothing: retried on network errors, 429, 5xx
	change = retry.Change // changes state: sent at most once
	money  = retry.Money  // orders or charges: sent at most once
)

// endpoint declares one InvAPI action: where it lives, what it does, and
// what it needs. Each module file declares its endpoints next to the methods
// that use them, so the retry class of an action is never guessed.
type endpoint struct {
	module string      // "eq" for eq.php
	action string      // "show"
	class  retry.Class // read, change or money
	pin    bool        // send the account PIN
	async  callbackKind
	noAuth bool // sent without a session token
	// settle names the read that tells whether a state change took effect
	// when its outcome is unknown (shown in OutcomeUnknownError).
	settle string
	// evidence says what the action's form fields and answer keys rest on,
	// strongest first: what HOSTKEY's own clients send and read
	// (byClient("tf", "mcp"), see ../shared/api/evidence.md), the vendor's
	// parameter table (documented), or our reading of a one-line
	// description (guessed).
	evidence evidence
	// note gives the one-line reason for a deliberate difference between
	// this declaration and the catalogue (testdata/endpoints.json), the
	// simulator or the evidence, or for a client field the SDK does not
	// send. TestRegistryAgreesWithCatalogue accepts a difference only when
	// the note names it: "pin", "token", "callback" (async).
	note string
}

// evidence is an endpoint's evidence level: "client: tf, mcp",
// "documented" or "guess".
type evidence string

const (
	documented evidence = "documented" // the vendor's parameter table
	guessed    evidence = "guess"      // a name or a one-line description only
)

// byClient is the evidence of an action that HOSTKEY's own clients use:
// tf (their Terraform providers), whmcs (their WHMCS reseller module), mcp
// (their MCP server), strongest first.
func byClient(sources ...string) evidence {
	return evidence("client: " + strings.Join(sources, ", "))
}

func (ep *endpoint) String() string { return ep.module + "/" + ep.action }

// Fields are extra form fields sent as given, for parameters the SDK does
// not model (see "Actions published by name only" in the package documentation).
// Request structs carry them in a field tagged url:"extra,omitempty". They
// never replace action, token or pin.
type Fields map[string]string

// EncodeValues implements go-querystring's Encoder: the fields are added at
// the top level of the form, not under a prefix.
func (f Fields) EncodeValues(_ string, v *url.Values) error {
	for k, val := range f {
		switch k {
		case "action", "token", "pin":
			continue
		}
		v.Set(k, val)
	}
	return nil
}

// FormMap is a PHP associative array in a form: FormMap{"a": "1"} under
// "params" is sent as params[a]=1.
type FormMap map[string]string

// EncodeValues implements go-querystring's Encoder.
func (m FormMap) EncodeValues(key string, v *url.Values) error {
	for k, val := range m {
		v.Set(key+"["+k+"]", val)
	}
	return nil
}

// validator is implemented by request structs that check themselves.
type validator interface{ Validate() error }

// formBuilder is implemented by request structs that build their own form
// (nested PHP names, fields derived from others): the request path calls
// form after Validate, instead of encoding the struct's url tags.
type formBuilder interface{ form() url.Values }

// rawKeeper is implemented by result types that keep the raw answer.
type rawKeeper interface{ keepBody(env *envelope.Envelope) }

// RawJSON keeps the body of an answer, for fields the SDK does not model.
// Result types embed it; call Raw to read it. Printing a result with fmt
// shows it as an address, never the body, which may echo a secret.
type RawJSON struct{ raw *[]byte }

// Raw returns the JSON body of the answer as received (PHP warnings stripped).
func (r *RawJSON) Raw() []byte {
	if r.raw == nil {
		return nil
	}
	return *r.raw
}

func (r *RawJSON) setRaw(b []byte) { r.raw = &b }

// keepBody keeps env's body by pointing at it, where setRaw would copy the
// slice header to the heap: one allocation less on every call. The
// envelope is not changed once parsed.
func (r *RawJSON) keepBody(env *envelope.Envelope) { r.raw = (*[]byte)(&env.Body) }
