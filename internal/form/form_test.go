package form

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type nested struct {
	Name   string `url:"name,omitempty"`
	Active bool   `url:"active,int"`
}

type sample struct {
	ID       int      `url:"id"`
	Hostname string   `url:"hostname,omitempty"`
	Enabled  bool     `url:"enabled,int,omitempty"`
	Force    *bool    `url:"force,int,omitempty"`
	IDs      []int    `url:"id_list,brackets,omitempty"`
	Location *int     `url:"location,omitempty"`
	Params   nested   `url:"params"`
	Skip     string   `url:"-"`
	Tags     []string `url:"tags,comma,omitempty"`
}

func TestEncodeStruct(t *testing.T) {
	f, zero := false, 0
	got, err := Encode(sample{ID: 7, Enabled: true, Force: &f, IDs: []int{1, 2}, Location: &zero,
		Params: nested{Name: "ci", Active: true}, Skip: "x", Tags: []string{"a", "b"}})
	require.NoError(t, err)
	assert.Equal(t, url.Values{
		"id": {"7"}, "enabled": {"1"}, "force": {"0"}, "id_list[]": {"1", "2"}, "location": {"0"},
		"params[name]": {"ci"}, "params[active]": {"1"}, "tags": {"a,b"},
	}, got)
}

func TestEncodeOmitsZero(t *testing.T) {
	got, err := Encode(&sample{ID: 1})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"id": {"1"}, "params[active]": {"0"}}, got)
}

func TestEncodePassthrough(t *testing.T) {
	in := url.Values{"a": {"1"}}
	got, err := Encode(in)
	require.NoError(t, err)
	assert.Equal(t, in, got)

	got, err = Encode(map[string]string{"b": "x"})
	require.NoError(t, err)
	assert.Equal(t, url.Values{"b": {"x"}}, got)

	got, err = Encode(nil)
	require.NoError(t, err)
	assert.Empty(t, got)

	_, err = Encode(42)
	assert.Error(t, err)
}
