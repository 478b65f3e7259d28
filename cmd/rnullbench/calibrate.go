package main

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/rnullbench/rnullbench/harness"
	"github.com/rnullbench/rnullbench/nullblk"
	"github.com/rnullbench/rnullbench/results"
)

const calibrateExamples = `  rnullbench calibrate
  rnullbench calibrate --backends atomic,helper --iters 20000000 --format json
`

// runCalibrate prints what each backend's refcount operations cost alone
// and per request, the figures a report's header quotes.
func runCalibrate(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("calibrate", "[flags]", calibrateExamples, stdout)
	backends := fs.String("backends", "atomic,helper,lto,helper-atomic", "backends to measure")
	iters := fs.Int("iters", harness.CalibrationIters, "operations timed per measurement")
	format := fs.String("format", "table", "output format: table or json")
	args, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	vs, err := harness.ParseVariants(*backends)
	if err != nil {
		return err
	}
	if *iters < 1000 || *iters > nullblk.MaxCalibrateIters {
		return usagef("--iters: %d: want 1000 to %d", *iters, nullblk.MaxCalibrateIters)
	}
	if *format != "table" && *format != "json" {
		return usagef("--format: %q: want table or json", *format)
	}
	var bs []nullblk.Backend
	for _, v := range vs {
		bs = append(bs, v.Backend)
	}
	rows := harness.Calibrate(bs, *iters)
	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rows)
	}
	return calibrationTable(stdout, rows)
}

var calibratedOps = []string{nullblk.OpSet, nullblk.OpInc, nullblk.OpDecAndTest, nullblk.OpIncNotZero, nullblk.OpCAS20}

func calibrationTable(w io.Writer, rows []results.CalibrationRow) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "backend\t")
	for _, op := range calibratedOps {
		fmt.Fprintf(tw, "%s ns\t", op)
	}
	fmt.Fprint(tw, "per request: none\tsoftirq\ttimer\t\n")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t", r.Backend)
		for _, op := range calibratedOps {
			fmt.Fprintf(tw, "%.2f\t", r.OpNs[op])
		}
		for _, m := range []string{"none", "softirq", "timer"} {
			fmt.Fprintf(tw, "%.2f ns (%g ops)\t", r.NsPerRequest[m], r.OpsPerRequest[m])
		}
		fmt.Fprint(tw, "\n")
	}
	return tw.Flush()
}
