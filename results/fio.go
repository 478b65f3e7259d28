package results

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rnullbench/rnullbench/workloads"
)

// FioOptions says how fio output files map to trials.
type FioOptions struct {
	// PathPattern, when set, takes the variant, config and round from the
	// file's name, e.g. "{variant}/{config}/{round}.json". Each
	// placeholder and * matches within one path element (so a config
	// named in a path has no "/"); the pattern is matched against the
	// last elements of the name, "\" counting as "/".
	PathPattern string
	// Variant labels the trials when the pattern does not name one. When
	// both are empty the job's filename option (e.g. /dev/nullb0 →
	// "nullb0") is the label, else "fio".
	Variant string
	// Backend is recorded as the trials' backend; empty means the variant.
	Backend string
	// Round is the round number when the pattern does not give one;
	// zero means 1.
	Round int
}

// ReadFio reads one fio 3.x result file (--output-format=json or json+)
// and returns its trials: one per job name, so that a run without
// group_reporting (one entry per job clone) is summed into one trial,
// while a group_reporting entry is taken as fio aggregated it. Lines that
// fio prints before the JSON object (notes, warnings) are skipped. name
// is used in errors and matched against opt.PathPattern.
//
// IOPS, requests, bytes and MB/s sum over the read, write and trim
// sections and over jobs. Latency is fio's completion latency (clat_ns):
// the mean is weighted by sample counts; percentiles come from the
// histogram bins of json+ output when present, else from fio's own
// percentiles when the trial has only one section and one job, and are
// left zero otherwise, because percentiles of parts do not combine.
func ReadFio(r io.Reader, name string, opt FioOptions) ([]Trial, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	var m fioMatch
	if opt.PathPattern != "" {
		if m, err = matchFioPath(opt.PathPattern, name); err != nil {
			return nil, err
		}
	}

	start := fioJSONStart(data)
	if start < 0 {
		return nil, fmt.Errorf("%s: no JSON object found (was fio run with --output-format=json?)", name)
	}
	var out fioOutput
	dec := json.NewDecoder(bytes.NewReader(data[start:]))
	if err := dec.Decode(&out); err != nil {
		return nil, fioJSONError(name, data, start, dec, err)
	}
	if len(out.Jobs) == 0 {
		return nil, fmt.Errorf("%s: no jobs in fio output", name)
	}

	// Group job entries by name, in order of first appearance.
	var order []string
	byName := map[string][]int{}
	for i := range out.Jobs {
		j := &out.Jobs[i]
		if j.Error != 0 {
			return nil, fmt.Errorf("%s: jobs[%d] %q: fio reported error %d", name, i, j.JobName, j.Error)
		}
		if _, ok := byName[j.JobName]; !ok {
			order = append(order, j.JobName)
		}
		byName[j.JobName] = append(byName[j.JobName], i)
	}

	round := opt.Round
	if m.round > 0 {
		round = m.round
	}
	if round <= 0 {
		round = 1
	}
	var trials []Trial
	for _, jobName := range order {
		t, err := fioTrial(name, &out, byName[jobName])
		if err != nil {
			return nil, err
		}
		if m.config != "" {
			t.Config = m.config
			if len(order) > 1 {
				t.Config += "/job=" + jobName
			}
		}
		switch {
		case m.variant != "":
			t.Variant = m.variant
		case opt.Variant != "":
			t.Variant = opt.Variant
		}
		t.Backend = opt.Backend
		if t.Backend == "" {
			t.Backend = t.Variant
		}
		t.Round = round
		trials = append(trials, t)
	}
	return trials, nil
}

// fioOutput is the part of fio's JSON output that trials are made of.
type fioOutput struct {
	Version       string            `json:"fio version"`
	TimestampMs   int64             `json:"timestamp_ms"`
	GlobalOptions map[string]string `json:"global options"`
	Jobs          []fioJob          `json:"jobs"`
}

type fioJob struct {
	JobName    string            `json:"jobname"`
	GroupID    int               `json:"groupid"`
	Error      int               `json:"error"`
	Options    map[string]string `json:"job options"`
	Read       fioDir            `json:"read"`
	Write      fioDir            `json:"write"`
	Trim       fioDir            `json:"trim"`
	JobRuntime float64           `json:"job_runtime"` // ms
}

type fioDir struct {
	IOBytes  float64 `json:"io_bytes"`
	BWBytes  float64 `json:"bw_bytes"` // bytes/s
	IOPS     float64 `json:"iops"`
	Runtime  float64 `json:"runtime"` // ms
	TotalIOs float64 `json:"total_ios"`
	Clat     fioLat  `json:"clat_ns"`
}

type fioLat struct {
	Mean       float64            `json:"mean"`
	N          float64            `json:"N"`
	Percentile map[string]float64 `json:"percentile"`
	Bins       map[string]float64 `json:"bins"` // json+ only: bin value (ns) → count
}

