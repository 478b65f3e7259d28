package harness

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/rnullbench/rnullbench/nullblk"
	"github.com/rnullbench/rnullbench/results"
	"github.com/rnullbench/rnullbench/workloads"
)

// Variant is one arm of a comparison: a label for reports and the refcount
// backend it runs. Two variants may share a backend (an A/A comparison).
type Variant struct {
	Label   string
	Backend nullblk.Backend // for the nullblk engine
	Args    []string        // for the fio engine: what this variant adds to fio's arguments
}

// ParseVariants reads "--backends" syntax: a comma-separated list of
// backend names or label=backend pairs, e.g. "atomic,helper,aa=atomic".
func ParseVariants(s string) ([]Variant, error) {
	if strings.TrimSpace(s) == "" {
		return nil, fmt.Errorf("--backends: empty list")
	}
	var vs []Variant
	seen := map[string]bool{}
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		label, name, hasLabel := strings.Cut(item, "=")
		if !hasLabel {
			name = label
		}
		if label == "" || name == "" {
			return nil, fmt.Errorf("--backends: %q: want BACKEND or LABEL=BACKEND", item)
		}
		b, err := nullblk.ParseBackend(name)
		if err != nil {
			return nil, fmt.Errorf("--backends: %w", err)
		}
		if seen[label] {
			return nil, fmt.Errorf("--backends: label %q given twice", label)
		}
		seen[label] = true
		vs = append(vs, Variant{Label: label, Backend: b})
	}
	return vs, nil
}

// Shard selects a deterministic part of a plan: trial slots whose index
// modulo N equals I-1. Shards of one plan share its hash and together
// hold every slot exactly once.
type Shard struct{ I, N int }

// ParseShard reads "i/n" with 1 ≤ i ≤ n.
func ParseShard(s string) (Shard, error) {
	var sh Shard
	if _, err := fmt.Sscanf(s, "%d/%d", &sh.I, &sh.N); err != nil || fmt.Sprintf("%d/%d", sh.I, sh.N) != s {
		return Shard{}, fmt.Errorf("--shard: %q: want i/n, e.g. 2/4", s)
	}
	if sh.N < 1 || sh.I < 1 || sh.I > sh.N {
		return Shard{}, fmt.Errorf("--shard: %q: want 1 ≤ i ≤ n", s)
	}
	return sh, nil
}

func (s Shard) String() string {
	if s.N <= 1 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.I, s.N)
}

// Plan is what a run measures. Equal plans give equal schedules.
type Plan struct {
	Matrix   workloads.Matrix
	Variants []Variant // the baseline first
	Rounds   int
	Warmup   int // discarded trials per (config, variant) before round 1
	Duration time.Duration
	Seed     uint64
	Shard    Shard
	Engine   Engine // nil means Nullblk
	// Slices cuts each trial into this many pieces, run in turn with the
	// other variants of its config (in-process engine only; 0 or 1 = one
	// piece).
	Slices int
}

func (p Plan) engine() Engine {
	if p.Engine == nil {
		return Nullblk{}
	}
	return p.Engine
}

// Validate reports the first problem with the plan, naming the flag a
// user would change.
func (p Plan) Validate() error {
	switch {
	case len(p.Matrix) == 0:
		return fmt.Errorf("matrix: no configurations")
	case len(p.Variants) == 0:
		return fmt.Errorf("--backends: no variants")
	case p.Rounds < 2:
		return fmt.Errorf("--n: %d: want at least 2 rounds (an interval needs 2 trials a side; 40 is the usual)", p.Rounds)
	case p.Warmup < 0:
		return fmt.Errorf("--warmup: %d: want 0 or more", p.Warmup)
	case p.Duration <= 0:
		return fmt.Errorf("--duration: %v: want a positive duration such as 200ms", p.Duration)
	case p.Slices < 0 || (p.Slices > 1 && p.Duration/time.Duration(p.Slices) < time.Millisecond):
		return fmt.Errorf("--slices: %d: want 0 or more, with slices of at least 1ms (--duration %v)", p.Slices, p.Duration)
	}
	if _, ok := p.engine().(Fio); ok && (p.Duration < time.Millisecond || p.Duration%time.Millisecond != 0) {
		return fmt.Errorf("--duration: %v: fio takes whole milliseconds (its runtime option)", p.Duration)
	}
	if p.Shard.N > 1 && len(p.Schedule()) == 0 {
		return fmt.Errorf("--shard: %s: this part of the plan holds no trials (the plan has %d)", p.Shard, p.Rounds*len(p.Matrix)*len(p.Variants))
	}
	seen := map[string]bool{}
	for _, w := range p.Matrix {
		name := w.Name()
		if seen[name] {
			return fmt.Errorf("matrix: configuration %s given twice", name)
		}
		seen[name] = true
		for _, v := range p.Variants {
			if err := p.engine().Check(w, v); err != nil {
				return fmt.Errorf("configuration %s: %w", name, err)
			}
		}
	}
	return nil
}

