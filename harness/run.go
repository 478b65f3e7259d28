package harness

import (
	"context"
	"errors"
	"fmt"
	"github.com/rnullbench/rnullbench/nullblk"
	"math/rand/v2"
	"runtime"
	"runtime/debug"
	"slices"
	"time"

	"github.com/rnullbench/rnullbench/results"
)

// Sink receives each measured trial as soon as it finishes. The harness
// stops at the first error a sink returns: a trial that cannot be stored
// must not be measured again silently.
type Sink func(results.Trial) error

// Progress is told about every finished trial (measured or warm-up).
type Progress interface {
	Start(total int)
	Trial(done int, t results.Trial)
	Finish()
}

// Options tune a run without changing its plan.
type Options struct {
	// Done holds trials already on disk; their slots are skipped, which
	// is how --resume continues an interrupted run.
	Done     []results.Trial
	Progress Progress
	// FirstRound and LastRound, when set, limit the run to those rounds:
	// how a child process runs its part with --process-per-round.
	FirstRound, LastRound int
	// Process is recorded in every trial (0: not a child process).
	Process int
}

func (o Options) wants(s Slot) bool {
	return (o.FirstRound == 0 || s.Round >= o.FirstRound) && (o.LastRound == 0 || s.Round <= o.LastRound)
}

// Run executes the plan's schedule, skipping trials already done, and
// hands each measured trial to sink. When ctx is cancelled the trial in
// flight is abandoned (a cut-short trial would bias its variant) and Run
// returns ctx's error; everything already handed to sink stays valid.
func Run(ctx context.Context, p Plan, sink Sink, o Options) error {
	if err := p.Validate(); err != nil {
		return err
	}
	done := map[string]bool{}
	for _, t := range o.Done {
		done[trialKey(t.Config, t.Variant, t.Round)] = true
	}
	var todo []Slot
	for _, s := range p.Schedule() {
		if !done[p.Key(s)] && o.wants(s) {
			todo = append(todo, s)
		}
	}
	if len(todo) == 0 {
		return nil
	}
	warm := p.WarmupSchedule()
	if o.Progress != nil {
		o.Progress.Start(len(warm) + len(todo))
		defer o.Progress.Finish()
	}
	finished := 0
	for _, block := range blocks(warm) {
		ts, err := p.runBlock(ctx, block)
		if err != nil {
			return err
		}
		for _, t := range ts {
			finished++
			if o.Progress != nil {
				o.Progress.Trial(finished, t)
			}
		}
	}
	for _, block := range blocks(todo) {
		ts, err := p.runBlock(ctx, block)
		if err != nil {
			return err
		}
		for _, t := range ts {
			t.Process = o.Process
			if err := sink(t); err != nil {
				return err
			}
			finished++
			if o.Progress != nil {
				o.Progress.Trial(finished, t)
			}
		}
	}
	return nil
}

// blocks cuts a schedule into its blocks: the consecutive slots of one
// config in one round.
func blocks(slots []Slot) [][]Slot {
	var out [][]Slot
	for i := 0; i < len(slots); {
		j := i + 1
		for j < len(slots) && slots[j].Config == slots[i].Config && slots[j].Round == slots[i].Round {
			j++
		}
		out = append(out, slots[i:j])
		i = j
	}
	return out
}

// runBlock measures the variants of one config in one round. With
// Slices > 1 on the in-process engine, each variant's trial is cut into
// slices run in turn with the other variants' (A B C, C A B, ...), so
// that interference from the machine, which comes and goes over tens or
// hundreds of milliseconds, falls on every variant of the block alike
// and cancels in a comparison paired by round.
func (p Plan) runBlock(ctx context.Context, block []Slot) ([]results.Trial, error) {
	// A block with one variant left (a resume) is sliced too, so that every
	// trial of a round is measured the same way.
	if _, ok := p.engine().(Nullblk); !ok || p.Slices <= 1 {
		var out []results.Trial
		for _, s := range block {
			t, err := p.runTrial(ctx, s)
			if err != nil {
				return nil, err
			}
			out = append(out, t)
		}
		return out, nil
	}
	return p.runSliced(ctx, block)
}

