package workloads

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"gopkg.in/ini.v1"
)

// FioJobSpec is one job section of a fio job file, with the [global]
// options above it applied: the dimensions a matrix varies, and every
// other option as written, so that an fio engine can pass them on.
type FioJobSpec struct {
	Name    string // the section name, or its name option
	RW      string // fio's rw (alias readwrite); default "read"
	BS      int    // bytes; fio's bs (alias blocksize); default 4096
	IODepth int    // default 1
	NumJobs int    // default 1
	// Options holds every other option; an empty value is a bare flag
	// such as time_based, which fio accepts only without a value.
	Options map[string]string
	// OptionOrder lists the keys of Options in the order fio would apply
	// them ([global] first, then the job's own), which matters: an
	// engine's options are known to fio only after its ioengine.
	OptionOrder []string
}

// Args returns the job's Options as fio command-line arguments, in
// OptionOrder: "--key=value", or "--key" for a bare flag. The matrix
// dimensions (rw, bs, iodepth, numjobs) are not included.
func (j FioJobSpec) Args() []string {
	args := make([]string, 0, len(j.OptionOrder))
	for _, k := range j.OptionOrder {
		v, ok := j.Options[k]
		switch {
		case !ok:
		case v == "":
			args = append(args, "--"+k)
		default:
			args = append(args, "--"+k+"="+v)
		}
	}
	return args
}

// fioRWPatterns are the rw values fio accepts (without the ":N" offset
// modifier, which a comparison matrix has no use for).
var fioRWPatterns = map[string]bool{
	"read": true, "write": true, "trim": true, "randread": true, "randwrite": true, "randtrim": true,
	"rw": true, "readwrite": true, "randrw": true, "trimwrite": true, "randtrimwrite": true,
}

// fioUnsupported are options that make one job's block size not a single
// number, which a matrix point cannot represent.
var fioUnsupported = map[string]string{
	"bsrange":             "block size ranges",
	"blocksize_range":     "block size ranges",
	"bssplit":             "block size splits",
	"blocksize_unaligned": "unaligned block sizes",
	"include":             "include directives",
}

// ParseFioJobFile reads a fio job file (an ini file) and returns its
// jobs in file order. Each [global] section's options apply to the job
// sections after it, as in fio; a job's own options override them. name
// is used in errors, which read `name:section: option "bs": "4q" is not a
// size`. Size ranges and lists ("4k-16k", "4k,8k"), rw offset modifiers,
// include directives and options outside a section are rejected.
func ParseFioJobFile(r io.Reader, name string) ([]FioJobSpec, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	flags, err := fioBareKeys(data, name)
	if err != nil {
		return nil, err
	}
	f, err := ini.LoadSources(ini.LoadOptions{
		AllowBooleanKeys:       true, // time_based, group_reporting
		AllowNonUniqueSections: true, // fio allows several [global]s
		IgnoreContinuation:     true,
		IgnoreInlineComment:    true, // fio has whole-line comments only
		KeyValueDelimiters:     "=",
		ChildSectionDelimiter:  "\x00", // "a.b" is a plain section name
	}, data)
	if err != nil {
		return nil, fmt.Errorf("%s: %s", name, fioOneLine(err.Error()))
	}

	global := map[string]string{}
	var globalOrder []string
	var jobs []FioJobSpec
	sectionIndex := -1
	for _, sec := range f.Sections() {
		keys := sec.Keys()
		if sec.Name() == ini.DefaultSection {
			if len(keys) > 0 {
				return nil, fmt.Errorf("%s: option %q is outside a section", name, keys[0].Name())
			}
			continue
		}
		sectionIndex++
		where := name + ":" + sec.Name()
		opts := map[string]string{}
		var order []string
		if sec.Name() != "global" {
			for k, v := range global {
				opts[k] = v
			}
			order = append(order, globalOrder...)
		}
		for _, k := range keys {
			key := strings.TrimSpace(k.Name())
			first, _, _ := strings.Cut(key, " ")
			if what, ok := fioUnsupported[first]; ok {
				return nil, fmt.Errorf("%s: option %q: %s are not supported", where, key, what)
			}
			if strings.ContainsAny(key, " \t") {
				return nil, fmt.Errorf("%s: option %q: not an option name (missing \"=\"?)", where, key)
			}
			v := k.Value()
			if flags[fioFlagKey{sectionIndex, key}] {
				v = ""
			}
			key = fioCanonical(key)
			if sec.Name() == "global" {
				if _, ok := global[key]; !ok {
					globalOrder = append(globalOrder, key)
				}
				global[key] = v
				continue
			}
			if _, ok := opts[key]; !ok {
				order = append(order, key)
			}
			opts[key] = v
		}
		if sec.Name() == "global" {
			continue
		}
		job, err := fioJobFromOptions(where, sec.Name(), opts, order)
		if err != nil {
			return nil, err
		}
		jobs = append(jobs, job)
	}
	if len(jobs) == 0 {
		return nil, fmt.Errorf("%s: no job sections (only [global] or nothing)", name)
	}
	return jobs, nil
}

