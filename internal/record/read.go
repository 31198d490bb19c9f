package record

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// Input limits. A record past maxRecord is almost certainly not an order
// (or is an attack); a file past maxFile would not fit a batch run.
const (
	maxRecord = 1 << 20
	maxFile   = 1 << 30
)

// StdinName is the file name that records and problems read from "-" carry.
const StdinName = "<stdin>"

// Options controls Read.
type Options struct {
	// Kind is the kind of records (and CSV rows) that carry none, as the
	// --kind flag sets it; "" means every record must carry its kind.
	Kind string
	// Format forces the format ("yaml", "json", "jsonl" or "csv") of stdin
	// and of named files whose extension says nothing. "" means by
	// extension; stdin is then sniffed: JSON (or JSONL) if its first
	// non-space byte is { or [, YAML otherwise.
	Format string
	// Vocab is what codes are checked against. Required.
	Vocab Vocabulary
	// Stdin is read for the path "-".
	Stdin io.Reader
	// Dates, when set, is the earliest and latest date (YYYY-MM-DD) a
	// record's dates may hold: a date outside them is an input problem
	// (a typo such as 0026 or 2206, not a date the rules can judge).
	Dates [2]string
}

// Read reads every path: a file, a directory (walked recursively, in
// sorted order, for .yaml .yml .json .jsonl .ndjson and .csv files; names
// starting with a dot are skipped), or "-" for opts.Stdin. It validates
// every record and returns the valid ones in input order, together with
// every problem found, sorted by file and line. A record with a problem is
// not returned. Read stops early only when ctx is done.
//
// A record's Source.Line is where it starts: its first key in YAML, its
// "{" in JSON, its line in JSONL, its first row in CSV. A problem with a
// field names the field's own line in YAML and JSON, the row's line in
// CSV; a missing field is reported at the line of the object that lacks
// it.
func Read(ctx context.Context, opts Options, paths ...string) ([]Record, Problems) {
	r := &reader{ctx: ctx, opts: opts, ids: map[string]Source{}}
	r.b = builder{vocab: opts.Vocab, kind: opts.Kind, dates: opts.Dates}
	format, ok := normFormat(opts.Format)
	switch {
	case opts.Vocab == nil:
		r.problem("", 0, "", "record.Read: Options.Vocab is nil")
	case !ok:
		r.problem("", 0, "", fmt.Sprintf("unknown format %q (want yaml, json, jsonl or csv)", opts.Format))
	default:
		r.format = format
		for _, p := range paths {
			if !r.live() {
				break
			}
			r.readPath(p)
		}
	}
	sortProblems(r.probs)
	if len(r.probs) == 0 {
		r.probs = nil
	}
	return r.recs, r.probs
}

type reader struct {
	ctx     context.Context
	opts    Options
	format  string // normalised opts.Format
	b       builder
	recs    []Record
	probs   Problems
	ids     map[string]Source // order ids seen, for duplicates
	stopped bool
	mem     *jsonMem
	scratch []byte // for record digests
}

func (r *reader) jsonMem() *jsonMem {
	if r.mem == nil {
		r.mem = newJSONMem()
	}
	return r.mem
}

func (r *reader) problem(file string, line int, field, msg string) {
	r.probs = append(r.probs, Problem{File: file, Line: line, Field: field, Msg: msg})
}

// live reports whether to go on; once ctx is done it records why not.
func (r *reader) live() bool {
	if r.stopped {
		return false
	}
	if err := r.ctx.Err(); err != nil {
		r.stopped = true
		r.problem("", 0, "", "reading stopped: "+err.Error())
		return false
	}
	return true
}

// emit validates one record node and keeps the record if it is valid.
func (r *reader) emit(file string, n *node, line int) {
	r.b.file = file
	r.b.probs = r.b.probs[:0]
	rec, ok := r.b.build(n, line)
	r.probs = append(r.probs, r.b.probs...)
	if ok {
		rec.Digest = n.digest(&r.scratch)
	}
	if ok && (r.ids == nil || !r.duplicate(rec)) {
		r.recs = append(r.recs, rec)
	}
}

// duplicate reports (and records as a problem) a second order with an id
// already seen: decisions are keyed by order id, so one of the two would be
// unanswerable.
func (r *reader) duplicate(rec Record) bool {
	if rec.Kind != KindOrder || rec.ID == "" {
		return false
	}
	if first, seen := r.ids[rec.ID]; seen {
		r.problem(rec.Source.File, rec.Source.Line, "id", fmt.Sprintf("duplicate order id %q (first at %s:%d)", rec.ID, first.File, first.Line))
		return true
	}
	r.ids[rec.ID] = rec.Source
	return false
}

