package stats

import (
	"encoding/json"
	"math"
	"os"
	"testing"
)

func TestSplitVarianceMatchesScipy(t *testing.T) {
	b, err := os.ReadFile("testdata/variance_reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		Name                string
		Values              []float64
		Process             []int
		F, P                float64
		WithinSD, BetweenSD float64 `json:"-"`
		Within              float64 `json:"within_sd"`
		Between             float64 `json:"between_sd"`
	}
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatal(err)
	}
	close := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }
	for _, c := range cases {
		vs, err := SplitVariance(c.Values, c.Process)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		if !close(vs.F, c.F) || !close(vs.PValue, c.P) || !close(vs.WithinSD, c.Within) || !close(vs.BetweenSD, c.Between) {
			t.Errorf("%s: F %v p %v within %v between %v; scipy F %v p %v within %v between %v",
				c.Name, vs.F, vs.PValue, vs.WithinSD, vs.BetweenSD, c.F, c.P, c.Within, c.Between)
		}
		if vs.BetweenShare < 0 || vs.BetweenShare > 1 {
			t.Errorf("%s: share %v", c.Name, vs.BetweenShare)
		}
	}
	if cases[0].Name != "process_effect" || !(cases[0].P < 0.01) {
		t.Fatal("reference set lost its case with a real process effect")
	}
}

func TestSplitVarianceNeedsTwoLevels(t *testing.T) {
	for _, c := range []struct {
		v []float64
		p []int
	}{
		{[]float64{1, 2, 3}, []int{1, 1, 1}},
		{[]float64{1, 2}, []int{1, 2}},
		{[]float64{1, 2}, []int{1}},
		{[]float64{1, math.NaN(), 3}, []int{1, 1, 2}},
	} {
		if _, err := SplitVariance(c.v, c.p); err == nil {
			t.Errorf("SplitVariance(%v, %v) gave no error", c.v, c.p)
		}
	}
	vs, err := SplitVariance([]float64{5, 5, 5, 5}, []int{1, 1, 2, 2})
	if err != nil || vs.PValue != 1 || vs.BetweenSD != 0 {
		t.Errorf("constant values: %+v, %v", vs, err)
	}
}
