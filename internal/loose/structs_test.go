package loose

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A bool tagged loose:"flag" is true for true, 1, "1", "true", "yes",
// "on", "y" in any case and false for anything else, never an error.
func TestFlag(t *testing.T) {
	type row struct {
		Active bool `json:"active" loose:"flag"`
		Strict bool `json:"strict"`
	}
	for body, want := range map[string]bool{
		`{"active":true}`: true, `{"active":1}`: true, `{"active":"1"}`: true,
		`{"active":" Yes "}`: true, `{"active":"ON"}`: true, `{"active":"y"}`: true, `{"active":"True"}`: true,
		`{"active":false}`: false, `{"active":0}`: false, `{"active":2}`: false, `{"active":1.0}`: false,
		`{"active":"2"}`: false, `{"active":"maybe"}`: false, `{"active":null}`: false,
		`{"active":{}}`: false, `{"active":[1]}`: false, `{"ACTIVE":"1"}`: true, `{}`: false,
	} {
		var r row
		require.NoError(t, Unmarshal([]byte(body), &r), body)
		assert.Equal(t, want, r.Active, body)
	}
	// without the tag, a word is still an error
	var te *TypeError
	assert.ErrorAs(t, Unmarshal([]byte(`{"strict":"maybe"}`), &row{}), &te)
	var se *SyntaxError
	assert.ErrorAs(t, Unmarshal([]byte(`{"active":"1}`), &row{}), &se)
}

// A struct with a loose:"bare" field takes a value sent in place of the
// object as that field's text; loose:"bare=scalar" takes only non-empty
// strings and numbers, and leaves the rest to the usual rules.
func TestBare(t *testing.T) {
	type license struct {
		ID     int               `json:"id"`
		Name   string            `json:"name" loose:"bare"`
		Fields map[string]string `json:"-" loose:"all"`
	}
	type location struct {
		Code string `json:"location" loose:"alt=code bare=scalar"`
		Name string `json:"name"`
	}
	var ls []license
	require.NoError(t, Unmarshal([]byte(`["cPanel",7,true,[],["a"],null,{"id":"3","name":"ISP","x":1}]`), &ls))
	assert.Equal(t, []license{{Name: "cPanel"}, {Name: "7"}, {Name: "true"}, {Name: "[]"}, {Name: `["a"]`}, {},
		{ID: 3, Name: "ISP", Fields: map[string]string{"id": "3", "name": "ISP", "x": "1"}}}, ls)

	var locs []location
	require.NoError(t, Unmarshal([]byte(`["NL",5,"",true,[],{"code":"FI","name":"Helsinki"},{"location":"US","code":"x"}]`), &locs))
	assert.Equal(t, []location{{Code: "NL"}, {Code: "5"}, {}, {}, {}, {Code: "FI", Name: "Helsinki"}, {Code: "US"}}, locs)
	var te *TypeError
	assert.ErrorAs(t, Unmarshal([]byte(`[["NL"]]`), &locs), &te, "a list is not a code")
}