func (p Plan) runSliced(ctx context.Context, block []Slot) ([]results.Trial, error) {
	w := p.Matrix[block[0].Config]
	devs := make([]*nullblk.Device, len(block))
	jobs := make([]nullblk.Job, len(block))
	sums := make([]nullblk.Result, len(block))
	lats := make([][]nullblk.Latency, len(block))
	defer func() {
		for _, d := range devs {
			if d != nil {
				d.Close()
			}
		}
	}()
	for i, s := range block {
		cfg, job, err := engineConfig(w, p.Variants[s.Variant].Backend)
		if err != nil {
			return nil, fmt.Errorf("%s, %s: %w", w.Name(), p.Variants[s.Variant].Label, err)
		}
		if devs[i], err = nullblk.NewDevice(cfg); err != nil {
			return nil, fmt.Errorf("%s: %w", w.Name(), err)
		}
		job.Duration = p.Duration / time.Duration(p.Slices)
		job.Seed = p.trialSeed(s)
		jobs[i] = job
	}
	order := rand.New(rand.NewPCG(p.Seed^0x736c696365, uint64(block[0].Round)<<32|uint64(block[0].Config)))
	runtime.GC()
	old := debug.SetGCPercent(-1)
	defer debug.SetGCPercent(old)
	start := time.Now()
	for k := 0; k < p.Slices; k++ {
		for _, i := range order.Perm(len(block)) {
			// Each slice its own offsets: a plain +1 would replay job j+1's
			// stream of the slice before in job j.
			job := jobs[i]
			job.Seed ^= uint64(k+1) * 0x9e3779b97f4a7c15
			res, err := devs[i].Run(ctx, job)
			if err != nil {
				if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
					return nil, err
				}
				return nil, fmt.Errorf("%s, %s: %w", w.Name(), p.Variants[block[i].Variant].Label, err)
			}
			addResult(&sums[i], res)
			lats[i] = append(lats[i], res.Latency)
		}
	}
	out := make([]results.Trial, len(block))
	for i, s := range block {
		v := p.Variants[s.Variant]
		sums[i].Latency = mergeLatency(lats[i])
		t := nullblkRecord(w, v, sums[i])
		t.Kind = results.KindTrial
		t.Config, t.Variant = w.Name(), v.Label
		t.Round, t.Position = s.Round, s.Position
		t.RW, t.BS, t.IODepth, t.NumJobs = w.RW, w.BS, w.IODepth, w.NumJobs
		t.Start = start.UTC()
		out[i] = t
	}
	return out, nil
}

func addResult(sum *nullblk.Result, r nullblk.Result) {
	sum.Requests += r.Requests
	sum.Bytes += r.Bytes
	sum.RefcountWarns += r.RefcountWarns
	sum.FailedEnds += r.FailedEnds
	sum.TagToRqRetries += r.TagToRqRetries
	sum.TagWaits += r.TagWaits
	sum.Elapsed += r.Elapsed
}

// mergeLatency joins the slices' latency summaries: the mean weighted by
// samples, the maximum of maxima, and for each percentile the median of
// the slices' (percentiles of parts do not combine exactly; the median of
// equal-sized slices is a close, robust estimate).
func mergeLatency(ls []nullblk.Latency) nullblk.Latency {
	var m nullblk.Latency
	var weighted float64
	pick := func(f func(nullblk.Latency) float64) float64 {
		xs := make([]float64, 0, len(ls))
		for _, l := range ls {
			if l.Samples > 0 {
				xs = append(xs, f(l))
			}
		}
		if len(xs) == 0 {
			return 0
		}
		slices.Sort(xs)
		return xs[len(xs)/2]
	}
	for _, l := range ls {
		m.Samples += l.Samples
		weighted += l.MeanNs * float64(l.Samples)
		m.MaxNs = max(m.MaxNs, l.MaxNs)
	}
	if m.Samples > 0 {
		m.MeanNs = weighted / float64(m.Samples)
	}
	m.P50Ns = pick(func(l nullblk.Latency) float64 { return l.P50Ns })
	m.P90Ns = pick(func(l nullblk.Latency) float64 { return l.P90Ns })
	m.P99Ns = pick(func(l nullblk.Latency) float64 { return l.P99Ns })
	m.P999Ns = pick(func(l nullblk.Latency) float64 { return l.P999Ns })
	return m
}

// runTrial measures one slot. The garbage collector is run before and
// switched off during the trial so that a collection never lands inside
// one variant's measurement window.
func (p Plan) runTrial(ctx context.Context, s Slot) (results.Trial, error) {
	w := p.Matrix[s.Config]
	v := p.Variants[s.Variant]
	runtime.GC()
	old := debug.SetGCPercent(-1)
	start := time.Now()
	t, err := p.engine().Trial(ctx, w, v, p.Duration, p.trialSeed(s))
	debug.SetGCPercent(old)
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return results.Trial{}, err
		}
		return results.Trial{}, fmt.Errorf("%s, %s: %w", w.Name(), v.Label, err)
	}
	t.Kind = results.KindTrial
	t.Config, t.Variant = w.Name(), v.Label
	t.Round, t.Position = s.Round, s.Position
	t.RW, t.BS, t.IODepth, t.NumJobs = w.RW, w.BS, w.IODepth, w.NumJobs
	t.Start = start.UTC()
	return t, nil
}
