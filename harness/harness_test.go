package harness

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/rnullbench/rnullbench/results"
	"github.com/rnullbench/rnullbench/workloads"
)

func testPlan(t *testing.T) Plan {
	t.Helper()
	mx, err := workloads.Cross(workloads.Lists{RW: []string{"randread", "randwrite"}, BS: []int{4096}, IODepth: []int{1, 4}, NumJobs: []int{1}}, workloads.DefaultDevice())
	if err != nil {
		t.Fatal(err)
	}
	vs, err := ParseVariants("atomic,helper,aa=atomic")
	if err != nil {
		t.Fatal(err)
	}
	return Plan{Matrix: mx, Variants: vs, Rounds: 3, Warmup: 1, Duration: 5 * time.Millisecond, Seed: 7}
}

func TestScheduleCoversEveryTrialOnceAndIsSeeded(t *testing.T) {
	p := testPlan(t)
	s := p.Schedule()
	if want := len(p.Matrix) * len(p.Variants) * p.Rounds; len(s) != want {
		t.Fatalf("schedule has %d slots, want %d", len(s), want)
	}
	seen := map[string]bool{}
	for _, sl := range s {
		k := p.Key(sl)
		if seen[k] {
			t.Fatalf("slot %v twice", sl)
		}
		seen[k] = true
	}
	if !reflect.DeepEqual(s, p.Schedule()) {
		t.Fatal("same plan gave two schedules")
	}
	p2 := p
	p2.Seed++
	if reflect.DeepEqual(s, p2.Schedule()) {
		t.Fatal("another seed gave the same order")
	}
	// Rounds must differ in order, or drift would hit the same variant last every round.
	first := func(round int) []Slot {
		var out []Slot
		for _, sl := range s {
			if sl.Round == round {
				out = append(out, Slot{Config: sl.Config, Variant: sl.Variant})
			}
		}
		return out
	}
	if reflect.DeepEqual(first(1), first(2)) && reflect.DeepEqual(first(2), first(3)) {
		t.Fatal("every round runs in the same order")
	}
}

func TestShardsPartitionThePlan(t *testing.T) {
	p := testPlan(t)
	all := p.Schedule()
	var joined []string
	for i := 1; i <= 3; i++ {
		q := p
		q.Shard = Shard{I: i, N: 3}
		perBlock := map[[2]int]int{}
		for _, sl := range q.Schedule() {
			joined = append(joined, p.Key(sl))
			perBlock[[2]int{sl.Round, sl.Config}]++
		}
		// Whole blocks: the variants of a config in a round stay together.
		for b, n := range perBlock {
			if n != len(p.Variants) {
				t.Errorf("shard %d holds %d of the %d variants of round %d, config %d", i, n, len(p.Variants), b[0], b[1])
			}
		}
	}
	var want []string
	for _, sl := range all {
		want = append(want, p.Key(sl))
	}
	sort.Strings(joined)
	sort.Strings(want)
	if !reflect.DeepEqual(joined, want) {
		t.Fatalf("shards hold %d slots, plan %d, or different ones", len(joined), len(want))
	}
}

func TestParseVariantsAndShardErrors(t *testing.T) {
	for _, bad := range []string{"", "atomic,,helper", "nope", "a=nope", "atomic,atomic", "=atomic"} {
		if _, err := ParseVariants(bad); err == nil {
			t.Errorf("ParseVariants(%q) accepted", bad)
		}
	}
	for _, bad := range []string{"", "1", "0/2", "3/2", "1/0", "a/b", "1/2x"} {
		if _, err := ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) accepted", bad)
		}
	}
	if s, err := ParseShard("2/4"); err != nil || s != (Shard{2, 4}) {
		t.Errorf("ParseShard(2/4) = %v, %v", s, err)
	}
}

