package invapi

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRawValues(t *testing.T) {
	for _, tc := range []struct {
		raw          string
		text, scalar string
		n            int
		flag         bool
	}{
		{raw: `"web-1"`, text: "web-1", scalar: "web-1"},
		{raw: ` 12 `, text: "12", scalar: "12", n: 12},
		{raw: `"12"`, text: "12", scalar: "12", n: 12},
		{raw: `"1"`, text: "1", scalar: "1", n: 1, flag: true},
		{raw: `true`, text: "true", flag: true},
		{raw: `"yes"`, text: "yes", scalar: "yes", flag: true},
		{raw: `false`, text: "false"},
		{raw: `null`},
		{raw: ``},
		{raw: `{"a":1}`, text: `{"a":1}`},
		{raw: `[1,2]`, text: `[1,2]`},
		{raw: `"12abc"`, text: "12abc", scalar: "12abc"},
	} {
		raw := []byte(tc.raw)
		assert.Equal(t, tc.text, rawText(raw), "rawText(%s)", tc.raw)
		assert.Equal(t, tc.scalar, rawScalar(raw), "rawScalar(%s)", tc.raw)
		assert.Equal(t, tc.n, rawInt(raw), "rawInt(%s)", tc.raw)
		assert.Equal(t, tc.flag, rawBool(raw), "rawBool(%s)", tc.raw)
	}
}

func TestFirstID(t *testing.T) {
	id, err := firstID(nil, json.RawMessage(`""`), json.RawMessage(`0`), json.RawMessage(`"812"`), json.RawMessage(`9`))
	assert.NoError(t, err)
	assert.Equal(t, 812, id, "empty and zero are skipped")

	_, err = firstID(json.RawMessage(`"eight"`))
	assert.Error(t, err, "a mangled id is not the same as none")

	id, err = firstID()
	assert.NoError(t, err)
	assert.Zero(t, id)
}

func TestExcerptCutsOnARuneBoundary(t *testing.T) {
	assert.Equal(t, "short", excerpt("  short  ", 10))
	assert.Equal(t, "abc…", excerpt("abcdef", 3))
	// "é" is two bytes: a cut inside it backs off to the rune's start.
	assert.Equal(t, "ab…", excerpt("abé", 3))
}

func TestMediaTypeAndLooksJSON(t *testing.T) {
	assert.Equal(t, "application/json", mediaType("Application/JSON; charset=utf-8"))
	assert.Equal(t, "text/html", mediaType(" text/html "))
	assert.True(t, looksJSON(&answer{contentType: "application/json"}))
	assert.True(t, looksJSON(&answer{contentType: "text/html", body: []byte(` {"result":"OK"}`)}))
	assert.False(t, looksJSON(&answer{contentType: "image/png", body: []byte("\x89PNG")}))
}
