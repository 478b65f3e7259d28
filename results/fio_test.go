package results

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func readFioFixture(t *testing.T, name string, opt FioOptions) []Trial {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata/fio", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	trials, err := ReadFio(f, name, opt)
	if err != nil {
		t.Fatalf("ReadFio(%s): %v", name, err)
	}
	return trials
}

// fioGeneric decodes a fixture independently of ReadFio, for expected
// values.
func fioGeneric(t *testing.T, name string) map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata/fio", name))
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(data[bytes.IndexByte(data, '{'):], &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func fioNum(m map[string]any, keys ...string) float64 {
	var v any = m
	for _, k := range keys {
		v = v.(map[string]any)[k]
	}
	return v.(float64)
}

func fioJobs(m map[string]any) []map[string]any {
	var out []map[string]any
	for _, j := range m["jobs"].([]any) {
		out = append(out, j.(map[string]any))
	}
	return out
}

func TestReadFioGroupReporting(t *testing.T) {
	trials := readFioFixture(t, "group.json", FioOptions{})
	if len(trials) != 1 {
		t.Fatalf("%d trials, want 1", len(trials))
	}
	tr := trials[0]
	job := fioJobs(fioGeneric(t, "group.json"))[0]
	if want := fioNum(job, "read", "iops"); tr.IOPS != want {
		t.Errorf("iops = %v, want the aggregated entry's %v", tr.IOPS, want)
	}
	if want := fioNum(job, "read", "clat_ns", "percentile", "99.000000"); tr.LatP99Ns != want {
		t.Errorf("p99 = %v, want %v", tr.LatP99Ns, want)
	}
	if want := fioNum(job, "read", "clat_ns", "mean"); tr.LatMeanNs != want {
		t.Errorf("mean latency = %v, want %v", tr.LatMeanNs, want)
	}
	if want := uint64(fioNum(job, "read", "total_ios")); tr.Requests != want {
		t.Errorf("requests = %v, want %v", tr.Requests, want)
	}
	if tr.Config != "randread/bs=4k/qd=1/jobs=2" || tr.Variant != "fio" || tr.Backend != "fio" || tr.Round != 1 {
		t.Errorf("config %q variant %q backend %q round %d, want randread/bs=4k/qd=1/jobs=2, fio, fio, 1", tr.Config, tr.Variant, tr.Backend, tr.Round)
	}
	if tr.RW != "randread" || tr.BS != 4096 || tr.IODepth != 1 || tr.NumJobs != 2 {
		t.Errorf("dimensions %q %d %d %d", tr.RW, tr.BS, tr.IODepth, tr.NumJobs)
	}
	if tr.DurationNs != int64(fioNum(job, "read", "runtime"))*1e6 || tr.Start.IsZero() {
		t.Errorf("duration %d start %v", tr.DurationNs, tr.Start)
	}
}

// Without group_reporting fio writes one entry per job clone: the trial
// is their sum, and json+ bins give exact percentiles of the union.
func TestReadFioPlusJobsPreamble(t *testing.T) {
	const name = "plus-jobs-preamble.json"
	trials := readFioFixture(t, name, FioOptions{Variant: "sync"})
	if len(trials) != 1 {
		t.Fatalf("%d trials, want 1", len(trials))
	}
	tr := trials[0]
	jobs := fioJobs(fioGeneric(t, name))
	if len(jobs) != 2 {
		t.Fatalf("fixture has %d jobs, want 2", len(jobs))
	}
	var iops, n, latSum float64
	for _, j := range jobs {
		iops += fioNum(j, "write", "iops")
		n += fioNum(j, "write", "clat_ns", "N")
		latSum += fioNum(j, "write", "clat_ns", "N") * fioNum(j, "write", "clat_ns", "mean")
	}
	if tr.IOPS != iops {
		t.Errorf("iops = %v, want the sum %v", tr.IOPS, iops)
	}
	if tr.LatSamples != uint64(n) || tr.LatMeanNs != latSum/n {
		t.Errorf("latency samples %d mean %v, want %v %v", tr.LatSamples, tr.LatMeanNs, n, latSum/n)
	}
	if tr.Variant != "sync" || tr.Config != "randwrite/bs=8k/qd=4/jobs=2" {
		t.Errorf("variant %q config %q", tr.Variant, tr.Config)
	}
	lo := fioNum(jobs[0], "write", "clat_ns", "percentile", "99.000000")
	hi := fioNum(jobs[1], "write", "clat_ns", "percentile", "99.000000")
	if lo > hi {
		lo, hi = hi, lo
	}
	if tr.LatP99Ns < lo || tr.LatP99Ns > hi {
		t.Errorf("p99 of the union %v is outside the jobs' p99s [%v, %v]", tr.LatP99Ns, lo, hi)
	}

	// Our percentile from one job's bins must be fio's own.
	for _, j := range jobs {
		bins := map[float64]float64{}
		for k, c := range j["write"].(map[string]any)["clat_ns"].(map[string]any)["bins"].(map[string]any) {
			var v float64
			if err := json.Unmarshal([]byte(k), &v); err != nil {
				t.Fatal(err)
			}
			bins[v] = c.(float64)
		}
		pcts := []string{"50.000000", "90.000000", "99.000000", "99.900000"}
		got := fioBinPercentiles(bins, []float64{50, 90, 99, 99.9})
		for i, p := range pcts {
			if want := fioNum(j, "write", "clat_ns", "percentile", p); got[i] != want {
				t.Errorf("percentile %s from bins = %v, fio says %v", p, got[i], want)
			}
		}
	}
}

func TestReadFioJobFileMixed(t *testing.T) {
	const name = "jobfile-randrw.json"
	trials := readFioFixture(t, name, FioOptions{})
	if len(trials) != 1 {
		t.Fatalf("%d trials, want 1", len(trials))
	}
	tr := trials[0]
	job := fioJobs(fioGeneric(t, name))[0]
	if want := fioNum(job, "read", "iops") + fioNum(job, "write", "iops"); tr.IOPS != want {
		t.Errorf("iops = %v, want read+write %v", tr.IOPS, want)
	}
	// bs and iodepth come from [global], rw and numjobs from the job.
	if tr.Config != "randrw/bs=16k/qd=8/jobs=3" {
		t.Errorf("config %q, want randrw/bs=16k/qd=8/jobs=3", tr.Config)
	}
	// Two sections and no bins: percentiles are unknown, not invented.
	if tr.LatP99Ns != 0 || tr.LatMeanNs == 0 {
		t.Errorf("p99 %v mean %v, want p99 0 and a mean", tr.LatP99Ns, tr.LatMeanNs)
	}
}

func TestReadFioPathPattern(t *testing.T) {
	data, err := os.ReadFile("testdata/fio/group.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		pattern, name           string
		variant, config, errSub string
		round                   int
	}{
		{"{variant}/{config}/{round}.json", "runs/rnullb0/randread-4k/7.json", "rnullb0", "randread-4k", "", 7},
		{"{variant}/{config}/{round}.json", `C:\runs\nullb0\qd32\3.json`, "nullb0", "qd32", "", 3},
		{"{variant}/{config}/{round}.json", "nullb0/3.json", "", "", `does not match path pattern`, 0},
		{"{variant}-r{round}.json", "c_null-r12.json", "c_null", "randread/bs=4k/qd=1/jobs=2", "", 12},
		{"*/{variant}.json", "a/b/lto.json", "lto", "randread/bs=4k/qd=1/jobs=2", "", 1},
		{"{variant}/{round}.json", "nullb0/first.json", "", "", `does not match path pattern`, 0},
		{"{variant}/{variant}.json", "a/b.json", "", "", `appears twice`, 0},
		{"{variant}/{round}.json", "a/0.json", "", "", `not a positive integer`, 0},
	} {
		trials, err := ReadFio(bytes.NewReader(data), tc.name, FioOptions{PathPattern: tc.pattern, Variant: "ignored"})
		if tc.errSub != "" {
			if err == nil || !strings.Contains(err.Error(), tc.errSub) {
				t.Errorf("%s ~ %s: err %v, want %q", tc.name, tc.pattern, err, tc.errSub)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s ~ %s: %v", tc.name, tc.pattern, err)
			continue
		}
		tr := trials[0]
		if tr.Variant != tc.variant || tr.Config != tc.config || tr.Round != tc.round {
			t.Errorf("%s ~ %s: variant %q config %q round %d, want %q %q %d", tc.name, tc.pattern, tr.Variant, tr.Config, tr.Round, tc.variant, tc.config, tc.round)
		}
	}
}

func TestReadFioErrors(t *testing.T) {
	good, err := os.ReadFile("testdata/fio/group.json")
	if err != nil {
		t.Fatal(err)
	}
	s := string(good)
	for _, tc := range []struct {
		name, input, want string
	}{
		{"empty", "", "empty: no JSON object found"},
		{"preamble-only", "fio: engine null not loadable\n", "preamble-only: no JSON object found"},
		{"cut", s[:len(s)/2], "cut:"},
		{"syntax", "note: x\n{\n  \"jobs\" : [ }\n", "syntax:3:"},
		{"type", "{\n\"jobs\": [{\"jobname\": \"x\",\n \"read\": {\"iops\": \"fast\"}}]}", `type:3:`},
		{"typefield", `{"jobs": [{"jobname": "x", "read": {"iops": "fast"}}]}`, `field "jobs.read.iops": string is not a float64`},
		{"nojobs", `{"jobs": []}`, "nojobs: no jobs"},
		{"joberror", `{"jobs": [{"jobname": "x", "error": 5}]}`, `joberror: jobs[0] "x": fio reported error 5`},
		{"zero", `{"jobs": [{"jobname": "x", "read": {"iops": 0}}]}`, `zero: jobs[0] "x": no I/O measured`},
		{"negative", `{"jobs": [{"jobname": "x", "read": {"iops": -1}}]}`, `field "read.iops"`},
		{"badbs", `{"jobs": [{"jobname": "x", "job options": {"bs": "4q"}, "read": {"iops": 1}}]}`, `option "bs": "4q" is not a size`},
		{"rangebs", `{"jobs": [{"jobname": "x", "job options": {"bs": "4k-8k"}, "read": {"iops": 1}}]}`, `ranges`},
		{"badqd", `{"jobs": [{"jobname": "x", "job options": {"iodepth": "0"}, "read": {"iops": 1}}]}`, `option "iodepth": "0" is not a positive integer`},
		{"badbin", `{"jobs": [{"jobname": "x", "read": {"iops": 1, "clat_ns": {"N": 1, "bins": {"x": 1}}}}]}`, `bin "x"`},
	} {
		_, err := ReadFio(strings.NewReader(tc.input), tc.name, FioOptions{})
		if err == nil {
			t.Errorf("%s: no error, want %q", tc.name, tc.want)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %q, want one line containing %q", tc.name, err, tc.want)
		}
	}
}

func FuzzReadFio(f *testing.F) {
	// The 41 kB json+ fixture is left out and the small json+ seed below
	// covers the bins: minimizing big inputs stalls the fuzzer, so fuzz
	// with -fuzzminimizetime=2s.
	for _, name := range []string{"group.json", "jobfile-randrw.json"} {
		data, err := os.ReadFile(filepath.Join("testdata/fio", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("note: both iodepth >= 1 and synchronous I/O engine are selected\n{\"jobs\": [{\"jobname\": \"x\", \"job options\": {\"rw\": \"randwrite\", \"bs\": \"8k\"}, \"write\": {\"iops\": 1, \"clat_ns\": {\"mean\": 5, \"N\": 3, \"percentile\": {\"99.000000\": 7}, \"bins\": {\"5\": 1, \"7\": 2}}}}]}"))
	f.Add([]byte("note\n{\"jobs\": [{\"jobname\": \"a\", \"job options\": {\"bs\": \"1m,4k\"}, \"write\": {\"iops\": 3}}, {\"jobname\": \"b\", \"read\": {\"iops\": 2}}]}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		trials, err := ReadFio(bytes.NewReader(data), "fuzz/7.json", FioOptions{PathPattern: "{round}.json"})
		if err != nil {
			if strings.Contains(err.Error(), "\n") || !strings.HasPrefix(err.Error(), "fuzz/7.json") {
				t.Fatalf("error is not one positioned line: %q", err)
			}
			return
		}
		if len(trials) == 0 {
			t.Fatal("no error and no trials")
		}
		for _, tr := range trials {
			if !(tr.IOPS > 0) || tr.BS <= 0 || tr.IODepth <= 0 || tr.NumJobs <= 0 || tr.Config == "" || tr.Variant == "" {
				t.Fatalf("accepted a trial that cannot be analysed: %+v", tr)
			}
			if tr.Round != 7 {
				t.Fatalf("round %d, want 7 from the path pattern", tr.Round)
			}
		}
	})
}

func TestFioArgs(t *testing.T) {
	got := FioArgs(FioJob{RW: "randread", BS: 4096, IODepth: 32, NumJobs: 6, Runtime: 1500 * time.Millisecond},
		[]string{"ioengine=null", "--size=64m", "-v"})
	want := []string{"--name=rnullbench", "--rw=randread", "--bs=4096", "--iodepth=32", "--numjobs=6",
		"--group_reporting", "--output-format=json", "--time_based", "--runtime=1500ms",
		"--ioengine=null", "--size=64m", "-v"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("FioArgs =\n%q\nwant\n%q", got, want)
	}
}

func fioLook(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("fio")
	if err != nil {
		t.Skip("fio not on PATH: install it (Debian: apt-get install fio) to run the real-fio tests")
	}
	return p
}

// TestRunFioNullEngine runs real fio processes with ioengine=null: a small
// comparison of two variants (option sets) over rounds, as --engine fio
// does, and checks every trial and the benchstat export of them.
func TestRunFioNullEngine(t *testing.T) {
	fio := fioLook(t)
	variants := []struct {
		label string
		args  []string
	}{
		{"null", []string{"ioengine=null", "size=64m"}},
		{"null-nodirect", []string{"ioengine=null", "size=64m", "--direct=0"}},
	}
	job := FioJob{RW: "randread", BS: 4096, IODepth: 4, NumJobs: 2, Runtime: 200 * time.Millisecond}
	var trials []Trial
	for round := 1; round <= 2; round++ {
		for _, v := range variants {
			tr, err := RunFio(context.Background(), fio, job, v.args)
			if err != nil {
				t.Fatalf("round %d %s: %v", round, v.label, err)
			}
			tr.Variant, tr.Backend, tr.Round = v.label, v.label, round
			if !(tr.IOPS > 0) || tr.Requests == 0 || tr.DurationNs <= 0 {
				t.Errorf("round %d %s: trial measured nothing: %+v", round, v.label, tr)
			}
			if tr.Config != "randread/bs=4k/qd=4/jobs=2" || tr.NumJobs != 2 {
				t.Errorf("config %q numjobs %d", tr.Config, tr.NumJobs)
			}
			if tr.LatP99Ns <= 0 {
				t.Errorf("no p99 latency from a single-section group_reporting job: %+v", tr)
			}
			trials = append(trials, tr)
		}
	}
	var buf bytes.Buffer
	if err := WriteBenchfmt(&buf, nil, trials); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), "\nBenchmarkNullblk/rw=randread/bs=4k/qd=4/jobs=2/backend="); n != len(trials) {
		t.Errorf("benchfmt export has %d result lines, want %d:\n%s", n, len(trials), buf.String())
	}
}

func TestRunFioFailure(t *testing.T) {
	fio := fioLook(t)
	_, err := RunFio(context.Background(), fio, FioJob{RW: "randread", BS: 4096, IODepth: 1, NumJobs: 1, Runtime: 100 * time.Millisecond},
		[]string{"ioengine=no-such-engine", "size=1m"})
	if err == nil || !strings.Contains(err.Error(), "fio: exit status") || strings.Contains(err.Error(), "\n") {
		t.Errorf("err = %v, want one line with fio's exit status and reason", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = RunFio(ctx, fio, FioJob{RW: "read", BS: 4096, IODepth: 1, NumJobs: 1, Runtime: time.Second}, []string{"ioengine=null", "size=1m"})
	if err == nil || !strings.Contains(err.Error(), "context canceled") {
		t.Errorf("cancelled: err = %v, want context canceled", err)
	}
	if _, err := RunFio(context.Background(), fio, FioJob{RW: "read"}, nil); err == nil || !strings.Contains(err.Error(), "must all be set") {
		t.Errorf("empty job: err = %v", err)
	}
}

func BenchmarkReadFioJSONPlus(b *testing.B) {
	data, err := os.ReadFile("testdata/fio/plus-jobs-preamble.json")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ReadFio(bytes.NewReader(data), "x.json", FioOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
