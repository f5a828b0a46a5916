package loose

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const showBody = `{"result":"OK","module":"eq","action":"show","server_data":{"id":"12345","name":"server-01","status":"rent","location":"NL","ip":"192.0.2.10","type":"Server","price":"120.50"},"hardware":{"components":[{"Type":"CPU","Name":"Intel Xeon E-2288G","Cores":"8"},{"Type":"RAM","Name":"DDR4","Size":65536}]},"groups":{"id":1,"name":"Group 1"},"licenses":[],"location":[],"OS":{"id":"10","name":"Ubuntu 22.04"},"IP":[{"IP":"192.0.2.10","type":"public","main":"1"}],"interfaces":{"0":{"id":1,"type":"eth0","mac":"00:11:22:33:44:55"},"3":{"id":2,"type":"eth1","mac":"00:11:22:33:44:56"}},"IPMI":{"model":"Supermicro","interfaces":[{"IP":"10.0.0.5","MAC":"00:11:22:33:44:57"}]},"tags":[{"tag":"hostname","value":"web-1"}],"preset":"preset-01","commitment":""}`

type component struct {
	Type  string `json:"Type"`
	Name  string `json:"Name"`
	Cores int    `json:"Cores"`
	Size  int64  `json:"Size"`
}

type iface struct {
	ID   int    `json:"id"`
	Type string `json:"type"`
	MAC  string `json:"mac"`
}

type show struct {
	Result     string `json:"result"`
	ServerData struct {
		ID       int     `json:"id"`
		Name     string  `json:"name"`
		Location string  `json:"location"`
		Price    float64 `json:"price"`
	} `json:"server_data"`
	Hardware struct {
		Components []component `json:"components"`
	} `json:"hardware"`
	Groups []struct {
		ID   int
		Name string
	} `json:"groups"`
	Licenses []string `json:"licenses"`
	Location struct {
		DC string `json:"dc_name"`
	} `json:"location"`
	OS struct {
		ID   int    `json:"id"`
		Name string `json:"name"`
	} `json:"OS"`
	IP []struct {
		IP   string `json:"ip"` // case-insensitive match of "IP"
		Main bool   `json:"main"`
	} `json:"IP"`
	Interfaces []iface `json:"interfaces"`
	Tags       []struct{ Tag, Value string }
	Preset     string `json:"preset"`
}

func TestUnmarshalShow(t *testing.T) {
	var s show
	require.NoError(t, Unmarshal([]byte(showBody), &s))
	assert.Equal(t, "OK", s.Result)
	assert.Equal(t, 12345, s.ServerData.ID)
	assert.Equal(t, 120.5, s.ServerData.Price)
	assert.Equal(t, []component{{Type: "CPU", Name: "Intel Xeon E-2288G", Cores: 8}, {Type: "RAM", Name: "DDR4", Size: 65536}}, s.Hardware.Components)
	assert.Equal(t, 1, len(s.Groups))
	assert.Equal(t, 1, s.Groups[0].ID)
	assert.Empty(t, s.Licenses)
	assert.Equal(t, "", s.Location.DC)
	assert.Equal(t, 10, s.OS.ID)
	assert.Equal(t, "192.0.2.10", s.IP[0].IP)
	assert.True(t, s.IP[0].Main)
	assert.Equal(t, []iface{{1, "eth0", "00:11:22:33:44:55"}, {2, "eth1", "00:11:22:33:44:56"}}, s.Interfaces)
	assert.Equal(t, "preset-01", s.Preset)
}

func TestCoercions(t *testing.T) {
	type T struct {
		I    int
		U    uint8
		F    float64
		S    string
		B    bool
		T    time.Time
		P    *int
		L    []int
		M    map[string]int
		Raw  json.RawMessage
		Any  any
		Skip string `json:"-"`
	}
	tests := []struct {
		body string
		want T
	}{
		{`{"I":"42","U":"7","F":"1.50","S":12.5,"B":"1"}`, T{I: 42, U: 7, F: 1.5, S: "12.5", B: true}},
		{`{"I":"","F":"","S":null,"B":""}`, T{}},
		{`{"I":12.0,"S":true,"B":0}`, T{I: 12, S: "true"}},
		{`{"I":true,"B":"yes"}`, T{I: 1, B: true}},
		{`{"T":"2024-03-01 10:20:30"}`, T{T: time.Date(2024, 3, 1, 10, 20, 30, 0, time.UTC)}},
		{`{"T":"0000-00-00 00:00:00"}`, T{}},
		{`{"T":1700000000}`, T{T: time.Unix(1700000000, 0).UTC()}},
		{`{"L":5}`, T{L: []int{5}}},
		{`{"L":"5"}`, T{L: []int{5}}},
		{`{"L":{"0":"1","2":3}}`, T{L: []int{1, 3}}},
		{`{"M":[]}`, T{M: map[string]int{}}},
		{`{"M":[4,5]}`, T{M: map[string]int{"0": 4, "1": 5}}},
		{`{"Raw":{"a": [1, 2]}}`, T{Raw: json.RawMessage(`{"a": [1, 2]}`)}},
		{`{"Any":{"a":1}}`, T{Any: map[string]any{"a": 1.0}}},
		{`{"Skip":"x","unknown":{"deep":[1,{"x":null}]}}`, T{}},
		{`{"S":{"a": [1, 2]}}`, T{S: `{"a": [1, 2]}`}},
		{`{"s":"lower-case key"}`, T{S: "lower-case key"}},
		{"\ufeff" + `{"S":"bom"}`, T{S: "bom"}},
		{`{"S":"\u00e9\ud83d\ude00\n"}`, T{S: "é😀\n"}},
	}
	for _, tt := range tests {
		var got T
		require.NoError(t, Unmarshal([]byte(tt.body), &got), tt.body)
		assert.Equal(t, tt.want, got, tt.body)
	}
	var p T
	require.NoError(t, Unmarshal([]byte(`{"P":"3"}`), &p))
	assert.Equal(t, 3, *p.P)
}

