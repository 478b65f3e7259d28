package stats

import (
	"fmt"
	"hash/fnv"
	"math"
	"runtime"
	"slices"
	"sync"

	"golang.org/x/perf/benchmath"
)

// Verdict is the one-word reading of a comparison, in the manner of
// criterion.rs. On throughput, faster means the variant's mean is higher.
type Verdict string

// The verdicts. A change is significant when the interval excludes 0; it
// is then faster or slower only if the whole interval lies beyond the
// noise threshold, otherwise it is within noise.
const (
	// VerdictSlower: the whole interval lies below −NoiseThreshold.
	VerdictSlower Verdict = "slower"
	// VerdictFaster: the whole interval lies above +NoiseThreshold.
	VerdictFaster Verdict = "faster"
	// VerdictNoChange: the interval contains 0.
	VerdictNoChange Verdict = "no change"
	// VerdictWithinNoise: the interval excludes 0 but reaches inside the
	// noise band.
	VerdictWithinNoise Verdict = "within noise"
	// VerdictUnknown is given when no interval could be formed; Warnings
	// says why.
	VerdictUnknown Verdict = "unknown"
)

// Comparison is one variant against the baseline. Percentages are
// (variant/baseline − 1)·100 on the means, so on throughput negative means
// slower. A field is NaN only when a Warning explains why (for example
// the baseline mean is 0, or a side has n < 2).
type Comparison struct {
	Baseline, Variant Summary
	ChangePct         float64 // (mean_v/mean_b − 1)×100
	CILoPct, CIHiPct  float64 // interval for ChangePct by Method at Confidence
	Method            Method  // the method actually used (BCa falls back to percentile when undefined)
	Confidence        float64
	PValue            float64 // Welch t-test, two-sided (paired t-test in ComparePaired)
	MannWhitneyP      float64 // Mann-Whitney U, two-sided, from benchmath AssumeNothing
	// MedianChangePct is (median_v/median_b − 1)×100. Its interval combines
	// benchmath's distribution-free median intervals of each side, each at
	// level √Confidence, so that it covers with at least Confidence.
	MedianChangePct              float64
	MedianCILoPct, MedianCIHiPct float64
	Verdict                      Verdict
	Flags                        Flags // both sides merged: counts added, worst value kept
	BaselineFlags, VariantFlags  Flags
	Warnings                     []string // e.g. "baseline: n=1 < 2", "all values equal"
}

// Compare compares variant against baseline, the two treated as
// independent samples. It returns an error only for unusable input (an
// empty side, a NaN or ±Inf, invalid Options); soft problems become
// Warnings. Values are read in collection order for the drift flag.
//
// Compare(b, v, o) gives exactly item 0 of CompareMany with an empty Key.
func Compare(baseline, variant []float64, o Options) (Comparison, error) {
	var sc []float64
	return compare(baseline, variant, nil, nil, o, false, itemSeed(o.Seed, "", 0), &sc)
}

// ComparePaired compares samples collected in interleaved rounds, pairing
// baseline[i] with variant[i] (same length, same order). Bootstrap methods
// resample whole pairs; the t methods become the paired t-interval
// (df = n−1), and PValue is the paired t-test.
func ComparePaired(baseline, variant []float64, o Options) (Comparison, error) {
	var sc []float64
	return compare(baseline, variant, nil, nil, o, true, itemSeed(o.Seed, "", 0), &sc)
}

// Pair is one comparison for CompareMany and Summarize. Rounds, when
// given, are the round index of each value (same length as the values)
// for the drift flag; nil means the values are in collection order.
type Pair struct {
	Key               string
	Baseline, Variant []float64
	BaselineRounds    []int
	VariantRounds     []int
}

