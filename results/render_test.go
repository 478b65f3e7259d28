package results

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

// fixtureHeader is a plausible run header with fixed values.
func fixtureHeader() *Header {
	h := &Header{
		Kind:   KindHeader,
		Schema: SchemaVersion,
		Plan: Plan{
			Configs:  []string{"randread/bs=4k/qd=1/jobs=1", "randread/bs=1m/qd=1/jobs=1"},
			Variants: []Variant{{"atomic", "atomic"}, {"helper", "helper"}, {"lto", "lto"}},
			Baseline: "atomic",
			Rounds:   40,
			Warmup:   1,
			Duration: 200 * time.Millisecond,
			Seed:     1,
			Engine:   "nullblk",
		},
		Env: Env{
			GoVersion: "go1.26.8", GOMAXPROCS: 2, NumCPU: 2, CPUModel: "Test CPU @ 2.00GHz",
			Kernel: "6.8.0", Host: "testhost", ToolVersion: "v0.1.0", Args: []string{"compare", "--n", "40"},
		},
		Started: time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC),
	}
	h.PlanHash = PlanHash(h.Plan)
	return h
}

// fixtureReport covers what renderers must handle: significant slower
// and faster rows, a row within noise, a row whose numbers could not be
// computed (NaN, Inf), flags, calibration and warnings.
func fixtureReport() Report {
	return Report{
		Title:  "rnullbench compare",
		Header: fixtureHeader(),
		Rows: []SummaryRow{
			{Config: "randread/bs=4k/qd=1/jobs=1", Variant: "helper", Baseline: "atomic", N: 40, NBaseline: 40,
				Mean: 1234567.8, BaselineMean: 1302000, ChangePct: -5.179, CILoPct: -6.12, CIHiPct: -4.31,
				CIMethod: "bca", Confidence: 0.95, PValue: 0.00001, PAdjusted: 0.00004, Significant: true, Verdict: "slower"},
			{Config: "randread/bs=4k/qd=1/jobs=1", Variant: "lto", Baseline: "atomic", N: 40, NBaseline: 40,
				Mean: 1301000, BaselineMean: 1302000, ChangePct: -0.0768, CILoPct: -0.9, CIHiPct: 0.81,
				CIMethod: "bca", Confidence: 0.95, PValue: 0.81, PAdjusted: 1, Significant: false, Verdict: "~"},
			{Config: "randread/bs=1m/qd=1/jobs=1", Variant: "helper", Baseline: "atomic", N: 39, NBaseline: 40,
				Mean: 9995.2, BaselineMean: 9990, ChangePct: 0.052, CILoPct: -0.4, CIHiPct: 0.5,
				CIMethod: "bca", Confidence: 0.95, PValue: 0.7, PAdjusted: 1, Significant: false, Verdict: "~",
				Flags: []string{"bimodal", "helper: drift over rounds (p=0.000532)", "atomic: few samples (n<10)"}},
			{Config: "randread/bs=1m/qd=1/jobs=1", Variant: "lto", Baseline: "atomic", N: 2, NBaseline: 40,
				Mean: 10500, BaselineMean: 9990, ChangePct: 5.105, CILoPct: 2.1, CIHiPct: 8.3,
				CIMethod: "bca", Confidence: 0.95, PValue: 0.01, PAdjusted: 0.03, Significant: true, Verdict: "faster",
				Flags: []string{"outliers"}},
			{Config: "randwrite/bs=4k/qd=1/jobs=1|odd_*name*", Variant: "lto", Baseline: "atomic", N: 1, NBaseline: 1,
				Mean: 0, BaselineMean: 0, ChangePct: math.NaN(), CILoPct: math.NaN(), CIHiPct: math.Inf(1),
				CIMethod: "bca", Confidence: 0.95, PValue: math.NaN(), PAdjusted: math.NaN(), Verdict: "too few trials",
				Flags: []string{"drift"}},
		},
		Variants: []VariantSummary{
			{Variant: "helper", Baseline: "atomic", Configs: 2, MeanChangePct: -2.56, MeanCILoPct: -3.1, MeanCIHiPct: -2.0,
				GeoMeanChangePct: -2.6, GeoMeanCILoPct: -3.2, GeoMeanCIHiPct: -2.05, Significant: 1, Slower: 1, Correction: "holm"},
			{Variant: "lto", Baseline: "atomic", Configs: 3, MeanChangePct: 2.51, MeanCILoPct: math.NaN(), MeanCIHiPct: math.NaN(),
				GeoMeanChangePct: 2.49, GeoMeanCILoPct: math.NaN(), GeoMeanCIHiPct: math.NaN(), Significant: 1, Faster: 1, Correction: "holm"},
		},
		Calibration: []CalibrationRow{
			{Backend: "helper", OpNs: map[string]float64{"inc": 2.31, "cas": 3.02, "dec": 2.4},
				NsPerRequest: map[string]float64{"softirq": 14.1, "none": 9.6}, RequestNs: map[string]float64{"none": 11.25, "softirq": 25.9}},
		},
		Variance: []VarianceRow{
			{Config: "randread/bs=4k/qd=1/jobs=1", Variant: "atomic", Processes: 20, N: 40,
				WithinCVPct: 0.8, BetweenCVPct: 1.9, BetweenShare: 0.85, PValue: 0.0004},
		},
		Warnings: []string{"randwrite/bs=4k/qd=1/jobs=1|odd_*name*: only 1 trial per variant"},
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	interopCheckGolden(t, filepath.Join("testdata", name), got)
}

// renderers lists every renderer of this file set with its golden name.
var renderers = []struct {
	golden string
	render func(io.Writer, Report) error
}{
	{"table.golden", func(w io.Writer, r Report) error { return RenderTable(w, r, false) }},
	{"table-colour.golden", func(w io.Writer, r Report) error { return RenderTable(w, r, true) }},
	{"summary.csv.golden", RenderCSV},
	{"report.md.golden", RenderMarkdown},
	{"summary.json.golden", RenderJSON},
}

func TestRenderGolden(t *testing.T) {
	for _, rr := range renderers {
		t.Run(rr.golden, func(t *testing.T) {
			var a, b bytes.Buffer
			if err := rr.render(&a, fixtureReport()); err != nil {
				t.Fatal(err)
			}
			// Identical input gives byte-identical output (map order,
			// locale and the like must not leak in).
			for range 5 {
				b.Reset()
				if err := rr.render(&b, fixtureReport()); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(a.Bytes(), b.Bytes()) {
					t.Fatalf("two renderings of the same report differ:\n%s\n---\n%s", a.Bytes(), b.Bytes())
				}
			}
			golden(t, rr.golden, a.Bytes())
		})
	}
}

func TestRenderEmptyReport(t *testing.T) {
	for _, rr := range renderers {
		var buf bytes.Buffer
		if err := rr.render(&buf, Report{}); err != nil {
			t.Errorf("%s: empty report: %v", rr.golden, err)
		}
	}
	var buf bytes.Buffer
	RenderJSON(&buf, Report{})
	if got := buf.String(); got != "{\n  \"rows\": [],\n  \"variants\": [],\n  \"warnings\": []\n}\n" {
		t.Errorf("empty summary.json = %q", got)
	}
}

// failWriter fails after n bytes, as a full disk does.
type failWriter struct{ n int }

var errFull = errors.New("disk full")

func (f *failWriter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		n := f.n
		f.n = 0
		return n, errFull
	}
	f.n -= len(p)
	return len(p), nil
}

