// Command tags labels a server, lists its tags, and removes the label again
// (tags.php add, list, remove).
//
//	go run ./examples/tags
//
// With no HOSTKEY_API_KEY or HOSTKEY_TOKEN it runs against the built-in
// simulator. HOSTKEY_SERVER_ID picks the server (default: the first one).
package main

import (
	"context"
	"fmt"
	"time"

	"github.com/invapi-go/invapi"
	"github.com/invapi-go/invapi/invapitest/fromenv"
)

func main() {
	// A client of the account in HOSTKEY_API_KEY (or HOSTKEY_TOKEN), or of an
	// in-process simulator when neither is set, and the server to act on
	// (HOSTKEY_SERVER_ID, else the first); an error exits with status 1.
	fromenv.MainOnServer(2*time.Minute, run)
}

func run(ctx context.Context, env *fromenv.Env, id int) error {
	c := env.Client
	const name = "managed-by"
	if _, err := c.Tags.Add(ctx, &invapi.TagAddRequest{ID: id, Tag: name, Value: "invapi-example"}); err != nil {
		return err
	}
	fmt.Printf("tagged server %d with %s=invapi-example\n", id, name)

	tags, err := c.Tags.List(ctx, id)
	if err != nil {
		return err
	}
	for _, t := range tags {
		fmt.Printf("  %-12s %s\n", t.Name, t.Value)
	}

	if err := c.Tags.Remove(ctx, &invapi.TagRemoveRequest{ID: id, Tag: name}); err != nil {
		return err
	}
	fmt.Printf("removed %s from server %d\n", name, id)
	return nil
}
