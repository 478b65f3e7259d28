package stats

import (
	"math"
	"slices"
)

// Adjust returns p-values adjusted for multiple comparisons, in the order
// given, as R's p.adjust does: Holm's step-down (family-wise error rate)
// or Benjamini–Hochberg's step-up (false discovery rate). NaN entries stay
// NaN and do not count towards the number of tests. An unknown Correction
// is treated as Holm, the conservative choice. p is not modified.
func Adjust(p []float64, c Correction) []float64 {
	out := make([]float64, len(p))
	copy(out, p)
	if c == CorrectionNone {
		return out
	}
	var idx []int
	for i, x := range p {
		if !math.IsNaN(x) {
			idx = append(idx, i)
		}
	}
	m := float64(len(idx))
	// Stable order keeps equal p-values in input order, as R's order() does.
	slices.SortStableFunc(idx, func(a, b int) int {
		switch {
		case p[a] < p[b]:
			return -1
		case p[a] > p[b]:
			return 1
		}
		return 0
	})
	switch c {
	case CorrectionBH:
		run := math.Inf(1)
		for k := len(idx) - 1; k >= 0; k-- {
			i := idx[k]
			run = math.Min(run, m/float64(k+1)*p[i])
			out[i] = math.Min(1, run)
		}
	default:
		run := 0.0
		for k, i := range idx {
			run = math.Max(run, (m-float64(k))*p[i])
			out[i] = math.Min(1, run)
		}
	}
	return out
}
