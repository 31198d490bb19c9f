// Package report writes decisions in each output format. Every format is a
// view of the same decision data; each implements Writer and is chosen in
// New.
package report

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"

	json "github.com/goccy/go-json"

	"github.com/chipcheck/chipcheck/internal/decision"
)

// Writer writes decisions one at a time; Close finishes the output.
type Writer interface {
	Write(d decision.Decision) error
	Close() error
}

// Encoder is a Writer whose per-decision work may run in parallel: Encode
// is safe to call concurrently, WriteEncoded writes its results in order.
type Encoder interface {
	Writer
	Encode(d decision.Decision) ([]byte, error)
	WriteEncoded(b []byte) error
}

// Formats lists the accepted -o values.
var Formats = []string{"table", "json", "jsonl"}

// New returns the writer for format.
func New(format string, w io.Writer) (Writer, error) {
	switch format {
	case "table":
		return &tableWriter{w: w}, nil
	case "json":
		return &jsonArray{w: w}, nil
	case "jsonl":
		return &jsonLines{w: w}, nil
	}
	return nil, fmt.Errorf("-o %q: want one of %s", format, strings.Join(Formats, ", "))
}

func newEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}

type jsonLines struct{ w io.Writer }

func (j *jsonLines) Encode(d decision.Decision) ([]byte, error) {
	b, err := marshal(d)
	return append(b, '\n'), err
}

func (j *jsonLines) WriteEncoded(b []byte) error {
	_, err := j.w.Write(b)
	return err
}

func (j *jsonLines) Write(d decision.Decision) error {
	b, err := j.Encode(d)
	if err != nil {
		return err
	}
	return j.WriteEncoded(b)
}

func (j *jsonLines) Close() error { return nil }

// jsonArray streams a JSON array, one decision per line, so a large batch is
// never held in memory.
type jsonArray struct {
	w io.Writer
	n int
}

func (j *jsonArray) Encode(d decision.Decision) ([]byte, error) { return marshal(d) }

func (j *jsonArray) Write(d decision.Decision) error {
	b, err := marshal(d)
	if err != nil {
		return err
	}
	return j.WriteEncoded(b)
}

func (j *jsonArray) WriteEncoded(b []byte) error {
	sep := ",\n"
	if j.n == 0 {
		sep = "[\n"
	}
	j.n++
	_, err := fmt.Fprintf(j.w, "%s%s", sep, b)
	return err
}

func (j *jsonArray) Close() error {
	if j.n == 0 {
		_, err := io.WriteString(j.w, "[]\n")
		return err
	}
	_, err := io.WriteString(j.w, "\n]\n")
	return err
}

func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := newEncoder(&buf)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// Summary is the one-line tally printed at the end of a batch.
func Summary(c decision.Counts, seconds float64) string {
	n := c.Allow + c.Review + c.Deny
	rate := ""
	if seconds > 0 && n > 1 {
		rate = fmt.Sprintf(" (%.0f records/s)", float64(n)/seconds)
	}
	return fmt.Sprintf("%d records: %d allow, %d review, %d deny in %.2fs%s", n, c.Allow, c.Review, c.Deny, seconds, rate)
}

// itemsText is "SKU 3A090.a; SKU2 none" for the table view.
func itemsText(items []decision.Item) string {
	parts := make([]string, 0, len(items))
	for _, it := range items {
		parts = append(parts, fmt.Sprintf("%s %s", it.SKU, it.ECCN))
	}
	return strings.Join(parts, "\n")
}

// reasonsText lists every reason that decided (all of the winning outcome),
// one per line, "RULE: message".
func reasonsText(d decision.Decision) string {
	var lines []string
	for _, r := range d.Reasons {
		// Reasons come most severe first; an unknown outcome counts as review.
		if decision.Severity(r.Outcome) != decision.Severity(d.Decision) && len(lines) > 0 {
			break
		}
		lines = append(lines, fmt.Sprintf("%s: %s [%s]", r.Rule, r.Message, r.Citation))
	}
	for _, h := range d.Screening {
		line := fmt.Sprintf("hit %s %q ~ %s %q (%.2f)", h.Party, h.PartyName, h.List, h.Entry, h.Score)
		if !slices.Contains(lines, line) {
			lines = append(lines, line)
		}
	}
	return strings.Join(lines, "\n")
}
