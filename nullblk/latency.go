package nullblk

import (
	"math/bits"
	_ "unsafe" // for go:linkname
)

// nanotime is the runtime's monotonic clock: one vDSO read, cheaper than
// time.Now, which also reads the wall clock. It is read only for sampled
// requests and for timer-mode deadlines, never for every request.
//
//go:linkname nanotime runtime.nanotime
func nanotime() int64

// latSubBuckets is the number of buckets per power of two: 16 bounds the
// relative error of a quantile by 1/32 (bucket midpoints).
const (
	latSubBits    = 4
	latSubBuckets = 1 << latSubBits
	latBuckets    = 64 * latSubBuckets
)

// histogram is a log-linear latency histogram, HdrHistogram-style: fixed
// size, no allocation when recording, mergeable.
type histogram struct {
	counts [latBuckets]uint64
	n      uint64
	sum    uint64
	max    uint64
}

func latBucket(v uint64) int {
	if v < 2*latSubBuckets {
		return int(v)
	}
	e := bits.Len64(v) - (latSubBits + 1)
	return (e+1)*latSubBuckets + int((v>>e)&(latSubBuckets-1))
}

// latBucketMid is the middle of a bucket's range, the value a quantile in
// that bucket is reported as.
func latBucketMid(i int) float64 {
	if i < 2*latSubBuckets {
		return float64(i)
	}
	e := i/latSubBuckets - 1
	low := uint64(latSubBuckets+i%latSubBuckets) << e
	return float64(low) + float64(uint64(1)<<e)/2
}

func (h *histogram) record(ns int64) {
	if ns < 0 {
		ns = 0
	}
	v := uint64(ns)
	h.counts[latBucket(v)]++
	h.n++
	h.sum += v
	if v > h.max {
		h.max = v
	}
}

func (h *histogram) reset() { *h = histogram{} }

func (h *histogram) merge(o *histogram) {
	if o.n == 0 {
		return
	}
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
	h.sum += o.sum
	h.max = max(h.max, o.max)
}

// quantile returns the value below which a fraction q of the samples lie.
func (h *histogram) quantile(q float64) float64 {
	if h.n == 0 {
		return 0
	}
	rank := uint64(q*float64(h.n-1)) + 1
	var cum uint64
	for i, c := range h.counts {
		cum += c
		if cum >= rank {
			return min(latBucketMid(i), float64(h.max))
		}
	}
	return float64(h.max)
}

func (h *histogram) latency() Latency {
	if h.n == 0 {
		return Latency{}
	}
	return Latency{
		Samples: h.n,
		MeanNs:  float64(h.sum) / float64(h.n),
		P50Ns:   h.quantile(0.50),
		P90Ns:   h.quantile(0.90),
		P99Ns:   h.quantile(0.99),
		P999Ns:  h.quantile(0.999),
		MaxNs:   float64(h.max),
	}
}
