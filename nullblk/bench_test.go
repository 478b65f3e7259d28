package nullblk

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
)

// benchConfig is the target configuration: 4k randread, iodepth 1,
// one job, not memory-backed, so the request path is all that is measured.
func benchConfig(b Backend, m IRQMode) Config {
	cfg := DefaultConfig()
	cfg.Backend, cfg.IRQMode = b, m
	cfg.MemoryBacked = false
	cfg.CompletionNsec = 0 // timer mode: measure the path, not the delay
	return cfg
}

func benchRun(b *testing.B, cfg Config, job Job) {
	d, err := NewDevice(cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	job.Requests = uint64(b.N)
	job.LatencySampleEvery = -1
	b.ReportAllocs()
	b.ResetTimer()
	res, err := d.Run(context.Background(), job)
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	if res.Requests != uint64(b.N) || res.RefcountWarns != 0 {
		b.Fatalf("requests %d (want %d), warns %d", res.Requests, b.N, res.RefcountWarns)
	}
	b.ReportMetric(float64(res.Requests)/res.Elapsed.Seconds()/1e6, "Mreq/s")
}

// BenchmarkRequest is ns per request for every backend × irqmode, 4k
// randread, iodepth 1, one job. Read it against BenchmarkAtomicFloor.
func BenchmarkRequest(b *testing.B) {
	for _, m := range []IRQMode{IRQNone, IRQSoftirq, IRQTimer} {
		for _, be := range Backends() {
			b.Run(fmt.Sprintf("irqmode=%s/backend=%s", m, be), func(b *testing.B) {
				benchRun(b, benchConfig(be, m), Job{Pattern: PatternRandRead, BS: 4096, IODepth: 1, NumJobs: 1})
			})
		}
	}
}

// BenchmarkNumJobs compares numjobs 1 on one queue with numjobs 2 on two
// queues (atomic, irqmode none): ns/op is per request over all jobs, so
// the scaling is the ratio of the two.
func BenchmarkNumJobs(b *testing.B) {
	for _, n := range []int{1, 2} {
		b.Run(fmt.Sprintf("numjobs=%d", n), func(b *testing.B) {
			cfg := benchConfig(BackendAtomic, IRQNone)
			cfg.SubmitQueues = n
			benchRun(b, cfg, Job{Pattern: PatternRandRead, BS: 4096, IODepth: 1, NumJobs: n})
		})
	}
}

// BenchmarkMemoryBacked is the seed's device: memory-backed, 4k, randread
// and randwrite, atomic and helper.
func BenchmarkMemoryBacked(b *testing.B) {
	for _, p := range []Pattern{PatternRandRead, PatternRandWrite} {
		for _, be := range []Backend{BackendAtomic, BackendHelper} {
			b.Run(fmt.Sprintf("rw=%s/backend=%s", p, be), func(b *testing.B) {
				cfg := benchConfig(be, IRQNone)
				cfg.MemoryBacked = true
				cfg.SizeMiB = 64
				benchRun(b, cfg, Job{Pattern: p, BS: 4096, IODepth: 1, NumJobs: 1})
			})
		}
	}
}

// BenchmarkAtomicFloor is the bare sequence of atomic read-modify-writes
// one irqmode-none request needs, without the engine: take a tag (CAS on
// the bitmap word), queue_rq's store of 2 (an XCHG in Go), end's CAS 2→0,
// free the tag (LOCK AND). Engine ns/op divided by this is the engine's
// overhead factor.
func BenchmarkAtomicFloor(b *testing.B) {
	var word atomic.Uint64
	var ref atomic.Int32
	b.ReportAllocs()
	for b.Loop() {
		old := word.Load()
		word.CompareAndSwap(old, old|1)
		ref.Store(2)
		ref.CompareAndSwap(2, 0)
		word.And(^uint64(1))
	}
}
