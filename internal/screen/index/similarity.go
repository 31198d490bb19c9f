package index

import (
	"github.com/chipcheck/chipcheck/internal/screen/prepare"
	"github.com/chipcheck/chipcheck/internal/screen/stringscore"
)

// tokenSim is the similarity of two strong tokens in [0,1], 0 when they
// should not pair. Equal tokens score 1; tokens with digits pair only when
// equal ("Institute 625" is not "Institute 629"); short tokens (4 letters or
// fewer) pair only when equal or phonetically equal, since one edit in "smic"
// makes another word; otherwise the better of the similarity of the words and
// of their phonetic keys (scaled by phoneticWeight).
func tokenSim(a, b, ka, kb string, phoneticWeight, floor float64) float64 {
	if a == b {
		return 1
	}
	if prepare.HasDigit(a) || prepare.HasDigit(b) {
		return 0
	}
	return tokenSimLetters(a, b, ka, kb, phoneticWeight, floor)
}

// tokenSimLetters is tokenSim for two different words without digits.
func tokenSimLetters(a, b, ka, kb string, phoneticWeight, floor float64) float64 {
	return tokenSimWith(a, b, ka, kb, phoneticWeight, floor, nil, nil)
}

// tokenSimWith is tokenSimLetters, taking stringscore.OSA(a, ·) and stringscore.OSA(ka, ·) from
// patterns set to a and ka when they are given (the neighbour search compares
// one query word with many). The edit-distance cap comes before
// Jaro-Winkler: it rejects most of those candidates and costs less.
func tokenSimWith(a, b, ka, kb string, phoneticWeight, floor float64, pa, pka *stringscore.OSAPattern) float64 {
	if len(a) <= 4 || len(b) <= 4 {
		if ka == kb {
			return phoneticWeight
		}
		return 0
	}
	if ka == kb {
		return max(phoneticWeight, wordSim(a, b))
	}
	if !suffixVariant(a, b) {
		d := maxEdits(min(len(a), len(b)))
		if editsOver(a, b, pa, d) && editsOver(ka, kb, pka, d) {
			return 0
		}
	}
	s := wordSim(a, b)
	if ka != a || kb != b {
		s = max(s, phoneticWeight*wordSim(ka, kb))
	}
	if s < floor {
		return 0
	}
	return s
}

// editsOver reports whether stringscore.OSA(a, b) > d, with p set to a if not nil.
func editsOver(a, b string, p *stringscore.OSAPattern, d int) bool {
	if len(a)-len(b) > d || len(b)-len(a) > d {
		return true // osa is at least the length difference
	}
	if p != nil {
		return p.Dist(b) > d
	}
	return stringscore.OSA(a, b) > d
}

// suffixVariant reports whether one word is the other with an ending added
// ("municipal", "municipality"): the shorter, of seven letters or more, is a
// prefix of the longer, which adds at most four.
func suffixVariant(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	return len(a) >= 7 && len(b)-len(a) <= 4 && b[:len(a)] == a
}

// maxEdits is how many edits a word of n letters may carry and still be the
// same word: one in five or six letters, two up to nine, three beyond (which
// also lets "technology" meet "technologies").
func maxEdits(n int) int {
	switch {
	case n <= 4:
		return 0
	case n <= 6:
		return 1
	case n <= 9:
		return 2
	}
	return 3
}

// wordSim is Jaro-Winkler lowered when the lengths differ a lot (Jaro-Winkler
// forgives dropped letters: "argument" and "argut" would score 0.87) or the
// first letters are of different sound classes.
func wordSim(a, b string) float64 {
	s := stringscore.JaroWinkler(a, b)
	la, lb := float64(len(a)), float64(len(b))
	if r := min(la, lb) / max(la, lb); r < 0.9 {
		s -= 0.5 * (0.9 - r)
	}
	if prepare.LetterClass(a[0]) != prepare.LetterClass(b[0]) {
		s *= 0.9
	}
	return s
}
