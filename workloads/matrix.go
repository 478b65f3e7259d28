package workloads

import (
	"fmt"
	"sort"
	"strings"
)

// Lists holds one list of values per dimension, as given by flags or a
// matrix file. An empty list means "not given": Cross then uses the base
// device's value, or for the job dimensions a single default (randread,
// 4k, qd 1, one job), so that giving only --bs varies only the block size.
type Lists struct {
	RW      []string
	BS      []int
	IODepth []int
	NumJobs []int

	IRQMode        []string
	SubmitQueues   []int
	HwQueueDepth   []int
	CompletionNsec []int64
	MemoryBacked   []bool
	SizeMiB        []int64
	SharedTags     []bool
	BlockSize      []int
}

// Empty reports whether no list is given, e.g. to tell "use a preset"
// from "build a matrix from flags".
func (l Lists) Empty() bool {
	return len(l.RW) == 0 && len(l.BS) == 0 && len(l.IODepth) == 0 && len(l.NumJobs) == 0 &&
		len(l.IRQMode) == 0 && len(l.SubmitQueues) == 0 && len(l.HwQueueDepth) == 0 &&
		len(l.CompletionNsec) == 0 && len(l.MemoryBacked) == 0 && len(l.SizeMiB) == 0 &&
		len(l.SharedTags) == 0 && len(l.BlockSize) == 0
}

// Matrix is an ordered list of distinct workloads: the configurations of
// one run.
type Matrix []Workload

// Names returns the config names in matrix order.
func (m Matrix) Names() []string {
	out := make([]string, len(m))
	for i, w := range m {
		out[i] = w.Name()
	}
	return out
}

// Validate checks every workload and that no config name occurs twice.
func (m Matrix) Validate() error {
	if len(m) == 0 {
		return fmt.Errorf("matrix: no configurations")
	}
	seen := make(map[string]bool, len(m))
	for _, w := range m {
		if err := w.Validate(); err != nil {
			return fmt.Errorf("config %s: %w", w.Name(), err)
		}
		n := w.Name()
		if seen[n] {
			return fmt.Errorf("config %s: given twice", n)
		}
		seen[n] = true
	}
	return nil
}

// maxConfigs bounds a cross product; beyond it a typo (a list pasted
// twice) would silently plan a run of days.
const maxConfigs = 10000

// Cross returns the cross product of the lists over the base device, the
// job dimensions varying slowest (rw, bs, iodepth, numjobs) and device
// parameters fastest, validated and without duplicates. Errors name the
// dimension by its flag.
func Cross(l Lists, base Device) (Matrix, error) {
	m, err := cross(l, base)
	if err != nil {
		return nil, asFlagError(err)
	}
	return m, nil
}

// asFlagError turns "submit_queues: ..." into "--submit-queues: ...", so a
// validation error names the flag the user typed.
func asFlagError(err error) error {
	msg := err.Error()
	key, rest, ok := strings.Cut(msg, ":")
	if !ok || strings.ContainsAny(key, " /") {
		return err
	}
	return fmt.Errorf("--%s:%s", strings.ReplaceAll(key, "_", "-"), rest)
}

// cross is Cross with errors named by null_blk/fio keys rather than flags.
func cross(l Lists, base Device) (Matrix, error) {
	rws := orDefault(l.RW, RandRead)
	bss := orDefault(l.BS, 4096)
	qds := orDefault(l.IODepth, 1)
	jobs := orDefault(l.NumJobs, 1)
	irqs := orDefault(l.IRQMode, base.IRQMode)
	sqs := orDefault(l.SubmitQueues, base.SubmitQueues)
	hwqds := orDefault(l.HwQueueDepth, base.HwQueueDepth)
	cns := orDefault(l.CompletionNsec, base.CompletionNsec)
	mems := orDefault(l.MemoryBacked, base.MemoryBacked)
	sizes := orDefault(l.SizeMiB, base.SizeMiB)
	shareds := orDefault(l.SharedTags, base.SharedTags)
	lbss := orDefault(l.BlockSize, base.BlockSize)

	for _, rw := range rws {
		if !isRW(rw) {
			return nil, fmt.Errorf("rw: %q: want one of %s", rw, strings.Join(RWModes, ", "))
		}
	}
	for _, m := range irqs {
		if !isIRQMode(m) {
			return nil, fmt.Errorf("irqmode: %q: want one of %s", m, strings.Join(IRQModes, ", "))
		}
	}
	total := 1
	for _, n := range []int{len(rws), len(bss), len(qds), len(jobs), len(irqs), len(sqs), len(hwqds),
		len(cns), len(mems), len(sizes), len(shareds), len(lbss)} {
		total *= n
		if total > maxConfigs {
			return nil, fmt.Errorf("matrix: more than %d configurations", maxConfigs)
		}
	}

	m := make(Matrix, 0, total)
	seen := make(map[string]bool, total)
	for _, rw := range rws {
		for _, bs := range bss {
			for _, qd := range qds {
				for _, nj := range jobs {
					for _, irq := range irqs {
						for _, sq := range sqs {
							for _, hq := range hwqds {
								for _, cn := range cns {
									for _, mem := range mems {
										for _, sz := range sizes {
											for _, sh := range shareds {
												for _, lbs := range lbss {
													w := Workload{RW: rw, BS: bs, IODepth: qd, NumJobs: nj, Device: Device{
														SubmitQueues: sq, HwQueueDepth: hq, IRQMode: irq, CompletionNsec: cn,
														MemoryBacked: mem, SizeMiB: sz, SharedTags: sh, BlockSize: lbs,
													}}
													if err := w.Validate(); err != nil {
														return nil, err
													}
													name := w.Name()
													if seen[name] {
														return nil, fmt.Errorf("matrix: config %s given twice", name)
													}
													seen[name] = true
													m = append(m, w)
												}
											}
										}
									}
								}
							}
						}
					}
				}
			}
		}
	}
	return m, nil
}