func TestTypeErrors(t *testing.T) {
	type Inner struct {
		ID int `json:"id"`
	}
	type T struct {
		A     int     `json:"a"`
		In    Inner   `json:"in"`
		List  []Inner `json:"list"`
		Str   string  `json:"str"`
		Small int8    `json:"small"`
		Flag  bool    `json:"flag"`
	}
	tests := map[string]string{
		`{"a":"abc"}`:                    "a",
		`{"a":1.5}`:                      "a",
		`{"in":{"id":{"x":1}}}`:          "in.id",
		`{"list":[{"id":1},{"id":"x"}]}`: "list[1].id",
		`{"small":300}`:                  "small",
		`{"flag":"maybe"}`:               "flag",
		`{"in":[1]}`:                     "in",
	}
	for body, path := range tests {
		var got T
		err := Unmarshal([]byte(body), &got)
		var te *TypeError
		require.ErrorAs(t, err, &te, body)
		assert.Equal(t, path, te.Path, body)
	}
}

func TestSyntaxErrors(t *testing.T) {
	for _, body := range []string{``, `{`, `{"a":`, `{"a":1`, `{"a":1}x`, `[1,]`, `{"a" 1}`, `"abc`, `tru`, `{"a":01}x`, `{"a":-}`} {
		var v map[string]any
		err := Unmarshal([]byte(body), &v)
		var se *SyntaxError
		assert.ErrorAs(t, err, &se, body)
	}
	deep := make([]byte, 0, 2000)
	for range 1000 {
		deep = append(deep, '[')
	}
	var v any
	var se *SyntaxError
	assert.ErrorAs(t, Unmarshal(deep, &v), &se)
}

func TestFieldsAndStringValue(t *testing.T) {
	var keys []string
	var vals []string
	require.NoError(t, Fields([]byte(` {"result":"OK","code":-1,"data":{"a":[1]},"x":null} `), func(k string, raw []byte) bool {
		keys = append(keys, k)
		vals = append(vals, string(raw))
		return true
	}))
	assert.Equal(t, []string{"result", "code", "data", "x"}, keys)
	assert.Equal(t, []string{`"OK"`, `-1`, `{"a":[1]}`, `null`}, vals)
	assert.Error(t, Fields([]byte(`[1]`), func(string, []byte) bool { return true }))

	for raw, want := range map[string]string{`"a\"b"`: `a"b`, `-12.5`: "-12.5", `true`: "true"} {
		got, ok := StringValue([]byte(raw))
		assert.True(t, ok)
		assert.Equal(t, want, got)
	}
	for _, raw := range []string{`null`, `{}`, `[]`, ``} {
		_, ok := StringValue([]byte(raw))
		assert.False(t, ok, raw)
	}
}

type fuzzTarget struct {
	I   int               `json:"i"`
	S   string            `json:"s"`
	B   bool              `json:"b"`
	F   float64           `json:"f"`
	L   []fuzzInner       `json:"l"`
	M   map[string]string `json:"m"`
	T   time.Time         `json:"t"`
	P   *fuzzInner        `json:"p"`
	Any any               `json:"any"`
}

type fuzzInner struct {
	ID  uint8           `json:"id"`
	Raw json.RawMessage `json:"raw"`
}

