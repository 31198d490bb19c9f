package record

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

// The duplicate check is exact: every id seen is found again, with where
// it was first seen, and no other id is taken for one, across table
// growth and files.
func TestIDSetExact(t *testing.T) {
	var s idSet
	const n = 200_000
	for i := range n {
		file := fmt.Sprint("f", i%3, ".jsonl")
		if first, dup := s.add(fmt.Sprint("SO-", i), Source{File: file, Line: i + 1}); dup {
			t.Fatalf("id %d reported as a duplicate of %v", i, first)
		}
	}
	for _, i := range []int{0, 1, 4095, 77777, n - 1} {
		first, dup := s.add(fmt.Sprint("SO-", i), Source{File: "again", Line: 1})
		if want := (Source{File: fmt.Sprint("f", i%3, ".jsonl"), Line: i + 1}); !dup || first != want {
			t.Errorf("id %d: dup %v first %v, want %v", i, dup, first, want)
		}
	}
	if _, dup := s.add("SO-", Source{}); dup {
		t.Error("a prefix of the ids taken for one")
	}
	if _, dup := s.add("", Source{}); dup {
		t.Error("the empty id taken for one")
	}
	if per := float64(len(s.arena)+8*len(s.slots)) / n; per > 48 {
		t.Errorf("%.0f bytes per id", per)
	}
}

// Stream hands records over while the input is still coming: the first
// chunk arrives before the writer has finished (or closed) the pipe,
// however much smaller than a block the input is so far, in JSONL and in
// a JSON array.
func TestStreamDeliversBeforeTheEnd(t *testing.T) {
	for _, tt := range []struct{ format, open, sep, close string }{
		{"jsonl", "", "\n", "\n"},
		{"json", "[\n", ",\n", "\n]\n"},
	} {
		t.Run(tt.format, func(t *testing.T) {
			pr, pw := io.Pipe()
			first := make(chan int, 1)
			go func() {
				io.WriteString(pw, tt.open)
				for i := range 20000 {
					if i > 0 {
						io.WriteString(pw, tt.sep)
					}
					fmt.Fprintf(pw, `{"kind":"chip","name":"c-%d"}`, i)
				}
				select {
				case n := <-first:
					if n == 0 {
						pw.CloseWithError(errors.New("empty chunk"))
						return
					}
				case <-time.After(10 * time.Second):
					pw.CloseWithError(errors.New("no chunk before the end of the input"))
					return
				}
				io.WriteString(pw, tt.close)
				pw.Close()
			}()
			total, chunks := 0, 0
			var probs Problems
			err := Stream(context.Background(), Options{Kinds: testKinds, Format: tt.format, Stdin: pr}, func(c Chunk) error {
				if chunks == 0 {
					first <- len(c.Recs)
				}
				chunks++
				total += len(c.Recs)
				probs = append(probs, c.Probs...)
				return nil
			}, "-")
			if err != nil || len(probs) > 0 {
				t.Fatalf("err %v, problems %v", err, probs)
			}
			if total != 20000 || chunks < 2 {
				t.Errorf("%d records in %d chunks", total, chunks)
			}
		})
	}
}

// Stream stops at the first error of emit and returns it.
func TestStreamStopsOnEmitError(t *testing.T) {
	stop := errors.New("enough")
	var text strings.Builder
	for i := range 3 * chunkRecords {
		fmt.Fprintf(&text, "---\nkind: chip\nname: c-%d\n", i)
	}
	calls := 0
	err := Stream(context.Background(), Options{Kinds: testKinds, Format: "yaml", Stdin: strings.NewReader(text.String())}, func(c Chunk) error {
		calls++
		return stop
	}, "-")
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("Stream = %v after %d calls, want the emit error after 1", err, calls)
	}
}
