package results

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/rnullbench/rnullbench/stats"
)

// AnalyzeOptions say how trials become a Report.
type AnalyzeOptions struct {
	// Stats.Method "" chooses by provenance: paired for trials files
	// written by this tool's harness, BCa for anything else.
	Stats stats.Options
	// Baseline is the variant every other one is compared against; empty
	// means the header's baseline, or else the first variant in the data.
	Baseline   string
	Correction stats.Correction
	Title      string
}

// Analyze turns trials into a Report: one row per (config, variant ≠
// baseline) with the change in IOPS and its interval, significance after
// correcting for the number of comparisons, flags, and one summary per
// variant across configurations. Configs keep the plan's order (or the
// order of first appearance); variants likewise.
func Analyze(h *Header, trials []Trial, o AnalyzeOptions) (Report, error) {
	rep := Report{Title: o.Title, Header: h, Trials: trials}
	if h != nil {
		rep.Calibration = h.Calibration
	}
	if len(trials) == 0 {
		return rep, fmt.Errorf("no trials to analyse")
	}
	configs, variants := orderOf(h, trials)
	base := o.Baseline
	if base == "" && h != nil {
		base = h.Plan.Baseline
	}
	if base == "" {
		base = variants[0]
	}
	if !slices.Contains(variants, base) {
		return rep, fmt.Errorf("--baseline: %q is not a variant of this data (variants: %v)", base, variants)
	}
	if len(variants) < 2 {
		return rep, fmt.Errorf("only one variant (%s) in the data: nothing to compare it with", base)
	}
	if o.Correction == "" {
		o.Correction = stats.CorrectionHolm
	}
	if o.Stats.Method == "" {
		// This tool's runs measure the variants of a config side by side
		// in every round (in turns of slices), so round r of one variant
		// is the natural partner of round r of another: pairing removes
		// the machine's slow noise, which hits both. Other data (a raw
		// CSV, fio files) carries no such design: sample independently.
		o.Stats.Method = stats.MethodBCa
		o.Stats.Paired = h != nil
	}

	type cell struct {
		iops   []float64
		rounds []int
	}
	cells := map[[2]string]*cell{}
	for _, t := range trials {
		k := [2]string{t.Config, t.Variant}
		c := cells[k]
		if c == nil {
			c = &cell{}
			cells[k] = c
		}
		c.iops = append(c.iops, t.IOPS)
		c.rounds = append(c.rounds, t.Round)
	}
	for _, c := range cells {
		sortByRound(c.iops, c.rounds)
	}

	type item struct {
		config, variant string
	}
	var items []item
	var pairs []stats.Pair
	for _, v := range variants {
		if v == base {
			continue
		}
		for _, cfg := range configs {
			b, x := cells[[2]string{cfg, base}], cells[[2]string{cfg, v}]
			if b == nil || x == nil {
				missing := base
				if b != nil {
					missing = v
				}
				rep.Warnings = append(rep.Warnings, fmt.Sprintf("%s: no trials of %s; not compared", cfg, missing))
				rep.Uncompared = append(rep.Uncompared, cfg+", "+v)
				continue
			}
			p := stats.Pair{Key: cfg + ", " + v + " vs " + base, Baseline: b.iops, Variant: x.iops, BaselineRounds: b.rounds, VariantRounds: x.rounds}
			if o.Stats.Method == stats.MethodPaired || o.Stats.Paired {
				n := len(p.Baseline) + len(p.Variant)
				p = pairedByRound(p)
				if len(p.Baseline) == 0 {
					rep.Warnings = append(rep.Warnings, fmt.Sprintf("%s: %s and %s share no round; not compared (--ci bca compares them unpaired)", cfg, base, v))
					rep.Uncompared = append(rep.Uncompared, cfg+", "+v)
					continue
				}
				if left := n - 2*len(p.Baseline); left > 0 {
					rep.Warnings = append(rep.Warnings, fmt.Sprintf("%s, %s: %d trial(s) of rounds the other side lacks left out of the pairs", cfg, v, left))
				}
			}
			items = append(items, item{cfg, v})
			pairs = append(pairs, p)
		}
	}
	if len(pairs) == 0 {
		return rep, fmt.Errorf("no configuration has trials of both %s and another variant", base)
	}
	comps, errs := stats.CompareMany(pairs, o.Stats)
	for _, err := range errs {
		if err != nil {
			return rep, err // CompareMany names the comparison by its Key
		}
	}
	var warn warnings
	ps := make([]float64, len(comps))
	for i, c := range comps {
		ps[i] = c.PValue
	}
	adj := stats.Adjust(ps, o.Correction)
	alpha := 1 - comps[0].Confidence

	for i, c := range comps {
		row := SummaryRow{
			Config:       items[i].config,
			Variant:      items[i].variant,
			Baseline:     base,
			N:            c.Variant.N,
			NBaseline:    c.Baseline.N,
			Mean:         c.Variant.Mean,
			BaselineMean: c.Baseline.Mean,
			ChangePct:    c.ChangePct,
			CILoPct:      c.CILoPct,
			CIHiPct:      c.CIHiPct,
			CIMethod:     methodName(c.Method, o.Stats.Paired),
			Confidence:   c.Confidence,
			PValue:       c.PValue,
			PAdjusted:    adj[i],
			Verdict:      string(c.Verdict),
		}
		// One rule for every format and for check: a change is
		// significant when the corrected p-value says so and its interval
		// agrees (excludes 0), so the verdict, the bold in the markdown
		// and the PR gate never contradict each other.
		excludes0 := c.CILoPct > 0 || c.CIHiPct < 0
		row.Significant = adj[i] < alpha && excludes0
		if !row.Significant && (c.Verdict == stats.VerdictSlower || c.Verdict == stats.VerdictFaster || c.Verdict == stats.VerdictWithinNoise) {
			row.Verdict = string(stats.VerdictNoChange)
			if c.PValue < alpha {
				row.Flags = append(row.Flags, "significant only before correction")
			} else {
				row.Flags = append(row.Flags, "interval excludes 0, test does not")
			}
		}
		for _, f := range c.BaselineFlags.Strings() {
			row.Flags = append(row.Flags, base+": "+f)
		}
		for _, f := range c.VariantFlags.Strings() {
			row.Flags = append(row.Flags, items[i].variant+": "+f)
		}
		for _, w := range c.Warnings {
			warn.add(row.Config+", "+row.Variant, w)
		}
		rep.Rows = append(rep.Rows, row)
	}

	for _, v := range variants {
		if v == base {
			continue
		}
		var vp []stats.Pair
		vs := VariantSummary{Variant: v, Baseline: base, Correction: string(o.Correction)}
		for i, it := range items {
			if it.variant != v {
				continue
			}
			vp = append(vp, pairs[i])
			r := rep.Rows[i]
			if r.Significant {
				vs.Significant++
				if r.ChangePct < 0 {
					vs.Slower++
				} else {
					vs.Faster++
				}
			}
		}
		vs.Configs = len(vp)
		if len(vp) == 0 {
			continue
		}
		acr, err := stats.Summarize(vp, o.Stats)
		if err != nil {
			return rep, fmt.Errorf("%s across configurations: %w", v, err)
		}
		for _, p := range vp {
			if len(p.Baseline) < 2 || len(p.Variant) < 2 {
				// Resampling a single value gives a constant: an interval of
				// width 0 that would look like certainty.
				acr.MeanCILoPct, acr.MeanCIHiPct = math.NaN(), math.NaN()
				acr.GeoMeanCILoPct, acr.GeoMeanCIHiPct = math.NaN(), math.NaN()
				warn.add(v+" across configurations", "no interval: some configuration has fewer than 2 trials a side")
				break
			}
		}
		vs.MeanChangePct, vs.MeanCILoPct, vs.MeanCIHiPct = acr.MeanChangePct, acr.MeanCILoPct, acr.MeanCIHiPct
		vs.GeoMeanChangePct, vs.GeoMeanCILoPct, vs.GeoMeanCIHiPct = acr.GeoMeanChangePct, acr.GeoMeanCILoPct, acr.GeoMeanCIHiPct
		for _, w := range acr.Warnings {
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("%s across configurations: %s", v, w))
		}
		rep.Variants = append(rep.Variants, vs)
	}
	for _, t := range trials {
		if t.RefcountWarns > 0 {
			warn.add(fmt.Sprintf("%s, %s, round %d", t.Config, t.Variant, t.Round),
				"refcount WARNs: the engine's state machine misbehaved; do not trust this run")
		}
	}
	rep.Variance = varianceSplits(configs, variants, trials)
	if h != nil && h.Env.CodeLayout != "" && h.Plan.Engine != "fio" {
		warn.add("code layout", h.Env.CodeLayout)
	}
	rep.Warnings = append(rep.Warnings, warn.lines()...)
	return rep, nil
}

