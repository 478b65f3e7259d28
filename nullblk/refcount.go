package nullblk

import (
	"math"
	"sync/atomic"
)

// The rnull Request refcount (rust/kernel/block/mq/request.rs):
//
//	0   the block layer owns the request
//	1   the driver owns it, no ARef exists
//	2   the driver owns it, exactly one ARef
//	>2  the driver owns it, several ARefs
//
// Every backend implements the same five operations on it: set (queue_rq
// stores 2), inc (ARef clone), dec (ARef drop), incNotZero (tag_to_rq) and
// end (compare-and-swap 2→0). The functions below are the only place the
// backends differ; the request path calls them by concrete name (see
// loop.go.tmpl), never through an interface or a function value, so that
// an inline backend is inlined and an out-of-line one is a real call.

// refcountSaturated is refcount.h's REFCOUNT_SATURATED (INT_MIN / 2).
const refcountSaturated = math.MinInt32 / 2

// refcount is the request's counter and where its WARNs are counted. WARNs
// are counted, never printed: a correct run has none, and printing from the
// request path would distort every number. warns is never nil.
type refcount struct {
	v     atomic.Int32
	warns *atomic.Uint64
}

// saturate is refcount_warn_saturate: set REFCOUNT_SATURATED and WARN. In
// the kernel it is an out-of-line call on a cold branch; here it is two
// instructions on the same cold branch, which keeps the refcount_t
// operations inside the Go inliner's budget (a call costs most of it) and
// changes nothing on the path a correct run takes.
func (r *refcount) saturate() {
	r.v.Store(refcountSaturated)
	r.warns.Add(1)
}

// --- atomic: the original rnull code, inline atomics, no checking. ---

// atomicSet is queue_rq's relaxed store.
func atomicSet(r *refcount, n int32) { r.v.Store(n) }

// atomicInc is the ARef clone: relaxed "increment unless 0", silently a
// no-op at 0 (the old atomic_relaxed_op_unless).
func atomicInc(r *refcount) {
	old := r.v.Load()
	for old != 0 && !r.v.CompareAndSwap(old, old+1) {
		old = r.v.Load()
	}
}

// atomicDec is the ARef drop: a plain relaxed subtraction.
func atomicDec(r *refcount) { r.v.Add(-1) }

// atomicIncNotZero is tag_to_rq's "increment if ≥ 1" CAS loop. It returns
// whether an ARef was taken and how often the CAS lost a race.
func atomicIncNotZero(r *refcount) (ok bool, retries uint32) {
	old := r.v.Load()
	for old >= 1 {
		if r.v.CompareAndSwap(old, old+1) {
			return true, retries
		}
		retries++
		old = r.v.Load()
	}
	return false, retries
}

// atomicEnd is try_set_end's compare-and-swap 2→0.
func atomicEnd(r *refcount) bool { return r.v.CompareAndSwap(2, 0) }

// --- refcount_t (include/linux/refcount.h), inlinable bodies. The lto
// backend calls these directly; the helper backends call them through the
// out-of-line rust_helper_* wrappers below. ---

// refcountSet is refcount_set: a plain atomic store.
func refcountSet(r *refcount, n int32) { r.v.Store(n) }

// refcountInc is refcount_inc (__refcount_add): add first, then check the
// old value; 0 is a use-after-free, a negative or overflowing result a
// leak. Both saturate and WARN. The two checks are one unsigned comparison
// (good: 2 ≤ old+1 ≤ INT_MAX).
func refcountInc(r *refcount) {
	if n := r.v.Add(1); uint32(n-2) >= math.MaxInt32-1 {
		r.saturate()
	}
}

// refcountDecAndTest is refcount_dec_and_test (__refcount_sub_and_test):
// true when it reached 0; a result below 0 is an underflow.
func refcountDecAndTest(r *refcount) bool {
	n := r.v.Add(-1)
	if n < 0 {
		r.saturate()
	}
	return n == 0
}

// refcountIncNotZero is refcount_inc_not_zero (__refcount_add_not_zero):
// a CAS loop that gives up at 0, saturating when the old value was
// negative or the add overflowed. It also returns how often the CAS lost
// a race, for the tag_to_rq retry counter.
func refcountIncNotZero(r *refcount) (ok bool, retries uint32) {
	old := r.v.Load()
	for old != 0 && !r.v.CompareAndSwap(old, old+1) {
		retries++
		old = r.v.Load()
	}
	if old < 0 || old+1 < 0 {
		r.saturate()
	}
	return old != 0, retries
}

// refcountEnd is the seed patch's try_set_end: refcount.h has no 2→0
// operation, so it goes through the raw atomic (Refcount::as_atomic).
func refcountEnd(r *refcount) bool { return r.v.CompareAndSwap(2, 0) }

// --- helper: every refcount_t call crosses the language boundary through
// a C helper that is not inlined (rust_helper_refcount_*). ---

//go:noinline
func helperRefcountSet(r *refcount, n int32) { refcountSet(r, n) }

//go:noinline
func helperRefcountInc(r *refcount) { refcountInc(r) }

//go:noinline
func helperRefcountDecAndTest(r *refcount) bool { return refcountDecAndTest(r) }

//go:noinline
func helperRefcountIncNotZero(r *refcount) (bool, uint32) { return refcountIncNotZero(r) }

// helperAtomicCmpxchg is the 2025 merged state's rust_helper_atomic_cmpxchg:
// even the raw atomic is a helper call.
//
//go:noinline
func helperAtomicCmpxchg(r *refcount, old, new int32) bool { return r.v.CompareAndSwap(old, new) }
