package stats

import (
	"encoding/json"
	"math"
	"os"
	"slices"
	"testing"
)

// reference is testdata/reference.json, written by
// testdata/make_reference.py with scipy; see that script for how each
// value is computed.
type reference struct {
	Scipy       string `json:"scipy"`
	Resamples   int    `json:"resamples"`
	Comparisons []struct {
		Name       string     `json:"name"`
		Confidence float64    `json:"confidence"`
		Baseline   []float64  `json:"baseline"`
		Variant    []float64  `json:"variant"`
		ChangePct  float64    `json:"change_pct"`
		MeanB      float64    `json:"mean_b"`
		SDB        float64    `json:"sd_b"`
		MedianB    float64    `json:"median_b"`
		BCa        [2]float64 `json:"bca"`
		Percentile [2]float64 `json:"percentile"`
		T          [2]float64 `json:"t"`
		Welch      [2]float64 `json:"welch"`
		WelchP     float64    `json:"welch_p"`
		MWP        float64    `json:"mannwhitney_p"`
		PairedBCa  []float64  `json:"paired_bca"`
		PairedT    []float64  `json:"paired_t"`
		PairedP    *float64   `json:"paired_p"`
	} `json:"comparisons"`
	Across struct {
		Keys       []string   `json:"keys"`
		Confidence float64    `json:"confidence"`
		Mean       float64    `json:"mean"`
		MeanCI     [2]float64 `json:"mean_ci"`
		GeoMean    float64    `json:"geomean"`
		GeoMeanCI  [2]float64 `json:"geomean_ci"`
	} `json:"across"`
	Adjust []struct {
		P    []float64 `json:"p"`
		Holm []float64 `json:"holm"`
		BH   []float64 `json:"bh"`
	} `json:"adjust"`
	Flags []struct {
		Name       string    `json:"name"`
		Values     []float64 `json:"values"`
		Bimodality float64   `json:"bimodality"`
		DriftP     float64   `json:"drift_p"`
		Q1         float64   `json:"q1"`
		Q3         float64   `json:"q3"`
	} `json:"flags"`
}

func loadReference(t *testing.T) reference {
	t.Helper()
	data, err := os.ReadFile("testdata/reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var r reference
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("testdata/reference.json: %v", err)
	}
	if len(r.Comparisons) == 0 || len(r.Adjust) == 0 || len(r.Flags) == 0 {
		t.Fatal("testdata/reference.json: a section is empty")
	}
	return r
}

// exact is the tolerance for closed-form results: the acceptance asks
// for equality to 1e-9.
const exact = 1e-9

func near(got, want, tol float64) bool { return math.Abs(got-want) <= tol }

// TestBootstrapAgainstScipy checks BCa and percentile endpoints against
// scipy.stats.bootstrap, both with ≥ 10^5 resamples: each endpoint within
// 3% of scipy's interval width (the Monte Carlo error of two independent
// bootstraps of that size is well inside this).
func TestBootstrapAgainstScipy(t *testing.T) {
	if testing.Short() {
		t.Skip("10^5 resamples per case")
	}
	r := loadReference(t)
	if r.Resamples < 100000 {
		t.Fatalf("reference made with %d resamples, want ≥ 10^5", r.Resamples)
	}
	var worst float64
	for _, c := range r.Comparisons {
		o := DefaultOptions()
		o.Confidence = c.Confidence
		o.Resamples = r.Resamples
		o.Seed = 1
		check := func(label string, got Comparison, err error, want []float64, wantMethod Method) {
			t.Helper()
			if err != nil {
				t.Fatalf("%s %v %s: %v", c.Name, c.Confidence, label, err)
			}
			if got.Method != wantMethod {
				t.Errorf("%s %v %s: method %q, want %q (warnings %q)", c.Name, c.Confidence, label, got.Method, wantMethod, got.Warnings)
			}
			w := want[1] - want[0]
			dLo, dHi := math.Abs(got.CILoPct-want[0])/w, math.Abs(got.CIHiPct-want[1])/w
			worst = max(worst, dLo, dHi)
			if !(dLo <= 0.03 && dHi <= 0.03) {
				t.Errorf("%s %v %s: [%.4f, %.4f], scipy [%.4f, %.4f]: off by %.1f%% and %.1f%% of the width",
					c.Name, c.Confidence, label, got.CILoPct, got.CIHiPct, want[0], want[1], 100*dLo, 100*dHi)
			}
			t.Logf("%-16s %.2f %-10s lo %+.2f%% hi %+.2f%% of width", c.Name, c.Confidence, label, 100*(got.CILoPct-want[0])/w, 100*(got.CIHiPct-want[1])/w)
		}
		o.Method = MethodBCa
		got, err := Compare(c.Baseline, c.Variant, o)
		check("bca", got, err, c.BCa[:], MethodBCa)
		o.Method = MethodPercentile
		got, err = Compare(c.Baseline, c.Variant, o)
		check("percentile", got, err, c.Percentile[:], MethodPercentile)
		if c.PairedBCa != nil {
			o.Method = MethodBCa
			got, err = ComparePaired(c.Baseline, c.Variant, o)
			check("paired bca", got, err, c.PairedBCa, MethodBCa)
		}
	}
	t.Logf("largest deviation: %.2f%% of the CI width", 100*worst)
}

