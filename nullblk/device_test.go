package nullblk

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

// TestRunEveryBackendAndMode runs a short job on every backend × irqmode ×
// pattern and checks the accounting a run must get exactly right.
func TestRunEveryBackendAndMode(t *testing.T) {
	for _, b := range Backends() {
		for _, m := range []IRQMode{IRQNone, IRQSoftirq, IRQTimer} {
			for _, p := range []Pattern{PatternRead, PatternWrite, PatternRandRead, PatternRandWrite} {
				t.Run(fmt.Sprintf("%s/%s/%s", b, m, p), func(t *testing.T) {
					cfg := DefaultConfig()
					cfg.Backend, cfg.IRQMode, cfg.SizeMiB = b, m, 16
					cfg.CompletionNsec = 1000
					cfg.SubmitQueues = 2
					cfg.HwQueueDepth = 8
					d, err := NewDevice(cfg)
					if err != nil {
						t.Fatal(err)
					}
					defer d.Close()
					const n = 3001
					res, err := d.Run(context.Background(), Job{Pattern: p, BS: 8192, IODepth: 4, NumJobs: 3, Requests: n, Seed: 1, LatencySampleEvery: 7})
					if err != nil {
						t.Fatal(err)
					}
					if res.Requests != n || res.Bytes != n*8192 {
						t.Errorf("requests %d bytes %d, want %d and %d", res.Requests, res.Bytes, n, n*8192)
					}
					if res.RefcountWarns != 0 {
						t.Errorf("%d refcount WARNs", res.RefcountWarns)
					}
					if res.Latency.Samples == 0 {
						t.Errorf("no latency samples")
					}
				})
			}
		}
	}
}

func newTestDevice(t testing.TB, mod func(*Config)) *Device {
	t.Helper()
	cfg := DefaultConfig()
	cfg.SizeMiB = 16
	if mod != nil {
		mod(&cfg)
	}
	d, err := NewDevice(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func TestRunStopsOnDuration(t *testing.T) {
	for _, m := range []IRQMode{IRQNone, IRQSoftirq, IRQTimer} {
		d := newTestDevice(t, func(c *Config) { c.IRQMode = m })
		res, err := d.Run(context.Background(), Job{Pattern: PatternRandWrite, BS: 4096, IODepth: 8, NumJobs: 2, Duration: 20 * time.Millisecond})
		if err != nil {
			t.Fatal(err)
		}
		if res.Requests == 0 || res.Elapsed < 20*time.Millisecond {
			t.Errorf("%s: %d requests in %v", m, res.Requests, res.Elapsed)
		}
	}
}

func TestRunCancel(t *testing.T) {
	d := newTestDevice(t, func(c *Config) { c.IRQMode = IRQSoftirq })
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel)
	res, err := d.Run(ctx, Job{Pattern: PatternRandRead, BS: 4096, IODepth: 16, NumJobs: 2, Requests: 1 << 62})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled alone", err)
	}
	if res.Requests == 0 || res.Bytes != res.Requests*4096 {
		t.Errorf("cancelled run measured %d requests, %d bytes", res.Requests, res.Bytes)
	}
	// The device is reusable after a cancelled run: everything drained.
	if _, err := d.Run(context.Background(), Job{Pattern: PatternRandRead, BS: 4096, IODepth: 16, NumJobs: 2, Requests: 100}); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Run(ctx, Job{Pattern: PatternRandRead, BS: 4096, IODepth: 1, NumJobs: 1, Requests: 100}); !errors.Is(err, context.Canceled) {
		t.Errorf("Run with a cancelled context: %v", err)
	}
}

