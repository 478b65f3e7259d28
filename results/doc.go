// Package results owns what is on disk: the append-only trial log
// (trials.jsonl) and its resumption, readers for our own records and for
// data measured elsewhere, and the renderers of reports (terminal table,
// CSV, markdown, JSON, benchfmt, HTML).
package results
