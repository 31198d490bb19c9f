package spool

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func write(t *testing.T, s *Spool, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if _, err := s.Write([]byte(p)); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSpoolHoldsBackUntilCommit(t *testing.T) {
	big := strings.Repeat("d", memLimit/3+1) // three of these spill to a file
	for _, tc := range []struct {
		name  string
		parts []string
	}{
		{"in memory", []string{"one\n", "two\n"}},
		{"spilled to a file", []string{big, big, big, "tail\n"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var dst bytes.Buffer
			s := New(&dst)
			write(t, s, tc.parts...)
			if dst.Len() != 0 {
				t.Fatalf("%d bytes reached the destination before Commit", dst.Len())
			}
			if err := s.Commit(); err != nil {
				t.Fatal(err)
			}
			if want := strings.Join(tc.parts, ""); dst.String() != want {
				t.Errorf("committed %d bytes, want %d", dst.Len(), len(want))
			}
			tmp := s.tmp
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if tmp != nil {
				if _, err := os.Stat(tmp.Name()); !os.IsNotExist(err) {
					t.Errorf("temporary file %s left behind: %v", tmp.Name(), err)
				}
			}
		})
	}
}

func TestSpoolDiscard(t *testing.T) {
	big := strings.Repeat("d", memLimit+1)
	var dst bytes.Buffer
	s := New(&dst)
	write(t, s, "x", big)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if dst.Len() != 0 {
		t.Errorf("a discarded spool wrote %d bytes", dst.Len())
	}
	if _, err := s.Write([]byte("late")); err == nil {
		t.Error("a write after the spool closed was accepted")
	}
}

// A regular file is written in place; a discard cuts it back to what it
// held before, whether it was fresh or appended to at its end. A file
// opened to append that holds data (a shell's `>>`: offset 0 until the
// first write) is held back and appended whole on commit, never cut.
func TestSpoolRegularFile(t *testing.T) {
	for _, tt := range []struct {
		seek   bool
		before string
	}{
		{true, ""}, {true, "earlier run\n"}, {false, ""}, {false, "earlier run\n"},
	} {
		p := filepath.Join(t.TempDir(), "out.jsonl")
		if err := os.WriteFile(p, []byte(tt.before), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, commit := range []bool{true, false} {
			f, err := os.OpenFile(p, os.O_WRONLY|os.O_APPEND, 0)
			if err != nil {
				t.Fatal(err)
			}
			if tt.seek {
				if _, err := f.Seek(0, 2); err != nil {
					t.Fatal(err)
				}
			}
			fi, _ := f.Stat()
			inPlace := tt.seek || fi.Size() == 0
			s := New(f)
			write(t, s, "decision\n")
			if (s.file != nil) != inPlace {
				t.Errorf("seek %v, before %q, commit %v: written in place %v, want %v", tt.seek, tt.before, commit, s.file != nil, inPlace)
			}
			if commit {
				if err := s.Commit(); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			f.Close()
			got, _ := os.ReadFile(p)
			// The committed run stays; the discarded one is gone.
			if want := tt.before + "decision\n"; string(got) != want {
				t.Errorf("seek %v, before %q, commit %v: file holds %q, want %q", tt.seek, tt.before, commit, got, want)
			}
		}
	}
}

// A file whose writes would not land at its end (opened for writing in
// the middle) is not written in place: a truncation would cut more.
func TestSpoolFileNotAtEnd(t *testing.T) {
	p := filepath.Join(t.TempDir(), "out")
	if err := os.WriteFile(p, []byte("keep all of this"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(p, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := New(f)
	write(t, s, "x")
	if s.file != nil {
		t.Error("written in place at offset 0 of a non-empty file")
	}
	s.Close()
	if got, _ := os.ReadFile(p); string(got) != "keep all of this" {
		t.Errorf("file holds %q", got)
	}
}
