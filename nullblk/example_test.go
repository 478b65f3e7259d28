package nullblk_test

import (
	"context"
	"fmt"

	"github.com/rnullbench/rnullbench/nullblk"
)

// Example runs the seed's device (memory-backed, irqmode none) for a fixed
// number of 4 KiB random reads with each backend.
func Example() {
	for _, b := range nullblk.Backends() {
		cfg := nullblk.DefaultConfig()
		cfg.Backend = b
		d, err := nullblk.NewDevice(cfg)
		if err != nil {
			fmt.Println(err)
			return
		}
		res, err := d.Run(context.Background(), nullblk.Job{
			Pattern: nullblk.PatternRandRead, BS: 4096, IODepth: 1, NumJobs: 2, Requests: 10000, Seed: 1,
		})
		d.Close()
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s: %d requests, %d bytes, %d refcount WARNs\n", b, res.Requests, res.Bytes, res.RefcountWarns)
	}
	// Output:
	// atomic: 10000 requests, 40960000 bytes, 0 refcount WARNs
	// helper: 10000 requests, 40960000 bytes, 0 refcount WARNs
	// lto: 10000 requests, 40960000 bytes, 0 refcount WARNs
	// helper-atomic: 10000 requests, 40960000 bytes, 0 refcount WARNs
}

// ExampleParseBackend shows the error a command-line tool reports for an
// unknown backend.
func ExampleParseBackend() {
	_, err := nullblk.ParseBackend("inline")
	fmt.Println(err)
	// Output: backend "inline": want one of atomic, helper, lto, helper-atomic
}
