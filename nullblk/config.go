package nullblk

import (
	"fmt"
	"strings"
	"time"
)

// IRQMode is null_blk's irqmode parameter: where a request completes.
type IRQMode uint8

// The three null_blk completion modes, numbered as the module parameter.
const (
	IRQNone    IRQMode = iota // 0: complete inside queue_rq
	IRQSoftirq                // 1: complete from the queue's completion context
	IRQTimer                  // 2: complete completion_nsec after submission
)

var irqModeNames = [...]string{"none", "softirq", "timer"}

// ParseIRQMode parses an irqmode by name ("none", "softirq", "timer") or by
// the module parameter's number ("0", "1", "2").
func ParseIRQMode(s string) (IRQMode, error) {
	for i, n := range irqModeNames {
		if s == n || s == fmt.Sprint(i) {
			return IRQMode(i), nil
		}
	}
	return 0, fmt.Errorf("irqmode %q: want one of none, softirq, timer (or 0, 1, 2)", s)
}

// String returns the irqmode's name as ParseIRQMode accepts it.
func (m IRQMode) String() string {
	if int(m) < len(irqModeNames) {
		return irqModeNames[m]
	}
	return fmt.Sprintf("irqmode(%d)", uint8(m))
}

// Backend selects how the per-request refcount operations are compiled:
// inline atomics, out-of-line refcount_t helpers, the same helpers inlined,
// or helpers with the 2→0 compare-and-swap out of line too.
type Backend uint8

// The four refcount backends, in the order Backends returns them.
const (
	BackendAtomic       Backend = iota // original inline atomics
	BackendHelper                      // refcount_t through out-of-line helpers, CAS inline
	BackendLTO                         // refcount_t with the helpers inlined
	BackendHelperAtomic                // refcount_t helpers and the CAS out of line
	numBackends
)

var backendNames = [...]string{"atomic", "helper", "lto", "helper-atomic"}

// ParseBackend parses a backend name; the error lists the valid names.
func ParseBackend(s string) (Backend, error) {
	for i, n := range backendNames {
		if s == n {
			return Backend(i), nil
		}
	}
	return 0, fmt.Errorf("backend %q: want one of %s", s, strings.Join(backendNames[:], ", "))
}

// String returns the backend's name as ParseBackend accepts it.
func (b Backend) String() string {
	if int(b) < len(backendNames) {
		return backendNames[b]
	}
	return fmt.Sprintf("backend(%d)", uint8(b))
}

// Backends returns all four backends: atomic, helper, lto, helper-atomic.
func Backends() []Backend {
	return []Backend{BackendAtomic, BackendHelper, BackendLTO, BackendHelperAtomic}
}

// Pattern is fio's rw: the direction and order of the requests.
type Pattern uint8

// The four access patterns of a job.
const (
	PatternRead Pattern = iota
	PatternWrite
	PatternRandRead
	PatternRandWrite
)

var patternNames = [...]string{"read", "write", "randread", "randwrite"}

// ParsePattern parses fio's rw names: read, write, randread, randwrite.
func ParsePattern(s string) (Pattern, error) {
	for i, n := range patternNames {
		if s == n {
			return Pattern(i), nil
		}
	}
	return 0, fmt.Errorf("rw %q: want one of %s", s, strings.Join(patternNames[:], ", "))
}

// String returns the pattern's fio name.
func (p Pattern) String() string {
	if int(p) < len(patternNames) {
		return patternNames[p]
	}
	return fmt.Sprintf("pattern(%d)", uint8(p))
}

func (p Pattern) isWrite() bool  { return p == PatternWrite || p == PatternRandWrite }
func (p Pattern) isRandom() bool { return p == PatternRandRead || p == PatternRandWrite }

// Limits of the configuration, close to the kernel's: null_blk caps the
// queue depth at BLK_MQ_MAX_DEPTH and the block size at PAGE_SIZE.
const (
	MaxSubmitQueues   = 256
	MaxHwQueueDepth   = 10240
	MaxCompletionNsec = int64(10 * time.Second)
	MinBlockSize      = 512
	MaxBlockSize      = 4096
	MaxSizeMiB        = 1 << 20 // 1 TiB; memory-backed storage is sparse
	MaxRequestBytes   = 64 << 20
)

// Config is a null_blk device: the module parameters that matter to the
// request path, plus the refcount backend under test.
type Config struct {
	SubmitQueues   int     // null_blk submit_queues: number of hardware queues
	HwQueueDepth   int     // hw_queue_depth: tags per hardware queue (per device with SharedTags)
	IRQMode        IRQMode // irqmode
	CompletionNsec int64   // completion_nsec: completion delay in timer mode
	BlockSize      int     // logical block size in bytes (bs/blocksize)
	MemoryBacked   bool    // memory_backed: keep written data in a sparse page store
	SizeMiB        int64   // size in MiB
	SharedTags     bool    // shared_tags: one tag set for all hardware queues
	Backend        Backend // refcount backend, chosen once per device

	// ScanInterval, when positive, runs a timeout scanner during Run that
	// walks the in-flight tags through tag_to_rq every interval, as blk-mq's
	// timeout work does. It races tag_to_rq against ending for real; the
	// seed's runs have no such scanner, so the default is off.
	ScanInterval time.Duration
}

