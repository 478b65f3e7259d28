//go:build !race && !nullblk_invariants

package nullblk

// invariants enables the request-lifecycle checks of invariants.go. They
// are compiled out of normal builds, so the measured request path carries
// none of them, and compiled in under -race (and with the
// nullblk_invariants tag), where the stress tests run.
const invariants = false
