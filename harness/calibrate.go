package harness

import (
	"context"
	"math/rand/v2"
	"slices"

	"github.com/rnullbench/rnullbench/nullblk"
	"github.com/rnullbench/rnullbench/results"
)

// CalibrationIters is enough for stable ns/op figures (each operation is
// timed over seven rounds, the fastest kept) yet cheap enough, a few tens
// of milliseconds per backend, to run at the start of every compare.
const CalibrationIters = 2_000_000

// Calibrate measures each backend's refcount operations alone and what
// they add up to per request in each irqmode, so that a report can say
// "helper ≈ X ns per request" next to a change in percent.
func Calibrate(backends []nullblk.Backend, iters int) []results.CalibrationRow {
	var rows []results.CalibrationRow
	seen := map[nullblk.Backend]bool{}
	var unique []nullblk.Backend
	for _, b := range backends {
		if !seen[b] {
			seen[b] = true
			unique = append(unique, b)
		}
	}
	requestNs := requestCost(unique, iters)
	for i, b := range unique {
		ops := nullblk.Calibrate(b, iters)
		row := results.CalibrationRow{
			Backend:       b.String(),
			OpNs:          map[string]float64{},
			OpsPerRequest: map[string]float64{},
			NsPerRequest:  map[string]float64{},
		}
		for k, v := range ops {
			if k != "warns" {
				row.OpNs[k] = v
			}
		}
		for _, m := range []nullblk.IRQMode{nullblk.IRQNone, nullblk.IRQSoftirq, nullblk.IRQTimer} {
			perReq := nullblk.RefcountOpsPerRequest(m)
			total, count := 0.0, 0.0
			for op, n := range perReq {
				total += n * ops[op]
				count += n
			}
			row.OpsPerRequest[m.String()] = count
			row.NsPerRequest[m.String()] = total
		}
		row.RequestNs = requestNs[i]
		rows = append(rows, row)
	}
	return rows
}

// requestCost measures a whole request on the bare engine for each backend
// and irqmode: the same requests, in slices taken in turn, the median
// slice kept, so that the difference between backends is what their
// request paths cost, not what the machine was doing.
func requestCost(backends []nullblk.Backend, iters int) []map[string]float64 {
	out := make([]map[string]float64, len(backends))
	for i := range out {
		out[i] = map[string]float64{}
	}
	const rounds = 7
	per := uint64(max(1000, iters/rounds))
	for _, m := range []nullblk.IRQMode{nullblk.IRQNone, nullblk.IRQSoftirq, nullblk.IRQTimer} {
		devs := make([]*nullblk.Device, len(backends))
		samples := make([][]float64, len(backends))
		for i, b := range backends {
			cfg := nullblk.DefaultConfig()
			cfg.MemoryBacked, cfg.IRQMode, cfg.CompletionNsec, cfg.Backend = false, m, 0, b
			// A default config with a valid backend cannot fail to open;
			// if it ever does, that backend simply has no figure.
			devs[i], _ = nullblk.NewDevice(cfg)
		}
		order := rand.New(rand.NewPCG(uint64(m), 1))
		for k := 0; k < rounds; k++ {
			for _, i := range order.Perm(len(devs)) {
				if devs[i] == nil {
					continue
				}
				res, err := devs[i].Run(context.Background(), nullblk.Job{Pattern: nullblk.PatternRandRead, BS: 4096, IODepth: 1, NumJobs: 1, Requests: per, Seed: uint64(k)})
				if err == nil && res.Requests > 0 {
					samples[i] = append(samples[i], float64(res.Elapsed.Nanoseconds())/float64(res.Requests))
				}
			}
		}
		for i, d := range devs {
			if d != nil {
				d.Close()
			}
			if xs := samples[i]; len(xs) > 0 {
				slices.Sort(xs)
				out[i][m.String()] = xs[len(xs)/2]
			}
		}
	}
	return out
}
