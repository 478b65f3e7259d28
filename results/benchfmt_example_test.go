package results_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/rnullbench/rnullbench/results"
)

// Two trials of one configuration, written for the benchstat command.
func ExampleWriteBenchfmt() {
	trials := []results.Trial{
		{Config: "randread/bs=4k/qd=1/jobs=1", Variant: "atomic", Backend: "atomic", Round: 1, Requests: 500000, IOPS: 500000},
		{Config: "randread/bs=4k/qd=1/jobs=1", Variant: "rust-helper", Backend: "helper", Round: 1, Requests: 400000, IOPS: 400000},
	}
	h := &results.Header{Env: results.Env{GoVersion: "go1.26.8", GOMAXPROCS: 2, CPUModel: "Example CPU"}}
	if err := results.WriteBenchfmt(os.Stdout, h, trials); err != nil {
		fmt.Println(err)
	}
	// Output:
	// Unit iops better=higher
	// Unit iops assume=nothing
	// Unit p99-ns better=lower
	// Unit p99-ns assume=nothing
	// cpu: Example CPU
	// go: go1.26.8
	//
	// BenchmarkNullblk/rw=randread/bs=4k/qd=1/jobs=1/backend=atomic-2 500000 500000 iops 2000 ns/op
	// BenchmarkNullblk/rw=randread/bs=4k/qd=1/jobs=1/backend=helper/variant=rust-helper-2 400000 400000 iops 2500 ns/op
}

// One fio result file per trial; the path names the variant and round.
func ExampleReadFio() {
	f, err := os.Open("testdata/fio/group.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	trials, err := results.ReadFio(f, "runs/nullb0/3.json", results.FioOptions{PathPattern: "{variant}/{round}.json"})
	if err != nil {
		fmt.Println(err)
		return
	}
	t := trials[0]
	fmt.Println(t.Config, t.Variant, t.Round, t.IOPS > 0)

	_, err = results.ReadFio(strings.NewReader("{\n \"jobs\": [ }"), "bad.json", results.FioOptions{})
	fmt.Println(err)
	// Output:
	// randread/bs=4k/qd=1/jobs=2 nullb0 3 true
	// bad.json:2:12: invalid character '}' looking for beginning of value
}
