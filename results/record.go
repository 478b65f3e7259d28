package results

import "time"

// Record kinds. Every line of a trials file carries one in its "kind"
// field so that readers can tell a trial from the run's header.
const (
	KindHeader = "header"
	KindTrial  = "trial"
)

// Header is the first line of a trials file: the plan the trials belong to
// and the environment they were measured in. Resuming a run compares the
// plan hash, so a resumed run can never mix two different plans.
type Header struct {
	Kind     string    `json:"kind"` // always KindHeader
	Schema   int       `json:"schema"`
	PlanHash string    `json:"plan_hash"`
	Plan     Plan      `json:"plan"`
	Env      Env       `json:"env"`
	Started  time.Time `json:"started"`
	// Calibration is measured once at the start of a run, so a report
	// made later from the file can still relate percent to nanoseconds.
	Calibration []CalibrationRow `json:"calibration,omitempty"`
}

// Plan is everything that decides which trials a run consists of and in
// which order. Two runs with equal plans produce the same set of trials.
type Plan struct {
	Configs  []string          `json:"configs"`  // stable config names, in matrix order
	Variants []Variant         `json:"variants"` // baseline first
	Baseline string            `json:"baseline"` // label of the baseline variant
	Rounds   int               `json:"rounds"`   // N measured rounds
	Warmup   int               `json:"warmup"`   // discarded warm-up trials per (config, variant)
	Duration time.Duration     `json:"duration_ns"`
	Seed     uint64            `json:"seed"`
	Shard    string            `json:"shard,omitempty"` // "i/n" when only part of the plan runs here
	Engine   string            `json:"engine,omitempty"`
	Slices   int               `json:"slices,omitempty"` // each trial in this many pieces, interleaved with the other variants of its config
	Extra    map[string]string `json:"extra,omitempty"`
}

// Variant is one arm of a comparison: a label and the backend it runs.
// "aa=atomic" gives Label "aa", Backend "atomic".
type Variant struct {
	Label   string `json:"label"`
	Backend string `json:"backend"`
}

// Env records where the trials were measured, once per run.
type Env struct {
	GoVersion   string   `json:"go_version"`
	GOMAXPROCS  int      `json:"gomaxprocs"`
	NumCPU      int      `json:"num_cpu"`
	CPUModel    string   `json:"cpu_model"`
	Kernel      string   `json:"kernel"`
	Host        string   `json:"host"`
	ToolVersion string   `json:"tool_version"`
	Commit      string   `json:"commit,omitempty"`
	Args        []string `json:"args"`
	// CodeLayout, when set, says the engine's request paths are not
	// equally aligned in this binary, which alone can move a comparison
	// of identical code by a few percent.
	CodeLayout string `json:"code_layout,omitempty"`
}

// Trial is one measured trial: one configuration, one variant, one round.
// Throughput (IOPS) is the unit of analysis; everything else is kept so a
// surprising figure can be explained afterwards.
type Trial struct {
	Kind     string `json:"kind"` // always KindTrial
	Config   string `json:"config"`
	Variant  string `json:"variant"`
	Backend  string `json:"backend"`
	Round    int    `json:"round"`    // 1-based; warm-up trials are not recorded
	Position int    `json:"position"` // 0-based position within the round's shuffled order

	// Workload dimensions, repeated so that a record stands on its own.
	RW      string `json:"rw,omitempty"`
	BS      int    `json:"bs,omitempty"`
	IODepth int    `json:"iodepth,omitempty"`
	NumJobs int    `json:"numjobs,omitempty"`
	IRQMode string `json:"irqmode,omitempty"`

	Start      time.Time `json:"start"`
	DurationNs int64     `json:"duration_ns"`
	Requests   uint64    `json:"requests"`
	Bytes      uint64    `json:"bytes"`
	IOPS       float64   `json:"iops"`
	MBps       float64   `json:"mb_s"`

	LatMeanNs  float64 `json:"lat_mean_ns"`
	LatP50Ns   float64 `json:"lat_p50_ns"`
	LatP90Ns   float64 `json:"lat_p90_ns"`
	LatP99Ns   float64 `json:"lat_p99_ns"`
	LatP999Ns  float64 `json:"lat_p999_ns"`
	LatSamples uint64  `json:"lat_samples"`

	RefcountWarns  uint64 `json:"refcount_warns"`
	FailedEnds     uint64 `json:"failed_ends"`
	TagToRqRetries uint64 `json:"tag_to_rq_retries"`
	TagWaits       uint64 `json:"tag_waits"`

	Process int `json:"process,omitempty"` // child process index with --process-per-round
}

// SummaryRow is one row of summary.json / summary.csv: one configuration,
// one variant against the baseline. The field names are a contract that
// other tools read; extend, never rename.
type SummaryRow struct {
	Config       string   `json:"config"`
	Variant      string   `json:"variant"`
	Baseline     string   `json:"baseline"`
	N            int      `json:"n"`
	NBaseline    int      `json:"n_baseline"`
	Mean         float64  `json:"mean"`
	BaselineMean float64  `json:"baseline_mean"`
	ChangePct    float64  `json:"change_pct"`
	CILoPct      float64  `json:"ci_lo_pct"`
	CIHiPct      float64  `json:"ci_hi_pct"`
	CIMethod     string   `json:"ci_method"`
	Confidence   float64  `json:"confidence"`
	PValue       float64  `json:"p_value"`
	PAdjusted    float64  `json:"p_adjusted"`
	Significant  bool     `json:"significant"`
	Verdict      string   `json:"verdict"`
	Flags        []string `json:"flags,omitempty"`
}
