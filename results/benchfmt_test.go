package results

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/perf/benchfmt"
)

// updateInterop rewrites the golden files of the benchfmt, fio and HTML
// tests. It has its own name so that it cannot clash with the package's
// other test flags; a package-wide -update flag, when defined, works too.
// interopCheckGolden compares got with the golden file at path, or
// rewrites it with -update.
func interopCheckGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("output differs from %s (go test -update accepts it):\n%s", path, interopFirstDiff(want, got))
	}
}

// interopFirstDiff describes the first differing line of two texts.
func interopFirstDiff(want, got []byte) string {
	wl := strings.Split(string(want), "\n")
	gl := strings.Split(string(got), "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			if len(w) > 300 {
				w = w[:300] + "…"
			}
			if len(g) > 300 {
				g = g[:300] + "…"
			}
			return fmt.Sprintf("line %d:\nwant: %s\n got: %s", i+1, w, g)
		}
	}
	return "(no line differs)"
}

// benchTestHeader is a fixed header for deterministic exports.
func benchTestHeader() *Header {
	return &Header{
		Kind:     KindHeader,
		Schema:   1,
		PlanHash: "sha256:5e1f",
		Plan: Plan{
			Configs:  []string{"randread/bs=4k/qd=1/jobs=1", "randwrite/bs=1m/qd=32/jobs=6/irq=softirq"},
			Variants: []Variant{{Label: "atomic", Backend: "atomic"}, {Label: "helper", Backend: "helper"}, {Label: "inl ine", Backend: "lto"}},
			Baseline: "atomic",
			Rounds:   40,
			Engine:   "sim",
		},
		Env: Env{
			GoVersion:  "go1.26.8",
			GOMAXPROCS: 2,
			NumCPU:     2,
			CPUModel:   "Test CPU @ 2.00GHz",
			Kernel:     "Linux 6.12.0",
			Host:       "bench1",
			Commit:     "0123abcd",
		},
	}
}

// benchTestTrials makes rounds trials per (config, variant) with IOPS that
// differ per backend, deterministically.
func benchTestTrials(h *Header, rounds int) []Trial {
	var trials []Trial
	for ci, c := range h.Plan.Configs {
		for vi, v := range h.Plan.Variants {
			for r := 1; r <= rounds; r++ {
				iops := 1e6/float64(ci+1) - float64(vi)*2e4 + float64((r*7919+vi*31)%97)*100
				trials = append(trials, Trial{
					Kind:       KindTrial,
					Config:     c,
					Variant:    v.Label,
					Backend:    v.Backend,
					Round:      r,
					Start:      time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
					DurationNs: 1e9,
					Requests:   uint64(iops),
					IOPS:       iops,
					MBps:       iops * 4096 / 1e6,
					LatP99Ns:   1e9 / iops * 3,
				})
			}
		}
	}
	return trials
}

func TestWriteBenchfmtRoundTrip(t *testing.T) {
	h := benchTestHeader()
	trials := benchTestTrials(h, 3)
	var buf bytes.Buffer
	if err := WriteBenchfmt(&buf, h, trials); err != nil {
		t.Fatal(err)
	}

	r := benchfmt.NewReader(bytes.NewReader(buf.Bytes()), "export.bench")
	var got []Trial
	units := map[string]string{}
	for r.Scan() {
		switch rec := r.Result().(type) {
		case *benchfmt.SyntaxError:
			t.Fatalf("syntax error: %v", rec)
		case *benchfmt.UnitMetadata:
			units[rec.Unit+" "+rec.Key] = rec.Value
		case *benchfmt.Result:
			if got, want := rec.GetConfig("cpu"), "Test CPU @ 2.00GHz"; got != want {
				t.Errorf("cpu config = %q, want %q", got, want)
			}
			if got, want := rec.GetConfig("commit"), "0123abcd"; got != want {
				t.Errorf("commit config = %q, want %q", got, want)
			}
			if got, want := rec.GetConfig("go"), "go1.26.8"; got != want {
				t.Errorf("go config = %q, want %q", got, want)
			}
			base, parts := rec.Name.Parts()
			if string(base) != BenchName {
				t.Errorf("base name %q, want %q", base, BenchName)
			}
			keys := map[string]string{}
			for _, p := range parts {
				k, v, _ := strings.Cut(string(p[1:]), "=")
				if p[0] == '-' {
					k, v = "gomaxprocs", string(p[1:])
				}
				keys[k] = v
			}
			iops, ok := rec.Value(BenchUnitIOPS)
			if !ok {
				t.Fatalf("%s: no iops value", rec.Name)
			}
			nsop, ok := rec.Value("sec/op") // benchfmt tidies ns/op
			if !ok {
				t.Fatalf("%s: no sec/op value", rec.Name)
			}
			if d := nsop*iops - 1; d > 1e-12 || d < -1e-12 {
				t.Errorf("%s: sec/op %v is not 1/iops (iops %v)", rec.Name, nsop, iops)
			}
			if keys["gomaxprocs"] != "2" {
				t.Errorf("%s: gomaxprocs %q, want 2", rec.Name, keys["gomaxprocs"])
			}
			got = append(got, Trial{
				Config:  keys["rw"] + "/bs=" + keys["bs"] + "/qd=" + keys["qd"] + "/jobs=" + keys["jobs"] + benchIRQSuffix(keys["irq"]),
				Backend: keys["backend"],
				Variant: keys["variant"],
				IOPS:    iops,
			})
		}
	}
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	if units["iops better"] != "higher" || units["p99-sec better"] != "lower" {
		t.Errorf("unit metadata %v lacks iops better=higher or p99 better=lower", units)
	}
	if len(got) != len(trials) {
		t.Fatalf("read %d results, wrote %d trials", len(got), len(trials))
	}
	for i, w := range trials {
		g := got[i]
		wantVariant := ""
		if w.Variant != w.Backend {
			wantVariant = strings.ReplaceAll(w.Variant, " ", "_")
		}
		if g.Config != w.Config || g.Backend != w.Backend || g.Variant != wantVariant || g.IOPS != w.IOPS {
			t.Errorf("result %d = %+v, want config %q backend %q variant %q iops %v", i, g, w.Config, w.Backend, wantVariant, w.IOPS)
		}
	}
}

