package harness

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/rnullbench/rnullbench/nullblk"
	"github.com/rnullbench/rnullbench/results"
	"github.com/rnullbench/rnullbench/workloads"
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
		if !done[p.Key(s)] {
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
	for _, s := range warm {
		t, err := p.runTrial(ctx, s)
		if err != nil {
			return err
		}
		finished++
		if o.Progress != nil {
			o.Progress.Trial(finished, t)
		}
	}
	for _, s := range todo {
		t, err := p.runTrial(ctx, s)
		if err != nil {
			return err
		}
		if err := sink(t); err != nil {
			return err
		}
		finished++
		if o.Progress != nil {
			o.Progress.Trial(finished, t)
		}
	}
	return nil
}

// engineConfig maps a workload and backend onto the engine's types; it is
// the one place where the workload layer's plain values meet nullblk.
func engineConfig(w workloads.Workload, b nullblk.Backend) (nullblk.Config, nullblk.Job, error) {
	c := nullblk.DefaultConfig()
	d := w.Device
	irq, err := nullblk.ParseIRQMode(d.IRQMode)
	if err != nil {
		return c, nullblk.Job{}, fmt.Errorf("irqmode: %w", err)
	}
	pat, err := nullblk.ParsePattern(w.RW)
	if err != nil {
		return c, nullblk.Job{}, fmt.Errorf("rw: %w", err)
	}
	c.SubmitQueues = d.SubmitQueues
	c.HwQueueDepth = d.HwQueueDepth
	c.IRQMode = irq
	c.CompletionNsec = d.CompletionNsec
	c.BlockSize = d.BlockSize
	c.MemoryBacked = d.MemoryBacked
	c.SizeMiB = d.SizeMiB
	c.SharedTags = d.SharedTags
	c.Backend = b
	if err := c.Validate(); err != nil {
		return c, nullblk.Job{}, err
	}
	j := nullblk.Job{Pattern: pat, BS: w.BS, IODepth: w.IODepth, NumJobs: w.NumJobs, Duration: time.Second}
	if err := j.Validate(c); err != nil {
		return c, j, err
	}
	return c, j, nil
}

// runTrial measures one slot on a fresh device. The garbage collector is
// run before and switched off during the trial so that a collection never
// lands inside one variant's measurement window.
func (p Plan) runTrial(ctx context.Context, s Slot) (results.Trial, error) {
	w := p.Matrix[s.Config]
	v := p.Variants[s.Variant]
	cfg, job, err := engineConfig(w, v.Backend)
	if err != nil {
		return results.Trial{}, err
	}
	job.Duration = p.Duration
	job.Seed = p.trialSeed(s)
	dev, err := nullblk.NewDevice(cfg)
	if err != nil {
		return results.Trial{}, fmt.Errorf("%s: %w", w.Name(), err)
	}
	defer dev.Close()

	runtime.GC()
	old := debug.SetGCPercent(-1)
	start := time.Now()
	res, err := dev.Run(ctx, job)
	debug.SetGCPercent(old)
	if err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return results.Trial{}, err
		}
		return results.Trial{}, fmt.Errorf("%s, %s: %w", w.Name(), v.Label, err)
	}
	return trialRecord(w, v, s, start, res), nil
}

func trialRecord(w workloads.Workload, v Variant, s Slot, start time.Time, res nullblk.Result) results.Trial {
	secs := res.Elapsed.Seconds()
	t := results.Trial{
		Kind:           results.KindTrial,
		Config:         w.Name(),
		Variant:        v.Label,
		Backend:        v.Backend.String(),
		Round:          s.Round,
		Position:       s.Position,
		RW:             w.RW,
		BS:             w.BS,
		IODepth:        w.IODepth,
		NumJobs:        w.NumJobs,
		IRQMode:        w.Device.IRQMode,
		Start:          start.UTC(),
		DurationNs:     res.Elapsed.Nanoseconds(),
		Requests:       res.Requests,
		Bytes:          res.Bytes,
		LatMeanNs:      res.Latency.MeanNs,
		LatP50Ns:       res.Latency.P50Ns,
		LatP90Ns:       res.Latency.P90Ns,
		LatP99Ns:       res.Latency.P99Ns,
		LatP999Ns:      res.Latency.P999Ns,
		LatSamples:     res.Latency.Samples,
		RefcountWarns:  res.RefcountWarns,
		FailedEnds:     res.FailedEnds,
		TagToRqRetries: res.TagToRqRetries,
		TagWaits:       res.TagWaits,
	}
	if secs > 0 {
		t.IOPS = float64(res.Requests) / secs
		t.MBps = float64(res.Bytes) / secs / 1e6
	}
	return t
}