// Record is the plan as written into the trials file header; its hash
// decides whether --resume and merge may join two files.
func (p Plan) Record() results.Plan {
	rp := results.Plan{
		Rounds:   p.Rounds,
		Warmup:   p.Warmup,
		Duration: p.Duration,
		Seed:     p.Seed,
		Shard:    p.Shard.String(),
		Engine:   p.engine().Name(),
		Slices:   p.Slices,
	}
	for _, w := range p.Matrix {
		rp.Configs = append(rp.Configs, w.Name())
	}
	for _, v := range p.Variants {
		rp.Variants = append(rp.Variants, results.Variant{Label: v.Label, Backend: p.engine().Describe(v)})
	}
	rp.Baseline = p.Variants[0].Label
	if f, ok := p.engine().(Fio); ok && len(f.JobArgs) > 0 {
		// A job file's options are part of what runs, so part of the hash.
		rp.Extra = map[string]string{}
		for cfg, args := range f.JobArgs {
			rp.Extra["fio-job "+cfg] = strings.Join(args, " ")
		}
	}
	return rp
}

// Slot is one trial of the schedule.
type Slot struct {
	Config   int // index into Plan.Matrix
	Variant  int // index into Plan.Variants
	Round    int // 1-based; 0 for warm-up
	Position int // position in the round's shuffled order
}

// Key identifies a recorded trial independent of its position.
func (p Plan) Key(s Slot) string {
	return trialKey(p.Matrix[s.Config].Name(), p.Variants[s.Variant].Label, s.Round)
}

func trialKey(config, variant string, round int) string {
	return fmt.Sprintf("%s\x00%s\x00%d", config, variant, round)
}

// Schedule lists every measured trial of the plan (this shard's part) in
// execution order. Each round is a randomized block design: the configs
// in a fresh seeded order, and within each config its variants back to
// back, also in a fresh seeded order. Slow drift of the machine is thus
// spread over every variant instead of piling up on whichever runs last,
// and the variants of one config in one round run seconds apart, so that
// a paired comparison by round cancels most of the machine's slow noise.
func (p Plan) Schedule() []Slot {
	var out []Slot
	block := 0
	for round := 1; round <= p.Rounds; round++ {
		order := p.roundOrder(round)
		for i, s := range order {
			// Shards take whole blocks, so the variants of a config in a
			// round are always measured together, on one machine.
			if i > 0 && s.Config != order[i-1].Config {
				block++
			}
			if p.Shard.N <= 1 || block%p.Shard.N == p.Shard.I-1 {
				out = append(out, s)
			}
		}
		block++
	}
	return out
}

// WarmupSchedule lists the discarded trials run before the measured ones:
// every (config, variant) Warmup times, in round order.
func (p Plan) WarmupSchedule() []Slot {
	var out []Slot
	for i := 0; i < p.Warmup; i++ {
		for _, s := range p.roundOrder(0) {
			s.Round = 0
			out = append(out, s)
		}
	}
	return out
}

func (p Plan) roundOrder(round int) []Slot {
	rng := rand.New(rand.NewPCG(p.Seed, uint64(round)))
	out := make([]Slot, 0, len(p.Matrix)*len(p.Variants))
	for _, c := range rng.Perm(len(p.Matrix)) {
		for _, v := range rng.Perm(len(p.Variants)) {
			out = append(out, Slot{Config: c, Variant: v, Round: round, Position: len(out)})
		}
	}
	return out
}

// trialSeed derives the engine's seed for one trial from the plan's seed.
// Variants of one config in one round share it (common random numbers:
// both arms see the same offsets), so the comparison is not blurred by
// differences in access pattern.
func (p Plan) trialSeed(s Slot) uint64 {
	rng := rand.New(rand.NewPCG(p.Seed^0x9e3779b97f4a7c15, uint64(s.Round)<<32|uint64(s.Config)))
	return rng.Uint64()
}
