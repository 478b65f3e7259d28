package results

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// FioJob is one fio run of the matrix: the workload dimensions that the
// comparison varies. Everything about the target (ioengine, filename,
// direct, size) comes from the caller's extra arguments, so that the
// same job can run against /dev/nullb0 and /dev/rnullb0.
type FioJob struct {
	Name    string // fio job name; empty means "rnullbench"
	RW      string // e.g. "randread"
	BS      int    // bytes
	IODepth int
	NumJobs int
	// Runtime makes the job time based; zero lets fio stop after size.
	Runtime time.Duration
}

// FioArgs returns fio's argument list for job: the job's dimensions,
// group_reporting (one aggregated entry for all numjobs clones), JSON
// output, then extraArgs. An extra argument without a leading "-" gets
// "--" prepended, so "ioengine=null" and "--ioengine=null" mean the same.
func FioArgs(job FioJob, extraArgs []string) []string {
	name := job.Name
	if name == "" {
		name = "rnullbench"
	}
	args := []string{
		"--name=" + name,
		"--rw=" + job.RW,
		"--bs=" + strconv.Itoa(job.BS),
		"--iodepth=" + strconv.Itoa(job.IODepth),
		"--numjobs=" + strconv.Itoa(job.NumJobs),
		"--group_reporting",
		"--output-format=json",
	}
	if job.Runtime > 0 {
		// fio's time options take unit suffixes; ms keeps sub-second
		// runtimes exact.
		args = append(args, "--time_based", "--runtime="+strconv.FormatInt(job.Runtime.Milliseconds(), 10)+"ms")
	}
	for _, a := range extraArgs {
		if !strings.HasPrefix(a, "-") {
			a = "--" + a
		}
		args = append(args, a)
	}
	return args
}

// RunFio runs one fio process for job (no shell: the arguments go to exec
// as they are) and returns its trial. The trial's variant and round are
// left for the caller to set. A failing fio gives an error with the last
// line fio wrote on stderr; cancelling ctx kills fio.
func RunFio(ctx context.Context, fioPath string, job FioJob, extraArgs []string) (Trial, error) {
	if job.RW == "" || job.BS <= 0 || job.IODepth <= 0 || job.NumJobs <= 0 {
		return Trial{}, fmt.Errorf("fio job %q: rw, bs, iodepth and numjobs must all be set (got %q, %d, %d, %d)", job.Name, job.RW, job.BS, job.IODepth, job.NumJobs)
	}
	cmd := exec.CommandContext(ctx, fioPath, FioArgs(job, extraArgs)...)
	// fio forks a process per job, which keeps the output pipes open after
	// its parent is killed. SIGINT is fio's own way to stop: it ends its
	// jobs and exits. WaitDelay bounds the wait if it does not.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return Trial{}, fmt.Errorf("fio: %w", ctx.Err())
		}
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return Trial{}, fmt.Errorf("fio: %v: %s", err, fioLastLine(stderr.Bytes(), stdout.Bytes()))
		}
		return Trial{}, fmt.Errorf("fio: %v", err)
	}
	trials, err := ReadFio(&stdout, "fio output", FioOptions{})
	if err != nil {
		return Trial{}, err
	}
	if len(trials) != 1 {
		return Trial{}, fmt.Errorf("fio output: %d jobs, want 1 (do the extra arguments add a job?)", len(trials))
	}
	t := trials[0]
	// The job's own dimensions name the config, so that a target option
	// (e.g. a filename) can never change which config a trial belongs to.
	t.Variant, t.Backend = "", ""
	t.RW, t.BS, t.IODepth, t.NumJobs = job.RW, job.BS, job.IODepth, job.NumJobs
	t.Config = fmt.Sprintf("%s/bs=%s/qd=%d/jobs=%d", job.RW, benchSize(job.BS), job.IODepth, job.NumJobs)
	return t, nil
}

// fioLastLine returns the last non-empty line of the first output that
// has one: fio's reason for failing is there.
func fioLastLine(outs ...[]byte) string {
	for _, o := range outs {
		lines := strings.Split(strings.TrimSpace(string(o)), "\n")
		if l := strings.TrimSpace(lines[len(lines)-1]); l != "" {
			return l
		}
	}
	return "(no output)"
}
