package results

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func fixtureTrial(config, variant string, round int, iops float64) Trial {
	return Trial{
		Kind: KindTrial, Config: config, Variant: variant, Backend: variant, Round: round, Position: round % 3,
		RW: "randread", BS: 4096, IODepth: 1, NumJobs: 1, IRQMode: "none",
		Start:      time.Date(2026, 12, 3, 12, 0, round, 0, time.UTC),
		DurationNs: 200_000_000, Requests: uint64(iops / 5), Bytes: uint64(iops/5) * 4096, IOPS: iops, MBps: iops * 4096 / 1e6,
		LatMeanNs: 1e9 / iops, LatP50Ns: 700, LatP90Ns: 900, LatP99Ns: 1500, LatP999Ns: 4000, LatSamples: 1000,
	}
}

func TestPlanHash(t *testing.T) {
	p := fixtureHeader().Plan
	h := PlanHash(p)
	if len(h) != 64 {
		t.Fatalf("PlanHash = %q, want 64 hex digits", h)
	}
	q := p
	q.Shard = "1/2"
	if PlanHash(q) != h {
		t.Error("shards of one plan have different hashes; they could not be merged")
	}
	q = p
	q.Rounds++
	if PlanHash(q) == h {
		t.Error("plans with different rounds share a hash")
	}
	q = p
	q.Configs = append([]string{}, p.Configs...)
	q.Configs[0], q.Configs[1] = q.Configs[1], q.Configs[0]
	if PlanHash(q) == h {
		t.Error("plans with a different config order share a hash")
	}
	q = p
	q.Extra = map[string]string{"b": "1", "a": "2"}
	r := p
	r.Extra = map[string]string{"a": "2", "b": "1"}
	if PlanHash(q) != PlanHash(r) {
		t.Error("equal plans hash differently")
	}
}

func TestLogCreateAppendRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trials.jsonl")
	h := *fixtureHeader()
	h.PlanHash = ""
	l, err := CreateLog(path, h)
	if err != nil {
		t.Fatal(err)
	}
	want := []Trial{
		fixtureTrial("randread/bs=4k/qd=1/jobs=1", "atomic", 1, 1.3e6),
		fixtureTrial("randread/bs=1m/qd=1/jobs=1", "helper", 1, 1.2e6),
	}
	for _, tr := range want {
		tr.Kind = ""
		if err := l.Append(tr); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if err := l.Append(want[0]); err == nil {
		t.Error("Append after Close: no error")
	}
	if _, err := CreateLog(path, h); !errors.Is(err, os.ErrExist) {
		t.Errorf("CreateLog over an existing file: %v, want os.ErrExist", err)
	}
	f, _ := os.Open(path)
	defer f.Close()
	gotH, got, warns, err := ReadTrials(f, "trials.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) != 0 {
		t.Errorf("warnings %v", warns)
	}
	if gotH.PlanHash != PlanHash(h.Plan) || gotH.Kind != KindHeader || gotH.Schema != SchemaVersion {
		t.Errorf("header %+v", gotH)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("trials\n%+v\nwant\n%+v", got, want)
	}
}

// writeLog makes a trials file with the fixture header and n trials of
// the first config, variants alternating.
func writeLog(t *testing.T, n int) (string, Header, []Trial) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "trials.jsonl")
	h := *fixtureHeader()
	l, err := CreateLog(path, h)
	if err != nil {
		t.Fatal(err)
	}
	var trials []Trial
	for i := range n {
		v := []string{"atomic", "helper", "lto"}[i%3]
		tr := fixtureTrial(h.Plan.Configs[0], v, 1+i/3, 1e6+float64(i))
		trials = append(trials, tr)
		if err := l.Append(tr); err != nil {
			t.Fatal(err)
		}
	}
	l.Close()
	return path, h, trials
}

func TestResumeLog(t *testing.T) {
	path, h, trials := writeLog(t, 5)
	l, got, err := ResumeLog(path, h)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, trials) || len(l.Warnings()) != 0 {
		t.Fatalf("resumed trials %d, warnings %v", len(got), l.Warnings())
	}
	extra := fixtureTrial(h.Plan.Configs[1], "atomic", 1, 5e3)
	if err := l.Append(extra); err != nil {
		t.Fatal(err)
	}
	l.Close()
	f, _ := os.Open(path)
	defer f.Close()
	_, all, _, err := ReadTrials(f, path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(all, append(trials, extra)) {
		t.Errorf("after resume and append: %d trials", len(all))
	}
}

