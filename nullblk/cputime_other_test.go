//go:build !unix

package nullblk

import "time"

// processCPU is unknown here; the CPU-time metric is then omitted.
func processCPU() time.Duration { return 0 }
