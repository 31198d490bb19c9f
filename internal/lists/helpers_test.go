package lists

import (
	"bytes"
	"cmp"
	"compress/gzip"
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

// needReal returns the shared snapshot directory. When it is not there the
// test is skipped, except under CI (CI set, as CI services do): a run that
// is meant to check the real lists must not pass without them.
func needReal(t testing.TB) string {
	t.Helper()
	if _, err := os.Stat(filepath.Join(realLists, "sdn.csv")); err != nil {
		msg := fmt.Sprintf("real list snapshots not found at %s (../shared/data/lists from the repository root, or CHIPCHECK_SHARED_LISTS): %v", realLists, err)
		if os.Getenv("CI") != "" {
			t.Fatal(msg + "; CI is set, so this fails instead of skipping")
		}
		t.Skip(msg)
	}
	return realLists
}

// gzipFixture returns a fixture list file gzip-compressed, as a .gz file
// holds it.
func gzipFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtureLists, name))
	if err != nil {
		t.Fatal(err)
	}
	return gzipBytes(b)
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}
