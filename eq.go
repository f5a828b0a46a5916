package invapi

import (
	"context"
	"net/url"
	"strconv"
)

// EqService wraps eq.php: servers, power, reinstalls, IPMI and consoles.
type EqService service

var (
	eqReboot = endpoint{module: "eq", action: "reboot", class: change, pin: true, async: eqCallback, settle: "eq/status"}
)

// Reboot restarts the server (eq.php reboot, needs the PIN). Wait on the
// returned Operation for the outcome.
func (s *EqService) Reboot(ctx context.Context, id int) (*Operation, error) {
	if id <= 0 {
		return nil, invalid("id", "must be a positive server id, got %d", id)
	}
	return s.client.callAsync(ctx, &eqReboot, url.Values{"id": {strconv.Itoa(id)}}, id)
}