func (r *reader) readPath(p string) {
	if p == "-" {
		if r.opts.Stdin == nil {
			r.problem(StdinName, 0, "", "no standard input to read")
			return
		}
		data, err := readLimited(r.opts.Stdin, 0, maxFile)
		if err != nil {
			r.problem(StdinName, 0, "", err.Error())
			return
		}
		data = bytes.TrimPrefix(data, bom)
		format := r.format
		if format == "" {
			format = sniff(data)
		}
		r.parse(StdinName, format, data)
		return
	}
	fi, err := os.Stat(p)
	if err != nil {
		r.problem(p, 0, "", "cannot read: "+pathErr(err))
		return
	}
	if fi.IsDir() {
		r.walk(p)
		return
	}
	format := formatOf(p)
	if format == "" {
		format = r.format
	}
	if format == "" {
		r.problem(p, 0, "", "unknown file type (want .yaml, .yml, .json, .jsonl, .ndjson or .csv, or set the format)")
		return
	}
	r.readFile(p, format)
}

// walk reads every record file under dir, in lexical order.
func (r *reader) walk(dir string) {
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			r.problem(p, 0, "", "cannot read: "+pathErr(err))
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !r.live() {
			return fs.SkipAll
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if format := formatOf(p); format != "" {
			r.readFile(p, format)
		}
		return nil
	})
	if err != nil {
		r.problem(dir, 0, "", "cannot read: "+pathErr(err))
	}
}

func (r *reader) readFile(p, format string) {
	f, err := os.Open(p)
	if err != nil {
		r.problem(p, 0, "", "cannot read: "+pathErr(err))
		return
	}
	defer f.Close()
	var size int64
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		size = fi.Size()
	}
	if size > maxFile {
		r.problem(p, 0, "", fmt.Sprintf("file is larger than the %s limit", sizeName(maxFile)))
		return
	}
	data, err := readLimited(f, size, maxFile)
	if err != nil {
		r.problem(p, 0, "", err.Error())
		return
	}
	r.parse(p, format, bytes.TrimPrefix(data, bom))
}

var bom = []byte("\ufeff")

// readLimited reads all of rd, refusing more than limit bytes; size is a
// hint for the buffer.
func readLimited(rd io.Reader, size int64, limit int) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(int(size) + bytes.MinRead)
	if _, err := buf.ReadFrom(io.LimitReader(rd, int64(limit)+1)); err != nil {
		return nil, fmt.Errorf("cannot read: %s", pathErr(err))
	}
	if buf.Len() > limit {
		return nil, fmt.Errorf("input is larger than the %s limit", sizeName(limit))
	}
	return buf.Bytes(), nil
}

func (r *reader) parse(file, format string, data []byte) {
	switch format {
	case "yaml":
		r.readYAML(file, data)
	case "json", "jsonl", "csv":
		if line := invalidUTF8Line(data); line > 0 {
			r.problem(file, line, "", "not valid UTF-8")
			return
		}
		switch format {
		case "json":
			r.readJSON(file, data)
		case "jsonl":
			r.readJSONL(file, data)
		default:
			r.readCSV(file, data)
		}
	}
}

func formatOf(p string) string {
	switch strings.ToLower(filepath.Ext(p)) {
	case ".yaml", ".yml":
		return "yaml"
	case ".json":
		return "json"
	case ".jsonl", ".ndjson":
		return "jsonl"
	case ".csv":
		return "csv"
	}
	return ""
}

func normFormat(f string) (string, bool) {
	switch strings.ToLower(strings.TrimSpace(f)) {
	case "":
		return "", true
	case "yaml", "yml":
		return "yaml", true
	case "json":
		return "json", true
	case "jsonl", "ndjson":
		return "jsonl", true
	case "csv":
		return "csv", true
	}
	return "", false
}

// sniff guesses the format of unnamed input. JSON starts with { or [;
// among those, input whose every non-blank line is a whole {...} is read as
// JSONL, so that one bad line does not hide the rest.
func sniff(data []byte) string {
	t := bytes.TrimLeft(data, " \t\r\n")
	if len(t) == 0 || t[0] != '{' && t[0] != '[' {
		return "yaml"
	}
	if t[0] == '[' {
		return "json"
	}
	for len(t) > 0 {
		var l []byte
		if i := bytes.IndexByte(t, '\n'); i >= 0 {
			l, t = t[:i], t[i+1:]
		} else {
			l, t = t, nil
		}
		l = bytes.TrimSpace(l)
		if len(l) > 0 && (l[0] != '{' || l[len(l)-1] != '}') {
			return "json"
		}
	}
	return "jsonl"
}

// invalidUTF8Line returns the 1-based line of the first invalid UTF-8
// sequence in data, or 0 if data is valid.
func invalidUTF8Line(data []byte) int {
	if utf8.Valid(data) {
		return 0
	}
	line := 1
	for i := 0; i < len(data); {
		c := data[i]
		if c < utf8.RuneSelf {
			if c == '\n' {
				line++
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			return line
		}
		i += size
	}
	return line
}

// pathErr drops the path from an *fs.PathError, since the problem names
// the file already.
func pathErr(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func sizeName(n int) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}
