package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/rnullbench/rnullbench/harness"
	"github.com/rnullbench/rnullbench/results"
)

// childFlags are set only on the child processes of --process-per-round.
type childFlags struct {
	rounds  string // "first:last"
	process int
}

func (c childFlags) active() bool { return c.rounds != "" }

func (c childFlags) span() (first, last int, err error) {
	a, b, ok := strings.Cut(c.rounds, ":")
	first, err1 := strconv.Atoi(a)
	last, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || first < 1 || last < first {
		return 0, 0, usagef("--child-rounds: %q: want first:last", c.rounds)
	}
	return first, last, nil
}

// childArgs are the parent's arguments as given, plus the child's part:
// the same flags give the child the same plan, and the flags it adds win
// (a later flag overrides an earlier one).
func childArgs(parent []string, first, last, process int) []string {
	out := append([]string{}, parent...)
	return append(out, "--resume", "-q",
		"--child-rounds", fmt.Sprintf("%d:%d", first, last), "--child-process", strconv.Itoa(process))
}

// runProcesses runs each group of rounds in a fresh child process with a
// randomly sized environment, the in-process analogue of the reboots
// between the original kernel measurements: code and data layout, stack
// alignment and the environment's size differ from process to process.
// The trials file is created (or checked) first; every child appends to it.
func runProcesses(ctx context.Context, rf runFlags, plan harness.Plan, done []results.Trial, progress harness.Progress) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	path := filepath.Join(rf.out, "trials.jsonl")
	rng := rand.New(rand.NewPCG(plan.Seed, 0x70726f63)) // "proc"
	if progress != nil {
		progress.Start(len(plan.Schedule()) - len(done))
		defer progress.Finish()
	}
	// Process numbers stay unique across resumes: a resumed group is a
	// new process, not the interrupted one.
	process := 1
	for _, t := range done {
		process = max(process, t.Process+1)
	}
	finished := 0
	for first := 1; first <= plan.Rounds; first += rf.roundsPerProcess {
		last := min(first+rf.roundsPerProcess-1, plan.Rounds)
		if groupDone(plan, done, first, last) {
			continue
		}
		before, _ := countRecorded(path)
		cmd := exec.CommandContext(ctx, exe, append([]string{rf.command}, childArgs(rf.args, first, last, process)...)...)
		process++
		cmd.Env = append(os.Environ(), "RNULLBENCH_LAYOUT_PAD="+strings.Repeat("x", rng.IntN(8192)))
		var stderr strings.Builder
		cmd.Stderr = &stderr
		cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
		cmd.WaitDelay = 30 * time.Second
		err := cmd.Run()
		if ctx.Err() != nil {
			return context.Canceled
		}
		if err != nil {
			return fmt.Errorf("child process for rounds %d–%d: %v: %s", first, last, err, lastLine(stderr.String()))
		}
		after, err := countRecorded(path)
		if err != nil {
			return err
		}
		finished += after - before
		if progress != nil && after > before {
			progress.Trial(finished, results.Trial{Round: last})
		}
	}
	return nil
}

// groupDone reports whether every trial of rounds first..last is on disk.
func groupDone(plan harness.Plan, done []results.Trial, first, last int) bool {
	have := 0
	for _, t := range done {
		if t.Round >= first && t.Round <= last {
			have++
		}
	}
	want := 0
	for _, s := range plan.Schedule() {
		if s.Round >= first && s.Round <= last {
			want++
		}
	}
	return have >= want
}

func countRecorded(path string) (int, error) {
	ds, err := results.Load(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return 0, nil
		}
		return 0, err
	}
	return len(ds.Trials), nil
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
