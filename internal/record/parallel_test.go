package record

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A JSONL file is parsed in blocks at once; the records and problems
// must be exactly those of reading it line by line, including duplicate
// ids that fall in different parts and line numbers in later parts.
func TestReadJSONLParallelMatchesSequential(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("needs GOMAXPROCS >= 2")
	}
	var lines [][]byte
	for i := range 40000 {
		lines = append(lines, fmt.Appendf(nil, `{"kind":"order","id":"SO-%07d","date":"2026-11-20","buyer":{"name":"Buyer %d","country":"SG"},"items":[{"sku":"X-%d","n":%d}]}`, i, i%97, i%13, 1+i%64))
	}
	lines[10] = []byte(`{"kind":"order","id":"SO-BAD","date":"2026-13-01"}`)                 // bad date, first part
	lines[39990] = append([]byte(nil), lines[3]...)                                          // duplicate of an early id, last part
	lines[30000] = []byte(`{"kind":"order","id":"SO-NEG","items":[{"sku":"X","n":-1}]}`)     // negative n, late part
	lines[35000] = []byte(`{"kind":"chip","name":"SO-0000004","items":[{"sku":"X","n":1}]}`) // a chip: ids need not be unique
	data := append(bytes.Join(lines, []byte("\n")), '\n')
	if len(data) < 2*blockSize {
		t.Fatalf("test data is %d bytes, less than two blocks of %d", len(data), blockSize)
	}
	path := filepath.Join(t.TempDir(), "book.jsonl")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	gotRecs, gotProbs := Read(context.Background(), Options{Kinds: testKinds}, path)

	var seqRecs []Record
	var seqProbs Problems
	seq := &reader{ctx: context.Background(), opts: Options{Kinds: testKinds}, ids: make([]idSet, len(testKinds)), out: func(c Chunk) error {
		seqRecs, seqProbs = append(seqRecs, c.Recs...), append(seqProbs, c.Probs...)
		return nil
	}}
	seq.readJSONLines(path, data, 0)
	seq.deliver()
	sortProblems(seqProbs)

	if diff := cmp.Diff(strs(seqProbs), strs(gotProbs)); diff != "" {
		t.Errorf("problems differ (-sequential +parallel):\n%s", diff)
	}
	if len(gotProbs) != 3 {
		t.Errorf("want the 3 planted problems, got %v", gotProbs)
	}
	if diff := cmp.Diff(seqRecs, gotRecs); diff != "" {
		t.Errorf("records differ (-sequential +parallel):\n%s", diff)
	}
	if len(gotRecs) != len(lines)-3 {
		t.Errorf("%d records, want %d", len(gotRecs), len(lines)-3)
	}
}
