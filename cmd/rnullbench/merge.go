package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/rnullbench/rnullbench/results"
)

const mergeExamples = `  # four machines each ran: rnullbench compare --matrix fio-matrix --shard i/4 --out shard-i
  rnullbench merge --out fio-run shard-1 shard-2 shard-3 shard-4
`

// runMerge joins the outputs of sharded runs of one plan into one run
// directory, refusing parts of different plans.
func runMerge(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("merge", "--out DIR SHARD...", mergeExamples, stdout)
	var af analysisFlags
	af.bind(fs)
	out := fs.String("out", "", "output `DIR` for the merged trials.jsonl and the reports (required)")
	args, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if *out == "" {
		return usagef("--out: required: name the directory for the merged run")
	}
	o, err := af.options()
	if err != nil {
		return err
	}
	ds, err := load(args)
	if err != nil {
		return err
	}
	if ds.Header == nil {
		return usagef("%s: no run header: merge joins trials files written by compare --shard", args[0])
	}
	path := filepath.Join(*out, "trials.jsonl")
	if _, err := os.Stat(path); err == nil {
		return usagef("%s exists: merge into a new --out", path)
	}
	h := *ds.Header
	h.Plan.Shard = ""
	// Execution order, so the merged file reads like one machine's run.
	sort.SliceStable(ds.Trials, func(i, j int) bool {
		a, b := ds.Trials[i], ds.Trials[j]
		if a.Round != b.Round {
			return a.Round < b.Round
		}
		return a.Position < b.Position
	})
	want := len(h.Plan.Configs) * len(h.Plan.Variants) * h.Plan.Rounds
	if len(ds.Trials) < want {
		fmt.Fprintf(stderr, "rnullbench merge: %d of the plan's %d trials present (a shard missing or interrupted?)\n", len(ds.Trials), want)
	}
	ds.Header = &h
	// Analyse before writing anything, so a merge that cannot be reported
	// leaves nothing behind.
	rep, err := results.Analyze(ds.Header, ds.Trials, o)
	if err != nil {
		return fmt.Errorf("no report: %w", err)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return usagef("--out %s: %v", *out, err)
	}
	if err := results.WriteFileAtomic(path, func(w io.Writer) error { return results.WriteTrials(w, &h, ds.Trials) }); err != nil {
		return err
	}
	return writeReports(*out, rep, stdout, stderr)
}