func TestRunErrors(t *testing.T) {
	d := newTestDevice(t, nil)
	if _, err := d.Run(context.Background(), Job{Pattern: PatternRead, BS: 4096, IODepth: 1, NumJobs: 1}); err == nil {
		t.Error("a job without a limit ran")
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Run(context.Background(), Job{Pattern: PatternRead, BS: 4096, IODepth: 1, NumJobs: 1, Requests: 1}); err == nil {
		t.Error("a closed device ran")
	}
	if err := d.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// TestTagExhaustionWaits oversubscribes the tags: more submitters and
// deeper queues than tags. Submitters must wait for completions, not fail
// or lose requests.
func TestTagExhaustionWaits(t *testing.T) {
	for _, m := range []IRQMode{IRQNone, IRQSoftirq, IRQTimer} {
		for _, shared := range []bool{false, true} {
			d := newTestDevice(t, func(c *Config) {
				c.IRQMode, c.SharedTags, c.HwQueueDepth, c.SubmitQueues, c.CompletionNsec = m, shared, 3, 2, 5000
			})
			res, err := d.Run(context.Background(), Job{Pattern: PatternRandRead, BS: 4096, IODepth: 4, NumJobs: 5, Requests: 5000})
			if err != nil {
				t.Fatal(err)
			}
			if res.Requests != 5000 {
				t.Errorf("%s shared=%v: %d requests", m, shared, res.Requests)
			}
			if m != IRQNone && res.TagWaits == 0 {
				t.Errorf("%s shared=%v: 5 submitters × iodepth 4 on 3 tags never waited for a tag", m, shared)
			}
		}
	}
}

// TestTimerModeDelaysCompletion checks that no request completes before
// completion_nsec (a lower bound, which a slow machine cannot break).
func TestTimerModeDelaysCompletion(t *testing.T) {
	d := newTestDevice(t, func(c *Config) { c.IRQMode, c.CompletionNsec = IRQTimer, 200000 })
	res, err := d.Run(context.Background(), Job{Pattern: PatternRandRead, BS: 4096, IODepth: 4, NumJobs: 1, Requests: 40, LatencySampleEvery: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Latency.Samples != 40 {
		t.Fatalf("%d latency samples, want 40", res.Latency.Samples)
	}
	// Quantiles are bucket midpoints, within 1/32 of the true value.
	if lo := 200000 * (1 - 1.0/32); res.Latency.P50Ns < lo || res.Latency.MaxNs < 200000 {
		t.Errorf("completions before completion_nsec: p50 %v ns, max %v ns", res.Latency.P50Ns, res.Latency.MaxNs)
	}
}

// TestMemoryBackedWritesPages checks the sparse store through the engine:
// a sequential write of n blocks leaves exactly those pages, reads leave
// nothing, and a non-memory-backed device has no store.
func TestMemoryBackedWritesPages(t *testing.T) {
	d := newTestDevice(t, nil)
	if _, err := d.Run(context.Background(), Job{Pattern: PatternRead, BS: 8192, IODepth: 1, NumJobs: 1, Requests: 64}); err != nil {
		t.Fatal(err)
	}
	if d.store.leaves != nil {
		t.Fatal("reads allocated pages")
	}
	if _, err := d.Run(context.Background(), Job{Pattern: PatternWrite, BS: 8192, IODepth: 1, NumJobs: 1, Requests: 64}); err != nil {
		t.Fatal(err)
	}
	for pg := uint64(0); pg < 130; pg++ {
		if got, want := d.store.lookup(pg, false) != nil, pg < 128; got != want {
			t.Fatalf("page %d present = %v, want %v", pg, got, want)
		}
	}
	nd := newTestDevice(t, func(c *Config) { c.MemoryBacked = false })
	if nd.store != nil {
		t.Error("not memory-backed, but a page store")
	}
}

// TestFewerRequestsThanJobs gives some submitters nothing to do.
func TestFewerRequestsThanJobs(t *testing.T) {
	d := newTestDevice(t, func(c *Config) { c.IRQMode = IRQSoftirq })
	res, err := d.Run(context.Background(), Job{Pattern: PatternRandRead, BS: 4096, IODepth: 2, NumJobs: 8, Requests: 3})
	if err != nil || res.Requests != 3 {
		t.Fatalf("%d requests, %v", res.Requests, err)
	}
}

// TestRunIsExclusive checks that a second Run on a busy device is refused
// rather than corrupting the first, and that Close waits for neither.
func TestRunIsExclusive(t *testing.T) {
	d := newTestDevice(t, func(c *Config) { c.IRQMode = IRQSoftirq })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := d.Run(ctx, Job{Pattern: PatternRandRead, BS: 4096, IODepth: 4, NumJobs: 1, Requests: 1 << 62})
		done <- err
	}()
	for !d.running.Load() {
		time.Sleep(time.Millisecond)
	}
	if _, err := d.Run(context.Background(), Job{Pattern: PatternRandRead, BS: 4096, IODepth: 1, NumJobs: 1, Requests: 1}); err == nil {
		t.Error("a second concurrent Run was accepted")
	}
	if err := d.Close(); err == nil {
		t.Error("Close during Run was accepted")
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("first Run: %v", err)
	}
}
