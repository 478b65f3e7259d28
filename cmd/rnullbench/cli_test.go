package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// runCLI runs the entry point as a user would and returns exit code,
// stdout and stderr.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file; got:\n%s", name, got)
	}
}

// TestReportGolden pins the CLI's output on fixed data and seed: the same
// trials and seed must always give byte-identical reports.
func TestReportGolden(t *testing.T) {
	cases := []struct {
		golden string
		args   []string
	}{
		{"report-table.stdout", []string{"report", "testdata/small.jsonl"}},
		{"report-markdown.stdout", []string{"report", "--format", "markdown", "testdata/small.jsonl"}},
		{"report-csv.stdout", []string{"report", "--format", "csv", "testdata/small.jsonl"}},
		{"report-json.stdout", []string{"report", "--format", "json", "testdata/small.jsonl"}},
		{"report-t.stdout", []string{"report", "--ci", "t", "--format", "csv", "testdata/small.jsonl"}},
		{"report-rawcsv.stdout", []string{"report", "--baseline", "C", "testdata/raw.csv"}},
		{"check-ok.stdout", []string{"check", "--baseline", "C", "--max-regression", "20%", "testdata/raw.csv"}},
		{"report-benchfmt.stdout", []string{"report", "--format", "benchfmt", "testdata/small.jsonl"}},
		{"matrix-quick.stdout", []string{"matrix"}},
	}
	for _, c := range cases {
		t.Run(c.golden, func(t *testing.T) {
			code, out, errs := runCLI(t, c.args...)
			if code != exitOK {
				t.Fatalf("exit %d, stderr: %s", code, errs)
			}
			golden(t, c.golden, out)
			_, again, _ := runCLI(t, c.args...)
			if again != out {
				t.Fatal("a second run with the same input and seed printed something else")
			}
		})
	}
}

func TestReportHTMLIsOnePage(t *testing.T) {
	code, out, errs := runCLI(t, "report", "--format", "html", "testdata/small.jsonl")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"<!DOCTYPE html>", "<svg", "randwrite/bs=4k/qd=1/jobs=1", "helper"} {
		if !strings.Contains(out, want) {
			t.Errorf("HTML report lacks %q", want)
		}
	}
	if strings.Contains(out, "<script src") || strings.Contains(out, "<link ") {
		t.Error("HTML report loads something from elsewhere")
	}
}

func TestCalibratePrintsEveryBackend(t *testing.T) {
	code, out, errs := runCLI(t, "calibrate", "--iters", "10000")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, b := range []string{"atomic", "helper", "lto", "helper-atomic", "cas_2_0"} {
		if !strings.Contains(out, b) {
			t.Errorf("calibrate output lacks %q:\n%s", b, out)
		}
	}
}

func TestCheckExitsOneOnRegression(t *testing.T) {
	// In raw.csv, R is 10% slower than C on config A.
	code, out, errs := runCLI(t, "check", "--baseline", "C", "testdata/raw.csv")
	if code != exitRegression {
		t.Fatalf("exit %d, want %d; stderr %s", code, exitRegression, errs)
	}
	golden(t, "check-regression.stdout", out)

	t.Setenv("GITHUB_ACTIONS", "true")
	_, out, _ = runCLI(t, "check", "--baseline", "C", "testdata/raw.csv")
	if !strings.Contains(out, "::error title=rnullbench regression::A R vs C") {
		t.Fatalf("no GitHub annotation in:\n%s", out)
	}
}

func TestCheckBaseHead(t *testing.T) {
	// The same file as base and head: nothing can have regressed.
	code, out, errs := runCLI(t, "check", "--base", "testdata/small.jsonl", "--head", "testdata/small.jsonl")
	if code != exitOK {
		t.Fatalf("exit %d; stderr %s", code, errs)
	}
	if !strings.Contains(out, "helper@head") || !strings.Contains(out, "no configuration regressed") {
		t.Fatalf("unexpected output:\n%s", out)
	}
}

func TestHelpHasExamples(t *testing.T) {
	for _, c := range commands() {
		code, out, _ := runCLI(t, c.name, "--help")
		if code != exitOK || !strings.Contains(out, "examples:") || !strings.Contains(out, "rnullbench "+c.name) {
			t.Errorf("%s --help: exit %d, output:\n%s", c.name, code, out)
		}
	}
	if code, out, _ := runCLI(t, "--help"); code != exitOK || !strings.Contains(out, "compare") {
		t.Errorf("--help: exit %d:\n%s", code, out)
	}
}

