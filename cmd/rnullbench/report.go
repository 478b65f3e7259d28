package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/term"

	"github.com/rnullbench/rnullbench/results"
	"github.com/rnullbench/rnullbench/stats"
)

// analysisFlags are the statistics knobs shared by compare, report and
// check.
type analysisFlags struct {
	ci         string
	resamples  int
	confidence float64
	seed       uint64
	correction string
	noise      float64
}

func (a *analysisFlags) bind(fs *flag.FlagSet) {
	d := stats.DefaultOptions()
	fs.StringVar(&a.ci, "ci", "auto", "confidence interval: auto (paired for runs of this tool, whose variants run side by side in every round; bca for other data), bca, percentile, t (df = n, as the original kernel measurements), welch, paired")
	fs.IntVar(&a.resamples, "resamples", d.Resamples, "bootstrap resamples")
	fs.Float64Var(&a.confidence, "confidence", d.Confidence, "confidence level of the intervals")
	fs.Uint64Var(&a.seed, "stats-seed", 1, "seed of the bootstrap (same data + seed → same report)")
	fs.StringVar(&a.correction, "correction", string(stats.CorrectionHolm), "multiple-comparison correction: holm, bh, none")
	fs.Float64Var(&a.noise, "noise", d.NoiseThreshold, "changes smaller than this many percent are 'within noise'")
}

func (a *analysisFlags) options() (results.AnalyzeOptions, error) {
	o := stats.DefaultOptions()
	var m stats.Method // "" lets Analyze choose by the data's provenance
	if a.ci != "auto" {
		var err error
		if m, err = stats.ParseMethod(a.ci); err != nil {
			return results.AnalyzeOptions{}, usagef("--ci: %v (or auto)", err)
		}
	}
	c, err := stats.ParseCorrection(a.correction)
	if err != nil {
		return results.AnalyzeOptions{}, usagef("--correction: %v", err)
	}
	switch {
	case a.resamples < 100:
		return results.AnalyzeOptions{}, usagef("--resamples: %d: want at least 100", a.resamples)
	case !(a.confidence > 0 && a.confidence < 1):
		return results.AnalyzeOptions{}, usagef("--confidence: %v: want a level between 0 and 1, e.g. 0.95", a.confidence)
	case !(a.noise >= 0) || math.IsInf(a.noise, 0):
		return results.AnalyzeOptions{}, usagef("--noise: %v: want 0 or more percent", a.noise)
	}
	o.Method, o.Resamples, o.Confidence, o.Seed, o.NoiseThreshold = m, a.resamples, a.confidence, a.seed, a.noise
	return results.AnalyzeOptions{Stats: o, Correction: c}, nil
}

// reportFiles are the files compare writes next to trials.jsonl.
var reportFiles = []struct {
	name   string
	render func(io.Writer, results.Report) error
}{
	{"summary.csv", results.RenderCSV},
	{"summary.json", results.RenderJSON},
	{"report.md", results.RenderMarkdown},
	{"report.html", results.RenderHTML},
}

// writeReports writes a run's report files atomically, then prints the
// table for the person at the terminal.
func writeReports(dir string, rep results.Report, stdout, stderr io.Writer) error {
	for _, f := range reportFiles {
		if err := results.WriteFileAtomic(filepath.Join(dir, f.name), func(w io.Writer) error { return f.render(w, rep) }); err != nil {
			return err
		}
	}
	if err := results.RenderTable(stdout, rep, isTerminal(stdout)); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "rnullbench: wrote %s/{trials.jsonl,%s}\n", dir, strings.Join(reportNames(), ","))
	return nil
}

