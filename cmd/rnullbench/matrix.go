package main

import (
	"fmt"
	"io"

	"github.com/rnullbench/rnullbench/harness"
	"github.com/rnullbench/rnullbench/stats"
)

const matrixExamples = `  rnullbench matrix                       # the default (quick) matrix
  rnullbench matrix --matrix fio-matrix   # the original 120 points
  rnullbench matrix --rw randread,randwrite --bs 4k,1m --iodepth 1,32
`

func runMatrix(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("matrix", "[flags]", matrixExamples, stdout)
	var mf matrixFlags
	mf.bind(fs)
	args, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	mx, err := mf.build(setFlags(fs))
	if err != nil {
		return err
	}
	for _, w := range mx {
		fmt.Fprintln(stdout, w.Name())
	}
	fmt.Fprintf(stderr, "%d configurations\n", len(mx))
	return nil
}

const runExamples = `  rnullbench run --backend helper --out helper-run
  rnullbench run --backend atomic --rw randread --bs 4k --n 10 --out quick-atomic
`

// runRun records trials of one backend, e.g. to compare builds of the
// tool itself with check --base/--head later.
func runRun(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("run", "--backend B [flags]", runExamples, stdout)
	var rf runFlags
	rf.bind(fs)
	rf.command, rf.args = "run", args
	backend := fs.String("backend", "atomic", "backend to run (atomic, helper, lto, helper-atomic), or LABEL=BACKEND")
	args, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(args) > 0 {
		return usagef("unexpected argument %q (flags only; see rnullbench run --help)", args[0])
	}
	variants, err := harness.ParseVariants(*backend)
	if err != nil {
		return usagef("--backend: %v", err)
	}
	if len(variants) != 1 {
		return usagef("--backend: give one backend (compare runs several)")
	}
	plan, err := rf.plan(fs, variants)
	if err != nil {
		return err
	}
	ds, runErr := measure(rf, plan, stderr)
	if ds == nil || rf.child.active() {
		return runErr
	}
	byConfig := map[string][]float64{}
	for _, t := range ds.Trials {
		byConfig[t.Config] = append(byConfig[t.Config], t.IOPS)
	}
	for _, name := range plan.Record().Configs {
		if xs := byConfig[name]; len(xs) > 0 {
			s := stats.Describe(xs)
			fmt.Fprintf(stdout, "%-40s %12.0f IOPS  sd %5.2f%%  n=%d\n", name, s.Mean, 100*s.SD/s.Mean, s.N)
		}
	}
	return runErr
}
