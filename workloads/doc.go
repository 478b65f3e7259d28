// Package workloads describes what to run: a Workload is one fio-like job
// (rw pattern, block size, iodepth, numjobs) on a null block device
// configuration, and a Matrix is the cross product of parameter lists.
// Presets and parsers live here; running them is the harness's job.
package workloads