// varianceSplits separates between- and within-process variance for runs
// made with a fresh process per group of rounds.
func varianceSplits(configs, variants []string, trials []Trial) []VarianceRow {
	type cell struct {
		iops    []float64
		process []int
	}
	cells := map[[2]string]*cell{}
	processes := map[int]bool{}
	for _, t := range trials {
		if t.Process == 0 {
			continue
		}
		processes[t.Process] = true
		k := [2]string{t.Config, t.Variant}
		if cells[k] == nil {
			cells[k] = &cell{}
		}
		cells[k].iops = append(cells[k].iops, t.IOPS)
		cells[k].process = append(cells[k].process, t.Process)
	}
	if len(processes) < 2 {
		return nil
	}
	var out []VarianceRow
	for _, c := range configs {
		for _, v := range variants {
			x := cells[[2]string{c, v}]
			if x == nil {
				continue
			}
			vs, err := stats.SplitVariance(x.iops, x.process)
			if err != nil || vs.Mean == 0 {
				continue
			}
			out = append(out, VarianceRow{
				Config: c, Variant: v, Processes: vs.Processes, N: vs.N,
				WithinCVPct:  100 * vs.WithinSD / vs.Mean,
				BetweenCVPct: 100 * vs.BetweenSD / vs.Mean,
				BetweenShare: vs.BetweenShare,
				PValue:       vs.PValue,
			})
		}
	}
	return out
}

