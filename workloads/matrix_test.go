package workloads

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseLists(t *testing.T) {
	bs, err := ParseSizes("--bs", "4k, 32k,1m,16m,512,2KiB")
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{4096, 32768, 1 << 20, 16 << 20, 512, 2048}; !reflect.DeepEqual(bs, want) {
		t.Errorf("ParseSizes = %v, want %v", bs, want)
	}
	qd, err := ParseInts("--iodepth", "1,8,32,128")
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{1, 8, 32, 128}; !reflect.DeepEqual(qd, want) {
		t.Errorf("ParseInts = %v, want %v", qd, want)
	}
	rw, err := ParseList("--rw", "randread,randwrite")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"randread", "randwrite"}; !reflect.DeepEqual(rw, want) {
		t.Errorf("ParseList = %v, want %v", rw, want)
	}
	bo, err := ParseBools("--memory-backed", "0,true")
	if err != nil {
		t.Fatal(err)
	}
	if want := []bool{false, true}; !reflect.DeepEqual(bo, want) {
		t.Errorf("ParseBools = %v, want %v", bo, want)
	}
}

func TestParseListErrors(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"bad size", second(ParseSizes("--bs", "4k,4q")), `--bs: "4q": not a size`},
		{"negative size", second(ParseSizes("--bs", "-4k")), `--bs: "-4k": not a size`},
		{"zero size", second(ParseSizes("--bs", "0")), `--bs: "0": want 1..1g`},
		{"huge size", second(ParseSizes("--bs", "9999999999999t")), `--bs: "9999999999999t": size too large`},
		{"dup size", second(ParseSizes("--bs", "4k,4096")), `--bs: "4096": given twice`},
		{"empty item", second(ParseInts("--iodepth", "1,,2")), `--iodepth: item 2 of "1,,2" is empty`},
		{"empty list", second(ParseInts("--iodepth", " ")), `--iodepth: empty list`},
		{"not int", second(ParseInts("--numjobs", "1,x")), `--numjobs: "x": not an integer`},
		{"int overflow", second(ParseInts("--numjobs", "99999999999")), `--numjobs: "99999999999": not an integer`},
		{"dup word", second(ParseList("--rw", "read,read")), `--rw: "read": given twice`},
		{"bad bool", second(ParseBools("--memory-backed", "maybe")), `--memory-backed: "maybe": not a boolean (want 0 or 1)`},
	}
	for _, c := range cases {
		if c.err == nil || c.err.Error() != c.want {
			t.Errorf("%s: error %v, want %q", c.name, c.err, c.want)
		}
	}
}

func second[T any](_ T, err error) error { return err }

func TestCross(t *testing.T) {
	m, err := Cross(Lists{RW: []string{RandRead, RandWrite}, BS: []int{4096, 1 << 20}, IRQMode: []string{IRQNone, IRQSoftIRQ}}, DefaultDevice())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"randread/bs=4k/qd=1/jobs=1",
		"randread/bs=4k/qd=1/jobs=1/irq=softirq",
		"randread/bs=1m/qd=1/jobs=1",
		"randread/bs=1m/qd=1/jobs=1/irq=softirq",
		"randwrite/bs=4k/qd=1/jobs=1",
		"randwrite/bs=4k/qd=1/jobs=1/irq=softirq",
		"randwrite/bs=1m/qd=1/jobs=1",
		"randwrite/bs=1m/qd=1/jobs=1/irq=softirq",
	}
	if got := m.Names(); !reflect.DeepEqual(got, want) {
		t.Errorf("Names() =\n%q\nwant\n%q", got, want)
	}
	if err := m.Validate(); err != nil {
		t.Error(err)
	}
}

func TestCrossBaseDevice(t *testing.T) {
	base := DefaultDevice()
	base.SubmitQueues = 4
	m, err := Cross(Lists{}, base)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Names(); !reflect.DeepEqual(got, []string{"randread/bs=4k/qd=1/jobs=1/sq=4"}) {
		t.Errorf("Names() = %q", got)
	}
}

func TestCrossErrors(t *testing.T) {
	cases := []struct {
		l    Lists
		base func(*Device)
		want string
	}{
		{Lists{RW: []string{"randrw"}}, nil, `--rw: "randrw": want one of`},
		{Lists{IRQMode: []string{"msi"}}, nil, `--irqmode: "msi"`},
		{Lists{SubmitQueues: []int{0}}, nil, "--submit-queues: 0: want 1..1024"},
		{Lists{HwQueueDepth: []int{-1}}, nil, "--hw-queue-depth: -1"},
		{Lists{CompletionNsec: []int64{-5}}, nil, "--completion-nsec: -5"},
		{Lists{BS: []int{1000}}, nil, "--bs: 1000: not a multiple of the device block size 4096"},
		{Lists{IODepth: []int{0}}, nil, "--iodepth: 0: want 1..65536"},
		{Lists{NumJobs: []int{5000}}, nil, "--numjobs: 5000"},
		{Lists{BS: []int{4096, 4096}}, nil, "config randread/bs=4k/qd=1/jobs=1 given twice"},
		{Lists{IODepth: make([]int, 200), NumJobs: make([]int, 200)}, nil, "more than 10000 configurations"},
		{Lists{}, func(d *Device) { d.BlockSize = 3000 }, "--blocksize: 3000"},
	}
	for _, c := range cases {
		base := DefaultDevice()
		if c.base != nil {
			c.base(&base)
		}
		_, err := Cross(c.l, base)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Cross(%+v): error %v, want %q", c.l, err, c.want)
		}
	}
}

