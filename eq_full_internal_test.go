package invapi

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
)

// showHasFullDataJSON is showHasFullData as it was written with
// encoding/json maps (every value copied): the walk in place must answer
// the same for every shape.
func showHasFullDataJSON(body []byte) bool {
	var top map[string]json.RawMessage
	if json.Unmarshal(body, &top) != nil {
		return false
	}
	for _, container := range []string{"", "result", "data"} {
		obj := top
		if container != "" {
			if json.Unmarshal(top[container], &obj) != nil {
				continue
			}
		}
		if sd, ok := obj["server_data"]; ok {
			var keys map[string]json.RawMessage
			if json.Unmarshal(sd, &keys) != nil {
				return false
			}
			for _, k := range summaryFullKeys {
				if _, ok := keys[k]; ok {
					return true
				}
			}
			return false
		}
	}
	return false
}

func TestShowHasFullData(t *testing.T) {
	t.Parallel()
	cases := []struct {
		body string
		want bool
	}{
		{`{"server_data":{"id":1,"power":"on"}}`, true},
		{`{"server_data":{"id":1,"name":"a","status":"rent"}}`, false},
		{`{"server_data":{"id":1,"tags":[]}}`, true},
		{`{"server_data":{"id":1,"\u0074ags":[]}}`, true},
		{`{"server_data":{"id":1,"Tags":[]}}`, false},
		{`{"server_data":null,"result":{"server_data":{"mac":""}}}`, false},
		{`{"server_data":[],"data":{"server_data":{"mac":""}}}`, false},
		{`{"server_data":{"id":1},"server_data":{"os":"x"}}`, true},
		{`{"server_data":{"os":"x"},"server_data":{"id":1}}`, false},
		{`{"result":{"server_data":{"hostname":"h"}}}`, true},
		{`{"result":{"server_data":{"id":1}}}`, false},
		{`{"result":"OK","data":{"server_data":{"ips":[]}}}`, true},
		{`{"result":null,"data":{"server_data":{"preset":"p"}}}`, true},
		{`{"result":{"x":1},"data":{"server_data":{"preset":"p"}}}`, true},
		{`{"result":{"server_data":{"id":1}},"data":{"server_data":{"preset":"p"}}}`, false},
		{`{"data":[{"server_data":{"power":"on"}}]}`, false},
		{`{"id":1,"power":"on"}`, false},
		{`[]`, false},
		{`null`, false},
		{``, false},
		{`{"server_data":{"power":"on"}`, false},
		{`{"server_data":{"power":"on"}} x`, false},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, showHasFullData([]byte(tc.body)), tc.body)
		assert.Equal(t, showHasFullDataJSON([]byte(tc.body)), showHasFullData([]byte(tc.body)), "same as encoding/json: %s", tc.body)
	}
}

// Show's Full check reads the answer in place: no allocation.
func TestShowHasFullDataAllocs(t *testing.T) {
	body := []byte(benchShowBodyInternal)
	assert.True(t, showHasFullData(body))
	assert.Zero(t, testing.AllocsPerRun(100, func() { showHasFullData(body) }))
}

const benchShowBodyInternal = `{"result":"OK","server_data":{"id":"12345","name":"web-1","status":"rent","location":"NL",` +
	`"ip":"192.0.2.10","type":"Server","power":"on","mac":"00:11:22:33:44:55","os":"Ubuntu 22.04",` +
	`"tags":[{"tag":"hostname","value":"web-1.example.com"}]},"hardware":{"cpu":"x"},"IP":[{"ip":"192.0.2.10","main_ip":1}]}`
