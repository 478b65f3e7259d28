package harness

import (
	"testing"

	"github.com/rnullbench/rnullbench/nullblk"
)

func TestCalibrateCoversEveryBackendAndMode(t *testing.T) {
	rows := Calibrate(nullblk.Backends(), 20000)
	if len(rows) != len(nullblk.Backends()) {
		t.Fatalf("%d rows for %d backends", len(rows), len(nullblk.Backends()))
	}
	for _, r := range rows {
		for _, op := range []string{nullblk.OpInc, nullblk.OpDecAndTest, nullblk.OpIncNotZero, nullblk.OpCAS20} {
			if !(r.OpNs[op] > 0) {
				t.Errorf("%s: %s costs %v ns", r.Backend, op, r.OpNs[op])
			}
		}
		for _, m := range []string{"none", "softirq", "timer"} {
			if !(r.OpsPerRequest[m] >= 2) || !(r.NsPerRequest[m] > 0) || !(r.RequestNs[m] > 0) {
				t.Errorf("%s %s: %v ops, %v ns per request, %v ns a whole request", r.Backend, m, r.OpsPerRequest[m], r.NsPerRequest[m], r.RequestNs[m])
			}
		}
		// softirq adds a drop and a tag_to_rq to none's set + CAS.
		if r.OpsPerRequest["softirq"] <= r.OpsPerRequest["none"] {
			t.Errorf("%s: softirq does %v refcount ops per request, none %v", r.Backend, r.OpsPerRequest["softirq"], r.OpsPerRequest["none"])
		}
	}
	if got := Calibrate([]nullblk.Backend{nullblk.BackendAtomic, nullblk.BackendAtomic}, 1000); len(got) != 1 {
		t.Errorf("a backend listed twice was calibrated %d times", len(got))
	}
}
