package screen

// Options are the matcher's weights and knobs. The zero value of a field means
// "use the default" (see DefaultOptions); thresholds are not here, they are
// rule data (Config).
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
	// at all. Default 0.82.
	MinTokenSimilarity float64
	// PhoneticWeight scales the Jaro-Winkler similarity of two tokens'
	// phonetic keys (kh→h, w→v, y→i, doubled letters, ...), used when it beats
	// the plain similarity. Default 0.96.
	PhoneticWeight float64
	// AcronymScore is the name score of a query that is the acronym of a
	// listed name (or the reverse), for acronyms of 4 letters or more; 3-letter
	// acronyms get AcronymScore-0.1. Default 0.86.
	AcronymScore float64
	// CountryBonus is added when the query country is among the entry's
	// countries; CountryPenalty is subtracted when the entry has countries and
	// the query country is not among them. Defaults 0.02 and 0.06.
	CountryBonus   float64
	CountryPenalty float64
	// CacheSize bounds the per-index result cache (entries). Default 8192;
	// negative disables the cache.
	CacheSize int
	// PrecomputeNeighbors builds the whole neighbour graph of the vocabulary
	// (which words each listed word pairs with) in NewIndex, on all cores,
	// instead of word by word as queries first meet them: about a second
	// more per index build for a long-running server, in exchange for no
	// first-query cost. Default false (a one-shot CLI run screens few names).
	PrecomputeNeighbors bool
	// DefaultLimit is used when Query.Limit is 0. Default 10.
	DefaultLimit int
	// Transliterator turns non-Latin text into Latin. Default: go-unidecode
	// with BGN/PCGN-style overrides for Cyrillic and a CJK glossary.
	Transliterator Transliterator
}

// DefaultOptions returns the documented defaults.
func DefaultOptions() Options {
	return Options{
		QueryCoverageWeight: 0.6,
		QueryIDFExponent:    1.5,
		EntryIDFExponent:    2.5,
		WeakWeight:          0.04,
		GenericShare:        0.02,
		EvidenceMass:        0.8,
		EvidencePenalty:     0.6,
		MinTokenSimilarity:  0.82,
		PhoneticWeight:      0.96,
		AcronymScore:        0.86,
		CountryBonus:        0.02,
		CountryPenalty:      0.06,
		CacheSize:           8192,
		DefaultLimit:        10,
		Transliterator:      DefaultTransliterator(),
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
	set(&o.EvidenceMass, d.EvidenceMass)
	set(&o.EvidencePenalty, d.EvidencePenalty)
	set(&o.MinTokenSimilarity, d.MinTokenSimilarity)
	set(&o.PhoneticWeight, d.PhoneticWeight)
	set(&o.AcronymScore, d.AcronymScore)
	set(&o.CountryBonus, d.CountryBonus)
	set(&o.CountryPenalty, d.CountryPenalty)
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
