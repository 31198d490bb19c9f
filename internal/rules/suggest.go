package rules

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/xrash/smetrics"
)

// The nearest known names to an unknown catalog name or country code, for
// the messages that refuse them: a typo should cost one look, not a trip
// through rules/.

// maxSuggestions bounds a hint.
const maxSuggestions = 3

// MatchCatalog is the ids of the catalog entries whose id, name, vendor
// or an alias contains text, letters and digits only, in any case ("h100sxm"
// finds "H100 SXM5"); every id for "". Sorted.
func (s *Set) MatchCatalog(text string) []string {
	q := alnum(text)
	var ids []string
	for id, e := range s.typed.Catalog.Entries {
		fields := append([]string{id, e.Name, e.Vendor}, e.Aliases...)
		if slices.ContainsFunc(fields, func(f string) bool { return strings.Contains(alnum(f), q) }) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// CatalogHint is "; nearest: id (name), ..." for an unknown catalog name,
// or "" when nothing is near.
func (s *Set) CatalogHint(name string) string {
	ids := s.NearestCatalog(name)
	if len(ids) == 0 {
		return "; `chipcheck catalog` lists the catalog"
	}
	entries := s.typed.Catalog.Entries
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprintf("%s (%s)", id, entries[id].Name)
	}
	return "; nearest: " + strings.Join(parts, ", ")
}

// NearestCatalog is the ids of the catalog entries whose id or an alias is
// nearest to name, best first: those containing it (or contained in it)
// first, then those within a few edits.
func (s *Set) NearestCatalog(name string) []string {
	q := alnum(name)
	if len(q) < 3 {
		return nil // anything is near one or two letters
	}
	best := map[string]int{} // id -> score, lower is nearer
	for id, e := range s.typed.Catalog.Entries {
		for _, n := range append([]string{id, e.Name}, e.Aliases...) {
			k := alnum(n)
			score := -1
			switch {
			case (strings.Contains(k, q) || len(k) >= 4 && strings.Contains(q, k)):
				score = abs(len(k) - len(q))
			default:
				// A typo in the whole name, or in its start ("nvdia-h10").
				tol := max(2, len(q)/4)
				if d := smetrics.WagnerFischer(q, k, 1, 1, 1); d <= tol {
					score = 100 + d
				} else if len(q) >= 4 && len(k) > len(q) {
					if d := smetrics.WagnerFischer(q, k[:len(q)], 1, 1, 1); d <= tol {
						score = 200 + 10*d + len(k) - len(q)
					}
				}
			}
			if score >= 0 {
				if old, ok := best[id]; !ok || score < old {
					best[id] = score
				}
			}
		}
	}
	return topN(best)
}

// CountryHint is "; did you mean ...?" for an unknown country code: the
// code of a country name or alias (UK, Germany), the codes whose name an
// ISO alpha-3 code abbreviates (CHN), or the codes of the same first
// letter, the second a key away first.
func (s *Set) CountryHint(code string) string {
	codes := s.NearestCountry(code)
	if len(codes) == 0 {
		return ""
	}
	parts := make([]string, len(codes))
	for i, c := range codes {
		parts[i] = fmt.Sprintf("%s (%s)", c, s.typed.Countries[c].Name)
	}
	return "; did you mean " + strings.Join(parts, ", ") + "?"
}

// NearestCountry is the known codes nearest to code, best first.
func (s *Set) NearestCountry(code string) []string {
	if c, ok := s.CountryCode(code); ok {
		return []string{c}
	}
	q := alnum(code)
	best := map[string]int{}
	for c, country := range s.typed.Countries {
		lc := strings.ToLower(c)
		switch {
		case len(q) >= 3 && len(q) <= 4 && q[0] == lc[0] && subsequence(q, alnum(country.Name)):
			best[c] = 0 // CHN, RUS, VNM: alpha-3 codes
		case len(q) > 4 && strings.HasPrefix(alnum(country.Name), q):
			best[c] = 1 // the start of a name
		case len(q) == 2 && q[0] == lc[0]:
			best[c] = 2 // the second letter mistyped: the neighbours on the keyboard first
			if keyboardNeighbours(q[1], lc[1]) {
				best[c] = 1
			}
		}
	}
	return topN(best)
}

// topN is the keys of the maxSuggestions lowest scores, ties by key.
func topN(scores map[string]int) []string {
	keys := make([]string, 0, len(scores))
	for k := range scores {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if d := scores[a] - scores[b]; d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	return keys[:min(len(keys), maxSuggestions)]
}

// alnum is s lower-cased with everything but letters and digits removed,
// so that "H100 SXM" and "h100-sxm" compare equal.
func alnum(s string) string {
	var sb strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// subsequence reports whether the letters of q appear in s in order.
func subsequence(q, s string) bool {
	i := 0
	for j := 0; j < len(s) && i < len(q); j++ {
		if s[j] == q[i] {
			i++
		}
	}
	return i == len(q)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// qwerty is the letter rows of a keyboard, for keyboardNeighbours.
var qwerty = []string{"qwertyuiop", "asdfghjkl", "zxcvbnm"}

// keyboardNeighbours reports whether letters a and b sit side by side on a
// row of a QWERTY keyboard.
func keyboardNeighbours(a, b byte) bool {
	for _, row := range qwerty {
		i, j := strings.IndexByte(row, a), strings.IndexByte(row, b)
		if i >= 0 && j >= 0 && abs(i-j) == 1 {
			return true
		}
	}
	return false
}
