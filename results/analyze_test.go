package results

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/rnullbench/rnullbench/stats"
)

// synthTrials makes n rounds of two configs; variant "slow" is 10% slower
// than "base" on cfgA and equal on cfgB; "same" equals base everywhere.
func synthTrials(n int) []Trial {
	rng := rand.New(rand.NewPCG(1, 2))
	var ts []Trial
	for r := 1; r <= n; r++ {
		for _, cfg := range []string{"cfgA", "cfgB"} {
			for _, v := range []string{"base", "slow", "same"} {
				mean := 1e6
				if v == "slow" && cfg == "cfgA" {
					mean = 0.9e6
				}
				ts = append(ts, Trial{Kind: KindTrial, Config: cfg, Variant: v, Backend: v, Round: r, IOPS: mean * (1 + 0.01*rng.NormFloat64())})
			}
		}
	}
	return ts
}

func analyzeOpts() AnalyzeOptions {
	o := stats.DefaultOptions()
	o.Resamples = 2000
	return AnalyzeOptions{Stats: o}
}

func TestAnalyzeFindsTheChangeAndOnlyIt(t *testing.T) {
	rep, err := Analyze(nil, synthTrials(20), analyzeOpts())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Rows) != 4 {
		t.Fatalf("%d rows, want 2 configs × 2 variants", len(rep.Rows))
	}
	for _, r := range rep.Rows {
		if r.Baseline != "base" || r.N != 20 || r.NBaseline != 20 {
			t.Errorf("row %+v: wrong baseline or n", r)
		}
		wantSig := r.Config == "cfgA" && r.Variant == "slow"
		if r.Significant != wantSig {
			t.Errorf("%s %s: significant=%v (change %.2f%%, p_adj %.3g), want %v", r.Config, r.Variant, r.Significant, r.ChangePct, r.PAdjusted, wantSig)
		}
		if wantSig && (r.ChangePct > -9 || r.ChangePct < -11 || r.CIHiPct > -9 || r.CILoPct < -11) {
			t.Errorf("cfgA slow: %.2f%% [%.2f, %.2f], want about -10%%", r.ChangePct, r.CILoPct, r.CIHiPct)
		}
		if r.PAdjusted < r.PValue {
			t.Errorf("%s %s: adjusted p %.3g below raw %.3g", r.Config, r.Variant, r.PAdjusted, r.PValue)
		}
	}
	if len(rep.Variants) != 2 || rep.Variants[0].Variant != "slow" || rep.Variants[0].Slower != 1 || rep.Variants[1].Significant != 0 {
		t.Fatalf("variant summaries %+v", rep.Variants)
	}
	if m := rep.Variants[0].MeanChangePct; m > -4.5 || m < -5.5 {
		t.Errorf("slow: mean of difference %.2f%%, want about -5%%", m)
	}
}

func TestAnalyzeIsDeterministicAndHonoursBaseline(t *testing.T) {
	ts := synthTrials(10)
	a, _ := Analyze(nil, ts, analyzeOpts())
	b, _ := Analyze(nil, ts, analyzeOpts())
	for i := range a.Rows {
		if a.Rows[i].CILoPct != b.Rows[i].CILoPct || a.Rows[i].CIHiPct != b.Rows[i].CIHiPct {
			t.Fatal("same data and seed gave different intervals")
		}
	}
	o := analyzeOpts()
	o.Baseline = "slow"
	c, err := Analyze(nil, ts, o)
	if err != nil || c.Rows[0].Baseline != "slow" || c.Rows[0].Variant != "base" {
		t.Fatalf("baseline slow: %v %+v", err, c.Rows)
	}
}

func TestAnalyzeRejectsUnusableData(t *testing.T) {
	ts := synthTrials(5)
	o := analyzeOpts()
	o.Baseline = "nope"
	if _, err := Analyze(nil, ts, o); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("unknown baseline: %v", err)
	}
	var one []Trial
	for _, tr := range ts {
		if tr.Variant == "base" {
			one = append(one, tr)
		}
	}
	if _, err := Analyze(nil, one, analyzeOpts()); err == nil {
		t.Error("one variant accepted")
	}
	if _, err := Analyze(nil, nil, analyzeOpts()); err == nil {
		t.Error("no trials accepted")
	}
}

func TestAnalyzeWarnsOfMissingCellsAndRefcountWarns(t *testing.T) {
	var ts []Trial
	for _, tr := range synthTrials(5) {
		if tr.Config == "cfgB" && tr.Variant == "same" {
			continue
		}
		if tr.Config == "cfgA" && tr.Variant == "slow" && tr.Round == 3 {
			tr.RefcountWarns = 2
		}
		ts = append(ts, tr)
	}
	rep, err := Analyze(nil, ts, analyzeOpts())
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(rep.Warnings, "\n")
	if !strings.Contains(all, "cfgB: no trials of same") || !strings.Contains(all, "cfgA, slow, round 3: refcount WARNs") {
		t.Fatalf("warnings:\n%s", all)
	}
}

