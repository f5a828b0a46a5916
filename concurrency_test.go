package invapi_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invapi-go/invapi"
	"github.com/invapi-go/invapi/invapitest"
)

// TestConcurrentClientThroughExpiry shares one client between 200
// goroutines doing reads, tag changes and PIN-protected reboots they wait
// on, while every session expires mid-run. Run it with -race.
//
// It checks that every call succeeds, that one login (and one re-login
// after the expiry) serves everybody, that the PIN prompt is asked exactly
// once per PIN action, and that every change took effect.
func TestConcurrentClientThroughExpiry(t *testing.T) {
	t.Parallel()
	const workers = 200
	srv := invapitest.NewServer(invapitest.WithNotReadyChecks(1))
	t.Cleanup(srv.Close)
	var prompts atomic.Int64
	c, err := invapi.NewClient(invapi.WithBaseURL(srv.URL), invapi.WithAPIKey(invapitest.DefaultAPIKey),
		invapi.WithPINPrompt(func(ctx context.Context) (string, error) {
			prompts.Add(1)
			return invapitest.DefaultPIN, nil
		}),
		invapi.WithRetry(4, 10*time.Millisecond), invapi.WithPollInterval(time.Millisecond, 10*time.Millisecond),
		invapi.WithPollBudget(1e6))
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	servers := []int{12345, 12346} // 12347 is powered off

	var (
		wg       sync.WaitGroup
		done     atomic.Int64
		reboots  atomic.Int64
		expired  = make(chan struct{})
		start    = make(chan struct{})
		failures = make(chan error, workers)
	)
	// Expire every session once a quarter of the work is done.
	go func() {
		for done.Load() < workers/4 {
			time.Sleep(time.Millisecond)
		}
		srv.ExpireSessions()
		close(expired)
	}()
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer done.Add(1)
			<-start
			id := servers[i%len(servers)]
			var err error
			switch i % 4 {
			case 0:
				var info *invapi.SessionInfo
				if info, err = c.Auth.Info(ctx); err == nil && info.CustomerID != invapitest.DefaultCustomerID {
					err = fmt.Errorf("info: customer %d", info.CustomerID)
				}
			case 1:
				_, err = c.Tags.Add(ctx, &invapi.TagAddRequest{ID: id, Tag: fmt.Sprintf("w%d", i), Value: "v"})
			case 2:
				var op *invapi.Operation
				reboots.Add(1)
				if op, err = c.Eq.Reboot(ctx, id); err == nil {
					var res *invapi.OperationResult
					if res, err = op.Wait(ctx); err == nil && res.Context.ID != id {
						err = fmt.Errorf("reboot %d: result for %d", id, res.Context.ID)
					}
				}
			case 3:
				_, err = c.Tags.List(ctx, id)
			}
			if err != nil {
				failures <- fmt.Errorf("worker %d: %w", i, err)
			}
		}()
	}
	close(start)
	wg.Wait()
	<-expired
	close(failures)
	for err := range failures {
		t.Error(err)
	}
	// The workers may all have finished their session calls before the
	// expiry landed; one more call makes sure the renewal is exercised.
	_, err = c.Auth.Info(ctx)
	require.NoError(t, err)

	assert.Equal(t, 2, srv.Count("auth", "login"), "one login, and one re-login after the expiry shared by all")
	assert.Equal(t, reboots.Load(), prompts.Load(), "the PIN prompt is asked once per PIN action")
	assert.GreaterOrEqual(t, int64(srv.Count("eq", "reboot")), reboots.Load())
	for i := 1; i < workers; i += 4 {
		e, ok := srv.Server(servers[i%len(servers)])
		require.True(t, ok)
		found := false
		for _, tg := range e.Tags {
			found = found || tg.Name == fmt.Sprintf("w%d", i)
		}
		assert.True(t, found, "tag w%d missing", i)
	}
}
