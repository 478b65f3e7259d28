package nullblk

import (
	"context"
	"testing"
	"time"
)

// FuzzDevice feeds arbitrary device configurations and jobs to NewDevice
// and Run. Invalid input must come back as an error, never a panic; valid
// input small enough to run quickly must run, drain and account exactly.
func FuzzDevice(f *testing.F) {
	f.Add(1, 256, uint8(0), int64(10000), 4096, true, int64(4096), false, uint8(0), uint8(2), 4096, 1, 1, uint64(100), uint64(1))
	f.Add(2, 8, uint8(1), int64(0), 512, false, int64(1), true, uint8(1), uint8(3), 1536, 4, 3, uint64(57), uint64(2))
	f.Add(3, 2, uint8(2), int64(3000), 1024, true, int64(2), false, uint8(3), uint8(0), 65536, 9, 5, uint64(33), uint64(3))
	f.Add(0, 0, uint8(9), int64(-1), 1000, false, int64(0), false, uint8(7), uint8(9), 0, 0, 0, uint64(0), uint64(0))
	f.Fuzz(func(t *testing.T, queues, depth int, irq uint8, cns int64, blockSize int, memory bool, sizeMiB int64, shared bool,
		backend, pattern uint8, bs, iodepth, numjobs int, requests, seed uint64) {
		cfg := Config{
			SubmitQueues: queues, HwQueueDepth: depth, IRQMode: IRQMode(irq), CompletionNsec: cns,
			BlockSize: blockSize, MemoryBacked: memory, SizeMiB: sizeMiB, SharedTags: shared, Backend: Backend(backend),
		}
		d, err := NewDevice(cfg)
		if err != nil {
			if cfg.Validate() == nil {
				t.Fatalf("NewDevice failed on a valid config: %v", err)
			}
			return
		}
		defer d.Close()
		job := Job{Pattern: Pattern(pattern), BS: bs, IODepth: iodepth, NumJobs: numjobs, Requests: requests, Seed: seed, LatencySampleEvery: 3}
		if job.Validate(cfg) != nil {
			if _, err := d.Run(context.Background(), job); err == nil {
				t.Fatal("Run accepted an invalid job")
			}
			return
		}
		// Run only what finishes quickly: the point is the state machine
		// and the accounting, not the device's size.
		if requests > 2000 || numjobs > 16 || cns > int64(100*time.Microsecond) || uint64(bs)*requests > 64<<20 {
			return
		}
		res, err := d.Run(context.Background(), job)
		if err != nil {
			t.Fatalf("%+v %+v: %v", cfg, job, err)
		}
		if res.Requests != requests || res.Bytes != requests*uint64(bs) || res.RefcountWarns != 0 {
			t.Fatalf("%+v %+v: %+v", cfg, job, res.Counters)
		}
	})
}
