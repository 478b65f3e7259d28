package stats

import (
	"math"
	"strings"
	"testing"
)

var (
	smallBase    = []float64{100, 101, 99, 102, 98, 100, 103, 97, 100, 101}
	smallVariant = []float64{95, 96.5, 94, 97, 93, 95, 98.2, 92, 95.1, 96}
)

func TestCompareEveryMethodOrdersAndCoversEstimate(t *testing.T) {
	for _, m := range Methods {
		o := DefaultOptions()
		o.Method = m
		c, err := Compare(smallBase, smallVariant, o)
		if err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		if !(c.CILoPct <= c.ChangePct && c.ChangePct <= c.CIHiPct) {
			t.Errorf("%s: change %v outside [%v, %v]", m, c.ChangePct, c.CILoPct, c.CIHiPct)
		}
		if c.Verdict != VerdictSlower {
			t.Errorf("%s: verdict %q, want slower (warnings %q)", m, c.Verdict, c.Warnings)
		}
		if len(c.Warnings) != 0 {
			t.Errorf("%s: unexpected warnings %q", m, c.Warnings)
		}
	}
}

func TestParseMethodAndCorrection(t *testing.T) {
	for _, m := range Methods {
		got, err := ParseMethod(strings.ToUpper(string(m)))
		if err != nil || got != m {
			t.Errorf("ParseMethod(%q) = %q, %v", m, got, err)
		}
	}
	if _, err := ParseMethod("bootstrap"); err == nil {
		t.Error("ParseMethod(bootstrap): no error")
	}
	for s, want := range map[string]Correction{"": CorrectionHolm, "Holm": CorrectionHolm, "bh": CorrectionBH, "fdr": CorrectionBH, "none": CorrectionNone} {
		if got, err := ParseCorrection(s); err != nil || got != want {
			t.Errorf("ParseCorrection(%q) = %q, %v; want %q", s, got, err, want)
		}
	}
	if _, err := ParseCorrection("bonferroni"); err == nil {
		t.Error("ParseCorrection(bonferroni): no error")
	}
}

func TestCompareSameSeedSameBits(t *testing.T) {
	o := DefaultOptions()
	o.Seed = 42
	a, _ := Compare(smallBase, smallVariant, o)
	b, _ := Compare(smallBase, smallVariant, o)
	if math.Float64bits(a.CILoPct) != math.Float64bits(b.CILoPct) || math.Float64bits(a.CIHiPct) != math.Float64bits(b.CIHiPct) {
		t.Fatalf("same seed, different interval: %v %v vs %v %v", a.CILoPct, a.CIHiPct, b.CILoPct, b.CIHiPct)
	}
	o.Seed = 43
	c, _ := Compare(smallBase, smallVariant, o)
	if c.CILoPct == a.CILoPct && c.CIHiPct == a.CIHiPct {
		t.Fatal("a different seed gave the identical interval; the seed is not used")
	}
}
