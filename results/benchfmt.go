package results

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/perf/benchfmt"
)

// Units written by WriteBenchfmt. IOPS is the unit of analysis; ns/op is
// its reciprocal (one op = one request) so that tools which only know the
// testing package's units still see the same comparison.
const (
	BenchUnitIOPS  = "iops"
	BenchUnitNsOp  = "ns/op"
	BenchUnitMBps  = "MB/s"
	BenchUnitP99Ns = "p99-ns"
)

// BenchName is the benchmark base name every exported trial carries.
const BenchName = "Nullblk"

// WriteBenchfmt writes trials in the Go benchmark format, one result line
// per trial, so that the benchstat command can compare backends:
//
//	benchstat -col /backend trials.bench
//
// The configuration's dimensions become name keys
// (BenchmarkNullblk/rw=randread/bs=4k/qd=1/jobs=1/backend=helper-2), a
// variant whose label differs from its backend adds /variant=LABEL, and
// the run environment from h (which may be nil) becomes file configuration.
// Values are unscaled: iops, ns/op = 1e9/iops, MB/s and p99-ns when known.
// In names, "/" and white space in labels become "_". Without a
// GOMAXPROCS in h, a label ending in "-<digits>" reads back as a
// GOMAXPROCS suffix, as it would in any Go benchmark name.
func WriteBenchfmt(w io.Writer, h *Header, trials []Trial) error {
	bw := benchfmt.NewWriter(w)
	// Unit metadata first so that every reader knows the direction of
	// the custom units before it sees a value in them. "assume=nothing"
	// makes benchstat use medians and Mann-Whitney U, which is what the
	// trial distributions (possibly multimodal) call for.
	meta := []struct{ unit, key, val string }{
		{BenchUnitIOPS, "better", "higher"},
		{BenchUnitIOPS, "assume", "nothing"},
		{BenchUnitP99Ns, "better", "lower"},
		{BenchUnitP99Ns, "assume", "nothing"},
	}
	for _, m := range meta {
		um := &benchfmt.UnitMetadata{
			UnitMetadataKey: benchfmt.UnitMetadataKey{Unit: m.unit, Key: m.key},
			OrigUnit:        m.unit,
			Value:           m.val,
		}
		if err := bw.Write(um); err != nil {
			return err
		}
	}

	res := &benchfmt.Result{}
	gomaxprocs := 0
	if h != nil {
		env := h.Env
		fileConfig := []struct{ key, val string }{
			{"cpu", env.CPUModel},
			{"go", env.GoVersion},
			{"kernel", env.Kernel},
			{"host", env.Host},
			{"tool", env.ToolVersion},
			{"commit", env.Commit},
			{"plan", h.PlanHash},
			{"engine", h.Plan.Engine},
			{"baseline", h.Plan.Baseline},
		}
		for _, c := range fileConfig {
			if v := benchConfigValue(c.val); v != "" {
				res.Config = append(res.Config, benchfmt.Config{Key: c.key, Value: []byte(v), File: true})
			}
		}
		gomaxprocs = env.GOMAXPROCS
	}

	for i := range trials {
		t := &trials[i]
		if !(t.IOPS > 0) {
			return fmt.Errorf("trial %d (config %q, variant %q): iops %v is not positive", i+1, t.Config, t.Variant, t.IOPS)
		}
		res.Name = benchfmt.Name(benchTrialName(t, gomaxprocs))
		// The iteration count is the number of requests the figure
		// averages over; benchstat only needs it to be positive.
		res.Iters = 1
		if t.Requests > 0 && t.Requests <= uint64(int(^uint(0)>>1)) {
			res.Iters = int(t.Requests)
		}
		res.Values = append(res.Values[:0],
			benchfmt.Value{Value: t.IOPS, Unit: BenchUnitIOPS},
			benchfmt.Value{Value: 1e9 / t.IOPS, Unit: BenchUnitNsOp},
		)
		if t.MBps > 0 {
			res.Values = append(res.Values, benchfmt.Value{Value: t.MBps, Unit: BenchUnitMBps})
		}
		if t.LatP99Ns > 0 {
			res.Values = append(res.Values, benchfmt.Value{Value: t.LatP99Ns, Unit: BenchUnitP99Ns})
		}
		if err := bw.Write(res); err != nil {
			return err
		}
	}
	return nil
}

// benchTrialName builds the sub-benchmark name of one trial (without the
// "Benchmark" prefix the writer adds).
func benchTrialName(t *Trial, gomaxprocs int) string {
	var b strings.Builder
	b.WriteString(BenchName)
	parts := benchConfigParts(t)
	for _, p := range parts {
		b.WriteByte('/')
		b.WriteString(p)
	}
	backend := t.Backend
	if backend == "" {
		backend = t.Variant
	}
	b.WriteString("/backend=")
	b.WriteString(benchNameValue(backend))
	if t.Variant != "" && t.Variant != backend {
		b.WriteString("/variant=")
		b.WriteString(benchNameValue(t.Variant))
	}
	if gomaxprocs > 0 {
		// Always ending in -GOMAXPROCS, as the testing package does, also
		// keeps a label like "run-2" from being read as a GOMAXPROCS.
		b.WriteByte('-')
		b.WriteString(strconv.Itoa(gomaxprocs))
	}
	return b.String()
}

// benchConfigParts turns a config name such as
// "randread/bs=4k/qd=1/jobs=1/irq=softirq" into name keys. The first
// element is the rw pattern; later ones are key=value pairs kept as they
// are. Without a config name the trial's own dimensions are used.
func benchConfigParts(t *Trial) []string {
	if t.Config == "" {
		var parts []string
		if t.RW != "" {
			parts = append(parts, "rw="+benchNameValue(t.RW))
		}
		if t.BS > 0 {
			parts = append(parts, "bs="+benchSize(t.BS))
		}
		if t.IODepth > 0 {
			parts = append(parts, "qd="+strconv.Itoa(t.IODepth))
		}
		if t.NumJobs > 0 {
			parts = append(parts, "jobs="+strconv.Itoa(t.NumJobs))
		}
		return parts
	}
	elems := strings.Split(t.Config, "/")
	parts := make([]string, 0, len(elems))
	for i, e := range elems {
		if e == "" {
			continue
		}
		k, v, ok := strings.Cut(e, "=")
		switch {
		case ok:
			parts = append(parts, benchNameValue(k)+"="+benchNameValue(v))
		case i == 0:
			parts = append(parts, "rw="+benchNameValue(e))
		default:
			// A positional element: benchfmt names it by its position.
			parts = append(parts, benchNameValue(e))
		}
	}
	return parts
}

// benchSize formats a byte count the way fio and the config names write
// block sizes: 4096 → "4k", 1048576 → "1m", 512 → "512".
func benchSize(n int) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return strconv.Itoa(n>>30) + "g"
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.Itoa(n>>20) + "m"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.Itoa(n>>10) + "k"
	}
	return strconv.Itoa(n)
}

// benchNameValue makes s safe inside a benchmark name: the name ends at
// white space and "/" separates keys, so both become "_".
func benchNameValue(s string) string {
	if s == "" {
		return "_"
	}
	return strings.Map(func(r rune) rune {
		if r == '/' || unicode.IsSpace(r) {
			return '_'
		}
		return r
	}, s)
}

// benchConfigValue makes s safe as a file configuration value, which
// must fit on one line.
func benchConfigValue(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}