func TestClosedFormAgainstScipy(t *testing.T) {
	r := loadReference(t)
	for _, c := range r.Comparisons {
		o := DefaultOptions()
		o.Confidence = c.Confidence
		for _, m := range []struct {
			method Method
			want   [2]float64
		}{{MethodT, c.T}, {MethodWelch, c.Welch}} {
			o.Method = m.method
			got, err := Compare(c.Baseline, c.Variant, o)
			if err != nil {
				t.Fatalf("%s %s: %v", c.Name, m.method, err)
			}
			if !near(got.CILoPct, m.want[0], exact) || !near(got.CIHiPct, m.want[1], exact) {
				t.Errorf("%s %v %s: [%.15g, %.15g], scipy [%.15g, %.15g]", c.Name, c.Confidence, m.method, got.CILoPct, got.CIHiPct, m.want[0], m.want[1])
			}
			if !near(got.PValue, c.WelchP, exact) {
				t.Errorf("%s: Welch p %.15g, scipy %.15g", c.Name, got.PValue, c.WelchP)
			}
			if !near(got.MannWhitneyP, c.MWP, exact) {
				t.Errorf("%s: Mann-Whitney p %.15g, scipy %.15g", c.Name, got.MannWhitneyP, c.MWP)
			}
			if !near(got.ChangePct, c.ChangePct, exact) {
				t.Errorf("%s: change %.15g, want %.15g", c.Name, got.ChangePct, c.ChangePct)
			}
			s := got.Baseline
			if !near(s.Mean, c.MeanB, exact*math.Abs(c.MeanB)) || !near(s.SD, c.SDB, exact*c.SDB) || !near(s.Median, c.MedianB, exact*math.Abs(c.MedianB)) {
				t.Errorf("%s: baseline summary %+v, want mean %v sd %v median %v", c.Name, s, c.MeanB, c.SDB, c.MedianB)
			}
		}
		if c.PairedT != nil {
			o.Method = MethodPaired
			got, err := ComparePaired(c.Baseline, c.Variant, o)
			if err != nil {
				t.Fatalf("%s paired: %v", c.Name, err)
			}
			if !near(got.CILoPct, c.PairedT[0], exact) || !near(got.CIHiPct, c.PairedT[1], exact) {
				t.Errorf("%s %v paired t: [%.15g, %.15g], scipy [%.15g, %.15g]", c.Name, c.Confidence, got.CILoPct, got.CIHiPct, c.PairedT[0], c.PairedT[1])
			}
			if !near(got.PValue, *c.PairedP, exact) {
				t.Errorf("%s: paired p %.15g, scipy %.15g", c.Name, got.PValue, *c.PairedP)
			}
		}
	}
}

