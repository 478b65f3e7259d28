package stats

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestInspectCountsTukeyOutliers(t *testing.T) {
	xs := make([]float64, 0, 24)
	for i := 1; i <= 20; i++ {
		xs = append(xs, float64(i))
	}
	xs = append(xs, 30, -10, 44, 100)
	// numpy.percentile: Q1 = 5.75, Q3 = 17.25, IQR = 11.5; inner fences
	// −11.5 and 34.5, outer −28.75 and 51.75. So 30 and −10 are inside,
	// 44 is mild, 100 severe.
	sorted := slices.Sorted(slices.Values(xs))
	if q1, q3 := quantileSorted(sorted, 0.25), quantileSorted(sorted, 0.75); q1 != 5.75 || q3 != 17.25 {
		t.Fatalf("quartiles %v %v, want numpy's 5.75 17.25", q1, q3)
	}
	f := Inspect(xs, nil)
	if f.OutliersMild != 1 || f.OutliersSevere != 1 {
		t.Errorf("got %d mild %d severe, want 1 (44) and 1 (100): %+v", f.OutliersMild, f.OutliersSevere, f)
	}
}

func TestInspectSmallAndDegenerate(t *testing.T) {
	for _, xs := range [][]float64{nil, {1}, {1, 2}, {3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3}, {1, 2, 3}} {
		f := Inspect(xs, nil)
		if f.DriftP != 1 && len(xs) < 4 {
			t.Errorf("%v: DriftP %v, want 1 below n=4", xs, f.DriftP)
		}
		if math.IsNaN(f.BimodalityCoeff) || math.IsNaN(f.DriftP) || f.Multimodal || f.Drift {
			t.Errorf("%v: %+v", xs, f)
		}
		if f.FewSamples != (len(xs) < MinSamples) {
			t.Errorf("%v: FewSamples %v", xs, f.FewSamples)
		}
	}
	// Rounds of the wrong length fall back to collection order.
	if f := Inspect([]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, []int{1}); !f.Drift {
		t.Errorf("rising values with a bad rounds slice: %+v", f)
	}
}

func TestFlagsStrings(t *testing.T) {
	if s := (Flags{DriftP: 1}).Strings(); s != nil {
		t.Errorf("nothing raised: %q", s)
	}
	got := Flags{OutliersSevere: 2, OutliersMild: 1, BimodalityCoeff: 0.6234, Multimodal: true, DriftP: 0.00312, Drift: true, FewSamples: true}.Strings()
	want := []string{"2 severe outliers", "1 mild outlier", "bimodal (BC=0.62)", "drift over rounds (p=0.00312)", "few samples (n<10)"}
	if !slices.Equal(got, want) {
		t.Errorf("Strings() = %q, want %q", got, want)
	}
}

func TestMergeFlagsKeepsTheWorse(t *testing.T) {
	a := Flags{OutliersMild: 1, BimodalityCoeff: 0.3, DriftP: 0.5}
	b := Flags{OutliersMild: 2, OutliersSevere: 1, BimodalityCoeff: 0.7, Multimodal: true, DriftP: 0.001, Drift: true}
	m := mergeFlags(a, b)
	if m.OutliersMild != 3 || m.OutliersSevere != 1 || m.BimodalityCoeff != 0.7 || !m.Multimodal || m.DriftP != 0.001 || !m.Drift || m.FewSamples {
		t.Errorf("merge = %+v", m)
	}
}

