package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
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
	// Ten 20 ms slices per trial: interference on this scale then falls
	// on every variant of a block alike.
	defaultSlices = 10
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
	if isFioJobFile(name) {
		mx, _, err := fioJobMatrix(name)
		return mx, err
	}
	return workloads.LoadMatrix(name)
}

// isFioJobFile tells a fio job file (an ini file) from our matrix format.
func isFioJobFile(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".fio" || ext == ".ini" || ext == ".job"
}

// fioJobMatrix reads a fio job file as a matrix: each job section is one
// configuration, and its other options are kept for the fio engine.
func fioJobMatrix(path string) (workloads.Matrix, map[string][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("--matrix: %w", err)
	}
	defer f.Close()
	jobs, err := workloads.ParseFioJobFile(f, path)
	if err != nil {
		return nil, nil, err
	}
	var mx workloads.Matrix
	args := map[string][]string{}
	for _, j := range jobs {
		w := workloads.Workload{RW: j.RW, BS: j.BS, IODepth: j.IODepth, NumJobs: j.NumJobs, Device: workloads.DefaultDevice()}
		if err := w.Validate(); err != nil {
			return nil, nil, fmt.Errorf("%s: job %s: %w", path, j.Name, err)
		}
		if _, dup := args[w.Name()]; dup {
			return nil, nil, fmt.Errorf("%s: job %s: the same rw/bs/iodepth/numjobs as an earlier job", path, j.Name)
		}
		args[w.Name()] = j.Args()
		mx = append(mx, w)
	}
	return mx, args, nil
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
	slices   int
	duration time.Duration
	warmup   int
	seed     uint64
	out      string
	resume   bool
	quiet    bool
	shard    string

	engine           string
	fioPath          string
	fioArgs          listFlag
	fioVariant       listFlag
	processPerRound  bool
	roundsPerProcess int
	child            childFlags
	command          string   // "compare" or "run", for child processes
	args             []string // as given, for child processes
}

func (r *runFlags) bind(fs *flag.FlagSet) {
	r.matrixFlags.bind(fs)
	fs.IntVar(&r.rounds, "n", defaultRounds, "rounds: trials per (config, variant)")
	fs.DurationVar(&r.duration, "duration", defaultDuration, "length of one trial")
	fs.IntVar(&r.slices, "slices", defaultSlices, "run each trial in this many pieces, in turn with the other variants of its config (in-process engine; 1 = in one piece)")
	fs.IntVar(&r.warmup, "warmup", defaultWarmup, "discarded warm-up trials per (config, variant)")
	fs.Uint64Var(&r.seed, "seed", 1, "seed of the trial order and of the engine's offsets")
	fs.StringVar(&r.out, "out", defaultOut, "output `DIR` for trials.jsonl and the reports")
	fs.BoolVar(&r.resume, "resume", false, "continue the interrupted run in --out (same plan, verified)")
	fs.BoolVar(&r.quiet, "q", false, "no progress output")
	fs.StringVar(&r.shard, "shard", "", "run only part `i/n` of the plan (merge the parts with rnullbench merge)")
	fs.StringVar(&r.engine, "engine", "nullblk", "what runs a trial: nullblk (in-process) or fio (one real fio process per trial)")
	fs.StringVar(&r.fioPath, "fio", "fio", "fio binary for --engine fio")
	fs.Var(&r.fioArgs, "fio-arg", "fio `option` for every trial with --engine fio, e.g. --fio-arg=--ioengine=null (repeatable)")
	fs.BoolVar(&r.processPerRound, "process-per-round", false, "run each group of --rounds-per-process rounds in a fresh child process with a random environment size, and report between- and within-process variance")
	fs.IntVar(&r.roundsPerProcess, "rounds-per-process", 2, "rounds per child process with --process-per-round (1 = a process per round; 2 or more lets the report split the variance)")
	fs.StringVar(&r.child.rounds, "child-rounds", "", "internal: the rounds a child process runs")
	fs.IntVar(&r.child.process, "child-process", 0, "internal: the child process's index")
	fs.Var(&r.fioVariant, "fio-variant", "`LABEL=OPTIONS` a variant for --engine fio: space-separated fio options, e.g. 'rnull=--filename=/dev/rnullb0' (repeatable; the first is the baseline)")
}

