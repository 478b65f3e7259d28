package stats

import "math"

// The bootstrap needs two order statistics of B resamples, not the whole
// order: selection finds each in O(B) where sorting costs O(B log B), a
// fifth of a comparison's time at B = 10 000. Go's library has no
// nth_element, so it is written here.

// selectK reorders a so that a[k] is the value a full sort would put
// there, with nothing greater before it and nothing smaller after it.
// a must hold no NaN. Three-way partitioning keeps it linear on the many
// equal values a bootstrap of a few distinct data points produces.
func selectK(a []float64, k int) {
	lo, hi := 0, len(a)-1
	for hi > lo {
		p := median3(a[lo], a[lo+(hi-lo)/2], a[hi])
		lt, i, gt := lo, lo, hi
		for i <= gt {
			switch x := a[i]; {
			case x < p:
				a[lt], a[i] = x, a[lt]
				lt++
				i++
			case x > p:
				a[i], a[gt] = a[gt], x
				gt--
			default:
				i++
			}
		}
		// Now a[lo:lt] < p, a[lt:gt+1] == p, a[gt+1:hi+1] > p.
		switch {
		case k < lt:
			hi = lt - 1
		case k > gt:
			lo = gt + 1
		default:
			return
		}
	}
}

func median3(a, b, c float64) float64 {
	if a > b {
		a, b = b, a
	}
	if b > c {
		b = c
	}
	if a > b {
		return a
	}
	return b
}

// quantileSelect is quantileSorted without the sort: the linear
// interpolation at p·(n−1) between the two order statistics around it.
// It reorders a.
func quantileSelect(a []float64, p float64) float64 {
	h := p * float64(len(a)-1)
	i := int(math.Floor(h))
	if i >= len(a)-1 {
		i = len(a) - 1
	}
	i = max(i, 0)
	selectK(a, i)
	if i == len(a)-1 {
		return a[i]
	}
	next := a[i+1]
	for _, x := range a[i+2:] {
		next = math.Min(next, x)
	}
	// Reuse quantileSorted's interpolation on the two neighbours so both
	// paths give the same bits.
	return quantileSorted([]float64{a[i], next}, h-float64(i))
}
