// Package harness runs a plan: N rounds, in each of which every
// configuration runs one trial per variant in a seeded, shuffled order, so
// that slow drift of the machine hits all variants alike. It owns warm-up,
// the quiet-GC window around each trial, cancellation, progress, and
// emits one record per finished trial.
package harness
