// Package index holds the candidate tables the matcher searches: the
// vocabulary of the listed names with IDF weights for each side of a match,
// the postings of each word, acronym, joined-word and identifier keys, and
// typo tolerance (a character-trigram index over the vocabulary, the
// neighbour search that finds the words a word pairs with, and the neighbour
// graph of the vocabulary that Build fills with it).
//
// Names reach it normalised by package prepare; scoring and search are the
// parent package's (screen).
package index
