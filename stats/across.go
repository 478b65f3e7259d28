package stats

import (
	"errors"
	"fmt"
	"math"
)

// Across sums one variant up over configurations. MeanChangePct is the
// "mean of difference" of the original kernel measurements, the plain
// average of the per-configuration change_pct; GeoMeanChangePct is the
// geometric mean of the ratios as a percent change. Both intervals are
// percentile bootstraps in which every configuration is resampled within
// itself (baseline and variant independently, or as whole pairs of rounds
// with Options.Paired), so configurations with
// noisier samples widen the interval as they should.
type Across struct {
	Configs                                          int
	MeanChangePct, MeanCILoPct, MeanCIHiPct          float64
	GeoMeanChangePct, GeoMeanCILoPct, GeoMeanCIHiPct float64
	Confidence                                       float64
	Warnings                                         []string
}

// Summarize computes Across over pairs (one per configuration, all for the
// same variant) with o.Confidence and o.Resamples. Configuration i is
// resampled with the same stream CompareMany gives item i. It fails when a
// pair is unusable (the error names its Key or index) or when a
// configuration's baseline mean is 0. The geometric mean needs every
// ratio positive; otherwise its fields are NaN and a Warning says why.
func Summarize(pairs []Pair, o Options) (Across, error) {
	o, err := o.normalize()
	if err != nil {
		return Across{}, err
	}
	if len(pairs) == 0 {
		return Across{}, errors.New("summarize: no configurations")
	}
	name := func(i int) string {
		if pairs[i].Key != "" {
			return pairs[i].Key
		}
		return fmt.Sprintf("configuration %d", i+1)
	}
	point := make([]float64, len(pairs))
	for i, p := range pairs {
		if err := checkSample("baseline", p.Baseline); err != nil {
			return Across{}, fmt.Errorf("%s: %w", name(i), err)
		}
		if err := checkSample("variant", p.Variant); err != nil {
			return Across{}, fmt.Errorf("%s: %w", name(i), err)
		}
		sb := sum(p.Baseline)
		if sb == 0 {
			return Across{}, fmt.Errorf("%s: baseline mean is 0, change in percent is undefined", name(i))
		}
		point[i] = ratioPct(sb, float64(len(p.Baseline)), sum(p.Variant), float64(len(p.Variant)))
	}

	// Resample each configuration in parallel, then combine in index
	// order so the sums, and so the result, do not depend on scheduling.
	B := o.Resamples
	res := make([][]float64, len(pairs))
	parallel(len(pairs), func(i int, _ *[]float64) {
		r := newRNG(itemSeed(o.Seed, pairs[i].Key, i))
		res[i] = make([]float64, B)
		if (o.Paired || o.Method == MethodPaired) && len(pairs[i].Baseline) == len(pairs[i].Variant) {
			// Pairs (in round order) are resampled whole, as CompareMany
			// does with Paired, so the summary agrees with the rows.
			resamplePaired(r, pairs[i].Baseline, pairs[i].Variant, res[i])
		} else {
			resampleIndependent(r, pairs[i].Baseline, pairs[i].Variant, res[i])
		}
	})

	a := Across{Configs: len(pairs), Confidence: o.Confidence}
	nan := math.NaN()
	a.GeoMeanChangePct, a.GeoMeanCILoPct, a.GeoMeanCIHiPct = nan, nan, nan
	a.MeanCILoPct, a.MeanCIHiPct = nan, nan
	for _, x := range point {
		a.MeanChangePct += x
	}
	a.MeanChangePct /= float64(len(point))

	geoOK := true
	var logSum float64
	for _, x := range point {
		if !(1+x/100 > 0) {
			geoOK = false
			break
		}
		logSum += math.Log1p(x / 100)
	}

	means := make([]float64, B)
	geos := make([]float64, B)
	meansOK := true
	for k := range B {
		var s, l float64
		for i := range res {
			x := res[i][k]
			s += x
			l += math.Log1p(x / 100)
		}
		means[k] = s / float64(len(res))
		geos[k] = math.Expm1(l/float64(len(res))) * 100
		if !finite(means[k]) {
			meansOK = false
		}
		if !finite(geos[k]) {
			geoOK = false
		}
	}
	if meansOK {
		ci := percentileCI(means, o.Confidence)
		a.MeanCILoPct, a.MeanCIHiPct = ci.lo, ci.hi
	} else {
		a.Warnings = append(a.Warnings, "mean of difference: a resampled baseline mean was 0, no interval")
	}
	if geoOK {
		a.GeoMeanChangePct = math.Expm1(logSum/float64(len(point))) * 100
		ci := percentileCI(geos, o.Confidence)
		a.GeoMeanCILoPct, a.GeoMeanCIHiPct = ci.lo, ci.hi
	} else {
		a.Warnings = append(a.Warnings, "geometric mean: some ratio of means is ≤ 0, undefined")
	}
	if len(pairs) < 2 {
		a.Warnings = append(a.Warnings, "only one configuration")
	}
	return a, nil
}
