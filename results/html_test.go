package results

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

// htmlOut writes the sample report to a file, for looking at it in a
// browser (scripts/check-html.sh uses it):
//
//	go test ./results -run TestRenderHTMLGolden -html-out /tmp/report.html
var htmlOut = flag.String("html-out", "", "write the sample HTML report to this file")

// htmlEvilLabel is a variant label that must come out escaped.
const htmlEvilLabel = `<i>lto</i> & "co"`

// htmlSampleReport is a fixed report shaped like a small fio-matrix run:
// two rw patterns × two iodepths × two block sizes × two numjobs, a
// baseline and two variants (one with a label that needs escaping).
func htmlSampleReport() Report {
	h := &Header{
		Kind:     KindHeader,
		Schema:   1,
		PlanHash: "sha256:9f2c41d0",
		Plan: Plan{
			Variants: []Variant{{Label: "atomic", Backend: "atomic"}, {Label: "helper", Backend: "helper"}, {Label: htmlEvilLabel, Backend: "lto"}},
			Baseline: "atomic",
			Rounds:   12,
			Warmup:   2,
			Duration: 200 * time.Millisecond,
			Seed:     42,
			Engine:   "sim",
			Extra:    map[string]string{"irqmode": "none", "hw_queue_depth": "256"},
		},
		Env: Env{
			GoVersion: "go1.26.8", GOMAXPROCS: 2, NumCPU: 2, CPUModel: "Test CPU @ 2.00GHz",
			Kernel: "Linux 6.12.0", Host: "bench<1>", ToolVersion: "v0.1.0", Commit: "0123abcd",
			Args: []string{"rnullbench", "compare", "--n", "12"},
		},
		Started: time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC),
	}
	var rows []SummaryRow
	var trials []Trial
	i := 0
	for _, rw := range []string{"randread", "randwrite"} {
		for _, qd := range []int{1, 32} {
			for _, bs := range []string{"4k", "1m"} {
				for _, jobs := range []int{1, 2} {
					cfg := fmt.Sprintf("%s/bs=%s/qd=%d/jobs=%d", rw, bs, qd, jobs)
					h.Plan.Configs = append(h.Plan.Configs, cfg)
					base := 4e5 / float64(qd/8+1) * float64(jobs)
					if bs == "1m" {
						base /= 20
					}
					for vi, v := range h.Plan.Variants {
						effect := []float64{0, -0.06, -0.01}[vi] * (1 + 0.3*htmlWobble(i))
						mean := base * (1 + effect)
						for r := 1; r <= h.Plan.Rounds; r++ {
							noise := htmlWobble(r*7+vi*3+i) * 0.02
							if rw == "randwrite" && qd == 32 && bs == "4k" && r%2 == 0 {
								noise += 0.05 // a second mode
							}
							trials = append(trials, Trial{Kind: KindTrial, Config: cfg, Variant: v.Label, Backend: v.Backend, Round: r, Position: vi, IOPS: mean * (1 + noise)})
						}
						if vi == 0 {
							continue
						}
						chg := effect * 100
						row := SummaryRow{
							Config: cfg, Variant: v.Label, Baseline: "atomic", N: 12, NBaseline: 12,
							Mean: mean, BaselineMean: base, ChangePct: chg, CILoPct: chg - 1.5, CIHiPct: chg + 1.5,
							CIMethod: "bca", Confidence: 0.95, PValue: 0.001 * float64(i+1), PAdjusted: 0.004 * float64(i+1),
						}
						row.Significant = row.CIHiPct < 0 || row.CILoPct > 0
						row.Verdict = map[bool]string{true: "slower", false: "no difference"}[row.Significant]
						if rw == "randwrite" && qd == 32 && bs == "4k" {
							row.Flags = []string{"bimodal", "<drift>"}
						}
						rows = append(rows, row)
					}
					i++
				}
			}
		}
	}
	return Report{
		Title:  "rnullbench: helper vs inline <refcount>",
		Header: h,
		Rows:   rows,
		Variants: []VariantSummary{
			{Variant: "helper", Baseline: "atomic", Configs: 16, MeanChangePct: -6.1, MeanCILoPct: -7.0, MeanCIHiPct: -5.2, GeoMeanChangePct: -6.0, GeoMeanCILoPct: -6.9, GeoMeanCIHiPct: -5.1, Significant: 16, Slower: 16, Correction: "holm"},
			{Variant: htmlEvilLabel, Baseline: "atomic", Configs: 16, MeanChangePct: -1.0, MeanCILoPct: -1.9, MeanCIHiPct: -0.1, GeoMeanChangePct: -1.0, GeoMeanCILoPct: -1.9, GeoMeanCIHiPct: -0.1, Significant: 0, Correction: "holm"},
		},
		Trials: trials,
		Calibration: []CalibrationRow{
			{Backend: "atomic", OpNs: map[string]float64{"inc": 1.1, "dec_and_test": 1.2}, OpsPerRequest: map[string]float64{"none": 4}, NsPerRequest: map[string]float64{"none": 4.6}},
			{Backend: "helper", OpNs: map[string]float64{"inc": 2.9, "dec_and_test": 3.1}, OpsPerRequest: map[string]float64{"none": 4}, NsPerRequest: map[string]float64{"none": 12}},
		},
		Variance: []VarianceRow{
			{Config: "randread/bs=4k/qd=1/jobs=1", Variant: htmlEvilLabel, Processes: 20, N: 40, WithinCVPct: 0.8, BetweenCVPct: 1.9, BetweenShare: 0.85, PValue: 0.0004},
		},
		Warnings: []string{"randwrite/bs=4k/qd=32: bimodal trials; the mean hides two modes <see raw trials>"},
	}
}

