package prepare

import (
	"strings"
	"unicode"

	"github.com/mozillazg/go-unidecode"
)

// Transliterator turns text in non-Latin scripts into Latin letters. Latin
// text (accented or not) must pass through unchanged; accents are removed
// later by Unicode folding.
type Transliterator interface {
	Transliterate(s string) string
}

// DefaultTransliterator is go-unidecode (a table-based any-script to ASCII
// transliterator) with two refinements that matter on the US lists:
//   - Cyrillic follows the BGN/PCGN-style romanisation OFAC and BIS publish
//     (Евгений → Yevgeniy, Хуавэй → Khuavey, ь and ъ dropped), where
//     unidecode would give Evgenii;
//   - Chinese is segmented with a small glossary of legal forms, business
//     words and place names (华为技术有限公司 → "huawei technology co ltd"),
//     and the pinyin syllables of the remaining runs are joined into one word,
//     the way romanised Chinese names are written.
func DefaultTransliterator() Transliterator { return defaultTranslit{} }

type defaultTranslit struct{}

// Transliterate implements Transliterator.
func (defaultTranslit) Transliterate(s string) string {
	if IsASCII(s) {
		return s
	}
	var b strings.Builder
	rs := []rune(s)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.Is(unicode.Han, r):
			j := i
			for j < len(rs) && unicode.Is(unicode.Han, rs[j]) {
				j++
			}
			b.WriteByte(' ')
			b.WriteString(transliterateHan(rs[i:j]))
			b.WriteByte(' ')
			i = j
		case unicode.Is(unicode.Cyrillic, r):
			j := i
			for j < len(rs) && (unicode.Is(unicode.Cyrillic, rs[j]) || unicode.Is(unicode.Mn, rs[j])) {
				j++
			}
			b.WriteString(transliterateCyrillic(rs[i:j]))
			i = j
		case r < unicode.MaxASCII || unicode.Is(unicode.Latin, r) || unicode.Is(unicode.Mn, r):
			b.WriteRune(r)
			i++
		default:
			b.WriteString(unidecode.Unidecode(string(r)))
			i++
		}
	}
	return b.String()
}

// cyrillicBGN is the BGN/PCGN-style romanisation OFAC and BIS use for
// Russian, Ukrainian and Belarusian names (lower case; case is folded later).
var cyrillicBGN = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e",
	'ж': "zh", 'з': "z", 'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m",
	'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u",
	'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch",
	'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya",
	'є': "ye", 'і': "i", 'ї': "yi", 'ґ': "g", 'ў': "u",
}

// transliterateCyrillic romanises one run of Cyrillic letters. "е" (and "є")
// becomes "ye" at the start of a word and after a vowel or a hard/soft sign,
// as in Yevgeniy, Sergeyevich.
func transliterateCyrillic(rs []rune) string {
	var b strings.Builder
	prev := rune(0)
	for _, r := range rs {
		lr := unicode.ToLower(r)
		if lr == 'е' && (prev == 0 || strings.ContainsRune("аеёиоуыэюяєіїьъ", prev)) {
			b.WriteString("ye")
		} else if t, ok := cyrillicBGN[lr]; ok {
			b.WriteString(t)
		} else if unicode.Is(unicode.Mn, r) {
			// combining marks (a decomposed й) are folded later
			b.WriteRune(r)
		} else {
			b.WriteString(unidecode.Unidecode(string(r)))
		}
		prev = lr
	}
	return b.String()
}

func IsASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
