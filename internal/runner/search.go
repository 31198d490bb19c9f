package runner

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/engine"
	"github.com/chipcheck/chipcheck/internal/lists"
	"github.com/chipcheck/chipcheck/internal/orders"
	"github.com/chipcheck/chipcheck/internal/report"
	"github.com/chipcheck/chipcheck/internal/rules"
	"github.com/chipcheck/chipcheck/internal/screen"
)

// Searcher finds list entries by name, as `lists search` does: only hits at
// or above the review threshold, best first.
type Searcher struct {
	ix    *screen.Index
	min   float64
	judge engine.Evaluator // the screening policy, for Outcome (Judge)
}

// querySearchHit is the screening stage's reasons for one hit, as an
// order's party hit is judged.
const querySearchHit = "search.screening"

// NewSearcher indexes the entries of c with the matcher numbers of rs.
func NewSearcher(rs *rules.Set, c *lists.Corpus) (*Searcher, error) {
	ix, min, err := Index(rs, c)
	if err != nil {
		return nil, err
	}
	return &Searcher{ix: ix, min: min}, nil
}

// Judge compiles the policies opts names (the built-in ones by default)
// with rs, so that Outcome can ask the screening policy what a name's hits
// amount to.
func (s *Searcher) Judge(ctx context.Context, opts Options, rs *rules.Set) error {
	pol, err := LoadPolicy(ctx, opts, rs)
	if err != nil {
		return err
	}
	ev, err := engine.New(ctx, engine.Options{Policy: pol, Queries: []engine.Query{{Name: querySearchHit, Text: "[r | some r in data.chipcheck.screening.reasons]"}}})
	if err != nil {
		return err
	}
	s.judge = ev
	return nil
}

// Outcome is what the screening policy (policies/chipcheck/screening)
// makes of a name's hits, each judged as an order party's hit with no
// license claimed: the most severe of their reasons; allow without a hit.
// A hit the policy gives no reason for is an error, never an allow.
func (s *Searcher) Outcome(ctx context.Context, hits []report.Hit) (string, error) {
	if s.judge == nil {
		return "", errors.New("search: no screening policy to judge hits with (Judge)")
	}
	out := decision.Allow
	for _, h := range hits {
		hit := orders.HitInput(decision.Hit{Party: "query", PartyName: h.Matched, List: h.List, ListName: h.ListName,
			EntryID: h.ID, Entry: h.Name, Matched: h.Matched, Score: h.Score, Countries: h.Countries, Explanation: h.Explanation})
		v, err := s.judge.Eval(ctx, querySearchHit, nil, func() ast.Value {
			val, err := ast.InterfaceToValue(map[string]any{"hit": hit, "license": map[string]any{}})
			if err != nil {
				panic(fmt.Sprintf("search: input not convertible: %v", err)) // maps, strings and numbers only
			}
			return val
		}, nil)
		if err != nil {
			return "", fmt.Errorf("screening policy, hit %s %s: %w", h.List, h.ID, err)
		}
		rs, _ := v.([]any)
		if len(rs) == 0 {
			return "", fmt.Errorf("screening policy gave no reason for the hit %s %s %q (score %.2f)", h.List, h.ID, h.Name, h.Score)
		}
		for _, r := range rs {
			m, _ := r.(map[string]any)
			o, _ := m["outcome"].(string)
			if o != decision.Allow && o != decision.Review && o != decision.Deny {
				return "", fmt.Errorf("screening policy: a reason for the hit %s %s without a known outcome: %v", h.List, h.ID, m)
			}
			if decision.Severity(o) > decision.Severity(out) {
				out = o
			}
		}
	}
	return out, nil
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
