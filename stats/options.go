package stats

import (
	"fmt"
	"strings"
)

// Method names how a confidence interval for the change in percent is
// computed.
type Method string

// The interval methods. BCa is the default, as in scipy.stats.bootstrap.
const (
	// MethodBCa is the bias-corrected and accelerated bootstrap of the
	// ratio of means minus one, the two samples resampled independently
	// (or as pairs in ComparePaired), acceleration from the jackknife.
	MethodBCa Method = "bca"
	// MethodPercentile is the plain percentile bootstrap of the same
	// statistic.
	MethodPercentile Method = "percentile"
	// MethodT is the interval of the original kernel measurements:
	// SE = √(var_b/n_b + var_v/n_v) on the difference of means, a Student
	// t quantile with df = n (the smaller n when they differ), expressed in
	// percent of the baseline mean.
	MethodT Method = "t"
	// MethodWelch is the same difference-of-means interval with the
	// Welch–Satterthwaite degrees of freedom.
	MethodWelch Method = "welch"
	// MethodPaired is the paired t-interval on per-round differences
	// (df = n−1), in percent of the baseline mean. It needs samples of
	// equal length in round order.
	MethodPaired Method = "paired"
)

// Methods lists every Method in the order a usage message shows them.
var Methods = []Method{MethodBCa, MethodPercentile, MethodT, MethodWelch, MethodPaired}

// ParseMethod maps a command-line spelling (case-insensitive) to a Method.
func ParseMethod(s string) (Method, error) {
	m := Method(strings.ToLower(strings.TrimSpace(s)))
	for _, k := range Methods {
		if m == k {
			return k, nil
		}
	}
	return "", fmt.Errorf("ci method %q: want one of bca, percentile, t, welch, paired", s)
}

// Options configures a comparison. Start from DefaultOptions; a zero field
// means "the default" so a partly filled Options also works.
type Options struct {
	Confidence float64 // two-sided confidence level in (0,1); default 0.95
	Method     Method  // interval method; default MethodBCa
	Resamples  int     // bootstrap resamples B; default 10000
	Seed       uint64  // same seed + same data → bit-identical results
	// NoiseThreshold is in percent: a significant change whose interval
	// reaches inside ±NoiseThreshold is "within noise"; default 1.0 (0
	// means the default, so use a tiny value such as 1e-9 to turn it off).
	NoiseThreshold float64
	// Paired makes CompareMany pair the samples by round and resample
	// whole pairs (for BCa and percentile; the t methods become the
	// paired t-interval), with the paired t-test's p-value. For data
	// whose variants were measured side by side in every round.
	Paired bool
}

// DefaultOptions returns the documented defaults: 95% BCa intervals from
// 10 000 resamples, seed 0, noise threshold 1%.
func DefaultOptions() Options {
	return Options{Confidence: 0.95, Method: MethodBCa, Resamples: 10000, NoiseThreshold: 1.0}
}

// normalize fills zero fields with defaults and rejects values that cannot
// be used, naming the field.
func (o Options) normalize() (Options, error) {
	d := DefaultOptions()
	if o.Confidence == 0 {
		o.Confidence = d.Confidence
	}
	if !(o.Confidence > 0 && o.Confidence < 1) {
		return o, fmt.Errorf("confidence %v: want a level strictly between 0 and 1", o.Confidence)
	}
	if o.Method == "" {
		o.Method = d.Method
	}
	if _, err := ParseMethod(string(o.Method)); err != nil {
		return o, err
	}
	if o.Resamples == 0 {
		o.Resamples = d.Resamples
	}
	if o.Resamples < 100 {
		return o, fmt.Errorf("resamples %d: want at least 100", o.Resamples)
	}
	if o.NoiseThreshold == 0 {
		o.NoiseThreshold = d.NoiseThreshold
	}
	if !(o.NoiseThreshold >= 0) || isInf(o.NoiseThreshold) {
		return o, fmt.Errorf("noise threshold %v: want a finite percentage ≥ 0", o.NoiseThreshold)
	}
	return o, nil
}

// Correction names a multiple-comparison adjustment of p-values.
type Correction string

// The corrections Adjust knows.
const (
	// CorrectionHolm controls the family-wise error rate (Holm 1979); the
	// default.
	CorrectionHolm Correction = "holm"
	// CorrectionBH controls the false discovery rate (Benjamini–Hochberg).
	CorrectionBH Correction = "bh"
	// CorrectionNone leaves p-values as they are.
	CorrectionNone Correction = "none"
)

// ParseCorrection maps a command-line spelling (case-insensitive; "fdr" is
// accepted for bh) to a Correction. The empty string means Holm.
func ParseCorrection(s string) (Correction, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "holm":
		return CorrectionHolm, nil
	case "bh", "fdr", "benjamini-hochberg":
		return CorrectionBH, nil
	case "none":
		return CorrectionNone, nil
	}
	return "", fmt.Errorf("correction %q: want one of holm, bh, none", s)
}
