package nullblk

import (
	"math"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
)

// refOps is one backend's refcount operations as function values. Tests
// only: the request path calls them by name (loop_*.go).
type refOps struct {
	set     func(*refcount, int32)
	inc     func(*refcount)
	dec     func(*refcount)
	get     func(*refcount) (bool, uint32)
	end     func(*refcount) bool
	checked bool // refcount_t semantics: WARN + saturate on bad values
}

// backendOps mirrors the placeholder table of gen_loops.go.
var backendOps = map[Backend]refOps{
	BackendAtomic: {atomicSet, atomicInc, atomicDec, atomicIncNotZero, atomicEnd, false},
	BackendHelper: {helperRefcountSet, helperRefcountInc, func(r *refcount) { helperRefcountDecAndTest(r) },
		helperRefcountIncNotZero, refcountEnd, true},
	BackendLTO: {refcountSet, refcountInc, func(r *refcount) { refcountDecAndTest(r) },
		refcountIncNotZero, refcountEnd, true},
	BackendHelperAtomic: {helperRefcountSet, helperRefcountInc, func(r *refcount) { helperRefcountDecAndTest(r) },
		helperRefcountIncNotZero, func(r *refcount) bool { return helperAtomicCmpxchg(r, 2, 0) }, true},
}

func newRef(v int32) (*refcount, *atomic.Uint64) {
	var warns atomic.Uint64
	r := &refcount{warns: &warns}
	r.v.Store(v)
	return r, &warns
}

// rqModel is the rnull request at the level the driver sees it: who owns
// it and how many ARefs exist. The refcount must always be 0 when the
// block layer owns the request and 1 + ARefs when the driver does.
type rqModel struct {
	driver bool
	arefs  int32
}

func (m rqModel) want() int32 {
	if !m.driver {
		return 0
	}
	return 1 + m.arefs
}

// TestStateMachineAgainstModel drives every backend through random legal
// sequences of queue_rq / clone / drop / tag_to_rq / end and checks the
// refcount, the outcome of every fallible operation and the WARN count
// against the ownership model.
func TestStateMachineAgainstModel(t *testing.T) {
	for _, b := range Backends() {
		ops := backendOps[b]
		t.Run(b.String(), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, uint64(b)))
			for seq := range 2000 {
				r, warns := newRef(0)
				var m rqModel
				for step := range 64 {
					var what string
					switch k := rng.IntN(5); {
					case k == 0 && !m.driver:
						what = "queue_rq"
						ops.set(r, 2)
						m = rqModel{driver: true, arefs: 1}
					case k == 1 && m.arefs > 0:
						what = "clone"
						ops.inc(r)
						m.arefs++
					case k == 2 && m.arefs > 1:
						// The last ARef is consumed by end, not dropped:
						// dropping it would be legal too, but leaves a
						// request only a tag_to_rq can end.
						what = "drop"
						ops.dec(r)
						m.arefs--
					case k == 3:
						what = "tag_to_rq"
						ok, retries := ops.get(r)
						if ok != m.driver || retries != 0 {
							t.Fatalf("seq %d step %d: tag_to_rq = %v, %d retries; model owner driver=%v", seq, step, ok, retries, m.driver)
						}
						if ok {
							m.arefs++
						}
					case k == 4 && m.arefs > 0:
						what = "end"
						ok := ops.end(r)
						if ok != (m.arefs == 1) {
							t.Fatalf("seq %d step %d: end = %v with %d ARefs", seq, step, ok, m.arefs)
						}
						if ok {
							m = rqModel{}
						}
					default:
						continue
					}
					if got := r.v.Load(); got != m.want() {
						t.Fatalf("seq %d step %d after %s: refcount %d, model %d (%+v)", seq, step, what, got, m.want(), m)
					}
					if warns.Load() != 0 {
						t.Fatalf("seq %d step %d after %s: %d WARNs on a legal sequence", seq, step, what, warns.Load())
					}
				}
			}
		})
	}
}

// TestRefcountEdgeCases checks refcount.h's behaviour on bad values for
// the three refcount_t backends, and the old code's silent behaviour for
// atomic.
func TestRefcountEdgeCases(t *testing.T) {
	const sat = refcountSaturated
	type tc struct {
		name      string
		start     int32
		op        func(refOps, *refcount) bool // result of the op, or true
		checked   int32                        // refcount after, refcount_t backends
		warn      uint64
		result    bool
		unchecked int32 // refcount after, atomic backend
		uresult   bool
	}
	inc := func(o refOps, r *refcount) bool { o.inc(r); return true }
	dec := func(o refOps, r *refcount) bool { o.dec(r); return true }
	get := func(o refOps, r *refcount) bool { ok, _ := o.get(r); return ok }
	end := func(o refOps, r *refcount) bool { return o.end(r) }
	cases := []tc{
		{"inc from 0 is a use-after-free", 0, inc, sat, 1, true, 0, true},
		{"inc at INT_MAX overflows", math.MaxInt32, inc, sat, 1, true, math.MinInt32, true},
		{"inc of a saturated counter stays saturated", sat, inc, sat, 1, true, sat + 1, true},
		{"inc from 1", 1, inc, 2, 0, true, 2, true},
		{"dec from 0 underflows", 0, dec, sat, 1, true, -1, true},
		{"dec of a saturated counter stays saturated", sat, dec, sat, 1, true, sat - 1, true},
		{"dec from 3", 3, dec, 2, 0, true, 2, true},
		{"tag_to_rq at 0 fails", 0, get, 0, 0, false, 0, false},
		{"tag_to_rq at 1", 1, get, 2, 0, true, 2, true},
		{"tag_to_rq at INT_MAX overflows", math.MaxInt32, get, sat, 1, true, math.MinInt32, true},
		{"tag_to_rq of a saturated counter", sat, get, sat, 1, true, sat, false},
		{"end at 2", 2, end, 0, 0, true, 0, true},
		{"end at 3 fails", 3, end, 3, 0, false, 3, false},
		{"end at 1 fails", 1, end, 1, 0, false, 1, false},
	}
	for _, b := range Backends() {
		ops := backendOps[b]
		for _, c := range cases {
			t.Run(b.String()+"/"+c.name, func(t *testing.T) {
				r, warns := newRef(c.start)
				got := c.op(ops, r)
				wantV, wantW, wantR := c.checked, c.warn, c.result
				if !ops.checked {
					wantV, wantW, wantR = c.unchecked, 0, c.uresult
				}
				if v := r.v.Load(); v != wantV || warns.Load() != wantW || got != wantR {
					t.Errorf("from %d: refcount %d, WARNs %d, result %v; want %d, %d, %v", c.start, v, warns.Load(), got, wantV, wantW, wantR)
				}
			})
		}
	}
}

