package nullblk

import (
	"context"
	"fmt"
	"os/exec"
	"testing"
)

// TestNoAllocsPerRequest checks that the request path allocates nothing
// in steady state, for every backend × irqmode (and memory-backed reads
// and writes): a run of many requests allocates exactly as much as a run
// of few, which is Run's own fixed setup.
func TestNoAllocsPerRequest(t *testing.T) {
	type variant struct {
		m       IRQMode
		memory  bool
		pattern Pattern
	}
	var vs []variant
	for _, m := range []IRQMode{IRQNone, IRQSoftirq, IRQTimer} {
		vs = append(vs, variant{m, false, PatternRandRead})
	}
	vs = append(vs, variant{IRQNone, true, PatternRandRead}, variant{IRQNone, true, PatternRandWrite})
	for _, b := range Backends() {
		for _, v := range vs {
			t.Run(fmt.Sprintf("%s/%s/memory_backed=%v/%s", b, v.m, v.memory, v.pattern), func(t *testing.T) {
				cfg := DefaultConfig()
				cfg.Backend, cfg.IRQMode, cfg.MemoryBacked = b, v.m, v.memory
				cfg.SizeMiB, cfg.CompletionNsec = 4, 0
				d, err := NewDevice(cfg)
				if err != nil {
					t.Fatal(err)
				}
				defer d.Close()
				run := func(pattern Pattern, n uint64) func() {
					return func() {
						if _, err := d.Run(context.Background(), Job{Pattern: pattern, BS: 4096, IODepth: 4, NumJobs: 2, Requests: n, LatencySampleEvery: 64}); err != nil {
							t.Fatal(err)
						}
					}
				}
				// Steady state: every page written once, job slots and
				// buffers allocated.
				run(PatternWrite, 2*1024)()
				run(v.pattern, 1000)()
				few := testing.AllocsPerRun(10, run(v.pattern, 100))
				many := testing.AllocsPerRun(10, run(v.pattern, 5000))
				t.Logf("allocs per run: %v (100 requests), %v (5000 requests)", few, many)
				if many > few {
					t.Errorf("%v allocations per run of 5000 requests, %v per run of 100: the request path allocates", many, few)
				}
			})
		}
	}
}

// TestGeneratedLoopsUpToDate fails when loop_*.go no longer match
// loop.go.tmpl.
func TestGeneratedLoopsUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the generator")
	}
	out, err := exec.Command("go", "run", "gen_loops.go", "-check").CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
}