const compareExamples = `  rnullbench compare --n 40
  rnullbench compare --backends atomic,aa=atomic --n 40      # A/A: how big is the noise?
  rnullbench compare --matrix fio-matrix --n 40 --duration 1s --out fio-run
  rnullbench compare --rw randread --bs 4k,1m --iodepth 1,32 --backends atomic,helper,lto,helper-atomic
  rnullbench compare --matrix fio-matrix --n 40 --duration 1s --out fio-run --resume   # after an interruption: the same flags plus --resume
`

func runCompare(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("compare", "[flags]", compareExamples, stdout)
	var rf runFlags
	rf.bind(fs)
	rf.command, rf.args = "compare", args
	var af analysisFlags
	af.bind(fs)
	backends := fs.String("backends", "atomic,helper,lto", "variants: backends (atomic, helper, lto, helper-atomic) or LABEL=BACKEND")
	baseline := fs.String("baseline", "", "variant the others are compared against (default: the first of --backends)")
	args, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(args) > 0 {
		return usagef("unexpected argument %q (flags only; see rnullbench compare --help)", args[0])
	}
	var variants []harness.Variant
	if rf.engine == "fio" {
		if setFlags(fs)["backends"] {
			return usagef("--backends names nullblk backends; with --engine fio give --fio-variant LABEL=OPTIONS")
		}
		variants, err = fioVariants(rf.fioVariant)
	} else {
		variants, err = harness.ParseVariants(*backends)
	}
	if err != nil {
		return err
	}
	if *baseline != "" {
		if variants, err = baselineFirst(variants, *baseline); err != nil {
			return err
		}
	}
	if len(variants) < 2 {
		return usagef("--backends: %s alone: compare needs a baseline and at least one variant (rnullbench run records one backend)", variants[0].Label)
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
	if rf.child.active() {
		return runErr // the parent reports
	}
	if plan.Shard.N > 1 {
		// A shard holds a slice of every comparison; only the merged run
		// can be reported honestly.
		fmt.Fprintf(stderr, "rnullbench: shard %s recorded in %s; join the shards with rnullbench merge\n", plan.Shard, rf.out)
		return runErr
	}
	stat.Baseline = plan.Variants[0].Label
	rep, err := results.Analyze(ds.Header, ds.Trials, stat)
	if err != nil {
		if runErr == nil {
			runErr = fmt.Errorf("no report: %w", err)
		}
		return runErr
	}
	if err := writeReports(rf.out, rep, stdout, stderr); err != nil && runErr == nil {
		return err
	}
	return runErr
}

// fioVariants reads --fio-variant LABEL=OPTIONS flags.
func fioVariants(specs []string) ([]harness.Variant, error) {
	if len(specs) < 2 {
		return nil, usagef("--fio-variant: give at least two, e.g. --fio-variant 'c=--filename=/dev/nullb0' --fio-variant 'rust=--filename=/dev/rnullb0'")
	}
	var vs []harness.Variant
	seen := map[string]bool{}
	for _, s := range specs {
		label, opts, ok := strings.Cut(s, "=")
		label = strings.TrimSpace(label)
		if !ok || label == "" {
			return nil, usagef("--fio-variant: %q: want LABEL=OPTIONS", s)
		}
		if seen[label] {
			return nil, usagef("--fio-variant: label %q given twice", label)
		}
		seen[label] = true
		vs = append(vs, harness.Variant{Label: label, Args: strings.Fields(opts)})
	}
	return vs, nil
}

// resumeHint adds to a refused resume the command that started the run,
// which the file's header records: resuming needs the same plan flags.
func resumeHint(path string, err error) error {
	f, ferr := os.Open(path)
	if ferr != nil {
		return err
	}
	defer f.Close()
	h, _, _, rerr := results.ReadTrials(f, path)
	if rerr != nil || h == nil || len(h.Env.Args) == 0 {
		return err
	}
	return fmt.Errorf("%w; --resume needs the plan flags of the run, which started as: %s", err, strings.Join(h.Env.Args, " "))
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
	if !set["slices"] {
		// The default never makes slices shorter than a millisecond.
		rf.slices = max(1, min(defaultSlices, int(rf.duration/time.Millisecond)))
	}
	p := harness.Plan{Matrix: mx, Variants: variants, Rounds: rf.rounds, Warmup: rf.warmup, Duration: rf.duration, Seed: rf.seed, Slices: rf.slices}
	switch rf.engine {
	case "nullblk":
		if len(rf.fioArgs) > 0 || len(rf.fioVariant) > 0 {
			return p, usagef("--fio-arg and --fio-variant need --engine fio")
		}
	case "fio":
		if set["slices"] && rf.slices > 1 {
			return p, usagef("--slices: each fio trial is one fio process; slices apply to the in-process engine")
		}
		if _, err := exec.LookPath(rf.fioPath); err != nil {
			return p, usagef("--fio: %q: not found (install fio, e.g. apt-get install fio, or give its path)", rf.fioPath)
		}
		p.Slices = 0
		fe := harness.Fio{Path: rf.fioPath, Args: rf.fioArgs}
		if isFioJobFile(rf.matrix) {
			if _, fe.JobArgs, err = fioJobMatrix(rf.matrix); err != nil {
				return p, err
			}
		}
		p.Engine = fe
	default:
		return p, usagef("--engine: %q: want nullblk or fio", rf.engine)
	}
	if rf.shard != "" {
		if p.Shard, err = harness.ParseShard(rf.shard); err != nil {
			return p, err
		}
	}
	if rf.out == "" {
		return p, usagef("--out: empty directory name")
	}
	if rf.processPerRound && rf.roundsPerProcess < 1 {
		return p, usagef("--rounds-per-process: %d: want 1 or more", rf.roundsPerProcess)
	}
	if rf.child.active() {
		if _, _, err := rf.child.span(); err != nil {
			return p, err
		}
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
	if !rf.resume && plan.Engine == nil {
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
		if err != nil {
			return nil, resumeHint(path, err)
		}
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
	progress := harness.NewProgress(stderr, isTerm, rf.quiet)
	h := log.Header()
	if rf.processPerRound && !rf.child.active() {
		if err := log.Close(); err != nil {
			return nil, err
		}
		runErr := runProcesses(ctx, rf, plan, done, progress)
		if errors.Is(runErr, context.Canceled) {
			runErr = errInterrupted
		}
		ds, err := results.Load(path)
		if err != nil {
			return nil, err
		}
		ds.Header = &h
		return &ds, runErr
	}
	opts := harness.Options{Done: done, Progress: progress}
	if rf.child.active() {
		opts.FirstRound, opts.LastRound, _ = rf.child.span()
		opts.Process = rf.child.process
	}
	trials := done
	runErr := harness.Run(ctx, plan, func(t results.Trial) error {
		if err := log.Append(t); err != nil {
			return err
		}
		trials = append(trials, t)
		return nil
	}, opts)
	if cerr := log.Close(); cerr != nil && runErr == nil {
		runErr = cerr
	}
	if errors.Is(runErr, context.Canceled) {
		runErr = errInterrupted
	}
	if runErr != nil && !errors.Is(runErr, errInterrupted) && len(trials) == 0 && !rf.resume && !rf.child.active() {
		// Nothing was measured (say fio rejected its options): leave no
		// header-only file that would block the corrected rerun.
		os.Remove(path)
		os.Remove(rf.out) // only if empty
	}
	return &results.Dataset{Header: &h, Trials: trials}, runErr
}
