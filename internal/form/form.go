// Package form turns request structs into InvAPI's form bodies.
//
// Request structs carry go-querystring `url:"..."` tags. The conventions the
// API expects are spelled with go-querystring's options:
//
//	Enabled  bool     `url:"enabled,int,omitempty"` // booleans as 0/1
//	IDs      []int    `url:"id_list,brackets"`       // PHP arrays: id_list[]=1&id_list[]=2
//	Params   KeyOpts  `url:"params"`                 // PHP maps: params[name]=...
//	Location *int     `url:"location,omitempty"`     // pointer: zero is a real value
package form

import (
	"fmt"
	"net/url"

	"github.com/google/go-querystring/query"
)

// Encode returns the form fields of params: nil gives no fields, url.Values
// is used as it is (the caller hands it over: the SDK adds action, token
// and pin to it), map[string]string is copied, anything else goes through
// go-querystring.
func Encode(params any) (url.Values, error) {
	switch p := params.(type) {
	case nil:
		return url.Values{}, nil
	case url.Values:
		if p == nil {
			return url.Values{}, nil
		}
		return p, nil
	case map[string]string:
		out := make(url.Values, len(p)+3)
		for k, v := range p {
			out.Set(k, v)
		}
		return out, nil
	}
	v, err := query.Values(params)
	if err != nil {
		return nil, fmt.Errorf("encode form: %w", err)
	}
	return v, nil
}
