package orders

import (
	"github.com/chipcheck/chipcheck/internal/decision"
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
}

// Screenable reports whether a name holds anything to screen.
func (s *IndexScreener) Screenable(name string) bool { return screen.Screenable(name) }

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
	ms := s.Index.Search(screen.Query{Name: p.Name, Country: country, Limit: s.Limit, MinScore: s.MinScore})
	hits := make([]decision.Hit, len(ms))
	for i, m := range ms {
		e := m.Entry
		hits[i] = decision.Hit{
			Party:              role,
			PartyName:          p.Name,
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