func orDefault[T any](l []T, def T) []T {
	if len(l) == 0 {
		return []T{def}
	}
	return l
}

// presets maps a preset name to its constructor. Constructors, not values,
// so that no caller can modify a shared preset.
var presets = map[string]func() Matrix{
	"quick":      quickPreset,
	"fio-matrix": fioMatrixPreset,
}

// DefaultPreset is the matrix a compare runs when none is named.
const DefaultPreset = "quick"

// Preset returns the named preset matrix: "quick" (the default) or
// "fio-matrix" (the seed's 120 points).
func Preset(name string) (Matrix, error) {
	f, ok := presets[name]
	if !ok {
		return nil, fmt.Errorf("--matrix: %q: not a preset (want one of %s) or a file", name, strings.Join(Presets(), ", "))
	}
	return f(), nil
}

// presetDocs says in one line what each preset is for, for the matrix
// command and --help.
var presetDocs = map[string]string{
	"quick":      "6 points, about 3 minutes for compare --n 40: small blocks where the refcount cost shows, one large block where it fades",
	"fio-matrix": "the seed's 120 points: rw {randread,randwrite} × bs {4k,32k,256k,1m,16m} × iodepth {1,8,32,128} × numjobs {1,2,6}",
}

// PresetDoc returns a one-line description of the named preset, or "" if
// there is no such preset.
func PresetDoc(name string) string { return presetDocs[name] }

// Presets returns the preset names, sorted.
func Presets() []string {
	out := make([]string, 0, len(presets))
	for n := range presets {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// quickPreset is the default matrix. It is small enough that a compare of
// three backends with 40 rounds of ~0.2 s trials takes about 3 minutes on
// 2 cores (6 configs × 3 variants × 40 rounds × 0.2 s ≈ 144 s plus warm-up),
// and it still tells the seed's story: where a request costs little, the
// out-of-line refcount helpers are a visible share of it; where a request
// moves a lot of data, they fade into the copy.
func quickPreset() Matrix {
	def := DefaultDevice()
	w := func(rw string, bs, qd, jobs int, d Device) Workload {
		return Workload{RW: rw, BS: bs, IODepth: qd, NumJobs: jobs, Device: d}
	}
	sq2 := def
	sq2.SubmitQueues = 2
	soft := def
	soft.IRQMode = IRQSoftIRQ
	small := def
	small.SizeMiB = 64
	bare := def
	bare.MemoryBacked = false
	return Matrix{
		// The seed's cheapest point: 4 KiB, one in flight, one job, no
		// interrupt, memory-backed. Copying 4 KiB is most of the request,
		// so the helpers' few nanoseconds are a percent or two of it.
		w(RandRead, 4*KiB, 1, 1, def),
		// The same without memory backing: the request is little more
		// than its tag and refcount operations, so this is where an
		// out-of-line call costs the largest share (the upper bound).
		w(RandRead, 4*KiB, 1, 1, bare),
		// The same for writes: the copy goes the other way, and the seed
		// measured reads and writes separately. A memory-backed device
		// allocates a page on the first write to it, so on the default
		// 4 GiB device random writes keep allocating for the whole run
		// (throughput rose 4x over 12 rounds of 0.1 s, a drift that hides
		// the refcount's few percent). The seed's fio runs reached steady
		// state in their 10 s ramp; a 64 MiB device (16k pages) reaches it
		// within our warm-up.
		w(RandWrite, 4*KiB, 1, 1, small),
		// A deep queue: many requests in flight per tag set, as the seed's
		// qd=32 points; submission and completion are batched, so refcount
		// operations are an even larger share of the remaining work.
		w(RandRead, 4*KiB, 32, 1, def),
		// Two jobs on two hardware queues: each submitter has its own queue
		// and tags, so this scales without contention and shows whether the
		// cost holds per CPU.
		w(RandRead, 4*KiB, 1, 2, sq2),
		// Completion through softirq: the completion carries only a tag and
		// goes through tag_to_rq, which adds refcount operations (an
		// increment-if-not-zero CAS loop) to every request.
		w(RandRead, 4*KiB, 1, 1, soft),
		// A large block: copying 1 MiB costs far more than a few refcount
		// operations, so every backend should be within noise here.
		w(RandRead, 1*MiB, 1, 1, def),
	}
}

// fioMatrixPreset is the seed's fio-matrix: rw {randread, randwrite} ×
// bs {4k, 32k, 256k, 1m, 16m} × iodepth {1, 8, 32, 128} × numjobs
// {1, 2, 6} = 120 points, on the default (memory-backed, 4 GiB) device.
func fioMatrixPreset() Matrix {
	m, err := Cross(Lists{
		RW:      []string{RandRead, RandWrite},
		BS:      []int{4 * KiB, 32 * KiB, 256 * KiB, 1 * MiB, 16 * MiB},
		IODepth: []int{1, 8, 32, 128},
		NumJobs: []int{1, 2, 6},
	}, DefaultDevice())
	if err != nil {
		panic("workloads: fio-matrix preset is invalid: " + err.Error())
	}
	return m
}
