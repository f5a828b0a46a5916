package invapi

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/invapi-go/invapi/internal/form"
)

// TagsService wraps tags.php: tags on servers.
type TagsService service

var (
	tagsAdd = endpoint{module: "tags", action: "add", class: change, settle: "tags/list", evidence: byClient("tf")}
	// remove: tag, id, and component=eq + component_id as tf sends them for one server (docs 001 list id and tag only).
	tagsRemove     = endpoint{module: "tags", action: "remove", class: change, settle: "tags/list", evidence: byClient("tf")}
	tagsList       = endpoint{module: "tags", action: "list", class: read, evidence: byClient("tf", "mcp")}
	tagsUserSearch = endpoint{module: "tags", action: "user_search", class: read, evidence: byClient("mcp")}
)

// Limits of tags.php, as the vendor documents them.
const (
	maxTagName  = 32
	maxTagValue = 256
	maxTagExtra = 16384
)

// Tag is one tag of a server or of one of its components.
type Tag struct {
	ID          int    `json:"id"`           // the tag's own id
	Component   string `json:"component"`    // "eq" for a server
	ComponentID int    `json:"component_id"` // the server (or component) id
	Name        string `json:"tag"`          // the tag's name ("tag" on the wire), e.g. "hostname"
	Value       string `json:"value"`
	Extra       string `json:"extra"`
}

// TagAddResult is the answer of tags.php add: the tag as stored.
type TagAddResult struct {
	Tag
	RawJSON
}

// TagAddRequest adds a tag to one server (ID) or to several (IDList), or
// changes it if the server already has a tag of that name.
type TagAddRequest struct {
	ID int `url:"id,omitempty"` // the server; or IDList
	// IDList tags several servers in one call, sent as id_list=1,2,3.
	IDList []int  `url:"id_list,comma,omitempty"`
	Tag    string `url:"tag"`   // name: at most 32 characters, no spaces
	Value  string `url:"value"` // at most 256 characters
	// ExtraValue is the optional "extra" field, to keep several values for
	// one name (at most 16384 characters).
	ExtraValue string `url:"extra,omitempty"`
}

// Validate checks the request before it is sent.
func (r *TagAddRequest) Validate() error { return validateRequest(r) }

func (r *TagAddRequest) check() error {
	if err := validateTagTargets(r.ID, r.IDList); err != nil {
		return err
	}
	if err := validateTagName(r.Tag); err != nil {
		return err
	}
	if n := utf8.RuneCountInString(r.Value); n > maxTagValue {
		return invalid("value", "must be at most %d characters, got %d", maxTagValue, n)
	}
	if n := utf8.RuneCountInString(r.ExtraValue); n > maxTagExtra {
		return invalid("extra", "must be at most %d characters, got %d", maxTagExtra, n)
	}
	return nil
}

// Add adds a tag to a server, or changes its value if the tag exists (tags.php add).
// With IDList set, the tag is added to every listed server in one call.
func (s *TagsService) Add(ctx context.Context, req *TagAddRequest) (*TagAddResult, error) {
	return get[TagAddResult](ctx, s.client, &tagsAdd, req)
}

// TagRemoveRequest removes a tag from one server (ID) or from several (IDList).
type TagRemoveRequest struct {
	ID     int    `url:"id,omitempty"`
	IDList []int  `url:"id_list,comma,omitempty"` // sent as id_list=1,2,3
	Tag    string `url:"tag"`
}

// Validate checks the request before it is sent.
func (r *TagRemoveRequest) Validate() error { return validateRequest(r) }

func (r *TagRemoveRequest) check() error {
	if err := validateTagTargets(r.ID, r.IDList); err != nil {
		return err
	}
	return validateTagName(r.Tag)
}

// Remove removes a tag, by name, from a server (tags.php remove). With
// IDList set, it is removed from every listed server in one call. For one
// server it also sends component=eq and component_id, as HOSTKEY's
// Terraform provider does.
func (s *TagsService) Remove(ctx context.Context, req *TagRemoveRequest) error {
	return act(ctx, s.client, &tagsRemove, req)
}

func (r *TagRemoveRequest) form() url.Values {
	wire := struct {
		*TagRemoveRequest
		Component   string `url:"component,omitempty"`
		ComponentID int    `url:"component_id,omitempty"`
	}{TagRemoveRequest: r}
	if r.ID > 0 {
		wire.Component, wire.ComponentID = "eq", r.ID
	}
	f, _ := form.Encode(&wire) // ints, strings and a list: never fails
	return f
}

func (r *TagRemoveRequest) nilField() string { return "tag" }
func (r *TagAddRequest) nilField() string    { return "tag" }

// List returns every tag of a server (tags.php list).
func (s *TagsService) List(ctx context.Context, id int) ([]Tag, error) {
	if err := validServerID(id); err != nil {
		return nil, err
	}
	return getList[Tag](ctx, s.client, &tagsList, idForm(id), "tags")
}

// UserSearch returns the ids of the caller's servers that have a tag whose
// name or value contains pattern (tags.php user_search).
func (s *TagsService) UserSearch(ctx context.Context, pattern string) ([]int, error) {
	if strings.TrimSpace(pattern) == "" {
		return nil, invalid("value", "search pattern is empty")
	}
	rows, err := getList[json.RawMessage](ctx, s.client, &tagsUserSearch, url.Values{"value": {pattern}}, "servers", "ids", "data")
	if err != nil {
		return nil, err
	}
	return taggedServerIDs(rows), nil
}

// taggedServerIDs reads a list of server ids whose rows are ids (numbers or
// strings) or objects carrying one (id, eq_id, server_id, component_id).
func taggedServerIDs(rows []json.RawMessage) []int {
	positive := func(raw []byte) int { return max(rawInt(raw), 0) }
	return rowValues(rows, positive, "eq_id", "server_id", "component_id", "id")
}

func validateTagTargets(id int, list []int) error {
	switch {
	case id < 0:
		return invalid("id", "must be a positive server id, got %d", id)
	case id > 0 && len(list) > 0:
		return invalid("id_list", "set either id or id_list, not both")
	case id == 0 && len(list) == 0:
		return invalid("id", "a server id (or id_list) is required")
	}
	for _, v := range list {
		if v <= 0 {
			return invalid("id_list", "ids must be positive, got %d", v)
		}
	}
	return nil
}

func validateTagName(tag string) error {
	switch {
	case strings.TrimSpace(tag) == "":
		return invalid("tag", "tag name is empty")
	case utf8.RuneCountInString(tag) > maxTagName:
		return invalid("tag", "must be at most %d characters, got %d", maxTagName, utf8.RuneCountInString(tag))
	case strings.IndexFunc(tag, unicode.IsSpace) >= 0:
		return invalid("tag", "must not contain spaces")
	}
	return nil
}
