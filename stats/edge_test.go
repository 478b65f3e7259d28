package stats

import (
	"math"
	"strings"
	"testing"
)

// printed lists the fields a report prints; none may be NaN unless a
// warning explains it.
func printed(c Comparison) map[string]float64 {
	return map[string]float64{
		"ChangePct": c.ChangePct, "CILoPct": c.CILoPct, "CIHiPct": c.CIHiPct,
		"PValue": c.PValue, "MannWhitneyP": c.MannWhitneyP, "MedianChangePct": c.MedianChangePct,
		"MedianCILoPct": c.MedianCILoPct, "MedianCIHiPct": c.MedianCIHiPct,
		"Baseline.Mean": c.Baseline.Mean, "Baseline.SD": c.Baseline.SD,
		"Variant.Mean": c.Variant.Mean, "Variant.SD": c.Variant.SD,
		"BimodalityCoeff": c.Flags.BimodalityCoeff, "DriftP": c.Flags.DriftP,
	}
}

// checkHonest fails when a NaN is left without a warning, when a
// defined interval is out of order, or when there is no verdict.
func checkHonest(t *testing.T, label string, c Comparison) {
	t.Helper()
	for name, x := range printed(c) {
		if math.IsNaN(x) && len(c.Warnings) == 0 {
			t.Errorf("%s: %s is NaN with no warning", label, name)
		}
	}
	if c.CILoPct > c.CIHiPct {
		t.Errorf("%s: interval [%v, %v] out of order", label, c.CILoPct, c.CIHiPct)
	}
	if math.IsNaN(c.CILoPct) != math.IsNaN(c.CIHiPct) {
		t.Errorf("%s: half-defined interval [%v, %v]", label, c.CILoPct, c.CIHiPct)
	}
	if math.IsNaN(c.CILoPct) && c.Verdict != VerdictUnknown {
		t.Errorf("%s: verdict %q without an interval", label, c.Verdict)
	}
	if c.Verdict == "" {
		t.Errorf("%s: no verdict", label)
	}
}

func hasWarning(c Comparison, sub string) bool {
	for _, w := range c.Warnings {
		if strings.Contains(w, sub) {
			return true
		}
	}
	return false
}

func constant(x float64, n int) []float64 {
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = x
	}
	return xs
}

func TestCompareRejectsUnusableInput(t *testing.T) {
	good := []float64{1, 2, 3}
	cases := []struct {
		name    string
		b, v    []float64
		o       Options
		wantErr string
	}{
		{"nil baseline", nil, good, DefaultOptions(), "baseline: no samples"},
		{"empty variant", good, []float64{}, DefaultOptions(), "variant: no samples"},
		{"NaN in variant", good, []float64{1, 2, math.NaN()}, DefaultOptions(), "variant: value 3 is NaN"},
		{"Inf in baseline", []float64{math.Inf(1), 2}, good, DefaultOptions(), "baseline: value 1 is +Inf"},
		{"overflowing sum", []float64{math.MaxFloat64, math.MaxFloat64}, good, DefaultOptions(), "baseline: values too large"},
		{"confidence 1", good, good, Options{Confidence: 1}, "confidence 1"},
		{"few resamples", good, good, Options{Resamples: 10}, "resamples 10"},
		{"bad method", good, good, Options{Method: "boot"}, `ci method "boot"`},
		{"paired unequal n", good, []float64{1, 2}, Options{Method: MethodPaired}, "pairs need equal n"},
	}
	for _, tc := range cases {
		_, err := Compare(tc.b, tc.v, tc.o)
		if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.wantErr)
		}
	}
	if _, err := ComparePaired(good, []float64{1, 2}, DefaultOptions()); err == nil || !strings.Contains(err.Error(), "pairs need equal n") {
		t.Errorf("ComparePaired with unequal n: error %v", err)
	}
}

