package workloads

import (
	"fmt"
	"strconv"
	"strings"
)

// Access patterns a workload may use, named as fio names them.
const (
	Read      = "read"
	Write     = "write"
	RandRead  = "randread"
	RandWrite = "randwrite"
)

// RWModes lists the access patterns in the order names and help text use.
var RWModes = []string{Read, Write, RandRead, RandWrite}

// Interrupt modes of the null block device, named after null_blk's irqmode
// values 0, 1 and 2.
const (
	IRQNone    = "none"
	IRQSoftIRQ = "softirq"
	IRQTimer   = "timer"
)

// IRQModes lists the interrupt modes in null_blk's numeric order.
var IRQModes = []string{IRQNone, IRQSoftIRQ, IRQTimer}

// Device is a null block device configuration, with null_blk's parameter
// names in the comments. It holds plain values so that this package does
// not depend on the engine; the harness maps it onto nullblk.
type Device struct {
	SubmitQueues   int    // submit_queues: hardware queues
	HwQueueDepth   int    // hw_queue_depth: tags per hardware queue
	IRQMode        string // irqmode: none, softirq or timer
	CompletionNsec int64  // completion_nsec: timer-mode completion delay
	MemoryBacked   bool   // memory_backed: reads and writes copy data
	SizeMiB        int64  // size, in MiB
	SharedTags     bool   // shared_tags: one tag set for all queues
	BlockSize      int    // bs/blocksize: logical block size in bytes
}

// DefaultDevice returns the device the seed's kernel measurements used:
// one submit queue of depth 256, no interrupts, memory-backed, 4 GiB,
// 4 KiB blocks. Config names mention only parameters that differ from it.
func DefaultDevice() Device {
	return Device{
		SubmitQueues:   1,
		HwQueueDepth:   256,
		IRQMode:        IRQNone,
		CompletionNsec: 10000,
		MemoryBacked:   true,
		SizeMiB:        4096,
		SharedTags:     false,
		BlockSize:      4096,
	}
}

// Limits that keep a configuration within what the engine can simulate in
// memory on an ordinary machine; they are generous on purpose.
const (
	maxQueues     = 1024
	maxQueueDepth = 1 << 16
	maxJobs       = 1024
	maxSizeMiB    = 1 << 20 // 1 TiB: only memory-backed pages that are touched are allocated
	maxBS         = 1 << 30
	maxNsec       = int64(10e9)
)

// Validate reports the first parameter that is out of range, by its
// null_blk name.
func (d Device) Validate() error {
	switch {
	case d.SubmitQueues < 1 || d.SubmitQueues > maxQueues:
		return fmt.Errorf("submit_queues: %d: want 1..%d", d.SubmitQueues, maxQueues)
	case d.HwQueueDepth < 1 || d.HwQueueDepth > maxQueueDepth:
		return fmt.Errorf("hw_queue_depth: %d: want 1..%d", d.HwQueueDepth, maxQueueDepth)
	case !isIRQMode(d.IRQMode):
		return fmt.Errorf("irqmode: %q: want one of %s", d.IRQMode, strings.Join(IRQModes, ", "))
	case d.CompletionNsec < 0 || d.CompletionNsec > maxNsec:
		return fmt.Errorf("completion_nsec: %d: want 0..%d", d.CompletionNsec, maxNsec)
	case d.SizeMiB < 1 || d.SizeMiB > maxSizeMiB:
		return fmt.Errorf("size: %d MiB: want 1..%d", d.SizeMiB, maxSizeMiB)
	case d.BlockSize < 512 || d.BlockSize > 4096 || d.BlockSize&(d.BlockSize-1) != 0:
		// null_blk accepts power-of-two logical block sizes from 512 to 4096.
		return fmt.Errorf("blocksize: %d: want a power of two from 512 to 4096", d.BlockSize)
	}
	return nil
}

func isIRQMode(s string) bool {
	for _, m := range IRQModes {
		if s == m {
			return true
		}
	}
	return false
}

func isRW(s string) bool {
	for _, m := range RWModes {
		if s == m {
			return true
		}
	}
	return false
}

// Workload is one fio-like job on one device: an access pattern, a block
// size, the number of requests each job keeps in flight and the number of
// jobs submitting concurrently.
type Workload struct {
	RW      string // read, write, randread or randwrite
	BS      int    // bytes per request
	IODepth int    // requests in flight per job
	NumJobs int    // concurrent submitters
	Device  Device
}

// Validate reports the first field that is out of range, by its flag name.
func (w Workload) Validate() error {
	if !isRW(w.RW) {
		return fmt.Errorf("rw: %q: want one of %s", w.RW, strings.Join(RWModes, ", "))
	}
	if err := w.Device.Validate(); err != nil {
		return err
	}
	switch {
	case w.BS < 1 || w.BS > maxBS:
		return fmt.Errorf("bs: %s: want 1..%s", FormatSize(int64(w.BS)), FormatSize(maxBS))
	case w.BS%w.Device.BlockSize != 0:
		// As with O_DIRECT on a real device, a request covers whole blocks.
		return fmt.Errorf("bs: %s: not a multiple of the device block size %d", FormatSize(int64(w.BS)), w.Device.BlockSize)
	case int64(w.BS) > w.Device.SizeMiB<<20:
		return fmt.Errorf("bs: %s: larger than the device (%d MiB)", FormatSize(int64(w.BS)), w.Device.SizeMiB)
	case w.IODepth < 1 || w.IODepth > maxQueueDepth:
		return fmt.Errorf("iodepth: %d: want 1..%d", w.IODepth, maxQueueDepth)
	case w.NumJobs < 1 || w.NumJobs > maxJobs:
		return fmt.Errorf("numjobs: %d: want 1..%d", w.NumJobs, maxJobs)
	}
	return nil
}

