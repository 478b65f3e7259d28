package results

import (
	"fmt"
	"strings"
)

// Report is everything a renderer needs: the per-configuration rows, the
// per-variant summary across configurations, the raw trials (for
// distributions), and where they were measured. Renderers only format a
// Report; they compute nothing, so every format tells the same story.
type Report struct {
	Title    string
	Header   *Header // nil when the data came from a raw CSV
	Rows     []SummaryRow
	Variants []VariantSummary
	Trials   []Trial
	// Calibration, when known, states what one refcount operation costs per
	// backend, so a reader can relate a change in percent to nanoseconds.
	Calibration []CalibrationRow
	// Variance, for runs whose rounds ran in fresh processes, splits each
	// configuration's variance into between- and within-process parts.
	Variance []VarianceRow
	// Uncompared lists "config, variant" pairs that could not be compared
	// because one side has no trials; check refuses to pass such a run.
	Uncompared []string
	Warnings   []string
}

// VarianceRow is how one (config, variant)'s trials vary between fresh
// processes compared with within one process.
type VarianceRow struct {
	Config       string  `json:"config"`
	Variant      string  `json:"variant"`
	Processes    int     `json:"processes"`
	N            int     `json:"n"`
	WithinCVPct  float64 `json:"within_cv_pct"`  // within-process SD, % of the mean
	BetweenCVPct float64 `json:"between_cv_pct"` // between-process SD, % of the mean
	BetweenShare float64 `json:"between_share"`  // share of the variance between processes
	PValue       float64 `json:"p_value"`        // F test of "no process effect"
}

// Line says it in one sentence for text reports.
func (v VarianceRow) Line() string {
	p := HumanP(v.PValue)
	if !strings.HasPrefix(p, "<") {
		p = "=" + p
	}
	return fmt.Sprintf("%s, %s: within a process %.2f%%, between processes %.2f%% (%.0f%% of the variance between %d processes, p%s)",
		v.Config, v.Variant, v.WithinCVPct, v.BetweenCVPct, 100*v.BetweenShare, v.Processes, p)
}

// VariantSummary sums one variant up across all configurations.
type VariantSummary struct {
	Variant  string `json:"variant"`
	Baseline string `json:"baseline"`
	Configs  int    `json:"configs"`

	// Mean of difference: the average change_pct over configurations, as
	// the original kernel measurements report it, with a bootstrap CI.
	MeanChangePct float64 `json:"mean_change_pct"`
	MeanCILoPct   float64 `json:"mean_ci_lo_pct"`
	MeanCIHiPct   float64 `json:"mean_ci_hi_pct"`

	// Geometric mean of the per-configuration ratios, as a percent change.
	GeoMeanChangePct float64 `json:"geomean_change_pct"`
	GeoMeanCILoPct   float64 `json:"geomean_ci_lo_pct"`
	GeoMeanCIHiPct   float64 `json:"geomean_ci_hi_pct"`

	// Counts of configurations whose change is significant after the
	// multiple-comparison correction named in Correction.
	Significant int    `json:"significant"`
	Slower      int    `json:"slower"`
	Faster      int    `json:"faster"`
	Correction  string `json:"correction"`
}

// CalibrationRow is the measured cost of one backend's refcount operations.
type CalibrationRow struct {
	Backend       string             `json:"backend"`
	OpNs          map[string]float64 `json:"op_ns"`           // e.g. "inc": 1.2
	OpsPerRequest map[string]float64 `json:"ops_per_request"` // by irqmode
	NsPerRequest  map[string]float64 `json:"ns_per_request"`  // by irqmode: the ops' isolated costs added up
	// RequestNs is a whole request on the bare engine (4 KiB randread,
	// iodepth 1, not memory-backed), by irqmode, measured in slices taken
	// in turn with the other backends. Isolated operations hide a call's
	// cost behind the atomic's latency; the difference between backends
	// here is what the request path pays.
	RequestNs map[string]float64 `json:"request_ns,omitempty"`
}
