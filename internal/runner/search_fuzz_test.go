package runner

import (
	"regexp"
	"strings"
	"testing"
)

var queryProblem = regexp.MustCompile(`^q\.csv(:\d+)?: `)

// FuzzReadQueries: any batch-search input gives queries with a name each,
// or an error that names the file (and, where it can, the line); never a
// panic, never a blank name passed on to the matcher.
func FuzzReadQueries(f *testing.F) {
	for _, seed := range []string{
		"name,country\nHuawei Technologies,CN\n",
		"\ufeffName , Country\n\"Quoted, Name\",RU\n\nplain,\n",
		"country,name\nCN,\n",
		"name\n\"line\nbreak\"\n",
		"id,name\n1,a\n2\n",
		"",
		"name,country\n\"unterminated\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		qs, err := ReadQueries(strings.NewReader(text), "q.csv")
		if err != nil {
			if !queryProblem.MatchString(err.Error()) {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		for _, q := range qs {
			if strings.TrimSpace(q.Name) == "" {
				t.Fatalf("a query with no name: %+v", q)
			}
		}
	})
}
