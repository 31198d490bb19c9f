package runner

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/lists"
	"github.com/chipcheck/chipcheck/internal/report"
	"github.com/chipcheck/chipcheck/internal/rules"
	"github.com/chipcheck/chipcheck/internal/screen"
)

// Searcher finds list entries by name, as `lists search` does: only hits at
// or above the review threshold, best first.
type Searcher struct {
	ix    *screen.Index
	min   float64
	rules rules.Screening
}

// NewSearcher indexes the entries of c with the matcher numbers of rs.
func NewSearcher(rs *rules.Set, c *lists.Corpus) (*Searcher, error) {
	ix, min, err := Index(rs, c)
	if err != nil {
		return nil, err
	}
	return &Searcher{ix: ix, min: min, rules: rs.Screening()}, nil
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

// Query is one name of a batch search, with its whole row.
type Query struct {
	Name, Country string
	Line          int        // the row's line in the file
	Input         report.Row // every column of the row, in header order
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
	names := make([]string, len(header))
	for i, h := range header {
		names[i] = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		k := strings.ToLower(names[i])
		if _, dup := col[k]; dup {
			// The output keeps every column by name: two of one name
			// would be one.
			return nil, fmt.Errorf("%s:1: header names column %q twice", file, names[i])
		}
		col[k] = i
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
		q := Query{Line: line, Input: make(report.Row, len(names))}
		for i, n := range names {
			q.Input[i].Name = n
			if i < len(rec) {
				q.Input[i].Value = rec[i]
			}
		}
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

// Outcome is what the screening rule makes of a name's hits, with no
// licence on file: allow without a hit; a hit at or above the deny
// threshold on a list that restricts exports takes that list's outcome;
// any other hit is review. The thresholds and outcomes are the rule data's
// (rules/screening.yaml), as policies/chipcheck/screening reads them.
func (s *Searcher) Outcome(hits []report.Hit) string {
	out := decision.Allow
	for _, h := range hits {
		o := decision.Review
		if l, ok := s.rules.Lists[h.List]; ok && l.Restricts && h.Score >= s.rules.DenyThreshold {
			o = l.Outcome
		}
		if decision.Severity(o) > decision.Severity(out) {
			out = o
		}
	}
	return out
}
