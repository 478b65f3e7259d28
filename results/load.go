package results

import (
	"bytes"
	"fmt"
	"os"
)

// Dataset is the trials of one plan, read from one or more files (the
// shards of a run, or a run and its resumption).
type Dataset struct {
	Header   *Header // nil when the data came from raw CSV
	Trials   []Trial
	Warnings []string
}

// Load reads trials files — our JSONL or raw CSV, told apart by content,
// not by name — and merges them. Files must belong to one plan: JSONL
// files with different plan hashes, or JSONL mixed with raw CSV, are
// refused, as is the same trial (config, variant, round) in two files.
// When several shards are merged the Header's Shard is cleared.
func Load(paths ...string) (Dataset, error) {
	var ds Dataset
	if len(paths) == 0 {
		return ds, fmt.Errorf("no input files")
	}
	seen := map[trialKey]string{}
	var firstJSONL, firstCSV string
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return Dataset{}, err
		}
		if len(bytes.TrimSpace(data)) == 0 {
			return Dataset{}, fmt.Errorf("%s: empty file", p)
		}
		var (
			h      *Header
			trials []Trial
		)
		if looksLikeFio(data) {
			return Dataset{}, fmt.Errorf("%s: fio JSON output, not a trials file or raw CSV (read fio results with ReadFio)", p)
		}
		if sniffJSONL(data) {
			var warns []Warning
			h, trials, warns, err = ReadTrials(bytes.NewReader(data), p)
			if err != nil {
				return Dataset{}, err
			}
			for _, w := range warns {
				ds.Warnings = append(ds.Warnings, w.String())
			}
			if firstJSONL == "" {
				firstJSONL = p
			}
		} else {
			trials, err = ReadCSV(bytes.NewReader(data), p)
			if err != nil {
				return Dataset{}, err
			}
			if firstCSV == "" {
				firstCSV = p
			}
		}
		if firstJSONL != "" && firstCSV != "" {
			return Dataset{}, fmt.Errorf("%s and %s: cannot mix a trials file and a raw CSV in one report", firstJSONL, firstCSV)
		}
		if h != nil {
			switch {
			case ds.Header == nil && len(ds.Trials) > 0:
				return Dataset{}, fmt.Errorf("%s: has a header, earlier inputs have none; they are not one run", p)
			case ds.Header == nil:
				hh := *h
				ds.Header = &hh
			case PlanHash(h.Plan) != PlanHash(ds.Header.Plan):
				return Dataset{}, fmt.Errorf("%s: a different plan than %s (%s differs; plan hash %.12s vs %.12s): report them separately",
					p, paths[0], planDiff(h.Plan, ds.Header.Plan), PlanHash(h.Plan), PlanHash(ds.Header.Plan))
			case h.Plan.Shard != ds.Header.Plan.Shard:
				ds.Header.Plan.Shard = ""
			}
		} else if ds.Header != nil {
			return Dataset{}, fmt.Errorf("%s: has no header, %s has one; they are not one run", p, paths[0])
		}
		for _, t := range trials {
			k := trialKey{t.Config, t.Variant, t.Round}
			if prev, dup := seen[k]; dup {
				return Dataset{}, fmt.Errorf("%s: trial %s / %s / round %d is also in %s (the same file twice?)",
					p, t.Config, t.Variant, t.Round, prev)
			}
			seen[k] = p
		}
		ds.Trials = append(ds.Trials, trials...)
	}
	return ds, nil
}
