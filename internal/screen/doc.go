// Package screen matches party names against restricted-party list entries.
//
// Matching is a pipeline of small, separately tested steps in three layers,
// after moov-io/watchman's prepare / index / similarity split:
//
//   - prepare: Unicode folding, transliteration, punctuation, "LAST, First"
//     inversion, legal forms and stopwords as weak tokens, and the names an
//     entry is indexed under (primary name, aliases, and the clean names
//     hidden in Entity List boilerplate);
//   - index: vocabulary, IDF weights, token postings, acronym, joined-token
//     and identifier keys, and typo tolerance (a trigram index over the
//     vocabulary, the neighbour search, the neighbour graph NewIndex builds);
//   - this package: scoring (score.go: token-set Jaro-Winkler with best
//     pairs, IDF-weighted coverage of both names, containment, country
//     tie-breaker) and search (search.go: candidate generation with a safe
//     upper-bound prune, then exact scoring of the few candidates that can
//     still reach the caller's MinScore).
//
// stringscore holds the string similarities all three use.
//
// A score is a sum of explained parts (Match.Explain). Thresholds are not
// decided here: they are rule data (rules/screening.yaml), read by the
// caller.
package screen
