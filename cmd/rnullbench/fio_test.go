package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func needFio(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("fio")
	if err != nil {
		t.Skip("fio is not installed (apt-get install fio); .ci/run installs it")
	}
	return p
}

// TestCompareWithRealFio runs an A/A comparison in which every trial is a
// real fio process on the null ioengine.
func TestCompareWithRealFio(t *testing.T) {
	needFio(t)
	out := filepath.Join(t.TempDir(), "fio")
	code, stdout, errs := runCLI(t, "compare", "--engine", "fio", "--fio-arg=--ioengine=null", "--fio-arg=--size=64m",
		"--fio-variant", "a=", "--fio-variant", "b=--thread", "--rw", "randread,randwrite", "--bs", "4k",
		"--n", "3", "--duration", "100ms", "--warmup", "0", "-q", "--out", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	keys := trialKeys(t, filepath.Join(out, "trials.jsonl"))
	if len(keys) != 2*2*3 {
		t.Fatalf("%d trials, want 12", len(keys))
	}
	if !strings.Contains(stdout, "b vs a") {
		t.Fatalf("report lacks the comparison:\n%s", stdout)
	}
	b, _ := os.ReadFile(filepath.Join(out, "trials.jsonl"))
	if !strings.Contains(string(b), `"engine":"fio"`) || !strings.Contains(string(b), `"backend":"fio --ioengine=null --size=64m --thread"`) {
		t.Fatal("the plan does not record the fio engine and its arguments")
	}
}

// TestReportOnFioJSON reads real fio JSON output, one file per trial, with
// the variant, config and round taken from the path.
func TestReportOnFioJSON(t *testing.T) {
	fio := needFio(t)
	dir := t.TempDir()
	var files []string
	for _, v := range []string{"c", "rust"} {
		for round := 1; round <= 3; round++ {
			p := filepath.Join(dir, v, "randread-4k", fmt.Sprintf("%d.json", round))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(fio, "--name=x", "--ioengine=null", "--size=64m", "--rw=randread", "--bs=4k", "--time_based", "--runtime=50ms", "--output-format=json", "--output="+p)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("fio: %v\n%s", err, out)
			}
			files = append(files, p)
		}
	}
	code, out, errs := runCLI(t, append([]string{"report", "--format", "csv", "--fio-pattern", "{variant}/{config}/{round}.json"}, files...)...)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "randread-4k,rust,c,3,3,") {
		t.Fatalf("CSV lacks the rust-vs-c row with n=3/3:\n%s", out)
	}
	// A broken fio file is a one-line error naming it.
	bad := filepath.Join(dir, "c", "randread-4k", "9.json")
	os.WriteFile(bad, []byte(`{"fio version": "fio-3.33", "jobs": [{"jobname": 1}]}`), 0o644)
	code, _, errs = runCLI(t, "report", "--fio-pattern", "{variant}/{config}/{round}.json", bad, files[3])
	if code != exitUsage || !strings.Contains(errs, "9.json") || strings.Count(errs, "\n") != 1 {
		t.Fatalf("broken fio file: exit %d, %q", code, errs)
	}
}

// TestFioJobFileAsMatrix takes the matrix from a fio job file.
func TestFioJobFileAsMatrix(t *testing.T) {
	job := filepath.Join(t.TempDir(), "m.fio")
	os.WriteFile(job, []byte("[global]\nioengine=null\nsize=64m\n\n[small]\nrw=randread\nbs=4k\n\n[big]\nrw=randwrite\nbs=1m\niodepth=8\n"), 0o644)
	code, out, errs := runCLI(t, "matrix", "--matrix", job)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if out != "randread/bs=4k/qd=1/jobs=1\nrandwrite/bs=1m/qd=8/jobs=1\n" {
		t.Fatalf("matrix from job file:\n%s", out)
	}
	os.WriteFile(job, []byte("[a]\nbs=4q\n"), 0o644)
	code, _, errs = runCLI(t, "matrix", "--matrix", job)
	if code != exitUsage || !strings.Contains(errs, "4q") {
		t.Fatalf("bad job file: exit %d, %q", code, errs)
	}
}
