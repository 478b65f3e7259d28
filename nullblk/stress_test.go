package nullblk

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// TestStressScannerRacesEnd runs whole devices with the timeout scanner
// walking the in-flight tags continuously, so tag_to_rq races every
// completion path's end. Under -race the invariant checks are compiled in
// (invariants_on.go): Run fails if a request is lost or ended twice, or if
// submitted != completed.
func TestStressScannerRacesEnd(t *testing.T) {
	n := uint64(40000)
	if testing.Short() {
		n = 5000
	}
	var failedEnds, retries uint64
	for _, b := range Backends() {
		for _, m := range []IRQMode{IRQNone, IRQSoftirq, IRQTimer} {
			for _, shared := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s/%s/shared_tags=%v", b, m, shared), func(t *testing.T) {
					cfg := DefaultConfig()
					cfg.Backend, cfg.IRQMode, cfg.SharedTags = b, m, shared
					cfg.MemoryBacked = false
					cfg.SubmitQueues, cfg.HwQueueDepth = 2, 8
					cfg.CompletionNsec = 2000
					cfg.ScanInterval = time.Nanosecond // back to back
					d, err := NewDevice(cfg)
					if err != nil {
						t.Fatal(err)
					}
					defer d.Close()
					res, err := d.Run(context.Background(), Job{Pattern: PatternRandRead, BS: 4096, IODepth: 8, NumJobs: 3, Requests: n, Seed: 7})
					if err != nil {
						t.Fatal(err)
					}
					if res.Requests != n || res.RefcountWarns != 0 {
						t.Fatalf("completed %d of %d, %d WARNs", res.Requests, n, res.RefcountWarns)
					}
					if !invariants {
						t.Log("invariant checks compiled out; run with -race or -tags nullblk_invariants")
					}
					failedEnds += res.FailedEnds
					retries += res.TagToRqRetries
					t.Logf("failed ends %d, tag_to_rq retries %d, tag waits %d", res.FailedEnds, res.TagToRqRetries, res.TagWaits)
				})
			}
		}
	}
	t.Logf("in all: %d failed ends, %d tag_to_rq retries", failedEnds, retries)
}
