// Package stats turns samples of throughput into the numbers a report
// quotes: per-configuration change in percent with confidence intervals
// (BCa and percentile bootstrap, the t-interval of the original kernel
// measurements, Welch), hypothesis tests, summaries across configurations
// with multiple-comparison correction, and flags for what a mean hides
// (outliers, multimodality, drift).
//
// It works on plain []float64 samples and knows nothing of the engine.
package stats
