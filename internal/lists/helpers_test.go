package lists

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"gopkg.in/yaml.v3"
)

// realLists is the shared snapshot directory, relative to this package.
var realLists = cmp.Or(os.Getenv("CHIPCHECK_SHARED_LISTS"), "../../../shared/data/lists")

// fixtureLists holds the small real-row fixtures.
const fixtureLists = "../../fixtures/lists"

var (
	countryOnce sync.Once
	countryMap  map[string]string
)

// countryCode maps names and codes through rules/countries.yaml, the way
// chipcheck builds Options.CountryCode (case-insensitive).
func countryCode(t testing.TB) func(string) (string, bool) {
	t.Helper()
	countryOnce.Do(func() {
		b, err := os.ReadFile("../../rules/countries.yaml")
		if err != nil {
			return
		}
		var doc map[string]struct {
			Name    string   `yaml:"name"`
			Aliases []string `yaml:"aliases"`
		}
		if err := yaml.Unmarshal(b, &doc); err != nil {
			return
		}
		countryMap = map[string]string{}
		for code, c := range doc {
			countryMap[strings.ToLower(code)] = code
			countryMap[strings.ToLower(c.Name)] = code
			for _, a := range c.Aliases {
				countryMap[strings.ToLower(a)] = code
			}
		}
	})
	if countryMap == nil {
		t.Fatal("cannot read ../../rules/countries.yaml")
	}
	return func(s string) (string, bool) {
		c, ok := countryMap[strings.ToLower(s)]
		return c, ok
	}
}

// needReal skips a test when the shared snapshots are not there, and fails
// it under CI (CI set), where a missing snapshot must not pass as a skip.
func needReal(t testing.TB) string {
	t.Helper()
	if _, err := os.Stat(filepath.Join(realLists, "sdn.csv")); err != nil {
		msg := fmt.Sprintf("real list snapshots not found at %s (set CHIPCHECK_SHARED_LISTS): %v", realLists, err)
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return realLists
}
