package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// interruptingReader is stdin that gives orders, and after `after` of
// them waits until decisions have reached the output file (unless out is
// ""), then interrupts the run (cancel) and goes on giving orders.
type interruptingReader struct {
	out    string
	after  int
	total  int
	n      int
	cancel context.CancelFunc
	buf    []byte
}

func (r *interruptingReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		if r.n == r.total {
			return 0, io.EOF
		}
		if r.n == r.after && r.out == "" {
			r.cancel()
		} else if r.n == r.after {
			deadline := time.Now().Add(20 * time.Second)
			for {
				if fi, err := os.Stat(r.out); err == nil && fi.Size() > 1<<16 {
					break
				}
				if time.Now().After(deadline) {
					return 0, fmt.Errorf("no decision reached the output file")
				}
				time.Sleep(5 * time.Millisecond)
			}
			r.cancel()
		}
		r.n++
		r.buf = fmt.Appendf(r.buf, `{"kind":"order","id":"I-%d","date":"2026-11-20","ship_from":"US","destination":"SG","items":[{"sku":"H20","quantity":1,"catalog":"h20"}]}`+"\n", r.n)
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

// TestInterruptedCheckPrintsNothing: a check stopped midway (Ctrl-C,
// SIGTERM) exits 3 and leaves its output file as it was before the run:
// a fresh one (`>`), into which decisions were already being written, is
// cut back; one appended to (`>>`) is untouched.
func TestInterruptedCheckPrintsNothing(t *testing.T) {
	for _, tt := range []struct {
		name, before string
		flag         int
	}{
		{"fresh file", "", os.O_TRUNC},
		{"appended to", "earlier\n", os.O_APPEND},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			out := filepath.Join(t.TempDir(), "decisions.jsonl")
			if err := os.WriteFile(out, []byte(tt.before), 0o644); err != nil {
				t.Fatal(err)
			}
			f, err := os.OpenFile(out, os.O_WRONLY|tt.flag, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			in := &interruptingReader{after: 20000, total: 60000, cancel: cancel}
			if tt.before == "" {
				in.out = out // written in place: wait until decisions are there
			}
			var stderr bytes.Buffer
			code := MainContext(ctx, []string{"check", "--input-format", "jsonl", "-q", "-o", "jsonl", "-"}, in, f, &stderr)
			if code != 3 || !strings.Contains(stderr.String(), "interrupted") {
				t.Errorf("exit %d, stderr %q: want 3 and the interruption", code, stderr.String())
			}
			if got, _ := os.ReadFile(out); string(got) != tt.before {
				t.Errorf("the output file holds %d bytes after the interruption, want only the %d there before", len(got), len(tt.before))
			}
		})
	}
}
