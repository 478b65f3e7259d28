package stats

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// Thresholds behind the flags. They are exported so a report can state
// them.
const (
	// BimodalityThreshold is the bimodality coefficient of a uniform
	// distribution, 5/9; values above it suggest more than one mode.
	BimodalityThreshold = 5.0 / 9.0
	// DriftAlpha is the significance level of the trend test over rounds.
	DriftAlpha = 0.01
	// MinSamples is the sample size below which a sample is flagged as
	// small (criterion.rs also asks for 10).
	MinSamples = 10
	// minBimodalityN is the smallest n for which the bimodality
	// coefficient is computed; below it skewness and kurtosis are noise.
	minBimodalityN = 10
)

// Flags records what a mean hides.
type Flags struct {
	// OutliersMild counts values beyond Tukey's inner fences
	// (1.5·IQR outside the quartiles) but within the outer ones;
	// OutliersSevere those beyond 3·IQR.
	OutliersMild, OutliersSevere int
	// BimodalityCoeff is Sarle's (g²+1)/(k+3(n−1)²/((n−2)(n−3))) with the
	// sample-adjusted skewness g and excess kurtosis k of the values inside
	// Tukey's inner fences (outliers are counted separately and would
	// otherwise pass for a second mode); 0 when fewer than 10 such values
	// remain or they are all equal. Heavy skew alone can also raise it.
	BimodalityCoeff float64
	// Multimodal is BimodalityCoeff > BimodalityThreshold.
	Multimodal bool
	// DriftP is the two-sided p-value of the Mann-Kendall trend test of the
	// values over the round index (1 when n < 4); Drift is DriftP <
	// DriftAlpha.
	DriftP float64
	Drift  bool
	// FewSamples is n < MinSamples.
	FewSamples bool
}

// Inspect flags one sample. rounds gives the round index of each value
// (same length as xs); nil means xs is in collection order. Inspect never
// panics; a rounds slice of the wrong length is ignored in favour of the
// collection order.
func Inspect(xs []float64, rounds []int) Flags {
	f := Flags{DriftP: 1, FewSamples: len(xs) < MinSamples}
	if len(xs) == 0 {
		return f
	}
	for _, x := range xs {
		if !finite(x) {
			// Nothing below means anything with a NaN or Inf in it;
			// Compare rejects such input before it gets here.
			return f
		}
	}
	sorted := slices.Clone(xs)
	slices.Sort(sorted)
	q1, q3 := quantileSorted(sorted, 0.25), quantileSorted(sorted, 0.75)
	iqr := q3 - q1
	for _, x := range xs {
		switch {
		case x < q1-3*iqr || x > q3+3*iqr:
			f.OutliersSevere++
		case x < q1-1.5*iqr || x > q3+1.5*iqr:
			f.OutliersMild++
		}
	}
	// The coefficient reads a single far outlier as a second mode (it
	// inflates skewness and kurtosis alike), and outliers are counted
	// above already, so it is computed on the values inside the inner
	// fences.
	inliers := make([]float64, 0, len(xs))
	for _, x := range xs {
		if x >= q1-1.5*iqr && x <= q3+1.5*iqr {
			inliers = append(inliers, x)
		}
	}
	if n := float64(len(inliers)); len(inliers) >= minBimodalityN && !allEqual(inliers) {
		g := stat.Skew(inliers, nil)
		k := stat.ExKurtosis(inliers, nil)
		bc := (g*g + 1) / (k + 3*(n-1)*(n-1)/((n-2)*(n-3)))
		if finite(bc) {
			f.BimodalityCoeff = bc
			f.Multimodal = bc > BimodalityThreshold
		}
	}
	if len(rounds) != len(xs) {
		rounds = nil
	}
	f.DriftP = mannKendall(xs, rounds)
	f.Drift = f.DriftP < DriftAlpha
	return f
}

// mannKendall is the two-sided p-value of the Mann-Kendall trend test:
// S = Σ_{i<j} sign(t_j−t_i)·sign(x_j−x_i) with the time t the round index
// (or the position), its variance corrected for ties in both, the normal
// approximation. It is Kendall's tau between
// time and value, which no gonum function tests. No continuity
// correction is applied, so the p-value equals scipy.stats.kendalltau
// (method="asymptotic") between round and value, the reference it is
// tested against.
func mannKendall(xs []float64, rounds []int) float64 {
	n := len(xs)
	if n < 4 {
		return 1
	}
	times := make([]float64, n)
	for i := range times {
		times[i] = float64(i)
		if rounds != nil {
			times[i] = float64(rounds[i])
		}
	}
	tx := tieSums(slices.Clone(xs))
	tt := tieSums(slices.Clone(times))
	fn := float64(n)
	s := kendallS(times, xs, tx.v1/2, tt.v1/2)
	v := (fn*(fn-1)*(2*fn+5)-tx.v0-tt.v0)/18 +
		tx.v1*tt.v1/(2*fn*(fn-1)) +
		tx.v2*tt.v2/(9*fn*(fn-1)*(fn-2))
	if !(v > 0) {
		return 1
	}
	return math.Erfc(math.Abs(s) / math.Sqrt(v) / math.Sqrt2)
}

