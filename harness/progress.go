package harness

import (
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/rnullbench/rnullbench/results"
)

// NewProgress picks how a run reports progress: a bar with ETA on a
// terminal, a plain line every interval otherwise (logs of CI jobs), and
// nothing when quiet.
func NewProgress(w io.Writer, terminal, quiet bool) Progress {
	switch {
	case quiet:
		return nil
	case terminal:
		return &barProgress{w: w}
	default:
		return &lineProgress{w: w, every: 10 * time.Second, now: time.Now}
	}
}

type barProgress struct {
	w   io.Writer
	bar *progressbar.ProgressBar
}

func (p *barProgress) Start(total int) {
	p.bar = progressbar.NewOptions(total,
		progressbar.OptionSetWriter(p.w),
		progressbar.OptionSetDescription("trials"),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionFullWidth(),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
}

func (p *barProgress) Trial(done int, t results.Trial) {
	desc := "warm-up"
	if t.Round > 0 {
		desc = fmt.Sprintf("round %d", t.Round)
	}
	p.bar.Describe(desc)
	_ = p.bar.Set(done)
}

func (p *barProgress) Finish() { _ = p.bar.Finish() }

// lineProgress prints a line now and then, for output that is not a
// terminal: enough to see a CI job is alive and how long it has left.
type lineProgress struct {
	w           io.Writer
	every       time.Duration
	now         func() time.Time
	total       int
	start, last time.Time
}

func (p *lineProgress) Start(total int) {
	p.total = total
	p.start = p.now()
	p.last = p.start
	fmt.Fprintf(p.w, "rnullbench: %d trials to run\n", total)
}

func (p *lineProgress) Trial(done int, t results.Trial) {
	now := p.now()
	if now.Sub(p.last) < p.every && done != p.total {
		return
	}
	p.last = now
	elapsed := now.Sub(p.start)
	eta := time.Duration(float64(elapsed) / float64(done) * float64(p.total-done))
	fmt.Fprintf(p.w, "rnullbench: %d/%d trials (%.0f%%), round %d, elapsed %s, about %s left\n",
		done, p.total, 100*float64(done)/float64(p.total), t.Round, elapsed.Round(time.Second), eta.Round(time.Second))
}

func (p *lineProgress) Finish() {}
