//go:build !unix

package invapi

import "time"

func processCPU() (time.Duration, bool) { return 0, false }