func TestAdjustAgainstReference(t *testing.T) {
	r := loadReference(t)
	for i, a := range r.Adjust {
		for _, c := range []struct {
			c    Correction
			want []float64
		}{{CorrectionHolm, a.Holm}, {CorrectionBH, a.BH}} {
			in := slices.Clone(a.P)
			got := Adjust(in, c.c)
			if !slices.Equal(in, a.P) {
				t.Fatalf("set %d %s: Adjust modified its input", i, c.c)
			}
			for j := range got {
				if !near(got[j], c.want[j], 1e-12) {
					t.Errorf("set %d %s [%d]: p=%v adjusted %.15g, want %.15g", i, c.c, j, a.P[j], got[j], c.want[j])
				}
			}
		}
	}
}

func TestFlagsAgainstScipy(t *testing.T) {
	r := loadReference(t)
	for _, f := range r.Flags {
		got := Inspect(f.Values, nil)
		if !near(got.BimodalityCoeff, f.Bimodality, exact) {
			t.Errorf("%s: bimodality %.15g, scipy %.15g", f.Name, got.BimodalityCoeff, f.Bimodality)
		}
		if !near(got.DriftP, f.DriftP, exact) {
			t.Errorf("%s: drift p %.15g, scipy kendalltau %.15g", f.Name, got.DriftP, f.DriftP)
		}
		sorted := slices.Sorted(slices.Values(f.Values))
		if q1, q3 := quantileSorted(sorted, 0.25), quantileSorted(sorted, 0.75); !near(q1, f.Q1, exact) || !near(q3, f.Q3, exact) {
			t.Errorf("%s: quartiles %v %v, numpy %v %v", f.Name, q1, q3, f.Q1, f.Q3)
		}
		switch f.Name {
		case "bimodal":
			if !got.Multimodal {
				t.Errorf("bimodal sample not flagged multimodal: %+v", got)
			}
		case "drift":
			if !got.Drift {
				t.Errorf("drifting sample not flagged: %+v", got)
			}
		case "outlier":
			if got.Multimodal || got.OutliersSevere != 1 {
				t.Errorf("one far outlier: want 1 severe outlier and no second mode, got %+v", got)
			}
		case "normal":
			if got.Multimodal || got.Drift {
				t.Errorf("normal sample flagged: %+v", got)
			}
		}
	}
}

// TestSummarizeAgainstNumpy checks the across-configuration summary
// against the same percentile bootstrap written with numpy (10^5
// resamples on both sides): estimates to 1e-9, interval endpoints within
// 3% of the width.
func TestSummarizeAgainstNumpy(t *testing.T) {
	if testing.Short() {
		t.Skip("10^5 resamples per configuration")
	}
	r := loadReference(t)
	ref := r.Across
	var pairs []Pair
	for _, c := range r.Comparisons {
		if c.Confidence == ref.Confidence {
			pairs = append(pairs, Pair{Key: c.Name, Baseline: c.Baseline, Variant: c.Variant})
		}
	}
	if len(pairs) != len(ref.Keys) {
		t.Fatalf("%d configurations at confidence %v, reference has %d", len(pairs), ref.Confidence, len(ref.Keys))
	}
	a, err := Summarize(pairs, Options{Confidence: ref.Confidence, Resamples: r.Resamples})
	if err != nil {
		t.Fatal(err)
	}
	if !near(a.MeanChangePct, ref.Mean, exact) || !near(a.GeoMeanChangePct, ref.GeoMean, exact) {
		t.Errorf("mean %.15g geomean %.15g, numpy %.15g %.15g", a.MeanChangePct, a.GeoMeanChangePct, ref.Mean, ref.GeoMean)
	}
	for _, c := range []struct {
		name   string
		lo, hi float64
		want   [2]float64
	}{{"mean", a.MeanCILoPct, a.MeanCIHiPct, ref.MeanCI}, {"geomean", a.GeoMeanCILoPct, a.GeoMeanCIHiPct, ref.GeoMeanCI}} {
		w := c.want[1] - c.want[0]
		if math.Abs(c.lo-c.want[0]) > 0.03*w || math.Abs(c.hi-c.want[1]) > 0.03*w {
			t.Errorf("%s interval [%.4f, %.4f], numpy [%.4f, %.4f]", c.name, c.lo, c.hi, c.want[0], c.want[1])
		}
		t.Logf("%s: lo %+.2f%% hi %+.2f%% of width", c.name, 100*(c.lo-c.want[0])/w, 100*(c.hi-c.want[1])/w)
	}
}
