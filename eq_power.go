package invapi

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
)

// Power

// On powers the server on (eq.php on, needs the PIN). Wait on the returned
// Operation for the outcome.
func (s *EqService) On(ctx context.Context, id int) (*Operation, error) {
	return startID(ctx, s.client, &eqOn, id)
}

// Off powers the server off (eq.php off, needs the PIN). The older
// reference answers with a callback key, the newer answers at once ({"id":
// ...}, no key): then the returned Operation is already done.
func (s *EqService) Off(ctx context.Context, id int) (*Operation, error) {
	return startID(ctx, s.client, &eqOff, id)
}

// HardOffRequest asks for a forced power-off. Published by name only: ID is
// sent as "id", Extra as given (no PIN is sent; put one in Extra if the account
// demands it).
type HardOffRequest = ServerRequest

// HardOff forces the server's power off, as pulling the plug would (eq.php
// hard_off). Published by name only (see [HardOffRequest]). An answer without a
// callback key gives an Operation that is already done.
func (s *EqService) HardOff(ctx context.Context, req *HardOffRequest) (*Operation, error) {
	return start(ctx, s.client, &eqHardOff, req)
}

// Reboot restarts the server (eq.php reboot, needs the PIN). Wait on the
// returned Operation for the outcome.
func (s *EqService) Reboot(ctx context.Context, id int) (*Operation, error) {
	return startID(ctx, s.client, &eqReboot, id)
}

// UnitReset cold-resets the server's IPMI module, when it is unresponsive
// (eq.php unit_reset, needs the PIN).
func (s *EqService) UnitReset(ctx context.Context, id int) (*Operation, error) {
	return startID(ctx, s.client, &eqUnitReset, id)
}

// SuspendRequest asks to suspend (lock) a server. Published by name only: ID is
// sent as "id", Extra as given.
type SuspendRequest = ServerRequest

// Suspend suspends the server: it is locked (eq.php suspend). Published by name
// only (see [SuspendRequest]). An answer without a callback key gives an
// Operation that is already done.
func (s *EqService) Suspend(ctx context.Context, req *SuspendRequest) (*Operation, error) {
	return start(ctx, s.client, &eqSuspend, req)
}

// UnsuspendRequest asks to unlock a suspended server. Published by name only:
// ID is sent as "id", Extra as given.
type UnsuspendRequest = ServerRequest

// Unsuspend removes a suspension lock from the server (eq.php unsuspend).
// Published by name only (see [UnsuspendRequest]).
func (s *EqService) Unsuspend(ctx context.Context, req *UnsuspendRequest) (*Operation, error) {
	return start(ctx, s.client, &eqUnsuspend, req)
}

// PIN

// SetPINRequest sets or changes the account PIN (4 to 6 digits). OldPIN is
// needed only to change an existing one. Printing the request never shows
// the PINs.
type SetPINRequest struct {
	OldPIN string `url:"old_pin,omitempty"`
	NewPIN string `url:"new_pin"`
}

// Validate checks the request before it is sent; errors never show a PIN.
func (r *SetPINRequest) Validate() error { return validateRequest(r) }

func (r *SetPINRequest) check() error {
	if err := validatePIN("new_pin", r.NewPIN); err != nil {
		return err
	}
	if r.OldPIN != "" {
		return validatePIN("old_pin", r.OldPIN)
	}
	return nil
}

// Format implements fmt.Formatter so that no verb prints the PINs.
func (r SetPINRequest) Format(f fmt.State, verb rune) { formatMasked(f, verb, r) }

// MarshalJSON writes the request with its PINs masked.
func (r SetPINRequest) MarshalJSON() ([]byte, error) { return marshalMasked(r) }

// LogValue logs the request with its PINs masked.
func (r SetPINRequest) LogValue() slog.Value { return logMasked(r) }

// SetPIN sets or changes the PIN asked for critical operations
// (eq.php set_pin). The client keeps using the PIN it was configured with: make a
// new client (WithPIN) after a change.
func (s *EqService) SetPIN(ctx context.Context, req *SetPINRequest) (*Operation, error) {
	return start(ctx, s.client, &eqSetPIN, req)
}

// CheckPIN asks the API whether pin is the account's PIN
// (eq.php check_pin). A wrong PIN fails with ErrWrongPIN; after several failures
// the API answers only with long delays, so do not loop on it.
func (s *EqService) CheckPIN(ctx context.Context, pin string) (*Operation, error) {
	if err := validatePIN("pin", pin); err != nil {
		return nil, err
	}
	return start(ctx, s.client, &eqCheckPIN, url.Values{"pin": {pin}})
}
