package nullblk

import "sync/atomic"

// Calibration keys: the refcount operations of the request path, named as
// in refcount.h (cas_2_0 is try_set_end's compare-and-swap).
const (
	OpSet        = "set"
	OpInc        = "inc"
	OpDecAndTest = "dec_and_test"
	OpIncNotZero = "inc_not_zero"
	OpCAS20      = "cas_2_0"
)

// MaxCalibrateIters bounds Calibrate's iterations so a counter
// incremented iters times cannot overflow.
const MaxCalibrateIters = 1 << 30

// Calibrate times each refcount operation of backend b alone, iters times
// on one uncontended counter, compiled exactly as the request path
// compiles it (inlined or a call). It returns ns per operation under the
// keys OpSet, OpInc, OpDecAndTest, OpIncNotZero and OpCAS20 (each the
// fastest of seven rounds of iters/7), plus
// "set+cas_2_0" (cas_2_0 is that pair minus set, as a successful 2→0 CAS
// needs a 2 to start from) and "warns" (0 unless the backend is broken).
// iters is clamped to 1..MaxCalibrateIters; an unknown backend gives nil.
func Calibrate(b Backend, iters int) map[string]float64 {
	if b >= numBackends {
		return nil
	}
	iters = min(max(iters, 1), MaxCalibrateIters)
	// The fastest of several rounds: the cost of the operation itself,
	// without what other processes on the machine add to some rounds.
	const rounds = 7
	per := max(iters/rounds, 1)
	best := [5]float64{}
	var warns uint64
	for i := range rounds {
		var r [5]float64
		var w uint64
		switch b {
		case BackendAtomic:
			r[0], r[1], r[2], r[3], r[4], w = calibrateAtomic(per)
		case BackendHelper:
			r[0], r[1], r[2], r[3], r[4], w = calibrateHelper(per)
		case BackendLTO:
			r[0], r[1], r[2], r[3], r[4], w = calibrateLTO(per)
		case BackendHelperAtomic:
			r[0], r[1], r[2], r[3], r[4], w = calibrateHelperAtomic(per)
		}
		warns += w
		for k := range r {
			if i == 0 || r[k] < best[k] {
				best[k] = r[k]
			}
		}
	}
	set, inc, dec, get, setEnd := best[0], best[1], best[2], best[3], best[4]
	return map[string]float64{
		OpSet:         set,
		OpInc:         inc,
		OpDecAndTest:  dec,
		OpIncNotZero:  get,
		OpCAS20:       max(setEnd-set, 0),
		"set+cas_2_0": setEnd,
		"warns":       float64(warns),
	}
}

// RefcountOpsPerRequest is how many of each refcount operation one request
// performs on the uncontended path of irqmode m, with the keys of
// Calibrate: Σ ops × Calibrate's ns is the refcount's share of a request.
//
//	none:    queue_rq set 2; end_ok CAS 2→0
//	softirq: set 2; the driver drops its ARef (dec) and posts the tag;
//	         tag_to_rq (inc_not_zero); CAS 2→0
//	timer:   set 2; the timer clones the ARef (inc) and queue_rq's is
//	         dropped (dec); at expiry CAS 2→0
//
// An unknown mode gives nil.
func RefcountOpsPerRequest(m IRQMode) map[string]float64 {
	switch m {
	case IRQNone:
		return map[string]float64{OpSet: 1, OpCAS20: 1}
	case IRQSoftirq:
		return map[string]float64{OpSet: 1, OpDecAndTest: 1, OpIncNotZero: 1, OpCAS20: 1}
	case IRQTimer:
		return map[string]float64{OpSet: 1, OpInc: 1, OpDecAndTest: 1, OpCAS20: 1}
	}
	return nil
}

// AtomicFloor is the cost in ns of the bare sequence of atomic
// read-modify-writes one irqmode-none request needs, without the engine:
// take a tag (CAS on a bitmap word), queue_rq's store of 2 (an XCHG in
// Go), end's CAS 2→0, free the tag (LOCK AND). A request's time divided
// by it is the engine's overhead factor. Fastest of seven rounds of
// iters/7; iters is clamped like Calibrate's.
func AtomicFloor(iters int) float64 {
	iters = min(max(iters, 1), MaxCalibrateIters)
	per := max(iters/7, 1)
	best := 0.0
	for i := range 7 {
		if ns := atomicFloorOnce(per); i == 0 || ns < best {
			best = ns
		}
	}
	return best
}

// atomicFloorOnce runs AtomicFloor's sequence iters times and returns ns
// per iteration.
func atomicFloorOnce(iters int) float64 {
	var word atomic.Uint64
	var ref atomic.Int32
	t0 := nanotime()
	for range iters {
		old := word.Load()
		word.CompareAndSwap(old, old|1)
		ref.Store(2)
		ref.CompareAndSwap(2, 0)
		word.And(^uint64(1))
	}
	return float64(nanotime()-t0) / float64(iters)
}
