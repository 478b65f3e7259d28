package nullblk

import (
	"fmt"
	"reflect"
	"runtime"
	"strings"
)

// CodeAlignment is the cache-line size that the request path functions'
// entry addresses are compared at.
const CodeAlignment = 64

// requestPathFuncs are the generated request-path functions, per backend.
var requestPathFuncs = [numBackends][]any{
	BackendAtomic:       {(*job).runNoneAtomic, (*job).runSoftirqAtomic, (*job).completeSoftirqAtomic, (*job).runTimerAtomic, (*job).expireTimersAtomic},
	BackendHelper:       {(*job).runNoneHelper, (*job).runSoftirqHelper, (*job).completeSoftirqHelper, (*job).runTimerHelper, (*job).expireTimersHelper},
	BackendLTO:          {(*job).runNoneLTO, (*job).runSoftirqLTO, (*job).completeSoftirqLTO, (*job).runTimerLTO, (*job).expireTimersLTO},
	BackendHelperAtomic: {(*job).runNoneHelperAtomic, (*job).runSoftirqHelperAtomic, (*job).completeSoftirqHelperAtomic, (*job).runTimerHelperAtomic, (*job).expireTimersHelperAtomic},
}

// CheckCodeLayout reports whether the binary placed every backend's
// request-path functions at the same offset within a CodeAlignment-byte
// line. Go aligns functions to 32 bytes only, so two backends' identical
// loops can sit differently across 64-byte fetch and op-cache lines; on
// the machine this package was developed on, that alone made the same
// instructions 2.5% slower in one copy (lto against atomic in irqmode
// none, which execute the same operations), and -ldflags=-funcalign=64
// removed it. Placement inside the functions still matters and is not
// checked: the same build flag moved helper-atomic in irqmode softirq
// from 1.14× to 1.85× the atomic backend's time per request. Comparisons
// of a few percent deserve a second build with other flags. The error is
// meant for a run's warnings, not to stop it.
func CheckCodeLayout() error {
	var bad []string
	for b, fns := range requestPathFuncs {
		for _, f := range fns {
			pc := reflect.ValueOf(f).Pointer()
			if off := pc % CodeAlignment; off != 0 {
				name := runtime.FuncForPC(pc).Name()
				name = name[strings.LastIndexByte(name, '.')+1:]
				bad = append(bad, fmt.Sprintf("%s %s at +%d", Backend(b), name, off))
			}
		}
	}
	if len(bad) == 0 {
		return nil
	}
	return fmt.Errorf("request path not %d-byte aligned (%s); build with -ldflags=-funcalign=%d for comparable backends",
		CodeAlignment, strings.Join(bad, ", "), CodeAlignment)
}
