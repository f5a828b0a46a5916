//go:build unix

package invapi

import (
	"syscall"
	"time"
)

// processCPU is the CPU time (user + system) the whole process has used:
// client, in-process server and garbage collector together.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