// CompareMany runs Compare on every pair on GOMAXPROCS workers. Item i's
// random stream derives from (o.Seed, Key), or (o.Seed, i) when Key is
// empty, so results are bit-identical however the work is scheduled, and
// a keyed configuration gets the same interval whichever other
// configurations are reported with it. With o.Method == MethodPaired the
// pairs are compared as in ComparePaired; when both sides carry Rounds,
// values are paired by round number rather than by position, and rounds
// only one side has are dropped with a warning. errs[i] is non-nil when
// item i was unusable; its Comparison is then zero.
func CompareMany(pairs []Pair, o Options) ([]Comparison, []error) {
	out := make([]Comparison, len(pairs))
	errs := make([]error, len(pairs))
	parallel(len(pairs), func(i int, sc *[]float64) {
		p := pairs[i]
		var c Comparison
		var err error
		var dropped []string
		paired := o.Method == MethodPaired || o.Paired
		if paired && p.BaselineRounds != nil && p.VariantRounds != nil {
			p, dropped, err = alignRounds(p)
		}
		if err == nil {
			c, err = compare(p.Baseline, p.Variant, p.BaselineRounds, p.VariantRounds, o, o.Paired, itemSeed(o.Seed, p.Key, i), sc)
			c.Warnings = append(c.Warnings, dropped...)
		}
		if err != nil && p.Key != "" {
			err = fmt.Errorf("%s: %w", p.Key, err)
		}
		out[i], errs[i] = c, err
	})
	return out, errs
}

// alignRounds pairs the values of p by round number, in round order,
// keeping the rounds both sides have. A round that appears twice on one
// side makes the pairing ambiguous and is an error.
func alignRounds(p Pair) (Pair, []string, error) {
	index := func(side string, xs []float64, rounds []int) (map[int]int, error) {
		if len(rounds) != len(xs) {
			return nil, fmt.Errorf("%s: %d round indices for %d values", side, len(rounds), len(xs))
		}
		m := make(map[int]int, len(rounds))
		for i, r := range rounds {
			if _, dup := m[r]; dup {
				return nil, fmt.Errorf("%s: round %d appears twice; cannot pair by round", side, r)
			}
			m[r] = i
		}
		return m, nil
	}
	bi, err := index("baseline", p.Baseline, p.BaselineRounds)
	if err != nil {
		return p, nil, err
	}
	vi, err := index("variant", p.Variant, p.VariantRounds)
	if err != nil {
		return p, nil, err
	}
	var rounds []int
	for r := range bi {
		if _, ok := vi[r]; ok {
			rounds = append(rounds, r)
		}
	}
	slices.Sort(rounds)
	q := Pair{Key: p.Key, BaselineRounds: rounds, VariantRounds: rounds}
	for _, r := range rounds {
		q.Baseline = append(q.Baseline, p.Baseline[bi[r]])
		q.Variant = append(q.Variant, p.Variant[vi[r]])
	}
	var warnings []string
	if d := len(bi) - len(rounds); d > 0 {
		warnings = append(warnings, fmt.Sprintf("paired: %d baseline rounds without a variant value dropped", d))
	}
	if d := len(vi) - len(rounds); d > 0 {
		warnings = append(warnings, fmt.Sprintf("paired: %d variant rounds without a baseline value dropped", d))
	}
	return q, warnings, nil
}