func TestResumeLogTornLine(t *testing.T) {
	for _, tail := range []string{
		`{"kind":"trial","config":"randread/bs=4k/q`, // cut mid-record
		"{\"kind\":\"tri\x00\x00\x00\x00\n",          // zeros a crash left behind
		"\x00\x00\x00\x00",
	} {
		path, h, trials := writeLog(t, 4)
		f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
		f.WriteString(tail)
		f.Close()
		l, got, err := ResumeLog(path, h)
		if err != nil {
			t.Fatalf("tail %q: %v", tail, err)
		}
		if !reflect.DeepEqual(got, trials) {
			t.Errorf("tail %q: %d trials, want %d", tail, len(got), len(trials))
		}
		if w := l.Warnings(); len(w) != 1 || !strings.Contains(w[0], "trials.jsonl:6: torn last line dropped") {
			t.Errorf("tail %q: warnings %q", tail, w)
		}
		next := fixtureTrial(h.Plan.Configs[0], "helper", 2, 1)
		if err := l.Append(next); err != nil {
			t.Fatal(err)
		}
		l.Close()
		b, _ := os.ReadFile(path)
		_, all, warns, err := ReadTrials(strings.NewReader(string(b)), "x")
		if err != nil || len(warns) != 0 || len(all) != len(trials)+1 {
			t.Errorf("tail %q: after repair: %d trials, %v, %v", tail, len(all), warns, err)
		}
	}
}

func TestResumeLogMissingNewline(t *testing.T) {
	path, h, trials := writeLog(t, 2)
	b, _ := os.ReadFile(path)
	os.WriteFile(path, b[:len(b)-1], 0o644)
	l, got, err := ResumeLog(path, h)
	if err != nil || len(got) != len(trials) {
		t.Fatalf("%d trials, %v", len(got), err)
	}
	l.Append(fixtureTrial(h.Plan.Configs[0], "lto", 1, 1))
	l.Close()
	b, _ = os.ReadFile(path)
	if _, all, _, err := ReadTrials(strings.NewReader(string(b)), "x"); err != nil || len(all) != 3 {
		t.Errorf("after append: %d trials, %v", len(all), err)
	}
}

func TestResumeLogTornHeader(t *testing.T) {
	for _, content := range []string{`{"kind":"header","sch`, ""} {
		resumeTornHeader(t, content)
	}
}

func resumeTornHeader(t *testing.T, content string) {
	path := filepath.Join(t.TempDir(), "trials.jsonl")
	os.WriteFile(path, []byte(content), 0o644)
	h := *fixtureHeader()
	l, got, err := ResumeLog(path, h)
	if err != nil || len(got) != 0 {
		t.Fatalf("%v, %v", got, err)
	}
	l.Close()
	b, _ := os.ReadFile(path)
	rh, _, _, err := ReadTrials(strings.NewReader(string(b)), "x")
	if err != nil || rh == nil || rh.PlanHash != h.PlanHash {
		t.Errorf("header after repair: %+v, %v", rh, err)
	}
}

func TestResumeLogErrors(t *testing.T) {
	path, h, _ := writeLog(t, 3)
	other := h
	other.Plan.Rounds = 10
	if _, _, err := ResumeLog(path, other); err == nil || !strings.Contains(err.Error(), "written by a different plan (rounds differs") {
		t.Errorf("different plan: %v", err)
	}
	shard := h
	shard.Plan.Shard = "2/2"
	if _, _, err := ResumeLog(path, shard); err == nil || !strings.Contains(err.Error(), `written by shard "", this run is shard "2/2"`) {
		t.Errorf("different shard: %v", err)
	}
	if _, _, err := ResumeLog(filepath.Join(t.TempDir(), "none"), h); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}

	b, _ := os.ReadFile(path)
	lines := strings.SplitAfter(string(b), "\n")
	corrupt := strings.Join(lines[:2], "") + "garbage\n" + strings.Join(lines[2:], "")
	os.WriteFile(path, []byte(corrupt), 0o644)
	if _, _, err := ResumeLog(path, h); err == nil || !strings.HasSuffix(err.Error(), "trials.jsonl:3: invalid JSON at byte 1: invalid character 'g' looking for beginning of value") {
		t.Errorf("corrupt middle line: %v", err)
	}

	stranger := strings.Replace(string(b), `"variant":"helper"`, `"variant":"zz"`, 1)
	os.WriteFile(path, []byte(stranger), 0o644)
	if _, _, err := ResumeLog(path, h); err == nil || !strings.Contains(err.Error(), `trials.jsonl:3: trial of variant "zz", which the header's plan does not have`) {
		t.Errorf("foreign variant: %v", err)
	}

	edited := strings.Replace(string(b), `"rounds":40`, `"rounds":41`, 1)
	os.WriteFile(path, []byte(edited), 0o644)
	if _, _, err := ResumeLog(path, h); err == nil || !strings.Contains(err.Error(), "does not match its plan") {
		t.Errorf("edited header: %v", err)
	}

	dup := string(b) + lines[1]
	os.WriteFile(path, []byte(dup), 0o644)
	if _, _, err := ResumeLog(path, h); err == nil || !strings.Contains(err.Error(), "trials.jsonl:5: trial randread/bs=4k/qd=1/jobs=1 / atomic / round 1 repeats line 2") {
		t.Errorf("duplicate trial: %v", err)
	}
}

