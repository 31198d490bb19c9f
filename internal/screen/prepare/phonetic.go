package prepare

import "strings"

// phoneticRules rewrite spellings that romanisations of the same name
// disagree on (Khuavey/Huawei, Mohammed/Mohamed, Yevgeniy/Evgenii, Aleksey/Alexey,
// Teknolodzhis/Technologies). Applied in order, then doubled letters collapse.
var phoneticRules = strings.NewReplacer(
	"dzh", "j", "kh", "h", "ph", "f", "ck", "k", "chn", "kn", "ks", "x", "sch", "sh", "ou", "u",
	"oo", "u", "ee", "i", "w", "v", "y", "i", "q", "k",
)

// PhoneticKey is the spelling-insensitive form of a token.
func PhoneticKey(t string) string {
	k := phoneticRules.Replace(t)
	// c before anything but h sounds k in romanised names (Cimex/Kimeks)
	if strings.IndexByte(k, 'c') >= 0 {
		b := []byte(k)
		for i := range b {
			if b[i] == 'c' && (i+1 == len(b) || b[i+1] != 'h') {
				b[i] = 'k'
			}
		}
		k = string(b)
	}
	b := make([]byte, 0, len(k))
	for i := 0; i < len(k); i++ {
		if i > 0 && k[i] == k[i-1] {
			continue
		}
		b = append(b, k[i])
	}
	return string(b)
}

// LetterClass groups first letters that romanisations swap (Catherine and
// Katherine, Qaddafi and Gaddafi), after Watchman's modified Soundex.
func LetterClass(c byte) byte {
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y', 'h', 'w':
		return 'a'
	case 'b', 'f', 'p', 'v':
		return 'b'
	case 'c', 'g', 'j', 'k', 'q', 's', 'x', 'z':
		return 'c'
	case 'd', 't':
		return 'd'
	case 'l':
		return 'l'
	case 'm', 'n':
		return 'm'
	case 'r':
		return 'r'
	}
	return c
}
