package harness

import (
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
	for _, b := range backends {
		if seen[b] {
			continue
		}
		seen[b] = true
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
		rows = append(rows, row)
	}
	return rows
}
