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
	// Kinds are the kinds of record to read, in the order problems list
	// them ("want order or chip"). Required.
	Kinds []Kind
	// Kind is the kind of records (and CSV rows) that carry none, as the
	// --kind flag sets it; "" means every record must carry its kind.
	Kind string
	// Format forces the format ("yaml", "json", "jsonl" or "csv") of stdin
	// and of named files whose extension says nothing. "" means by
	// extension; stdin is then sniffed: JSON (or JSONL) if its first
	// non-space byte is { or [, YAML otherwise.
	Format string
	// Stdin is read for the path "-".
	Stdin io.Reader
	// Dates, when set, is the earliest and latest date (YYYY-MM-DD) a
	// record's dates may hold (Decoder.Date): a date outside them is an
	// input problem (a typo such as 0026 or 2206, not a date the rules can
	// judge).
	Dates [2]string
}

// Read reads every path: a file, a directory (walked recursively, in
// sorted order, for .yaml .yml .json .jsonl .ndjson and .csv files; names
// starting with a dot are skipped), or "-" for opts.Stdin. It builds every
// record with its kind's Build and returns the valid ones in input order,
// together with every problem found, sorted by file and line. A record
// with a problem is not returned. Read stops early only when ctx is done.
//
// A record's Source.Line is where it starts: its first key in YAML, its
// "{" in JSON, its line in JSONL, its first row in CSV. A problem with a
// field names the field's own line in YAML and JSON, the row's line in
// CSV; a missing field is reported at the line of the object that lacks
// it.
func Read(ctx context.Context, opts Options, paths ...string) ([]Record, Problems) {
	r := &reader{ctx: ctx, opts: opts, ids: make([]map[string]Source, len(opts.Kinds))}
	r.dec = Decoder{dates: opts.Dates}
	format, ok := normFormat(opts.Format)
	switch {
	case len(opts.Kinds) == 0:
		r.problem("", 0, "", "record.Read: Options.Kinds is empty")
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
	dec     Decoder
	recs    []Record
	probs   Problems
	ids     []map[string]Source // per kind with UniqueIDs: id -> where first seen
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

// kind returns the index of the registered kind called name, or -1.
func (r *reader) kind(name string) int {
	for i := range r.opts.Kinds {
		if r.opts.Kinds[i].Name == name {
			return i
		}
	}
	return -1
}

// emit builds one record node and keeps the record if it is valid.
func (r *reader) emit(file string, n *Node, line int) {
	r.dec.file = file
	r.dec.probs = r.dec.probs[:0]
	rec, ok := r.build(n, line)
	r.probs = append(r.probs, r.dec.probs...)
	if ok {
		rec.Digest = n.digest(&r.scratch)
	}
	if ok && (r.ids == nil || !r.duplicate(rec)) {
		r.recs = append(r.recs, rec)
	}
}

// build finds a record's kind and has the kind build it. ok is false if
// it had any problem; the problems are in r.dec.
func (r *reader) build(n *Node, line int) (rec Record, ok bool) {
	d := &r.dec
	rec.Source = Source{File: d.file, Line: line}
	if n.kind != MapNode {
		d.Addf(line, nil, "expected a mapping (one record), got %s", describe(n))
		return rec, false
	}
	kindPath := Path{key: "kind"}
	kind, kindLine, badType := "", line, false
	if kn := d.Field(n, nil, "kind"); kn != nil {
		kind, kindLine = strings.ToLower(d.Text(kn, &kindPath)), kn.line
		badType = !kn.kind.Scalar() // reported by Text
	} else {
		kind = strings.ToLower(strings.TrimSpace(r.opts.Kind))
	}
	rec.Kind = kind
	switch k := r.kind(kind); {
	case badType:
	case k >= 0:
		rec.Value, rec.ID = r.opts.Kinds[k].Build(d, n)
	case kind == "":
		d.Addf(line, &kindPath, "required: give %s (or --kind for the whole input)", r.kindNames("kind: "))
	default:
		d.Addf(kindLine, &kindPath, "unknown kind %q (want %s)", kind, r.kindNames(""))
	}
	return rec, len(d.probs) == 0
}

// kindNames lists the kinds for a message: "order or chip", or with
// prefix "kind: order or kind: chip".
func (r *reader) kindNames(prefix string) string {
	var sb strings.Builder
	for i, k := range r.opts.Kinds {
		switch {
		case i == 0:
		case i == len(r.opts.Kinds)-1:
			sb.WriteString(" or ")
		default:
			sb.WriteString(", ")
		}
		sb.WriteString(prefix + k.Name)
	}
	return sb.String()
}

// duplicate reports (and records as a problem) a second record with an id
// already seen, for a kind whose ids must be unique.
func (r *reader) duplicate(rec Record) bool {
	if rec.ID == "" {
		return false
	}
	k := r.kind(rec.Kind)
	if k < 0 || !r.opts.Kinds[k].UniqueIDs {
		return false
	}
	if first, seen := r.ids[k][rec.ID]; seen {
		r.problem(rec.Source.File, rec.Source.Line, "id", fmt.Sprintf("duplicate %s id %q (first at %s:%d)", rec.Kind, rec.ID, first.File, first.Line))
		return true
	}
	if r.ids[k] == nil {
		r.ids[k] = map[string]Source{}
	}
	r.ids[k][rec.ID] = rec.Source
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
