package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"golang.org/x/term"

	"github.com/rnullbench/rnullbench/harness"
	"github.com/rnullbench/rnullbench/nullblk"
	"github.com/rnullbench/rnullbench/results"
	"github.com/rnullbench/rnullbench/workloads"
)

// Defaults chosen so that "compare --n 40" on the quick matrix with three
// backends takes about three minutes on two cores.
const (
	defaultRounds   = 40
	defaultDuration = 200 * time.Millisecond
	defaultWarmup   = 1
	defaultOut      = "rnullbench-out"
)

// matrixFlags are the flags that say what to run.
type matrixFlags struct {
	matrix                     string
	rw, bs, iodepth, numjobs   string
	irqmode                    string
	completionNsec             int64
	memoryBacked               bool
	submitQueues, hwQueueDepth int
}

func (m *matrixFlags) bind(fs *flag.FlagSet) {
	fs.StringVar(&m.matrix, "matrix", workloads.DefaultPreset, "preset (quick, fio-matrix) or a matrix `FILE`")
	fs.StringVar(&m.rw, "rw", "", "access patterns, comma-separated (read,write,randread,randwrite); with any of --rw/--bs/--iodepth/--numjobs the matrix is their cross product")
	fs.StringVar(&m.bs, "bs", "", "block sizes per request, e.g. 4k,32k,1m (default 4k)")
	fs.StringVar(&m.iodepth, "iodepth", "", "requests in flight per job, e.g. 1,8,32 (default 1)")
	fs.StringVar(&m.numjobs, "numjobs", "", "submitting jobs, e.g. 1,2 (default 1)")
	fs.StringVar(&m.irqmode, "irqmode", "", "completion mode(s) for every config: none, softirq, timer")
	fs.Int64Var(&m.completionNsec, "completion-nsec", 10000, "timer-mode completion delay in ns (null_blk completion_nsec)")
	fs.BoolVar(&m.memoryBacked, "memory-backed", true, "store data in memory (null_blk memory_backed); --memory-backed=false to drop it")
	fs.IntVar(&m.submitQueues, "submit-queues", 1, "hardware queues (null_blk submit_queues)")
	fs.IntVar(&m.hwQueueDepth, "hw-queue-depth", 256, "tags per hardware queue (null_blk hw_queue_depth)")
}

// build turns the flags into a matrix: a preset or file, or the cross
// product of the lists; device flags given explicitly apply to every
// configuration.
func (m *matrixFlags) build(set map[string]bool) (workloads.Matrix, error) {
	var lists workloads.Lists
	var err error
	if lists.RW, err = optional(set["rw"], func() ([]string, error) { return workloads.ParseList("--rw", m.rw) }); err != nil {
		return nil, err
	}
	if lists.BS, err = optional(set["bs"], func() ([]int, error) { return workloads.ParseSizes("--bs", m.bs) }); err != nil {
		return nil, err
	}
	if lists.IODepth, err = optional(set["iodepth"], func() ([]int, error) { return workloads.ParseInts("--iodepth", m.iodepth) }); err != nil {
		return nil, err
	}
	if lists.NumJobs, err = optional(set["numjobs"], func() ([]int, error) { return workloads.ParseInts("--numjobs", m.numjobs) }); err != nil {
		return nil, err
	}
	jobLists := !lists.Empty()
	if set["irqmode"] {
		if lists.IRQMode, err = workloads.ParseList("--irqmode", m.irqmode); err != nil {
			return nil, err
		}
	}
	if set["matrix"] && jobLists {
		return nil, fmt.Errorf("--matrix and --rw/--bs/--iodepth/--numjobs exclude each other: give a matrix or lists")
	}

	var mx workloads.Matrix
	if jobLists {
		dev := m.device(set, workloads.DefaultDevice())
		mx, err = workloads.Cross(lists, dev)
	} else {
		mx, err = loadMatrix(m.matrix)
		if err == nil {
			mx, err = m.applyDevice(mx, set, lists.IRQMode)
		}
	}
	if err != nil {
		return nil, err
	}
	return mx, mx.Validate()
}

