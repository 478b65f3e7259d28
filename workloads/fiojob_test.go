package workloads

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseFioJobFileSeedMatrix(t *testing.T) {
	const path = "testdata/fiojob/seed-matrix.fio"
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	jobs, err := ParseFioJobFile(f, path)
	if err != nil {
		t.Fatal(err)
	}
	common := map[string]string{
		"ioengine": "io_uring", "direct": "1", "time_based": "", "runtime": "30",
		"ramp_time": "10", "group_reporting": "", "filename": "/dev/nullb0",
	}
	with := func(extra map[string]string) map[string]string {
		m := map[string]string{}
		for k, v := range common {
			m[k] = v
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	order := []string{"ioengine", "direct", "time_based", "runtime", "ramp_time", "group_reporting", "filename"}
	want := []FioJobSpec{
		{Name: "randread-qd1", RW: "randread", BS: 4096, IODepth: 1, NumJobs: 1, Options: with(nil), OptionOrder: order},
		// Aliases readwrite and blocksize; the job's bs overrides [global].
		{Name: "randwrite-1m-qd32", RW: "randwrite", BS: 1 << 20, IODepth: 32, NumJobs: 6, Options: with(map[string]string{"stonewall": ""}), OptionOrder: append(order[:len(order):len(order)], "stonewall")},
		// The second [global] adds iodepth=128 for the jobs after it.
		{Name: "randread-qd128-jobs2", RW: "randread", BS: 4096, IODepth: 128, NumJobs: 2, Options: with(map[string]string{"stonewall": ""}), OptionOrder: append(order[:len(order):len(order)], "stonewall")},
	}
	if !reflect.DeepEqual(jobs, want) {
		t.Errorf("got\n%+v\nwant\n%+v", jobs, want)
	}
	// The order fio itself uses (fio --showcmd prints it): ioengine first.
	wantArgs := []string{"--ioengine=io_uring", "--direct=1", "--time_based", "--runtime=30", "--ramp_time=10", "--group_reporting", "--filename=/dev/nullb0", "--stonewall"}
	if got := jobs[1].Args(); !reflect.DeepEqual(got, wantArgs) {
		t.Errorf("Args() = %q, want %q", got, wantArgs)
	}
}

// TestFioJobFixturesAreValidFio lets the real fio parse every fixture the
// parser accepts, so the tests are not about an ini dialect fio rejects.
func TestFioJobFixturesAreValidFio(t *testing.T) {
	fio, err := exec.LookPath("fio")
	if err != nil {
		t.Skip("fio not on PATH: install it (Debian: apt-get install fio) to check the fixtures with fio")
	}
	files, _ := filepath.Glob("testdata/fiojob/*.fio")
	if len(files) == 0 {
		t.Fatal("no fixtures")
	}
	for _, file := range files {
		out, err := exec.Command(fio, "--parse-only", file).CombinedOutput()
		if err != nil {
			t.Errorf("fio --parse-only %s: %v\n%s", file, err, out)
		}
	}
}

func TestParseFioJobFileNameOption(t *testing.T) {
	jobs, err := ParseFioJobFile(strings.NewReader("[sec]\nname=rnull-4k\nrw=randread\n"), "x.fio")
	if err != nil {
		t.Fatal(err)
	}
	if jobs[0].Name != "rnull-4k" || len(jobs[0].Args()) != 0 {
		t.Errorf("name %q args %q, want rnull-4k and no --name argument (it would start a second fio job)", jobs[0].Name, jobs[0].Args())
	}
}

func TestParseFioJobFileDefaults(t *testing.T) {
	jobs, err := ParseFioJobFile(strings.NewReader("[only]\nioengine=null\n"), "x.fio")
	if err != nil {
		t.Fatal(err)
	}
	want := []FioJobSpec{{Name: "only", RW: "read", BS: 4096, IODepth: 1, NumJobs: 1, Options: map[string]string{"ioengine": "null"}, OptionOrder: []string{"ioengine"}}}
	if !reflect.DeepEqual(jobs, want) {
		t.Errorf("got %+v, want %+v", jobs, want)
	}
}

func TestParseFioJobFileErrors(t *testing.T) {
	for _, tc := range []struct{ input, want string }{
		{"[j]\nbs=4q\n", `x.fio:j: option "bs": "4q" is not a size`},
		{"[j]\nbs=4k-16k\n", `x.fio:j: option "bs": "4k-16k" is not a size (ranges and lists are not supported)`},
		{"[j]\nbs=4k,8k\n", `x.fio:j: option "bs": "4k,8k" is not a size`},
		{"[global]\nbs=0\n[j]\n", `x.fio:j: option "bs": "0" is not a size`},
		{"[j]\nbs=4g\n", `is not a size between 1 and 2g`},
		{"[j]\nbsrange=4k-8k\n", `x.fio:j: option "bsrange": block size ranges are not supported`},
		{"[j]\nrw=randread:8\n", `x.fio:j: option "rw": "randread:8" is not an rw pattern`},
		{"[j]\nrw=sideways\n", `"sideways" is not an rw pattern`},
		{"[j]\niodepth=-1\n", `x.fio:j: option "iodepth": "-1" is not a positive integer`},
		{"[j]\nnumjobs=many\n", `x.fio:j: option "numjobs": "many" is not a positive integer`},
		{"bs=4k\n[j]\n", `x.fio: option "bs" is outside a section`},
		{"[global]\nbs=4k\n", `x.fio: no job sections`},
		{"", `x.fio: no job sections`},
		{"[j]\ninclude other.fio\n", `include directives are not supported`},
		{"[j]\ntime based\n", `x.fio:j: option "time based": not an option name`},
		{"[j\nbs=4k\n", `x.fio: `},
	} {
		_, err := ParseFioJobFile(strings.NewReader(tc.input), "x.fio")
		if err == nil {
			t.Errorf("%q: no error, want %q", tc.input, tc.want)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%q: error %q, want one line containing %q", tc.input, err, tc.want)
		}
	}
}

func TestParseFioSize(t *testing.T) {
	for in, want := range map[string]int{"512": 512, "4k": 4096, "4K": 4096, "4KiB": 4096, "4kb": 4096, "1m": 1 << 20, "16m": 16 << 20, " 2g ": 0, "1g": 1 << 30} {
		got, err := ParseFioSize(in)
		if want == 0 {
			if err == nil {
				t.Errorf("ParseFioSize(%q) = %d, want an error", in, got)
			}
			continue
		}
		if err != nil || got != want {
			t.Errorf("ParseFioSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
}

func FuzzParseFioJobFile(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/fiojob/*.fio")
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("[global]\nbs=4k\n[a]\nrw=randrw\ntime_based\n[global]\niodepth=8\n[b]\nnumjobs=3\n"))
	f.Add([]byte("[a.b]\nbs = 1m\n; c\n# d\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		jobs, err := ParseFioJobFile(bytes.NewReader(data), "f.fio")
		if err != nil {
			if strings.Contains(err.Error(), "\n") || !strings.HasPrefix(err.Error(), "f.fio") {
				t.Fatalf("error is not one line naming the file: %q", err)
			}
			return
		}
		if len(jobs) == 0 {
			t.Fatal("no error and no jobs")
		}
		for _, j := range jobs {
			if !fioRWPatterns[j.RW] || j.BS <= 0 || j.IODepth <= 0 || j.NumJobs <= 0 || j.Options == nil {
				t.Fatalf("accepted a job that cannot run: %+v", j)
			}
			if len(j.OptionOrder) != len(j.Options) || len(j.Args()) != len(j.Options) {
				t.Fatalf("OptionOrder %q does not list Options %v once each", j.OptionOrder, j.Options)
			}
			for _, k := range []string{"rw", "bs", "iodepth", "numjobs", "readwrite", "blocksize", "name"} {
				if _, ok := j.Options[k]; ok {
					t.Fatalf("dimension %q left in Options: %+v", k, j)
				}
			}
		}
	})
}

func BenchmarkParseFioJobFile(b *testing.B) {
	data, err := os.ReadFile("testdata/fiojob/seed-matrix.fio")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseFioJobFile(bytes.NewReader(data), "x.fio"); err != nil {
			b.Fatal(err)
		}
	}
}
