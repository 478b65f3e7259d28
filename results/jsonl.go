package results

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"time"
)

// Record is one line of a trials file: a *Header, a *Trial, or a
// *SyntaxError for a line that could not be read.
type Record interface{ isRecord() }

func (*Header) isRecord()      {}
func (*Trial) isRecord()       {}
func (*SyntaxError) isRecord() {}

// SyntaxError is a line of input that could not be read, positioned as
// "file:line: msg" so an editor can jump to it.
type SyntaxError struct {
	File string
	Line int
	Msg  string
}

// Error returns "file:line: msg".
func (e *SyntaxError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// Warning is something a reader noticed and worked around, such as a torn
// last line it dropped. Readers return warnings; they never print.
type Warning struct {
	File string
	Line int // 0 when it concerns the whole file
	Msg  string
}

// String returns "file:line: msg", or "file: msg" without a line.
func (w Warning) String() string {
	if w.Line == 0 {
		return fmt.Sprintf("%s: %s", w.File, w.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", w.File, w.Line, w.Msg)
}

// maxLine bounds one record; a longer line is corruption, not a trial.
const maxLine = 1 << 20

// Scanner reads a trials file record by record, in the manner of
// golang.org/x/perf/benchfmt.Reader: Scan advances, Record returns the
// record, and a line that cannot be read is returned as a *SyntaxError
// record so the caller decides whether to stop. A last line that cannot be
// read is not an error but a torn write (a crash mid-append): it is
// dropped and reported by Warnings.
type Scanner struct {
	br   *bufio.Reader
	name string
	line int
	rec  Record
	err  error

	offset         int64 // bytes consumed up to the end of the last good record
	pos            int64 // bytes consumed so far
	missingNewline bool  // the last record had no trailing newline
	sawHeader      bool
	sawTrial       bool
	plan           *Plan // the header's, once seen: trials must belong to it
	configs        map[string]bool
	variants       map[string]bool
	warnings       []Warning
	lineBuf        []byte
}

// NewScanner returns a Scanner reading r; name is used in positions.
func NewScanner(r io.Reader, name string) *Scanner {
	return &Scanner{br: bufio.NewReaderSize(r, 64<<10), name: name}
}

// Scan advances to the next record and reports whether there is one.
func (s *Scanner) Scan() bool {
	if s.err != nil {
		return false
	}
	for {
		line, hadNL, err := s.readLine()
		if err != nil {
			if err != io.EOF {
				s.err = fmt.Errorf("%s:%d: %v", s.name, s.line+1, err)
			}
			return false
		}
		s.line++
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		rec := s.parse(line)
		if se, ok := rec.(*SyntaxError); ok {
			// Only an incomplete line can be torn: a whole JSON object
			// that ends in a newline was written completely, so its
			// problem (an unknown kind, a wrong type) is the file's.
			torn := !hadNL || !json.Valid(line)
			if torn && s.restIsBlank() {
				s.warnings = append(s.warnings, Warning{s.name, se.Line,
					"torn last line dropped (an interrupted write): " + se.Msg})
				return false
			}
			s.rec = rec
			return true
		}
		s.rec = rec
		s.offset = s.pos
		s.missingNewline = !hadNL
		return true
	}
}

// readLine returns the next line without its newline, and whether it had
// one. Lines longer than maxLine are returned truncated, which then fails
// to parse.
func (s *Scanner) readLine() ([]byte, bool, error) {
	s.lineBuf = s.lineBuf[:0]
	for {
		chunk, err := s.br.ReadSlice('\n')
		s.pos += int64(len(chunk))
		if len(s.lineBuf) < maxLine {
			s.lineBuf = append(s.lineBuf, chunk...)
		}
		switch {
		case err == nil:
			l := s.lineBuf[:len(s.lineBuf)-1]
			return bytes.TrimSuffix(l, []byte{'\r'}), true, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == io.EOF && len(s.lineBuf) > 0:
			return s.lineBuf, false, nil
		default:
			return nil, false, err
		}
	}
}

// restIsBlank reports whether only white space (or the zero bytes a crash
// can leave in a file's tail) remains. It reads the rest into memory and,
// if something is there, arranges for scanning to continue over it.
func (s *Scanner) restIsBlank() bool {
	rest, err := io.ReadAll(s.br)
	if err != nil {
		s.err = fmt.Errorf("%s: %v", s.name, err)
		return false
	}
	blank := len(bytes.Trim(rest, " \t\r\n\x00")) == 0
	s.br = bufio.NewReaderSize(bytes.NewReader(rest), 64<<10)
	return blank
}

// Record returns the record the last Scan found. The Scanner does not
// reuse it.
func (s *Scanner) Record() Record { return s.rec }

// Err returns the I/O error that stopped scanning, if any. Bad lines are
// records, not errors.
func (s *Scanner) Err() error { return s.err }

// Warnings returns what the Scanner worked around so far.
func (s *Scanner) Warnings() []Warning { return s.warnings }

// Offset returns the byte offset just past the last good record: where a
// resumed log continues writing.
func (s *Scanner) Offset() int64 { return s.offset }

// trialLine decodes a line in one pass as a trial: Trial's fields, plus
// pointers that tell a missing required field from a zero one. The outer
// fields shadow the embedded Trial's fields of the same JSON name, so
// their values are copied over after decoding. Trials are nearly every
// line of a file; a header is decoded a second time, as a Header.
type trialLine struct {
	*Trial
	Type   *string  `json:"type"`
	Config *string  `json:"config"`
	Round  *int     `json:"round"`
	IOPS   *float64 `json:"iops"`
}

func (s *Scanner) errorf(format string, args ...any) *SyntaxError {
	return &SyntaxError{File: s.name, Line: s.line, Msg: fmt.Sprintf(format, args...)}
}

func (s *Scanner) parse(line []byte) Record {
	t := new(Trial)
	tl := trialLine{Trial: t}
	err := json.Unmarshal(line, &tl)
	kind := t.Kind
	if kind == "" && tl.Type != nil {
		kind = *tl.Type
	}
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return s.jsonError(err, "")
	case kind == KindHeader:
		return s.parseHeader(line)
	case err != nil:
		return s.jsonError(err, "start")
	case kind == "":
		return s.errorf(`field "kind": missing`)
	case kind != KindTrial:
		return s.errorf("unknown kind %q (want %q or %q)", kind, KindHeader, KindTrial)
	}
	t.Kind = KindTrial
	switch {
	case tl.Config == nil || *tl.Config == "":
		return s.errorf(`field "config": missing`)
	case t.Variant == "" && t.Backend == "":
		return s.errorf(`field "variant": missing`)
	case tl.IOPS == nil:
		return s.errorf(`field "iops": missing`)
	case tl.Round == nil:
		return s.errorf(`field "round": missing`)
	case *tl.Round < 1:
		return s.errorf(`field "round": %d: want 1 or more`, *tl.Round)
	case *tl.IOPS < 0 || math.IsInf(*tl.IOPS, 0):
		return s.errorf(`field "iops": %v: want a finite number ≥ 0`, *tl.IOPS)
	}
	t.Config, t.Round, t.IOPS = *tl.Config, *tl.Round, *tl.IOPS
	if t.Variant == "" {
		// Records written by hand or by other tools may name only the
		// backend; the backend is then the variant's label too.
		t.Variant = t.Backend
	}
	if err := s.checkMember(t); err != nil {
		return err
	}
	s.sawTrial = true
	return t
}

func (s *Scanner) parseHeader(line []byte) Record {
	if s.sawHeader {
		return s.errorf("a second header (merge files with Load, not by concatenating them)")
	}
	if s.sawTrial {
		return s.errorf("header after trials")
	}
	h := new(Header)
	if err := json.Unmarshal(line, h); err != nil {
		return s.jsonError(err, "started")
	}
	if h.Schema != SchemaVersion {
		return s.errorf("schema %d not supported (this version reads schema %d)", h.Schema, SchemaVersion)
	}
	if h.PlanHash != PlanHash(h.Plan) {
		return s.errorf("header plan_hash %.12q does not match its plan (edited by hand, or written by a newer version?)", h.PlanHash)
	}
	s.sawHeader = true
	s.plan = &h.Plan
	s.configs = make(map[string]bool, len(h.Plan.Configs))
	for _, c := range h.Plan.Configs {
		s.configs[c] = true
	}
	s.variants = make(map[string]bool, len(h.Plan.Variants))
	for _, v := range h.Plan.Variants {
		s.variants[v.Label] = true
	}
	return h
}

// checkMember rejects a trial that cannot belong to the file's plan: a
// config or variant the plan does not have, or a round beyond its last.
// Such a line is corruption or two runs pasted together, and would be
// counted as a measurement of something else.
func (s *Scanner) checkMember(t *Trial) *SyntaxError {
	if s.plan == nil {
		return nil
	}
	switch {
	case len(s.configs) > 0 && !s.configs[t.Config]:
		return s.errorf("trial of config %q, which the header's plan does not have", t.Config)
	case len(s.variants) > 0 && !s.variants[t.Variant]:
		return s.errorf("trial of variant %q, which the header's plan does not have", t.Variant)
	case s.plan.Rounds > 0 && t.Round > s.plan.Rounds:
		return s.errorf("trial of round %d, beyond the plan's %d rounds", t.Round, s.plan.Rounds)
	}
	return nil
}

// jsonError turns an encoding/json error into a one-line message naming
// the field. timeField names the record's one time field: a bad time is
// reported by package time, which does not know the field.
func (s *Scanner) jsonError(err error, timeField string) *SyntaxError {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	var pe *time.ParseError
	switch {
	case errors.As(err, &pe) && timeField != "":
		return s.errorf("field %q: %q: not an RFC 3339 time", timeField, pe.Value)
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			return s.errorf("not a JSON object")
		}
		return s.errorf("field %q: not %s", field, kindName(te.Type))
	case errors.As(err, &se):
		return s.errorf("invalid JSON at byte %d: %v", se.Offset, se)
	}
	return s.errorf("%v", err)
}

func kindName(t reflect.Type) string {
	if t == nil {
		return "valid"
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer in range"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return "a " + t.String()
}

// trialKey identifies a trial within a dataset; two records with the same
// key would count one measurement twice.
type trialKey struct {
	config, variant string
	round           int
}

// ReadTrials reads a whole trials file: its header (nil when the file has
// none), its trials in file order, and warnings such as a dropped torn
// last line. The first unreadable line, a second header, an unknown kind
// or schema, and a repeated (config, variant, round) are errors
// positioned "name:line: ...".
func ReadTrials(r io.Reader, name string) (*Header, []Trial, []Warning, error) {
	sc := NewScanner(r, name)
	var (
		h      *Header
		trials []Trial
		seen   = map[trialKey]int{}
	)
	for sc.Scan() {
		switch rec := sc.Record().(type) {
		case *SyntaxError:
			return nil, nil, nil, rec
		case *Header:
			h = rec
		case *Trial:
			k := trialKey{rec.Config, rec.Variant, rec.Round}
			if first, dup := seen[k]; dup {
				return nil, nil, nil, &SyntaxError{name, sc.line, fmt.Sprintf(
					"trial %s / %s / round %d repeats line %d", rec.Config, rec.Variant, rec.Round, first)}
			}
			seen[k] = sc.line
			trials = append(trials, *rec)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, nil, nil, err
	}
	if h == nil && len(trials) == 0 {
		return nil, nil, sc.Warnings(), fmt.Errorf("%s: no records", name)
	}
	return h, trials, sc.Warnings(), nil
}
