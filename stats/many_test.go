package stats

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
)

// simulatedPairs draws n configurations with a true change of change%
// each, 40 values per side, normally distributed around throughputs that
// differ per configuration.
func simulatedPairs(n int, change float64, seed uint64) []Pair {
	r := rand.New(rand.NewPCG(seed, 1))
	pairs := make([]Pair, n)
	for i := range pairs {
		mu := 1e5 * (1 + float64(i%7))
		b := make([]float64, 40)
		v := make([]float64, 40)
		for k := range b {
			b[k] = mu * (1 + 0.03*r.NormFloat64())
			v[k] = mu * (1 + change/100) * (1 + 0.03*r.NormFloat64())
		}
		pairs[i] = Pair{Key: fmt.Sprintf("cfg%03d/helper", i), Baseline: b, Variant: v}
	}
	return pairs
}

func bitsOf(c Comparison) [4]uint64 {
	return [4]uint64{math.Float64bits(c.ChangePct), math.Float64bits(c.CILoPct), math.Float64bits(c.CIHiPct), math.Float64bits(c.PValue)}
}

func withProcs(n int, f func()) {
	old := runtime.GOMAXPROCS(n)
	defer runtime.GOMAXPROCS(old)
	f()
}

func TestCompareManyDeterministicUnderParallelism(t *testing.T) {
	pairs := simulatedPairs(24, -2, 3)
	pairs[5].Key = "" // index-derived stream
	o := DefaultOptions()
	o.Seed = 99
	o.Resamples = 2000
	var one, two []Comparison
	var a1, a2 Across
	withProcs(1, func() {
		one, _ = CompareMany(pairs, o)
		a1, _ = Summarize(pairs, o)
	})
	withProcs(2, func() {
		two, _ = CompareMany(pairs, o)
		a2, _ = Summarize(pairs, o)
	})
	for i := range one {
		if bitsOf(one[i]) != bitsOf(two[i]) {
			t.Errorf("item %d: GOMAXPROCS 1 gives %v, 2 gives %v", i, bitsOf(one[i]), bitsOf(two[i]))
		}
	}
	if fmt.Sprintf("%#v", a1) != fmt.Sprintf("%#v", a2) {
		t.Errorf("Summarize: GOMAXPROCS 1 gives %+v, 2 gives %+v", a1, a2)
	}
}

func TestCompareManyMatchesCompareAndKeysAreStable(t *testing.T) {
	pairs := simulatedPairs(3, -2, 4)
	o := DefaultOptions()
	o.Resamples = 1000
	anon := []Pair{{Baseline: pairs[0].Baseline, Variant: pairs[0].Variant}}
	many, errs := CompareMany(anon, o)
	single, err := Compare(pairs[0].Baseline, pairs[0].Variant, o)
	if errs[0] != nil || err != nil {
		t.Fatal(errs[0], err)
	}
	if bitsOf(many[0]) != bitsOf(single) {
		t.Errorf("CompareMany item 0 without key %v != Compare %v", bitsOf(many[0]), bitsOf(single))
	}
	fwd, _ := CompareMany(pairs, o)
	rev, _ := CompareMany([]Pair{pairs[2], pairs[1], pairs[0]}, o)
	if bitsOf(fwd[0]) != bitsOf(rev[2]) {
		t.Error("a keyed configuration's interval depends on its position")
	}
	if bitsOf(fwd[0]) == bitsOf(many[0]) {
		t.Error("keyed and unkeyed items share a stream")
	}
}

func TestCompareManyReportsErrorsPerItem(t *testing.T) {
	pairs := simulatedPairs(3, 0, 5)
	pairs[1].Variant = append([]float64{math.NaN()}, pairs[1].Variant...)
	pairs[2].BaselineRounds = []int{1, 2}
	cs, errs := CompareMany(pairs, Options{Resamples: 500})
	if errs[0] != nil || cs[0].Verdict == "" {
		t.Errorf("item 0: %v %q", errs[0], cs[0].Verdict)
	}
	if errs[1] == nil || !strings.Contains(errs[1].Error(), "cfg001/helper: variant: value 1 is NaN") {
		t.Errorf("item 1: error %v", errs[1])
	}
	if errs[2] == nil || !strings.Contains(errs[2].Error(), "2 round indices for 40 values") {
		t.Errorf("item 2: error %v", errs[2])
	}
}

