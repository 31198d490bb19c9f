package screen

import (
	"cmp"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/chipcheck/chipcheck/internal/lists"
)

// sharedListsDir is where the real list snapshots live, relative to this
// package (the repository's sibling shared/ folder).
var sharedListsDir = cmp.Or(os.Getenv("CHIPCHECK_SHARED_LISTS"), "../../../shared/data/lists")

var (
	realOnce  sync.Once
	realIndex *Index
	realCorp  *lists.Corpus
	realErr   error
)

// countryLookup builds lists.Options.CountryCode from rules/countries.yaml:
// ISO codes, English names and the aliases the list files use.
func countryLookup(t testing.TB) func(string) (string, bool) {
	t.Helper()
	data, err := os.ReadFile("../../rules/countries.yaml")
	if err != nil {
		t.Fatalf("read countries: %v", err)
	}
	var table map[string]struct {
		Name    string   `yaml:"name"`
		Aliases []string `yaml:"aliases"`
	}
	if err := yaml.Unmarshal(data, &table); err != nil {
		t.Fatalf("parse countries: %v", err)
	}
	m := map[string]string{}
	for code, c := range table {
		m[strings.ToLower(code)] = code
		m[strings.ToLower(c.Name)] = code
		for _, a := range c.Aliases {
			m[strings.ToLower(a)] = code
		}
	}
	return func(s string) (string, bool) {
		c, ok := m[strings.ToLower(strings.TrimSpace(s))]
		return c, ok
	}
}

// realData loads the shared list snapshots once per test binary and indexes
// them with the default options; it skips the test when they are absent.
func realData(t testing.TB) (*Index, *lists.Corpus) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(sharedListsDir, "sdn.csv")); err != nil {
		t.Skipf("real lists not found in %s (they live beside the repository in shared/data/lists): %v", sharedListsDir, err)
	}
	lookup := countryLookup(t)
	realOnce.Do(func() {
		realCorp, realErr = lists.LoadDir(context.Background(), sharedListsDir, lists.Options{CountryCode: lookup})
		if realErr == nil {
			realIndex = NewIndex(realCorp.Entries, Options{})
		}
	})
	if realErr != nil {
		t.Fatalf("load lists: %v", realErr)
	}
	return realIndex, realCorp
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
