package nullblk

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"
)

// inlineWant says, per generated request path, which refcount operations
// the compiler must inline into it and which must stay calls.
var inlineWant = []struct {
	file      string
	inlined   []string
	outOfLine []string
}{
	{"loop_atomic.go", []string{"atomicSet", "atomicInc", "atomicDec", "atomicIncNotZero", "atomicEnd"}, nil},
	{"loop_lto.go", []string{"refcountSet", "refcountInc", "refcountDecAndTest", "refcountIncNotZero", "refcountEnd"}, nil},
	{"loop_helper.go", []string{"refcountEnd"},
		[]string{"helperRefcountSet", "helperRefcountInc", "helperRefcountDecAndTest", "helperRefcountIncNotZero"}},
	{"loop_helperatomic.go", nil,
		[]string{"helperRefcountSet", "helperRefcountInc", "helperRefcountDecAndTest", "helperRefcountIncNotZero", "helperAtomicCmpxchg"}},
}

var mLine = regexp.MustCompile(`^\./([a-z_]+\.go):\d+:\d+: (inlining call to|can inline) ([A-Za-z0-9_.()*]+)`)

// TestInlining enforces DESIGN.md's one design rule with the compiler's
// own report (go build -gcflags=-m): in the atomic and lto request paths
// every refcount operation is inlined at every call site; in the helper
// and helper-atomic paths every helper call stays a call, and the report
// does not list the helpers as inlinable at all (they are go:noinline).
func TestInlining(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the compiler")
	}
	goBin := filepath.Join(runtimeGOROOT(), "bin", "go")
	if _, err := os.Stat(goBin); err != nil {
		if goBin, err = exec.LookPath("go"); err != nil {
			t.Skip("no go command")
		}
	}
	cmd := exec.Command(goBin, "build", "-gcflags=-m", ".")
	cmd.Env = append(os.Environ(), "GOFLAGS=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go build -gcflags=-m: %v\n%s", err, out)
	}
	inlinedAt := map[string]map[string]int{} // file → function → inlined call sites
	inlinable := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		m := mLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		file, what, fn := m[1], m[2], m[3]
		if what == "can inline" {
			inlinable[fn] = true
			continue
		}
		if inlinedAt[file] == nil {
			inlinedAt[file] = map[string]int{}
		}
		inlinedAt[file][fn]++
	}
	for _, w := range inlineWant {
		src, err := os.ReadFile(w.file)
		if err != nil {
			t.Fatal(err)
		}
		for _, fn := range w.inlined {
			calls := len(regexp.MustCompile(`\b`+fn+`\(`).FindAll(src, -1))
			if calls == 0 {
				t.Errorf("%s: no call to %s", w.file, fn)
			}
			if got := inlinedAt[w.file][fn]; got != calls {
				t.Errorf("%s: %s inlined at %d of %d call sites", w.file, fn, got, calls)
			}
		}
		for _, fn := range w.outOfLine {
			if len(regexp.MustCompile(`\b`+fn+`\(`).FindAll(src, -1)) == 0 {
				t.Errorf("%s: no call to %s", w.file, fn)
			}
			if n := inlinedAt[w.file][fn]; n != 0 {
				t.Errorf("%s: %s inlined at %d call sites; it must stay a call", w.file, fn, n)
			}
			if inlinable[fn] {
				t.Errorf("the compiler can inline %s; a helper must be out of line", fn)
			}
		}
	}
	// The helpers are the refcount_t code behind a call, not different
	// code: each must have the inline body inlined into it.
	for _, fn := range []string{"refcountSet", "refcountInc", "refcountDecAndTest", "refcountIncNotZero"} {
		if !inlinable[fn] {
			t.Errorf("%s is not inlinable", fn)
		}
		if inlinedAt["refcount.go"][fn] == 0 {
			t.Errorf("refcount.go: %s is not inlined into its helper", fn)
		}
	}
	if t.Failed() {
		t.Logf("compiler report:\n%s", out)
	}
}

func runtimeGOROOT() string {
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return ""
	}
	return string(bytes.TrimSpace(out))
}