// TestBadInput: every bad input is one line on stderr naming the culprit,
// exit 2, nothing on stdout, and no output files left behind.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	empty := write("empty.jsonl", "")
	corrupt := write("corrupt.jsonl", "{\"kind\":\"header\",\n")
	badIOPS := write("badiops.jsonl", `{"kind":"trial","config":"a","variant":"x","backend":"atomic","round":1,"iops":"fast","duration_ns":1,"requests":1}`+"\n")
	wrongKind := write("wrongkind.jsonl", `{"kind":"banana"}`+"\n")
	notJSON := write("notjson.txt", "hello world\n")
	csvNoValue := write("novalue.csv", "config,variant\nA,C\n")
	csvBadValue := write("badvalue.csv", "config,variant,value\nA,C,abc\n")
	oneVariant := write("onevariant.csv", "config,variant,value\nA,C,1\nA,C,2\n")
	badMatrix := write("bad.matrix", "rw = randread\nbs = 4q\n")
	oneEach := write("oneeach.csv", "config,variant,value\nA,C,100\nA,R,50\n")
	noBase := write("nobase.csv", "config,variant,value\nA,C,100\nA,C,101\nA,R,50\nA,R,51\nB,R,10\nB,R,11\n")
	mixedA, _ := os.ReadFile("testdata/small.jsonl")
	other := strings.Replace(string(mixedA), `"seed":1`, `"seed":2`, 1)
	mixed := write("other.jsonl", other)
	fileAsDir := write("plainfile", "x")

	out := func(name string) string { return filepath.Join(dir, "out-"+name) }
	cases := []struct {
		name string
		args []string
		want string // must appear in the one-line error
		out  string // an --out dir that must not exist afterwards
	}{
		{"no command", []string{"frobnicate"}, `unknown command "frobnicate"`, ""},
		{"unknown flag", []string{"compare", "--bogus"}, "-bogus", ""},
		{"unknown backend", []string{"compare", "--backends", "atomic,turbo", "--out", out("b")}, "turbo", out("b")},
		{"empty backends", []string{"compare", "--backends", "", "--out", out("c")}, "--backends", out("c")},
		{"duplicate label", []string{"compare", "--backends", "atomic,atomic", "--out", out("d")}, "twice", out("d")},
		{"bad label syntax", []string{"compare", "--backends", "=atomic", "--out", out("e")}, "--backends", out("e")},
		{"baseline not a variant", []string{"compare", "--baseline", "lto2", "--out", out("f")}, "--baseline", out("f")},
		{"n zero", []string{"compare", "--n", "0", "--out", out("g")}, "--n", out("g")},
		{"n not a number", []string{"compare", "--n", "forty", "--out", out("h")}, "-n", out("h")},
		{"duration zero", []string{"compare", "--duration", "0s", "--out", out("i")}, "--duration", out("i")},
		{"duration garbage", []string{"compare", "--duration", "soon", "--out", out("j")}, "-duration", out("j")},
		{"negative warmup", []string{"compare", "--warmup", "-1", "--out", out("k")}, "--warmup", out("k")},
		{"bad rw", []string{"compare", "--rw", "randtrim", "--out", out("l")}, "randtrim", out("l")},
		{"malformed bs list", []string{"compare", "--bs", "4k,,1m", "--out", out("m")}, "--bs", out("m")},
		{"bad bs", []string{"compare", "--bs", "4q", "--out", out("n")}, "4q", out("n")},
		{"zero iodepth", []string{"compare", "--iodepth", "0", "--out", out("o")}, "--iodepth", out("o")},
		{"bad numjobs", []string{"compare", "--numjobs", "x", "--out", out("p")}, "--numjobs", out("p")},
		{"bad irqmode", []string{"compare", "--irqmode", "msi", "--out", out("q")}, "msi", out("q")},
		{"zero queues", []string{"compare", "--submit-queues", "0", "--out", out("r")}, "submit", out("r")},
		{"huge depth", []string{"compare", "--hw-queue-depth", "100000", "--out", out("s")}, "hw_queue_depth", out("s")},
		{"unknown preset", []string{"compare", "--matrix", "slow", "--out", out("t")}, "slow", out("t")},
		{"bad matrix file", []string{"compare", "--matrix", badMatrix, "--out", out("u")}, "bad.matrix:2", out("u")},
		{"matrix and lists", []string{"compare", "--matrix", "quick", "--rw", "read", "--out", out("v")}, "--matrix", out("v")},
		{"bad shard", []string{"compare", "--shard", "3/2", "--out", out("w")}, "--shard", out("w")},
		{"stray argument", []string{"compare", "extra", "--out", out("x")}, "extra", out("x")},
		{"unwritable out", []string{"compare", "--n", "2", "--duration", "1ms", "--out", "/dev/null/x"}, "/dev/null/x", ""},
		{"out is a file", []string{"compare", "--n", "2", "--duration", "1ms", "--out", fileAsDir}, "plainfile", ""},
		{"out under a file", []string{"compare", "--n", "2", "--duration", "1ms", "--out", filepath.Join(fileAsDir, "sub")}, "plainfile", ""},
		{"resume without run", []string{"compare", "--resume", "--out", out("y")}, "trials.jsonl", out("y")},
		{"run two backends", []string{"run", "--backend", "atomic,helper", "--out", out("z")}, "--backend", out("z")},
		{"report no file", []string{"report"}, "FILE", ""},
		{"report missing file", []string{"report", filepath.Join(dir, "nope.jsonl")}, "nope.jsonl", ""},
		{"report empty file", []string{"report", empty}, "empty.jsonl", ""},
		{"report corrupt file", []string{"report", corrupt}, "corrupt.jsonl", ""},
		{"report wrong type", []string{"report", badIOPS}, "iops", ""},
		{"report wrong kind", []string{"report", wrongKind}, "banana", ""},
		{"report not json", []string{"report", notJSON}, "notjson.txt", ""},
		{"csv without value", []string{"report", csvNoValue}, "value", ""},
		{"csv bad value", []string{"report", csvBadValue}, "abc", ""},
		{"one variant only", []string{"report", oneVariant}, "one variant", ""},
		{"mixed runs", []string{"report", "testdata/small.jsonl", mixed}, "plan", ""},
		{"bad format", []string{"report", "--format", "pdf", "testdata/small.jsonl"}, "--format", ""},
		{"bad ci", []string{"report", "--ci", "magic", "testdata/small.jsonl"}, "--ci", ""},
		{"bad confidence", []string{"report", "--confidence", "95", "testdata/small.jsonl"}, "--confidence", ""},
		{"few resamples", []string{"report", "--resamples", "10", "testdata/small.jsonl"}, "--resamples", ""},
		{"bad correction", []string{"report", "--correction", "bonferroni2", "testdata/small.jsonl"}, "--correction", ""},
		{"unknown report baseline", []string{"report", "--baseline", "zz", "testdata/small.jsonl"}, "zz", ""},
		{"bad max regression", []string{"check", "--max-regression", "lots", "testdata/small.jsonl"}, "max-regression", ""},
		{"base without head", []string{"check", "--base", "testdata/small.jsonl"}, "--head", ""},
		{"negative slices", []string{"compare", "--slices", "-1", "--out", out("sl1")}, "--slices", out("sl1")},
		{"sub-millisecond slices", []string{"compare", "--duration", "5ms", "--slices", "10", "--out", out("sl2")}, "--slices", out("sl2")},
		{"slices with fio", []string{"compare", "--engine", "fio", "--slices", "4", "--fio-variant", "a=", "--fio-variant", "b=", "--out", out("sl3")}, "--slices", out("sl3")},
		{"one round", []string{"compare", "--n", "1", "--out", out("n1")}, "--n", out("n1")},
		{"one variant", []string{"compare", "--backends", "atomic", "--out", out("v1")}, "--backends", out("v1")},
		{"unknown engine", []string{"compare", "--engine", "spdk", "--out", out("eng")}, "--engine", out("eng")},
		{"fio not found", []string{"compare", "--engine", "fio", "--fio", "/nonexistent/fio", "--fio-variant", "a=", "--fio-variant", "b=", "--out", out("fio1")}, "--fio", out("fio1")},
		{"fio args without fio", []string{"compare", "--fio-arg=--ioengine=null", "--out", out("fio2")}, "--engine fio", out("fio2")},
		{"empty shard", []string{"compare", "--rw", "read", "--backends", "atomic,helper", "--n", "2", "--shard", "9/10", "--out", out("sh")}, "--shard", out("sh")},
		{"check without interval", []string{"check", "--baseline", "C", oneEach}, "no confidence interval", ""},
		{"check with a missing baseline", []string{"check", "--baseline", "C", noBase}, "cannot judge", ""},
		{"check nan threshold", []string{"check", "--max-regression", "nan", "testdata/small.jsonl"}, "max-regression", ""},
		{"check base/head with baseline", []string{"check", "--baseline", "atomic", "--base", "testdata/small.jsonl", "--head", "testdata/small.jsonl"}, "--baseline", ""},
		{"infinite noise", []string{"report", "--noise", "inf", "testdata/small.jsonl"}, "--noise", ""},
		{"calibrate bad iters", []string{"calibrate", "--iters", "5"}, "--iters", ""},
		{"calibrate bad format", []string{"calibrate", "--format", "xml"}, "--format", ""},
		{"merge without out", []string{"merge", "testdata/small.jsonl"}, "--out", ""},
		{"merge a raw csv", []string{"merge", "--out", out("merge"), "testdata/raw.csv"}, "header", out("merge")},
		{"head missing", []string{"check", "--base", "testdata/small.jsonl", "--head", filepath.Join(dir, "nothere")}, "nothere", ""},
	}
	if len(cases) < 30 {
		t.Fatalf("only %d bad inputs", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, c.args...)
			if code != exitUsage {
				t.Fatalf("exit %d, want %d; stderr: %s", code, exitUsage, stderr)
			}
			if stdout != "" {
				t.Errorf("stdout not empty: %q", stdout)
			}
			lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
			if len(lines) != 1 || !strings.Contains(stderr, c.want) {
				t.Errorf("stderr should be one line naming %q; got %q", c.want, stderr)
			}
			if c.out != "" {
				if _, err := os.Stat(c.out); err == nil {
					t.Errorf("--out %s was created for bad input", c.out)
				}
			}
		})
	}
}