func TestCompareSoftProblemsWarn(t *testing.T) {
	base := []float64{100, 102, 98, 101, 99, 100, 103, 97}
	cases := []struct {
		name        string
		b, v        []float64
		wantWarning string
		wantCI      bool // an interval is expected
	}{
		{"n=1 baseline", []float64{100}, base, "baseline: n=1 < 2", false},
		{"n=1 variant", base, []float64{100}, "variant: n=1 < 2", false},
		{"all equal", constant(100, 10), constant(95, 10), "all values equal: the interval has zero width", true},
		{"baseline constant", constant(100, 10), base, "baseline: all 10 values equal", true},
		{"baseline mean 0", []float64{-1, 1, -2, 2}, base, "baseline mean is 0", false},
		{"unequal n", base, base[:5], "unequal n: baseline 8, variant 5", true},
		{"non-positive baseline", []float64{-1, 5, 6, 7}, base, "baseline has values ≤ 0", true},
		{"n=2 both", []float64{1, 2}, []float64{3, 4}, "median cross-check: no interval", true},
	}
	for _, tc := range cases {
		for _, m := range Methods {
			if m == MethodPaired && len(tc.b) != len(tc.v) {
				continue
			}
			o := DefaultOptions()
			o.Method = m
			c, err := Compare(tc.b, tc.v, o)
			label := tc.name + "/" + string(m)
			if err != nil {
				t.Errorf("%s: unexpected error %v", label, err)
				continue
			}
			checkHonest(t, label, c)
			if !hasWarning(c, tc.wantWarning) {
				t.Errorf("%s: warnings %q, want one containing %q", label, c.Warnings, tc.wantWarning)
			}
			if got := !math.IsNaN(c.CILoPct); got != tc.wantCI {
				t.Errorf("%s: interval [%v, %v], want defined=%v (warnings %q)", label, c.CILoPct, c.CIHiPct, tc.wantCI, c.Warnings)
			}
		}
	}
}

func TestAllEqualGivesZeroWidthAtTheChange(t *testing.T) {
	for _, m := range Methods {
		o := DefaultOptions()
		o.Method = m
		c, err := Compare(constant(200, 40), constant(190, 40), o)
		if err != nil {
			t.Fatal(err)
		}
		if c.CILoPct != c.ChangePct || c.CIHiPct != c.ChangePct || !near(c.ChangePct, -5, 1e-12) {
			t.Errorf("%s: change %v [%v, %v], want -5 [-5, -5]", m, c.ChangePct, c.CILoPct, c.CIHiPct)
		}
		if c.Verdict != VerdictSlower {
			t.Errorf("%s: verdict %q, want slower", m, c.Verdict)
		}
		if c.PValue != 0 {
			t.Errorf("%s: p %v, want 0 for a certain difference", m, c.PValue)
		}
	}
	c, _ := Compare(constant(7, 5), constant(7, 5), DefaultOptions())
	if c.Verdict != VerdictNoChange || c.PValue != 1 || c.MannWhitneyP != 1 {
		t.Errorf("identical constants: verdict %q p %v U p %v, want no change, 1, 1", c.Verdict, c.PValue, c.MannWhitneyP)
	}
}

func TestPairedConstantDifferenceWarns(t *testing.T) {
	c, err := ComparePaired(smallBase, smallBase[:len(smallBase):len(smallBase)], Options{Method: MethodT})
	if err != nil {
		t.Fatal(err)
	}
	if !hasWarning(c, "paired differences all equal") || c.CILoPct != 0 || c.CIHiPct != 0 {
		t.Errorf("paired identical: [%v, %v] warnings %q", c.CILoPct, c.CIHiPct, c.Warnings)
	}
}

func TestVerdictAgainstNoiseBand(t *testing.T) {
	cases := []struct {
		lo, hi float64
		want   Verdict
	}{
		{-3, 2, VerdictNoChange},
		{0, 2, VerdictNoChange},
		{1.5, 4, VerdictFaster},
		{0.5, 4, VerdictWithinNoise},
		{-4, -1.5, VerdictSlower},
		{-4, -0.5, VerdictWithinNoise},
		{-0.8, -0.2, VerdictWithinNoise},
	}
	for _, tc := range cases {
		if got := verdict(tc.lo, tc.hi, 1); got != tc.want {
			t.Errorf("verdict(%v, %v, 1%%) = %q, want %q", tc.lo, tc.hi, got, tc.want)
		}
	}
}

func TestVerdictUsesNoiseThresholdOption(t *testing.T) {
	o := DefaultOptions()
	o.NoiseThreshold = 10
	c, err := Compare(smallBase, smallVariant, o)
	if err != nil {
		t.Fatal(err)
	}
	if c.Verdict != VerdictWithinNoise {
		t.Errorf("−5%% with a 10%% noise band: verdict %q, want within noise", c.Verdict)
	}
}
