package results

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sync"
)

// SchemaVersion is the trials-file schema this package writes and reads.
// It changes only when a field changes meaning; added fields keep it.
const SchemaVersion = 1

// PlanHash identifies a plan: the hex SHA-256 of its canonical JSON with
// the shard cleared, so the shards of one plan share a hash (and can be
// merged) while any other difference — one more round, another seed, a
// renamed config — gives another hash.
func PlanHash(p Plan) string {
	p.Shard = ""
	// encoding/json writes struct fields in declaration order and map keys
	// sorted, so equal plans give equal bytes.
	b, err := json.Marshal(p)
	if err != nil {
		// A Plan holds only strings, numbers and slices of them.
		panic("results: plan does not encode: " + err.Error())
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// planDiff names the first JSON field in which two plans differ, so that a
// refused resume says what changed rather than only that a hash did.
func planDiff(a, b Plan) string {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	t := va.Type()
	for i := range t.NumField() {
		if !reflect.DeepEqual(va.Field(i).Interface(), vb.Field(i).Interface()) {
			name, _, _ := bytes.Cut([]byte(t.Field(i).Tag.Get("json")), []byte(","))
			return string(name)
		}
	}
	return ""
}

// Log is an append-only trials file (trials.jsonl): a header line, then
// one line per trial, each written and synced to disk before Append
// returns, so that nothing measured is lost to a crash or a kill. It is
// safe for concurrent use, and on Unix it holds an advisory lock on the
// file, so a second run cannot append to (or resume) it at the same time.
type Log struct {
	mu       sync.Mutex
	f        *os.File
	path     string
	header   Header
	buf      bytes.Buffer
	warnings []string
	configs  map[string]bool // the plan's, to refuse a trial ResumeLog would reject
	variants map[string]bool
}

func newLog(f *os.File, path string, h Header) *Log {
	l := &Log{f: f, path: path, header: h, configs: map[string]bool{}, variants: map[string]bool{}}
	for _, c := range h.Plan.Configs {
		l.configs[c] = true
	}
	for _, v := range h.Plan.Variants {
		l.variants[v.Label] = true
	}
	return l
}

// prepareHeader fills the fields CreateLog and ResumeLog own.
func prepareHeader(h Header) Header {
	h.Kind = KindHeader
	h.Schema = SchemaVersion
	h.PlanHash = PlanHash(h.Plan)
	return h
}

// CreateLog creates a new trials file at path and writes its header, with
// Kind, Schema and PlanHash filled in from h.Plan, which must be valid. It refuses to replace an
// existing file (the error wraps os.ErrExist): a previous run's trials are
// continued with ResumeLog or moved away by the user, never overwritten.
func CreateLog(path string, h Header) (*Log, error) {
	if err := h.Plan.Validate(); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("%s: %w (resume it, or choose another output)", path, os.ErrExist)
		}
		return nil, err
	}
	if err := lockFile(f); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	l := newLog(f, path, prepareHeader(h))
	if err := l.writeLine(&l.header); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	// Make the new directory entry durable too, so a synced trial cannot
	// survive in a file whose name was lost.
	syncDir(filepath.Dir(path))
	return l, nil
}

