package invapi_test

import (
	"context"
	"net/http"
	"os"
	"testing"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invapi-go/invapi"
)

// The SDK also works with httpmock, for users who fake HTTP rather than run
// invapitest: each test gets its own mock transport (no global state), and
// answers come from the documented bodies in testdata/.
func TestWithHTTPMockFixtures(t *testing.T) {
	t.Parallel()
	mock := httpmock.NewMockTransport()
	hc := &http.Client{Transport: mock}
	show, err := os.ReadFile("testdata/eq/show.json")
	require.NoError(t, err)

	var forms []map[string]string
	record := func(req *http.Request) {
		require.NoError(t, req.ParseForm())
		f := map[string]string{}
		for k := range req.PostForm {
			f[k] = req.PostForm.Get(k)
		}
		assert.Empty(t, req.URL.RawQuery, "nothing in the query string")
		forms = append(forms, f)
	}
	mock.RegisterResponder(http.MethodPost, "https://invapi.hostkey.com/auth.php", func(req *http.Request) (*http.Response, error) {
		record(req)
		return httpmock.NewStringResponse(200, `{"result":{"token":"mock-token-123456","ttl":7200}}`), nil
	})
	mock.RegisterResponder(http.MethodPost, "https://invapi.hostkey.com/eq.php", func(req *http.Request) (*http.Response, error) {
		record(req)
		return httpmock.NewBytesResponse(200, show), nil
	})

	c, err := invapi.NewClient(invapi.WithHTTPClient(hc), invapi.WithAPIKey("mock-api-key-0123456789"))
	require.NoError(t, err)
	s, err := c.Eq.Show(context.Background(), 12345)
	require.NoError(t, err)
	assert.Equal(t, 12345, s.ID)
	assert.Equal(t, "Ubuntu 22.04", s.OS.Name)

	require.Len(t, forms, 2)
	assert.Equal(t, map[string]string{"action": "login", "key": "mock-api-key-0123456789", "ttl": "3600", "fix_ip": "0"}, forms[0])
	assert.Equal(t, map[string]string{"action": "show", "id": "12345", "token": "mock-token-123456"}, forms[1])
	assert.Equal(t, 1, mock.GetCallCountInfo()["POST https://invapi.hostkey.com/eq.php"])
}
