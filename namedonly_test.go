package invapi

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Tests of the modules the vendor lists by name only (iso, pdns, vm, rhr,
// s3, the account actions of auth): the form each method sends, and the
// values it decodes from loose, realistic answers.

// assertField checks err is a *ValidationError naming field.
func assertField(t *testing.T, err error, field string) {
	t.Helper()
	var ve *ValidationError
	if assert.ErrorAs(t, err, &ve) {
		assert.Equal(t, field, ve.Field)
	}
}
