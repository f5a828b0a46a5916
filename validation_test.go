package invapi

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRootPassPolicy checks each rule of HOSTKEY's root password policy
// (evidence.md §3: whmcs validatePassword, mcp schema) on its own.
func TestRootPassPolicy(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"Root-pass_123", "A1bcdef%", "Z9%-_+zz", "aB3+" + strings.Repeat("x", 26), "9Abcdef-"} {
		assert.NoError(t, validateRootPass("root_pass", ok), ok)
	}
	rules := []struct{ rule, pass, says string }{
		{"required", "", "is required"},
		{"at least 8", "Ab1-xyz", "8 to 30"},
		{"at most 30", "Ab1-" + strings.Repeat("x", 27), "8 to 30"},
		{"upper-case letter", "abc-defg1", "upper-case"},
		{"lower-case letter", "ABC-DEFG1", "lower-case"},
		{"digit", "Abc-defgh", "digit"},
		{"special % - _ +", "Abcdefgh1", "% - _ +"},
		{"no leading %", "%Abcdefg1", "must not start"},
		{"no leading -", "-Abcdefg1", "must not start"},
		{"no leading _", "_Abcdefg1", "must not start"},
		{"no leading +", "+Abcdefg1", "must not start"},
		{"no @", "Abc@defg1-", "no @"},
		{"no #", "Abc#defg1-", "no @, #"},
		{"no space", "Abc defg1-", "spaces"},
		{"ASCII only", "Abcdéfg1-", "only letters"},
	}
	for _, r := range rules {
		t.Run(r.rule, func(t *testing.T) {
			err := validateRootPass("root_pass", r.pass)
			var ve *ValidationError
			require.True(t, errors.As(err, &ve), "%q must be refused", r.pass)
			assert.Equal(t, "root_pass", ve.Field)
			assert.Contains(t, err.Error(), r.says)
			if r.pass != "" {
				assert.NotContains(t, err.Error(), r.pass)
			}
		})
	}
}