func benchIRQSuffix(v string) string {
	if v == "" {
		return ""
	}
	return "/irq=" + v
}

func TestWriteBenchfmtGolden(t *testing.T) {
	h := benchTestHeader()
	var buf bytes.Buffer
	if err := WriteBenchfmt(&buf, h, benchTestTrials(h, 2)); err != nil {
		t.Fatal(err)
	}
	interopCheckGolden(t, "testdata/benchfmt/export.golden", buf.Bytes())
}

func TestWriteBenchfmtNoHeader(t *testing.T) {
	trials := []Trial{{Variant: "x", RW: "read", BS: 1 << 20, IODepth: 8, NumJobs: 2, IOPS: 1000}}
	var buf bytes.Buffer
	if err := WriteBenchfmt(&buf, nil, trials); err != nil {
		t.Fatal(err)
	}
	if want := "BenchmarkNullblk/rw=read/bs=1m/qd=8/jobs=2/backend=x 1 1000 iops 1e+06 ns/op\n"; !strings.HasSuffix(buf.String(), want) {
		t.Errorf("got\n%s\nwant it to end with\n%s", buf.String(), want)
	}
}

func TestWriteBenchfmtRejectsZeroIOPS(t *testing.T) {
	err := WriteBenchfmt(io.Discard, nil, []Trial{{Config: "read/bs=4k", Variant: "a", IOPS: 0}})
	if err == nil || !strings.Contains(err.Error(), "iops") || strings.Contains(err.Error(), "\n") {
		t.Errorf("err = %v, want a one-line error naming iops", err)
	}
}

// benchstatVersion pins the benchstat command the export is checked with.
const benchstatVersion = "golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da"

// TestBenchstatReadsExport runs the real benchstat command on an export
// and checks that it counted every trial: 40 rounds per (config, backend)
// must appear as n=40 in each cell.
func TestBenchstatReadsExport(t *testing.T) {
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not on PATH; cannot run benchstat")
	}
	if testing.Short() {
		t.Skip("runs the benchstat command via go run; skipped with -short")
	}
	h := benchTestHeader()
	// Labels equal to backends, so each (config, backend) is one cell.
	h.Plan.Variants[2].Label = "lto"
	const rounds = 40
	trials := benchTestTrials(h, rounds)
	path := filepath.Join(t.TempDir(), "trials.bench")
	var buf bytes.Buffer
	if err := WriteBenchfmt(&buf, h, trials); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(goBin, "run", benchstatVersion, "-col", "/backend", path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("benchstat failed: %v\n%s", err, stderr.String())
		}
		t.Fatal(err)
	}
	text := string(out)
	t.Logf("benchstat output:\n%s", text)
	if stderr.Len() > 0 {
		t.Errorf("benchstat reported problems:\n%s", stderr.String())
	}
	// benchstat prints one table per unit, separated by blank lines. In
	// the iops table every non-baseline cell states its sample count as
	// "(p=… n=40)"; a trial it failed to parse would show as n=39.
	var iopsTable string
	for _, block := range strings.Split(text, "\n\n") {
		if strings.Contains(block, "│     iops") {
			iopsTable = block
		}
	}
	if iopsTable == "" {
		t.Fatalf("benchstat output has no iops table")
	}
	for _, b := range []string{"atomic", "helper", "lto"} {
		if !strings.Contains(iopsTable, b) {
			t.Errorf("iops table lacks the %s column", b)
		}
	}
	ns := regexp.MustCompile(`n=(\d+)`).FindAllStringSubmatch(iopsTable, -1)
	wantCells := len(h.Plan.Configs) * (len(h.Plan.Variants) - 1)
	if len(ns) != wantCells {
		t.Errorf("iops table has %d cells with a sample count, want %d:\n%s", len(ns), wantCells, iopsTable)
	}
	for _, m := range ns {
		if m[1] != fmt.Sprint(rounds) {
			t.Errorf("a cell has n=%s, want n=%d:\n%s", m[1], rounds, iopsTable)
		}
	}
	rows := 0
	for _, line := range strings.Split(iopsTable, "\n") {
		if strings.HasPrefix(line, "Nullblk/") {
			rows++
		}
	}
	if rows != len(h.Plan.Configs) {
		t.Errorf("iops table has %d config rows, want %d:\n%s", rows, len(h.Plan.Configs), iopsTable)
	}
}

func BenchmarkWriteBenchfmt(b *testing.B) {
	h := benchTestHeader()
	trials := benchTestTrials(h, 40)
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteBenchfmt(io.Discard, h, trials); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(trials)), "ns/trial")
}
