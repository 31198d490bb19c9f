package report

import (
	"fmt"
	"io"
	"os"
)

// store holds what a report writes only at its end (JUnit's test cases,
// which the counts at the top of each suite must precede; SARIF's
// results), so that a report of a million records does not hold them in
// memory: the first storeMem bytes stay in memory, the rest go to a
// temporary file, removed as soon as it is created where the system
// allows (it then vanishes with the process, however the run ends).
type store struct {
	mem  []byte
	f    *os.File
	size int64
}

// storeMem is a variable for the tests, which make the store spill.
var storeMem = 4 << 20

// Write appends b.
func (s *store) Write(b []byte) (int, error) {
	if s.f == nil && len(s.mem)+len(b) > storeMem {
		f, err := os.CreateTemp("", "chipcheck-report-*")
		if err != nil {
			return 0, fmt.Errorf("holding the report: %w", err)
		}
		// Where an open file cannot be removed (Windows), close removes it.
		_ = os.Remove(f.Name())
		s.f = f
		if _, err := f.Write(s.mem); err != nil {
			return 0, fmt.Errorf("holding the report: %w", err)
		}
		s.mem = nil
	}
	s.size += int64(len(b))
	if s.f != nil {
		n, err := s.f.Write(b)
		if err != nil {
			err = fmt.Errorf("holding the report: %w", err)
		}
		return n, err
	}
	s.mem = append(s.mem, b...)
	return len(b), nil
}

// copyTo writes bytes [start, end) of what was stored to w.
func (s *store) copyTo(w io.Writer, start, end int64) error {
	if s.f == nil {
		_, err := w.Write(s.mem[start:end])
		return err
	}
	_, err := io.Copy(w, io.NewSectionReader(s.f, start, end-start))
	return err
}

// close drops what was stored.
func (s *store) close() {
	if s.f != nil {
		s.f.Close()
		os.Remove(s.f.Name()) // gone already where the system allowed it
		s.f = nil
	}
	s.mem = nil
}
