package workloads_test

import (
	"fmt"
	"strings"

	"github.com/rnullbench/rnullbench/workloads"
)

func ExampleParseFioJobFile() {
	const jobFile = `
[global]
ioengine=null
size=1g
time_based
runtime=10

[qd1]
rw=randread
bs=4k

[qd32]
rw=randwrite
bs=1m
iodepth=32
numjobs=6
`
	jobs, err := workloads.ParseFioJobFile(strings.NewReader(jobFile), "matrix.fio")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, j := range jobs {
		fmt.Println(j.Name, j.RW, j.BS, j.IODepth, j.NumJobs, len(j.Options), j.Options["time_based"] == "")
	}

	_, err = workloads.ParseFioJobFile(strings.NewReader("[x]\nbs=4q\n"), "bad.fio")
	fmt.Println(err)
	// Output:
	// qd1 randread 4096 1 1 4 true
	// qd32 randwrite 1048576 32 6 4 true
	// bad.fio:x: option "bs": "4q" is not a size
}
