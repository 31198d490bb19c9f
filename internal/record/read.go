package record

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Input limits. A record past maxRecord is almost certainly not an order
// (or is an attack). Every format is streamed, so no file is limited;
// maxFile bounds the one thing still held whole, a YAML document that is
// a list of records.
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

// Chunk is a run of consecutive records of the input, in input order,
// with the problems found while reading them (in the order found).
type Chunk struct {
	Recs  []Record
	Probs Problems
}

// chunkRecords is how many records a chunk holds at most: enough to amortise the hand-over, few enough that the
// records in flight stay a few megabytes.
const chunkRecords = 1024

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
	var recs []Record
	var probs Problems
	_ = Stream(ctx, opts, func(c Chunk) error {
		recs = append(recs, c.Recs...)
		probs = append(probs, c.Probs...)
		return nil
	}, paths...)
	sortProblems(probs)
	if len(probs) == 0 {
		probs = nil
	}
	return recs, probs
}

// Stream reads paths as Read does, but hands the records and problems to
// emit in chunks, in input order, as they are read, so that memory holds
// a few chunks rather than the input. emit is called from one goroutine
// at a time; the chunk is emit's to keep. No record may exceed 1 MiB.
// JSONL (a file or stdin) is read in blocks and parsed in parallel (a line
// at most 2 MiB), YAML a document at a time, JSON through a window of a
// few MiB (streamJSON) and CSV a row at a time (streamCSV), so no input is
// held whole, whatever its size. Duplicate ids are found
// exactly, across files and chunks. Problems are not sorted across
// chunks. Stream stops at the first error of emit, which it returns; ctx
// being done is a problem, not an error.
func Stream(ctx context.Context, opts Options, emit func(Chunk) error, paths ...string) error {
	r := &reader{ctx: ctx, opts: opts, ids: make([]idSet, len(opts.Kinds)), out: emit}
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
			r.deliver()
		}
	}
	r.deliver()
	return r.err
}

type reader struct {
	ctx     context.Context
	opts    Options
	format  string // normalised opts.Format
	dec     Decoder
	recs    []Record
	probs   Problems
	ids     []idSet // per kind with UniqueIDs: every id seen, and where
	stopped bool
	mem     *jsonMem
	scratch []byte // for record digests
	// out receives the chunks (nil in the readers that parse JSONL blocks
	// for their parent); err is its first error.
	out func(Chunk) error
	err error
}

