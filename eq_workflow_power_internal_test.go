package invapi

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Only the known phrasings of a power state count; an IPMI error or a
// reboot's output is unknown, never "on".
func TestPowerFromText(t *testing.T) {
	known := map[string]string{
		"Chassis Power is on":             "on",
		"Chassis Power is off":            "off",
		"chassis power is on\n":           "on",
		"Chassis Power Control: Up/On":    "on",
		"Chassis Power Control: Down/Off": "off",
		"on":                              "on",
		"OFF":                             "off",
		"Power on":                        "on",
		"power off":                       "off",
		"Power is on":                     "on",
		"Power is off.":                   "off",
		"Get Session Challenge command failed\nChassis Power is off": "off",
	}
	for text, want := range known {
		assert.Equal(t, want, powerFromText(text), "%q", text)
	}
	unknown := []string{
		"Error: Unable to establish IPMI v2 / RMCP+ session",
		"Chassis Power Control: Cycle",
		"Chassis Power Control: Reset",
		"Server was rebooted",
		"Connection timed out",
		"Set Session Privilege Level to ADMINISTRATOR failed",
		"Power is on\nPower is off",
		"",
		"online",
	}
	for _, text := range unknown {
		assert.Empty(t, powerFromText(text), "%q", text)
	}
}