// parallel calls f(i) for i in [0,n) on GOMAXPROCS goroutines, each with
// its own scratch buffer so that resampling allocates once per worker.
func parallel(n int, f func(i int, scratch *[]float64)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var sc []float64
			for i := range next {
				f(i, &sc)
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// itemSeed mixes the item identity into the seed with SplitMix64 so that
// neighbouring keys or indices get unrelated streams.
func itemSeed(seed uint64, key string, i int) uint64 {
	id := uint64(i)
	if key != "" {
		h := fnv.New64a()
		h.Write([]byte(key))
		id = h.Sum64()
	}
	return splitmix64(seed ^ splitmix64(id))
}

func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// checkSample rejects what no statistic can use, naming the side.
func checkSample(side string, xs []float64) error {
	if len(xs) == 0 {
		return fmt.Errorf("%s: no samples", side)
	}
	for i, x := range xs {
		if math.IsNaN(x) {
			return fmt.Errorf("%s: value %d is NaN", side, i+1)
		}
		if math.IsInf(x, 0) {
			return fmt.Errorf("%s: value %d is %v", side, i+1, x)
		}
	}
	// Throughput never comes near this, but a sum that overflows would
	// turn every statistic into a silent NaN.
	s := sum(xs)
	if !finite(s) || (len(xs) > 1 && !finite(variance(xs, s/float64(len(xs))))) {
		return fmt.Errorf("%s: values too large in magnitude (|x| ≳ 1e150) to summarise", side)
	}
	return nil
}

func allEqual(xs []float64) bool {
	for _, x := range xs {
		if x != xs[0] {
			return false
		}
	}
	return true
}

func compare(b, v []float64, rb, rv []int, o Options, paired bool, seed uint64, sc *[]float64) (Comparison, error) {
	o, err := o.normalize()
	if err != nil {
		return Comparison{}, err
	}
	if err := checkSample("baseline", b); err != nil {
		return Comparison{}, err
	}
	if err := checkSample("variant", v); err != nil {
		return Comparison{}, err
	}
	if o.Method == MethodPaired {
		paired = true
	}
	if paired && len(b) != len(v) {
		return Comparison{}, fmt.Errorf("paired comparison: baseline has n=%d, variant n=%d; pairs need equal n", len(b), len(v))
	}
	if rb != nil && len(rb) != len(b) {
		return Comparison{}, fmt.Errorf("baseline: %d round indices for %d values", len(rb), len(b))
	}
	if rv != nil && len(rv) != len(v) {
		return Comparison{}, fmt.Errorf("variant: %d round indices for %d values", len(rv), len(v))
	}

	c := Comparison{
		Baseline:   describe(b, o.Confidence),
		Variant:    describe(v, o.Confidence),
		Method:     o.Method,
		Confidence: o.Confidence,
	}
	warn := func(format string, args ...any) { c.Warnings = append(c.Warnings, fmt.Sprintf(format, args...)) }
	nan := math.NaN()
	c.ChangePct, c.CILoPct, c.CIHiPct, c.PValue = nan, nan, nan, nan
	c.MannWhitneyP, c.MedianChangePct, c.MedianCILoPct, c.MedianCIHiPct = nan, nan, nan, nan

	small := false
	for _, s := range []struct {
		name string
		xs   []float64
	}{{"baseline", b}, {"variant", v}} {
		if len(s.xs) < 2 {
			warn("%s: n=%d < 2: no interval and no t-test", s.name, len(s.xs))
			small = true
		} else if len(s.xs) < MinSamples {
			warn("%s: only %d samples, fewer than %d", s.name, len(s.xs), MinSamples)
		}
		if len(s.xs) >= 2 && allEqual(s.xs) {
			warn("%s: all %d values equal", s.name, len(s.xs))
		}
	}
	if !paired && len(b) != len(v) {
		warn("unequal n: baseline %d, variant %d", len(b), len(v))
	}
	if c.Baseline.Min <= 0 && c.Baseline.Mean != 0 {
		warn("baseline has values ≤ 0: a ratio of means is fragile")
	}

	// Tests first: they do not need a nonzero baseline mean.
	if !small {
		if paired {
			c.PValue = pairedT(b, v).p()
		} else {
			c.PValue = welch(b, v).p()
		}
	}
	c.MannWhitneyP = mannWhitney(b, v, &c)

	c.BaselineFlags = Inspect(b, rb)
	c.VariantFlags = Inspect(v, rv)
	c.Flags = mergeFlags(c.BaselineFlags, c.VariantFlags)

	c.Verdict = VerdictUnknown
	if c.Baseline.Mean == 0 {
		warn("baseline mean is 0: change in percent is undefined")
		return c, nil
	}
	c.ChangePct = ratioPct(sum(b), float64(len(b)), sum(v), float64(len(v)))
	medianChange(b, v, o.Confidence, &c)
	if small {
		return c, nil
	}

	var ci interval
	switch {
	case allEqual(b) && allEqual(v):
		// Every resample and every t bound equals the estimate; say so
		// rather than let BCa divide by a zero spread.
		ci = interval{lo: c.ChangePct, hi: c.ChangePct, ok: true}
		warn("all values equal: the interval has zero width")
	case o.Method == MethodBCa || o.Method == MethodPercentile:
		ci, *sc = bootstrapCI(seed, b, v, paired, o.Method, o.Confidence, o.Resamples, *sc)
		if !ci.ok && o.Method == MethodBCa && len(*sc) == o.Resamples {
			warn("%s; percentile interval given instead", ci.why)
			ci = percentileCI(*sc, o.Confidence)
			c.Method = MethodPercentile
		}
	case paired:
		pt := pairedT(b, v)
		ci = pt.ci(c.Baseline.Mean, o.Confidence)
		c.Method = MethodPaired
		if pt.se == 0 {
			warn("paired differences all equal: the interval has zero width")
		}
	case o.Method == MethodT:
		ci = seedT(b, v).ci(c.Baseline.Mean, o.Confidence)
	case o.Method == MethodWelch:
		ci = welch(b, v).ci(c.Baseline.Mean, o.Confidence)
	}
	if !ci.ok {
		if ci.why == "" {
			ci.why = "interval undefined"
		}
		warn("%s", ci.why)
		return c, nil
	}
	c.CILoPct, c.CIHiPct = ci.lo, ci.hi
	c.Verdict = verdict(ci.lo, ci.hi, o.NoiseThreshold)
	return c, nil
}

// verdict reads an interval for the change in percent against a noise
// band of ±noise percent.
func verdict(lo, hi, noise float64) Verdict {
	switch {
	case lo <= 0 && hi >= 0:
		return VerdictNoChange
	case lo > noise:
		return VerdictFaster
	case hi < -noise:
		return VerdictSlower
	}
	return VerdictWithinNoise
}

// mannWhitney is benchmath's U-test; its warnings are passed on.
func mannWhitney(b, v []float64, c *Comparison) float64 {
	t := &benchmath.DefaultThresholds
	r := benchmath.AssumeNothing.Compare(benchmath.NewSample(clone(b), t), benchmath.NewSample(clone(v), t))
	for _, w := range r.Warnings {
		c.Warnings = append(c.Warnings, "mann-whitney: "+w.Error())
	}
	if !finite(r.P) {
		c.Warnings = append(c.Warnings, "mann-whitney: no p-value")
		return math.NaN()
	}
	return r.P
}

// medianChange fills the median cross-check. Each side's median interval
// is taken at level √confidence; both cover together with probability at
// least confidence, and then the ratio interval below covers too.
func medianChange(b, v []float64, confidence float64, c *Comparison) {
	level := math.Sqrt(confidence)
	t := &benchmath.DefaultThresholds
	sb := benchmath.AssumeNothing.Summary(benchmath.NewSample(clone(b), t), level)
	sv := benchmath.AssumeNothing.Summary(benchmath.NewSample(clone(v), t), level)
	if sb.Center == 0 {
		c.Warnings = append(c.Warnings, "median cross-check: baseline median is 0")
		return
	}
	c.MedianChangePct = (sv.Center/sb.Center - 1) * 100
	if !(sb.Lo > 0) || !finite(sb.Hi) || !finite(sv.Lo) || !finite(sv.Hi) {
		c.Warnings = append(c.Warnings, "median cross-check: no interval (too few samples or baseline values ≤ 0)")
		return
	}
	// The ratio x/y over the rectangle [sv.Lo,sv.Hi]×[sb.Lo,sb.Hi] with
	// y > 0 has its extremes at the corners.
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range []float64{sv.Lo, sv.Hi} {
		for _, y := range []float64{sb.Lo, sb.Hi} {
			lo, hi = math.Min(lo, x/y), math.Max(hi, x/y)
		}
	}
	c.MedianCILoPct = (lo - 1) * 100
	c.MedianCIHiPct = (hi - 1) * 100
}

func clone(xs []float64) []float64 { return append([]float64(nil), xs...) }