func TestPresets(t *testing.T) {
	if got := Presets(); !reflect.DeepEqual(got, []string{"fio-matrix", "quick"}) {
		t.Errorf("Presets() = %q", got)
	}
	fm, err := Preset("fio-matrix")
	if err != nil {
		t.Fatal(err)
	}
	if len(fm) != 120 {
		t.Errorf("fio-matrix has %d points, want the seed's 120", len(fm))
	}
	if err := fm.Validate(); err != nil {
		t.Error(err)
	}
	if fm[0].Name() != "randread/bs=4k/qd=1/jobs=1" || fm[119].Name() != "randwrite/bs=16m/qd=128/jobs=6" {
		t.Errorf("fio-matrix order: first %s, last %s", fm[0], fm[119])
	}
	q, err := Preset(DefaultPreset)
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Validate(); err != nil {
		t.Error(err)
	}
	if len(q) < 5 || len(q) > 8 {
		t.Errorf("quick has %d points; the 3-minute budget allows about 6", len(q))
	}
	// The story needs small low-overhead points and a large-block one.
	var small, large bool
	for _, w := range q {
		small = small || (w.BS == 4096 && w.IODepth == 1 && w.Device.IRQMode == IRQNone)
		large = large || w.BS >= 256*KiB
	}
	for _, w := range q {
		// Writes to a large memory-backed device allocate pages for the
		// whole run, a drift that would swamp the effect being measured.
		if (w.RW == Write || w.RW == RandWrite) && w.Device.MemoryBacked && w.Device.SizeMiB > 256 {
			t.Errorf("quick point %s writes to a %d MiB device; it never reaches steady state", w, w.Device.SizeMiB)
		}
	}
	if !small || !large {
		t.Errorf("quick lacks a small-block irqmode-none point (%v) or a large-block point (%v)", small, large)
	}
	// Presets are fresh copies.
	q[0].BS = 1
	q2, _ := Preset("quick")
	if q2[0].BS == 1 {
		t.Error("Preset returned a shared matrix")
	}
	if _, err := Preset("slow"); err == nil || !strings.Contains(err.Error(), `--matrix: "slow": not a preset`) {
		t.Errorf("Preset(slow): %v", err)
	}
}

func TestParseMatrix(t *testing.T) {
	src := `# the seed's worst points, then a sweep
randread/bs=4k/qd=1/jobs=1
randwrite/bs=4k/qd=1/jobs=1/irq=softirq   # softirq completion

rw = randread
bs = 32k, 1m
qd = 1,8
irqmode = 2
`
	m, err := ParseMatrix(strings.NewReader(src), "m.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"randread/bs=4k/qd=1/jobs=1",
		"randwrite/bs=4k/qd=1/jobs=1/irq=softirq",
		"randread/bs=32k/qd=1/jobs=1/irq=timer",
		"randread/bs=32k/qd=8/jobs=1/irq=timer",
		"randread/bs=1m/qd=1/jobs=1/irq=timer",
		"randread/bs=1m/qd=8/jobs=1/irq=timer",
	}
	if got := m.Names(); !reflect.DeepEqual(got, want) {
		t.Errorf("Names() =\n%q\nwant\n%q", got, want)
	}
}

