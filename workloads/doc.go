// Package workloads describes what to run: a Workload is one fio-like job
// (rw pattern, block size, iodepth, numjobs) on a null block device
// configuration, and a Matrix is the cross product of parameter lists.
// Presets and parsers live here; running them is the harness's job.
//
// Every workload has a stable config name that records are keyed by:
//
//	randread/bs=4k/qd=1/jobs=1
//	randread/bs=4k/qd=1/jobs=2/sq=2
//	randwrite/bs=1m/qd=8/jobs=1/irq=softirq/mem=0
//
// The rw pattern and bs, qd and jobs always appear; device parameters
// (sq submit_queues, hwqd hw_queue_depth, irq irqmode, cnsec
// completion_nsec, mem memory_backed, size, shared shared_tags, lbs
// blocksize) only when they differ from DefaultDevice, the device of the
// seed's kernel measurements. A name therefore never depends on the rest
// of the matrix, and ParseName reads it back.
//
// A matrix comes from a preset ("quick", "fio-matrix"), from flag lists
// through Cross, or from a matrix file (see ParseMatrix).
package workloads
