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

// calibrationTable prints the isolated operations, then the whole request
// on the bare engine with its difference from the first backend: the
// figure that says what a backend costs per request.
func calibrationTable(w io.Writer, rows []results.CalibrationRow) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	modes := []string{"none", "softirq", "timer"}
	fmt.Fprint(tw, "backend\t")
	for _, op := range calibratedOps {
		fmt.Fprintf(tw, "%s\t", op)
	}
	for _, m := range modes {
		fmt.Fprintf(tw, "request %s\t", m)
	}
	fmt.Fprint(tw, "\n")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t", r.Backend)
		for _, op := range calibratedOps {
			fmt.Fprintf(tw, "%.2f\t", r.OpNs[op])
		}
		for _, m := range modes {
			d := r.RequestNs[m] - rows[0].RequestNs[m]
			if r.Backend == rows[0].Backend {
				fmt.Fprintf(tw, "%.2f\t", r.RequestNs[m])
			} else {
				fmt.Fprintf(tw, "%.2f (%+.2f)\t", r.RequestNs[m], d)
			}
		}
		fmt.Fprint(tw, "\n")
	}
	fmt.Fprintln(tw, "(ns: each operation alone, back to back; a whole 4 KiB request on the bare engine, and its difference from the first backend)")
	return tw.Flush()
}