func reportNames() []string {
	var n []string
	for _, f := range reportFiles {
		n = append(n, f.name)
	}
	return n
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

const reportExamples = `  rnullbench report rnullbench-out/trials.jsonl
  rnullbench report --fio-pattern '{variant}/{config}/{round}.json' nullb0/*/*.json rnullb0/*/*.json
  rnullbench report --format markdown --ci t rnullbench-out/trials.jsonl > report.md
  rnullbench report --format csv --baseline C measurements.csv   # config,variant,value[,trial]
`

func runReport(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("report", "[flags] FILE...", reportExamples, stdout)
	var af analysisFlags
	af.bind(fs)
	format := fs.String("format", "table", "output format: table, csv, markdown, json, benchfmt (for the benchstat command), html")
	baseline := fs.String("baseline", "", "variant the others are compared against (default: the run's baseline, or the first variant)")
	var in inputFlags
	in.bind(fs)
	args, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	render, err := renderer(*format, stdout)
	if err != nil {
		return err
	}
	o, err := af.options()
	if err != nil {
		return err
	}
	o.Baseline = *baseline
	ds, err := loadWith(args, in)
	if err != nil {
		return err
	}
	for _, w := range ds.Warnings {
		fmt.Fprintf(stderr, "rnullbench report: %s\n", w)
	}
	rep, err := results.Analyze(ds.Header, ds.Trials, o)
	if err != nil {
		return err
	}
	return render(stdout, rep)
}

func renderer(format string, stdout io.Writer) (func(io.Writer, results.Report) error, error) {
	f, err := results.ParseFormat(format)
	if err != nil {
		return nil, usageError{err}
	}
	switch f {
	case results.FormatTable:
		colour := isTerminal(stdout)
		return func(w io.Writer, r results.Report) error { return results.RenderTable(w, r, colour) }, nil
	case results.FormatCSV:
		return results.RenderCSV, nil
	case results.FormatMarkdown:
		return results.RenderMarkdown, nil
	case results.FormatJSON:
		return results.RenderJSON, nil
	case results.FormatHTML:
		return results.RenderHTML, nil
	default: // results.FormatBenchfmt
		return func(w io.Writer, r results.Report) error { return results.WriteBenchfmt(w, r.Header, r.Trials) }, nil
	}
}

// inputFlags say how to read files that are not our own trials files.
type inputFlags struct {
	fioPattern string
}

func (in *inputFlags) bind(fs *flag.FlagSet) {
	fs.StringVar(&in.fioPattern, "fio-pattern", "", "for fio JSON files (one per trial): take variant, config and round from the path, e.g. '{variant}/{config}/{round}.json'")
}

func load(paths []string) (*results.Dataset, error) {
	return loadWith(paths, inputFlags{})
}

// loadWith reads trials files, raw CSVs, or fio JSON output (one file per
// trial); a directory stands for the trials.jsonl of a run.
func loadWith(paths []string, in inputFlags) (*results.Dataset, error) {
	if len(paths) == 0 {
		return nil, usagef("no FILE given: name a trials.jsonl, a CSV file or fio JSON output")
	}
	var files, fioFiles []string
	for _, p := range paths {
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			p = filepath.Join(p, "trials.jsonl")
		}
		if isFioOutput(p) {
			fioFiles = append(fioFiles, p)
		} else {
			files = append(files, p)
		}
	}
	if len(fioFiles) > 0 {
		if len(files) > 0 {
			return nil, usagef("%s and %s: cannot mix fio output with trials files in one report", fioFiles[0], files[0])
		}
		return loadFio(fioFiles, in)
	}
	ds, err := results.Load(files...)
	if err != nil {
		return nil, err
	}
	return &ds, nil
}

// isFioOutput sniffs fio's JSON output by its version field.
func isFioOutput(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 8<<10)
	n, _ := io.ReadFull(f, head)
	return bytes.Contains(head[:n], []byte(`"fio version"`))
}

// loadFio reads one trial per fio output file. Without a path pattern
// that names the round, files of one config and variant are numbered as
// rounds in the order given.
func loadFio(paths []string, in inputFlags) (*results.Dataset, error) {
	ds := &results.Dataset{}
	rounds := map[string]int{}
	seen := map[string]string{}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		ts, err := results.ReadFio(f, p, results.FioOptions{PathPattern: in.fioPattern})
		f.Close()
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			if !strings.Contains(in.fioPattern, "{round}") {
				k := t.Config + "\x00" + t.Variant
				rounds[k]++
				t.Round = rounds[k]
			}
			key := fmt.Sprintf("%s / %s / round %d", t.Config, t.Variant, t.Round)
			if prev, dup := seen[key]; dup {
				return nil, fmt.Errorf("%s: trial %s is also in %s", p, key, prev)
			}
			seen[key] = p
			ds.Trials = append(ds.Trials, t)
		}
	}
	return ds, nil
}

// percentFlag reads "2%" or "2".
type percentFlag float64

func (p *percentFlag) String() string { return strconv.FormatFloat(float64(*p), 'g', -1, 64) + "%" }
func (p *percentFlag) Set(s string) error {
	v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "%"), 64)
	if err != nil || !(v >= 0) || math.IsInf(v, 0) {
		return fmt.Errorf("%q: want a percentage such as 2%%", s)
	}
	*p = percentFlag(v)
	return nil
}

// listFlag collects a repeatable flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }
