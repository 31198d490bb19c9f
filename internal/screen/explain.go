package screen

import (
	"fmt"
	"strings"

	"github.com/chipcheck/chipcheck/internal/screen/index"
	"github.com/chipcheck/chipcheck/internal/screen/prepare"
)

// Explanation says why a match scored what it did. Parts add up to the score
// (before clamping to [0,1]).
type Explanation struct {
	// Pairs are the matched strong token pairs, query token first.
	Pairs []TokenPair `json:"pairs,omitempty"`
	// UnmatchedQuery and UnmatchedEntry are strong tokens left unpaired.
	UnmatchedQuery []string `json:"unmatched_query,omitempty"`
	UnmatchedEntry []string `json:"unmatched_entry,omitempty"`
	// LegalForms (canonical: "co ltd", "jsc", "llc") and Weak (stopwords,
	// initials) are the weak tokens that paired; they count little.
	LegalForms []string `json:"legal_forms,omitempty"`
	Weak       []string `json:"weak,omitempty"`
	// Normalization lists what was applied to reach the match:
	// "transliterated", "reordered" (LAST, First), "acronym", "joined words",
	// "alias".
	Normalization []string `json:"normalization,omitempty"`
	// QueryCoverage and EntryCoverage are the weighted shares of each side
	// explained by the pairs (0..1).
	QueryCoverage float64 `json:"query_coverage"`
	EntryCoverage float64 `json:"entry_coverage"`
	// Country describes the country tie-breaker ("CN matches", "DE not in
	// RU"), empty when it did not apply; CountryAdjust is its part.
	Country       string  `json:"country,omitempty"`
	CountryAdjust float64 `json:"country_adjust,omitempty"`
	// Contains is set when the query holds every strong word of the listed
	// name and scores at least Options.ContainmentScore for it.
	Contains bool `json:"contains,omitempty"`
	// Identifier is the identifier that matched exactly, if any.
	Identifier string `json:"identifier,omitempty"`
	// Parts are the additive parts of the score.
	Parts []ScorePart `json:"parts"`
}

// TokenPair is one query token paired with one entry token.
type TokenPair struct {
	Query      string  `json:"query"`
	Entry      string  `json:"entry"`
	Similarity float64 `json:"similarity"`
}

// ScorePart is one additive part of a score.
type ScorePart struct {
	Name  string  `json:"name"`
	Value float64 `json:"value"`
}

// String renders the explanation on one line, e.g.
// `tokens huawei=huawei 1.00, technologies=technologies 1.00; legal form "co ltd" (weak); country CN matches`.
func (e Explanation) String() string {
	var parts []string
	if e.Identifier != "" {
		parts = append(parts, fmt.Sprintf("identifier %s matches", e.Identifier))
	}
	if len(e.Pairs) > 0 {
		ps := make([]string, len(e.Pairs))
		for i, p := range e.Pairs {
			ps[i] = fmt.Sprintf("%s=%s %.2f", p.Query, p.Entry, p.Similarity)
		}
		parts = append(parts, "tokens "+strings.Join(ps, ", "))
	}
	if len(e.UnmatchedQuery) > 0 {
		parts = append(parts, "query only "+strings.Join(e.UnmatchedQuery, " "))
	}
	if e.Contains {
		parts = append(parts, "query contains the whole listed name")
	}
	if len(e.UnmatchedEntry) > 0 {
		parts = append(parts, "entry only "+strings.Join(e.UnmatchedEntry, " "))
	}
	if len(e.LegalForms) > 0 {
		parts = append(parts, fmt.Sprintf("legal form %q (weak)", strings.Join(e.LegalForms, " ")))
	}
	if len(e.Weak) > 0 {
		parts = append(parts, fmt.Sprintf("stopwords %q (weak)", strings.Join(e.Weak, " ")))
	}
	if len(e.Normalization) > 0 {
		parts = append(parts, strings.Join(e.Normalization, ", "))
	}
	if e.Country != "" {
		parts = append(parts, "country "+e.Country)
	}
	return strings.Join(parts, "; ")
}

// explainHit turns a hit into a Match, re-scoring its name with pair
// recording on (only for the few matches returned).
func (ix *Index) explainHit(pq *preparedQuery, sc *scratch, h hit) Match {
	e := &ix.idx.Entries[h.entry]
	m := Match{Entry: e, Score: h.score, Matched: e.Name}
	var ex Explanation
	if pq.norm.Transliterated {
		ex.Normalization = append(ex.Normalization, "transliterated")
	}
	if pq.norm.Reordered {
		ex.Normalization = append(ex.Normalization, "reordered")
	}
	if h.name >= 0 {
		n := &ix.idx.Names[h.name]
		m.Matched, m.Alias = n.Display, n.Alias
		if n.Alias {
			ex.Normalization = append(ex.Normalization, "alias")
		}
		if n.Qualifier != "" {
			ex.Normalization = append(ex.Normalization, fmt.Sprintf("listed name without %q", n.Qualifier))
		}
	}
	switch {
	case h.ident:
		for _, id := range e.IDs {
			if index.NormIdentifier(id.Number) == index.NormIdentifier(pq.id) {
				ex.Identifier = id.Type + " " + id.Number
			}
		}
		ex.Parts = []ScorePart{{"identifier", 1}}
		return withExplain(m, ex)
	case h.form < 0:
		ex.Normalization = append(ex.Normalization, "acronym")
		n := &ix.idx.Names[h.name]
		s := ix.acronymScore(pq, h.name)
		ex.Pairs = []TokenPair{{Query: pq.norm.Key(), Entry: ix.nameText(n), Similarity: 1}}
		ex.QueryCoverage, ex.EntryCoverage = 1, 1
		ex.Parts = []ScorePart{{"acronym", s}}
	default:
		n := &ix.idx.Names[h.name]
		form := pq.forms[h.form]
		if h.form > 0 || h.ej >= 0 {
			ex.Normalization = append(ex.Normalization, "joined words")
		}
		ns := ix.scoreForm(pq, sc, form, n, h.ej, h.ejq, true)
		usedQ := map[int16]bool{}
		usedE := map[int]bool{}
		for _, p := range ns.pairs {
			qt := pq.toks[p.q]
			et := ix.idx.Vocab[n.Toks[p.e]].Text
			if h.ej >= 0 && int(p.e) == h.ej {
				et = ix.idx.Vocab[n.Toks[p.e]].Text + ix.idx.Vocab[n.Toks[p.e+1]].Text
				usedE[int(p.e)+1] = true
			}
			usedQ[p.q], usedE[int(p.e)] = true, true
			switch qt.class {
			case prepare.Legal:
				ex.LegalForms = append(ex.LegalForms, qt.text)
				continue
			case prepare.Stop, prepare.Initial:
				ex.Weak = append(ex.Weak, qt.text)
				continue
			}
			ex.Pairs = append(ex.Pairs, TokenPair{qt.text, et, round2(float64(p.sim))})
		}
		for _, qi := range form {
			if qt := pq.toks[qi]; !usedQ[qi] && !qt.class.Weak() {
				ex.UnmatchedQuery = append(ex.UnmatchedQuery, qt.text)
			}
		}
		for j, vid := range n.Toks {
			if v := ix.idx.Vocab[vid]; !usedE[j] && !v.Class.Weak() {
				ex.UnmatchedEntry = append(ex.UnmatchedEntry, v.Text)
			}
		}
		ex.QueryCoverage, ex.EntryCoverage = round4(ns.qCov), round4(ns.eCov)
		wq := ix.opts.QueryCoverageWeight
		ex.Parts = []ScorePart{
			{"query coverage", wq * ns.qCov},
			{"entry coverage", (1 - wq) * ns.eCov},
		}
		if ns.evidence > 0 {
			ex.Parts = append(ex.Parts, ScorePart{"weak evidence", -ns.evidence})
		}
		if ns.contained > 0 {
			ex.Contains = true
			ex.Parts = append(ex.Parts, ScorePart{"contains the listed name", ns.contained})
		}
	}
	if h.cnote != "" {
		ex.Country, ex.CountryAdjust = h.cnote, h.adjust
		ex.Parts = append(ex.Parts, ScorePart{"country", h.adjust})
	}
	if h.score == belowEqual {
		sum := 0.0
		for _, p := range ex.Parts {
			sum += p.Value
		}
		if sum > belowEqual {
			ex.Parts = append(ex.Parts, ScorePart{"not the listed name exactly", belowEqual - sum})
		}
	}
	return withExplain(m, ex)
}

func withExplain(m Match, ex Explanation) Match {
	for i := range ex.Parts {
		ex.Parts[i].Value = round4(ex.Parts[i].Value)
	}
	m.Score = round4(m.Score)
	m.Explain = ex
	return m
}

// nameText is a name's normalised tokens joined by spaces.
func (ix *Index) nameText(n *index.Name) string {
	ws := make([]string, len(n.Toks))
	for i, v := range n.Toks {
		ws[i] = ix.idx.Vocab[v].Text
	}
	return strings.Join(ws, " ")
}

func round2(x float64) float64 { return float64(int(x*100+0.5)) / 100 }
func round4(x float64) float64 { return float64(int(x*10000+0.5)) / 10000 }
