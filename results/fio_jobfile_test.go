package results_test

import (
	"context"
	"os"
	"os/exec"
	"testing"

	"github.com/rnullbench/rnullbench/results"
	"github.com/rnullbench/rnullbench/workloads"
)

// TestFioJobFileEndToEnd drives real fio from a job file: each job
// section is one matrix point, each variant an option set, and every
// trial must come back under the job's config.
func TestFioJobFileEndToEnd(t *testing.T) {
	fio, err := exec.LookPath("fio")
	if err != nil {
		t.Skip("fio not on PATH: install it (Debian: apt-get install fio) to run the real-fio tests")
	}
	const path = "../workloads/testdata/fiojob/null-compare.fio"
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	specs, err := workloads.ParseFioJobFile(f, path)
	if err != nil {
		t.Fatal(err)
	}
	variants := map[string][]string{"plain": nil, "verify-off": {"--verify=0"}}
	wantConfigs := []string{"randread/bs=4k/qd=1/jobs=1", "randwrite/bs=64k/qd=8/jobs=2"}
	if len(specs) != len(wantConfigs) {
		t.Fatalf("%d jobs in %s, want %d", len(specs), path, len(wantConfigs))
	}
	for i, s := range specs {
		for label, extra := range variants {
			job := results.FioJob{Name: s.Name, RW: s.RW, BS: s.BS, IODepth: s.IODepth, NumJobs: s.NumJobs}
			tr, err := results.RunFio(context.Background(), fio, job, append(s.Args(), extra...))
			if err != nil {
				t.Fatalf("job %s, variant %s: %v", s.Name, label, err)
			}
			if tr.Config != wantConfigs[i] || !(tr.IOPS > 0) || tr.Requests == 0 {
				t.Errorf("job %s, variant %s: config %q iops %v requests %d, want config %q and I/O", s.Name, label, tr.Config, tr.IOPS, tr.Requests, wantConfigs[i])
			}
			// time_based and runtime=250ms from the job file must have
			// reached fio: without them the null engine is through its
			// 64 MiB in a few milliseconds. (A behaviour check, not a
			// speed assertion: fio's own runtime is what is compared.)
			if tr.DurationNs < 240e6 {
				t.Errorf("job %s, variant %s: fio ran %d ns, want the job file's 250 ms", s.Name, label, tr.DurationNs)
			}
		}
	}
}
