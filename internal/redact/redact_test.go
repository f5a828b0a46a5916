package redact

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"form body", "action=show&id=1&pin=4321&token=abcdef0123", "action=show&id=1&pin=***&token=***"},
		{"json", `{"token":"abcdef0123","id":"5"}`, `{"token":"***","id":"5"}`},
		{"known secret in prose", "Invalid token deadbeefcafe given", "Invalid token *** given"},
		{"pin inside a longer number is kept", "server 123456 not found", "server 123456 not found"},
		{"root_pass", "root_pass=Hunter2-pass&os=1", "root_pass=***&os=1"},
		{"api key field", `api_key: sk_live_1`, `api_key: ***`},
		{"no secrets", "Nothing found for id", "Nothing found for id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Text(tt.in, "deadbeefcafe", "1234"))
		})
	}
}

func TestIsSecretField(t *testing.T) {
	for _, f := range []string{"token", "PIN", "root_pass", "password", "key", "code"} {
		assert.True(t, IsSecretField(f), f)
	}
	for _, f := range []string{"id", "action", "hostname"} {
		assert.False(t, IsSecretField(f), f)
	}
}

// A known secret is masked in every encoding a server may echo it in, in
// any letter case, and inside longer words.
func TestTextMasksEveryEncoding(t *testing.T) {
	const pass = "Root-pass_1+2%41/x'&y" // every character the encodings treat specially
	const token = "tok-5f2a9c0e7b1d4a3c"
	const pin = "4826"
	tests := []struct{ name, in string }{
		{"as sent", "bad " + pass + " end"},
		{"url query escape", "bad Root-pass_1%2B2%2541%2Fx%27%26y end"},
		{"url lower-case hex", "bad Root-pass_1%2b2%2541%2fx%27%26y end"},
		{"url every byte", "bad %52%6f%6f%74%2d%70%61%73%73%5f%31%2b%32%25%34%31%2f%78%27%26%79 end"},
		{"html escape", "bad Root-pass_1+2%41/x&#39;&amp;y end"},
		{"html hex entities", "bad Root-pass_1&#x2B;2&#X25;41&#x2f;x&#x27;&#38;y end"},
		{"html named", "bad Root-pass_1&plus;2&percnt;41&sol;x&apos;&AMP;y end"},
		{"json escapes", `bad Root-pass_1\u002b2\u002541\/x\u0027\u0026y end`},
		{"json every char", `bad \u0052\u006F\u006f\u0074\u002d\u0070\u0061\u0073\u0073\u005f\u0031\u002b\u0032\u0025\u0034\u0031\u002f\u0078\u0027\u0026\u0079 end`},
		{"upper case", "bad ROOT-PASS_1+2%41/X'&Y end"},
		{"lower case", "bad root-pass_1+2%41/x'&y end"},
		{"mixed encodings", `bad rOOt%2Dpass\u005f1&#43;2%41\/x&#39;%26y end`},
		{"glued to letters", "bad xx" + pass + "yy end"},
		{"glued to underscores", "bad __" + pass + "__ end"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Text(tt.in, pass, token, pin)
			assert.Contains(t, got, Mask, got)
			assert.NotContains(t, strings.ToLower(got), "pass_1", got)
			assert.NotContains(t, got, "41/x", got)
			assert.True(t, strings.HasPrefix(got, "bad ") && strings.HasSuffix(got, " end"), "only the secret is masked: %s", got)
		})
	}
	for _, in := range []string{
		"Invalid token " + token + "!", "x" + token + "y", "_" + token + "_", strings.ToUpper(token),
		"tok%2D5f2a9c0e7b1d4a3c", `tok\u002d5f2a9c0e7b1d4a3c`, "tok&#45;5f2a9c0e7b1d4a3c", "TOK-5F2A9C0E7B1D4A3C",
	} {
		got := Text(in, pass, token, pin)
		assert.NotContains(t, strings.ToLower(got), "5f2a9c0e7b1d4a3c", in)
	}
	// A PIN is masked next to letters, never inside a longer number.
	assert.Equal(t, "pin***ok", Text("pin4826ok", pin))
	assert.Equal(t, "PIN: ***", Text("PIN: 4826", pin))
	assert.Equal(t, "id 148260 and 48260", Text("id 148260 and 48260", pin))
	assert.NotContains(t, Text("echo %34%38%32%36 done", pin), "%34%38%32%36")
}

// Values after a secret field name are masked in escaped forms too.
func TestTextMasksEscapedSecretFields(t *testing.T) {
	for _, in := range []string{
		`{\"password\":\"unknown-Secret9\"}`,
		"password%3Dunknown-Secret9%26id%3D1",
		"&quot;password&quot;:&quot;unknown-Secret9&quot;",
		"admin_pass=unknown-Secret9",
		"reset_token: unknown-Secret9",
		"password2=unknown-Secret9",
		"REINSTALL_KEY=unknown-Secret9",
	} {
		got := Text(in)
		assert.NotContains(t, got, "unknown-Secret9", in)
		assert.Contains(t, got, Mask, in)
	}
}

// Hostile input costs linear time, not exponential.
func TestTextIsLinearOnEscapes(t *testing.T) {
	secret := strings.Repeat("%25", 20)
	in := strings.Repeat("%2525", 5000)
	_ = Text(in, secret)
}

// Text never panics, and a secret as sent never survives it.
func FuzzText(f *testing.F) {
	for _, s := range []string{"a%4", "&#x;", `\u12`, `\uD83D\u`, "&#99999999999;", "%%%", "&amp", "tok-1234&#", `x\`} {
		f.Add(s, "tok-1234")
	}
	f.Fuzz(func(t *testing.T, s, secret string) {
		out := Text(s, secret)
		if len(secret) >= MinLength && strings.Trim(secret, "0123456789") != "" && strings.Contains(out, secret) &&
			!strings.Contains(secret, Mask) && !strings.Contains(Mask, secret) {
			t.Fatalf("%q survives in %q", secret, out)
		}
	})
}