func FuzzUnmarshal(f *testing.F) {
	for _, s := range []string{showBody, `{"i":"1","l":{"0":{"id":"3"}},"m":[],"t":"2024-01-01","p":null}`, `[]`, `{"s":"\ud800"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v fuzzTarget
		_ = Unmarshal(data, &v)
		var s show
		_ = Unmarshal(data, &s)
		var l []fuzzTarget
		_ = Unmarshal(data, &l)
		_ = Fields(data, func(string, []byte) bool { return true })
		_, _ = StringValue(data)
	})
}

func BenchmarkUnmarshalShow(b *testing.B) {
	b.Run("loose", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			var s show
			if err := Unmarshal([]byte(showBody), &s); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json-any", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			var s map[string]any
			if err := json.Unmarshal([]byte(showBody), &s); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func TestScalarWhereAnObjectIsExpected(t *testing.T) {
	type Inner struct{ ID int }
	type T struct {
		In   Inner
		List []Inner
		N    int
	}
	for _, body := range []string{`{"In":"","N":1}`, `{"In":false,"N":1}`, `{"In":0,"N":1}`, `{"In":"n/a","N":1}`} {
		var got T
		require.NoError(t, Unmarshal([]byte(body), &got), body)
		assert.Equal(t, T{N: 1}, got, body)
	}
	var got T
	require.NoError(t, Unmarshal([]byte(`{"List":""}`), &got))
	assert.Empty(t, got.List, `"" stands for an empty list`)
}

func TestCatchAllFields(t *testing.T) {
	type Component struct {
		Type   string            `json:"Type"`
		Cores  int               `json:"Cores"`
		Fields map[string]string `json:"-" loose:"all"`
	}
	var got []Component
	require.NoError(t, Unmarshal([]byte(`[{"Type":"CPU","Cores":"8","Speed":3.2,"Flags":["avx"],"Note":null,"Tr\u00e9s":"x"}]`), &got))
	require.Len(t, got, 1)
	assert.Equal(t, "CPU", got[0].Type)
	assert.Equal(t, 8, got[0].Cores)
	assert.Equal(t, map[string]string{"Type": "CPU", "Cores": "8", "Speed": "3.2", "Flags": `["avx"]`, "Note": "", "Trés": "x"}, got[0].Fields)
}

// Integers are read exactly at every edge: no float64 detour that rounds
// 9223372036854775808 into a negative id, exponent and fraction forms only
// when the value is whole, and anything out of range a *TypeError.
func TestIntegerEdges(t *testing.T) {
	type target struct {
		I   int
		I32 int32
		I64 int64
		U64 uint64
		U8  uint8
	}
	ok := func(field, in string, want any) struct {
		field, in string
		want      any
	} {
		return struct {
			field, in string
			want      any
		}{field, in, want}
	}
	good := []struct {
		field, in string
		want      any
	}{
		ok("I64", "9223372036854775807", int64(math.MaxInt64)),
		ok("I64", "-9223372036854775808", int64(math.MinInt64)),
		ok("I64", `"9223372036854775807"`, int64(math.MaxInt64)),
		ok("I64", "9.223372036854775807e18", int64(math.MaxInt64)),
		ok("I64", "-9.223372036854775808e18", int64(math.MinInt64)),
		ok("I", "9223372036854775807", math.MaxInt),
		ok("I32", "2147483647", int32(math.MaxInt32)),
		ok("I32", "-2147483648", int32(math.MinInt32)),
		ok("I32", "2.147483647e9", int32(math.MaxInt32)),
		ok("U64", "18446744073709551615", uint64(math.MaxUint64)),
		ok("U64", `"18446744073709551615"`, uint64(math.MaxUint64)),
		ok("U64", "1.8446744073709551615e19", uint64(math.MaxUint64)),
		ok("U64", "-0", uint64(0)),
		ok("U8", "255", uint8(255)),
		ok("I", "1e3", 1000),
		ok("I", "1E3", 1000),
		ok("I", "1e+3", 1000),
		ok("I", "1.5e2", 150),
		ok("I", `"1.5e2"`, 150),
		ok("I", "12.0", 12),
		ok("I", "1200e-2", 12),
		ok("I", "150e-1", 15),
		ok("I", "-0.0", 0),
		ok("I", "0e999999999", 0),
		ok("I", `"+7"`, 7),
		ok("I", `" 12 "`, 12),
	}
	for _, tt := range good {
		t.Run("ok "+tt.field+" "+tt.in, func(t *testing.T) {
			var v target
			require.NoError(t, Unmarshal([]byte(`{"`+tt.field+`":`+tt.in+`}`), &v))
			got := map[string]any{"I": v.I, "I32": v.I32, "I64": v.I64, "U64": v.U64, "U8": v.U8}[tt.field]
			assert.Equal(t, tt.want, got)
		})
	}
	bad := []struct{ field, in string }{
		{"I64", "9223372036854775808"},
		{"I64", "-9223372036854775809"},
		{"I64", `"9223372036854775808"`},
		{"I64", "9.223372036854775808e18"},
		{"I64", "9.3e18"},
		{"I64", "1e19"},
		{"I", "9223372036854775808"},
		{"I", "18446744073709551616"},
		{"I32", "2147483648"},
		{"I32", "-2147483649"},
		{"I32", "3e9"},
		{"U64", "18446744073709551616"},
		{"U64", "1.8446744073709551616e19"},
		{"U64", "2e19"},
		{"U64", "-1"},
		{"U64", `"-1"`},
		{"U8", "256"},
		{"I", "1e400"},
		{"I", "-1e400"},
		{"I", "1e999999999"},
		{"I", "1.5"},
		{"I", "1e-3"},
		{"I", "155e-1"},
		{"I", `"12abc"`},
		{"I", `"0x10"`},
		{"I", `"NaN"`},
		{"I", `"Inf"`},
		{"I", `"1_000"`},
		{"I", `"."`},
		{"I", `"e5"`},
	}
	for _, tt := range bad {
		t.Run("bad "+tt.field+" "+tt.in, func(t *testing.T) {
			var v target
			err := Unmarshal([]byte(`{"`+tt.field+`":`+tt.in+`}`), &v)
			var te *TypeError
			require.ErrorAs(t, err, &te)
			assert.Equal(t, tt.field, te.Path)
			assert.Zero(t, v, "nothing is stored for a refused value")
		})
	}
	// The out-of-range ones say so.
	var v target
	err := Unmarshal([]byte(`{"I64":9223372036854775808}`), &v)
	assert.ErrorContains(t, err, `out-of-range number "9223372036854775808" into int64 (field I64)`)
}

// A TypeError keeps the whole value, so a caller can mask a secret in it
// before it is shortened: never half a token.
func TestTypeErrorTextMasksBeforeShortening(t *testing.T) {
	secret := strings.Repeat("s3cr3t", 10) // 60 bytes, longer than the excerpt
	var v struct{ ID int }
	err := Unmarshal([]byte(`{"ID":"`+secret+`"}`), &v)
	var te *TypeError
	require.ErrorAs(t, err, &te)
	assert.Contains(t, te.Error(), secret[:20], "unmasked, the value shows shortened")
	masked := te.Text(func(s string) string { return strings.ReplaceAll(s, secret, "***") })
	assert.NotContains(t, masked, "s3cr3t")
	assert.Contains(t, masked, `"***"`)
}

// A key that differs from its field's name only by case is found without
// an allocation when it is ASCII; other keys still fold as strings.ToLower
// does.
func TestLookupFoldsWithoutAllocating(t *testing.T) {
	type row struct {
		IP     string `json:"ip"`
		MainIP bool   `json:"main_ip"`
		Größe  string `json:"größe"`
	}
	sf := cachedFields(reflect.TypeOf(row{}))
	for key, want := range map[string]string{
		"ip": "IP", "IP": "IP", "Ip": "IP", "MAIN_IP": "MainIP", "main_ip": "MainIP",
		"GRÖSSE": "", "GRÖßE": "Größe", "größe": "Größe", "ipx": "", "": "",
		strings.Repeat("A", 65): "",
	} {
		f := sf.lookup([]byte(key))
		if want == "" {
			assert.Nil(t, f, key)
			continue
		}
		if assert.NotNil(t, f, key) {
			assert.Equal(t, want, reflect.TypeOf(row{}).FieldByIndex(f.index).Name, key)
		}
	}
	key := []byte("MAIN_IP")
	assert.Zero(t, testing.AllocsPerRun(100, func() { sf.lookup(key) }))
}

// A bool tagged loose:"any=..." tells a member sent (even empty or null)
// from one not sent, in the decoding pass itself.
func TestAnyPresent(t *testing.T) {
	type row struct {
		ID    int      `json:"id"`
		Power string   `json:"power"`
		Tags  []string `json:"tags"`
		Full  bool     `json:"-" loose:"any=power,tags"`
	}
	for body, want := range map[string]bool{
		`{"id":1}`:                     false,
		`{"id":1,"power":"on"}`:        true,
		`{"id":1,"power":null}`:        true,
		`{"id":1,"tags":[]}`:           true,
		`{"id":1,"TAGS":[]}`:           true, // found as the decoder finds it
		`{"id":1,"full":true}`:         false,
		`{"id":1,"x":{"power":"on"}}`:  false,
		`[]`:                           false,
		`{"id":1,"p\u006fwer":"on"}`:   true,
		`{"id":1,"powers":"on","t":1}`: false,
	} {
		var r row
		require.NoError(t, Unmarshal([]byte(body), &r), body)
		assert.Equal(t, want, r.Full, body)
	}
	var rows []row
	require.NoError(t, Unmarshal([]byte(`[{"id":1},{"id":2,"power":""},{"id":3}]`), &rows))
	assert.Equal(t, []bool{false, true, false}, []bool{rows[0].Full, rows[1].Full, rows[2].Full})
}
