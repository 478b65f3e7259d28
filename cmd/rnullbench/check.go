package main

import (
	"fmt"
	"io"
	"math"
	"os"

	"github.com/rnullbench/rnullbench/results"
)

const checkExamples = `  rnullbench check rnullbench-out/trials.jsonl                 # variants against the baseline in one run
  rnullbench check --max-regression 2% --base main-out --head pr-out   # the same variants before and after a change
`

func runCheck(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("check", "[flags] FILE... | --base DIR --head DIR", checkExamples, stdout)
	var af analysisFlags
	af.bind(fs)
	maxReg := percentFlag(2)
	fs.Var(&maxReg, "max-regression", "fail when a change's whole CI lies below minus this `percent`")
	baseline := fs.String("baseline", "", "variant the others are compared against, in FILE mode")
	var base, head listFlag
	fs.Var(&base, "base", "trials file or run `DIR` measured before the change (repeatable)")
	fs.Var(&head, "head", "trials file or run `DIR` measured after the change (repeatable)")
	args, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	o, err := af.options()
	if err != nil {
		return err
	}
	var rep results.Report
	switch {
	case len(base) > 0 || len(head) > 0:
		if len(base) == 0 || len(head) == 0 || len(args) > 0 {
			return usagef("--base and --head go together, without FILE arguments")
		}
		if *baseline != "" {
			return usagef("--baseline applies to FILE mode; with --base/--head each variant is compared with itself before the change")
		}
		rep, err = beforeAfter(base, head, o)
	default:
		var ds *results.Dataset
		if ds, err = load(args); err != nil {
			return err
		}
		o.Baseline = *baseline
		rep, err = results.Analyze(ds.Header, ds.Trials, o)
	}
	if err != nil {
		return err
	}

	// A gate that cannot judge a configuration must not pass it.
	if len(rep.Uncompared) > 0 {
		return usagef("cannot judge %d comparison(s) with no trials on one side, e.g. %s", len(rep.Uncompared), rep.Uncompared[0])
	}
	for _, r := range rep.Rows {
		if math.IsNaN(r.CILoPct) || math.IsNaN(r.CIHiPct) {
			return usagef("cannot judge %s, %s vs %s: no confidence interval (n=%d/%d; at least 2 trials a side are needed)", r.Config, r.Variant, r.Baseline, r.N, r.NBaseline)
		}
	}

	regressions := 0
	annotate := os.Getenv("GITHUB_ACTIONS") == "true"
	limit := -float64(maxReg)
	for _, r := range rep.Rows {
		switch {
		// Significant after the correction for many comparisons, and the
		// whole interval beyond the threshold.
		case r.Significant && r.CIHiPct < limit:
			regressions++
			if annotate {
				fmt.Fprintf(stdout, "::error title=rnullbench regression::%s %s vs %s: %+.2f%% [%+.2f%%, %+.2f%%] is below -%g%%\n",
					r.Config, r.Variant, r.Baseline, r.ChangePct, r.CILoPct, r.CIHiPct, float64(maxReg))
			}
		case r.ChangePct < limit && annotate:
			fmt.Fprintf(stdout, "::warning title=rnullbench possible regression::%s %s vs %s: %+.2f%% [%+.2f%%, %+.2f%%] (CI reaches above -%g%%)\n",
				r.Config, r.Variant, r.Baseline, r.ChangePct, r.CILoPct, r.CIHiPct, float64(maxReg))
		}
	}
	if err := results.RenderMarkdown(stdout, rep); err != nil {
		return err
	}
	if regressions > 0 {
		fmt.Fprintf(stdout, "\n**rnullbench check: %d configuration(s) regressed by more than %g%% (whole CI below -%g%%).**\n", regressions, float64(maxReg), float64(maxReg))
		return errRegression
	}
	fmt.Fprintf(stdout, "\nrnullbench check: no configuration regressed by more than %g%%.\n", float64(maxReg))
	return nil
}

// beforeAfter compares each variant after a change (head) with the same
// variant before it (base), configuration by configuration.
func beforeAfter(base, head []string, o results.AnalyzeOptions) (results.Report, error) {
	b, err := load(base)
	if err != nil {
		return results.Report{}, fmt.Errorf("--base: %w", err)
	}
	h, err := load(head)
	if err != nil {
		return results.Report{}, fmt.Errorf("--head: %w", err)
	}
	rep := results.Report{Title: "head against base"}
	byVariant := func(ts []results.Trial) (map[string][]results.Trial, []string) {
		m := map[string][]results.Trial{}
		var order []string
		for _, t := range ts {
			if _, ok := m[t.Variant]; !ok {
				order = append(order, t.Variant)
			}
			m[t.Variant] = append(m[t.Variant], t)
		}
		return m, order
	}
	bv, _ := byVariant(b.Trials)
	hv, order := byVariant(h.Trials)
	compared := 0
	for _, label := range order {
		bt, ok := bv[label]
		if !ok {
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("variant %s is in --head only; not compared", label))
			continue
		}
		var ts []results.Trial
		for _, t := range bt {
			t.Variant = "base"
			ts = append(ts, t)
		}
		for _, t := range hv[label] {
			t.Variant = "head"
			ts = append(ts, t)
		}
		o.Baseline = "base"
		sub, err := results.Analyze(nil, ts, o)
		if err != nil {
			return rep, fmt.Errorf("variant %s: %w", label, err)
		}
		for _, r := range sub.Rows {
			r.Variant, r.Baseline = label+"@head", label+"@base"
			rep.Rows = append(rep.Rows, r)
		}
		for _, v := range sub.Variants {
			v.Variant, v.Baseline = label+"@head", label+"@base"
			rep.Variants = append(rep.Variants, v)
		}
		for _, w := range sub.Warnings {
			rep.Warnings = append(rep.Warnings, label+": "+w)
		}
		for _, u := range sub.Uncompared {
			rep.Uncompared = append(rep.Uncompared, label+": "+u)
		}
		compared++
	}
	if compared == 0 {
		return rep, fmt.Errorf("--base and --head share no variant")
	}
	return rep, nil
}
