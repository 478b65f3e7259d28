package workloads

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
)

// LoadMatrixFile reads a matrix file; see ParseMatrix for the format.
// Errors are positioned "file:line: ...".
func LoadMatrixFile(path string) (Matrix, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ParseMatrix(f, path)
}

// ParseMatrix reads a matrix in a small line-oriented text format:
//
//	# a comment; blank lines are ignored
//	randread/bs=4k/qd=1/jobs=1       a config name (any line with a '/')
//	rw = randread,randwrite          a list, "key = comma-separated values"
//	bs = 4k,1m
//
// Config names are taken in order. List lines use fio's and null_blk's
// names (rw, bs, iodepth, numjobs, irqmode, submit_queues, hw_queue_depth,
// completion_nsec, memory_backed, size (a bare number is MiB, as for
// null_blk; "64m" and "4g" work too), shared_tags, blocksize);
// their cross product, as Cross builds it over DefaultDevice, follows the
// named configs. A config may not occur twice. name is used in errors,
// which read "name:line: ...".
func ParseMatrix(r io.Reader, name string) (Matrix, error) {
	var (
		m        Matrix
		l        Lists
		haveList bool
		keyLine  = map[string]int{}
		seen     = map[string]int{}
	)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if i := strings.IndexByte(text, '#'); i >= 0 {
			text = text[:i]
		}
		text = strings.TrimSpace(text)
		if text == "" {
			continue
		}
		if strings.Contains(text, "/") {
			w, err := ParseName(text)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %v", name, line, err)
			}
			n := w.Name()
			if prev, dup := seen[n]; dup {
				return nil, fmt.Errorf("%s:%d: config %s already on line %d", name, line, n, prev)
			}
			seen[n] = line
			m = append(m, w)
			continue
		}
		key, val, ok := strings.Cut(text, "=")
		if !ok {
			return nil, fmt.Errorf("%s:%d: %q: want a config name or \"key = list\"", name, line, text)
		}
		key = strings.TrimSpace(key)
		canon, ok := fileKeys[key]
		if !ok {
			return nil, fmt.Errorf("%s:%d: unknown key %q", name, line, key)
		}
		if prev, dup := keyLine[canon]; dup {
			return nil, fmt.Errorf("%s:%d: %s already set on line %d", name, line, canon, prev)
		}
		keyLine[canon] = line
		if err := setList(&l, canon, val); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, line, err)
		}
		haveList = true
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %v", name, line+1, err)
	}
	if haveList {
		cm, err := cross(l, DefaultDevice())
		if err != nil {
			// A cross-product error names a key; point at the line that set it.
			at := line
			if k, _, ok := strings.Cut(err.Error(), ":"); ok {
				if kl, ok := keyLine[k]; ok {
					at = kl
				}
			}
			return nil, fmt.Errorf("%s:%d: %v", name, at, err)
		}
		for _, w := range cm {
			n := w.Name()
			if prev, dup := seen[n]; dup {
				return nil, fmt.Errorf("%s:%d: config %s is also produced by the lists", name, prev, n)
			}
			seen[n] = 0
			m = append(m, w)
		}
	}
	if len(m) == 0 {
		return nil, fmt.Errorf("%s: no configurations", name)
	}
	return m, nil
}

// fileKeys maps the accepted list keys, including the short spellings of
// config names, to the canonical key.
var fileKeys = map[string]string{
	"rw": "rw", "bs": "bs", "iodepth": "iodepth", "qd": "iodepth", "numjobs": "numjobs", "jobs": "numjobs",
	"irqmode": "irqmode", "irq": "irqmode",
	"submit_queues": "submit_queues", "sq": "submit_queues",
	"hw_queue_depth": "hw_queue_depth", "hwqd": "hw_queue_depth",
	"completion_nsec": "completion_nsec", "cnsec": "completion_nsec",
	"memory_backed": "memory_backed", "mem": "memory_backed",
	"size":        "size",
	"shared_tags": "shared_tags", "shared": "shared_tags",
	"blocksize": "blocksize", "lbs": "blocksize",
}

func setList(l *Lists, key, val string) error {
	var err error
	switch key {
	case "rw":
		l.RW, err = ParseRW(key, val)
	case "bs":
		l.BS, err = ParseSizes(key, val)
	case "iodepth":
		l.IODepth, err = ParseInts(key, val)
	case "numjobs":
		l.NumJobs, err = ParseInts(key, val)
	case "irqmode":
		// null_blk's numbers are accepted too, as in modprobe lines.
		l.IRQMode, err = ParseIRQModes(key, val)
	case "submit_queues":
		l.SubmitQueues, err = ParseInts(key, val)
	case "hw_queue_depth":
		l.HwQueueDepth, err = ParseInts(key, val)
	case "completion_nsec":
		var ns []int
		ns, err = ParseInts(key, val)
		for _, n := range ns {
			l.CompletionNsec = append(l.CompletionNsec, int64(n))
		}
	case "memory_backed":
		l.MemoryBacked, err = ParseBools(key, val)
	case "size":
		l.SizeMiB, err = parseSizesMiB(key, val)
	case "shared_tags":
		l.SharedTags, err = ParseBools(key, val)
	case "blocksize":
		l.BlockSize, err = ParseInts(key, val)
	}
	return err
}

// LoadMatrix resolves a --matrix value: a preset name, else the path of a
// matrix file. An unknown name that is no file either is reported as such.
func LoadMatrix(spec string) (Matrix, error) {
	if f, ok := presets[spec]; ok {
		return f(), nil
	}
	m, err := LoadMatrixFile(spec)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("--matrix: %q: neither a preset (%s) nor an existing file", spec, strings.Join(Presets(), ", "))
	}
	return m, err
}

// parseSizesMiB reads device sizes: a bare number is MiB, as null_blk's
// size parameter takes it; with a unit ("64m", "4g") it is what config
// names write, and must be a whole number of MiB.
func parseSizesMiB(flag, s string) ([]int64, error) {
	items, err := ParseList(flag, s)
	if err != nil {
		return nil, err
	}
	out := make([]int64, 0, len(items))
	seen := map[int64]bool{}
	for _, it := range items {
		var mib int64
		if n, err := strconv.ParseInt(it, 10, 64); err == nil {
			mib = n
		} else {
			b, err := ParseSize(it)
			if err != nil {
				return nil, fmt.Errorf("%s: %q: %v", flag, it, err)
			}
			if b%MiB != 0 {
				return nil, fmt.Errorf("%s: %q: not a whole number of MiB", flag, it)
			}
			mib = b / MiB
		}
		if seen[mib] {
			return nil, dupError(flag, it)
		}
		seen[mib] = true
		out = append(out, mib)
	}
	return out, nil
}