func TestRunRecordsEveryTrialAndResumeSkipsDone(t *testing.T) {
	p := testPlan(t)
	var got []results.Trial
	sink := func(tr results.Trial) error { got = append(got, tr); return nil }
	if err := Run(context.Background(), p, sink, Options{}); err != nil {
		t.Fatal(err)
	}
	if want := len(p.Schedule()); len(got) != want {
		t.Fatalf("recorded %d trials, want %d", len(got), want)
	}
	for _, tr := range got {
		if tr.Kind != results.KindTrial || tr.Round < 1 || tr.IOPS <= 0 || tr.Requests == 0 || tr.RefcountWarns != 0 {
			t.Fatalf("implausible trial %+v", tr)
		}
	}
	// Resume with the first half done: only the rest runs.
	half := got[:len(got)/2]
	var rest []results.Trial
	if err := Run(context.Background(), p, func(tr results.Trial) error { rest = append(rest, tr); return nil }, Options{Done: half}); err != nil {
		t.Fatal(err)
	}
	if len(half)+len(rest) != len(got) {
		t.Fatalf("resume ran %d trials, want %d", len(rest), len(got)-len(half))
	}
	keys := map[string]bool{}
	for _, tr := range append(append([]results.Trial{}, half...), rest...) {
		k := trialKey(tr.Config, tr.Variant, tr.Round)
		if keys[k] {
			t.Fatalf("trial %s twice after resume", k)
		}
		keys[k] = true
	}
}

func TestRunStopsOnCancelAndSinkError(t *testing.T) {
	p := testPlan(t)
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	err := Run(ctx, p, func(results.Trial) error {
		n++
		if n == 2 {
			cancel()
		}
		return nil
	}, Options{})
	// A block's trials are all measured before any is handed over, so the
	// cancel takes effect at the block's end: nothing measured is dropped.
	if !errors.Is(err, context.Canceled) || n != len(p.Variants) {
		t.Fatalf("after cancel: err %v, %d trials recorded; want context.Canceled after the first block (%d)", err, n, len(p.Variants))
	}
	boom := errors.New("disk full")
	if err := Run(context.Background(), p, func(results.Trial) error { return boom }, Options{}); !errors.Is(err, boom) {
		t.Fatalf("sink error not returned: %v", err)
	}
}

func TestVariantsShareTheTrialSeed(t *testing.T) {
	p := testPlan(t)
	a := p.trialSeed(Slot{Config: 1, Variant: 0, Round: 2})
	b := p.trialSeed(Slot{Config: 1, Variant: 2, Round: 2})
	c := p.trialSeed(Slot{Config: 1, Variant: 0, Round: 3})
	if a != b || a == c {
		t.Fatalf("seeds: same config+round %x %x, next round %x", a, b, c)
	}
}

// TestScheduleBlocksVariantsOfAConfig: within a round, the variants of one
// config run back to back (in varying order), so pairs by round are close
// in time.
func TestScheduleBlocksVariantsOfAConfig(t *testing.T) {
	p := testPlan(t)
	orders := map[string]bool{}
	s := p.Schedule()
	nv := len(p.Variants)
	for i := 0; i < len(s); i += nv {
		var order []int
		for j := i; j < i+nv; j++ {
			if s[j].Config != s[i].Config || s[j].Round != s[i].Round {
				t.Fatalf("slot %d: config %d round %d inside the block of config %d round %d", j, s[j].Config, s[j].Round, s[i].Config, s[i].Round)
			}
			if s[j].Position != j%(len(p.Matrix)*nv) {
				t.Fatalf("slot %d: position %d", j, s[j].Position)
			}
			order = append(order, s[j].Variant)
		}
		orders[fmt.Sprint(order)] = true
	}
	if len(orders) < 2 {
		t.Fatal("the variants of a config always run in the same order")
	}
}

// TestSlicedTrialsAddUp: with slices, every variant of a block gets its
// whole duration in pieces, and the records add the pieces up.
func TestSlicedTrialsAddUp(t *testing.T) {
	p := testPlan(t)
	p.Slices = 5
	p.Duration = 10 * time.Millisecond
	var got []results.Trial
	if err := Run(context.Background(), p, func(tr results.Trial) error { got = append(got, tr); return nil }, Options{}); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(p.Schedule()) {
		t.Fatalf("%d trials, want %d", len(got), len(p.Schedule()))
	}
	for _, tr := range got {
		// Latency is sampled one request in thousands, so a short trial
		// may have no sample; one that has must have a mean.
		if tr.DurationNs < int64(8*time.Millisecond) || tr.Requests == 0 || tr.RefcountWarns != 0 || (tr.LatSamples > 0) != (tr.LatMeanNs > 0) {
			t.Fatalf("trial of %v in 5 slices of 2ms: %+v", time.Duration(tr.DurationNs), tr)
		}
	}
	p.Slices = 20 // 0.5 ms slices
	if err := p.Validate(); err == nil {
		t.Error("slices shorter than 1ms accepted")
	}
}
