package invapi

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// PowerOnAndConfirm powers a server on (eq.php on), waits for the callback,
// then reads eq.php status until it reports the power on.
func (s *EqService) PowerOnAndConfirm(ctx context.Context, id int, progress ProgressFunc) (*ServerStatus, error) {
	return s.powerAndConfirm(ctx, id, "on", "on", s.On, progress)
}

// PowerOffAndConfirm powers a server off (eq.php off), waits for the
// callback, then reads eq.php status until it reports the power off.
func (s *EqService) PowerOffAndConfirm(ctx context.Context, id int, progress ProgressFunc) (*ServerStatus, error) {
	return s.powerAndConfirm(ctx, id, "off", "off", s.Off, progress)
}

// RebootAndConfirm reboots a server (eq.php reboot), waits for the
// callback, then reads eq.php status until it reports the power on.
func (s *EqService) RebootAndConfirm(ctx context.Context, id int, progress ProgressFunc) (*ServerStatus, error) {
	return s.powerAndConfirm(ctx, id, "reboot", "on", s.Reboot, progress)
}

func (s *EqService) powerAndConfirm(ctx context.Context, id int, action, want string,
	send func(context.Context, int) (*Operation, error), progress ProgressFunc) (*ServerStatus, error) {
	if err := validServerID(id); err != nil {
		return nil, err
	}
	w := &workflow{c: s.client, name: "power " + action, serverID: id, progress: progress}
	if _, err := w.run(ctx, action, func() (*Operation, error) { return send(ctx, id) }); err != nil {
		return nil, err
	}
	delay, maxDelay := s.client.poller.pace()
	for {
		st, err := s.Status(ctx, id)
		if err != nil {
			return nil, w.fail("status", err)
		}
		state := powerState(st)
		if st.Operation != nil {
			// Read the status check's key even when the answer already
			// said the state, so no key is left pending on the API.
			if res, err := w.wait(ctx, st.Operation); err == nil && state == "" {
				state = firstNonEmpty(powerFromText(res.Debug), powerFromText(res.Scope))
			}
		}
		if state == want {
			w.step("status", "power "+state)
			return st, nil
		}
		select {
		case <-ctx.Done():
			return nil, w.fail("status", fmt.Errorf("power still %q, want %q: %w", state, want, ctx.Err()))
		case <-time.After(delay):
		}
		delay = min(delay*2, maxDelay)
	}
}

// powerState reads "on" or "off" from a status answer, or "" when unknown.
func powerState(st *ServerStatus) string {
	if p := powerFromText(st.Power); p != "" {
		return p
	}
	switch strings.ToLower(st.Status) {
	case "power_off", "inactive", "off":
		return "off"
	case "active", "on", "power_on":
		return "on"
	}
	return ""
}

// powerTexts are the power states as the API words them: ipmitool's
// "power status" and "power on/off" output, the simulator's scopes, and the
// bare words of eq status.
var powerTexts = map[string]string{
	"on": "on", "off": "off",
	"power on": "on", "power off": "off",
	"power is on": "on", "power is off": "off",
	"chassis power is on": "on", "chassis power is off": "off",
	"chassis power control: up/on":    "on",
	"chassis power control: down/off": "off",
}

// powerFromText reads "on" or "off" from a power status text, or "" when
// the text is none of the known phrasings. Anything else is unknown, not
// on: "Chassis Power Control: Cycle" (a reboot's output) says nothing of
// the state, and "Error: Unable to establish IPMI v2 / RMCP+ session"
// contains "on" only by accident. Multi-line output is read line by line;
// lines that disagree make it unknown.
func powerFromText(s string) string {
	state := ""
	for _, line := range strings.Split(s, "\n") {
		line = strings.Trim(strings.ToLower(strings.Join(strings.Fields(line), " ")), " .")
		if line == "" {
			continue
		}
		p, ok := powerTexts[line]
		if !ok {
			continue
		}
		if state != "" && state != p {
			return ""
		}
		state = p
	}
	return state
}
