// Package realdata gives the screening tests the real restricted-party list
// snapshots and the repository's rule data. The snapshots are never copied
// into the repository: they are read from CHIPCHECK_SHARED_LISTS, else from
// the snapshot folder the project keeps beside its checkout (defaultDir).
//
// Without them a test skips, saying why, except under CI (the CI environment
// variable set), where a missing snapshot fails the test: a CI run must not
// pass by measuring nothing.
package realdata

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/chipcheck/chipcheck/internal/lists"
	"github.com/chipcheck/chipcheck/internal/rules"
)

// defaultDir is the snapshot folder relative to the repository root.
var defaultDir = filepath.Join("..", "shared", "data", "lists")

// RepoRoot is the directory holding go.mod, found upwards from the test's
// working directory.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test's working directory")
		}
		dir = parent
	}
}

// Path is a file or directory of the repository, from its root.
func Path(t testing.TB, elem ...string) string {
	t.Helper()
	return filepath.Join(append([]string{RepoRoot(t)}, elem...)...)
}

// Dir is the directory of the real list snapshots. It skips the test when
// they are absent, or fails it under CI.
func Dir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("CHIPCHECK_SHARED_LISTS")
	if dir == "" {
		dir = filepath.Join(RepoRoot(t), defaultDir)
	}
	if _, err := os.Stat(filepath.Join(dir, "sdn.csv")); err != nil {
		Missing(t, "real list snapshots not found in %s (set CHIPCHECK_SHARED_LISTS): %v", dir, err)
	}
	return dir
}

// Missing reports missing test data: a failure under CI, a skip elsewhere.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf(format, args...)
	}
	t.Skipf(format, args...)
}

var (
	rulesOnce sync.Once
	ruleSet   *rules.Set
	rulesErr  error

	corpusOnce sync.Once
	corpus     *lists.Corpus
	corpusErr  error
)

// Rules is the repository's rule data (rules/), loaded once per test binary.
func Rules(t testing.TB) *rules.Set {
	t.Helper()
	rulesOnce.Do(func() { ruleSet, rulesErr = rules.LoadDir(Path(t, "rules")) })
	if rulesErr != nil {
		t.Fatalf("load rules: %v", rulesErr)
	}
	return ruleSet
}

// Number is the rule-data number at path (e.g. "screening",
// "review_threshold"); it fails the test when absent.
func Number(t testing.TB, path ...string) float64 {
	t.Helper()
	v, err := Rules(t).Number(path...)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// Corpus is the real lists, loaded once per test binary with the country
// names of the rule data, as chipcheck loads them.
func Corpus(t testing.TB) *lists.Corpus {
	t.Helper()
	dir := Dir(t)
	rs := Rules(t)
	corpusOnce.Do(func() {
		corpus, corpusErr = lists.LoadDir(context.Background(), dir, lists.Options{CountryCode: rs.CountryCode})
	})
	if corpusErr != nil {
		t.Fatalf("load lists from %s: %v", dir, corpusErr)
	}
	return corpus
}
