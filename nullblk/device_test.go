package nullblk

import (
	"context"
	"fmt"
	"testing"
)

// TestRunEveryBackendAndMode runs a short job on every backend × irqmode ×
// pattern and checks the accounting a run must get exactly right.
func TestRunEveryBackendAndMode(t *testing.T) {
	for _, b := range Backends() {
		for _, m := range []IRQMode{IRQNone, IRQSoftirq, IRQTimer} {
			for _, p := range []Pattern{PatternRead, PatternWrite, PatternRandRead, PatternRandWrite} {
				t.Run(fmt.Sprintf("%s/%s/%s", b, m, p), func(t *testing.T) {
					cfg := DefaultConfig()
					cfg.Backend, cfg.IRQMode, cfg.SizeMiB = b, m, 16
					cfg.CompletionNsec = 1000
					cfg.SubmitQueues = 2
					cfg.HwQueueDepth = 8
					d, err := NewDevice(cfg)
					if err != nil {
						t.Fatal(err)
					}
					defer d.Close()
					const n = 3001
					res, err := d.Run(context.Background(), Job{Pattern: p, BS: 8192, IODepth: 4, NumJobs: 3, Requests: n, Seed: 1, LatencySampleEvery: 7})
					if err != nil {
						t.Fatal(err)
					}
					if res.Requests != n || res.Bytes != n*8192 {
						t.Errorf("requests %d bytes %d, want %d and %d", res.Requests, res.Bytes, n, n*8192)
					}
					if res.RefcountWarns != 0 {
						t.Errorf("%d refcount WARNs", res.RefcountWarns)
					}
					if res.Latency.Samples == 0 {
						t.Errorf("no latency samples")
					}
				})
			}
		}
	}
}