// htmlWobble is a fixed pseudo-noise in [-1, 1] made of integer
// arithmetic only, so the golden file does not depend on how a platform
// rounds transcendental functions.
func htmlWobble(i int) float64 {
	return float64((i*7919+13)%201)/100 - 1
}

func htmlRenderSample(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := RenderHTML(&buf, htmlSampleReport()); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRenderHTMLGolden(t *testing.T) {
	got := htmlRenderSample(t)
	if *htmlOut != "" {
		if err := os.WriteFile(*htmlOut, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	interopCheckGolden(t, "testdata/html/report.golden", got)
}

// The same report must give the same bytes: no random ids, timestamps or
// map order in the output.
func TestRenderHTMLDeterministic(t *testing.T) {
	a, b := htmlRenderSample(t), htmlRenderSample(t)
	if !bytes.Equal(a, b) {
		t.Fatalf("two renders differ:\n%s", interopFirstDiff(a, b))
	}
	for _, re := range []string{`\bid="[^"]*[0-9a-f]{6,}`, `(?i)clip-?path`, `\b20[0-9]{2}-[0-9]{2}-[0-9]{2}T`} {
		if m := regexp.MustCompile(re).Find(a); m != nil {
			t.Errorf("output contains %q (matches %s)", m, re)
		}
	}
	// The only date is the run's own start time from the header.
	if n := strings.Count(string(a), "2026-"); n != 1 {
		t.Errorf("found %d dates, want only the header's start time", n)
	}
}

func TestRenderHTMLSelfContainedAndEscaped(t *testing.T) {
	out := string(htmlRenderSample(t))
	for _, bad := range []string{"<script", "src=", "@import", "url(", "href=\"http", "<link"} {
		if strings.Contains(out, bad) {
			t.Errorf("output contains %q: it must not load or run anything", bad)
		}
	}
	if strings.Contains(out, htmlEvilLabel) || strings.Contains(out, "<i>lto</i>") || strings.Contains(out, "<drift>") || strings.Contains(out, "bench<1>") {
		t.Errorf("a user-supplied name appears unescaped")
	}
	for _, want := range []string{
		"&lt;i&gt;lto&lt;/i&gt; &amp; &#34;co&#34;", // in tables (html/template)
		"&lt;i&gt;lto&lt;/i&gt; &amp; &#34;co&#34;", // in SVG text (vgsvg)
		"&lt;drift&gt;",
		"bench&lt;1&gt;",
		"<title>rnullbench: helper vs inline &lt;refcount&gt;</title>",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if n := strings.Count(out, "<svg"); n != 2 {
		t.Errorf("%d inline SVGs, want 2 (change grid, trials)", n)
	}
	// One table row per summary row, plus the header row.
	table := out[strings.Index(out, `id="summary-table"`):]
	table = table[:strings.Index(table, "</table>")]
	if n := strings.Count(table, "<tr"); n != 1+32 {
		t.Errorf("summary table has %d rows, want 33", n)
	}
	// Panels: 2 rw × 2 iodepth titles in the change grid.
	for _, title := range []string{"randread · qd=1", "randread · qd=32", "randwrite · qd=1", "randwrite · qd=32"} {
		if !strings.Contains(out, ">"+title+"</text>") {
			t.Errorf("change grid lacks panel %q", title)
		}
	}
}

func TestRenderHTMLEmptyReport(t *testing.T) {
	var buf bytes.Buffer
	if err := RenderHTML(&buf, Report{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"No comparisons to plot.", "No rows.", "No trials in this report.", "Unknown: the data did not come with a run header"} {
		if !strings.Contains(out, want) {
			t.Errorf("empty report lacks %q", want)
		}
	}
	if strings.Contains(out, "<svg") {
		t.Errorf("empty report has a plot")
	}
}

// NaN statistics (e.g. too few trials for a CI) must not break the plot.
func TestRenderHTMLNaN(t *testing.T) {
	r := Report{Rows: []SummaryRow{
		{Config: "read/bs=4k/qd=1/jobs=1", Variant: "b", Baseline: "a", ChangePct: math.NaN(), CILoPct: math.NaN(), CIHiPct: math.NaN(), PValue: math.NaN()},
		{Config: "read/bs=4k/qd=2/jobs=1", Variant: "b", Baseline: "a", ChangePct: -3, CILoPct: math.Inf(-1), CIHiPct: 1},
	}, Trials: []Trial{{Config: "read/bs=4k/qd=1/jobs=1", Variant: "a", IOPS: 5}}}
	var buf bytes.Buffer
	if err := RenderHTML(&buf, r); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), "<svg"); n != 2 {
		t.Errorf("%d plots, want 2", n)
	}
}

func BenchmarkRenderHTML(b *testing.B) {
	r := htmlSampleReport()
	b.ReportAllocs()
	for b.Loop() {
		var buf bytes.Buffer
		if err := RenderHTML(&buf, r); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzRenderHTML checks that any names and numbers render without a
// panic, and that a name never reaches the page as markup: the page with
// "<" and ">" in the names must have exactly the tags of the page with
// those characters replaced, since every one from a name is escaped.
func FuzzRenderHTML(f *testing.F) {
	f.Add("randread/bs=4k/qd=1/jobs=1", "helper", -5.0, 1e5)
	f.Add("<b>x</b>/qd=<i>", `"><script>alert(1)</script>`, math.Inf(1), 3.0)
	f.Add("", "", math.NaN(), -1.0)
	f.Add("a/b/c/qd=1/qd=2", "\xff\xfe日本", 1e300, 1e-300)
	f.Add("00Z0/10", ">", math.Inf(1), 21.0)
	render := func(t *testing.T, config, variant string, change, iops float64) (string, error) {
		r := Report{
			Rows: []SummaryRow{{Config: config, Variant: variant, Baseline: "base", ChangePct: change, CILoPct: change - 1, CIHiPct: change + 1}},
			Trials: []Trial{
				{Config: config, Variant: variant, Round: 1, IOPS: iops},
				{Config: config, Variant: "base", Round: 1, IOPS: 1},
			},
		}
		var buf bytes.Buffer
		err := RenderHTML(&buf, r)
		return buf.String(), err
	}
	f.Fuzz(func(t *testing.T, config, variant string, change, iops float64) {
		out, err := render(t, config, variant, change, iops)
		if err != nil {
			if !math.IsNaN(iops) && !math.IsInf(iops, 0) {
				t.Fatalf("finite data gave an error: %v", err)
			}
			return
		}
		plain := strings.NewReplacer("<", "x", ">", "x")
		ref, err := render(t, plain.Replace(config), plain.Replace(variant), change, iops)
		if err != nil {
			t.Fatalf("rendered with <> in names but not without: %v", err)
		}
		for _, c := range []string{"<", ">"} {
			if a, b := strings.Count(out, c), strings.Count(ref, c); a != b {
				t.Fatalf("%d %q with names %q, %q but %d without: a name reached the page as markup", a, c, config, variant, b)
			}
		}
	})
}
