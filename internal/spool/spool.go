// Package spool holds a command's output back until the command knows it
// may be printed. `chipcheck check` decides records while it is still
// reading the input, but an input with any invalid record must print no
// decision at all; the decisions are written to a Spool and only
// committed once the whole input was read without a problem.
//
// A Spool keeps the first MiBs in memory and the rest in a temporary file
// that is removed when the Spool is closed, so memory does not grow with
// the output. When the destination is a regular file the output goes
// there directly, and a discard truncates the file back to where it
// stood: no copy at all for the common `> decisions.jsonl`.
package spool

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// memLimit is how much output is held in memory before a temporary file
// takes the rest.
const memLimit = 8 << 20

// Spool is an io.Writer whose output reaches its destination only on
// Commit. It is not safe for concurrent use.
type Spool struct {
	dst  io.Writer
	mem  bytes.Buffer
	tmp  *os.File
	file *os.File // dst, written in place, when it is a regular file
	at   int64    // where file stood before the first write
	null bool     // dst is the null device
	done bool
}

// New returns a Spool for dst; the temporary file, if one is needed, goes
// in the system's temporary directory ($TMPDIR).
func New(dst io.Writer) *Spool {
	s := &Spool{dst: dst}
	if f, ok := dst.(*os.File); ok {
		// In place only when writes land at the end of what the file
		// holds (a fresh `>` or an `>>`), so a truncation removes
		// nothing else.
		fi, err := f.Stat()
		switch {
		case err != nil:
		case fi.Mode().IsRegular():
			// A shell's `>>` onto a file that holds data says offset 0
			// until the first write: it is held back like a pipe's and
			// appended whole, so no cut can touch what others wrote.
			if at, err := f.Seek(0, io.SeekCurrent); err == nil && at == fi.Size() {
				s.file, s.at = f, at
			}
		case isDevNull(fi):
			// Nothing written there is ever seen: no need to hold back.
			s.null = true
		}
	}
	return s
}

// Write holds b back.
func (s *Spool) Write(b []byte) (int, error) {
	switch {
	case s.done:
		return 0, errors.New("spool: write after commit or discard")
	case s.file != nil:
		return s.file.Write(b)
	case s.null:
		return len(b), nil
	case s.tmp != nil:
		return s.tmp.Write(b)
	case s.mem.Len()+len(b) <= memLimit:
		return s.mem.Write(b)
	}
	tmp, err := os.CreateTemp("", "chipcheck-output-*")
	if err != nil {
		return 0, fmt.Errorf("spooling the output: %w", err)
	}
	// Removed at once where an open file can be (it then goes with the
	// process, however the run ends); elsewhere Close removes it.
	_ = os.Remove(tmp.Name())
	s.tmp = tmp
	if _, err := s.mem.WriteTo(tmp); err != nil {
		return 0, fmt.Errorf("spooling the output: %w", err)
	}
	return tmp.Write(b)
}

// Commit writes everything held back to the destination.
func (s *Spool) Commit() error {
	if s.done {
		return errors.New("spool: already committed or discarded")
	}
	s.done = true
	if s.file != nil {
		return nil
	}
	if _, err := s.mem.WriteTo(s.dst); err != nil {
		return err
	}
	if s.tmp == nil {
		return nil
	}
	if _, err := s.tmp.Seek(0, io.SeekStart); err != nil {
		return err
	}
	// *os.File to *os.File copies in the kernel where it can.
	_, err := io.Copy(s.dst, s.tmp)
	return err
}

// Discard drops everything held back: a file written in place is cut
// back to where it stood.
func (s *Spool) Discard() error {
	if s.done {
		return nil
	}
	s.done = true
	s.mem.Reset()
	if s.file != nil {
		if err := s.file.Truncate(s.at); err != nil {
			return fmt.Errorf("discarding the output: %w", err)
		}
		_, err := s.file.Seek(s.at, io.SeekStart)
		return err
	}
	return nil
}

// Close discards what was not committed and removes the temporary file.
func (s *Spool) Close() error {
	err := s.Discard()
	if s.tmp != nil {
		s.tmp.Close()
		if rmErr := os.Remove(s.tmp.Name()); err == nil && !errors.Is(rmErr, fs.ErrNotExist) {
			err = rmErr
		}
		s.tmp = nil
	}
	return err
}

func isDevNull(fi os.FileInfo) bool {
	null, err := os.Stat(os.DevNull)
	return err == nil && os.SameFile(fi, null)
}
