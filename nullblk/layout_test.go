package nullblk

import (
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// TestCheckCodeLayoutNamesTheFunctions checks the function table against
// the generated code (every backend, every request path, distinct
// functions) and that the diagnostic names what it finds.
func TestCheckCodeLayoutNamesTheFunctions(t *testing.T) {
	suffix := [numBackends]string{"Atomic", "Helper", "LTO", "HelperAtomic"}
	seen := map[uintptr]bool{}
	for b, fns := range requestPathFuncs {
		if len(fns) != 5 {
			t.Fatalf("%s: %d request-path functions, want 5", Backend(b), len(fns))
		}
		for _, f := range fns {
			pc := reflect.ValueOf(f).Pointer()
			name := runtime.FuncForPC(pc).Name()
			wrong := !strings.HasSuffix(name, suffix[b]) || (b == int(BackendAtomic) && strings.HasSuffix(name, "HelperAtomic"))
			if seen[pc] || wrong {
				t.Errorf("%s: unexpected function %s", Backend(b), name)
			}
			seen[pc] = true
		}
	}
	err := CheckCodeLayout()
	t.Logf("CheckCodeLayout: %v", err)
	if err != nil && !strings.Contains(err.Error(), "-ldflags=-funcalign=64") {
		t.Errorf("the diagnostic must say how to fix it: %v", err)
	}
}
