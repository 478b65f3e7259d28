package stats_test

import (
	"fmt"

	"github.com/rnullbench/rnullbench/stats"
)

func ExampleCompare() {
	atomic := []float64{1012, 998, 1005, 1020, 990, 1003, 1011, 996, 1008, 1001}
	helper := []float64{951, 962, 940, 958, 949, 955, 944, 960, 953, 947}
	c, err := stats.Compare(atomic, helper, stats.DefaultOptions())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%+.1f%% [%+.1f%%, %+.1f%%] %s, %s\n", c.ChangePct, c.CILoPct, c.CIHiPct, c.Method, c.Verdict)
	// Output: -5.2% [-5.9%, -4.6%] bca, slower
}

func ExampleCompare_warnings() {
	c, err := stats.Compare([]float64{100}, []float64{90, 95, 92}, stats.DefaultOptions())
	fmt.Println(err, c.Verdict)
	for _, w := range c.Warnings {
		fmt.Println(w)
	}
	// Output:
	// <nil> unknown
	// baseline: n=1 < 2: no interval and no t-test
	// variant: only 3 samples, fewer than 10
	// unequal n: baseline 1, variant 3
	// mann-whitney: need >= 4 samples to detect a difference at alpha level 0.05
	// median cross-check: no interval (too few samples or baseline values ≤ 0)
}

func ExampleAdjust() {
	p := []float64{0.01, 0.04, 0.03, 0.20}
	fmt.Printf("%.2f\n", stats.Adjust(p, stats.CorrectionHolm))
	fmt.Printf("%.3f\n", stats.Adjust(p, stats.CorrectionBH))
	// Output:
	// [0.04 0.09 0.09 0.20]
	// [0.040 0.053 0.053 0.200]
}

func ExampleInspect() {
	xs := []float64{100, 101, 99, 100, 102, 98, 100, 101, 99, 100, 140}
	fmt.Println(stats.Inspect(xs, nil).Strings())
	// Output: [1 severe outlier]
}
