package prepare

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mozillazg/go-unidecode"
	"golang.org/x/text/cases"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

// Token is one normalised word of a name.
type Token struct {
	Text  string // canonical form: legal forms canonicalised, abbreviations expanded
	Raw   string // the word as written (after folding), for joined-word keys
	Class Class
}

// Name is a name after the whole pipeline, with what was done to it.
type Name struct {
	Tokens         []Token
	Transliterated bool // a non-Latin script was romanised
	Reordered      bool // "LAST, First" was turned into "First LAST"
}

// Key is a stable string for the token sequence (cache keys, dedup).
func (n Name) Key() string {
	var b strings.Builder
	for i, t := range n.Tokens {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.Text)
	}
	return b.String()
}

// Normalize runs the normalisation pipeline on one name. individual says
// the name is known to be a person's as the OFAC files write them ("LAST,
// First"); for queries it is false and the comma form is recognised by shape.
func Normalize(s string, individual bool, tr Transliterator) Name {
	var n Name
	s = StripControls(s)
	s = FixMojibake(s)
	s = FoldWidth(s)
	s = JoinSpacedLetters(s)
	s = FoldHomoglyphs(s)
	if !IsLatin(s) {
		s = tr.Transliterate(s)
		n.Transliterated = true
	}
	if individual || LooksInverted(s) {
		s, n.Reordered = ReorderPerson(s)
	}
	s = FoldLatin(s)
	n.Tokens = Classify(SplitWords(s))
	return n
}

// FixMojibake repairs the "?" that the trade.gov CSL prints for curly quotes
// and apostrophes its export could not encode: between two letters followed by
// a lower-case letter, or after a one-letter elision, it was an apostrophe
// ("Xi?an", "China?s", "d?Etudes"); elsewhere it was a quotation mark
// ("AO ?Institute Giprostroymost?Saint-Petersburg?").
func FixMojibake(s string) string {
	if !strings.Contains(s, "?") {
		return s
	}
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		if r != '?' {
			b.WriteRune(r)
			continue
		}
		prevLetter := i > 0 && unicode.IsLetter(rs[i-1])
		nextLetter := i+1 < len(rs) && unicode.IsLetter(rs[i+1])
		elision := prevLetter && (i == 1 || !unicode.IsLetter(rs[i-2]))
		if prevLetter && nextLetter && (unicode.IsLower(rs[i+1]) || elision) {
			b.WriteRune('\'')
		} else {
			b.WriteRune(' ')
		}
	}
	return b.String()
}

// FoldWidth maps full-width and half-width forms to their ordinary forms
// (ＨＵＡＷＥＩ → HUAWEI, （ → () and composes the string (NFC), so a
// decomposed Cyrillic й stays one letter for transliteration.
func FoldWidth(s string) string {
	if IsASCII(s) {
		return s
	}
	return norm.NFC.String(width.Fold.String(s))
}

// IsLatin reports whether s needs no transliteration: every letter is Latin.
func IsLatin(s string) bool {
	if IsASCII(s) {
		return true
	}
	for _, r := range s {
		if unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r) {
			return false
		}
	}
	return true
}

// FoldLatin removes accents (NFKD, then drop non-spacing marks), folds case
// (ß → ss), and romanises the few Latin letters that do not decompose
// (ø, ł, đ, æ) with the transliteration table.
func FoldLatin(s string) string {
	if IsASCII(s) {
		return strings.ToLower(s)
	}
	t := transform.Chain(norm.NFKD, runes.Remove(runes.In(unicode.Mn)), cases.Fold(), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	if IsASCII(out) {
		return out
	}
	var b strings.Builder
	for _, r := range out {
		if r < utf8.RuneSelf {
			b.WriteRune(r)
			continue
		}
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			b.WriteString(strings.ToLower(unidecode.Unidecode(string(r))))
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// SplitWords cuts folded text into words: letters and digits make words,
// apostrophes vanish inside a word (Xi'an → xian, Asa'ib → asaib), "&" is the
// word "and", everything else separates.
func SplitWords(s string) []string {
	words := make([]string, 0, 8)
	start := -1
	var cur []byte
	flush := func() {
		if len(cur) > 0 {
			words = append(words, string(cur))
			cur = cur[:0]
		}
		start = -1
	}
	for i, r := range s {
		switch {
		case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9'):
			if start < 0 {
				start = i
			}
			cur = append(cur, byte(r))
		case r >= 'A' && r <= 'Z':
			if start < 0 {
				start = i
			}
			cur = append(cur, byte(r-'A'+'a'))
		case r == '\'' || r == '’' || r == '‘' || r == '`' || r == 'ʼ' || r == '´':
			// inside a word: join; elsewhere nothing to do
		case r == '&':
			flush()
			words = append(words, "and")
		default:
			flush()
		}
	}
	flush()
	return words
}

// LooksInverted recognises a query written "LAST, First": exactly one comma,
// one to three words before it, one to four after, no digits and no legal
// form on either side (so "Huawei Technologies Co., Ltd." is not a person).
func LooksInverted(s string) bool {
	if strings.Count(s, ",") != 1 {
		return false
	}
	last, first, _ := strings.Cut(s, ",")
	lw, fw := strings.Fields(last), strings.Fields(first)
	if len(lw) < 1 || len(lw) > 3 || len(fw) < 1 || len(fw) > 4 {
		return false
	}
	for _, w := range append(lw, fw...) {
		f := strings.ToLower(strings.Trim(w, ".()"))
		if _, ok := legalForms[f]; ok {
			return false
		}
		if strings.IndexFunc(w, unicode.IsDigit) >= 0 {
			return false
		}
	}
	return true
}

// ReorderPerson turns "MADURO MOROS, Nicolas" into "Nicolas MADURO MOROS".
// Only the first comma counts; text after a second comma (a suffix such as
// "Jr." or a title) stays at the end.
func ReorderPerson(s string) (string, bool) {
	last, rest, ok := strings.Cut(s, ",")
	if !ok {
		return s, false
	}
	first, tail, _ := strings.Cut(rest, ",")
	first, last = strings.TrimSpace(first), strings.TrimSpace(last)
	if first == "" || last == "" {
		return s, false
	}
	out := first + " " + last
	if tail = strings.TrimSpace(tail); tail != "" {
		out += " " + tail
	}
	return out, true
}
