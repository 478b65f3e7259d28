package harness

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/rnullbench/rnullbench/nullblk"
	"github.com/rnullbench/rnullbench/results"
	"github.com/rnullbench/rnullbench/workloads"
)

// Engine runs one trial of a workload for a variant. It is called once
// per trial, never per request, so an interface costs nothing measurable
// here; the request path inside each engine stays concrete.
type Engine interface {
	// Name is recorded in the plan ("nullblk", "fio").
	Name() string
	// Check reports whether the engine can run w for v, before anything
	// is measured.
	Check(w workloads.Workload, v Variant) error
	// Trial measures w for v for about d. The harness fills in the
	// record's identity (config, variant, round, start).
	Trial(ctx context.Context, w workloads.Workload, v Variant, d time.Duration, seed uint64) (results.Trial, error)
	// Describe names what variant v runs, for the plan record.
	Describe(v Variant) string
}

// Nullblk is the in-process null block engine, the default.
type Nullblk struct{}

var _ Engine = Nullblk{}

// Name implements Engine.
func (Nullblk) Name() string { return "nullblk" }

// Describe implements Engine: the backend's name.
func (Nullblk) Describe(v Variant) string { return v.Backend.String() }

// Check implements Engine.
func (Nullblk) Check(w workloads.Workload, v Variant) error {
	_, _, err := engineConfig(w, v.Backend)
	return err
}

// Trial implements Engine on a fresh device, so no trial inherits another's
// tag or page state.
func (Nullblk) Trial(ctx context.Context, w workloads.Workload, v Variant, d time.Duration, seed uint64) (results.Trial, error) {
	cfg, job, err := engineConfig(w, v.Backend)
	if err != nil {
		return results.Trial{}, err
	}
	job.Duration, job.Seed = d, seed
	dev, err := nullblk.NewDevice(cfg)
	if err != nil {
		return results.Trial{}, err
	}
	defer dev.Close()
	res, err := dev.Run(ctx, job)
	if err != nil {
		return results.Trial{}, err
	}
	return nullblkRecord(w, v, res), nil
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

func nullblkRecord(w workloads.Workload, v Variant, res nullblk.Result) results.Trial {
	secs := res.Elapsed.Seconds()
	t := results.Trial{
		Backend:        v.Backend.String(),
		IRQMode:        w.Device.IRQMode,
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

// Fio runs each trial as one real fio process: the matrix gives rw, bs,
// iodepth and numjobs, Args the target (e.g. ioengine=null here,
// --filename=/dev/nullb0 in the field), and each variant's Args what
// differs between variants (e.g. /dev/nullb0 against /dev/rnullb0).
type Fio struct {
	Path string   // the fio binary
	Args []string // for every trial, after the job's own options
	// JobArgs holds options from a job file per config name, passed on
	// before Args.
	JobArgs map[string][]string
}

var _ Engine = Fio{}

// Name implements Engine.
func (Fio) Name() string { return "fio" }

// Describe implements Engine: the fio arguments the variant runs with, so
// that the plan (and a resume's check of it) covers the target.
func (f Fio) Describe(v Variant) string {
	return strings.Join(append(append([]string{"fio"}, f.Args...), v.Args...), " ")
}

// Check implements Engine.
func (Fio) Check(w workloads.Workload, v Variant) error { return w.Validate() }

// Trial implements Engine.
func (f Fio) Trial(ctx context.Context, w workloads.Workload, v Variant, d time.Duration, seed uint64) (results.Trial, error) {
	args := append(append(append([]string{}, f.JobArgs[w.Name()]...), f.Args...), v.Args...)
	// fio parses randseed as a signed 64-bit number.
	args = append(args, fmt.Sprintf("--randseed=%d", seed>>1))
	job := results.FioJob{Name: "rnullbench", RW: w.RW, BS: w.BS, IODepth: w.IODepth, NumJobs: w.NumJobs, Runtime: d}
	t, err := results.RunFio(ctx, f.Path, job, args)
	if err != nil {
		return results.Trial{}, err
	}
	t.Backend = f.Describe(v)
	return t, nil
}
