package cli

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const oneOrder = `{"kind":"order","id":"O-1","date":"2026-11-20","ship_from":"US","destination":"SG","items":[{"sku":"H20","quantity":1,"catalog":"h20"}]}` + "\n"

// TestOutputFileReplacedWhenComplete: -o FORMAT=FILE replaces the file
// only with a complete output. A stopped run leaves what it held, and no
// temporary file; a finished one keeps its permissions and writes through
// a symbolic link to the file it names.
func TestOutputFileReplacedWhenComplete(t *testing.T) {
	tests := []struct {
		name      string
		interrupt bool
		link      bool
		wantCode  int
	}{
		{name: "interrupted", interrupt: true, wantCode: 3},
		{name: "finished", wantCode: 0},
		{name: "finished, through a link", link: true, wantCode: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			report := filepath.Join(dir, "report.jsonl")
			if err := os.WriteFile(report, []byte("earlier\n"), 0o640); err != nil {
				t.Fatal(err)
			}
			name := report
			if tt.link {
				name = filepath.Join(dir, "latest.jsonl")
				if err := os.Symlink("report.jsonl", name); err != nil {
					t.Fatal(err)
				}
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var in io.Reader = strings.NewReader(oneOrder)
			if tt.interrupt {
				in = &interruptingReader{after: 2000, total: 6000, cancel: cancel}
			}
			var stdout, stderr bytes.Buffer
			code := MainContext(ctx, []string{"check", "--input-format", "jsonl", "-q", "--fail-on", "none", "-o", "jsonl=" + name, "-"}, in, &stdout, &stderr)
			if code != tt.wantCode {
				t.Fatalf("exit %d, stderr %q; want %d", code, stderr.String(), tt.wantCode)
			}
			got, err := os.ReadFile(report)
			if err != nil {
				t.Fatal(err)
			}
			if tt.interrupt && string(got) != "earlier\n" {
				t.Errorf("after an interruption the file holds %q, want what it held before", got)
			}
			if !tt.interrupt && !strings.Contains(string(got), `"id":"O-1"`) {
				t.Errorf("the file holds %q, want the decision", got)
			}
			if fi, err := os.Stat(report); err != nil || fi.Mode().Perm() != 0o640 {
				t.Errorf("mode %v (%v), want 0640 kept", fi.Mode(), err)
			}
			if tt.link {
				if fi, err := os.Lstat(name); err != nil || fi.Mode()&os.ModeSymlink == 0 {
					t.Errorf("%s is no longer a symbolic link (%v)", name, err)
				}
			}
			want := 1 // report.jsonl, and the link
			if tt.link {
				want = 2
			}
			if entries, _ := os.ReadDir(dir); len(entries) != want {
				t.Errorf("the directory holds %d entries, want no temporary file left: %v", len(entries), entries)
			}
		})
	}
}

// TestOutputIsInput: an output that is also read as input, or named
// twice, is refused before anything is read, and the input is left as it
// was.
func TestOutputIsInput(t *testing.T) {
	dir := t.TempDir()
	book := filepath.Join(dir, "orders", "book.jsonl")
	if err := os.MkdirAll(filepath.Dir(book), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(book, []byte(oneOrder), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		stdout bool // stdout is the book, opened for appending
		want   string
	}{
		{name: "-o FILE is the input", args: []string{"check", "-o", "jsonl=" + book, book}, want: "reads that file as records"},
		{name: "-o FILE in an input directory", args: []string{"check", "-o", "jsonl=" + filepath.Join(dir, "orders", "out.jsonl"), filepath.Join(dir, "orders")}, want: "reads that file as records"},
		{name: "stdout is the input", args: []string{"check", "-o", "jsonl", book}, stdout: true, want: "standard output is"},
		{name: "stdout is a flag's input", args: []string{"check", "--licenses", book, "-o", "jsonl", filepath.Join(dir, "orders")}, stdout: true, want: "standard output is"},
		{name: "stdout is lists search's batch", args: []string{"lists", "search", "--batch", book}, stdout: true, want: "standard output is"},
		{name: "one file named twice", args: []string{"check", "-o", "jsonl=" + filepath.Join(dir, "orders", "out.jsonl"), "-o", "sarif=" + filepath.Join(dir, "orders", ".", "out.jsonl"), book}, want: "is already an output"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout io.Writer = &bytes.Buffer{}
			if tt.stdout {
				f, err := os.OpenFile(book, os.O_WRONLY|os.O_APPEND, 0)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				stdout = f
			}
			var stderr bytes.Buffer
			code := Main(append(tt.args, "-q"), nil, stdout, &stderr)
			if code != 3 || !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("exit %d, stderr %q; want 3 and %q", code, stderr.String(), tt.want)
			}
			if got, _ := os.ReadFile(book); string(got) != oneOrder {
				t.Errorf("the input now holds %q", got)
			}
			if _, err := os.Stat(filepath.Join(dir, "orders", "out.jsonl")); err == nil {
				t.Error("the refused output was created")
			}
		})
	}
}
