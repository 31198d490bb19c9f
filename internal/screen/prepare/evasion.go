package prepare

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The steps below undo what a party might do to a name so that screening
// looks away: invisible characters, letters spelt out one by one, and
// letters of another script that look Latin.

// StripControls removes format characters (Unicode category Cf: the
// bidirectional overrides and isolates U+202A-U+202E and U+2066-U+2069,
// zero-width space, joiner and non-joiner, the byte-order mark U+FEFF, the
// soft hyphen, ...), which change how a name looks or is cut into words
// without being letters. They are removed, not turned into spaces: "Hua
// U+200B wei" is written to look like "Huawei". Other control characters
// (Cc: tabs, line breaks) and line and paragraph separators become spaces.
func StripControls(s string) string {
	if plainASCII(s) || !strings.ContainsFunc(s, stripped) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			b.WriteByte(' ') // invalid UTF-8 separates, like any other non-letter
		case unicode.Is(unicode.Cf, r):
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// stripped reports whether StripControls removes or replaces r.
func stripped(r rune) bool {
	return r == utf8.RuneError || unicode.Is(unicode.Cf, r) || unicode.IsControl(r) || r == '\u2028' || r == '\u2029'
}

// plainASCII reports whether s is ASCII without control characters.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// minSpelledOut is the least run of single letters JoinSpacedLetters joins:
// two are initials ("J. P. Morgan", "U.A."), three or more are a word spelt
// out ("H u a w e i", "S.M.I.C.").
const minSpelledOut = 3

// JoinSpacedLetters joins runs of minSpelledOut or more single letters
// separated only by spaces, dots, hyphens or underscores into one word: "H u
// a w e i", "H.u.a.w.e.i." and "H-u-a-w-e-i" become "Huawei". Runs of two
// (initials) are left alone. Letters of any script count.
func JoinSpacedLetters(s string) string {
	if !hasSingleLetters(s) {
		return s
	}
	rs := []rune(s)
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(rs); {
		// a run: letter (sep+ letter)* where each letter stands alone
		if !singleLetterAt(rs, i) || attached(rs, i) {
			b.WriteRune(rs[i])
			i++
			continue
		}
		letters := []int{i}
		j := i + 1
		for {
			k := j
			for k < len(rs) && isSpellSep(rs[k]) {
				k++
			}
			if k == j || k >= len(rs) || !singleLetterAt(rs, k) {
				break
			}
			letters = append(letters, k)
			j = k + 1
		}
		if len(letters) < minSpelledOut {
			b.WriteString(string(rs[i:j]))
			i = j
			continue
		}
		for _, k := range letters {
			b.WriteRune(rs[k])
		}
		i = j
	}
	return b.String()
}

// hasSingleLetters is a fast precheck, without allocating: whether s may
// hold a run JoinSpacedLetters would join (minSpelledOut letters that each
// stand alone).
func hasSingleLetters(s string) bool {
	if IsASCII(s) {
		return hasSingleASCIILetters(s)
	}
	n := 0
	prevWord := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		w := isWord(r)
		if w && !prevWord && unicode.IsLetter(r) {
			next, _ := utf8.DecodeRuneInString(s[i:])
			if i == len(s) || !isWord(next) {
				if n++; n >= minSpelledOut {
					return true
				}
			}
		}
		prevWord = w
	}
	return false
}

// hasSingleASCIILetters is hasSingleLetters for ASCII text.
func hasSingleASCIILetters(s string) bool {
	word := func(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' || c >= '0' && c <= '9' }
	n := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; c|0x20 >= 'a' && c|0x20 <= 'z' && (i == 0 || !word(s[i-1])) && (i+1 == len(s) || !word(s[i+1])) {
			if n++; n >= minSpelledOut {
				return true
			}
		}
	}
	return false
}

func isWord(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// singleLetterAt reports whether rs[i] is a letter with no letter or digit
// (or combining mark) on either side.
func singleLetterAt(rs []rune, i int) bool {
	if !unicode.IsLetter(rs[i]) {
		return false
	}
	return (i == 0 || !isWord(rs[i-1])) && (i+1 == len(rs) || !isWord(rs[i+1]))
}

// attached reports whether the letter at i hangs on the word before it by a
// hyphen, dot or underscore ("Stroytransgaz-M L.L.C."): it ends that word
// and cannot start a spelt-out run.
func attached(rs []rune, i int) bool {
	return i >= 2 && rs[i-1] != ' ' && isSpellSep(rs[i-1]) && (unicode.IsLetter(rs[i-2]) || unicode.IsDigit(rs[i-2]))
}

func isSpellSep(r rune) bool { return r == ' ' || r == '.' || r == '-' || r == '_' }

// homoglyphs maps Cyrillic and Greek letters to the Latin letters they look
// like (the confusables that render the same in common fonts).
var homoglyphs = map[rune]rune{
	// Cyrillic
	'а': 'a', 'в': 'b', 'е': 'e', 'к': 'k', 'м': 'm', 'н': 'h', 'о': 'o', 'р': 'p', 'с': 'c', 'т': 't',
	'у': 'y', 'х': 'x', 'і': 'i', 'ј': 'j', 'ѕ': 's', 'ԁ': 'd', 'ԛ': 'q', 'ԝ': 'w', 'һ': 'h', 'ӏ': 'l',
	'ү': 'y', 'ё': 'e', 'ї': 'i',
	'А': 'A', 'В': 'B', 'Е': 'E', 'К': 'K', 'М': 'M', 'Н': 'H', 'О': 'O', 'Р': 'P', 'С': 'C', 'Т': 'T',
	'У': 'Y', 'Х': 'X', 'І': 'I', 'Ј': 'J', 'Ѕ': 'S', 'Ԛ': 'Q', 'Ԝ': 'W', 'Һ': 'H', 'Ӏ': 'I', 'Ү': 'Y',
	'Ё': 'E', 'Ї': 'I',
	// Greek
	'α': 'a', 'ο': 'o', 'ρ': 'p', 'ν': 'v', 'ι': 'i', 'κ': 'k', 'υ': 'u', 'χ': 'x', 'τ': 't',
	'Α': 'A', 'Β': 'B', 'Ε': 'E', 'Ζ': 'Z', 'Η': 'H', 'Ι': 'I', 'Κ': 'K', 'Μ': 'M', 'Ν': 'N', 'Ο': 'O',
	'Ρ': 'P', 'Τ': 'T', 'Υ': 'Y', 'Χ': 'X',
}

// FoldHomoglyphs maps Cyrillic and Greek letters that look Latin to Latin
// letters in every word that mixes them with Latin letters ("Нuаwеі", with
// Cyrillic Н, а, е, і): no language writes one word in two scripts. A word
// wholly in Cyrillic or Greek is left to transliteration even beside Latin
// words, since names do mix languages ("ООО Авант-Space" is Avant, not
// ABAHT).
func FoldHomoglyphs(s string) string {
	if IsASCII(s) {
		return s
	}
	latin, other := false, false
	for _, r := range s {
		if unicode.IsLetter(r) {
			if unicode.Is(unicode.Latin, r) {
				latin = true
			} else if unicode.In(r, unicode.Cyrillic, unicode.Greek) {
				other = true
			}
		}
	}
	if !latin || !other {
		return s
	}
	rs := []rune(s)
	for i := 0; i < len(rs); {
		if !unicode.IsLetter(rs[i]) {
			i++
			continue
		}
		j := i
		mixed, hasLatin := false, false
		for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.Is(unicode.Mn, rs[j])) {
			r := rs[j]
			switch {
			case unicode.Is(unicode.Latin, r):
				hasLatin = true
			case unicode.In(r, unicode.Cyrillic, unicode.Greek):
				mixed = true
			}
			j++
		}
		if mixed && hasLatin {
			for k := i; k < j; k++ {
				if l, ok := homoglyphs[rs[k]]; ok {
					rs[k] = l
				}
			}
		}
		i = j
	}
	return string(rs)
}
