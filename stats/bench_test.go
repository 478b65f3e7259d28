package stats

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// BenchmarkCompareBCa is one default comparison: BCa, B = 10 000,
// n = 40 vs 40.
func BenchmarkCompareBCa(b *testing.B) {
	p := simulatedPairs(1, -3, 1)[0]
	o := DefaultOptions()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compare(p.Baseline, p.Variant, o); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompareMany360 is the seed's matrix: 120 configurations × 3
// variants, each a default BCa comparison, on GOMAXPROCS workers.
func BenchmarkCompareMany360(b *testing.B) {
	pairs := simulatedPairs(360, -3, 2)
	o := DefaultOptions()
	b.ReportAllocs()
	for b.Loop() {
		if _, errs := CompareMany(pairs, o); errs[0] != nil {
			b.Fatal(errs[0])
		}
	}
}

// BenchmarkSummarize120 is the across-configuration summary of one
// variant over the seed's 120 configurations.
func BenchmarkSummarize120(b *testing.B) {
	pairs := simulatedPairs(120, -3, 3)
	o := DefaultOptions()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Summarize(pairs, o); err != nil {
			b.Fatal(err)
		}
	}
}

// coverageModel draws one sample of n values and knows its true mean.
type coverageModel struct {
	name string
	// draw returns baseline and variant samples of size n.
	draw func(r *rand.Rand, n int) (b, v []float64)
	// truth is the true (mean_v/mean_b − 1)·100.
	truth float64
}

func coverageModels() []coverageModel {
	normal := func(mu, sd float64) func(r *rand.Rand) float64 {
		return func(r *rand.Rand) float64 { return mu + sd*r.NormFloat64() }
	}
	lognormal := func(mu, sigma float64) func(r *rand.Rand) float64 {
		return func(r *rand.Rand) float64 { return math.Exp(mu + sigma*r.NormFloat64()) }
	}
	// mixture of N(lo, sd) with probability p and N(hi, sd).
	bimodal := func(p, lo, hi, sd float64) func(r *rand.Rand) float64 {
		return func(r *rand.Rand) float64 {
			if r.Float64() < p {
				return lo + sd*r.NormFloat64()
			}
			return hi + sd*r.NormFloat64()
		}
	}
	two := func(fb, fv func(*rand.Rand) float64) func(r *rand.Rand, n int) ([]float64, []float64) {
		return func(r *rand.Rand, n int) ([]float64, []float64) {
			b, v := make([]float64, n), make([]float64, n)
			for i := range b {
				b[i], v[i] = fb(r), fv(r)
			}
			return b, v
		}
	}
	lnMean := func(mu, sigma float64) float64 { return math.Exp(mu + sigma*sigma/2) }
	return []coverageModel{
		{"normal", two(normal(100, 5), normal(97, 6)), (97.0/100 - 1) * 100},
		{"lognormal", two(lognormal(math.Log(100), 0.3), lognormal(math.Log(97), 0.35)),
			(lnMean(math.Log(97), 0.35)/lnMean(math.Log(100), 0.3) - 1) * 100},
		{"bimodal", two(bimodal(0.5, 90, 110, 2), bimodal(0.6, 88, 108, 2)),
			((0.6*88+0.4*108)/(0.5*90+0.5*110) - 1) * 100},
	}
}

// BenchmarkCoverage is the coverage study, not a speed benchmark: per
// model it simulates 2000 experiments at n = 40 vs 40 and reports the
// share of default 95% BCa intervals that cover the true ratio
// ("cover_%", goal 94–96; its Monte Carlo standard error is about 0.5
// points), and the mean interval width. Run it once:
//
//	go test -run '^$' -bench Coverage -benchtime 1x ./stats
func BenchmarkCoverage(b *testing.B) {
	const experiments, n = 2000, 40
	for _, m := range coverageModels() {
		for _, method := range []Method{MethodBCa, MethodPercentile, MethodT, MethodWelch} {
			b.Run(fmt.Sprintf("%s/%s", m.name, method), func(b *testing.B) {
				r := rand.New(rand.NewPCG(2024, 10))
				pairs := make([]Pair, experiments)
				for i := range pairs {
					pairs[i].Baseline, pairs[i].Variant = m.draw(r, n)
				}
				o := DefaultOptions()
				o.Method = method
				var covered, width float64
				for b.Loop() {
					covered, width = 0, 0
					cs, _ := CompareMany(pairs, o)
					for _, c := range cs {
						if c.CILoPct <= m.truth && m.truth <= c.CIHiPct {
							covered++
						}
						width += c.CIHiPct - c.CILoPct
					}
				}
				b.ReportMetric(100*covered/experiments, "cover_%")
				b.ReportMetric(width/experiments, "width_pct")
			})
		}
	}
}
