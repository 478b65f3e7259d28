//go:build unix

package nullblk

import (
	"syscall"
	"time"
)

// processCPU is the CPU time the process has used, user and system; the
// paired scaling benchmark divides requests by it.
func processCPU() time.Duration {
	var r syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &r) != nil {
		return 0
	}
	return time.Duration(r.Utime.Nano() + r.Stime.Nano())
}
