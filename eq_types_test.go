package invapi

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invapi-go/invapi/internal/loose"
)

// fullKeysJSON reports, as Full was first computed (encoding/json maps of
// every value, exact key names), whether a server object sent any field
// eq.php list sends only with full=1. The decoder now sets Full in its own
// pass; it must agree with this wherever the answer is shaped as HOSTKEY
// sends it.
func fullKeysJSON(raw []byte) bool {
	var keys map[string]json.RawMessage
	if json.Unmarshal(raw, &keys) != nil {
		return false
	}
	for _, k := range []string{"power", "hostname", "mac", "os", "preset", "ips", "tags"} {
		if _, ok := keys[k]; ok {
			return true
		}
	}
	return false
}

func TestServerSummaryFull(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		row  string
		want bool
	}{
		{`{"id":1,"power":"on"}`, true},
		{`{"id":1,"name":"a","status":"rent","location":"NL","ip":"192.0.2.1","type":"Server"}`, false},
		{`{"id":1,"tags":[]}`, true},
		{`{"id":1,"\u0074ags":[]}`, true},
		{`{"id":1,"hostname":null}`, true},
		{`{"id":1,"mac":""}`, true},
		{`{"id":1,"os":"x"}`, true},
		{`{"id":1,"preset":"p"}`, true},
		{`{"id":1,"ips":["192.0.2.1"]}`, true},
		{`{"id":1,"Condition_Component":"rent","full":1}`, false},
		{`{"id":1,"hardware":{"power":"on"}}`, false},
	} {
		var row ServerSummary
		require.NoError(t, loose.Unmarshal([]byte(tc.row), &row), tc.row)
		assert.Equal(t, tc.want, row.Full, tc.row)
		assert.Equal(t, fullKeysJSON([]byte(tc.row)), row.Full, "as encoding/json reads it: %s", tc.row)
	}
}

// Show's Full is server_data's, wherever the answer puts it; top-level
// fields of the same names (tags, OS) do not count.
func TestShowFull(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		body string
		want bool
	}{
		{`{"result":"OK","server_data":{"id":12345,"power":"on"}}`, true},
		{`{"result":"OK","server_data":{"id":12345,"name":"a"},"tags":[{"tag":"hostname","value":"h"}],"OS":{"name":"x"},"preset":"p"}`, false},
		{`{"result":{"server_data":{"id":12345,"hostname":"h"}}}`, true},
		{`{"result":{"server_data":{"id":12345}}}`, false},
		{`{"result":"OK","data":{"server_data":{"id":12345,"ips":[]}}}`, true},
		{`{"result":"OK","server_data":{"id":12345,"tags":[]},"data":{"x":1}}`, true},
	} {
		c, m := newTestClient(t)
		m.on("eq", "show", tc.body)
		srv, err := c.Eq.Show(context.Background(), 12345)
		require.NoError(t, err, tc.body)
		assert.Equal(t, tc.want, srv.Full, tc.body)
	}
}
