package workloads

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func TestNameExamples(t *testing.T) {
	def := DefaultDevice()
	soft := def
	soft.IRQMode = IRQSoftIRQ
	odd := def
	odd.SubmitQueues = 2
	odd.MemoryBacked = false
	odd.SizeMiB = 512
	odd.BlockSize = 512
	odd.SharedTags = true
	odd.HwQueueDepth = 64
	odd.CompletionNsec = 0
	odd.IRQMode = IRQTimer
	cases := []struct {
		w    Workload
		want string
	}{
		{Workload{RandRead, 4096, 1, 1, def}, "randread/bs=4k/qd=1/jobs=1"},
		{Workload{Write, 16 << 20, 128, 6, def}, "write/bs=16m/qd=128/jobs=6"},
		{Workload{RandRead, 4096, 1, 1, soft}, "randread/bs=4k/qd=1/jobs=1/irq=softirq"},
		{Workload{Read, 1536, 8, 2, odd}, "read/bs=1536/qd=8/jobs=2/sq=2/hwqd=64/irq=timer/cnsec=0/mem=0/size=512m/shared=1/lbs=512"},
	}
	for _, c := range cases {
		if got := c.w.Name(); got != c.want {
			t.Errorf("Name() = %q, want %q", got, c.want)
		}
		back, err := ParseName(c.want)
		if err != nil {
			t.Errorf("ParseName(%q): %v", c.want, err)
			continue
		}
		if back != c.w {
			t.Errorf("ParseName(%q) = %+v, want %+v", c.want, back, c.w)
		}
	}
}

// randomWorkload draws a valid workload, most fields at their defaults so
// that both the "omitted" and the "spelled out" branches of Name are hit.
func randomWorkload(r *rand.Rand) Workload {
	d := DefaultDevice()
	pick := func() bool { return r.IntN(3) == 0 }
	if pick() {
		d.SubmitQueues = 1 + r.IntN(64)
	}
	if pick() {
		d.HwQueueDepth = 1 + r.IntN(4096)
	}
	if pick() {
		d.IRQMode = IRQModes[r.IntN(len(IRQModes))]
	}
	if pick() {
		d.CompletionNsec = r.Int64N(maxNsec + 1)
	}
	if pick() {
		d.MemoryBacked = r.IntN(2) == 0
	}
	if pick() {
		d.SizeMiB = 16 + r.Int64N(1<<16)
	}
	if pick() {
		d.SharedTags = r.IntN(2) == 0
	}
	if pick() {
		d.BlockSize = 512 << r.IntN(4)
	}
	bs := d.BlockSize * (1 + r.IntN(4096))
	return Workload{
		RW:      RWModes[r.IntN(len(RWModes))],
		BS:      bs,
		IODepth: 1 + r.IntN(256),
		NumJobs: 1 + r.IntN(16),
		Device:  d,
	}
}

func TestNameRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		w := randomWorkload(r)
		if err := w.Validate(); err != nil {
			t.Fatalf("generator made an invalid workload %+v: %v", w, err)
		}
		name := w.Name()
		back, err := ParseName(name)
		if err != nil {
			t.Fatalf("ParseName(%q): %v", name, err)
		}
		if back != w {
			t.Fatalf("ParseName(Name(w)) = %+v, want %+v", back, w)
		}
	}
}

func TestParseNameLenient(t *testing.T) {
	w, err := ParseName("randread/jobs=1/qd=1/bs=4096/irq=none/mem=1")
	if err != nil {
		t.Fatal(err)
	}
	if got := w.Name(); got != "randread/bs=4k/qd=1/jobs=1" {
		t.Errorf("canonical name = %q", got)
	}
}

func TestParseNameErrors(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", `rw ""`},
		{"randrw/bs=4k/qd=1/jobs=1", `rw "randrw"`},
		{"randread/bs=4k/qd=1", "missing jobs="},
		{"randread/bs=4k/qd=1/jobs=1/bs=8k", "bs given twice"},
		{"randread/bs=4q/qd=1/jobs=1", `bs: "4q": not a size`},
		{"randread/bs=4k/qd=x/jobs=1", `qd: "x"`},
		{"randread/bs=4k/qd=0/jobs=1", "iodepth: 0"},
		{"randread/bs=4k/qd=1/jobs=1/color=red", `unknown key "color"`},
		{"randread/bs=4k/qd=1/jobs=1/irq=msi", `irq: "msi"`},
		{"randread/bs=4k/qd=1/jobs=1/mem=2", `mem: "2": not a boolean`},
		{"randread/bs=1k/qd=1/jobs=1", "not a multiple of the device block size"},
		{"randread/bs=4k/qd=1/jobs=1/lbs=1000", "blocksize: 1000"},
		{"randread/bs=4k/qd=1/jobs=1/size=1k", "not a whole number of MiB"},
		{"randread/bs=4k/qd=1/jobs=1/noeq", `"noeq": want key=value`},
		{"randread/bs=99999999999g/qd=1/jobs=1", "bs:"},
	}
	for _, c := range cases {
		_, err := ParseName(c.in)
		if err == nil {
			t.Errorf("ParseName(%q): no error, want %q", c.in, c.want)
			continue
		}
		if !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("ParseName(%q) = %q, want one line containing %q", c.in, err, c.want)
		}
	}
}

func FuzzParseName(f *testing.F) {
	for _, s := range []string{
		"randread/bs=4k/qd=1/jobs=1",
		"randwrite/bs=16m/qd=128/jobs=6/irq=softirq",
		"read/bs=1536/qd=8/jobs=2/sq=2/hwqd=64/irq=timer/cnsec=0/mem=0/size=512m/shared=1/lbs=512",
		"write/jobs=1/qd=1/bs=4KiB",
		"randread/bs=4q/qd=1/jobs=1",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w, err := ParseName(s)
		if err != nil {
			return
		}
		if err := w.Validate(); err != nil {
			t.Fatalf("ParseName(%q) returned an invalid workload: %v", s, err)
		}
		name := w.Name()
		back, err := ParseName(name)
		if err != nil {
			t.Fatalf("ParseName(%q) ok but its canonical name %q fails: %v", s, name, err)
		}
		if back != w || back.Name() != name {
			t.Fatalf("round trip of %q via %q changed the workload", s, name)
		}
	})
}
