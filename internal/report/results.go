package report

import (
	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/lists"
	"github.com/chipcheck/chipcheck/internal/policy"
)

// The results of the commands other than check, as they are written.

// Classification is what `chipcheck classify` says of one chip record.
type Classification struct {
	ID        string            `json:"id"`
	Name      string            `json:"name"`
	ECCN      string            `json:"eccn"`
	Paragraph string            `json:"paragraph,omitempty"`
	TPP       *float64          `json:"tpp"`
	PD        *float64          `json:"pd"`
	Reasons   []decision.Reason `json:"reasons"`
}

// Classified is the classification of a chip record's decision.
func Classified(d decision.Decision) Classification {
	c := Classification{ID: d.ID, Reasons: d.Reasons, ECCN: "unknown"}
	if len(d.Items) == 1 {
		it := d.Items[0]
		c.Name, c.ECCN, c.Paragraph, c.TPP, c.PD = it.Name, it.ECCN, it.Paragraph, it.TPP, it.PD
	}
	return c
}

// Hit is one list entry that matched a searched name.
type Hit struct {
	Name        string   `json:"name"` // the entry's primary name as published
	List        string   `json:"list"`
	ListName    string   `json:"list_name"`
	Score       float64  `json:"score"`
	ID          string   `json:"id"`
	Matched     string   `json:"matched"` // the name or alias that matched
	Countries   []string `json:"countries"`
	Type        string   `json:"type,omitempty"`
	Explanation string   `json:"explanation"`
}

// Search is one query of a batch search and its hits, best first.
// Decision is what the screening rule makes of the hits (no hit: allow);
// Input is the query's row as given, every column kept, in order.
type Search struct {
	Query struct {
		Name    string `json:"name"`
		Country string `json:"country"`
	} `json:"query"`
	Decision string `json:"decision"`
	Hits     []Hit  `json:"hits"`
	Input    Row    `json:"input,omitempty"`
}

// Row is a CSV row with its header: JSON writes it as an object whose keys
// keep the columns' order.
type Row []Cell

// Cell is one column of a Row.
type Cell struct{ Name, Value string }

// MarshalJSON writes r as {"name": "value", ...} in column order.
func (r Row) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for i, c := range r {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, c.Name)
		b = append(b, ':')
		b = appendString(b, c.Value)
	}
	return append(b, '}'), nil
}

// RuleSet is every rule of a policy, and which policy it is.
type RuleSet struct {
	Policy struct {
		Revision string `json:"revision"`
		Policies string `json:"policies"`
		Rules    string `json:"rules"`
	} `json:"policy"`
	Rules []policy.Rule `json:"rules"`
}

// document marks a result that is the whole output: JSON writes it alone,
// not as an element of an array.
func (RuleSet) document() {}

// ListInfo is one loaded list set, as `lists info` reports it.
type ListInfo = lists.ListInfo

// CatalogEntry is one chip of the catalog, as `chipcheck catalog` lists it.
type CatalogEntry struct {
	ID              string   `json:"id"`
	Name            string   `json:"name"`
	Vendor          string   `json:"vendor,omitempty"`
	Aliases         []string `json:"aliases"`
	DesignerCountry string   `json:"designer_country,omitempty"`
	Released        *int     `json:"released,omitempty"`
	HBM             bool     `json:"hbm,omitempty"`        // a bare HBM stack (3A090.c)
	GP10Named       bool     `json:"gp10_named,omitempty"` // named in BIS's GP10 guidance
}
