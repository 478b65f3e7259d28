// Package stats turns samples of throughput into the numbers a report
// quotes: per-configuration change in percent with confidence intervals
// (BCa and percentile bootstrap, the t-interval of the original kernel
// measurements, Welch, paired), hypothesis tests, summaries across
// configurations with multiple-comparison correction, and flags for what a
// mean hides (outliers, multimodality, drift).
//
// It works on plain []float64 samples and knows nothing of the engine.
//
// The change is (mean_variant/mean_baseline − 1)·100, so on throughput a
// negative change means the variant is slower. The default interval is
// the BCa bootstrap of that ratio with B = 10 000 resamples, computed as
// scipy.stats.bootstrap computes it; testdata/make_reference.py holds the
// scipy reference the tests check against. Every random draw comes from a
// PCG stream derived from Options.Seed (and, in CompareMany, from each
// item's key), so the same data and seed give bit-identical reports on
// any number of cores.
//
// Unusable input (an empty side, NaN, ±Inf) is an error naming the side;
// everything else a statistician would want to know about (n < 2, all
// values equal, a zero baseline mean, unequal n) is a Warning on the
// Comparison, and a field is NaN only when a Warning says why.
//
// The coverage study behind the default, 2000 simulated experiments per
// distribution at n = 40, runs as a benchmark:
//
//	go test -run '^$' -bench Coverage -benchtime 1x ./stats
package stats