// fioTrial builds one trial from the job entries idx of out.
func fioTrial(name string, out *fioOutput, idx []int) (Trial, error) {
	first := &out.Jobs[idx[0]]
	opts := map[string]string{}
	for k, v := range out.GlobalOptions {
		opts[k] = v
	}
	for k, v := range first.Options {
		opts[k] = v
	}
	where := func(i int) string { return fmt.Sprintf("%s: jobs[%d] %q", name, i, out.Jobs[i].JobName) }

	t := Trial{Kind: KindTrial, Variant: "fio"}
	t.RW = opts["rw"]
	if t.RW == "" {
		t.RW = opts["readwrite"]
	}
	if t.RW == "" {
		t.RW = "read" // fio's default
	}
	var err error
	if t.BS, err = fioOptInt(opts, "bs", 4096, true); err != nil {
		return Trial{}, fmt.Errorf("%s: %v", where(idx[0]), err)
	}
	if t.IODepth, err = fioOptInt(opts, "iodepth", 1, false); err != nil {
		return Trial{}, fmt.Errorf("%s: %v", where(idx[0]), err)
	}
	if t.NumJobs, err = fioOptInt(opts, "numjobs", 1, false); err != nil {
		return Trial{}, fmt.Errorf("%s: %v", where(idx[0]), err)
	}
	t.Config = fmt.Sprintf("%s/bs=%s/qd=%d/jobs=%d", t.RW, benchSize(t.BS), t.IODepth, t.NumJobs)
	if f := opts["filename"]; f != "" {
		t.Variant = path.Base(strings.Split(f, ":")[0])
	}

	var latSum, latN float64
	var sections []*fioLat
	bins := map[float64]float64{}
	haveBins := true
	var runtimeMs float64
	for _, i := range idx {
		j := &out.Jobs[i]
		for _, d := range []struct {
			key string
			dir *fioDir
		}{{"read", &j.Read}, {"write", &j.Write}, {"trim", &j.Trim}} {
			dir := d.dir
			for _, f := range []struct {
				field string
				v     float64
			}{{"iops", dir.IOPS}, {"io_bytes", dir.IOBytes}, {"bw_bytes", dir.BWBytes}, {"total_ios", dir.TotalIOs}, {"runtime", dir.Runtime}, {"clat_ns.mean", dir.Clat.Mean}, {"clat_ns.N", dir.Clat.N}} {
				if f.v < 0 || math.IsNaN(f.v) || math.IsInf(f.v, 0) {
					return Trial{}, fmt.Errorf("%s: field %q: %v is not a non-negative number", where(i), d.key+"."+f.field, f.v)
				}
			}
			t.IOPS += dir.IOPS
			t.Requests += uint64(dir.TotalIOs)
			t.Bytes += uint64(dir.IOBytes)
			t.MBps += dir.BWBytes / 1e6
			runtimeMs = math.Max(runtimeMs, dir.Runtime)
			if dir.Clat.N > 0 {
				latSum += dir.Clat.Mean * dir.Clat.N
				latN += dir.Clat.N
				sections = append(sections, &dir.Clat)
				if dir.Clat.Bins == nil {
					haveBins = false
				}
				for k, c := range dir.Clat.Bins {
					v, err := strconv.ParseFloat(k, 64)
					if err != nil || v < 0 || c < 0 || math.IsNaN(c) || math.IsInf(c, 0) {
						return Trial{}, fmt.Errorf("%s: field %q: bin %q: %v is not a latency and a count", where(i), d.key+".clat_ns.bins", k, c)
					}
					bins[v] += c
				}
			}
		}
	}
	if !(t.IOPS > 0) {
		return Trial{}, fmt.Errorf("%s: no I/O measured (iops is 0 in every section)", where(idx[0]))
	}
	t.DurationNs = int64(runtimeMs * 1e6)
	if out.TimestampMs > 0 {
		t.Start = time.UnixMilli(out.TimestampMs - int64(runtimeMs)).UTC()
	}
	t.LatSamples = uint64(latN)
	switch {
	case len(sections) == 1:
		// Exactly fio's figure: mean×N/N need not round back to it.
		t.LatMeanNs = sections[0].Mean
	case latN > 0:
		t.LatMeanNs = latSum / latN
	}
	switch {
	case haveBins && len(bins) > 0:
		ps := fioBinPercentiles(bins, []float64{50, 90, 99, 99.9})
		t.LatP50Ns, t.LatP90Ns, t.LatP99Ns, t.LatP999Ns = ps[0], ps[1], ps[2], ps[3]
	case len(sections) == 1:
		p := sections[0].Percentile
		t.LatP50Ns, t.LatP90Ns, t.LatP99Ns, t.LatP999Ns = p["50.000000"], p["90.000000"], p["99.000000"], p["99.900000"]
	}
	return t, nil
}

