package stats

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// tResult is a t statistic with its degrees of freedom and the standard
// error it was formed with, for one difference of means.
type tResult struct {
	diff, se, df float64
}

// p is the two-sided p-value of the t statistic. A zero standard error
// makes any nonzero difference certain (p = 0) and no difference p = 1;
// scipy returns NaN there, a report cannot print that.
func (t tResult) p() float64 {
	if t.se == 0 {
		if t.diff == 0 {
			return 1
		}
		return 0
	}
	return 2 * distuv.StudentsT{Mu: 0, Sigma: 1, Nu: t.df}.Survival(math.Abs(t.diff/t.se))
}

// ci is the interval diff ± q·se in percent of base, ordered lo ≤ hi even
// when base is negative.
func (t tResult) ci(base, confidence float64) interval {
	q := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: t.df}.Quantile(1 - (1-confidence)/2)
	// float64(): no fused multiply-add, so every GOARCH gives the same bits.
	lo := (t.diff - float64(q*t.se)) / base * 100
	hi := (t.diff + float64(q*t.se)) / base * 100
	if lo > hi {
		lo, hi = hi, lo
	}
	return interval{lo: lo, hi: hi, ok: finite(lo) && finite(hi)}
}

// welch is Welch's unequal-variance t for mean(v) − mean(b); both samples
// need n ≥ 2. When both variances are 0 the df is undefined; it is set to
// n_b+n_v−2 so that the (degenerate, zero-width) interval is still formed.
func welch(b, v []float64) tResult {
	nb, nv := float64(len(b)), float64(len(v))
	mb, mv := mean(b), mean(v)
	qb, qv := variance(b, mb)/nb, variance(v, mv)/nv
	se2 := qb + qv
	df := se2 * se2 / (float64(qb*qb)/(nb-1) + float64(qv*qv)/(nv-1))
	if se2 == 0 {
		df = nb + nv - 2
	}
	return tResult{diff: mv - mb, se: math.Sqrt(se2), df: df}
}

// seedT is the interval of the original kernel measurements: Welch's
// standard error with df = n; with unequal sizes the smaller n, which is
// the conservative choice.
func seedT(b, v []float64) tResult {
	t := welch(b, v)
	t.df = float64(min(len(b), len(v)))
	return t
}

// pairedT is the one-sample t on d_i = v_i − b_i, df = n−1; n ≥ 2.
func pairedT(b, v []float64) tResult {
	d := make([]float64, len(b))
	for i := range b {
		d[i] = v[i] - b[i]
	}
	n := float64(len(d))
	m := mean(d)
	return tResult{diff: m, se: math.Sqrt(variance(d, m) / n), df: n - 1}
}
