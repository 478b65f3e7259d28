package results

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Raw CSV columns: data measured anywhere (fio, a lab notebook) can be
// analysed once it is one row per trial with these columns.
const (
	ColConfig  = "config"
	ColVariant = "variant"
	ColValue   = "value"
	ColTrial   = "trial"
)

// ReadCSV reads raw measurements: a header row naming at least the
// columns config, variant and value, in any order, optionally trial (the
// round, an integer ≥ 1); other columns are ignored. Each row becomes a
// Trial whose IOPS is value and whose backend is its variant. Without a
// trial column, rows are numbered 1, 2, ... per (config, variant) in file
// order. Errors are positioned "name:line: ...".
func ReadCSV(r io.Reader, name string) ([]Trial, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: empty file", name)
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	col := map[string]int{}
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(h))
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff") // a byte-order mark from spreadsheet exports
		}
		if _, dup := col[h]; dup && h != "" {
			return nil, fmt.Errorf("%s:1: column %q given twice", name, h)
		}
		col[h] = i
	}
	for _, c := range []string{ColConfig, ColVariant, ColValue} {
		if _, ok := col[c]; !ok {
			return nil, fmt.Errorf("%s:1: no %q column (want a header with config,variant,value[,trial])", name, c)
		}
	}
	ti, hasTrial := col[ColTrial]
	var (
		trials []Trial
		seen   = map[trialKey]int{}
		next   = map[[2]string]int{}
	)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(name, err)
		}
		line, _ := cr.FieldPos(0)
		at := func(format string, args ...any) error {
			return &SyntaxError{File: name, Line: line, Msg: fmt.Sprintf(format, args...)}
		}
		t := Trial{Kind: KindTrial, Config: strings.TrimSpace(rec[col[ColConfig]]), Variant: strings.TrimSpace(rec[col[ColVariant]])}
		t.Backend = t.Variant
		if t.Config == "" {
			return nil, at("column %q: empty", ColConfig)
		}
		if t.Variant == "" {
			return nil, at("column %q: empty", ColVariant)
		}
		vs := strings.TrimSpace(rec[col[ColValue]])
		v, err := strconv.ParseFloat(vs, 64)
		if err != nil {
			return nil, at("column %q: %q: not a number", ColValue, vs)
		}
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return nil, at("column %q: %s: want a finite number ≥ 0", ColValue, vs)
		}
		t.IOPS = v
		k2 := [2]string{t.Config, t.Variant}
		if hasTrial {
			ts := strings.TrimSpace(rec[ti])
			n, err := strconv.Atoi(ts)
			if err != nil || n < 1 {
				return nil, at("column %q: %q: want an integer ≥ 1", ColTrial, ts)
			}
			t.Round = n
		} else {
			next[k2]++
			t.Round = next[k2]
		}
		k := trialKey{t.Config, t.Variant, t.Round}
		if first, dup := seen[k]; dup {
			return nil, at("trial %s / %s / %d repeats line %d", t.Config, t.Variant, t.Round, first)
		}
		seen[k] = line
		trials = append(trials, t)
	}
	if len(trials) == 0 {
		return nil, fmt.Errorf("%s: no rows after the header", name)
	}
	return trials, nil
}

func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &SyntaxError{File: name, Line: pe.Line, Msg: pe.Err.Error()}
	}
	return fmt.Errorf("%s: %v", name, err)
}

// WriteRawCSV writes trials in the raw CSV format ReadCSV reads, with the
// trial column, values unscaled and in full precision.
func WriteRawCSV(w io.Writer, trials []Trial) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{ColConfig, ColVariant, ColValue, ColTrial})
	for _, t := range trials {
		cw.Write([]string{t.Config, t.Variant, strconv.FormatFloat(t.IOPS, 'g', -1, 64), strconv.Itoa(t.Round)})
	}
	cw.Flush()
	return cw.Error()
}

// sniffJSONL reports whether data looks like a trials JSONL file rather
// than a CSV: its first non-blank byte opens a JSON object.
func sniffJSONL(data []byte) bool {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	data = bytes.TrimLeft(data, " \t\r\n")
	return len(data) > 0 && data[0] == '{'
}

// looksLikeFio reports whether data is fio's JSON output, which also
// starts with "{" (or with notes fio printed before it) but is one
// document, not a line per record.
func looksLikeFio(data []byte) bool {
	return bytes.Contains(data[:min(len(data), 4096)], []byte(`"fio version"`))
}
