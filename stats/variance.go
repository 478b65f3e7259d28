package stats

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// VarianceSplit separates the variance of one configuration's trials into
// a part between processes (what a fresh process, or a reboot, changes:
// code and data layout, ASLR, environment size) and a part within one
// process (trial-to-trial noise), by one-way random-effects ANOVA.
//
// When BetweenShare is large, more trials in one process cannot narrow the
// interval much: only more processes can.
type VarianceSplit struct {
	Processes int     // groups with at least one trial
	N         int     // trials
	Mean      float64 // grand mean
	// WithinSD and BetweenSD are the estimated standard deviations of the
	// two components; BetweenSD is 0 when the processes differ no more
	// than their trials do (the ANOVA estimate is clamped at 0).
	WithinSD, BetweenSD float64
	BetweenShare        float64 // BetweenSD² / (BetweenSD² + WithinSD²)
	F, PValue           float64 // F test of "no process effect"
}

// SplitVariance computes a VarianceSplit from values and the process each
// came from. It needs at least two processes and more trials than
// processes, so that both components can be estimated.
func SplitVariance(values []float64, process []int) (VarianceSplit, error) {
	if len(values) != len(process) {
		return VarianceSplit{}, fmt.Errorf("%d values but %d process indices", len(values), len(process))
	}
	if err := checkSample("values", values); err != nil {
		return VarianceSplit{}, err
	}
	sum := map[int]float64{}
	count := map[int]int{}
	total := 0.0
	for i, x := range values {
		sum[process[i]] += x
		count[process[i]]++
		total += x
	}
	n, k := len(values), len(count)
	vs := VarianceSplit{Processes: k, N: n, Mean: total / float64(n)}
	if k < 2 {
		return vs, fmt.Errorf("trials from %d process; the split needs at least 2", k)
	}
	if n <= k {
		return vs, fmt.Errorf("%d trials in %d processes; the split needs some process with 2 or more", n, k)
	}
	var ssw, ssb, sumSq float64
	for i, x := range values {
		d := x - sum[process[i]]/float64(count[process[i]])
		ssw += d * d
	}
	for p, c := range count {
		d := sum[p]/float64(c) - vs.Mean
		ssb += float64(c) * d * d
		sumSq += float64(c * c)
	}
	msw := ssw / float64(n-k)
	msb := ssb / float64(k-1)
	// n0 is the effective group size for unequal groups.
	n0 := (float64(n) - sumSq/float64(n)) / float64(k-1)
	between := math.Max(0, (msb-msw)/n0)
	vs.WithinSD = math.Sqrt(msw)
	vs.BetweenSD = math.Sqrt(between)
	if tot := between + msw; tot > 0 {
		vs.BetweenShare = between / tot
	}
	if msw > 0 {
		vs.F = msb / msw
		vs.PValue = distuv.F{D1: float64(k - 1), D2: float64(n - k)}.Survival(vs.F)
	} else {
		vs.F, vs.PValue = math.Inf(1), 0
		if msb == 0 {
			vs.F, vs.PValue = 0, 1
		}
	}
	return vs, nil
}