// fioCanonical maps fio's aliases to the names FioJobSpec uses.
func fioCanonical(key string) string {
	switch key {
	case "readwrite":
		return "rw"
	case "blocksize":
		return "bs"
	}
	return key
}

func fioJobFromOptions(where, name string, opts map[string]string, order []string) (FioJobSpec, error) {
	job := FioJobSpec{Name: name, RW: "read", BS: 4096, IODepth: 1, NumJobs: 1, Options: map[string]string{}}
	for k, v := range opts {
		switch k {
		case "rw":
			if !fioRWPatterns[v] {
				return FioJobSpec{}, fmt.Errorf("%s: option %q: %q is not an rw pattern (read, write, randread, randwrite, rw, randrw, …)", where, k, v)
			}
			job.RW = v
		case "bs":
			n, err := ParseFioSize(v)
			if err != nil {
				return FioJobSpec{}, fmt.Errorf("%s: option %q: %v", where, k, err)
			}
			job.BS = n
		case "name":
			// fio's name option overrides the section name; on a command
			// line it would start another job, so it never goes to Options.
			if v != "" {
				job.Name = v
			}
		case "iodepth", "numjobs":
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 1 || n > 1<<20 {
				return FioJobSpec{}, fmt.Errorf("%s: option %q: %q is not a positive integer", where, k, v)
			}
			if k == "iodepth" {
				job.IODepth = n
			} else {
				job.NumJobs = n
			}
		default:
			job.Options[k] = v
		}
	}
	for _, k := range order {
		if _, ok := job.Options[k]; ok {
			job.OptionOrder = append(job.OptionOrder, k)
		}
	}
	return job, nil
}

// ParseFioSize parses a fio size such as "4k", "1m", "512", "4KiB" into
// bytes. As with fio's default kb_base=1024, k, m, g and t are powers of
// 1024. Ranges ("4k-16k") and per-direction lists ("4k,8k") are rejected.
func ParseFioSize(s string) (int, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	if strings.ContainsAny(t, "-:,") {
		return 0, fmt.Errorf("%q is not a size (ranges and lists are not supported)", s)
	}
	i := 0
	for i < len(t) && t[i] >= '0' && t[i] <= '9' {
		i++
	}
	if i == 0 {
		return 0, fmt.Errorf("%q is not a size", s)
	}
	n, err := strconv.ParseInt(t[:i], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a size", s)
	}
	var shift uint
	switch strings.TrimSuffix(strings.TrimSuffix(t[i:], "ib"), "b") {
	case "":
	case "k":
		shift = 10
	case "m":
		shift = 20
	case "g":
		shift = 30
	case "t":
		shift = 40
	default:
		return 0, fmt.Errorf("%q is not a size", s)
	}
	if n <= 0 || n > (math.MaxInt32>>shift) {
		return 0, fmt.Errorf("%q is not a size between 1 and 2g", s)
	}
	return int(n << shift), nil
}

type fioFlagKey struct {
	section int
	key     string
}

// fioBareKeys finds the options written without "=" (fio's flags), per
// section in order. The ini library reports such keys with the value
// "true", which fio would reject ("failed parsing time_based=true"), so
// the job needs to know which options were bare.
func fioBareKeys(data []byte, name string) (map[fioFlagKey]bool, error) {
	flags := map[fioFlagKey]bool{}
	section := -1
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || line[0] == ';' || line[0] == '#':
		case line[0] == '[':
			section++
		case !strings.Contains(line, "="):
			flags[fioFlagKey{section, line}] = true
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	return flags, nil
}

// fioOneLine joins a multi-line library error into one line.
func fioOneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