// deliver checks the pending records for duplicate ids and hands them and
// the pending problems to out.
func (r *reader) deliver() {
	if r.out == nil || len(r.recs) == 0 && len(r.probs) == 0 {
		return
	}
	kept := r.recs[:0]
	for _, rec := range r.recs {
		if !r.duplicate(rec) {
			kept = append(kept, rec)
		}
	}
	probs := r.probs
	r.recs, r.probs = nil, nil
	for r.err == nil && (len(kept) > 0 || len(probs) > 0) {
		n := min(len(kept), chunkRecords)
		c := Chunk{Recs: kept[:n:n], Probs: probs}
		kept, probs = kept[n:], nil
		if r.err = r.out(c); r.err != nil {
			r.stopped = true
		}
	}
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
	if ok {
		r.recs = append(r.recs, rec)
		if len(r.recs) >= chunkRecords {
			r.deliver()
		}
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
	if first, seen := r.ids[k].add(rec.ID, rec.Source); seen {
		r.problem(rec.Source.File, rec.Source.Line, "id", fmt.Sprintf("duplicate %s id %q (first at %s:%d)", rec.Kind, rec.ID, first.File, first.Line))
		return true
	}
	return false
}

func (r *reader) readPath(p string) {
	if p == "-" {
		if r.opts.Stdin == nil {
			r.problem(StdinName, 0, "", "no standard input to read")
			return
		}
		r.readStdin()
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
	if fi, err := os.Lstat(dir); err == nil && fi.Mode()&fs.ModeSymlink != 0 && !strings.HasSuffix(dir, string(filepath.Separator)) {
		// WalkDir would not follow the link; with a trailing separator
		// the system does, and the records keep the name given.
		dir += string(filepath.Separator)
	}
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
	switch format {
	case "jsonl":
		r.streamJSONL(p, f)
	case "yaml":
		r.streamYAML(p, f)
	case "json":
		r.streamJSON(p, dropBOM(f))
	case "csv":
		// A regular file can be read twice, to find where each CSV
		// record's rows end.
		var again func() (io.Reader, error)
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			again = func() (io.Reader, error) {
				if _, err := f.Seek(0, io.SeekStart); err != nil {
					return nil, err
				}
				return dropBOM(f), nil
			}
		}
		r.streamCSV(p, dropBOM(f), again)
	}
}

// sniffSize is how much of stdin is looked at to guess its format.
const sniffSize = 64 << 10

// readStdin streams stdin in its format, given or sniffed.
func (r *reader) readStdin() {
	in := bufio.NewReaderSize(r.opts.Stdin, sniffSize)
	format := r.format
	if format == "" {
		head, err := in.Peek(sniffSize)
		if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
			r.problem(StdinName, 0, "", "cannot read: "+pathErr(err))
			return
		}
		format = sniff(bytes.TrimPrefix(head, bom), len(head) == sniffSize)
	}
	switch format {
	case "jsonl":
		r.streamJSONL(StdinName, in)
	case "yaml":
		r.streamYAML(StdinName, in)
	case "json":
		r.streamJSON(StdinName, dropBOM(in))
	case "csv":
		r.readCSVStdin(dropBOM(in))
	}
}

// readCSVStdin reads CSV on stdin as a file is read, in two passes, from a
// copy in a temporary file ($TMPDIR), when its rows may be grouped:
// holding every order of a large CSV to its end would take some ten times
// its size in memory. Without a temporary file it does hold them.
func (r *reader) readCSVStdin(src io.Reader) {
	if !r.csvGroups() {
		r.streamCSV(StdinName, src, nil)
		return
	}
	tmp, err := os.CreateTemp("", "chipcheck-stdin-*.csv")
	if err != nil {
		r.streamCSV(StdinName, src, nil)
		return
	}
	// Unlinked at once where the system allows (the copy is of orders),
	// and in any case once read.
	_ = os.Remove(tmp.Name())
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	if _, err := io.Copy(tmp, src); err != nil {
		r.problem(StdinName, 0, "", "cannot read: "+pathErr(err))
		return
	}
	again := func() (io.Reader, error) {
		_, err := tmp.Seek(0, io.SeekStart)
		return bufio.NewReaderSize(tmp, 64<<10), err
	}
	first, err := again()
	if err != nil {
		r.problem(StdinName, 0, "", "cannot read: "+pathErr(err))
		return
	}
	r.streamCSV(StdinName, first, again)
}

var bom = []byte("\ufeff")

// dropBOM returns src past a leading UTF-8 byte order mark. A read error
// is left for the reads that follow to meet.
func dropBOM(src io.Reader) io.Reader {
	in, ok := src.(*bufio.Reader)
	if !ok {
		in = bufio.NewReaderSize(src, 64<<10)
	}
	if head, _ := in.Peek(len(bom)); bytes.Equal(head, bom) {
		_, _ = in.Discard(len(bom))
	}
	return in
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

// sniff guesses the format of unnamed input from its start, head; more
// says that input goes on past head. JSON starts with { or [; among
// those, input whose every whole non-blank line in head is a whole {...}
// is read as JSONL, so that one bad line does not hide the rest.
func sniff(head []byte, more bool) string {
	t := bytes.TrimLeft(head, " \t\r\n")
	if len(t) == 0 || t[0] != '{' && t[0] != '[' {
		return "yaml"
	}
	if t[0] == '[' {
		return "json"
	}
	if more {
		// The last line may be cut short: judge by the whole ones.
		if i := bytes.LastIndexByte(t, '\n'); i > 0 {
			t = t[:i]
		}
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