// Name returns the stable, readable name of the workload, such as
// "randread/bs=4k/qd=1/jobs=1". Device parameters are appended only when
// they differ from DefaultDevice, in a fixed order, so a configuration's
// name never depends on which other configurations share its matrix and
// records from different runs can be joined by name.
func (w Workload) Name() string {
	var b strings.Builder
	b.WriteString(w.RW)
	b.WriteString("/bs=")
	b.WriteString(FormatSize(int64(w.BS)))
	b.WriteString("/qd=")
	b.WriteString(strconv.Itoa(w.IODepth))
	b.WriteString("/jobs=")
	b.WriteString(strconv.Itoa(w.NumJobs))
	def := DefaultDevice()
	d := w.Device
	if d.SubmitQueues != def.SubmitQueues {
		fmt.Fprintf(&b, "/sq=%d", d.SubmitQueues)
	}
	if d.HwQueueDepth != def.HwQueueDepth {
		fmt.Fprintf(&b, "/hwqd=%d", d.HwQueueDepth)
	}
	if d.IRQMode != def.IRQMode {
		fmt.Fprintf(&b, "/irq=%s", d.IRQMode)
	}
	if d.CompletionNsec != def.CompletionNsec {
		fmt.Fprintf(&b, "/cnsec=%d", d.CompletionNsec)
	}
	if d.MemoryBacked != def.MemoryBacked {
		fmt.Fprintf(&b, "/mem=%s", boolDigit(d.MemoryBacked))
	}
	if d.SizeMiB != def.SizeMiB {
		fmt.Fprintf(&b, "/size=%s", FormatSize(d.SizeMiB<<20))
	}
	if d.SharedTags != def.SharedTags {
		fmt.Fprintf(&b, "/shared=%s", boolDigit(d.SharedTags))
	}
	if d.BlockSize != def.BlockSize {
		fmt.Fprintf(&b, "/lbs=%d", d.BlockSize)
	}
	return b.String()
}

// String returns Name, so a Workload prints as its config name.
func (w Workload) String() string { return w.Name() }

func boolDigit(v bool) string {
	if v {
		return "1"
	}
	return "0"
}

// ParseName is the inverse of Name. It also accepts names that are not in
// canonical form (keys in any order, "bs=4096", default device parameters
// spelled out), so hand-written matrix files need not be exact; Name of the
// result is the canonical spelling. The workload is validated.
func ParseName(name string) (Workload, error) {
	w := Workload{Device: DefaultDevice()}
	parts := strings.Split(name, "/")
	if !isRW(parts[0]) {
		return Workload{}, fmt.Errorf("config %q: rw %q: want one of %s", name, parts[0], strings.Join(RWModes, ", "))
	}
	w.RW = parts[0]
	seen := map[string]bool{}
	for _, p := range parts[1:] {
		key, val, ok := strings.Cut(p, "=")
		if !ok {
			return Workload{}, fmt.Errorf("config %q: %q: want key=value", name, p)
		}
		if seen[key] {
			return Workload{}, fmt.Errorf("config %q: %s given twice", name, key)
		}
		seen[key] = true
		if err := setKey(&w, key, val); err != nil {
			return Workload{}, fmt.Errorf("config %q: %w", name, err)
		}
	}
	for _, k := range []string{"bs", "qd", "jobs"} {
		if !seen[k] {
			return Workload{}, fmt.Errorf("config %q: missing %s=", name, k)
		}
	}
	if err := w.Validate(); err != nil {
		return Workload{}, fmt.Errorf("config %q: %w", name, err)
	}
	return w, nil
}

// setKey sets one name component. The keys are Name's short spellings.
func setKey(w *Workload, key, val string) error {
	var err error
	d := &w.Device
	switch key {
	case "bs":
		var n int64
		n, err = ParseSize(val)
		if err == nil && n > maxBS {
			err = fmt.Errorf("too large")
		}
		w.BS = int(n)
	case "qd":
		w.IODepth, err = parseInt(val)
	case "jobs":
		w.NumJobs, err = parseInt(val)
	case "sq":
		d.SubmitQueues, err = parseInt(val)
	case "hwqd":
		d.HwQueueDepth, err = parseInt(val)
	case "irq":
		if !isIRQMode(val) {
			return fmt.Errorf("irq: %q: want one of %s", val, strings.Join(IRQModes, ", "))
		}
		d.IRQMode = val
	case "cnsec":
		d.CompletionNsec, err = strconv.ParseInt(val, 10, 64)
	case "mem":
		d.MemoryBacked, err = parseBool(val)
	case "size":
		var n int64
		n, err = ParseSize(val)
		if err == nil && n%(1<<20) != 0 {
			err = fmt.Errorf("not a whole number of MiB")
		}
		d.SizeMiB = n >> 20
	case "shared":
		d.SharedTags, err = parseBool(val)
	case "lbs":
		d.BlockSize, err = parseInt(val)
	default:
		return fmt.Errorf("unknown key %q", key)
	}
	if err != nil {
		return fmt.Errorf("%s: %q: %v", key, val, unwrapNum(err))
	}
	return nil
}

// unwrapNum drops strconv's "strconv.ParseInt: parsing ..." prefix, which
// repeats the input the caller already quotes.
func unwrapNum(err error) error {
	if ne, ok := err.(*strconv.NumError); ok {
		return ne.Err
	}
	return err
}

func parseInt(s string) (int, error) {
	n, err := strconv.ParseInt(s, 10, 32)
	return int(n), err
}

func parseBool(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "1", "true", "yes", "on":
		return true, nil
	case "0", "false", "no", "off":
		return false, nil
	}
	return false, fmt.Errorf("not a boolean (want 0 or 1)")
}