// fioBinPercentiles computes percentiles from fio's latency histogram the
// way fio does: the value of the first bin at which the cumulative count
// reaches p% of all samples.
func fioBinPercentiles(bins map[float64]float64, ps []float64) []float64 {
	keys := make([]float64, 0, len(bins))
	var total float64
	for k, c := range bins {
		keys = append(keys, k)
		total += c
	}
	sort.Float64s(keys)
	out := make([]float64, len(ps))
	var cum float64
	j := 0
	for _, k := range keys {
		cum += bins[k]
		for j < len(ps) && cum >= ps[j]/100*total {
			out[j] = k
			j++
		}
	}
	return out
}

// fioOptInt reads an integer job option; size options accept fio's
// suffixes (4k, 1m). A missing option gives def.
func fioOptInt(opts map[string]string, key string, def int, size bool) (int, error) {
	s, ok := opts[key]
	if !ok {
		if key == "bs" {
			if s, ok = opts["blocksize"]; !ok {
				return def, nil
			}
		} else {
			return def, nil
		}
	}
	if size {
		// "bs=4k,8k" gives read and write sizes; the first is the
		// read size, which fio also uses for writes when alone.
		s = strings.Split(s, ",")[0]
		n, err := workloads.ParseFioSize(s)
		if err != nil {
			return 0, fmt.Errorf("option %q: %v", key, err)
		}
		return n, nil
	}
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 1 {
		return 0, fmt.Errorf("option %q: %q is not a positive integer", key, s)
	}
	return n, nil
}

// fioJSONStart finds where the JSON object begins: the first line whose
// first non-blank character is '{'. fio prints notes ("note: both
// iodepth >= 1 and synchronous I/O engine …") on stdout before it.
func fioJSONStart(data []byte) int {
	off := 0
	for off < len(data) {
		line := data[off:]
		if nl := bytes.IndexByte(line, '\n'); nl >= 0 {
			line = line[:nl+1]
		}
		trimmed := bytes.TrimLeft(line, " \t\r")
		if len(trimmed) > 0 && trimmed[0] == '{' {
			return off + len(line) - len(trimmed)
		}
		off += len(line)
	}
	return -1
}

// fioJSONError turns a decoding error into a one-line error positioned
// at the line and column of the whole file.
func fioJSONError(name string, data []byte, start int, dec *json.Decoder, err error) error {
	off := start + int(dec.InputOffset())
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	msg := err.Error()
	switch {
	// Both offsets count the bytes read, the offending one included.
	case errors.As(err, &se):
		off = start + max(int(se.Offset)-1, 0)
	case errors.As(err, &te):
		off = start + max(int(te.Offset)-1, 0)
		msg = fmt.Sprintf("field %q: %s is not a %s", te.Field, te.Value, te.Type)
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		off = len(data)
		msg = "unexpected end of file (fio output cut short?)"
	}
	if off > len(data) {
		off = len(data)
	}
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	col := off - bytes.LastIndexByte(data[:off], '\n')
	msg = strings.ReplaceAll(msg, "json: ", "")
	return fmt.Errorf("%s:%d:%d: %s", name, line, col, msg)
}

// fioMatch is what a path pattern extracted from a file name.
type fioMatch struct {
	variant, config string
	round           int
}

var fioPlaceholder = regexp.MustCompile(`\{(variant|config|round)\}|\*`)

// matchFioPath matches name's trailing path elements against pattern.
func matchFioPath(pattern, name string) (fioMatch, error) {
	var re strings.Builder
	re.WriteString(`(?:^|/)`)
	last := 0
	seen := map[string]bool{}
	for _, loc := range fioPlaceholder.FindAllStringSubmatchIndex(pattern, -1) {
		re.WriteString(regexp.QuoteMeta(pattern[last:loc[0]]))
		last = loc[1]
		if loc[2] < 0 {
			re.WriteString(`[^/]*`)
			continue
		}
		key := pattern[loc[2]:loc[3]]
		if seen[key] {
			return fioMatch{}, fmt.Errorf("path pattern %q: {%s} appears twice", pattern, key)
		}
		seen[key] = true
		switch key {
		case "round":
			re.WriteString(`(?P<round>[0-9]+)`)
		default:
			re.WriteString(`(?P<` + key + `>[^/]+)`)
		}
	}
	re.WriteString(regexp.QuoteMeta(pattern[last:]))
	re.WriteString(`$`)
	rx, err := regexp.Compile(re.String())
	if err != nil {
		return fioMatch{}, fmt.Errorf("path pattern %q: %v", pattern, err)
	}
	sub := rx.FindStringSubmatch(strings.ReplaceAll(name, `\`, "/"))
	if sub == nil {
		return fioMatch{}, fmt.Errorf("%s: name does not match path pattern %q", name, pattern)
	}
	var m fioMatch
	for i, n := range rx.SubexpNames() {
		switch n {
		case "variant":
			m.variant = sub[i]
		case "config":
			m.config = sub[i]
		case "round":
			r, err := strconv.Atoi(sub[i])
			if err != nil || r < 1 {
				return fioMatch{}, fmt.Errorf("%s: round %q from path pattern %q is not a positive integer", name, sub[i], pattern)
			}
			m.round = r
		}
	}
	return m, nil
}
