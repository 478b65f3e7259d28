package stats

import (
	"encoding/binary"
	"math"
	"testing"
)

// decodeSamples turns fuzz bytes into two samples. The first byte picks
// how values are read, so the fuzzer reaches raw float64 bit patterns
// (NaN, Inf, huge, subnormal), tiny integers (many ties) and throughput-like
// values alike; the second splits the rest between baseline and variant.
func decodeSamples(data []byte) (b, v []float64) {
	if len(data) < 2 {
		return nil, nil
	}
	mode, split := data[0]%3, int(data[1])
	// A few hundred values reach every branch; megabyte inputs only slow
	// the fuzzer down.
	data = data[2:min(len(data), 4096)]
	var xs []float64
	switch mode {
	case 0:
		for ; len(data) >= 8; data = data[8:] {
			xs = append(xs, math.Float64frombits(binary.LittleEndian.Uint64(data)))
		}
	case 1:
		for _, c := range data {
			xs = append(xs, float64(c%8))
		}
	case 2:
		for ; len(data) >= 2; data = data[2:] {
			xs = append(xs, 1e5+float64(int16(binary.LittleEndian.Uint16(data))))
		}
	}
	split = min(split, len(xs))
	return xs[:split], xs[split:]
}

func FuzzCompare(f *testing.F) {
	f.Add([]byte{2, 4, 0, 1, 0, 2, 0, 3, 0, 4, 9, 9, 9, 8, 9, 7, 9, 6}, uint8(0), false)
	f.Add([]byte{1, 3, 1, 1, 1, 2, 2, 2, 5}, uint8(1), false)
	f.Add([]byte{1, 2, 0, 0, 0, 0}, uint8(3), false)
	f.Add([]byte{1, 3, 0, 1, 7, 0, 1, 7}, uint8(4), true)
	f.Add([]byte{0, 1, 0, 0, 0, 0, 0, 0, 0xf8, 0x7f, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f}, uint8(2), false)
	f.Add([]byte{2, 1, 5, 5, 7, 7}, uint8(0), true)
	f.Fuzz(func(t *testing.T, data []byte, method uint8, paired bool) {
		b, v := decodeSamples(data)
		o := DefaultOptions()
		o.Method = Methods[int(method)%len(Methods)]
		o.Resamples = 200
		var c Comparison
		var err error
		if paired {
			c, err = ComparePaired(b, v, o)
		} else {
			c, err = Compare(b, v, o)
		}
		if err != nil {
			return
		}
		checkHonest(t, "fuzz", c)
		f := Inspect(b, nil)
		if f.OutliersMild+f.OutliersSevere > len(b) || !(f.DriftP >= 0 && f.DriftP <= 1) || math.IsNaN(f.BimodalityCoeff) {
			t.Errorf("Inspect(%v) = %+v", b, f)
		}
	})
}

func FuzzAdjust(f *testing.F) {
	f.Add([]byte{1, 50, 200, 3, 3})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		data = data[:min(len(data), 256)] // the order check below is quadratic
		p := make([]float64, len(data))
		for i, c := range data {
			p[i] = float64(c) / 255
		}
		for _, c := range []Correction{CorrectionHolm, CorrectionBH} {
			q := Adjust(p, c)
			for i := range p {
				if !(q[i] >= p[i] && q[i] <= 1) {
					t.Fatalf("%s: p=%v adjusted to %v", c, p[i], q[i])
				}
				for j := range p {
					if p[i] < p[j] && q[i] > q[j] {
						t.Fatalf("%s: order broken: p %v<%v but adjusted %v>%v", c, p[i], p[j], q[i], q[j])
					}
				}
			}
		}
	})
}
