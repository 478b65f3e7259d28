package results

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
)

// Validate reports the first thing that makes the plan unrunnable or its
// trials unreadable: no configs or variants, a repeated config or variant
// label, a baseline that is not a variant, fewer than one round, a
// negative warm-up or duration, or a shard not of the form "i/n".
func (p Plan) Validate() error {
	if len(p.Configs) == 0 {
		return fmt.Errorf("plan: no configs")
	}
	configs := make(map[string]bool, len(p.Configs))
	for _, c := range p.Configs {
		if c == "" {
			return fmt.Errorf("plan: empty config name")
		}
		if configs[c] {
			return fmt.Errorf("plan: config %s given twice", c)
		}
		configs[c] = true
	}
	if len(p.Variants) == 0 {
		return fmt.Errorf("plan: no variants")
	}
	labels := map[string]bool{}
	for _, v := range p.Variants {
		if v.Label == "" || v.Backend == "" {
			return fmt.Errorf("plan: variant %q=%q: label and backend must not be empty", v.Label, v.Backend)
		}
		if labels[v.Label] {
			return fmt.Errorf("plan: variant label %q given twice", v.Label)
		}
		labels[v.Label] = true
	}
	if !labels[p.Baseline] {
		return fmt.Errorf("plan: baseline %q is not one of the variants", p.Baseline)
	}
	switch {
	case p.Rounds < 1:
		return fmt.Errorf("plan: rounds %d: want 1 or more", p.Rounds)
	case p.Warmup < 0:
		return fmt.Errorf("plan: warmup %d: want 0 or more", p.Warmup)
	case p.Duration < 0:
		return fmt.Errorf("plan: duration %v: want 0 or more", p.Duration)
	}
	if p.Shard != "" {
		if _, _, err := ParseShard(p.Shard); err != nil {
			return fmt.Errorf("plan: %v", err)
		}
	}
	return nil
}

// ParseShard reads a shard "i/n" (1 ≤ i ≤ n): this process runs the i-th
// of n parts of the plan.
func ParseShard(s string) (i, n int, err error) {
	a, b, ok := strings.Cut(s, "/")
	if ok {
		i, err = strconv.Atoi(a)
		if err == nil {
			n, err = strconv.Atoi(b)
		}
	}
	if !ok || err != nil || n < 1 || i < 1 || i > n {
		return 0, 0, fmt.Errorf("shard %q: want i/n with 1 ≤ i ≤ n", s)
	}
	return i, n, nil
}

// sanitizeTrial makes a trial encodable. IOPS is the measurement: a
// non-finite value is a bug to report. Other figures (a latency mean of
// no samples, a rate over a zero duration) are secondary; JSON cannot
// hold NaN, and losing the whole trial over one of them would lose the
// measurement, so they are stored as 0, which the record's counts
// (LatSamples, DurationNs) show to mean "not measured".
//
// Fields the reader requires are checked here too, so the log never holds
// a line that would stop it from being resumed.
func sanitizeTrial(t *Trial) error {
	switch {
	case t.Config == "":
		return fmt.Errorf("trial: empty config")
	case t.Variant == "":
		return fmt.Errorf("trial %s: empty variant", t.Config)
	case t.Round < 1:
		return fmt.Errorf("trial %s / %s: round %d: want 1 or more", t.Config, t.Variant, t.Round)
	}
	if math.IsNaN(t.IOPS) || math.IsInf(t.IOPS, 0) || t.IOPS < 0 {
		return fmt.Errorf("trial %s / %s / round %d: iops %v: want a finite number ≥ 0", t.Config, t.Variant, t.Round, t.IOPS)
	}
	v := reflect.ValueOf(t).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		if f.Kind() == reflect.Float64 {
			if x := f.Float(); math.IsNaN(x) || math.IsInf(x, 0) {
				f.SetFloat(0)
			}
		}
	}
	return nil
}
