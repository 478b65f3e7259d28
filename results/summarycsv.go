package results

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
)

// SummaryCSVColumns are the columns of summary.csv: the contract's columns
// (DESIGN.md §3) in their order, then extras. Tools select columns by
// name, so new columns go at the end.
var SummaryCSVColumns = []string{
	"config", "variant", "baseline", "n", "n_baseline", "mean", "baseline_mean",
	"change_pct", "ci_lo_pct", "ci_hi_pct", "ci_method", "confidence", "p_value", "significant",
	"p_adjusted", "verdict", "flags",
}

// RenderCSV writes the report's rows as summary.csv: one row per (config,
// variant), numbers unscaled in their shortest exact form (NaN when a
// value could not be computed), flags joined by ";".
func RenderCSV(w io.Writer, r Report) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(SummaryCSVColumns); err != nil {
		return err
	}
	for _, row := range r.Rows {
		err := cw.Write([]string{
			row.Config, row.Variant, row.Baseline,
			strconv.Itoa(row.N), strconv.Itoa(row.NBaseline),
			plain(row.Mean), plain(row.BaselineMean),
			plain(row.ChangePct), plain(row.CILoPct), plain(row.CIHiPct),
			row.CIMethod, plain(row.Confidence), plain(row.PValue),
			strconv.FormatBool(row.Significant),
			plain(row.PAdjusted), row.Verdict, strings.Join(row.Flags, ";"),
		})
		if err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
