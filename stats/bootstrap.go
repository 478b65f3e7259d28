package stats

import (
	"math"
	"math/bits"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// The bootstrap statistic throughout is the ratio of means minus one, in
// percent: (mean(v*)/mean(b*) − 1)·100. Every resample only needs the two
// sums, so a resample costs n_b+n_v random indices and additions and
// allocates nothing.

// pcgStream is the second PCG state word; the first is the seed. Items of
// CompareMany vary the first word by key, so this stays fixed.
const pcgStream = 0x9e3779b97f4a7c15

// newRNG returns the generator for one comparison. PCG from math/rand/v2
// is fast, seedable, and has a stable, documented output sequence.
func newRNG(seed uint64) *rand.PCG { return rand.NewPCG(seed, pcgStream) }

// index draws a uniform index below n with Lemire's multiply-shift. The
// bias is n/2^64, far below anything a bootstrap of a few thousand values
// could show, and it avoids the division and the interface call of
// rand.Rand.IntN.
func index(r *rand.PCG, n uint64) uint64 {
	hi, _ := bits.Mul64(r.Uint64(), n)
	return hi
}

// ratioPct is the statistic from two sums; the point estimate and every
// resample go through this one expression so that ties with the point
// estimate are counted exactly as scipy counts them.
func ratioPct(sumB, nB, sumV, nV float64) float64 {
	return ((sumV/nV)/(sumB/nB) - 1) * 100
}

// sumResample is the sum of len(xs) values drawn from xs with
// replacement. One 64-bit PCG output gives two indices (Lemire's
// multiply-shift on each 32-bit half; bias n/2^32, invisible in a
// bootstrap), and two accumulators let the additions overlap.
func sumResample(r *rand.PCG, xs []float64) float64 {
	n := uint64(len(xs))
	if n >= 1<<32 {
		var s float64
		for range n {
			s += xs[index(r, n)]
		}
		return s
	}
	var s0, s1 float64
	i := uint64(0)
	for ; i+1 < n; i += 2 {
		x := r.Uint64()
		s0 += xs[(x&0xffffffff)*n>>32]
		s1 += xs[(x>>32)*n>>32]
	}
	if i < n {
		s0 += xs[index(r, n)]
	}
	return s0 + s1
}

// resampleIndependent fills out with the statistic of len(out) resamples,
// baseline and variant resampled independently.
func resampleIndependent(r *rand.PCG, b, v []float64, out []float64) {
	fb, fv := float64(len(b)), float64(len(v))
	for k := range out {
		sb := sumResample(r, b)
		sv := sumResample(r, v)
		out[k] = ratioPct(sb, fb, sv, fv)
	}
}

// resamplePaired fills out with resamples of whole pairs (b[i], v[i]).
func resamplePaired(r *rand.PCG, b, v []float64, out []float64) {
	n := uint64(len(b))
	v = v[:n]
	fn := float64(n)
	for k := range out {
		var sb, sv float64
		i := uint64(0)
		if n < 1<<32 {
			for ; i+1 < n; i += 2 {
				x := r.Uint64()
				j, l := (x&0xffffffff)*n>>32, (x>>32)*n>>32
				sb += b[j] + b[l]
				sv += v[j] + v[l]
			}
		}
		for ; i < n; i++ {
			j := index(r, n)
			sb += b[j]
			sv += v[j]
		}
		out[k] = ratioPct(sb, fn, sv, fn)
	}
}

// jackknifeAccel is scipy's BCa acceleration: for each sample j in turn,
// leave-one-out values of the statistic with the other sample intact,
// U = (n_j−1)(mean − θ_(i)), a = Σ_j ΣU³/n_j³ / (6 (Σ_j ΣU²/n_j²)^{3/2}).
// paired treats (b[i], v[i]) as one observation. It returns NaN when the
// jackknife has no spread (constant data).
func jackknifeAccel(b, v []float64, paired bool) float64 {
	sb, sv := sum(b), sum(v)
	nb, nv := float64(len(b)), float64(len(v))
	var num, den float64
	add := func(theta []float64) {
		n := float64(len(theta))
		m := mean(theta)
		var s2, s3 float64
		for _, t := range theta {
			u := (n - 1) * (m - t)
			s2 += float64(u * u) // float64(): no fused multiply-add, same bits on every GOARCH
			s3 += float64(u * u * u)
		}
		num += s3 / (n * n * n)
		den += s2 / (n * n)
	}
	if paired {
		theta := make([]float64, len(b))
		for i := range b {
			theta[i] = ratioPct(sb-b[i], nb-1, sv-v[i], nv-1)
		}
		add(theta)
	} else {
		theta := make([]float64, len(b))
		for i, x := range b {
			theta[i] = ratioPct(sb-x, nb-1, sv, nv)
		}
		add(theta)
		theta = make([]float64, len(v))
		for i, x := range v {
			theta[i] = ratioPct(sb, nb, sv-x, nv-1)
		}
		add(theta)
	}
	if den == 0 {
		return math.NaN()
	}
	return num / (6 * math.Pow(den, 1.5))
}

func sum(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s
}

// interval is a two-sided confidence interval with a reason when it could
// not be formed.
type interval struct {
	lo, hi float64
	ok     bool
	why    string
}

// percentileCI is the percentile-bootstrap interval of the resamples
// (any order; reordered).
func percentileCI(res []float64, confidence float64) interval {
	alpha := (1 - confidence) / 2
	return interval{lo: quantileSelect(res, alpha), hi: quantileSelect(res, 1-alpha), ok: true}
}

// bcaCI is the BCa interval of the resamples (any order; reordered)
// around the point estimate theta with acceleration a, computed as
// scipy.stats.bootstrap does.
func bcaCI(res []float64, theta, a, confidence float64) interval {
	B := len(res)
	// scipy's _percentile_of_score: (#(< θ) + #(≤ θ)) / 2B.
	var less, lessEq int
	for _, x := range res {
		if x < theta {
			less++
		}
		if x <= theta {
			lessEq++
		}
	}
	p := float64(less+lessEq) / float64(2*B)
	if p <= 0 || p >= 1 {
		return interval{why: "BCa undefined: every resample lies on one side of the estimate"}
	}
	if math.IsNaN(a) {
		return interval{why: "BCa undefined: the jackknife has no spread"}
	}
	z0 := distuv.UnitNormal.Quantile(p)
	alpha := (1 - confidence) / 2
	zA := distuv.UnitNormal.Quantile(alpha)
	adj := func(z float64) float64 {
		num := z0 + z
		return distuv.UnitNormal.CDF(z0 + num/(1-a*num))
	}
	a1, a2 := adj(zA), adj(-zA)
	if !(a1 >= 0 && a1 <= 1 && a2 >= 0 && a2 <= 1) {
		return interval{why: "BCa undefined: adjusted percentile out of range"}
	}
	return interval{lo: quantileSelect(res, a1), hi: quantileSelect(res, a2), ok: true}
}

// bootstrapCI runs B resamples into buf (reused; grown if short) and
// returns the requested interval and the resamples, or an empty
// slice when some resample was not a number (a resampled baseline mean of
// 0), for which no bootstrap interval exists.
func bootstrapCI(seed uint64, b, v []float64, paired bool, method Method, confidence float64, B int, buf []float64) (interval, []float64) {
	if cap(buf) < B {
		buf = make([]float64, B)
	}
	buf = buf[:B]
	r := newRNG(seed)
	if paired {
		resamplePaired(r, b, v, buf)
	} else {
		resampleIndependent(r, b, v, buf)
	}
	for _, x := range buf {
		if !finite(x) {
			// An empty buffer tells the caller there is nothing to fall
			// back on.
			return interval{why: "bootstrap undefined: a resampled baseline mean was 0"}, buf[:0]
		}
	}
	if method == MethodPercentile {
		return percentileCI(buf, confidence), buf
	}
	theta := ratioPct(sum(b), float64(len(b)), sum(v), float64(len(v)))
	return bcaCI(buf, theta, jackknifeAccel(b, v, paired), confidence), buf
}
