//go:build race || nullblk_invariants

package nullblk

// invariants: see invariants_off.go.
const invariants = true
