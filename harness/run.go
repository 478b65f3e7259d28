package harness

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
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
		t.Process = o.Process
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
