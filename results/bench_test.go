package results

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"sync"
	"testing"
)

// BenchmarkLogAppend measures what durability costs per trial: one write
// and one fsync. Against a 0.2 s trial it must be negligible.
func BenchmarkLogAppend(b *testing.B) {
	l, err := CreateLog(filepath.Join(b.TempDir(), "trials.jsonl"), *fixtureHeader())
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	tr := fixtureTrial("randread/bs=4k/qd=1/jobs=1", "atomic", 1, 1.3e6)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		tr.Round = i + 1
		if err := l.Append(tr); err != nil {
			b.Fatal(err)
		}
	}
}

// fioMatrixFile is a trials file the size of a full fio-matrix compare:
// 120 configs × 3 variants × 40 rounds.
func fioMatrixFile(b *testing.B) []byte {
	h := fixtureHeader()
	h.Plan.Configs = nil
	var trials []Trial
	for c := range 120 {
		h.Plan.Configs = append(h.Plan.Configs, fmt.Sprintf("config-%d", c))
		for r := 1; r <= 40; r++ {
			for _, v := range []string{"atomic", "helper", "lto"} {
				trials = append(trials, fixtureTrial(h.Plan.Configs[c], v, r, 1e6+float64(r)))
			}
		}
	}
	var buf bytes.Buffer
	if err := WriteTrials(&buf, h, trials); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

func BenchmarkReadTrials(b *testing.B) {
	data := fioMatrixFile(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, _, err := ReadTrials(bytes.NewReader(data), "trials.jsonl"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRenderJSON(b *testing.B) {
	r := fixtureReport()
	b.ReportAllocs()
	for b.Loop() {
		if err := RenderJSON(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
}

// TestLogConcurrentAppend: parallel workers may share one log; every
// trial must land on its own line.
func TestLogConcurrentAppend(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trials.jsonl")
	l, err := CreateLog(path, *fixtureHeader())
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	p := fixtureHeader().Plan
	for w := range 4 {
		wg.Go(func() {
			for r := 1; r <= 25; r++ {
				if err := l.Append(fixtureTrial(p.Configs[w%2], p.Variants[w/2].Label, r, 1)); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	l.Close()
	ds, err := Load(path)
	if err != nil || len(ds.Trials) != 100 {
		t.Errorf("%d trials, %v", len(ds.Trials), err)
	}
}

// TestRenderConcurrent: reports may be rendered in parallel (summary
// files and the terminal table at the end of a run); the table library's
// global width setting must not make the output differ or race.
func TestRenderConcurrent(t *testing.T) {
	var want bytes.Buffer
	RenderTable(&want, fixtureReport(), false)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			var got bytes.Buffer
			if err := RenderTable(&got, fixtureReport(), false); err != nil || !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Errorf("concurrent render differs (err %v)", err)
			}
		})
	}
	wg.Wait()
}