func TestAppendRejectsAndSanitizes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trials.jsonl")
	l, err := CreateLog(path, *fixtureHeader())
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	c0 := fixtureHeader().Plan.Configs[0]
	good := fixtureTrial(c0, "atomic", 1, 100)
	for _, c := range []struct {
		mod  func(*Trial)
		want string
	}{
		{func(t *Trial) { t.IOPS = math.NaN() }, "trial " + c0 + " / atomic / round 1: iops NaN: want a finite number ≥ 0"},
		{func(t *Trial) { t.IOPS = math.Inf(1) }, "iops +Inf"},
		{func(t *Trial) { t.Config = "" }, "trial: empty config"},
		{func(t *Trial) { t.Variant = "" }, "trial " + c0 + ": empty variant"},
		{func(t *Trial) { t.Round = 0 }, "trial " + c0 + " / atomic: round 0: want 1 or more"},
		{func(t *Trial) { t.Config = "randread/bs=8k/qd=1/jobs=1" }, "trial randread/bs=8k/qd=1/jobs=1 / atomic is not in the plan"},
		{func(t *Trial) { t.Variant = "aa" }, "trial " + c0 + " / aa is not in the plan"},
	} {
		tr := good
		c.mod(&tr)
		if err := l.Append(tr); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Append: %v, want %q", err, c.want)
		}
	}
	tr := good
	tr.LatMeanNs, tr.MBps = math.NaN(), math.Inf(-1)
	if err := l.Append(tr); err != nil {
		t.Fatalf("a NaN latency lost the trial: %v", err)
	}
	b, _ := os.ReadFile(path)
	_, got, _, err := ReadTrials(strings.NewReader(string(b)), "x")
	if err != nil || len(got) != 1 || got[0].LatMeanNs != 0 || got[0].MBps != 0 || got[0].IOPS != 100 {
		t.Errorf("read back %+v, %v", got, err)
	}
}

func TestPlanValidate(t *testing.T) {
	cases := []struct {
		mod  func(*Plan)
		want string
	}{
		{func(p *Plan) { p.Configs = nil }, "plan: no configs"},
		{func(p *Plan) { p.Configs = []string{"a", "a"} }, "plan: config a given twice"},
		{func(p *Plan) { p.Configs = []string{""} }, "plan: empty config name"},
		{func(p *Plan) { p.Variants = nil }, "plan: no variants"},
		{func(p *Plan) { p.Variants = []Variant{{"a", "atomic"}, {"a", "helper"}} }, `plan: variant label "a" given twice`},
		{func(p *Plan) { p.Variants = []Variant{{"a", ""}} }, `plan: variant "a"="": label and backend must not be empty`},
		{func(p *Plan) { p.Baseline = "x" }, `plan: baseline "x" is not one of the variants`},
		{func(p *Plan) { p.Rounds = 0 }, "plan: rounds 0: want 1 or more"},
		{func(p *Plan) { p.Warmup = -1 }, "plan: warmup -1: want 0 or more"},
		{func(p *Plan) { p.Duration = -1 }, "plan: duration -1ns: want 0 or more"},
		{func(p *Plan) { p.Shard = "3/2" }, `plan: shard "3/2": want i/n with 1 ≤ i ≤ n`},
		{func(p *Plan) { p.Shard = "1" }, `plan: shard "1": want i/n with 1 ≤ i ≤ n`},
	}
	for _, c := range cases {
		p := fixtureHeader().Plan
		c.mod(&p)
		if err := p.Validate(); err == nil || err.Error() != c.want {
			t.Errorf("Validate: %v, want %q", err, c.want)
		}
	}
	p := fixtureHeader().Plan
	p.Shard = "2/2"
	if err := p.Validate(); err != nil {
		t.Error(err)
	}
	h := *fixtureHeader()
	h.Plan.Rounds = 0
	if _, err := CreateLog(filepath.Join(t.TempDir(), "t.jsonl"), h); err == nil {
		t.Error("CreateLog with an invalid plan: no error")
	}
}

func TestLogLocked(t *testing.T) {
	path, h, _ := writeLog(t, 2)
	l, _, err := ResumeLog(path, h)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := ResumeLog(path, h); err == nil || !strings.HasSuffix(err.Error(), "trials.jsonl: in use by another run") {
		t.Errorf("second resume while the first is open: %v", err)
	}
	l.Close()
	l2, _, err := ResumeLog(path, h)
	if err != nil {
		t.Fatalf("resume after close: %v", err)
	}
	l2.Close()
}
