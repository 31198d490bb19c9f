package runner

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/chipcheck/chipcheck/internal/lists"
	"github.com/chipcheck/chipcheck/internal/report"
)

func TestReadQueries(t *testing.T) {
	tests := []struct {
		name string
		csv  string
		want []Query
		err  string
	}{
		{"name only", "name\nAcme\nZhuhai Zhenrong\n", []Query{{Name: "Acme"}, {Name: "Zhuhai Zhenrong"}}, ""},
		{"name and country, any case and order, BOM", "\ufeffCountry, NAME \nCN,Acme\n,Beta\n", []Query{{Name: "Acme", Country: "CN"}, {Name: "Beta"}}, ""},
		{"short row", "name,country\nAcme\n", []Query{{Name: "Acme"}}, ""},
		{"header only", "name,country\n", nil, ""},
		{"no name column", "company,country\nAcme,CN\n", nil, "q.csv:1: header has no name column"},
		{"empty name", "name,country\nAcme,CN\n ,CN\n", nil, "q.csv:3: name: empty"},
		{"empty input", "", nil, "q.csv"},
		{"bad quoting", "name\n\"Acme\n", nil, "q.csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadQueries(strings.NewReader(tt.csv), "q.csv")
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("ReadQueries = %v, %v; want an error containing %q", got, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i].Name != tt.want[i].Name || got[i].Country != tt.want[i].Country {
					t.Errorf("query %d: %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

// TestReadQueriesLineNumbers: an error names the line of the file it is
// on, blank lines and quoted line breaks counted.
func TestReadQueriesLineNumbers(t *testing.T) {
	tests := []struct {
		name, csv, want string
	}{
		{"after a blank line", "name,country\nAcme,CN\n\n,CN\n", "q.csv:4: name: empty"},
		{"after a quoted line break", "name,country\n\"Acme\nHoldings\",CN\n,CN\n", "q.csv:4: name: empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadQueries(strings.NewReader(tt.csv), "q.csv")
			if err == nil || err.Error() != tt.want {
				t.Errorf("ReadQueries = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestSearcher: names from fixtures/lists (SDN entry 27063, written for
// these tests) are found by their listed name, above the review threshold;
// a name on no list finds nothing.
func TestSearcher(t *testing.T) {
	r := builtin(t)
	corpus, err := LoadLists(context.Background(), fixtureLists(t), r.Rules, lists.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSearcher(r.Rules, corpus)
	if err != nil {
		t.Fatal(err)
	}
	_, min, err := Index(r.Rules, corpus)
	if err != nil || min <= 0 || min >= 1 {
		t.Fatalf("review threshold %v, %v", min, err)
	}
	hits := s.Search("Zhuhai Zhenrong Company Limited", " cn ", 5)
	if len(hits) == 0 || hits[0].ID != "27063" || hits[0].List != "SDN" || hits[0].Score < min || hits[0].Countries == nil {
		t.Fatalf("hits %+v, want SDN entry 27063 first", hits)
	}
	for i, h := range hits {
		if h.Score < min || (i > 0 && h.Score > hits[i-1].Score) {
			t.Errorf("hit %d %+v: below the threshold %v or out of order", i, h, min)
		}
	}
	if got := s.Search("Qwxzv Plorbnik Unlisted", "", 5); got == nil || len(got) != 0 {
		t.Errorf("a name on no list: %+v, want no hits (an empty list)", got)
	}

	// What the hits amount to is the screening policy's judgment.
	ctx := context.Background()
	if _, err := s.Outcome(ctx, hits); err == nil {
		t.Error("Outcome without a policy judged the hits")
	}
	if err := s.Judge(ctx, Options{}, r.Rules); err != nil {
		t.Fatal(err)
	}
	weak := hits[0]
	weak.Score = min // at the review threshold, below the deny threshold
	for _, tc := range []struct {
		name string
		hits []report.Hit
		want string
	}{
		{"no hit", nil, "allow"},
		{"exact SDN hit", hits[:1], "deny"},
		{"a hit at the review threshold", []report.Hit{weak}, "review"},
		{"the most severe wins", []report.Hit{weak, hits[0]}, "deny"},
	} {
		if got, err := s.Outcome(ctx, tc.hits); err != nil || got != tc.want {
			t.Errorf("%s: %q, %v; want %s", tc.name, got, err, tc.want)
		}
	}
}

// TestReadQueriesKeepsColumns: each query carries its whole row, columns
// in header order, and its line; a header naming a column twice is
// refused, since the output keeps columns by name.
func TestReadQueriesKeepsColumns(t *testing.T) {
	qs, err := ReadQueries(strings.NewReader("customer_id,Name,country,notes\nC-1,Acme,DE,first\nC-2,Beta\n"), "q.csv")
	if err != nil {
		t.Fatal(err)
	}
	row := func(kv ...string) report.Row {
		var r report.Row
		for i := 0; i < len(kv); i += 2 {
			r = append(r, report.Cell{Name: kv[i], Value: kv[i+1]})
		}
		return r
	}
	want := []report.Row{
		row("customer_id", "C-1", "Name", "Acme", "country", "DE", "notes", "first"),
		row("customer_id", "C-2", "Name", "Beta", "country", "", "notes", ""),
	}
	for i, q := range qs {
		if !reflect.DeepEqual(q.Input, want[i]) || q.Line != i+2 {
			t.Errorf("query %d: %+v at line %d, want %+v at %d", i, q.Input, q.Line, want[i], i+2)
		}
	}
	if _, err := ReadQueries(strings.NewReader("name,NAME\na,b\n"), "q.csv"); err == nil || !strings.Contains(err.Error(), "q.csv:1:") {
		t.Errorf("duplicate column: %v", err)
	}
}