func TestRenderWriteErrors(t *testing.T) {
	for _, rr := range renderers {
		for _, n := range []int{0, 10, 200} {
			if err := rr.render(&failWriter{n}, fixtureReport()); err == nil {
				t.Errorf("%s: writer failing after %d bytes: no error", rr.golden, n)
			}
		}
	}
}

func TestRenderJSONNonFinite(t *testing.T) {
	var buf bytes.Buffer
	if err := RenderJSON(&buf, fixtureReport()); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Rows     []map[string]any `json:"rows"`
		Warnings []string         `json:"warnings"`
		PlanHash string           `json:"plan_hash"`
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("summary.json does not decode: %v", err)
	}
	last := got.Rows[4]
	for _, k := range []string{"change_pct", "ci_lo_pct", "ci_hi_pct", "p_value", "p_adjusted"} {
		if v, ok := last[k]; !ok || v != nil {
			t.Errorf("rows[4].%s = %v (present %v), want null", k, v, ok)
		}
	}
	if last["mean"] != 0.0 {
		t.Errorf("rows[4].mean = %v, want 0 (a zero is a number, not null)", last["mean"])
	}
	w := got.Warnings[len(got.Warnings)-1]
	if !strings.Contains(w, "rows[4].change_pct") || !strings.Contains(w, "null") {
		t.Errorf("no warning explains the nulls: %q", w)
	}
	if got.PlanHash != fixtureHeader().PlanHash {
		t.Errorf("plan_hash = %q", got.PlanHash)
	}
	// Every contract field of a row is present, under its contract name.
	for _, k := range strings.Split("config,variant,baseline,n,n_baseline,mean,baseline_mean,change_pct,ci_lo_pct,ci_hi_pct,ci_method,confidence,p_value,significant", ",") {
		if _, ok := got.Rows[0][k]; !ok {
			t.Errorf("rows[0] lacks %q", k)
		}
	}
}

