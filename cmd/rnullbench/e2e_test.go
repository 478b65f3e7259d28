package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildTool compiles the command once per test binary run.
func buildTool(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the command; skipped with -short")
	}
	bin := filepath.Join(t.TempDir(), "rnullbench")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// trialKeys reads a trials file and returns its trials' (config, variant,
// round) keys, sorted, failing on duplicates.
func trialKeys(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var keys []string
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var rec struct {
			Kind, Config, Variant string
			Round                 int
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("%s: %v in %q", path, err, sc.Text())
		}
		if rec.Kind != "trial" {
			continue
		}
		k := fmt.Sprintf("%s|%s|%d", rec.Config, rec.Variant, rec.Round)
		if seen[k] {
			t.Fatalf("%s: trial %s recorded twice", path, k)
		}
		seen[k] = true
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func countTrials(path string) int {
	b, _ := os.ReadFile(path)
	return bytes.Count(b, []byte(`"kind":"trial"`))
}

var e2eArgs = []string{"compare", "--rw", "randread,randwrite", "--bs", "4k", "--backends", "atomic,helper", "--n", "8", "--duration", "15ms", "--warmup", "0", "-q"}

// TestKillAndResume kills a compare with SIGKILL mid-run (no chance to
// flush anything), resumes it, and checks that the final trial set is
// exactly that of an uninterrupted run.
func TestKillAndResume(t *testing.T) {
	bin := buildTool(t)
	dir := t.TempDir()

	whole := filepath.Join(dir, "whole")
	if out, err := exec.Command(bin, append(e2eArgs, "--out", whole)...).CombinedOutput(); err != nil {
		t.Fatalf("uninterrupted run: %v\n%s", err, out)
	}
	want := trialKeys(t, filepath.Join(whole, "trials.jsonl"))
	if len(want) != 2*2*8 {
		t.Fatalf("uninterrupted run recorded %d trials, want 32", len(want))
	}

	cut := filepath.Join(dir, "cut")
	cmd := exec.Command(bin, append(e2eArgs, "--out", cut)...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(cut, "trials.jsonl")
	deadline := time.Now().Add(60 * time.Second)
	for countTrials(log) < 10 {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("run did not record 10 trials within a minute")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	before := countTrials(log)
	if before >= len(want) {
		t.Fatalf("the run finished (%d trials) before it could be killed", before)
	}

	// Resuming with another plan must be refused, and must not touch the file.
	if out, err := exec.Command(bin, append(append([]string{}, e2eArgs...), "--out", cut, "--resume", "--seed", "9")...).CombinedOutput(); err == nil || !strings.Contains(string(out), "plan") {
		t.Fatalf("resume with another seed: err %v, output %s", err, out)
	}
	if countTrials(log) != before {
		t.Fatal("a refused resume changed the trials file")
	}

	out, err := exec.Command(bin, append(e2eArgs, "--out", cut, "--resume")...).CombinedOutput()
	if err != nil {
		t.Fatalf("resume: %v\n%s", err, out)
	}
	got := trialKeys(t, log)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("after kill+resume the trial set differs from an uninterrupted run:\ngot %d trials, want %d", len(got), len(want))
	}
	for _, f := range []string{"summary.csv", "summary.json", "report.md"} {
		if _, err := os.Stat(filepath.Join(cut, f)); err != nil {
			t.Errorf("resumed run wrote no %s: %v", f, err)
		}
	}
}

// TestInterruptFlushesAndExits130: SIGINT ends the run with exit 130,
// keeps every finished trial, and writes the summaries of what exists.
func TestInterruptFlushesAndExits130(t *testing.T) {
	bin := buildTool(t)
	out := filepath.Join(t.TempDir(), "int")
	cmd := exec.Command(bin, append(append([]string{}, e2eArgs...), "--n", "40", "--out", out)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(out, "trials.jsonl")
	deadline := time.Now().Add(60 * time.Second)
	for countTrials(log) < 12 {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("run did not record 12 trials within a minute")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitInterrupted {
		t.Fatalf("exit: %v, want %d; stderr %s", err, exitInterrupted, stderr.String())
	}
	n := countTrials(log)
	if n < 12 || n >= 2*2*40 {
		t.Fatalf("%d trials kept", n)
	}
	if len(trialKeys(t, log)) != n {
		t.Fatal("trials file holds a malformed or duplicate line")
	}
	if _, err := os.Stat(filepath.Join(out, "summary.json")); err != nil {
		t.Fatalf("no summary after interrupt: %v\nstderr: %s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "--resume") {
		t.Errorf("stderr does not tell how to continue: %s", stderr.String())
	}
}

// TestShardsMergeToTheWholePlan runs a plan in three shards and merges
// them: the merged run holds exactly the trials of an unsharded run, and
// parts of another plan are refused.
func TestShardsMergeToTheWholePlan(t *testing.T) {
	dir := t.TempDir()
	args := []string{"compare", "--rw", "randread", "--bs", "4k,64k", "--backends", "atomic,helper", "--n", "3", "--duration", "5ms", "--warmup", "0", "-q"}
	whole := filepath.Join(dir, "whole")
	if code, _, errs := runCLI(t, append(args, "--out", whole)...); code != exitOK {
		t.Fatalf("whole run: exit %d: %s", code, errs)
	}
	var shards []string
	for i := 1; i <= 3; i++ {
		out := filepath.Join(dir, fmt.Sprintf("shard%d", i))
		if code, _, errs := runCLI(t, append(args, "--shard", fmt.Sprintf("%d/3", i), "--out", out)...); code != exitOK {
			t.Fatalf("shard %d: exit %d: %s", i, code, errs)
		}
		shards = append(shards, out)
	}
	merged := filepath.Join(dir, "merged")
	if code, _, errs := runCLI(t, append([]string{"merge", "--out", merged}, shards...)...); code != exitOK {
		t.Fatalf("merge: exit %d: %s", code, errs)
	}
	got, want := trialKeys(t, filepath.Join(merged, "trials.jsonl")), trialKeys(t, filepath.Join(whole, "trials.jsonl"))
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("merged shards hold %d trials, the whole plan %d (or other ones)", len(got), len(want))
	}
	if _, err := os.Stat(filepath.Join(merged, "summary.json")); err != nil {
		t.Fatal(err)
	}

	other := filepath.Join(dir, "other")
	if code, _, errs := runCLI(t, "compare", "--rw", "randread", "--bs", "4k", "--backends", "atomic,helper", "--n", "2", "--duration", "5ms", "-q", "--shard", "1/2", "--out", other); code != exitOK {
		t.Fatalf("other plan: %s", errs)
	}
	code, _, errs := runCLI(t, "merge", "--out", filepath.Join(dir, "bad"), shards[0], other)
	if code != exitUsage || !strings.Contains(errs, "different plan") {
		t.Fatalf("merging two plans: exit %d, %q", code, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "bad")); err == nil {
		t.Error("a refused merge left its --out behind")
	}
}

// TestProcessPerRound runs groups of rounds in fresh child processes and
// checks that every trial says which process measured it and that the
// report splits the variance.
func TestProcessPerRound(t *testing.T) {
	bin := buildTool(t)
	out := filepath.Join(t.TempDir(), "pp")
	cmd := exec.Command(bin, "compare", "--rw", "randread", "--bs", "4k,64k", "--backends", "atomic,helper", "--n", "6",
		"--duration", "10ms", "--warmup", "0", "--process-per-round", "--rounds-per-process", "2", "-q", "--out", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	b, err := os.ReadFile(filepath.Join(out, "trials.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if len(trialKeys(t, filepath.Join(out, "trials.jsonl"))) != 2*2*6 {
		t.Fatal("not every trial of the plan was recorded")
	}
	for p := 1; p <= 3; p++ {
		if got := strings.Count(string(b), fmt.Sprintf(`"process":%d,`, p)+"") + strings.Count(string(b), fmt.Sprintf(`"process":%d}`, p)); got != 8 {
			t.Errorf("process %d measured %d trials, want 8 (2 rounds × 2 configs × 2 variants)", p, got)
		}
	}
	sum, _ := os.ReadFile(filepath.Join(out, "summary.json"))
	if !strings.Contains(string(sum), `"variance"`) || !strings.Contains(string(sum), `"between_share"`) {
		t.Fatal("summary.json lacks the variance split")
	}
}

// TestProcessPerRoundKeepsArgumentValues: child processes get the parent's
// arguments as given (an --out named like a flag stays an --out), and run
// works in process mode as compare does.
func TestProcessPerRoundKeepsArgumentValues(t *testing.T) {
	bin := buildTool(t)
	dir := t.TempDir()
	cmd := exec.Command(bin, "run", "--backend", "helper", "--rw", "randread", "--bs", "4k", "--n", "4", "--duration", "5ms",
		"--warmup", "0", "--process-per-round", "--out", "resume", "-q")
	cmd.Dir = dir
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	keys := trialKeys(t, filepath.Join(dir, "resume", "trials.jsonl"))
	if len(keys) != 4 {
		t.Fatalf("%d trials in ./resume, want 4", len(keys))
	}
}
