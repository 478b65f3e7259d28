package stats

import (
	"math"
	"slices"

	"golang.org/x/perf/benchmath"
)

// Summary describes one sample. SD is the sample standard deviation
// (n−1 in the denominator) and 0 when n < 2. MedianLo and MedianHi are the
// distribution-free confidence interval of the median from benchmath
// (AssumeNothing) at the level Describe was asked for; they are ±Inf when
// the sample is too small for one.
type Summary struct {
	N                  int
	Mean, SD, Median   float64
	Min, Max           float64
	MedianLo, MedianHi float64
	MedianConfidence   float64
}

// Describe summarizes xs (any order; xs is not modified) with a 95% median
// interval. An empty sample gives the zero Summary.
func Describe(xs []float64) Summary {
	return describe(xs, 0.95)
}

func describe(xs []float64, confidence float64) Summary {
	if len(xs) == 0 {
		return Summary{}
	}
	sorted := slices.Clone(xs)
	slices.Sort(sorted)
	s := Summary{N: len(xs), Min: sorted[0], Max: sorted[len(sorted)-1]}
	s.Mean = mean(xs)
	if len(xs) >= 2 {
		s.SD = math.Sqrt(variance(xs, s.Mean))
	}
	// benchmath sorts in place; it gets our private copy.
	ms := benchmath.AssumeNothing.Summary(benchmath.NewSample(sorted, &benchmath.DefaultThresholds), confidence)
	s.Median, s.MedianLo, s.MedianHi, s.MedianConfidence = ms.Center, ms.Lo, ms.Hi, ms.Confidence
	if len(xs) == 1 {
		s.Median = xs[0]
	}
	return s
}

// mean is the plain sum/n; Kahan summation is not needed at the sizes and
// magnitudes of throughput samples, and the reference values are computed
// the same way.
func mean(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// variance is the unbiased sample variance around m; two-pass, so it is
// exact for constant samples.
func variance(xs []float64, m float64) float64 {
	var ss, c float64
	for _, x := range xs {
		d := x - m
		ss += float64(d * d) // float64(): no fused multiply-add, same bits on every GOARCH
		c += d
	}
	n := float64(len(xs))
	return (ss - float64(c*c)/n) / (n - 1)
}

// quantileSorted is the linear-interpolation quantile of sorted data at
// position p·(n−1): numpy's default and R's type 7, which scipy's
// bootstrap uses. gonum's LinInterp is a different definition (type 4)
// and scans linearly, so this one is written out. p must be in [0,1].
func quantileSorted(sorted []float64, p float64) float64 {
	h := p * float64(len(sorted)-1)
	i := int(math.Floor(h))
	if i >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	if i < 0 {
		return sorted[0]
	}
	lo, hi := sorted[i], sorted[i+1]
	if lo == hi {
		return lo
	}
	// numpy's _lerp form, so the reference values match to the last bit
	// wherever possible.
	t := h - float64(i)
	d := hi - lo
	if t >= 0.5 {
		return hi - float64(d*(1-t))
	}
	return lo + float64(d*t)
}

func isInf(x float64) bool { return math.IsInf(x, 0) }

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }
