// Package prepare turns a party or list name into the tokens the matcher
// compares. Each step is its own function with its own table test on real
// names, and Normalize runs them in order:
//
//   - StripControls: bidirectional, zero-width and other format characters;
//   - FixMojibake: the "?" the trade.gov CSL prints for curly quotes;
//   - FoldWidth: full-width and half-width forms, NFC;
//   - JoinSpacedLetters: a word spelt out letter by letter ("H u a w e i");
//   - FoldHomoglyphs: Cyrillic and Greek look-alikes inside Latin names;
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
