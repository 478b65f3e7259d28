package workloads_test

import (
	"fmt"

	"github.com/rnullbench/rnullbench/workloads"
)

// A matrix from flag values: the cross product of the lists, named so
// that only what differs from the seed's device shows.
func ExampleCross() {
	bs, _ := workloads.ParseSizes("--bs", "4k,1m")
	irq, _ := workloads.ParseIRQModes("--irqmode", "none,softirq")
	m, err := workloads.Cross(workloads.Lists{RW: []string{"randread"}, BS: bs, IRQMode: irq}, workloads.DefaultDevice())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, name := range m.Names() {
		fmt.Println(name)
	}
	_, err = workloads.ParseSizes("--bs", "4q")
	fmt.Println(err)
	// Output:
	// randread/bs=4k/qd=1/jobs=1
	// randread/bs=4k/qd=1/jobs=1/irq=softirq
	// randread/bs=1m/qd=1/jobs=1
	// randread/bs=1m/qd=1/jobs=1/irq=softirq
	// --bs: "4q": not a size
}

// The default preset and why each point is in it (see quickPreset).
func ExamplePreset() {
	m, _ := workloads.Preset("quick")
	for _, name := range m.Names() {
		fmt.Println(name)
	}
	// Output:
	// randread/bs=4k/qd=1/jobs=1
	// randread/bs=4k/qd=1/jobs=1/mem=0
	// randwrite/bs=4k/qd=1/jobs=1/size=64m
	// randread/bs=4k/qd=32/jobs=1
	// randread/bs=4k/qd=1/jobs=2/sq=2
	// randread/bs=4k/qd=1/jobs=1/irq=softirq
	// randread/bs=1m/qd=1/jobs=1
}

func ExampleParseName() {
	w, err := workloads.ParseName("randwrite/bs=256k/qd=8/jobs=2/mem=0")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(w.RW, w.BS, w.IODepth, w.NumJobs, w.Device.MemoryBacked, w.Device.SubmitQueues)
	// Output: randwrite 262144 8 2 false 1
}
