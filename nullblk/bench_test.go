package nullblk

import (
	"context"
	"fmt"
	"slices"
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
	logLayout(b)
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
	b.ReportAllocs()
	b.ResetTimer()
	atomicFloorOnce(b.N)
}

// BenchmarkPairedRatio is the noise-resistant form of BenchmarkRequest
// for a shared machine: each iteration runs one block of requests per
// backend, back to back in rotating order, plus one block of the atomic
// floor, and the reported metrics are medians over iterations of the
// per-iteration ratios (backend/atomic, atomic/floor). Load that comes
// and goes hits the blocks of one iteration alike and cancels in the
// ratio. irqmode none, 4k randread, iodepth 1, one job.
func BenchmarkPairedRatio(b *testing.B) {
	logLayout(b)
	for _, m := range []IRQMode{IRQNone, IRQSoftirq} {
		b.Run("irqmode="+m.String(), func(b *testing.B) { pairedRatio(b, m) })
	}
}

func pairedRatio(b *testing.B, m IRQMode) {
	const block = 100000
	bes := Backends()
	job := Job{Pattern: PatternRandRead, BS: 4096, IODepth: 1, NumJobs: 1, Requests: block, LatencySampleEvery: -1}
	ratios := make([][]float64, len(bes)+1) // per backend vs atomic; last: atomic vs floor
	per := make([]float64, len(bes))
	b.ReportAllocs()
	for it := 0; b.Loop(); it++ {
		for k := range bes {
			i := (k + it) % len(bes)
			// A new device per block, as the harness makes one per trial:
			// where its tags and requests land in memory moves a
			// request's cost by several percent (cache-line and 4 KiB
			// aliasing), and fresh placement each time averages that out
			// instead of freezing one layout's luck into the ratio.
			d, err := NewDevice(benchConfig(bes[i], m))
			if err != nil {
				b.Fatal(err)
			}
			res, err := d.Run(context.Background(), job)
			d.Close()
			if err != nil {
				b.Fatal(err)
			}
			per[i] = float64(res.Elapsed.Nanoseconds()) / block
		}
		floor := atomicFloorOnce(block)
		for i := range bes {
			ratios[i] = append(ratios[i], per[i]/per[0])
		}
		ratios[len(bes)] = append(ratios[len(bes)], per[0]/floor)
	}
	for i, be := range bes[1:] {
		b.ReportMetric(median(ratios[i+1]), be.String()+"/atomic")
	}
	b.ReportMetric(median(ratios[len(bes)]), "atomic/floor")
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if n := len(s); n%2 == 1 {
		return s[n/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// logLayout notes when the backends' request paths are placed differently
// in the binary, which biases their comparison (see CheckCodeLayout).
func logLayout(b *testing.B) {
	if err := CheckCodeLayout(); err != nil {
		b.Log(err)
	}
}

// BenchmarkPairedScaling alternates numjobs 1 on one queue with numjobs 2
// on two queues (atomic, irqmode none, fresh devices) and reports the
// median per-iteration wall-clock throughput ratio. On an idle 2-core
// machine it should approach 2. On a shared machine the scheduler may
// give the whole process one share however many threads it runs, so it
// also reports requests per CPU-second of numjobs 2 over numjobs 1: 1.0
// means the jobs do not slow each other down (no shared cache lines, no
// locks), whatever the machine's load.
func BenchmarkPairedScaling(b *testing.B) {
	const block = 200000
	var wall, perCPU []float64
	for b.Loop() {
		var tput, eff [2]float64
		for n := 1; n <= 2; n++ {
			cfg := benchConfig(BackendAtomic, IRQNone)
			cfg.SubmitQueues = n
			d, err := NewDevice(cfg)
			if err != nil {
				b.Fatal(err)
			}
			c0 := processCPU()
			res, err := d.Run(context.Background(), Job{Pattern: PatternRandRead, BS: 4096, IODepth: 1, NumJobs: n, Requests: block, LatencySampleEvery: -1})
			cpu := processCPU() - c0
			d.Close()
			if err != nil {
				b.Fatal(err)
			}
			tput[n-1] = float64(res.Requests) / res.Elapsed.Seconds()
			if cpu > 0 {
				eff[n-1] = float64(res.Requests) / cpu.Seconds()
			}
		}
		wall = append(wall, tput[1]/tput[0])
		if eff[0] > 0 && eff[1] > 0 {
			perCPU = append(perCPU, eff[1]/eff[0])
		}
	}
	b.ReportMetric(median(wall), "numjobs2/numjobs1")
	if len(perCPU) > 0 {
		b.ReportMetric(median(perCPU), "per-cpu-s-2/1")
	}
}

// BenchmarkNewDevice is the per-trial cost of a fresh device (the seed's
// configuration) and its Close.
func BenchmarkNewDevice(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		d, err := NewDevice(DefaultConfig())
		if err != nil {
			b.Fatal(err)
		}
		d.Close()
	}
}
