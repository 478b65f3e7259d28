package workloads

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Binary size units, as fio and null_blk read them: "4k" is 4096 bytes.
const (
	KiB = 1 << 10
	MiB = 1 << 20
	GiB = 1 << 30
	TiB = 1 << 40
)

// FormatSize spells a byte count with the largest binary unit that divides
// it exactly ("4k", "1m", "16m", "1536"), so that ParseSize gives the same
// number back.
func FormatSize(n int64) string {
	switch {
	case n == 0:
		return "0"
	case n%TiB == 0:
		return strconv.FormatInt(n/TiB, 10) + "t"
	case n%GiB == 0:
		return strconv.FormatInt(n/GiB, 10) + "g"
	case n%MiB == 0:
		return strconv.FormatInt(n/MiB, 10) + "m"
	case n%KiB == 0:
		return strconv.FormatInt(n/KiB, 10) + "k"
	}
	return strconv.FormatInt(n, 10)
}

var errNotSize = errors.New("not a size")

// ParseSize reads a byte count: digits and an optional binary unit k, m,
// g or t, in either case, optionally followed by "b" or "ib" ("4k", "4K",
// "4KiB", "1m", "512"). Negative sizes and overflow are errors.
func ParseSize(s string) (int64, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	t = strings.TrimSuffix(t, "ib")
	t = strings.TrimSuffix(t, "b")
	mult := int64(1)
	if t != "" {
		switch t[len(t)-1] {
		case 'k':
			mult = KiB
		case 'm':
			mult = MiB
		case 'g':
			mult = GiB
		case 't':
			mult = TiB
		}
		if mult != 1 {
			t = t[:len(t)-1]
		}
	}
	if t == "" || t[0] < '0' || t[0] > '9' {
		return 0, errNotSize
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil {
		return 0, errNotSize
	}
	if n > math.MaxInt64/mult {
		return 0, errors.New("size too large")
	}
	return n * mult, nil
}

// splitList splits a comma-separated flag value, trimming spaces, and
// rejects empty and repeated items: a repeated item would run the same
// configuration twice and weigh it double in every summary.
func splitList(flag, s string) ([]string, error) {
	if strings.TrimSpace(s) == "" {
		return nil, fmt.Errorf("%s: empty list", flag)
	}
	items := strings.Split(s, ",")
	for i := range items {
		items[i] = strings.TrimSpace(items[i])
		if items[i] == "" {
			return nil, fmt.Errorf("%s: item %d of %q is empty", flag, i+1, s)
		}
	}
	return items, nil
}

func dupError(flag, item string) error {
	return fmt.Errorf("%s: %q: given twice", flag, item)
}

// ParseList splits a comma-separated list of words ("randread,randwrite").
// Errors name the flag and the item, e.g. `--rw: "": item 2 of ... is empty`.
// It does not check the words against a vocabulary; Cross does.
func ParseList(flag, s string) ([]string, error) {
	items, err := splitList(flag, s)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, it := range items {
		if seen[it] {
			return nil, dupError(flag, it)
		}
		seen[it] = true
	}
	return items, nil
}

// ParseSizes reads a list of byte counts such as "4k,32k,1m,16m".
// Errors name the flag and the item: `--bs: "4q": not a size`.
func ParseSizes(flag, s string) ([]int, error) {
	items, err := splitList(flag, s)
	if err != nil {
		return nil, err
	}
	out := make([]int, 0, len(items))
	seen := map[int64]bool{}
	for _, it := range items {
		n, err := ParseSize(it)
		if err != nil {
			return nil, fmt.Errorf("%s: %q: %v", flag, it, err)
		}
		if n < 1 || n > maxBS {
			return nil, fmt.Errorf("%s: %q: want 1..%s", flag, it, FormatSize(maxBS))
		}
		if seen[n] {
			return nil, dupError(flag, it)
		}
		seen[n] = true
		out = append(out, int(n))
	}
	return out, nil
}

// ParseInts reads a list of integers such as "1,8,32,128".
// Errors name the flag and the item: `--iodepth: "x": not an integer`.
func ParseInts(flag, s string) ([]int, error) {
	items, err := splitList(flag, s)
	if err != nil {
		return nil, err
	}
	out := make([]int, 0, len(items))
	seen := map[int]bool{}
	for _, it := range items {
		n, err := strconv.ParseInt(it, 10, 32)
		if err != nil {
			return nil, fmt.Errorf("%s: %q: not an integer", flag, it)
		}
		if seen[int(n)] {
			return nil, dupError(flag, it)
		}
		seen[int(n)] = true
		out = append(out, int(n))
	}
	return out, nil
}

// ParseBools reads a list of booleans ("0,1", "true,false").
func ParseBools(flag, s string) ([]bool, error) {
	items, err := splitList(flag, s)
	if err != nil {
		return nil, err
	}
	out := make([]bool, 0, len(items))
	seen := map[bool]bool{}
	for _, it := range items {
		v, err := parseBool(it)
		if err != nil {
			return nil, fmt.Errorf("%s: %q: %v", flag, it, err)
		}
		if seen[v] {
			return nil, dupError(flag, it)
		}
		seen[v] = true
		out = append(out, v)
	}
	return out, nil
}

// ParseIRQModes reads a list of interrupt modes, by name (none, softirq,
// timer) or by null_blk's number (0, 1, 2).
func ParseIRQModes(flag, s string) ([]string, error) {
	items, err := ParseList(flag, s)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(items))
	seen := map[string]bool{}
	for _, it := range items {
		m := strings.ToLower(it)
		if n, err := strconv.Atoi(m); err == nil && n >= 0 && n < len(IRQModes) {
			m = IRQModes[n]
		}
		if !isIRQMode(m) {
			return nil, fmt.Errorf("%s: %q: want one of %s (or 0, 1, 2)", flag, it, strings.Join(IRQModes, ", "))
		}
		if seen[m] {
			return nil, dupError(flag, it)
		}
		seen[m] = true
		out = append(out, m)
	}
	return out, nil
}

// ParseRW reads a list of access patterns (read, write, randread,
// randwrite).
func ParseRW(flag, s string) ([]string, error) {
	items, err := ParseList(flag, s)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		if !isRW(it) {
			return nil, fmt.Errorf("%s: %q: want one of %s", flag, it, strings.Join(RWModes, ", "))
		}
	}
	return items, nil
}