func loadMatrix(name string) (workloads.Matrix, error) {
	if mx, err := workloads.Preset(name); err == nil {
		return mx, nil
	} else if _, statErr := os.Stat(name); statErr != nil {
		return nil, err
	}
	return workloads.LoadMatrixFile(name)
}

func (m *matrixFlags) device(set map[string]bool, d workloads.Device) workloads.Device {
	if set["completion-nsec"] {
		d.CompletionNsec = m.completionNsec
	}
	if set["memory-backed"] {
		d.MemoryBacked = m.memoryBacked
	}
	if set["submit-queues"] {
		d.SubmitQueues = m.submitQueues
	}
	if set["hw-queue-depth"] {
		d.HwQueueDepth = m.hwQueueDepth
	}
	return d
}

// applyDevice overrides device parameters of a preset or file matrix with
// the device flags the user gave; --irqmode with several modes multiplies
// the matrix.
func (m *matrixFlags) applyDevice(mx workloads.Matrix, set map[string]bool, irqmodes []string) (workloads.Matrix, error) {
	var out workloads.Matrix
	seen := map[string]bool{}
	for _, w := range mx {
		w.Device = m.device(set, w.Device)
		modes := irqmodes
		if len(modes) == 0 {
			modes = []string{w.Device.IRQMode}
		}
		for _, mode := range modes {
			w2 := w
			w2.Device.IRQMode = mode
			if err := w2.Validate(); err != nil {
				return nil, err
			}
			if !seen[w2.Name()] {
				seen[w2.Name()] = true
				out = append(out, w2)
			}
		}
	}
	return out, nil
}

func optional[T any](given bool, parse func() ([]T, error)) ([]T, error) {
	if !given {
		return nil, nil
	}
	return parse()
}

// runFlags are the flags shared by compare and run: what to run, how many
// rounds, where to write.
type runFlags struct {
	matrixFlags
	rounds   int
	duration time.Duration
	warmup   int
	seed     uint64
	out      string
	resume   bool
	quiet    bool
	shard    string
}

func (r *runFlags) bind(fs *flag.FlagSet) {
	r.matrixFlags.bind(fs)
	fs.IntVar(&r.rounds, "n", defaultRounds, "rounds: trials per (config, variant)")
	fs.DurationVar(&r.duration, "duration", defaultDuration, "length of one trial")
	fs.IntVar(&r.warmup, "warmup", defaultWarmup, "discarded warm-up trials per (config, variant)")
	fs.Uint64Var(&r.seed, "seed", 1, "seed of the trial order and of the engine's offsets")
	fs.StringVar(&r.out, "out", defaultOut, "output `DIR` for trials.jsonl and the reports")
	fs.BoolVar(&r.resume, "resume", false, "continue the interrupted run in --out (same plan, verified)")
	fs.BoolVar(&r.quiet, "q", false, "no progress output")
	fs.StringVar(&r.shard, "shard", "", "run only part `i/n` of the plan (merge the parts with rnullbench merge)")
}

const compareExamples = `  rnullbench compare --n 40
  rnullbench compare --backends atomic,aa=atomic --n 40      # A/A: how big is the noise?
  rnullbench compare --matrix fio-matrix --n 40 --duration 1s --out fio-run
  rnullbench compare --rw randread --bs 4k,1m --iodepth 1,32 --backends atomic,helper,lto,helper-atomic
  rnullbench compare --out fio-run --resume                  # after an interruption
`

