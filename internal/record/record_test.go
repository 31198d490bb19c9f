package record

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// testVocab is a small fixed vocabulary; the real one comes from rules/.
type testVocab struct{}

func set(xs ...string) map[string]bool {
	m := map[string]bool{}
	for _, x := range xs {
		m[x] = true
	}
	return m
}

var (
	testCountries = set("US", "SG", "CN", "AE", "DE", "NO", "NL", "JP", "MY")
	testEndUses   = set("ai_training", "supercomputer", "military")
	testRedFlags  = set("new_customer_large_volume", "freight_forwarder_destination", "cash_payment")
	testCatalog   = set("b200", "h20", "h100-sxm")
)

func (testVocab) Country(c string) bool { return testCountries[c] }
func (testVocab) EndUse(c string) bool  { return testEndUses[c] }
func (testVocab) RedFlag(c string) bool { return testRedFlags[c] }
func (testVocab) Catalog(c string) bool { return testCatalog[c] }

// readText reads text as stdin in the given format ("" = sniffed).
func readText(t *testing.T, format, kind, text string) ([]Record, []string) {
	t.Helper()
	recs, probs := Read(context.Background(), Options{Format: format, Kind: kind, Vocab: testVocab{}, Stdin: strings.NewReader(text)}, "-")
	return recs, strs(probs)
}

// pkgDir is the package directory, where go test starts.
var pkgDir, _ = os.Getwd()

// readFiles reads paths relative to dir, so problems name them briefly.
func readFiles(t *testing.T, opts Options, dir string, paths ...string) ([]Record, []string) {
	t.Helper()
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(pkgDir, dir)
	}
	t.Chdir(dir)
	if opts.Vocab == nil {
		opts.Vocab = testVocab{}
	}
	recs, probs := Read(context.Background(), opts, paths...)
	return recs, strs(probs)
}

func strs(ps Problems) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Error())
	}
	return out
}

// writeFiles creates files (name -> content) in a new temporary directory.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func ids(recs []Record) []string {
	var out []string
	for _, r := range recs {
		out = append(out, r.ID)
	}
	return out
}

func equalStrings(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\ngot:\n  %s\nwant:\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

// TestDigest: the digest names the record's content, whatever the member
// order or layout, and tells different content apart.
func TestDigest(t *testing.T) {
	read := func(format, text string) string {
		t.Helper()
		recs, probs := Read(context.Background(), Options{Vocab: testVocab{}, Format: format, Stdin: strings.NewReader(text)}, "-")
		if len(probs) > 0 || len(recs) != 1 {
			t.Fatalf("%s: %v", text, probs)
		}
		return recs[0].Digest
	}
	const order = `{"kind":"chip","name":"X","performance":[{"format":"int8","bits":8,"tops":100}]}`
	a := read("json", order)
	if len(a) != 64 {
		t.Fatalf("digest %q: want 64 hex digits", a)
	}
	for _, same := range []struct{ format, text string }{
		{"json", `{"performance":[{"tops":100,"bits":8,"format":"int8"}],"name":"X","kind":"chip"}`},
		{"yaml", "kind: chip\nname: X\nperformance:\n  - {format: int8, bits: 8, tops: 100}\n"},
	} {
		if got := read(same.format, same.text); got != a {
			t.Errorf("%s: digest %s, want %s (same content)", same.text, got, a)
		}
	}
	for _, other := range []string{
		`{"kind":"chip","name":"X","performance":[{"format":"int8","bits":8,"tops":101}]}`,
		`{"kind":"chip","name":"Y","performance":[{"format":"int8","bits":8,"tops":100}]}`,
		`{"kind":"chip","name":"X","performance":[{"format":"int8","bits":8,"tops":100},{"format":"fp16","bits":16,"tops":50}]}`,
	} {
		if read("json", other) == a {
			t.Errorf("%s: same digest as different content", other)
		}
	}
}
