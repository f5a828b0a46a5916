package invapi

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
)

// Every request's Validate is validateRequest(r): the checks declared in
// its fields' check tags, then its own (a check method), so that the rules
// most requests share (a positive id, a location code, a required name)
// are written once, here. The tag is
//
//	check:"KIND[=NOUN][,optional][,name=FIELD]"
//
// and refuses the zero value unless optional is given:
//
//	id=NOUN     an int id > 0: "must be a positive NOUN id, got %d" (optional:
//	            0 means "not sent", below 0 is the same error); id alone: "a
//	            positive id"
//	nonnegative an int >= 0: "must not be negative, got %d"
//	required    a string that is not blank: "is required" (required=NOUN:
//	            "NOUN is required")
//	location    a location code (locationCode)
//	ip          an IPv4 or IPv6 address (validIPField)
//	email       an e-mail address (validateEmail)
//	domain      a domain name (validDomain)
//	amount      a positive Money amount (positiveAmount)
//
// The error names the field's form name (its url tag), or FIELD. Tag checks
// run in field order, before the request's own check method; the first
// error is returned. The tags of a type are read once (fieldChecks).

// fieldCheck is one parsed check tag.
type fieldCheck struct {
	index    int
	name     string // the form field named in errors
	kind     string
	reason   string // the format of the id and required errors
	optional bool
}

var fieldChecks sync.Map // reflect.Type (a struct) -> []fieldCheck

// ownChecker is a request with checks of its own, beyond its tags.
type ownChecker interface{ check() error }

// validateRequest is Validate for the request r points to: its tag
// checks in field order, then its check method; the first error.
func validateRequest(r any) error {
	v := reflect.ValueOf(r).Elem()
	checks, ok := fieldChecks.Load(v.Type())
	if !ok {
		checks, _ = fieldChecks.LoadOrStore(v.Type(), checksOf(v.Type()))
	}
	for _, c := range checks.([]fieldCheck) {
		if err := c.run(v.Field(c.index)); err != nil {
			return err
		}
	}
	if c, ok := r.(ownChecker); ok {
		return c.check()
	}
	return nil
}

// checksOf parses the check tags of t. A tag that does not parse, or does
// not fit its field's type, is a mistake in the SDK: it panics, in the
// first test that validates the type.
func checksOf(t reflect.Type) []fieldCheck {
	var out []fieldCheck
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag, ok := f.Tag.Lookup("check")
		if !ok {
			continue
		}
		c, err := parseCheck(tag)
		if err == nil {
			err = c.fits(f.Type)
		}
		if err != nil {
			panic(fmt.Sprintf("invapi: %s.%s: %v", t.Name(), f.Name, err))
		}
		c.index = i
		if c.name == "" {
			c.name, _, _ = strings.Cut(f.Tag.Get("url"), ",")
		}
		if c.name == "" || c.name == "-" {
			panic(fmt.Sprintf("invapi: %s.%s: check tag needs name= (no url name)", t.Name(), f.Name))
		}
		out = append(out, c)
	}
	return out
}

// parseCheck reads one check tag (see validateRequest).
func parseCheck(tag string) (fieldCheck, error) {
	parts := strings.Split(tag, ",")
	kind, noun, hasNoun := strings.Cut(parts[0], "=")
	c := fieldCheck{kind: kind}
	switch kind {
	case "id":
		if noun != "" {
			noun += " "
		}
		c.reason = "must be a positive " + noun + "id, got %d"
	case "required":
		c.reason = "is required"
		if noun != "" {
			c.reason = noun + " is required"
		}
	case "nonnegative", "location", "ip", "email", "domain", "amount":
		if hasNoun {
			return c, fmt.Errorf("check %q takes no =%s", kind, noun)
		}
	default:
		return c, fmt.Errorf("unknown check %q", kind)
	}
	for _, p := range parts[1:] {
		switch {
		case p == "optional":
			c.optional = true
		case strings.HasPrefix(p, "name=") && len(p) > len("name="):
			c.name = strings.TrimPrefix(p, "name=")
		default:
			return c, fmt.Errorf("unknown check option %q", p)
		}
	}
	return c, nil
}

// fits tells whether the check applies to a field of type t.
func (c fieldCheck) fits(t reflect.Type) error {
	want := reflect.String
	switch c.kind {
	case "id", "nonnegative":
		want = reflect.Int
	case "amount":
		if t != reflect.TypeOf(Money{}) {
			return fmt.Errorf("check %q needs a Money field, not %s", c.kind, t)
		}
		return nil
	}
	if t.Kind() != want {
		return fmt.Errorf("check %q needs a %s field, not %s", c.kind, want, t)
	}
	return nil
}

// run checks the field's value v (addressable: an amount is read through
// its address, without a copy on the heap).
func (c fieldCheck) run(v reflect.Value) error {
	if c.optional && v.IsZero() && c.kind != "location" {
		return nil
	}
	switch c.kind {
	case "id":
		if n := v.Int(); n <= 0 {
			return invalid(c.name, c.reason, n)
		}
	case "nonnegative":
		if n := v.Int(); n < 0 {
			return invalid(c.name, "must not be negative, got %d", n)
		}
	case "required":
		return requiredText(c.name, v.String(), c.reason)
	case "location":
		_, err := locationCode(c.name, v.String(), !c.optional)
		return err
	case "ip":
		return validIPField(c.name, v.String())
	case "email":
		return validateEmail(c.name, v.String())
	case "domain":
		return validDomain(c.name, v.String())
	case "amount":
		return positiveAmount(c.name, *v.Addr().Interface().(*Money))
	}
	return nil
}