func TestHumanFormats(t *testing.T) {
	counts := map[float64]string{
		0: "0.00", 1: "1.00", 12.5: "12.5", 999: "999", 999.7: "1.00k", 1234: "1.23k", 12345: "12.3k",
		123456: "123k", 1234567: "1.23M", 999_950: "1.00M", 2.5e9: "2.50G", -1500: "\u22121.50k", math.NaN(): "n/a",
	}
	for v, want := range counts {
		if got := HumanCount(v); got != want {
			t.Errorf("HumanCount(%v) = %q, want %q", v, got, want)
		}
	}
	changes := []struct {
		p, lo, hi float64
		want      string
	}{
		{-5.179, -6.12, -4.31, "\u22125.2% [\u22126.1, \u22124.3]"},
		{0.04, -0.8, 0.9, "0.0% [\u22120.8, +0.9]"},
		{-0.04, -0.8, 0.9, "0.0% [\u22120.8, +0.9]"},
		{3, math.NaN(), math.NaN(), "+3.0%"},
		{math.NaN(), 1, 2, "n/a"},
	}
	for _, c := range changes {
		if got := HumanChange(c.p, c.lo, c.hi); got != c.want {
			t.Errorf("HumanChange(%v, %v, %v) = %q, want %q", c.p, c.lo, c.hi, got, c.want)
		}
	}
	for p, want := range map[float64]string{0.0004: "<0.001", 0.05: "0.050", 1: "1.000"} {
		if got := HumanP(p); got != want {
			t.Errorf("HumanP(%v) = %q, want %q", p, got, want)
		}
	}
}

func TestParseFormat(t *testing.T) {
	for _, f := range Formats {
		got, err := ParseFormat(strings.ToUpper(string(f)))
		if err != nil || got != f {
			t.Errorf("ParseFormat(%q) = %q, %v", f, got, err)
		}
	}
	if got, _ := ParseFormat("md"); got != FormatMarkdown {
		t.Errorf("ParseFormat(md) = %q", got)
	}
	_, err := ParseFormat("xml")
	if err == nil || err.Error() != `--format: "xml": want one of table, csv, markdown, json, benchfmt, html` {
		t.Errorf("ParseFormat(xml): %v", err)
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "summary.csv")
	if err := WriteFileAtomic(path, func(w io.Writer) error { _, err := io.WriteString(w, "old\n"); return err }); err != nil {
		t.Fatal(err)
	}
	// A failing write leaves the old file as it was and no temporary file.
	err := WriteFileAtomic(path, func(w io.Writer) error {
		io.WriteString(w, "half")
		return errFull
	})
	if !errors.Is(err, errFull) {
		t.Fatalf("error %v, want %v", err, errFull)
	}
	if b, _ := os.ReadFile(path); string(b) != "old\n" {
		t.Errorf("file after failed write = %q", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries after a failed write, want only the file", len(entries))
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, %v", fi.Mode(), err)
	}
	// A new file that fails is not created at all.
	err = WriteFileAtomic(filepath.Join(dir, "report.md"), func(io.Writer) error { return errFull })
	if _, serr := os.Stat(filepath.Join(dir, "report.md")); err == nil || !os.IsNotExist(serr) {
		t.Errorf("failed write of a new file: err %v, stat %v", err, serr)
	}
	if err := WriteFileAtomic(filepath.Join(dir, "missing", "x"), func(io.Writer) error { return nil }); err == nil {
		t.Error("write into a missing directory: no error")
	}
}
