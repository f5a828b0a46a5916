package envelope

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseShapes(t *testing.T) {
	tests := []struct {
		name                    string
		body                    string
		failed                  bool
		result, code, text, key string
		payload                 string
	}{
		{"ok top level", `{"result":"OK","id":1}`, false, "OK", "", "OK", "", ""},
		{"whmcs success", `{"result":"success","message":{"id":"1"}}`, false, "success", "", "success", "", `{"id":"1"}`},
		{"result object", `{"result":{"token":"x"}}`, false, "", "", "", "", `{"token":"x"}`},
		{"result zero", `{"result":0,"id":1}`, false, "0", "", "0", "", ""},
		{"data container", `{"result":"OK","data":[1,2]}`, false, "OK", "", "OK", "", `[1,2]`},
		{"code -1", `{"code":-1,"message":"Nothing found for id"}`, true, "", "-1", "Nothing found for id", "", ""},
		{"code as string", `{"code":"-2","message":"Invalid token"}`, true, "", "-2", "Invalid token", "", ""},
		{"symbolic code", `{"result":-1,"error":"NO_APPROPRIATE_SERVERS"}`, true, "-1", "", "NO_APPROPRIATE_SERVERS", "", ""},
		{"result Error", `{"result":"Error","message":"boom"}`, true, "Error", "", "boom", "", ""},
		{"result Fail", `{"result":"Fail"}`, true, "Fail", "", "Fail", "", ""},
		{"callback", `{"result":"OK","action":"on","callback":"abc"}`, false, "OK", "", "OK", "", ""},
		{"not ready", `{"result":"Not ready","key":"abc"}`, false, "Not ready", "", "Not ready", "abc", ""},
		{"error only", `{"error":"bad request"}`, true, "", "", "bad request", "", ""},
		{"code zero ok", `{"result":"OK","code":0}`, false, "OK", "0", "OK", "", ""},
		{"bare array", `[{"id":1}]`, false, "", "", "", "", `[{"id":1}]`},
		{"status error", `{"status":"error","message":"Server is locked"}`, true, "", "", "Server is locked", "", ""},
		{"status with OK", `{"result":"OK","status":"error"}`, false, "OK", "", "OK", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, err := Parse([]byte(tt.body))
			require.NoError(t, err)
			assert.Equal(t, tt.failed, env.Failed())
			assert.Equal(t, tt.result, env.Result)
			assert.Equal(t, tt.code, env.Code)
			assert.Equal(t, tt.text, env.Text())
			assert.Equal(t, tt.key, env.Key)
			assert.Equal(t, tt.payload, string(env.Payload))
		})
	}
}

func TestParseStripsPHPWarnings(t *testing.T) {
	for _, name := range []string{"php_warning_prefix.txt", "php_notice_suffix.txt"} {
		body, err := os.ReadFile(filepath.Join("..", "..", "testdata", "quirks", name))
		require.NoError(t, err)
		env, err := Parse(body)
		require.NoError(t, err, name)
		assert.Equal(t, "OK", env.Result)
		assert.Contains(t, env.Warning, "Undefined")
		assert.Equal(t, byte('{'), env.Body[0])
	}
}

func TestParseRefusesNonJSON(t *testing.T) {
	for _, body := range []string{"", "   ", "<html>502</html>", "OK", `{"result":"OK"`, "<b>Fatal error</b>: boom",
		"<b>Warning</b>: x\n{broken", `"just a string"`, `12`} {
		_, err := Parse([]byte(body))
		assert.ErrorIs(t, err, ErrNotJSON, body)
	}
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "quirks", "*"))
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		env, err := Parse(body)
		if err != nil {
			return
		}
		_ = env.Failed()
		_ = env.Text()
		if len(env.Body) == 0 {
			t.Fatal("parsed envelope without a body")
		}
	})
}
