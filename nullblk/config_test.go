package nullblk

import (
	"strings"
	"testing"
	"time"
)

func TestParseRoundTrip(t *testing.T) {
	for _, m := range []IRQMode{IRQNone, IRQSoftirq, IRQTimer} {
		if got, err := ParseIRQMode(m.String()); err != nil || got != m {
			t.Errorf("ParseIRQMode(%q) = %v, %v", m.String(), got, err)
		}
		if got, err := ParseIRQMode(string('0' + rune(m))); err != nil || got != m {
			t.Errorf("ParseIRQMode(%d) = %v, %v", m, got, err)
		}
	}
	for _, b := range Backends() {
		if got, err := ParseBackend(b.String()); err != nil || got != b {
			t.Errorf("ParseBackend(%q) = %v, %v", b.String(), got, err)
		}
	}
	for _, p := range []Pattern{PatternRead, PatternWrite, PatternRandRead, PatternRandWrite} {
		if got, err := ParsePattern(p.String()); err != nil || got != p {
			t.Errorf("ParsePattern(%q) = %v, %v", p.String(), got, err)
		}
	}
	if got := Backends(); len(got) != 4 || got[0] != BackendAtomic || got[1] != BackendHelper || got[2] != BackendLTO || got[3] != BackendHelperAtomic {
		t.Errorf("Backends() = %v", got)
	}
	if s := BackendHelperAtomic.String(); s != "helper-atomic" {
		t.Errorf("BackendHelperAtomic.String() = %q", s)
	}
}

func TestParseErrors(t *testing.T) {
	if _, err := ParseBackend("inline"); err == nil || !strings.Contains(err.Error(), "atomic, helper, lto, helper-atomic") {
		t.Errorf("ParseBackend error must list the valid names: %v", err)
	}
	if _, err := ParseIRQMode("3"); err == nil || !strings.Contains(err.Error(), "irqmode") {
		t.Errorf("ParseIRQMode(3): %v", err)
	}
	if _, err := ParsePattern("randrw"); err == nil || !strings.Contains(err.Error(), "randread") {
		t.Errorf("ParsePattern(randrw): %v", err)
	}
	if s := Backend(9).String(); s != "backend(9)" {
		t.Errorf("Backend(9).String() = %q", s)
	}
}

func TestDefaultConfigIsTheSeeds(t *testing.T) {
	c := DefaultConfig()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	want := Config{SubmitQueues: 1, HwQueueDepth: 256, IRQMode: IRQNone, CompletionNsec: 10000,
		BlockSize: 4096, MemoryBacked: true, SizeMiB: 4096, Backend: BackendAtomic}
	if c != want {
		t.Errorf("DefaultConfig() = %+v, want %+v", c, want)
	}
	if s := c.String(); s != "submit_queues=1 hw_queue_depth=256 irqmode=0 completion_nsec=10000 bs=4096 memory_backed=1 size=4096 shared_tags=0 backend=atomic" {
		t.Errorf("String() = %q", s)
	}
}

// TestValidateNamesTheField checks that every invalid field is reported by
// its null_blk name with the allowed range.
func TestValidateNamesTheField(t *testing.T) {
	cases := []struct {
		mod  func(*Config)
		want string
	}{
		{func(c *Config) { c.SubmitQueues = 0 }, "submit_queues 0: want 1..256"},
		{func(c *Config) { c.HwQueueDepth = 10241 }, "hw_queue_depth 10241: want 1..10240"},
		{func(c *Config) { c.IRQMode = 3 }, "irqmode 3"},
		{func(c *Config) { c.CompletionNsec = -1 }, "completion_nsec -1"},
		{func(c *Config) { c.BlockSize = 1000 }, "blocksize 1000: want a power of two in 512..4096"},
		{func(c *Config) { c.BlockSize = 8192 }, "blocksize 8192"},
		{func(c *Config) { c.SizeMiB = 0 }, "size 0 MiB: want 1.."},
		{func(c *Config) { c.Backend = 4 }, "backend 4: want one of atomic, helper, lto, helper-atomic"},
		{func(c *Config) { c.ScanInterval = -time.Second }, "scan interval"},
	}
	for _, tc := range cases {
		c := DefaultConfig()
		tc.mod(&c)
		err := c.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("want error containing %q, got %v", tc.want, err)
		}
		if _, err := NewDevice(c); err == nil {
			t.Errorf("NewDevice accepted %+v", c)
		}
	}
}

func TestJobValidate(t *testing.T) {
	c := DefaultConfig()
	ok := Job{Pattern: PatternRandRead, BS: 4096, IODepth: 1, NumJobs: 1, Requests: 1}
	if err := ok.Validate(c); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		mod  func(*Job)
		want string
	}{
		{func(j *Job) { j.Pattern = 4 }, "rw 4"},
		{func(j *Job) { j.BS = 6144 }, "bs 6144: want a positive multiple of the device blocksize 4096"},
		{func(j *Job) { j.BS = 0 }, "bs 0"},
		{func(j *Job) { j.BS = 128 << 20 }, "bs 134217728: want at most"},
		{func(j *Job) { j.IODepth = 0 }, "iodepth 0: want 1..65536"},
		{func(j *Job) { j.NumJobs = 0 }, "numjobs 0: want 1..1024"},
		{func(j *Job) { j.Duration = -1 }, "runtime -1ns"},
		{func(j *Job) { j.Requests = 0 }, "want at least one limit"},
	}
	for _, tc := range cases {
		j := ok
		tc.mod(&j)
		if err := j.Validate(c); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("want error containing %q, got %v", tc.want, err)
		}
	}
	small := c
	small.SizeMiB = 1
	if err := (Job{Pattern: PatternRead, BS: 2 << 20, IODepth: 1, NumJobs: 1, Requests: 1}).Validate(small); err == nil || !strings.Contains(err.Error(), "larger than the device") {
		t.Errorf("bs larger than the device: %v", err)
	}
}
