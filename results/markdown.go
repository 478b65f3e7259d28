package results

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// RenderMarkdown writes the report as GitHub-flavoured markdown, for a
// pull-request comment or report.md: a table of the rows, then a short
// paragraph per variant (the mean of difference with its interval, and how
// many configs are significant after correction), the flags raised, the
// calibration and the warnings.
func RenderMarkdown(w io.Writer, r Report) error {
	ew := &errWriter{w: w}
	p := func(format string, args ...any) { fmt.Fprintf(ew, format, args...) }
	if r.Title != "" {
		p("### %s\n\n", mdEscape(r.Title))
	}
	if r.Header != nil {
		p("%s\n\n", mdEscape(envLine(r.Header)))
	}
	if len(r.Rows) > 0 {
		p("| config | variant | n | baseline | mean | change [%s] | p (adj) | verdict | flags |\n", mdEscape(ciLabel(r.Rows)))
		p("|---|---|--:|--:|--:|--:|--:|---|---|\n")
		for _, row := range r.Rows {
			change := HumanChange(row.ChangePct, row.CILoPct, row.CIHiPct)
			if row.Significant {
				change = "**" + change + "**"
			}
			p("| %s | %s vs %s | %d/%d | %s | %s | %s | %s | %s | %s |\n",
				mdCode(row.Config), mdEscape(row.Variant), mdEscape(row.Baseline), row.N, row.NBaseline,
				HumanCount(row.BaselineMean), HumanCount(row.Mean), change, HumanP(row.PAdjusted),
				mdEscape(row.Verdict), mdEscape(strings.Join(row.Flags, ", ")))
		}
		p("\n")
	} else {
		p("No comparisons: the data holds no variant besides the baseline.\n\n")
	}
	for _, v := range r.Variants {
		p("%s\n\n", variantParagraph(v))
	}
	if flags := flagCounts(r.Rows); flags != "" {
		p("Flags: %s.\n\n", flags)
	}
	if len(r.Calibration) > 0 {
		p("Calibration (cost of the refcount operations per backend):\n\n")
		for _, c := range r.Calibration {
			p("- %s\n", mdEscape(calibrationLine(c)))
		}
		p("\n")
	}
	if len(r.Variance) > 0 {
		p("Variance between and within processes (each group of rounds ran in a fresh process):\n\n")
		for _, v := range r.Variance {
			p("- %s\n", mdEscape(v.Line()))
		}
		p("\n")
	}
	if len(r.Warnings) > 0 {
		p("Warnings:\n\n")
		for _, msg := range r.Warnings {
			p("- %s\n", mdEscape(msg))
		}
		p("\n")
	}
	return ew.err
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// variantParagraph says what one variant does, in the seed's words.
func variantParagraph(v VariantSummary) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s vs %s**: mean of difference %s over %s (geometric mean %s). ",
		mdEscape(v.Variant), mdEscape(v.Baseline),
		HumanChange(v.MeanChangePct, v.MeanCILoPct, v.MeanCIHiPct), plural(v.Configs, "config"),
		HumanChange(v.GeoMeanChangePct, v.GeoMeanCILoPct, v.GeoMeanCIHiPct))
	fmt.Fprintf(&b, "%d of %s differ significantly", v.Significant, plural(v.Configs, "config"))
	if v.Correction != "" {
		fmt.Fprintf(&b, " after %s correction", mdEscape(v.Correction))
	}
	switch {
	case v.Significant == 0:
		// Not "no effect": an interval that contains 0 may still hide
		// an effect smaller than the noise.
		b.WriteString(": no significant change at this noise level.")
	default:
		fmt.Fprintf(&b, ": %d slower, %d faster.", v.Slower, v.Faster)
	}
	return b.String()
}

// flagCounts lists each flag raised and on how many rows, in order of
// first appearance, e.g. "bimodal (2), drift (1)".
func flagCounts(rows []SummaryRow) string {
	var order []string
	count := map[string]int{}
	for _, r := range rows {
		for _, f := range r.Flags {
			if count[f] == 0 {
				order = append(order, f)
			}
			count[f]++
		}
	}
	parts := make([]string, len(order))
	for i, f := range order {
		parts[i] = mdEscape(f) + " (" + strconv.Itoa(count[f]) + ")"
	}
	return strings.Join(parts, ", ")
}

// mdEscape keeps text from being read as markdown or breaking a table.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "<", "&lt;", ">", "&gt;",
	"[", `\[`, "]", `\]`, "\n", " ",
)

func mdEscape(s string) string { return mdEscaper.Replace(s) }

// mdCode shows a config name as code, which needs no escaping inside
// except for the table's pipe and backticks.
func mdCode(s string) string {
	if s == "" {
		return ""
	}
	s = strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "\n", " ")
	if strings.Contains(s, "`") {
		return "`` " + s + " ``"
	}
	return "`" + s + "`"
}