// TestDecAndTestReportsZero checks refcount_dec_and_test's result, which
// the request path ignores (reaching 0 there is a bug) but the helper
// must still compute.
func TestDecAndTestReportsZero(t *testing.T) {
	for _, f := range []func(*refcount) bool{refcountDecAndTest, helperRefcountDecAndTest} {
		r, warns := newRef(2)
		if f(r) || !f(r) || warns.Load() != 0 {
			t.Errorf("2→1→0: want false, true and no WARN; refcount %d, WARNs %d", r.v.Load(), warns.Load())
		}
	}
}

// TestTagToRqRacesEnd runs the race the CAS exists for, on one request:
// an ender that queues and ends it over and over against a scanner that
// keeps taking and dropping ARefs through tag_to_rq. Every end must
// succeed eventually, none twice, without a WARN, and the request must be
// back with the block layer (0) at the end.
func TestTagToRqRacesEnd(t *testing.T) {
	for _, b := range Backends() {
		ops := backendOps[b]
		t.Run(b.String(), func(t *testing.T) {
			r, warns := newRef(0)
			const n = 20000
			var stop atomic.Bool
			var failedEnds, scans, taken atomic.Uint64
			var wg sync.WaitGroup
			wg.Go(func() {
				// At least n ends, and on until tag_to_rq has caught the
				// request in flight, however the two goroutines are
				// scheduled on a busy machine.
				for i := 0; i < n || (taken.Load() == 0 && i < 200*n); i++ {
					ops.set(r, 2)
					for !ops.end(r) {
						failedEnds.Add(1)
					}
				}
				stop.Store(true)
			})
			wg.Go(func() {
				for !stop.Load() {
					scans.Add(1)
					if ok, _ := ops.get(r); ok {
						taken.Add(1)
						ops.dec(r)
					}
				}
			})
			wg.Wait()
			if v := r.v.Load(); v != 0 || warns.Load() != 0 {
				t.Fatalf("after the ends: refcount %d, %d WARNs", v, warns.Load())
			}
			if taken.Load() == 0 {
				t.Fatalf("tag_to_rq never caught the request in flight in %d scans", scans.Load())
			}
			t.Logf("%d scans, %d ARefs taken by tag_to_rq, %d failed ends", scans.Load(), taken.Load(), failedEnds.Load())
		})
	}
}

// FuzzRefcountOps applies arbitrary sequences of refcount operations,
// legal or not, from arbitrary starting values to every backend. The
// refcount_t backends must agree with each other exactly (they are the
// same code, inlined or not) and never leave a negative counter other
// than SATURATED; nothing may panic.
func FuzzRefcountOps(f *testing.F) {
	f.Add(int32(0), []byte{0, 1, 2, 3, 4})
	f.Add(int32(math.MaxInt32), []byte{1, 1, 3})
	f.Add(int32(refcountSaturated), []byte{2, 2, 3, 4})
	f.Add(int32(2), []byte{3, 4, 2, 4})
	f.Fuzz(func(t *testing.T, start int32, seq []byte) {
		type state struct {
			v     int32
			warns uint64
			trace []bool
		}
		var ref *state
		for _, b := range Backends() {
			ops := backendOps[b]
			r, warns := newRef(start)
			var trace []bool
			for _, c := range seq {
				switch c % 5 {
				case 0:
					ops.set(r, 2)
				case 1:
					ops.inc(r)
				case 2:
					ops.dec(r)
				case 3:
					ok, _ := ops.get(r)
					trace = append(trace, ok)
				case 4:
					trace = append(trace, ops.end(r))
				}
				if v := r.v.Load(); ops.checked && start >= 0 && v < 0 && v != refcountSaturated {
					t.Fatalf("%s: refcount %d is negative but not saturated", b, v)
				}
			}
			if !ops.checked {
				continue
			}
			got := &state{r.v.Load(), warns.Load(), trace}
			if ref == nil {
				ref = got
				continue
			}
			if got.v != ref.v || got.warns != ref.warns || len(got.trace) != len(ref.trace) {
				t.Fatalf("%s disagrees with helper: %+v vs %+v", b, got, ref)
			}
			for i := range got.trace {
				if got.trace[i] != ref.trace[i] {
					t.Fatalf("%s disagrees with helper at op %d", b, i)
				}
			}
		}
	})
}
