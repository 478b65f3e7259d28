package results

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Format names a report format, as the report command's --format takes it.
type Format string

// Report formats. Table and Markdown are for people (scaled units); CSV,
// JSON and benchfmt are for programs (unscaled, stable); HTML is a page
// with plots.
const (
	FormatTable    Format = "table"
	FormatCSV      Format = "csv"
	FormatMarkdown Format = "markdown"
	FormatJSON     Format = "json"
	FormatBenchfmt Format = "benchfmt"
	FormatHTML     Format = "html"
)

// Formats lists the report formats in the order help text shows them.
var Formats = []Format{FormatTable, FormatCSV, FormatMarkdown, FormatJSON, FormatBenchfmt, FormatHTML}

// ParseFormat reads a --format value; "md" is accepted for markdown.
func ParseFormat(s string) (Format, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	if t == "md" {
		return FormatMarkdown, nil
	}
	for _, f := range Formats {
		if t == string(f) {
			return f, nil
		}
	}
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = string(f)
	}
	return "", fmt.Errorf("--format: %q: want one of %s", s, strings.Join(names, ", "))
}

// notANumber is how human formats show a value that could not be
// computed (too few trials, a zero baseline).
const notANumber = "n/a"

// minus is the typographic minus sign: "−5.2%" reads better than "-5.2%"
// and does not look like a hyphenated range.
const minus = "\u2212"

// HumanCount formats a throughput such as IOPS with three significant
// digits and an SI suffix: 950, 12.3k, 1.23M.
func HumanCount(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return notANumber
	}
	sign := ""
	if v < 0 {
		sign, v = minus, -v
	}
	units := []string{"", "k", "M", "G", "T", "P"}
	u := 0
	for u < len(units)-1 && round3(v) >= 1000 {
		v /= 1000
		u++
	}
	return sign + sig3(v) + units[u]
}

// round3 rounds v to three significant digits, so that 999.7 counts as
// 1000 and is shown as "1.00k" rather than "1000".
func round3(v float64) float64 {
	r, _ := strconv.ParseFloat(sig3(v), 64)
	return r
}

func sig3(v float64) string {
	switch {
	case v >= 99.95:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 9.995:
		return strconv.FormatFloat(v, 'f', 1, 64)
	default:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
}

// signed formats a percentage with one decimal and an explicit sign, the
// typographic minus, and no "−0.0".
func signed(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return notANumber
	}
	s := strconv.FormatFloat(v, 'f', 1, 64)
	switch {
	case s == "0.0" || s == "-0.0":
		return "0.0"
	case s[0] == '-':
		return minus + s[1:]
	}
	return "+" + s
}

// HumanChange formats a change and its interval as "−5.2% [−6.1, −4.3]".
func HumanChange(pct, lo, hi float64) string {
	if math.IsNaN(pct) || math.IsInf(pct, 0) {
		return notANumber
	}
	s := signed(pct) + "%"
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return s
	}
	return s + " [" + signed(lo) + ", " + signed(hi) + "]"
}

// HumanP formats a p-value with three decimals, small ones as "<0.001".
func HumanP(p float64) string {
	switch {
	case math.IsNaN(p) || math.IsInf(p, 0):
		return notANumber
	case p < 0.001:
		return "<0.001"
	}
	return strconv.FormatFloat(p, 'f', 3, 64)
}

// plain formats a number for machine formats: the shortest form that
// reads back exactly, unscaled, without an exponent unless the number is
// tiny or huge (the rule encoding/json uses); "NaN" and "+Inf"/"-Inf" for
// non-finite values.
func plain(v float64) string {
	if a := math.Abs(v); a != 0 && (a < 1e-6 || a >= 1e21) {
		return strconv.FormatFloat(v, 'e', -1, 64)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// confidencePct formats a confidence level 0.95 as "95%".
func confidencePct(c float64) string {
	if math.IsNaN(c) || c <= 0 {
		return notANumber
	}
	return strconv.FormatFloat(c*100, 'g', 4, 64) + "%"
}
