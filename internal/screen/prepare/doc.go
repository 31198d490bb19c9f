// Package prepare turns a party or list name into the tokens the matcher
// compares. Each step is its own function with its own table test on real
// names, and Normalize runs them in order:
//
//   - FixMojibake: the "?" the trade.gov CSL prints for curly quotes;
//   - FoldWidth: full-width and half-width forms, NFC;
//   - transliteration of non-Latin scripts (Transliterator: Cyrillic
//     BGN/PCGN-style, Chinese with a glossary, anything else by table);
//   - LooksInverted and ReorderPerson: "LAST, First" to "First LAST";
//   - FoldLatin: accents and case;
//   - SplitWords: punctuation, apostrophes, "&";
//   - Classify: legal forms (canonicalised) and stopwords as weak tokens,
//     abbreviations expanded.
//
// EntryNames lists the names a list entry is indexed under (primary name,
// aliases, and the clean names hidden in list boilerplate); PhoneticKey and
// IsGeneric describe single words for the index.
package prepare
