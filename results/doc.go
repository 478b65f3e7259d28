// Package results owns what is on disk: the append-only trial log
// (trials.jsonl) and its resumption, readers for our own records and for
// data measured elsewhere, and the renderers of reports (terminal table,
// CSV, markdown, JSON, benchfmt, HTML).
//
// A trials file is JSON Lines: a header (kind "header": schema, plan,
// plan hash, environment), then one Trial per line (kind "trial"),
// appended and synced as each trial finishes. A crash can leave at most a
// torn last line, which readers drop with a warning and ResumeLog cuts
// away. Errors name the file and line: "trials.jsonl:17: field "iops":
// not a number".
//
// Data measured anywhere else can be read as a raw CSV with the columns
// config, variant, value and optionally trial. Load tells the formats
// apart by content and merges files of one plan (e.g. shards).
//
// Renderers format a Report and compute nothing, so every format tells
// the same story; identical input gives byte-identical output. Machine
// formats (CSV, JSON) are unscaled; the table and markdown scale units
// for people. WriteFileAtomic writes report files so that a crash never
// leaves half a report.
package results
