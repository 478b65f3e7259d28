package results

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"
)

// flagsWidth is where the flags column wraps.
const flagsWidth = 40

// ANSI colours for the terminal table: only the change cell of a
// significant row is coloured, so colour always means "this is real".
const (
	ansiRed   = "\x1b[31m"
	ansiGreen = "\x1b[32m"
	ansiReset = "\x1b[0m"
)

// RenderTable writes the report as a terminal table with scaled units
// ("1.23M", "−5.2% [−6.1, −4.3]"), then one summary line per variant,
// calibration and warnings. With colour, significant slowdowns are red and
// significant speedups green; the caller decides whether the output is a
// terminal.
func RenderTable(w io.Writer, r Report, colour bool) error {
	ew := &errWriter{w: w}
	if r.Title != "" {
		fmt.Fprintf(ew, "%s\n", r.Title)
	}
	if r.Header != nil {
		fmt.Fprintf(ew, "%s\n", envLine(r.Header))
	}
	if ew.err != nil {
		return ew.err
	}
	if len(r.Rows) > 0 {
		t := tablewriter.NewTable(w,
			tablewriter.WithEastAsian(tw.Off), // the same widths whatever the locale
			tablewriter.WithHeaderAutoFormat(tw.Off),
			tablewriter.WithRowAlignmentConfig(tw.CellAlignment{PerColumn: []tw.Align{
				tw.AlignLeft, tw.AlignLeft, tw.AlignRight, tw.AlignRight, tw.AlignRight,
				tw.AlignRight, tw.AlignRight, tw.AlignLeft, tw.AlignLeft,
			}}),
		)
		// Flags are sentences from the statistics ("helper: drift over
		// rounds (p=0.0005)"): one per line, and a long one wraps, rather
		// than one line as wide as all of them.
		t.Configure(func(cfg *tablewriter.Config) {
			cfg.Row.ColMaxWidths.PerColumn = tw.NewMapper[int, int]().Set(8, flagsWidth)
		})
		t.Header("config", "variant", "n", "baseline", "mean", "change ["+ciLabel(r.Rows)+"]", "p (adj)", "verdict", "flags")
		for _, row := range r.Rows {
			change := HumanChange(row.ChangePct, row.CILoPct, row.CIHiPct)
			if colour && row.Significant {
				switch {
				case row.ChangePct < 0:
					change = ansiRed + change + ansiReset
				case row.ChangePct > 0:
					change = ansiGreen + change + ansiReset
				}
			}
			err := t.Append([]string{
				row.Config,
				row.Variant + " vs " + row.Baseline,
				strconv.Itoa(row.N) + "/" + strconv.Itoa(row.NBaseline),
				HumanCount(row.BaselineMean),
				HumanCount(row.Mean),
				change,
				HumanP(row.PAdjusted),
				row.Verdict,
				strings.Join(row.Flags, "\n"),
			})
			if err != nil {
				return err
			}
		}
		if err := t.Render(); err != nil {
			return err
		}
	}
	for _, v := range r.Variants {
		fmt.Fprintf(ew, "%s\n", variantLine(v))
	}
	for _, c := range r.Calibration {
		fmt.Fprintf(ew, "%s\n", calibrationLine(c))
	}
	for _, v := range r.Variance {
		fmt.Fprintf(ew, "variance: %s\n", v.Line())
	}
	for _, msg := range r.Warnings {
		fmt.Fprintf(ew, "warning: %s\n", msg)
	}
	return ew.err
}

// ciLabel names the interval in a column heading, "95% CI, bca", when all
// rows agree on it (they do when one report computed them).
func ciLabel(rows []SummaryRow) string {
	c, m := rows[0].Confidence, rows[0].CIMethod
	for _, r := range rows[1:] {
		if r.Confidence != c || r.CIMethod != m {
			return "CI"
		}
	}
	s := confidencePct(c) + " CI"
	if m != "" {
		s += ", " + m
	}
	return s
}

// envLine says in one line where the trials were measured.
func envLine(h *Header) string {
	e := h.Env
	parts := []string{}
	add := func(s string) {
		if s != "" {
			parts = append(parts, s)
		}
	}
	add(e.GoVersion)
	if e.GOMAXPROCS > 0 {
		add("GOMAXPROCS=" + strconv.Itoa(e.GOMAXPROCS))
	}
	add(e.CPUModel)
	add(e.Kernel)
	p := h.Plan
	plan := fmt.Sprintf("%d configs × %d variants × %d rounds", len(p.Configs), len(p.Variants), p.Rounds)
	if p.Duration > 0 {
		plan += " of " + p.Duration.String()
	}
	plan += ", seed " + strconv.FormatUint(p.Seed, 10)
	if p.Shard != "" {
		plan += ", shard " + p.Shard
	}
	if len(parts) == 0 {
		return plan
	}
	return plan + "; " + strings.Join(parts, ", ")
}

// variantLine sums up one variant across configurations, in the seed's
// terms: the mean of difference with its interval, and how many configs
// are significant after correction.
func variantLine(v VariantSummary) string {
	s := fmt.Sprintf("%s vs %s: mean of difference %s, geomean %s; %d of %d configs significant",
		v.Variant, v.Baseline,
		HumanChange(v.MeanChangePct, v.MeanCILoPct, v.MeanCIHiPct),
		HumanChange(v.GeoMeanChangePct, v.GeoMeanCILoPct, v.GeoMeanCIHiPct),
		v.Significant, v.Configs)
	if v.Correction != "" {
		s += " (" + v.Correction + ")"
	}
	return s + fmt.Sprintf(": %d slower, %d faster", v.Slower, v.Faster)
}

// calibrationLine states one backend's measured refcount cost.
func calibrationLine(c CalibrationRow) string {
	line := fmt.Sprintf("calibration %s: ops %s; ns per request %s", c.Backend, nsMap(c.OpNs, " ns"), nsMap(c.NsPerRequest, " ns"))
	if len(c.RequestNs) > 0 {
		line += "; whole request on the bare engine " + nsMap(c.RequestNs, " ns")
	}
	return line
}

// nsMap formats a map in sorted key order, so output does not depend on
// Go's map iteration order.
func nsMap(m map[string]float64, unit string) string {
	if len(m) == 0 {
		return notANumber
	}
	keys := sortedKeys(m)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + " " + strconv.FormatFloat(m[k], 'f', 2, 64) + unit
	}
	return strings.Join(parts, ", ")
}

// errWriter remembers the first write error so a renderer can check once.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