// warnings groups one message raised by many comparisons into one line,
// so that a report of 120 configs with n=3 says "few samples" once.
type warnings struct {
	order    []string
	subjects map[string][]string
}

func (w *warnings) add(subject, msg string) {
	if w.subjects == nil {
		w.subjects = map[string][]string{}
	}
	if _, ok := w.subjects[msg]; !ok {
		w.order = append(w.order, msg)
	}
	w.subjects[msg] = append(w.subjects[msg], subject)
}

func (w *warnings) lines() []string {
	var out []string
	for _, msg := range w.order {
		subj := w.subjects[msg]
		switch {
		case len(subj) == 1:
			out = append(out, subj[0]+": "+msg)
		case len(subj) <= 3:
			out = append(out, fmt.Sprintf("%s (%s)", msg, strings.Join(subj, "; ")))
		default:
			out = append(out, fmt.Sprintf("%s (%d comparisons: %s; …)", msg, len(subj), strings.Join(subj[:2], "; ")))
		}
	}
	return out
}

// methodName says how the interval was made: "bca-paired" when pairs of
// rounds were resampled whole.
func methodName(m stats.Method, paired bool) string {
	if paired && (m == stats.MethodBCa || m == stats.MethodPercentile) {
		return string(m) + "-paired"
	}
	return string(m)
}

// orderOf lists configs and variants in the plan's order when a header
// is known, else in order of first appearance, so reports read like the
// matrix the user asked for.
func orderOf(h *Header, trials []Trial) (configs, variants []string) {
	seenC, seenV := map[string]bool{}, map[string]bool{}
	if h != nil {
		for _, c := range h.Plan.Configs {
			seenC[c] = true
			configs = append(configs, c)
		}
		for _, v := range h.Plan.Variants {
			seenV[v.Label] = true
			variants = append(variants, v.Label)
		}
	}
	for _, t := range trials {
		if !seenC[t.Config] {
			seenC[t.Config] = true
			configs = append(configs, t.Config)
		}
		if !seenV[t.Variant] {
			seenV[t.Variant] = true
			variants = append(variants, t.Variant)
		}
	}
	return configs, variants
}

func sortByRound(v []float64, r []int) {
	idx := make([]int, len(v))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return r[idx[a]] < r[idx[b]] })
	v2, r2 := make([]float64, len(v)), make([]int, len(r))
	for i, j := range idx {
		v2[i], r2[i] = v[j], r[j]
	}
	copy(v, v2)
	copy(r, r2)
}

// pairedByRound keeps only rounds both sides measured, in round order, so
// that value i of each side comes from the same round.
func pairedByRound(p stats.Pair) stats.Pair {
	vByRound := map[int]float64{}
	for i, r := range p.VariantRounds {
		vByRound[r] = p.Variant[i]
	}
	var out stats.Pair
	out.Key = p.Key
	for i, r := range p.BaselineRounds {
		if v, ok := vByRound[r]; ok {
			out.Baseline = append(out.Baseline, p.Baseline[i])
			out.Variant = append(out.Variant, v)
			out.BaselineRounds = append(out.BaselineRounds, r)
			out.VariantRounds = append(out.VariantRounds, r)
		}
	}
	return out
}
