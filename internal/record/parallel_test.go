package record

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A large JSONL file is parsed in parts at once; the records and problems
// must be exactly those of reading it line by line, including duplicate
// ids that fall in different parts and line numbers in later parts.
func TestReadJSONLParallelMatchesSequential(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("needs GOMAXPROCS >= 2")
	}
	lines := bytes.Split(bytes.TrimSpace(genOrders(6000)), []byte("\n"))
	lines[10] = []byte(`{"kind":"order","id":"SO-BAD","date":"2026-13-01"}`)                                        // bad date, first part
	lines[5990] = append([]byte(nil), lines[3]...)                                                                  // duplicate of an early id, last part
	lines[4000] = []byte(`{"kind":"order","id":"SO-NEG","date":"2026-01-02","ship_from":"US","destination":"SG",` + // negative quantity, late part
		`"items":[{"sku":"X","quantity":-1,"catalog":"h20"}]}`)
	data := append(bytes.Join(lines, []byte("\n")), '\n')
	if len(data) < parallelMin {
		t.Fatalf("test data is %d bytes, below the parallel threshold %d", len(data), parallelMin)
	}
	path := filepath.Join(t.TempDir(), "book.jsonl")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	gotRecs, gotProbs := Read(context.Background(), Options{Vocab: testVocab{}}, path)

	seq := &reader{ctx: context.Background(), opts: Options{Vocab: testVocab{}}, ids: map[string]Source{}}
	seq.b = builder{vocab: testVocab{}}
	seq.readJSONLines(path, data, 0)
	sortProblems(seq.probs)

	if diff := cmp.Diff(strs(seq.probs), strs(gotProbs)); diff != "" {
		t.Errorf("problems differ (-sequential +parallel):\n%s", diff)
	}
	if len(gotProbs) < 3 {
		t.Errorf("want the 3 planted problems, got %v", gotProbs)
	}
	if diff := cmp.Diff(seq.recs, gotRecs); diff != "" {
		t.Errorf("records differ (-sequential +parallel):\n%s", diff)
	}
}
