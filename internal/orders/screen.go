package orders

import (
	"slices"

	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/engine"
	"github.com/chipcheck/chipcheck/internal/screen"
)

// IndexScreener screens the parties of an order against a list index:
// every hit at or above MinScore (the review threshold of
// rules/screening.yaml) becomes a decision.Hit. What a hit means is the
// policy's call, not the screener's.
type IndexScreener struct {
	Index    *screen.Index
	MinScore float64
	Limit    int // most hits per party; 0 means the index default

	// A book names the same parties again and again, often as buyer,
	// consignee and end user of one order: each distinct name (and
	// country) is normalised and searched once, then its hits are copied
	// with the role. Two generations of screenCache entries each keep
	// the parties in use however long the book.
	screenable engine.Cache[bool]
	hits       engine.Cache[[]decision.Hit]
}

// screenCache is how many distinct parties each cache generation holds:
// a book's customers, many times over, at a few hundred bytes each.
const screenCache = 1 << 16

// NewIndexScreener returns an IndexScreener of ix whose caches hold a
// book's parties (a zero IndexScreener works too, with smaller caches).
func NewIndexScreener(ix *screen.Index, minScore float64) *IndexScreener {
	s := &IndexScreener{Index: ix, MinScore: minScore}
	s.screenable.Size, s.hits.Size = screenCache, screenCache
	return s
}

// Screenable reports whether a name holds anything to screen.
func (s *IndexScreener) Screenable(name string) bool {
	if ok, found := s.screenable.Get([]byte(name)); found {
		return ok
	}
	ok := screen.Screenable(name)
	s.screenable.Put(name, ok)
	return ok
}

// Screen searches a party's name, with its country (else its headquarters)
// as the tie-breaker. A name with nothing to screen gets no hits: tell it
// from a clean result with screen.Screenable.
func (s *IndexScreener) Screen(role string, p Party) []decision.Hit {
	if p.Name == "" {
		return nil
	}
	country := p.Country
	if country == "" {
		country = p.Headquarters
	}
	key := p.Name + "\x00" + country
	found, ok := s.hits.Get([]byte(key))
	if !ok {
		found = s.search(p.Name, country)
		s.hits.Put(key, found)
	}
	if len(found) == 0 {
		return nil
	}
	hits := slices.Clone(found)
	for i := range hits {
		hits[i].Party = role
	}
	return hits
}

// search screens one name: its hits, without a role.
func (s *IndexScreener) search(name, country string) []decision.Hit {
	ms := s.Index.Search(screen.Query{Name: name, Country: country, Limit: s.Limit, MinScore: s.MinScore})
	hits := make([]decision.Hit, len(ms))
	for i, m := range ms {
		e := m.Entry
		hits[i] = decision.Hit{
			PartyName:          name,
			List:               e.List,
			ListName:           e.ListName,
			EntryID:            e.ID,
			Entry:              e.Name,
			Matched:            m.Matched,
			Score:              m.Score,
			Countries:          e.Countries,
			Explanation:        m.Explain.String(),
			LicenseRequirement: e.LicenseRequirement,
			LicensePolicy:      e.LicensePolicy,
			FederalRegister:    e.FederalRegisterNotice,
		}
	}
	return hits
}