// DefaultConfig returns the device of the seed's runs: memory-backed,
// irqmode none, queue depth 256, 4 GiB, one submit queue, completion_nsec
// 10000, 4 KiB blocks, atomic backend.
func DefaultConfig() Config {
	return Config{
		SubmitQueues:   1,
		HwQueueDepth:   256,
		IRQMode:        IRQNone,
		CompletionNsec: 10000,
		BlockSize:      4096,
		MemoryBacked:   true,
		SizeMiB:        4096,
		Backend:        BackendAtomic,
	}
}

// String renders the configuration as null_blk module parameters (plus
// the backend), e.g. "submit_queues=1 hw_queue_depth=256 irqmode=0
// completion_nsec=10000 bs=4096 memory_backed=1 size=4096 shared_tags=0
// backend=atomic", the form a kernel run's notes would use.
func (c Config) String() string {
	b2i := func(b bool) int {
		if b {
			return 1
		}
		return 0
	}
	s := fmt.Sprintf("submit_queues=%d hw_queue_depth=%d irqmode=%d completion_nsec=%d bs=%d memory_backed=%d size=%d shared_tags=%d backend=%s",
		c.SubmitQueues, c.HwQueueDepth, c.IRQMode, c.CompletionNsec, c.BlockSize, b2i(c.MemoryBacked), c.SizeMiB, b2i(c.SharedTags), c.Backend)
	if c.ScanInterval > 0 {
		s += " scan_interval=" + c.ScanInterval.String()
	}
	return s
}

// Validate reports the first field that is out of range, by its null_blk
// name and with the allowed range.
func (c Config) Validate() error {
	switch {
	case c.SubmitQueues < 1 || c.SubmitQueues > MaxSubmitQueues:
		return fmt.Errorf("submit_queues %d: want 1..%d", c.SubmitQueues, MaxSubmitQueues)
	case c.HwQueueDepth < 1 || c.HwQueueDepth > MaxHwQueueDepth:
		return fmt.Errorf("hw_queue_depth %d: want 1..%d", c.HwQueueDepth, MaxHwQueueDepth)
	case c.IRQMode > IRQTimer:
		return fmt.Errorf("irqmode %d: want 0 (none), 1 (softirq) or 2 (timer)", c.IRQMode)
	case c.CompletionNsec < 0 || c.CompletionNsec > MaxCompletionNsec:
		return fmt.Errorf("completion_nsec %d: want 0..%d", c.CompletionNsec, MaxCompletionNsec)
	case c.BlockSize < MinBlockSize || c.BlockSize > MaxBlockSize || c.BlockSize&(c.BlockSize-1) != 0:
		return fmt.Errorf("blocksize %d: want a power of two in %d..%d", c.BlockSize, MinBlockSize, MaxBlockSize)
	case c.SizeMiB < 1 || c.SizeMiB > MaxSizeMiB:
		return fmt.Errorf("size %d MiB: want 1..%d", c.SizeMiB, MaxSizeMiB)
	case c.Backend >= numBackends:
		return fmt.Errorf("backend %d: want one of %s", c.Backend, strings.Join(backendNames[:], ", "))
	case c.ScanInterval < 0:
		return fmt.Errorf("scan interval %v: want 0 (off) or positive", c.ScanInterval)
	}
	return nil
}

// Job is one fio job section: what the submitters do during a Run.
type Job struct {
	Pattern            Pattern
	BS                 int           // bytes per request (multiple of Config.BlockSize)
	IODepth            int           // requests each submitter keeps in flight
	NumJobs            int           // submitters
	Duration           time.Duration // stop after this long (0 = no time limit)
	Requests           uint64        // or after this many completed requests in total (0 = no limit)
	Seed               uint64        // per-job generators derive from it
	LatencySampleEvery int           // time one request in this many (0 = default, <0 = none)
}

// DefaultLatencySampleEvery is the sampling period used when
// Job.LatencySampleEvery is 0: two clock reads per 4096 requests cost well
// under 1% of a ~30 ns request.
const DefaultLatencySampleEvery = 4096

// Limits of a job.
const (
	MaxIODepth = 65536
	MaxNumJobs = 1024
)

// Validate checks the job against the device it will run on.
func (j Job) Validate(c Config) error {
	switch {
	case j.Pattern > PatternRandWrite:
		return fmt.Errorf("rw %d: want read, write, randread or randwrite", j.Pattern)
	case j.BS < c.BlockSize || j.BS%c.BlockSize != 0:
		return fmt.Errorf("bs %d: want a positive multiple of the device blocksize %d", j.BS, c.BlockSize)
	case j.BS > MaxRequestBytes:
		return fmt.Errorf("bs %d: want at most %d", j.BS, MaxRequestBytes)
	case int64(j.BS) > c.SizeMiB<<20:
		return fmt.Errorf("bs %d: larger than the device (size %d MiB)", j.BS, c.SizeMiB)
	case j.IODepth < 1 || j.IODepth > MaxIODepth:
		return fmt.Errorf("iodepth %d: want 1..%d", j.IODepth, MaxIODepth)
	case j.NumJobs < 1 || j.NumJobs > MaxNumJobs:
		return fmt.Errorf("numjobs %d: want 1..%d", j.NumJobs, MaxNumJobs)
	case j.Duration < 0:
		return fmt.Errorf("runtime %v: want 0 (no limit) or positive", j.Duration)
	case j.Duration == 0 && j.Requests == 0:
		return fmt.Errorf("runtime and requests both 0: want at least one limit")
	}
	return nil
}
