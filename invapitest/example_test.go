package invapitest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/invapi-go/invapi/invapitest"
)

// post sends one InvAPI call the way any client does: a form-encoded POST
// to {base}/{module}.php.
func post(base, module string, form url.Values) map[string]any {
	resp, err := http.PostForm(base+"/"+module+".php", form)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		panic(err)
	}
	return m
}

// Test automation that powers a server off against the simulator, with
// plain net/http: log in, send the action with the PIN, poll the callback
// key until OK, then check the state the API reports.
func Example() {
	srv := invapitest.NewServer()
	defer srv.Close()

	login := post(srv.URL, "auth", url.Values{"action": {"login"}, "key": {invapitest.DefaultAPIKey}})
	token := login["result"].(map[string]any)["token"].(string)

	off := post(srv.URL, "eq", url.Values{"action": {"off"}, "token": {token}, "id": {"12345"}, "pin": {invapitest.DefaultPIN}})
	key := off["callback"].(string)
	for {
		m := post(srv.URL, "eq_callback", url.Values{"action": {"check"}, "key": {key}})
		fmt.Println(m["result"], m["scope"])
		if m["result"] != "Not ready" {
			break
		}
	}

	status := post(srv.URL, "eq", url.Values{"action": {"status"}, "token": {token}, "id": {"12345"}})
	fmt.Println("power:", status["power"])
	fmt.Println("eq/off sent", srv.Count("eq", "off"), "time")
	// Output:
	// Not ready <nil>
	// Not ready <nil>
	// OK Power is off
	// power: off
	// eq/off sent 1 time
}

// Inject a 502 burst and a dropped answer to test a client's retry policy.
func ExampleServer_Fault() {
	srv := invapitest.NewServer()
	defer srv.Close()

	srv.Fault(invapitest.Fault{Module: "presets", Action: "list", Kind: invapitest.FaultStatus, Status: 502, Times: 2})
	for i := 0; i < 3; i++ {
		resp, err := http.PostForm(srv.URL+"/presets.php", url.Values{"action": {"list"}, "location": {"NL"}})
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
		fmt.Println(resp.StatusCode)
	}
	fmt.Println("handled:", srv.Count("presets", "list"))
	// Output:
	// 502
	// 502
	// 200
	// handled: 1
}
