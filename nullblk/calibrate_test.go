package nullblk

import (
	"os"
	"regexp"
	"testing"
)

func TestCalibrate(t *testing.T) {
	for _, b := range Backends() {
		c := Calibrate(b, 1000)
		for _, k := range []string{OpSet, OpInc, OpDecAndTest, OpIncNotZero, OpCAS20, "set+cas_2_0"} {
			if v, ok := c[k]; !ok || v < 0 {
				t.Errorf("%s: %s = %v, %v", b, k, v, ok)
			}
		}
		if c["warns"] != 0 {
			t.Errorf("%s: calibration WARNed %v times", b, c["warns"])
		}
	}
	if Calibrate(Backend(7), 10) != nil || RefcountOpsPerRequest(IRQMode(7)) != nil {
		t.Error("unknown backend or mode must give nil")
	}
	if c := Calibrate(BackendAtomic, -5); c == nil {
		t.Error("iters < 1 must be clamped, not refused")
	}
	if f := AtomicFloor(1 << 20); f <= 0 {
		t.Errorf("AtomicFloor = %v ns", f)
	}
}

// TestOpsPerRequestMatchesRequestPath counts the refcount operations in
// loop.go.tmpl's request path of each irqmode (retry loops once) and
// compares them with RefcountOpsPerRequest, so the documented model cannot
// drift from the code.
func TestOpsPerRequestMatchesRequestPath(t *testing.T) {
	src, err := os.ReadFile("loop.go.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{"REFSET": OpSet, "REFINC": OpInc, "REFDEC": OpDecAndTest, "REFGET": OpIncNotZero, "REFEND": OpCAS20}
	fnBody := func(name string) string {
		m := regexp.MustCompile(`(?s)\nfunc \(j \*job\) ` + name + `\(\)[^\n]*\n(.*?)\n}\n`).FindSubmatch(src)
		if m == nil {
			t.Fatalf("no %s in loop.go.tmpl", name)
		}
		return string(m[1])
	}
	for m, fns := range map[IRQMode][]string{
		IRQNone:    {"runNoneBKND"},
		IRQSoftirq: {"runSoftirqBKND", "completeSoftirqBKND"},
		IRQTimer:   {"runTimerBKND", "expireTimersBKND"},
	} {
		got := map[string]float64{}
		for _, fn := range fns {
			for _, op := range regexp.MustCompile(`REF[A-Z]+`).FindAllString(fnBody(fn), -1) {
				got[names[op]]++
			}
		}
		want := RefcountOpsPerRequest(m)
		if len(got) != len(want) {
			t.Errorf("%s: request path has %v, RefcountOpsPerRequest says %v", m, got, want)
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s: %s ×%v in the request path, ×%v documented", m, k, got[k], v)
			}
		}
	}
}