func runCompare(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("compare", "[flags]", compareExamples, stdout)
	var rf runFlags
	rf.bind(fs)
	var af analysisFlags
	af.bind(fs)
	backends := fs.String("backends", "atomic,helper,lto", "variants: backends (atomic, helper, lto, helper-atomic) or LABEL=BACKEND")
	baseline := fs.String("baseline", "", "variant the others are compared against (default: the first of --backends)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q (flags only; see rnullbench compare --help)", fs.Arg(0))
	}
	variants, err := harness.ParseVariants(*backends)
	if err != nil {
		return err
	}
	if *baseline != "" {
		if variants, err = baselineFirst(variants, *baseline); err != nil {
			return err
		}
	}
	plan, err := rf.plan(fs, variants)
	if err != nil {
		return err
	}
	stat, err := af.options()
	if err != nil {
		return err
	}
	ds, runErr := measure(rf, plan, stderr)
	if ds == nil {
		return runErr
	}
	if len(ds.Trials) == 0 {
		return runErr
	}
	if plan.Shard.N > 1 {
		// A shard holds a slice of every comparison; only the merged run
		// can be reported honestly.
		fmt.Fprintf(stderr, "rnullbench: shard %s recorded in %s; join the shards with rnullbench merge\n", plan.Shard, rf.out)
		return runErr
	}
	stat.Baseline = plan.Variants[0].Label
	if err := writeReports(rf.out, ds, stat, stdout, stderr); err != nil && runErr == nil {
		return err
	}
	return runErr
}

func baselineFirst(vs []harness.Variant, label string) ([]harness.Variant, error) {
	for i, v := range vs {
		if v.Label == label {
			out := append([]harness.Variant{v}, vs[:i]...)
			return append(out, vs[i+1:]...), nil
		}
	}
	return nil, usagef("--baseline: %q is not one of --backends", label)
}

func (rf *runFlags) plan(fs *flag.FlagSet, variants []harness.Variant) (harness.Plan, error) {
	set := setFlags(fs)
	mx, err := rf.build(set)
	if err != nil {
		return harness.Plan{}, err
	}
	p := harness.Plan{Matrix: mx, Variants: variants, Rounds: rf.rounds, Warmup: rf.warmup, Duration: rf.duration, Seed: rf.seed}
	if rf.shard != "" {
		if p.Shard, err = harness.ParseShard(rf.shard); err != nil {
			return p, err
		}
	}
	if rf.out == "" {
		return p, usagef("--out: empty directory name")
	}
	return p, p.Validate()
}

// measure runs the plan into DIR/trials.jsonl and returns everything the
// file holds afterwards. On an interrupt it still returns what was
// measured, with errInterrupted.
func measure(rf runFlags, plan harness.Plan, stderr io.Writer) (*results.Dataset, error) {
	path := filepath.Join(rf.out, "trials.jsonl")
	header := results.Header{
		Kind:    results.KindHeader,
		Plan:    plan.Record(),
		Env:     harness.CaptureEnv(os.Args),
		Started: time.Now().UTC(),
	}
	if !rf.resume {
		var bs []nullblk.Backend
		for _, v := range plan.Variants {
			bs = append(bs, v.Backend)
		}
		header.Calibration = harness.Calibrate(bs, harness.CalibrationIters)
	}
	var log *results.Log
	var done []results.Trial
	var err error
	if rf.resume {
		log, done, err = results.ResumeLog(path, header)
	} else {
		if _, statErr := os.Stat(path); statErr == nil {
			return nil, usagef("%s exists: continue it with --resume, or choose another --out", path)
		}
		if err = os.MkdirAll(rf.out, 0o755); err != nil {
			return nil, usagef("--out %s: %v", rf.out, err)
		}
		log, err = results.CreateLog(path, header)
	}
	if err != nil {
		return nil, err
	}
	for _, w := range log.Warnings() {
		fmt.Fprintf(stderr, "rnullbench: %s\n", w)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	isTerm := false
	if f, ok := stderr.(*os.File); ok {
		isTerm = term.IsTerminal(int(f.Fd()))
	}
	trials := done
	runErr := harness.Run(ctx, plan, func(t results.Trial) error {
		if err := log.Append(t); err != nil {
			return err
		}
		trials = append(trials, t)
		return nil
	}, harness.Options{Done: done, Progress: harness.NewProgress(stderr, isTerm, rf.quiet)})
	if cerr := log.Close(); cerr != nil && runErr == nil {
		runErr = cerr
	}
	if errors.Is(runErr, context.Canceled) {
		runErr = errInterrupted
	}
	h := log.Header()
	return &results.Dataset{Header: &h, Trials: trials}, runErr
}