// ResumeLog reopens the trials file at path to append to it. The file's
// plan must equal h.Plan (same plan hash, same shard); the trials already
// in it are returned so the caller runs only what is missing. A torn last
// line — a write interrupted by a crash — is truncated away and reported
// in Warnings. A file that ended before its header was complete is
// rewritten with h's header. The returned trials belong to the plan: the
// scanner rejects an unknown config or variant, or a round beyond the last.
func ResumeLog(path string, h Header) (*Log, []Trial, error) {
	if err := h.Plan.Validate(); err != nil {
		return nil, nil, err
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, nil, err
	}
	l := newLog(f, path, prepareHeader(h))
	fail := func(err error) (*Log, []Trial, error) {
		f.Close()
		return nil, nil, err
	}
	if err := lockFile(f); err != nil {
		return fail(err)
	}
	sc := NewScanner(f, path)
	var (
		got     *Header
		trials  []Trial
		goodEnd int64 // offset just past the last good line
		seen    = map[trialKey]int{}
	)
	for sc.Scan() {
		switch rec := sc.Record().(type) {
		case *Header:
			got = rec
		case *Trial:
			k := trialKey{rec.Config, rec.Variant, rec.Round}
			if first, dup := seen[k]; dup {
				return fail(&SyntaxError{path, sc.line, fmt.Sprintf(
					"trial %s / %s / round %d repeats line %d", rec.Config, rec.Variant, rec.Round, first)})
			}
			seen[k] = sc.line
			trials = append(trials, *rec)
		case *SyntaxError:
			return fail(rec)
		}
		goodEnd = sc.Offset()
	}
	if err := sc.Err(); err != nil {
		return fail(err)
	}
	for _, w := range sc.Warnings() {
		l.warnings = append(l.warnings, w.String())
	}
	if got == nil {
		if len(trials) > 0 {
			return fail(fmt.Errorf("%s: trials without a header line", path))
		}
		// Killed while writing the header: nothing was measured yet.
		if err := f.Truncate(0); err != nil {
			return fail(err)
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return fail(err)
		}
		if err := l.writeLine(&l.header); err != nil {
			return fail(err)
		}
		return l, nil, nil
	}
	// The scanner has checked that got.PlanHash is the hash of got.Plan.
	if got.PlanHash != l.header.PlanHash {
		return fail(fmt.Errorf("%s: written by a different plan (%s differs; plan hash %.12s, want %.12s)",
			path, planDiff(got.Plan, h.Plan), got.PlanHash, l.header.PlanHash))
	}
	if got.Plan.Shard != h.Plan.Shard {
		return fail(fmt.Errorf("%s: written by shard %q, this run is shard %q", path, got.Plan.Shard, h.Plan.Shard))
	}
	// Cut a torn tail (and anything after the last newline) so the next
	// append starts on a fresh line.
	if err := f.Truncate(goodEnd); err != nil {
		return fail(err)
	}
	if _, err := f.Seek(goodEnd, io.SeekStart); err != nil {
		return fail(err)
	}
	if sc.missingNewline {
		// The last record was complete but its newline was not written.
		if _, err := f.Write([]byte{'\n'}); err != nil {
			return fail(err)
		}
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	l.header = *got
	return l, trials, nil
}

// Header returns the header the log was created or resumed with.
func (l *Log) Header() Header {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.header
}

// Path returns the file the log writes.
func (l *Log) Path() string { return l.path }

// Warnings returns what ResumeLog found and repaired, such as a torn last
// line, one line each.
func (l *Log) Warnings() []string { return l.warnings }

// Append writes one trial (with Kind set) and syncs it to disk. A trial
// of a config or variant not in the plan, or one the reader would reject (no config or variant, round < 1, IOPS not a
// finite number ≥ 0) is refused; other non-finite figures are written as
// 0, since JSON cannot hold them (see sanitizeTrial).
func (l *Log) Append(t Trial) error {
	t.Kind = KindTrial
	if err := sanitizeTrial(&t); err != nil {
		return fmt.Errorf("%s: %v", l.path, err)
	}
	if !l.configs[t.Config] || !l.variants[t.Variant] {
		return fmt.Errorf("%s: trial %s / %s is not in the plan", l.path, t.Config, t.Variant)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return fmt.Errorf("%s: append to a closed log", l.path)
	}
	return l.writeLine(&t)
}

// writeLine encodes v as one line and writes it with a single write, so a
// crash leaves at most one torn line at the end, then syncs.
func (l *Log) writeLine(v any) error {
	l.buf.Reset()
	enc := json.NewEncoder(&l.buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil { // Encode appends the newline
		return fmt.Errorf("%s: %v", l.path, err)
	}
	if _, err := l.f.Write(l.buf.Bytes()); err != nil {
		return err
	}
	return l.f.Sync()
}

// Close closes the file. Every appended trial is already on disk.
func (l *Log) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil
	}
	err := l.f.Close()
	l.f = nil
	return err
}

// syncDir syncs a directory so that entries created or renamed in it
// survive a crash. Errors are ignored: some file systems cannot sync
// directories, and the data itself is already synced.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	d.Sync()
	d.Close()
}

// WriteTrials writes a complete trials file to w: the header (when not
// nil, with Kind, Schema and PlanHash set as CreateLog sets them) and the
// trials, in the format Log writes. It is how shards are
// merged and how tests make fixtures.
func WriteTrials(w io.Writer, h *Header, trials []Trial) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if h != nil {
		hh := *h
		hh.Kind = KindHeader
		hh.Schema = SchemaVersion
		hh.PlanHash = PlanHash(hh.Plan)
		if err := enc.Encode(&hh); err != nil {
			return err
		}
	}
	for i := range trials {
		t := trials[i]
		t.Kind = KindTrial
		if err := enc.Encode(&t); err != nil {
			return err
		}
	}
	return nil
}
