package screen

import (
	"errors"
	"fmt"

	"github.com/chipcheck/chipcheck/internal/screen/index"
)

// Options are the matcher's weights and knobs. The zero value of a field means
// "use the default" (see DefaultOptions), except for the five numbers that
// change outcomes (ContainmentScore, CountryBonus, CountryPenalty,
// AcronymScore, MinTokenSimilarity): they are rule data (the matcher section
// of rules/screening.yaml, see WithMatcher), have no default, and NewIndex
// refuses Options without them. Thresholds are rule data too.
type Options struct {
	// QueryCoverageWeight is the share of the name score given to how much of
	// the query is explained by the entry name; the rest goes to how much of
	// the entry name is explained by the query. Query tokens left unmatched
	// therefore cost more than entry tokens left unmatched. Default 0.6.
	QueryCoverageWeight float64
	// QueryIDFExponent and EntryIDFExponent shape token weights: a token's
	// weight is (normalised IDF)^exponent. A higher entry exponent makes the
	// entry's distinctive tokens dominate its coverage, so a query made only of
	// generic words ("Beijing Technology") cannot cover a listed name whose
	// distinctive word it lacks. Defaults 1.5 and 2.5.
	QueryIDFExponent float64
	EntryIDFExponent float64
	// GenericShare is the least document frequency, as a share of entries,
	// given to generic business and place words (generic.go), so "Beijing
	// Precision Instruments" is not distinctive just because the lists rarely
	// say "precision". Default 0.02.
	GenericShare float64
	// MinCorpusEntries is the least number of entries word weights are
	// worked out over. A small list (an internal deny list, a test fixture)
	// cannot tell a word seen once from a common one; weighed as a sample of
	// a list this size, a word it holds once stays distinctive and generic
	// words stay generic. Default 10000 (the US lists hold about 40,000).
	MinCorpusEntries float64
	// WeakWeight is the weight of a legal form, stopword or initial, in the
	// same units as a token weight (a unique token weighs 1). Default 0.04.
	WeakWeight float64
	// EvidenceMass and EvidencePenalty shape the weak-evidence penalty of a
	// partial match (see evidencePenalty): a match whose matched entry
	// weight is below EvidenceMass loses up to EvidencePenalty, in
	// proportion to the entry share left unmatched. Defaults 0.8 and 0.6.
	EvidenceMass    float64
	EvidencePenalty float64
	// MinTokenSimilarity is the similarity under which two tokens do not pair
	// at all, in (0,1). Rule data: matcher.min_token_similarity.
	MinTokenSimilarity float64
	// PhoneticWeight scales the Jaro-Winkler similarity of two tokens'
	// phonetic keys (kh→h, w→v, y→i, doubled letters, ...), used when it beats
	// the plain similarity. Default 0.96.
	PhoneticWeight float64
	// AcronymScore is the name score of a query that is the acronym of a
	// listed name (or the reverse), for acronyms of 4 letters or more; 3-letter
	// acronyms get AcronymScore-0.1. Rule data: matcher.acronym_score.
	AcronymScore float64
	// ContainmentScore is the least name score of a query that contains
	// every strong word (two or more) of a listed organisation's name
	// exactly, at least one of them not a generic word ("Huawei
	// Technologies Düsseldorf GmbH" contains "Huawei Technologies Co.,
	// Ltd."): an affiliate or branch a reviewer must see, however many words
	// the query adds. Rule data: matcher.containment_floor.
	ContainmentScore float64
	// CountryBonus is added when the query country is among the entry's
	// countries; CountryPenalty is subtracted when the entry has countries and
	// the query country is not among them. Rule data: matcher.country_bonus
	// and matcher.country_penalty.
	CountryBonus   float64
	CountryPenalty float64
	// CacheSize bounds the per-index result cache (entries). Default 8192;
	// negative disables the cache.
	CacheSize int
	// LazyNeighbors leaves the neighbour graph of the vocabulary (which
	// listed words each listed word pairs with, for typo tolerance) to be
	// filled word by word as queries first meet them, instead of in NewIndex.
	// On the shared lists (25,000 words of five letters or more) the graph
	// costs NewIndex about 0.4 s of CPU, 0.15-0.2 s of wall time on two
	// cores, where it runs beside the rest of the build; lazily, a query pays
	// about 10 µs for each known word it is first to use, which puts the
	// median first query near 50 µs. Default false.
	LazyNeighbors bool
	// DefaultLimit is used when Query.Limit is 0. Default 10.
	DefaultLimit int
	// fromRules is set by WithMatcher: the five numbers came from rule data.
	fromRules bool
	// Transliterator turns non-Latin text into Latin. Default: go-unidecode
	// with BGN/PCGN-style overrides for Cyrillic and a CJK glossary.
	Transliterator Transliterator
}

// DefaultOptions returns the documented defaults. The five numbers that
// change outcomes are left unset: set them from rule data (WithMatcher).
func DefaultOptions() Options {
	p := index.DefaultParams()
	return Options{
		QueryCoverageWeight: 0.6,
		QueryIDFExponent:    p.QueryIDFExponent,
		EntryIDFExponent:    p.EntryIDFExponent,
		WeakWeight:          p.WeakWeight,
		GenericShare:        p.GenericShare,
		MinCorpusEntries:    p.MinCorpusEntries,
		EvidenceMass:        0.8,
		EvidencePenalty:     0.6,
		PhoneticWeight:      p.PhoneticWeight,
		CacheSize:           8192,
		DefaultLimit:        10,
		Transliterator:      p.Transliterator,
	}
}

// indexParams are the options the candidate index needs.
func (o Options) indexParams() index.Params {
	return index.Params{
		QueryIDFExponent:   o.QueryIDFExponent,
		EntryIDFExponent:   o.EntryIDFExponent,
		GenericShare:       o.GenericShare,
		MinCorpusEntries:   o.MinCorpusEntries,
		WeakWeight:         o.WeakWeight,
		MinTokenSimilarity: o.MinTokenSimilarity,
		PhoneticWeight:     o.PhoneticWeight,
		LazyNeighbors:      o.LazyNeighbors,
		Transliterator:     o.Transliterator,
	}
}

// withDefaults fills zero fields from DefaultOptions.
func (o Options) withDefaults() Options {
	d := DefaultOptions()
	set := func(v *float64, def float64) {
		if *v == 0 {
			*v = def
		}
	}
	set(&o.QueryCoverageWeight, d.QueryCoverageWeight)
	set(&o.QueryIDFExponent, d.QueryIDFExponent)
	set(&o.EntryIDFExponent, d.EntryIDFExponent)
	set(&o.WeakWeight, d.WeakWeight)
	set(&o.GenericShare, d.GenericShare)
	set(&o.MinCorpusEntries, d.MinCorpusEntries)
	set(&o.EvidenceMass, d.EvidenceMass)
	set(&o.EvidencePenalty, d.EvidencePenalty)
	set(&o.PhoneticWeight, d.PhoneticWeight)
	if o.CacheSize == 0 {
		o.CacheSize = d.CacheSize
	}
	if o.DefaultLimit <= 0 {
		o.DefaultLimit = d.DefaultLimit
	}
	if o.Transliterator == nil {
		o.Transliterator = d.Transliterator
	}
	return o
}

// The rule-data keys (under matcher: in rules/screening.yaml) of the Options
// fields that change outcomes.
const (
	KeyContainmentFloor   = "containment_floor"
	KeyCountryBonus       = "country_bonus"
	KeyCountryPenalty     = "country_penalty"
	KeyAcronymScore       = "acronym_score"
	KeyMinTokenSimilarity = "min_token_similarity"
)

// WithMatcher returns o with the five numbers that change outcomes read
// from rule data: number(key) is the value of matcher.<key> (one of the Key
// constants), e.g. func(k string) (float64, error) { return
// rs.Number("screening", "matcher", k) }. The result is validated.
func (o Options) WithMatcher(number func(key string) (float64, error)) (Options, error) {
	for _, f := range []struct {
		key string
		dst *float64
	}{
		{KeyContainmentFloor, &o.ContainmentScore},
		{KeyCountryBonus, &o.CountryBonus},
		{KeyCountryPenalty, &o.CountryPenalty},
		{KeyAcronymScore, &o.AcronymScore},
		{KeyMinTokenSimilarity, &o.MinTokenSimilarity},
	} {
		v, err := number(f.key)
		if err != nil {
			return o, fmt.Errorf("screening matcher: %w", err)
		}
		*f.dst = v
	}
	o.fromRules = true
	return o, o.Validate()
}

// Validate checks the numbers that change outcomes: each set and in range
// (matcher.<key> names them as rule data does). A zero value is unset,
// except a country bonus or penalty read from rule data by WithMatcher,
// where 0 means none. How they sit with the thresholds is checked where the
// rule data loads (internal/rules).
func (o Options) Validate() error {
	var errs []error
	in := func(key string, v, lo, hi float64, loOpen bool) {
		switch {
		case v == 0 && !(o.fromRules && !loOpen):
			errs = append(errs, fmt.Errorf("matcher.%s: not set (rules/screening.yaml)", key))
		case v < lo || v >= hi || loOpen && v == lo:
			errs = append(errs, fmt.Errorf("matcher.%s = %v: out of range", key, v))
		}
	}
	in(KeyContainmentFloor, o.ContainmentScore, 0, 1, true)
	in(KeyAcronymScore, o.AcronymScore, 0, 1, true)
	in(KeyMinTokenSimilarity, o.MinTokenSimilarity, 0, 1, true)
	in(KeyCountryBonus, o.CountryBonus, 0, 1, false)
	in(KeyCountryPenalty, o.CountryPenalty, 0, 1, false)
	return errors.Join(errs...)
}

// FromRules returns o with the matcher numbers of the screening rule data
// (screening.matcher.<key>) and the review threshold. number reads loaded
// rule data by path, as internal/rules' Set.Number does; this package reads
// no files. How the numbers sit with the thresholds (a branch named after a
// listed party is always reviewed, ...) is checked when the rules load.
func FromRules(o Options, number func(path ...string) (float64, error)) (Options, float64, error) {
	o, err := o.WithMatcher(func(k string) (float64, error) { return number("screening", "matcher", k) })
	if err != nil {
		return o, 0, err
	}
	review, err := number("screening", "review_threshold")
	if err != nil {
		return o, 0, err
	}
	return o, review, nil
}