func TestCompareManyUsesRoundsForDrift(t *testing.T) {
	// Values rising with time, stored out of order: only the round
	// indices reveal the drift.
	n := 40
	b := make([]float64, n)
	rounds := make([]int, n)
	for i := range b {
		round := (i*17)%n + 1
		rounds[i] = round
		b[i] = 1000 + 5*float64(round)
	}
	v := simulatedPairs(1, 0, 6)[0].Variant
	cs, errs := CompareMany([]Pair{{Baseline: b, Variant: v, BaselineRounds: rounds}}, Options{Resamples: 500})
	if errs[0] != nil {
		t.Fatal(errs[0])
	}
	if !cs[0].BaselineFlags.Drift || !cs[0].Flags.Drift || cs[0].VariantFlags.Drift {
		t.Errorf("flags %+v / %+v, want baseline drift only", cs[0].BaselineFlags, cs[0].VariantFlags)
	}
	if Inspect(b, nil).Drift {
		t.Error("shuffled values flagged as drift without rounds")
	}
}

func TestSummarize(t *testing.T) {
	pairs := simulatedPairs(30, -5, 7)
	o := DefaultOptions()
	o.Seed = 5
	a, err := Summarize(pairs, o)
	if err != nil {
		t.Fatal(err)
	}
	cs, _ := CompareMany(pairs, o)
	var mean, logs float64
	for _, c := range cs {
		mean += c.ChangePct
		logs += math.Log(1 + c.ChangePct/100)
	}
	mean /= float64(len(cs))
	geo := (math.Exp(logs/float64(len(cs))) - 1) * 100
	if a.Configs != 30 || !near(a.MeanChangePct, mean, 1e-9) || !near(a.GeoMeanChangePct, geo, 1e-9) {
		t.Errorf("got %+v, want mean %v geomean %v", a, mean, geo)
	}
	if !(a.MeanCILoPct < a.MeanChangePct && a.MeanChangePct < a.MeanCIHiPct) ||
		!(a.GeoMeanCILoPct < a.GeoMeanChangePct && a.GeoMeanChangePct < a.GeoMeanCIHiPct) {
		t.Errorf("estimates outside their intervals: %+v", a)
	}
	// 30 configurations of 40+40 values at 3% noise pin a true −5% down
	// to a few tenths of a percent; the data are seeded, so this is fixed.
	if !(a.MeanCILoPct < -5 && -5 < a.MeanCIHiPct) || a.MeanCIHiPct-a.MeanCILoPct > 1 {
		t.Errorf("mean of difference interval [%v, %v] misses −5%% or is too wide", a.MeanCILoPct, a.MeanCIHiPct)
	}
	if len(a.Warnings) != 0 {
		t.Errorf("warnings %q", a.Warnings)
	}
}

func TestSummarizeErrorsAndWarnings(t *testing.T) {
	if _, err := Summarize(nil, DefaultOptions()); err == nil {
		t.Error("no configurations: no error")
	}
	pairs := simulatedPairs(2, 0, 8)
	pairs[1].Baseline = []float64{}
	if _, err := Summarize(pairs, DefaultOptions()); err == nil || !strings.Contains(err.Error(), "cfg001/helper: baseline: no samples") {
		t.Errorf("empty baseline: error %v", err)
	}
	pairs = simulatedPairs(1, 0, 8)
	pairs[0].Baseline = []float64{-1, 1}
	if _, err := Summarize(pairs, DefaultOptions()); err == nil || !strings.Contains(err.Error(), "baseline mean is 0") {
		t.Errorf("zero baseline mean: error %v", err)
	}
	// A ratio below zero (variant mean negative) leaves the geometric mean
	// undefined: NaN with a warning, and the mean of difference intact.
	pairs = simulatedPairs(2, 0, 9)
	pairs[1].Variant = []float64{-5, -6, -7}
	a, err := Summarize(pairs, Options{Resamples: 500})
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(a.GeoMeanChangePct) || len(a.Warnings) == 0 || math.IsNaN(a.MeanCILoPct) {
		t.Errorf("negative ratio: %+v", a)
	}
}

func TestResamplingAllocatesNothing(t *testing.T) {
	pairs := simulatedPairs(1, 0, 10)
	out := make([]float64, 1000)
	r := newRNG(1)
	if n := testing.AllocsPerRun(10, func() {
		resampleIndependent(r, pairs[0].Baseline, pairs[0].Variant, out)
		resamplePaired(r, pairs[0].Baseline, pairs[0].Variant, out)
	}); n != 0 {
		t.Fatalf("%v allocations per 1000 resamples, want 0", n)
	}
}

