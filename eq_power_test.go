package invapi

import (
	"context"
	"fmt"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEqOffAnswersAtOnce(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "off", fixture(t, "eq/off.json"))
	op, err := c.Eq.Off(context.Background(), 12345)
	require.NoError(t, err)
	assert.Equal(t, eqForm("off", "id", "12345", "pin", testPIN), m.lastForm("eq", "off"))
	select {
	case <-op.Done():
	default:
		t.Fatal("an answer without a callback key is a finished operation")
	}
	res, err := op.Result()
	require.NoError(t, err)
	assert.JSONEq(t, fixture(t, "eq/off.json"), string(res.Raw()))
	assert.Equal(t, 0, m.count("eq_callback", "check"))
}

func TestEqOnRefused(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "on", fixture(t, "eq/on_error.json"))
	_, err := c.Eq.On(context.Background(), 12345)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "Start request failed: Server is locked or invalid ID", apiErr.Message)
	assert.Equal(t, 1, m.count("eq", "on"), "a refused change is not resent")
}

func TestEqPowerOutcomeUnknown(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.onFunc("eq", "off", func(url.Values) (int, string) { return dropConnection, "" })
	_, err := c.Eq.Off(context.Background(), 12345)
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	var unknown *OutcomeUnknownError
	require.ErrorAs(t, err, &unknown)
	assert.Equal(t, "eq/status id=12345", unknown.Settle)
	assert.Equal(t, 1, m.count("eq", "off"))
}

func TestEqHardOffSendsNoPIN(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "hard_off", `{"result":"OK","action":"hard_off","id":12345}`)
	_, err := c.Eq.HardOff(context.Background(), &HardOffRequest{ID: 12345})
	require.NoError(t, err)
	assert.Equal(t, eqForm("hard_off", "id", "12345"), m.lastForm("eq", "hard_off"))
}

func TestEqSetPIN(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "set_pin", `{"result":"OK","action":"set_pin","callback":"c0ffee00c0ffee00c0ffee00c0ffee00"}`)
	op, err := c.Eq.SetPIN(context.Background(), &SetPINRequest{OldPIN: testPIN, NewPIN: "739104"})
	require.NoError(t, err)
	assert.Equal(t, eqForm("set_pin", "old_pin", testPIN, "new_pin", "739104"), m.lastForm("eq", "set_pin"))
	assert.Equal(t, "c0ffee00c0ffee00c0ffee00c0ffee00", op.Key())

	for field, req := range map[string]*SetPINRequest{
		"new_pin": {NewPIN: "12ab"},
		"old_pin": {OldPIN: "1234567", NewPIN: "1234"},
	} {
		_, err := c.Eq.SetPIN(context.Background(), req)
		var ve *ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, field, ve.Field)
		assert.NotContains(t, err.Error(), "12ab")
		assert.NotContains(t, err.Error(), "1234567")
	}
	assert.Equal(t, 1, m.count("eq", "set_pin"))

	req := SetPINRequest{OldPIN: testPIN, NewPIN: "739104"}
	for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
		out := fmt.Sprintf(format, req)
		assert.NotContains(t, out, testPIN, format)
		assert.NotContains(t, out, "739104", format)
	}
	assert.Contains(t, fmt.Sprintf("%#v", &req), "invapi.SetPINRequest{")
}

func TestEqCheckPIN(t *testing.T) {
	t.Parallel()
	c, m := newTestClient(t)
	m.on("eq", "check_pin", `{"result":"OK","action":"check_pin"}`)
	op, err := c.Eq.CheckPIN(context.Background(), "482613")
	require.NoError(t, err)
	assert.Equal(t, eqForm("check_pin", "pin", "482613"), m.lastForm("eq", "check_pin"), "the PIN checked, not the configured one")
	_, err = op.Result()
	require.NoError(t, err)

	m.on("eq", "check_pin", `{"code":-1,"message":"Wrong PIN 482613"}`)
	_, err = c.Eq.CheckPIN(context.Background(), "482613")
	assert.ErrorIs(t, err, ErrWrongPIN)
	assert.NotContains(t, err.Error(), "482613", "a PIN being checked is a secret too")
	assert.Equal(t, 2, m.count("eq", "check_pin"), "never resent")

	_, err = c.Eq.CheckPIN(context.Background(), "12")
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "pin", ve.Field)
	assert.Equal(t, 2, m.count("eq", "check_pin"))
}
