package invapi

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invapi-go/invapi/internal/loose"
)

// The shapes decoders.go registers are read by the SDK's decoder, and only
// by it: the public types carry no UnmarshalJSON of their own, so
// encoding/json reads them by their tags alone.
func TestRegisteredDecodersReadWHMCSShapes(t *testing.T) {
	invoice := []byte(`{"invoiceid":"812","status":"Unpaid","total":"12.50",
		"items":{"item":[{"id":"1","description":"Server 1001"},{"id":"2","description":"IP"}]}}`)

	var viaSDK Invoice
	require.NoError(t, loose.Unmarshal(invoice, &viaSDK))
	assert.Equal(t, 812, viaSDK.ID, "invoiceid is the id")
	require.Len(t, viaSDK.Items, 2, "items under items.item")
	assert.Equal(t, "IP", viaSDK.Items[1].Description)
	assert.Equal(t, "12.50", viaSDK.Total.String())

	var details InvoiceDetails
	require.NoError(t, loose.Unmarshal(invoice, &details))
	assert.Equal(t, 812, details.ID, "InvoiceDetails is decoded as the Invoice it holds")
	assert.Len(t, details.Items, 2)

	var viaStdlib Invoice
	require.NoError(t, json.Unmarshal(invoice, &viaStdlib))
	assert.Zero(t, viaStdlib.ID, "encoding/json does not know invoiceid: the rule lives in the SDK's decoder")
	assert.Empty(t, viaStdlib.Items)

	credits := []byte(`{"clientid":"7","currency_code":"EUR","credit":"40.00",
		"credits":{"credit":[{"id":"3","amount":"40.00","description":"top-up"}]}}`)
	var c Credits
	require.NoError(t, loose.Unmarshal(credits, &c))
	assert.Equal(t, 7, c.ClientID)
	assert.Equal(t, "EUR", c.Currency)
	assert.Equal(t, "40.00", c.Balance.String(), "a scalar credit is the balance")
	require.Len(t, c.Entries, 1, "entries under credits.credit")
	assert.Equal(t, "top-up", c.Entries[0].Description)
}

// A registered decoder's errors stay typed errors, as the decoder's own.
func TestRegisteredDecoderErrorsAreTyped(t *testing.T) {
	var inv Invoice
	err := loose.Unmarshal([]byte(`{"invoiceid":"eight"}`), &inv)
	var te *loose.TypeError
	require.ErrorAs(t, err, &te)
}