func TestParseMatrixSizes(t *testing.T) {
	m, err := ParseMatrix(strings.NewReader("rw = randwrite\nsize = 64, 1g, 4096\n"), "m.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"randwrite/bs=4k/qd=1/jobs=1/size=64m", "randwrite/bs=4k/qd=1/jobs=1/size=1g", "randwrite/bs=4k/qd=1/jobs=1"}
	if got := m.Names(); !reflect.DeepEqual(got, want) {
		t.Errorf("Names() = %q, want %q", got, want)
	}
}

func TestParseMatrixErrors(t *testing.T) {
	cases := []struct{ src, want string }{
		{"", "m.txt: no configurations"},
		{"# only a comment\n", "m.txt: no configurations"},
		{"randread/bs=4k/qd=1/jobs=1\nrandread/bs=4096/qd=1/jobs=1\n", "m.txt:2: config randread/bs=4k/qd=1/jobs=1 already on line 1"},
		{"\n\nrandread/bs=4q/qd=1/jobs=1\n", `m.txt:3: config "randread/bs=4q/qd=1/jobs=1": bs: "4q": not a size`},
		{"rw = randread\nfoo = 1\n", `m.txt:2: unknown key "foo"`},
		{"bs = 4k\nbs = 8k\n", "m.txt:2: bs already set on line 1"},
		{"bs = 4k,4q\n", `m.txt:1: bs: "4q": not a size`},
		{"hello\n", `m.txt:1: "hello": want a config name or "key = list"`},
		{"rw = randread\nqd = 0\n", "m.txt:2: iodepth: 0: want 1..65536"},
		{"rw = randrw\n", `m.txt:1: rw: "randrw": want one of read, write, randread, randwrite`},
		{"size = 64,64m\n", `m.txt:1: size: "64m": given twice`},
		{"size = 1536k\n", `m.txt:1: size: "1536k": not a whole number of MiB`},
		{"size = 4x\n", `m.txt:1: size: "4x": not a size`},
		{"randread/bs=4k/qd=1/jobs=1 #\nrw=randread\n", "m.txt:1: config randread/bs=4k/qd=1/jobs=1 is also produced by the lists"},
	}
	for _, c := range cases {
		_, err := ParseMatrix(strings.NewReader(c.src), "m.txt")
		if err == nil || err.Error() != c.want {
			t.Errorf("ParseMatrix(%q): error %v, want %q", c.src, err, c.want)
		}
	}
}

func TestLoadMatrixFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "m.txt")
	if err := os.WriteFile(p, []byte("randread/bs=4k/qd=1/jobs=1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := LoadMatrixFile(p)
	if err != nil || len(m) != 1 {
		t.Fatalf("LoadMatrixFile = %v, %v", m, err)
	}
	if _, err := LoadMatrixFile(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("LoadMatrixFile(missing): no error")
	}
}

func FuzzParseMatrix(f *testing.F) {
	f.Add("randread/bs=4k/qd=1/jobs=1\n# c\nrw = randread,randwrite\nbs = 4k,1m\n")
	f.Add("irqmode = 0,1\nsubmit_queues = 1,2\nmemory_backed=0,1\nsize=64\nshared_tags=1\nblocksize=512\n")
	f.Add("bs = 4k\nbs = 8k\n")
	f.Add("randread/bs=4q/qd=1/jobs=1")
	f.Fuzz(func(t *testing.T, src string) {
		m, err := ParseMatrix(strings.NewReader(src), "fuzz")
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		if err := m.Validate(); err != nil {
			t.Fatalf("ParseMatrix(%q) returned an invalid matrix: %v", src, err)
		}
		// The names written one per line are a matrix file for the same matrix.
		again, err := ParseMatrix(strings.NewReader(strings.Join(m.Names(), "\n")), "names")
		if err != nil {
			t.Fatalf("names of a parsed matrix do not parse: %v", err)
		}
		if !reflect.DeepEqual(again, m) {
			t.Fatalf("matrix changed through its names")
		}
	})
}

func TestLoadMatrix(t *testing.T) {
	m, err := LoadMatrix("fio-matrix")
	if err != nil || len(m) != 120 {
		t.Fatalf("LoadMatrix(fio-matrix) = %d configs, %v", len(m), err)
	}
	p := filepath.Join(t.TempDir(), "m.txt")
	os.WriteFile(p, []byte("bs = 4k,1m\n"), 0o644)
	if m, err := LoadMatrix(p); err != nil || len(m) != 2 {
		t.Errorf("LoadMatrix(file) = %d configs, %v", len(m), err)
	}
	_, err = LoadMatrix("qiuck")
	if err == nil || err.Error() != `--matrix: "qiuck": neither a preset (fio-matrix, quick) nor an existing file` {
		t.Errorf("LoadMatrix(qiuck): %v", err)
	}
	bad := filepath.Join(t.TempDir(), "bad.txt")
	os.WriteFile(bad, []byte("\nbs = 4x\n"), 0o644)
	if _, err := LoadMatrix(bad); err == nil || err.Error() != bad+`:2: bs: "4x": not a size` {
		t.Errorf("LoadMatrix(bad file): %v", err)
	}
}

func TestParseIRQModesAndRW(t *testing.T) {
	m, err := ParseIRQModes("--irqmode", "none,1,Timer")
	if err != nil || !reflect.DeepEqual(m, []string{"none", "softirq", "timer"}) {
		t.Errorf("ParseIRQModes = %q, %v", m, err)
	}
	for in, want := range map[string]string{
		"msi":    `--irqmode: "msi": want one of none, softirq, timer (or 0, 1, 2)`,
		"0,none": `--irqmode: "none": given twice`,
		"3":      `--irqmode: "3": want one of none, softirq, timer (or 0, 1, 2)`,
	} {
		if _, err := ParseIRQModes("--irqmode", in); err == nil || err.Error() != want {
			t.Errorf("ParseIRQModes(%q): %v, want %q", in, err, want)
		}
	}
	if _, err := ParseRW("--rw", "randread,rw"); err == nil || err.Error() != `--rw: "rw": want one of read, write, randread, randwrite` {
		t.Errorf("ParseRW: %v", err)
	}
}

func TestPresetDoc(t *testing.T) {
	for _, p := range Presets() {
		if PresetDoc(p) == "" {
			t.Errorf("preset %s has no description", p)
		}
	}
}
