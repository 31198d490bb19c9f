package screen

import (
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/chipcheck/chipcheck/internal/lists"
	"github.com/chipcheck/chipcheck/internal/screen/internal/realdata"
)

var (
	realOnce  sync.Once
	realIndex *Index
)

// realData indexes the real list snapshots once per test binary with the
// default options; it skips the test when they are absent (fails under CI).
func realData(t testing.TB) (*Index, *lists.Corpus) {
	t.Helper()
	corp := realdata.Corpus(t)
	opts := testOptions(t, Options{})
	realOnce.Do(func() { realIndex = newTestIndex(t, corp.Entries, opts) })
	return realIndex, corp
}

// testOptions is o with the matcher numbers of the shipped rule data.
func testOptions(t testing.TB, o Options) Options {
	t.Helper()
	o, _, err := FromRules(o, realdata.Rules(t).Number)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// newTestIndex indexes entries with o and the shipped matcher numbers.
func newTestIndex(t testing.TB, entries []lists.Entry, o Options) *Index {
	t.Helper()
	ix, err := NewIndex(entries, testOptions(t, o))
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

// reviewThreshold is the shipped review threshold (rules/screening.yaml).
func reviewThreshold(t testing.TB) float64 {
	t.Helper()
	return realdata.Number(t, "screening", "review_threshold")
}

// TestDevQuery prints the matches of SCREEN_QUERY (name|country) against the
// real lists; a development aid, skipped unless the variable is set.
func TestDevQuery(t *testing.T) {
	qs := os.Getenv("SCREEN_QUERY")
	if qs == "" {
		t.Skip("set SCREEN_QUERY='name|CC;name2' to run")
	}
	ix, _ := realData(t)
	for _, one := range strings.Split(qs, ";") {
		name, cc, _ := strings.Cut(one, "|")
		t.Logf("== %q %s", name, cc)
		for _, m := range ix.Search(Query{Name: name, Country: cc, Limit: 8}) {
			t.Logf("%.3f %s %s %q matched %q  [%s]", m.Score, m.Entry.List, m.Entry.ID, m.Entry.Name, m.Matched, m.Explain)
		}
	}
}
