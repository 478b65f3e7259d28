package results_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/rnullbench/rnullbench/results"
)

// Data measured anywhere can be analysed once it is a CSV with config,
// variant and value columns; errors say where the input is wrong.
func ExampleReadCSV() {
	trials, err := results.ReadCSV(strings.NewReader("config,variant,value\nc1,atomic,1.30e6\nc1,helper,1.23e6\n"), "raw.csv")
	fmt.Println(len(trials), trials[1].Variant, trials[1].IOPS, err)
	_, err = results.ReadCSV(strings.NewReader("config,variant,value\nc1,atomic,fast\n"), "raw.csv")
	fmt.Println(err)
	// Output:
	// 2 helper 1.23e+06 <nil>
	// raw.csv:2: column "value": "fast": not a number
}

// Renderers format a Report that the statistics computed; they compute
// nothing themselves.
func ExampleRenderCSV() {
	r := results.Report{Rows: []results.SummaryRow{{
		Config: "randread/bs=4k/qd=1/jobs=1", Variant: "helper", Baseline: "atomic", N: 40, NBaseline: 40,
		Mean: 1.23e6, BaselineMean: 1.3e6, ChangePct: -5.38, CILoPct: -6.1, CIHiPct: -4.3,
		CIMethod: "bca", Confidence: 0.95, PValue: 0.0001, PAdjusted: 0.0006, Significant: true, Verdict: "slower",
	}}}
	results.RenderCSV(os.Stdout, r)
	// Output:
	// config,variant,baseline,n,n_baseline,mean,baseline_mean,change_pct,ci_lo_pct,ci_hi_pct,ci_method,confidence,p_value,significant,p_adjusted,verdict,flags
	// randread/bs=4k/qd=1/jobs=1,helper,atomic,40,40,1230000,1300000,-5.38,-6.1,-4.3,bca,0.95,0.0001,true,0.0006,slower,
}
