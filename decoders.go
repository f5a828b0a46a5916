package invapi

import "github.com/invapi-go/invapi/internal/loose"

// The answer shapes no loose tag describes (a field read from a nested
// level, a key's alternatives with their own rules, values merged across
// levels of one answer) are decoded by these functions. They are
// registered with internal/loose rather than being UnmarshalJSON methods,
// so that the tolerance for loose JSON stays out of the public types
// (DESIGN.md): encoding/json decodes these types by their tags alone.
func init() {
	loose.Register(decodeUpdateServersResult)
	loose.Register(decodeOrderResult)
	loose.Register(decodePreset)
	loose.Register(decodeInvoice)
	// InvoiceDetails embeds Invoice, whose fields it would otherwise take
	// as its own: it is decoded as the Invoice it holds.
	loose.Register(func(b []byte, d *InvoiceDetails) error { return decodeInvoice(b, &d.Invoice) })
	// NewAPIKey embeds APIKey the same way; its Key is never read from an
	// answer (APIKeysService.Add finds it).
	loose.Register(func(b []byte, k *NewAPIKey) error { return loose.Unmarshal(b, &k.APIKey) })
	loose.Register(decodeCredits)
	loose.Register(decodeBillingData)
}
