package loose

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hooked is read from "a|b" text by a registered function, as a package
// does for a shape no tag describes.
type hooked struct{ A, B string }

type hookedPlain hooked

type withHooked struct {
	H    hooked   `json:"h"`
	List []hooked `json:"list"`
	P    *hooked  `json:"p"`
}

type embedsHooked struct {
	hooked
	C string `json:"c"`
}

func init() {
	Register(func(data []byte, v *hooked) error {
		if data[0] == '{' { // the plain shape, decoded by the tags of another type
			return Unmarshal(data, (*hookedPlain)(v))
		}
		var s string
		if err := Unmarshal(data, &s); err != nil {
			return err
		}
		a, b, ok := strings.Cut(s, "|")
		if !ok {
			return &TypeError{Want: "hooked", Got: "string", Value: s}
		}
		v.A, v.B = a, b
		return nil
	})
}

func TestRegisteredHook(t *testing.T) {
	var w withHooked
	require.NoError(t, Unmarshal([]byte(`{"h":"x|y","list":["1|2",{"A":"3","B":"4"}],"p":"5|6"}`), &w))
	assert.Equal(t, withHooked{H: hooked{"x", "y"}, List: []hooked{{"1", "2"}, {"3", "4"}}, P: &hooked{"5", "6"}}, w)

	var te *TypeError
	err := Unmarshal([]byte(`{"list":["1|2","nope"]}`), &w)
	require.True(t, errors.As(err, &te), "%v", err)
	assert.Equal(t, "list[1]", te.Path)

	// null for a pointer is nil without calling the hook
	require.NoError(t, Unmarshal([]byte(`{"p":null}`), &w))
	assert.Nil(t, w.P)

	// an embedded hooked type has its fields promoted: the hook is not used
	var e embedsHooked
	require.NoError(t, Unmarshal([]byte(`{"A":"a","c":"c"}`), &e))
	assert.Equal(t, embedsHooked{hooked: hooked{A: "a"}, C: "c"}, e)
}