// kendallS is Σ_{i<j} sign(t_j−t_i)·sign(x_j−x_i) in O(n log n) by
// Knight's method, as scipy's kendalltau computes it: order by (t, x),
// count the strict inversions of x by merge sort, and correct for the
// pairs tied in t, in x (xTies, tTies: tied pairs) and in both. A double
// loop would make flags on a raw CSV of 10^5 values take seconds.
func kendallS(t, x []float64, xTies, tTies float64) float64 {
	n := len(t)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		if c := cmpFloat(t[a], t[b]); c != 0 {
			return c
		}
		return cmpFloat(x[a], x[b])
	})
	ys := make([]float64, n)
	var both float64
	run := 1
	for k, i := range idx {
		ys[k] = x[i]
		if k > 0 && t[i] == t[idx[k-1]] && x[i] == x[idx[k-1]] {
			run++
		} else {
			both += float64(run * (run - 1) / 2)
			run = 1
		}
	}
	both += float64(run * (run - 1) / 2)
	dis := inversions(ys, make([]float64, n))
	total := float64(n) * float64(n-1) / 2
	return total - xTies - tTies + both - 2*float64(dis)
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// inversions counts pairs i < j with a[i] > a[j] (strictly), sorting a;
// buf is scratch of the same length.
func inversions(a, buf []float64) int {
	if len(a) < 2 {
		return 0
	}
	m := len(a) / 2
	c := inversions(a[:m], buf[:m]) + inversions(a[m:], buf[m:])
	l, r := a[:m], a[m:]
	out := buf[:0]
	i, j := 0, 0
	for i < len(l) && j < len(r) {
		if r[j] < l[i] {
			c += len(l) - i
			out = append(out, r[j])
			j++
		} else {
			out = append(out, l[i])
			i++
		}
	}
	out = append(out, l[i:]...)
	out = append(out, r[j:]...)
	copy(a, out)
	return c
}

type ties struct{ v0, v1, v2 float64 }

// tieSums sums, over groups of t equal values, t(t−1)(2t+5), t(t−1) and
// t(t−1)(t−2). xs is sorted in place.
func tieSums(xs []float64) ties {
	slices.Sort(xs)
	var r ties
	for i := 0; i < len(xs); {
		j := i + 1
		for j < len(xs) && xs[j] == xs[i] {
			j++
		}
		t := float64(j - i)
		r.v0 += t * (t - 1) * (2*t + 5)
		r.v1 += t * (t - 1)
		r.v2 += t * (t - 1) * (t - 2)
		i = j
	}
	return r
}

// mergeFlags combines the flags of both sides of a comparison: counts add
// up, the worse value of each measure is kept.
func mergeFlags(a, b Flags) Flags {
	return Flags{
		OutliersMild:    a.OutliersMild + b.OutliersMild,
		OutliersSevere:  a.OutliersSevere + b.OutliersSevere,
		BimodalityCoeff: math.Max(a.BimodalityCoeff, b.BimodalityCoeff),
		Multimodal:      a.Multimodal || b.Multimodal,
		DriftP:          math.Min(a.DriftP, b.DriftP),
		Drift:           a.Drift || b.Drift,
		FewSamples:      a.FewSamples || b.FewSamples,
	}
}

// Strings returns short human labels for the flags that are raised, e.g.
// "2 severe outliers", "bimodal (BC=0.62)", "drift over rounds (p=0.003)";
// nil when nothing is raised.
func (f Flags) Strings() []string {
	var s []string
	plural := func(n int, what string) string {
		if n == 1 {
			return fmt.Sprintf("1 %s outlier", what)
		}
		return fmt.Sprintf("%d %s outliers", n, what)
	}
	if f.OutliersSevere > 0 {
		s = append(s, plural(f.OutliersSevere, "severe"))
	}
	if f.OutliersMild > 0 {
		s = append(s, plural(f.OutliersMild, "mild"))
	}
	if f.Multimodal {
		s = append(s, fmt.Sprintf("bimodal (BC=%.2f)", f.BimodalityCoeff))
	}
	if f.Drift {
		s = append(s, fmt.Sprintf("drift over rounds (p=%.3g)", f.DriftP))
	}
	if f.FewSamples {
		s = append(s, fmt.Sprintf("few samples (n<%d)", MinSamples))
	}
	return s
}
