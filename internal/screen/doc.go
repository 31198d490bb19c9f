// Package screen matches party names against restricted-party list entries.
//
// Matching is a pipeline of small, separately tested steps:
//
//   - normalize.go: Unicode folding, transliteration (translit.go, cjk.go),
//     punctuation, "LAST, First" inversion, legal forms and stopwords as weak
//     tokens (legalforms.go);
//   - variants.go: the names an entry is indexed under (primary name, aliases,
//     and the clean names hidden in Entity List boilerplate);
//   - index.go: vocabulary, IDF weights, token postings, acronym and
//     joined-token keys;
//   - neighbors.go: typo tolerance: a character-trigram index over the
//     vocabulary, the neighbour search that finds the words a word pairs with,
//     and the neighbour graph of the vocabulary NewIndex builds with it;
//   - score.go: token-set Jaro-Winkler with best pairs, IDF-weighted coverage of
//     both names, country tie-breaker, identifier short-circuit;
//   - search.go: candidate generation with a safe upper-bound prune, then exact
//     scoring of the few candidates that can still reach the caller's MinScore.
//
// A score is a sum of explained parts (Match.Explain). Thresholds are not
// decided here: they are rule data (rules/screening.yaml, see Config).
package screen
