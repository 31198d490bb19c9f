// Package report writes what chipcheck's commands produce (decisions,
// classifications, list matches, rules, list snapshots) in each output
// format. Each format is one file behind one interface, Outputter, chosen
// in New, the way conftest's output package does it; every format is a view
// of the same results, and JSON is written by one encoder (encode.go).
package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/chipcheck/chipcheck/internal/decision"
)

// Output formats.
const (
	Table = "table"
	JSON  = "json"
	JSONL = "jsonl"
)

// Formats lists the formats New accepts.
var Formats = []string{Table, JSON, JSONL}

// Outputter writes a command's results one at a time, in input order;
// Close finishes the output (a JSON array's end, the table) and flushes it.
type Outputter interface {
	Put(v any) error
	Close() error
}

// Encoder is an Outputter whose per-result work may run in parallel:
// Encode is safe to call concurrently, PutEncoded writes its results in
// order and takes them over (their memory is reused).
type Encoder interface {
	Outputter
	Encode(v any) ([]byte, error)
	PutEncoded(b []byte) error
}

// New returns the Outputter of format writing to w.
func New(format string, w io.Writer) (Outputter, error) {
	bw := &writer{w: bufio.NewWriterSize(w, 64<<10)}
	switch format {
	case Table:
		return &tableOutput{w: bw}, nil
	case JSON:
		return &jsonOutput{w: bw}, nil
	case JSONL:
		return &jsonlOutput{w: bw}, nil
	}
	return nil, fmt.Errorf("-o %q: want one of %s", format, strings.Join(Formats, ", "))
}

// writer buffers an output and keeps its first write error, so that a
// broken pipe stops the run instead of being dropped.
type writer struct {
	w   *bufio.Writer
	err error
}

func (w *writer) Write(b []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	n, err := w.w.Write(b)
	w.err = err
	return n, err
}

func (w *writer) WriteString(s string) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	n, err := w.w.WriteString(s)
	w.err = err
	return n, err
}

func (w *writer) flush() error {
	if w.err != nil {
		return w.err
	}
	return w.w.Flush()
}

// Summary is the one-line tally printed at the end of a batch.
func Summary(c decision.Counts, seconds float64) string {
	n := c.Allow + c.Review + c.Deny
	rate := ""
	if seconds > 0 && n > 1 {
		rate = fmt.Sprintf(" (%.0f records/s)", float64(n)/seconds)
	}
	errs := ""
	if c.Errors > 0 {
		errs = fmt.Sprintf(" (%d could not be judged)", c.Errors)
	}
	return fmt.Sprintf("%d records: %d allow, %d review%s, %d deny in %.2fs%s", n, c.Allow, c.Review, errs, c.Deny, seconds, rate)
}
