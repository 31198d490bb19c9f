package runner

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/chipcheck/chipcheck/internal/lists"
	"github.com/chipcheck/chipcheck/internal/report"
	"github.com/chipcheck/chipcheck/internal/rules"
	"github.com/chipcheck/chipcheck/internal/screen"
)

// Searcher finds list entries by name, as `lists search` does: only hits at
// or above the review threshold, best first.
type Searcher struct {
	ix  *screen.Index
	min float64
}

// NewSearcher indexes the entries of c with the matcher numbers of rs.
func NewSearcher(rs *rules.Set, c *lists.Corpus) (*Searcher, error) {
	ix, min, err := Index(rs, c)
	if err != nil {
		return nil, err
	}
	return &Searcher{ix: ix, min: min}, nil
}

// Search returns the hits of one name, with an optional ISO country as the
// tie-breaker.
func (s *Searcher) Search(name, country string, limit int) []report.Hit {
	out := []report.Hit{}
	for _, m := range s.ix.Search(screen.Query{Name: name, Country: strings.ToUpper(strings.TrimSpace(country)), Limit: limit, MinScore: s.min}) {
		e := m.Entry
		countries := e.Countries
		if countries == nil {
			countries = []string{}
		}
		out = append(out, report.Hit{Name: e.Name, List: e.List, ListName: e.ListName, Score: m.Score, ID: e.ID,
			Matched: m.Matched, Countries: countries, Type: e.Type, Explanation: m.Explain.String()})
	}
	return out
}

// Query is one name of a batch search.
type Query struct {
	Name, Country string
}

// ReadQueries reads a batch of names to search: a CSV with a header naming
// a name column and, optionally, a country column. file names the input in
// messages.
func ReadQueries(r io.Reader, file string) ([]Query, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	ni, ok := col["name"]
	if !ok {
		return nil, fmt.Errorf("%s:1: header has no name column", file)
	}
	ci, hasCountry := col["country"]
	var out []Query
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		line, _ := cr.FieldPos(0)
		var q Query
		if ni < len(rec) {
			q.Name = rec[ni]
		}
		if hasCountry && ci < len(rec) {
			q.Country = rec[ci]
		}
		if strings.TrimSpace(q.Name) == "" {
			return nil, fmt.Errorf("%s:%d: name: empty", file, line)
		}
		out = append(out, q)
	}
}
