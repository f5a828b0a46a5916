// Command hostkey manages HOSTKEY servers, orders, billing and more from the
// command line, through InvAPI (the API behind invapi.hostkey.com). It is
// built on the Go SDK github.com/invapi-go/invapi: every command is one SDK
// call (or a short sequence of them), named in its help.
//
//	go install github.com/invapi-go/invapi/cmd/hostkey@latest
//	hostkey context create main --api-key-stdin   # once
//	hostkey server list
//	hostkey server show 12345
//	hostkey server reboot 12345
//
// Try it with no account: hostkey --simulator server list.
//
// Exit codes: 0 ok, 1 other error, 2 usage (bad flag or argument, invalid
// input, a confirmation refused or not possible), 3 authentication (no or
// wrong credentials, wrong or missing PIN, access denied), 4 not found,
// 5 outcome unknown (the action may have been carried out: the hint says
// what to check; never retried), 6 the operation failed, 130 interrupted
// (Ctrl-C: waiting stopped, the work goes on at HOSTKEY).
package main

import (
	"os"
)

func main() {
	os.Exit(execute(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