func TestAdjustNaNAndNone(t *testing.T) {
	p := []float64{0.01, math.NaN(), 0.04, 0.03}
	holm := Adjust(p, CorrectionHolm)
	// NaN does not count: m = 3, as R's p.adjust with NA.
	want := []float64{0.03, math.NaN(), 0.06, 0.06}
	for i := range want {
		if !(near(holm[i], want[i], 1e-15) || math.IsNaN(want[i]) && math.IsNaN(holm[i])) {
			t.Errorf("holm[%d] = %v, want %v", i, holm[i], want[i])
		}
	}
	bh := Adjust(p, CorrectionBH)
	wantBH := []float64{0.03, math.NaN(), 0.04, 0.04}
	for i := range wantBH {
		if !(near(bh[i], wantBH[i], 1e-15) || math.IsNaN(wantBH[i]) && math.IsNaN(bh[i])) {
			t.Errorf("bh[%d] = %v, want %v", i, bh[i], wantBH[i])
		}
	}
	none := Adjust(p, CorrectionNone)
	if none[0] != 0.01 || none[3] != 0.03 {
		t.Errorf("none changed p: %v", none)
	}
	none[0] = 1
	if p[0] != 0.01 {
		t.Error("Adjust(none) returned its input slice")
	}
	if len(Adjust(nil, CorrectionHolm)) != 0 {
		t.Error("Adjust(nil) not empty")
	}
}

func TestSelectionMatchesSort(t *testing.T) {
	r := newRNG(3)
	for _, n := range []int{1, 2, 3, 10, 101, 1000} {
		for _, distinct := range []uint64{2, 5, 1 << 40} {
			a := make([]float64, n)
			for i := range a {
				a[i] = float64(r.Uint64() % distinct)
			}
			sorted := slices.Sorted(slices.Values(a))
			for _, p := range []float64{0, 0.025, 0.1, 0.5, 0.975, 1} {
				if got, want := quantileSelect(slices.Clone(a), p), quantileSorted(sorted, p); got != want {
					t.Errorf("n=%d distinct=%d p=%v: select %v, sort %v", n, distinct, p, got, want)
				}
			}
		}
	}
}

// TestKendallSMatchesDoubleLoop checks the O(n log n) trend statistic
// against its definition.
func TestKendallSMatchesDoubleLoop(t *testing.T) {
	r := newRNG(8)
	for _, n := range []int{2, 3, 4, 7, 40, 257} {
		for _, distinct := range []uint64{1, 3, 1000} {
			ts, xs := make([]float64, n), make([]float64, n)
			for i := range xs {
				ts[i] = float64(r.Uint64() % (distinct + 2))
				xs[i] = float64(r.Uint64() % distinct)
			}
			var want float64
			for i := range n {
				for j := i + 1; j < n; j++ {
					want += sign(ts[j]-ts[i]) * sign(xs[j]-xs[i])
				}
			}
			tx, tt := tieSums(slices.Clone(xs)), tieSums(slices.Clone(ts))
			if got := kendallS(ts, xs, tx.v1/2, tt.v1/2); got != want {
				t.Errorf("n=%d distinct=%d: S = %v, double loop %v", n, distinct, got, want)
			}
		}
	}
}

// TestFlagRates checks how often the flags fire on the coverage study's
// models (seeded, so the counts are fixed): rarely on unimodal data,
// nearly always on the well-separated bimodal mixture, and drift at about
// its nominal 1% on data without any.
func TestFlagRates(t *testing.T) {
	const samples = 500
	for _, m := range coverageModels() {
		r := rand.New(rand.NewPCG(1, 2))
		var multimodal, drift int
		for range samples {
			b, _ := m.draw(r, 40)
			f := Inspect(b, nil)
			if f.Multimodal {
				multimodal++
			}
			if f.Drift {
				drift++
			}
		}
		mm, dr := 100*float64(multimodal)/samples, 100*float64(drift)/samples
		t.Logf("%s: multimodal %.1f%%, drift %.1f%%", m.name, mm, dr)
		if m.name == "bimodal" && mm < 95 || m.name != "bimodal" && mm > 3 {
			t.Errorf("%s: multimodal flagged in %.1f%% of samples", m.name, mm)
		}
		if dr > 3 {
			t.Errorf("%s: drift flagged in %.1f%% of samples without drift", m.name, dr)
		}
	}
}

// sign is the brute-force Kendall reference's sign function.
func sign(x float64) float64 {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}