func TestCompareManyPairsByRound(t *testing.T) {
	// Baseline rounds 1..5 out of order, variant rounds 2..6: rounds 2..5
	// pair up, and each variant value is its baseline value + 1.
	b := []float64{30, 10, 50, 20, 40}
	rb := []int{3, 1, 5, 2, 4}
	v := []float64{61, 51, 41, 31, 21}
	rv := []int{6, 5, 4, 3, 2}
	cs, errs := CompareMany([]Pair{{Key: "k", Baseline: b, Variant: v, BaselineRounds: rb, VariantRounds: rv}}, Options{Method: MethodPaired})
	if errs[0] != nil {
		t.Fatal(errs[0])
	}
	c := cs[0]
	if c.Baseline.N != 4 || c.Baseline.Mean != 35 || c.Variant.Mean != 36 {
		t.Errorf("aligned summaries %+v / %+v, want n=4, means 35 and 36", c.Baseline, c.Variant)
	}
	if !hasWarning(c, "1 baseline rounds without a variant value dropped") || !hasWarning(c, "1 variant rounds without a baseline value dropped") {
		t.Errorf("warnings %q", c.Warnings)
	}
	if !hasWarning(c, "paired differences all equal") {
		t.Errorf("differences are all 1, warnings %q", c.Warnings)
	}
	_, errs = CompareMany([]Pair{{Key: "k", Baseline: b, Variant: v, BaselineRounds: []int{1, 1, 2, 3, 4}, VariantRounds: rv}}, Options{Method: MethodPaired})
	if errs[0] == nil || !strings.Contains(errs[0].Error(), "k: baseline: round 1 appears twice") {
		t.Errorf("duplicate round: error %v", errs[0])
	}
}

// TestPairedOptionResamplesPairs: Options.Paired in CompareMany is
// ComparePaired (pairs resampled whole), and with noise shared by the two
// sides of a round it gives a much narrower interval than independent
// resampling.
func TestPairedOptionResamplesPairs(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var b, v []float64
	var rounds []int
	for r := 1; r <= 40; r++ {
		shared := 1 + 0.15*rng.NormFloat64() // the machine's slow noise, hits both
		b = append(b, 100*shared*(1+0.005*rng.NormFloat64()))
		v = append(v, 95*shared*(1+0.005*rng.NormFloat64()))
		rounds = append(rounds, r)
	}
	o := DefaultOptions()
	o.Resamples = 4000
	o.Paired = true
	many, errs := CompareMany([]Pair{{Baseline: b, Variant: v, BaselineRounds: rounds, VariantRounds: rounds}}, o)
	if errs[0] != nil {
		t.Fatal(errs[0])
	}
	one, err := ComparePaired(b, v, o)
	if err != nil {
		t.Fatal(err)
	}
	if many[0].CILoPct != one.CILoPct || many[0].CIHiPct != one.CIHiPct || many[0].PValue != one.PValue {
		t.Fatalf("CompareMany with Paired %v..%v p=%v, ComparePaired %v..%v p=%v", many[0].CILoPct, many[0].CIHiPct, many[0].PValue, one.CILoPct, one.CIHiPct, one.PValue)
	}
	o.Paired = false
	indep, _ := CompareMany([]Pair{{Baseline: b, Variant: v}}, o)
	pw, iw := many[0].CIHiPct-many[0].CILoPct, indep[0].CIHiPct-indep[0].CILoPct
	if !(pw < iw/5) || many[0].CILoPct > -4 || many[0].CIHiPct < -6 {
		t.Fatalf("paired [%.2f, %.2f] (width %.2f), independent width %.2f: pairing should cancel the shared noise around -5%%", many[0].CILoPct, many[0].CIHiPct, pw, iw)
	}
}

// TestSummarizePairedAgreesWithOneConfig: for one configuration the
// across-configuration interval is that configuration's, paired or not,
// so a report's summary line never contradicts its only row.
func TestSummarizePairedAgreesWithOneConfig(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	var b, v []float64
	for r := 0; r < 40; r++ {
		shared := 1 + 0.15*rng.NormFloat64()
		b = append(b, 100*shared*(1+0.005*rng.NormFloat64()))
		v = append(v, 95*shared*(1+0.005*rng.NormFloat64()))
	}
	o := DefaultOptions()
	o.Resamples = 4000
	o.Paired = true
	a, err := Summarize([]Pair{{Baseline: b, Variant: v}}, o)
	if err != nil {
		t.Fatal(err)
	}
	o.Method = MethodPercentile
	c, err := ComparePaired(b, v, o)
	if err != nil {
		t.Fatal(err)
	}
	if w, cw := a.MeanCIHiPct-a.MeanCILoPct, c.CIHiPct-c.CILoPct; math.Abs(w-cw) > 0.2*cw {
		t.Fatalf("paired summary of one config: width %.2f; the config's paired percentile interval: %.2f", w, cw)
	}
}
