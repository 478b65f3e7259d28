package nullblk

import (
	"bytes"
	"math"
	"math/rand/v2"
	"testing"
)

// TestPageStoreMatchesFlatMemory writes and reads random extents, aligned
// or not, and compares with a flat byte slice: reads see the last write,
// and zeros where nothing was written.
func TestPageStoreMatchesFlatMemory(t *testing.T) {
	const size = 1 << 20
	s := newPageStore(size)
	flat := make([]byte, size)
	rng := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		n := 1 + rng.IntN(3*pageSize)
		off := rng.IntN(size - n)
		if rng.IntN(2) == 0 {
			buf := make([]byte, n)
			for i := range buf {
				buf[i] = byte(rng.Uint32())
			}
			s.write(uint64(off), buf)
			copy(flat[off:], buf)
		} else {
			buf := bytes.Repeat([]byte{0xee}, n)
			s.read(uint64(off), buf)
			if !bytes.Equal(buf, flat[off:off+n]) {
				t.Fatalf("read %d bytes at %d differs from what was written", n, off)
			}
		}
	}
	s.release()
	buf := []byte{1, 2, 3}
	s.read(0, buf)
	if !bytes.Equal(buf, []byte{0, 0, 0}) {
		t.Errorf("released store reads %v, want zeros", buf)
	}
}

// TestPagePoolReusesPages checks that a closed device's pages serve the
// next device, cleared.
func TestPagePoolReusesPages(t *testing.T) {
	s := newPageStore(1 << 20)
	s.write(0, []byte{42})
	p := s.lookup(0, false)
	s.release()
	s2 := newPageStore(1 << 20)
	s2.write(pageSize+1, []byte{7})
	if q := s2.lookup(1, false); q != p {
		t.Skip("pool handed out another page (a concurrent test used it)")
	}
	if p[0] != 0 || p[1] != 7 {
		t.Errorf("a reused page keeps old data")
	}
	s2.release()
}

func TestHistogramQuantiles(t *testing.T) {
	var h histogram
	for v := int64(1); v <= 100000; v++ {
		h.record(v)
	}
	l := h.latency()
	if l.Samples != 100000 || l.MaxNs != 100000 || math.Abs(l.MeanNs-50000.5) > 1e-9 {
		t.Errorf("samples %d max %v mean %v", l.Samples, l.MaxNs, l.MeanNs)
	}
	for _, c := range []struct{ got, want float64 }{{l.P50Ns, 50000}, {l.P90Ns, 90000}, {l.P99Ns, 99000}, {l.P999Ns, 99900}} {
		if math.Abs(c.got-c.want)/c.want > 1.0/latSubBuckets {
			t.Errorf("quantile %v, want %v within %.1f%%", c.got, c.want, 100.0/latSubBuckets)
		}
	}
	var merged, empty histogram
	merged.merge(&h)
	merged.merge(&empty)
	if merged.latency() != l {
		t.Errorf("merge changed the summary")
	}
	if (empty.latency() != Latency{}) {
		t.Errorf("empty histogram: %+v", empty.latency())
	}
	for v := uint64(0); v < 1<<20; v = v*3/2 + 1 {
		if mid := latBucketMid(latBucket(v)); math.Abs(mid-float64(v)) > float64(v)/latSubBuckets+0.5 {
			t.Fatalf("value %d lands in a bucket centred at %v", v, mid)
		}
	}
}
