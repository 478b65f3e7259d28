// Package nullblk is an in-process model of the Linux null block device as
// driven by blk-mq and the Rust rnull driver: tag sets, hardware queues,
// the none/softirq/timer completion paths, optional memory-backed storage,
// and the rnull per-request refcount state machine.
//
// The refcount is the quantity under test. Its backend (inline atomics,
// out-of-line refcount_t helpers, the same helpers inlined, or everything
// out of line) is chosen once per device, never per request, so that the
// request path of each backend is concrete code the compiler can inline or
// not exactly as the kernel build would.
//
// # The request path
//
// A Device has Config.SubmitQueues hardware queues, each with a bitmap tag
// set of Config.HwQueueDepth tags (one set for all queues with
// SharedTags) and one request per tag for the device's lifetime. Run
// starts Job.NumJobs submitters; submitter i uses queue i mod
// SubmitQueues, as blk-mq maps CPUs to hardware contexts, and keeps up to
// Job.IODepth requests in flight. A submitter that finds no free tag
// waits for a completion (Counters.TagWaits).
//
// queue_rq stores 2 in the request's refcount (in flight + the ARef handed
// to the driver). Then, by irqmode:
//
//	none     the request ends inside queue_rq: compare-and-swap 2→0.
//	softirq  the driver drops its ARef (2→1) and posts only the tag to the
//	         queue's completion queue; the completion context (the queue's
//	         submitters, as the block softirq runs on the submitting CPU)
//	         turns the tag back into an ARef with tag_to_rq (increment if
//	         ≥ 1) and ends it.
//	timer    the request's timer clones the ARef (+1), queue_rq's is dropped
//	         (−1), and the request ends completion_nsec later, when a
//	         submitter of its queue polls the queue's deadline ring.
//
// An end whose CAS fails keeps its ARef and retries (Counters.FailedEnds):
// another ARef exists. With Config.ScanInterval set, a timeout scanner
// walks the in-flight tags through tag_to_rq the whole run, racing every
// end for real.
//
// The request path is written once, in loop.go.tmpl, and generated per
// backend (go generate): runNoneAtomic calls atomicSet and atomicEnd by
// name, runNoneHelper calls the go:noinline helperRefcountSet, and so on.
// TestInlining checks the compiler's inlining report for each copy.
//
// # Measuring
//
// Requests cost tens of nanoseconds, so code placement matters: Go aligns
// functions to 32 bytes, and two backends' identical loops can straddle
// 64-byte lines differently. Build measuring binaries with
// -ldflags=-funcalign=64 (CheckCodeLayout reports when that is missing)
// and, for differences of a few percent, confirm them with a second build
// (placement inside functions still moves single backends; see
// CheckCodeLayout). Create a device per trial: where a device's tags and
// requests land in memory moves a request's cost by several percent, and
// fresh placement per trial turns that into noise instead of bias.
package nullblk

//go:generate go run gen_loops.go
