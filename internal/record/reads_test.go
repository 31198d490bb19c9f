package record

import (
	"os"
	"path/filepath"
	"testing"
)

func TestReads(t *testing.T) {
	dir := t.TempDir()
	write := func(name string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("{}\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	in := write("orders/book.jsonl")
	write("orders/.hidden/x.jsonl")
	other := write("out/decisions.jsonl")
	if err := os.Symlink(in, filepath.Join(dir, "link.jsonl")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "orders"), filepath.Join(dir, "olink")); err != nil {
		t.Fatal(err)
	}
	orders := filepath.Join(dir, "orders")
	tests := []struct {
		name  string
		file  string
		paths []string
		want  string // the path that would read file, "" for none
	}{
		{"the input itself", in, []string{"-", in}, in},
		{"the input by a symbolic link", filepath.Join(dir, "link.jsonl"), []string{in}, in},
		{"a new file in an input directory", filepath.Join(orders, "new.jsonl"), []string{orders}, orders},
		{"a new file in a subdirectory of one", filepath.Join(orders, "sub/new.csv"), []string{orders}, orders},
		{"the input directory reached by a link", filepath.Join(dir, "olink/new.yaml"), []string{orders}, orders},
		{"a file of an input directory given by a link", in, []string{filepath.Join(dir, "olink")}, filepath.Join(dir, "olink")},
		{"an extension a walk skips", filepath.Join(orders, "report.xml"), []string{orders}, ""},
		{"a dot-named file", filepath.Join(orders, ".out.jsonl"), []string{orders}, ""},
		{"under a dot-named directory", filepath.Join(orders, ".hidden/x.jsonl"), []string{orders}, ""},
		{"another file", other, []string{in, orders}, ""},
		{"a directory's sibling with a common prefix", filepath.Join(dir, "orders2/x.jsonl"), []string{orders}, ""},
		{"stdin only", in, []string{"-"}, ""},
		{"a missing input", in, []string{filepath.Join(dir, "missing")}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Reads(tt.file, tt.paths...)
			if ok != (tt.want != "") || got != tt.want {
				t.Errorf("Reads(%s, %v) = %q, %v; want %q", tt.file, tt.paths, got, ok, tt.want)
			}
		})
	}
}

// A directory given by a symbolic link is walked like the directory, and
// its records keep the name given.
func TestReadSymlinkedDirectory(t *testing.T) {
	dir := writeFiles(t, map[string]string{"d/orders.jsonl": `{"kind":"chip","name":"A"}` + "\n"})
	if err := os.Symlink("d", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"link", "link/"} {
		recs, probs := readFiles(t, Options{}, dir, p)
		equalStrings(t, "problems", probs, nil)
		equalStrings(t, "records", sources(recs), []string{filepath.Join("link", "orders.jsonl") + ":1 chip A"})
	}
}

func TestSamePath(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.WriteFile("a.jsonl", nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("a.jsonl", "link.jsonl"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		a, b string
		want bool
	}{
		{"a.jsonl", "./a.jsonl", true},
		{"a.jsonl", filepath.Join(dir, "a.jsonl"), true},
		{"a.jsonl", "link.jsonl", true},
		{"new.jsonl", "sub/../new.jsonl", true},
		{"new.jsonl", "a.jsonl", false},
		{"new.jsonl", "new.sarif", false},
	}
	for _, tt := range tests {
		if got := SamePath(tt.a, tt.b); got != tt.want {
			t.Errorf("SamePath(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
