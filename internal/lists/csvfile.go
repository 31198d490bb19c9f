package lists

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// ParseError reports a list file that could not be read, with the line
// (1-based; 0 when the problem is the file as a whole).
type ParseError struct {
	File string
	Line int
	Err  error
}

func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.File, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

func errAt(file string, line int, format string, args ...any) error {
	return &ParseError{File: file, Line: line, Err: fmt.Errorf(format, args...)}
}

// eofMarker is the DOS end-of-file character OFAC writes as the last record
// of every legacy CSV file.
const eofMarker = "\x1a"

// csvFile reads one list file record by record, strictly: any malformed
// record is an error naming the file and line, never a skipped row.
type csvFile struct {
	path    string
	r       *csv.Reader
	line    int  // line of the record last returned
	end     int  // the line after it: where a missing record or a read error is reported
	first   int  // the line the first record starts on (after a header)
	fields  int  // required field count; 0 = any
	marker  bool // the file must end with the \x1a marker (OFAC's legacy files)
	sawEOF  bool // the \x1a marker was read
	records int  // records returned
	gzip    bool // data is gzip-compressed
}

// openCSV reads data (plain, or gzip by its magic bytes, whatever the
// file name says) as CSV.
func openCSV(path string, data []byte, fields int) (*csvFile, error) {
	var src io.Reader = bytes.NewReader(data)
	compressed := len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b
	if compressed {
		zr, err := gzip.NewReader(src)
		if err != nil {
			return nil, errAt(path, 1, "gzip: %w", err)
		}
		src = bufio.NewReaderSize(zr, 256<<10)
	}
	r := csv.NewReader(src)
	r.FieldsPerRecord = -1 // checked here, so the error can say what was expected
	r.ReuseRecord = true
	return &csvFile{path: path, r: r, end: 1, first: 1, fields: fields, gzip: compressed}, nil
}

// openOFAC opens one of OFAC's legacy CSV files: no header, a fixed
// number of fields, and the \x1a end-of-file marker as the last record.
func openOFAC(path string, data []byte, fields int) (*csvFile, error) {
	f, err := openCSV(path, data, fields)
	if err != nil {
		return nil, err
	}
	f.marker = true
	return f, nil
}

// next returns the next record, or io.EOF. The record is reused by the
// following call; the strings in it are not.
func (c *csvFile) next() ([]string, error) {
	rec, err := c.r.Read()
	if err == io.EOF {
		return nil, io.EOF
	}
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, &ParseError{File: c.path, Line: pe.Line, Err: fmt.Errorf("column %d: %w", pe.Column, pe.Err)}
		}
		if c.gzip && errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, errAt(c.path, c.end, "gzip: %v: the compressed file is cut short", err)
		}
		// gzip checksum or I/O error: reported where the last good record ended
		return nil, &ParseError{File: c.path, Line: c.end, Err: err}
	}
	c.line, _ = c.r.FieldPos(0)
	last, _ := c.r.FieldPos(len(rec) - 1)
	c.end = last + 1
	if c.sawEOF {
		return nil, errAt(c.path, c.line, "data after the end-of-file marker (0x1A)")
	}
	if len(rec) == 1 && rec[0] == eofMarker {
		c.sawEOF = true
		return c.next()
	}
	if c.fields > 0 && len(rec) != c.fields {
		return nil, errAt(c.path, c.line, "expected %d fields, found %d", c.fields, len(rec))
	}
	c.records++
	return rec, nil
}

// header returns the first record, a header row, which does not count
// as one of the file's records.
func (c *csvFile) header() ([]string, error) {
	rec, err := c.next()
	if err == io.EOF {
		return nil, errAt(c.path, 1, "empty file")
	}
	if err != nil {
		return nil, err
	}
	c.records--
	c.first = c.end
	return slices.Clone(rec), nil
}

// each calls fn on every record, checking ctx every 4096 records; it stops
// at the first error. A file without records is an error, and so is an
// OFAC file that does not end with its \x1a marker: it was cut short at a
// line end.
func (c *csvFile) each(ctx context.Context, fn func(rec []string) error) error {
	for {
		rec, err := c.next()
		if err == io.EOF {
			switch {
			case c.records == 0:
				return errAt(c.path, c.first, "no records")
			case c.marker && !c.sawEOF:
				return errAt(c.path, c.end, "no end-of-file marker (0x1A) after the last record: the file is cut short")
			}
			return nil
		}
		if err != nil {
			return err
		}
		if c.records&4095 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
}

// ofacValue returns an OFAC legacy field with the "-0- " empty marker
// turned into "".
func ofacValue(s string) string {
	if s == "-0- " || s == "-0-" {
		return ""
	}
	return s
}

// entNum parses an OFAC ent_num, the join key of the legacy files.
func (c *csvFile) entNum(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n <= 0 {
		return 0, errAt(c.path, c.line, "ent_num %q is not a positive integer", s)
	}
	return n, nil
}
