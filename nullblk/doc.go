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
package nullblk

//go:generate go run gen_loops.go