func TestPairedAnalysisUsesCommonRounds(t *testing.T) {
	ts := synthTrials(6)
	var cut []Trial
	for _, tr := range ts {
		if tr.Variant == "slow" && tr.Round == 2 {
			continue // one round lost for one variant
		}
		cut = append(cut, tr)
	}
	o := analyzeOpts()
	o.Stats.Method = stats.MethodPaired
	rep, err := Analyze(nil, cut, o)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Rows {
		want := 6
		if r.Variant == "slow" {
			want = 5
		}
		if r.N != want || r.NBaseline != want {
			t.Errorf("%s %s paired on n=%d/%d, want %d", r.Config, r.Variant, r.N, r.NBaseline, want)
		}
	}
}

func TestAnalyzeWithoutAnyComparablePair(t *testing.T) {
	ts := []Trial{
		{Kind: KindTrial, Config: "a", Variant: "x", Round: 1, IOPS: 1},
		{Kind: KindTrial, Config: "b", Variant: "y", Round: 1, IOPS: 1},
	}
	if _, err := Analyze(nil, ts, analyzeOpts()); err == nil {
		t.Fatal("no comparable pair, yet no error")
	}
}

func TestAnalyzeSplitsVarianceByProcess(t *testing.T) {
	ts := synthTrials(12)
	// A layout effect per process of about 5%, against 1% trial noise.
	offset := []float64{1.05, 0.95, 1.04, 0.96, 1.06, 0.94}
	for i := range ts {
		p := (ts[i].Round + 1) / 2 // two rounds per process
		ts[i].Process = p
		ts[i].IOPS *= offset[p-1]
	}
	rep, err := Analyze(nil, ts, analyzeOpts())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Variance) != 2*3 {
		t.Fatalf("%d variance rows, want one per config and variant", len(rep.Variance))
	}
	for _, v := range rep.Variance {
		if v.Processes != 6 || v.N != 12 || v.BetweenShare < 0.5 || v.BetweenCVPct < v.WithinCVPct {
			t.Errorf("%s: the 5%% process effect against 1%% noise was not found: %+v", v.Line(), v)
		}
	}
	plain, _ := Analyze(nil, synthTrials(4), analyzeOpts())
	if plain.Variance != nil {
		t.Error("variance split reported for a run without child processes")
	}
}

// TestPairedAnalysisWithoutCommonRounds: a config whose sides share no
// round cannot be paired; it is reported as not compared, and the rest of
// the report stands.
func TestPairedAnalysisWithoutCommonRounds(t *testing.T) {
	var ts []Trial
	for _, tr := range synthTrials(6) {
		if tr.Config == "cfgB" && tr.Variant == "slow" && tr.Round <= 3 {
			continue
		}
		if tr.Config == "cfgB" && tr.Variant == "base" && tr.Round > 3 {
			continue
		}
		ts = append(ts, tr)
	}
	o := analyzeOpts()
	o.Stats.Paired = true
	rep, err := Analyze(nil, ts, o)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Uncompared) != 1 || rep.Uncompared[0] != "cfgB, slow" {
		t.Fatalf("uncompared %v, want [cfgB, slow]", rep.Uncompared)
	}
	if len(rep.Rows) != 3 {
		t.Fatalf("%d rows, want the 3 comparable ones", len(rep.Rows))
	}
}

// TestAnalyzeWarnsOfCodeLayout: a binary whose backends' request paths are
// placed differently says so in the report, since that alone can move a
// comparison of identical code by a few percent.
func TestAnalyzeWarnsOfCodeLayout(t *testing.T) {
	h := &Header{Plan: Plan{Engine: "nullblk"}, Env: Env{CodeLayout: "request path not 64-byte aligned (lto runNoneLTO at +32)"}}
	rep, err := Analyze(h, synthTrials(4), analyzeOpts())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(rep.Warnings, "\n"), "code layout: request path not 64-byte aligned") {
		t.Fatalf("warnings lack the code layout:\n%s", strings.Join(rep.Warnings, "\n"))
	}
	h.Plan.Engine = "fio"
	rep, _ = Analyze(h, synthTrials(4), analyzeOpts())
	if strings.Contains(strings.Join(rep.Warnings, "\n"), "code layout") {
		t.Fatal("a fio run warned of the in-process engine's layout")
	}
}
