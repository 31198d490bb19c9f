package prepare

import (
	"slices"
	"strings"

	"github.com/chipcheck/chipcheck/internal/screen/stringscore"
)

// Class says how a token counts in a score.
type Class uint8

const (
	Strong  Class = iota // a name word: weighted by IDF
	Legal                // a legal form: weak, compared by canonical form
	Stop                 // a stopword: weak
	Initial              // a single letter: weak
)

// Weak reports whether a token of this class counts little (legal form,
// stopword or initial).
func (c Class) Weak() bool { return c != Strong }

// legalForms maps legal-form phrases (normalised tokens joined by one space)
// to canonical tokens. Equivalent forms share a canonical form: "company
// limited", "co ltd" and 有限公司 all become "co ltd"; "joint stock company",
// "jsc", "ao", "oao", "pao" and the Russian spelled-out forms become "jsc";
// "ooo" and "limited liability company" become "llc".
var legalForms = func() map[string]string {
	groups := map[string][]string{
		"co":   {"co", "company", "companies", "cie", "compania", "companhia", "kompaniya"},
		"ltd":  {"ltd", "limited", "ltda", "ltee"},
		"llc":  {"llc", "l l c", "limited liability company", "limited liability co", "ooo", "tov", "too", "mchj", "sp z o o", "obshchestvo s ogranichennoy otvetstvennostyu", "obshchestvo s ogranichennoi otvetstvennostyu", "obshchestvo s organichennoi otvetstvennostyu", "obshchestvo s ogranichennoi otvetstvennostiu", "obshchestvo s ogranichennoy otvetstvennostiu", "obshestvo s ogranichennoi otvetstvennostyu", "obschestvo s ogranichennoy otvetstvennostyu"},
		"llp":  {"llp", "limited liability partnership"},
		"jsc":  {"jsc", "ao", "oao", "zao", "pao", "ojsc", "cjsc", "pjsc", "jtsc", "joint stock company", "joint stock co", "open joint stock company", "closed joint stock company", "public joint stock company", "joint stock", "aktsionernoe obshchestvo", "aktsionernoye obshchestvo", "aktsionernoe obschestvo", "otkrytoe aktsionernoe obshchestvo", "otkrytoye aktsionernoye obshchestvo", "zakrytoe aktsionernoe obshchestvo", "zakrytoye aktsionernoye obshchestvo", "publichnoe aktsionernoe obshchestvo", "publichnoye aktsionernoye obshchestvo", "aktsiyonerne tovarystvo"},
		"inc":  {"inc", "incorporated"},
		"corp": {"corp", "corporation", "korporatsiya"},
		"plc":  {"plc", "public limited company"},
		"gmbh": {"gmbh", "mbh", "gesellschaft mit beschrankter haftung"},
		"ag":   {"ag", "aktiengesellschaft"},
		"kg":   {"kg", "kommanditgesellschaft"},
		"sa":   {"sa", "s a", "sociedad anonima", "societe anonyme", "sa de cv", "s a de c v", "s a de cv", "sa de c v", "sab de cv", "saic", "sae", "saog", "saoc", "sarl", "s a r l", "sas", "sasu", "spa", "s p a", "sapi de cv"},
		"srl":  {"srl", "s r l", "sro", "s r o", "sprl"},
		"bv":   {"bv", "b v", "nv", "n v", "ua", "u a"},
		"pte":  {"pte", "pvt", "private", "pty", "pt", "tbk"},
		"bhd":  {"bhd", "berhad", "sdn bhd", "sdn"},
		"fz":   {"fze", "fzco", "fzc", "fz llc", "fzllc", "fz", "fze llc", "dmcc", "dwc llc"},
		"kk":   {"kabushiki kaisha"},
		"ab":   {"ab", "oy", "oyj", "as", "asa", "a s", "aps", "a p s", "kft", "zrt", "doo", "d o o", "ad", "ead", "eood"},
		"est":  {"est", "establishment"},
		"cv":   {"cv"},
		// Russian and CIS state and research forms
		"npp":     {"npp", "scientific production enterprise", "research and production enterprise", "scientific and production enterprise", "research production enterprise", "nauchno proizvodstvennoe predpriyatie", "nauchno proizvodstvennoye predpriyatiye"},
		"npo":     {"npo", "scientific production association", "research and production association", "scientific and production association", "research production association", "nauchno proizvodstvennoe obedinenie", "nauchno proizvodstvennoye obyedineniye"},
		"fgup":    {"fgup", "fsue", "federal state unitary enterprise", "federalnoe gosudarstvennoe unitarnoe predpriyatie"},
		"gup":     {"gup", "sue", "state unitary enterprise", "unitary enterprise", "gosudarstvennoe unitarnoe predpriyatie"},
		"goskorp": {"goskorporatsiya", "gosudarstvennaya korporatsiya", "state corporation"},
		"fgbu":    {"fgbu", "federal state budgetary institution", "fku", "fau", "federal autonomous institution", "federal state institution"},
	}
	m := map[string]string{}
	for canon, forms := range groups {
		for _, f := range forms {
			m[f] = canon
		}
	}
	return m
}()

// legalFormMaxWords is the longest legal-form phrase, in tokens.
var legalFormMaxWords = func() int {
	n := 0
	for k := range legalForms {
		if w := strings.Count(k, " ") + 1; w > n {
			n = w
		}
	}
	return n
}()

// stopwords are weak everywhere: articles and prepositions of the languages
// the lists are written in, "imeni" ("named after") of Russian institute
// names, and Arabic name particles.
var stopwords = map[string]bool{
	"the": true, "of": true, "and": true, "for": true, "in": true, "on": true,
	"at": true, "by": true, "to": true, "a": true, "an": true, "with": true,
	"de": true, "del": true, "della": true, "la": true, "le": true, "les": true,
	"des": true, "du": true, "d": true, "el": true, "al": true, "da": true,
	"di": true, "do": true, "dos": true, "das": true, "y": true, "e": true,
	"et": true, "und": true, "der": true, "die": true, "van": true, "von": true,
	"imeni": true, "im": true, "bin": true, "ibn": true, "bint": true,
}

// abbreviations expands short forms that carry a distinctive word, so they
// meet the spelled-out word with full similarity.
var abbreviations = map[string]string{
	"intl": "international", "mfg": "manufacturing", "tech": "technology",
	"natl": "national", "univ": "university", "inst": "institute",
	"dept": "department", "assn": "association", "mgmt": "management",
	"engg": "engineering", "svcs": "services", "sci": "scientific",
	"centre": "center", "st": "saint", "net": "network",
}

// Classify canonicalises a token sequence: legal-form phrases collapse to
// their canonical tokens (Legal), stopwords and single letters become
// weak, abbreviations are expanded. Canonical forms can make a longer legal
// form ("S.A.S. de CV" gives "sa de cv", itself "sa"), so collapsing repeats
// until nothing changes: classifying the result's words again changes
// nothing (FuzzNormalize found the case).
func Classify(words []string) []Token {
	out := classifyOnce(words, words)
	for mayCollapse(out) {
		texts, raws := make([]string, len(out)), make([]string, len(out))
		for i, t := range out {
			texts[i], raws[i] = t.Text, t.Raw
		}
		next := classifyOnce(texts, raws)
		if len(next) == len(out) {
			break
		}
		out = next
	}
	// A name made only of weak tokens ("Al Co") keeps them as strong: there is
	// nothing else to match on.
	strong := false
	for _, t := range out {
		if !t.Class.Weak() {
			strong = true
			break
		}
	}
	if !strong {
		for i := range out {
			if out[i].Class != Legal {
				out[i].Class = Strong
			}
		}
	}
	return out
}

// classifyOnce is one pass of Classify; raws[i] is how words[i] was written.
func classifyOnce(words, raws []string) []Token {
	out := make([]Token, 0, len(words))
	for i := 0; i < len(words); {
		if n, canon := matchLegalForm(words[i:]); n > 0 {
			out = append(out, Token{Text: canon, Raw: strings.Join(raws[i:i+n], ""), Class: Legal})
			i += n
			continue
		}
		w, raw := words[i], raws[i]
		i++
		switch {
		case stopwords[w]:
			out = append(out, Token{Text: w, Raw: raw, Class: Stop})
		case len(w) == 1 && !isDigit(w[0]):
			out = append(out, Token{Text: w, Raw: raw, Class: Initial})
		default:
			t := Token{Text: w, Raw: raw, Class: Strong}
			if x, ok := abbreviations[w]; ok {
				t.Text = x
			}
			out = append(out, t)
		}
	}
	return out
}

// mayCollapse reports whether the texts of toks hold a legal form of two or
// more words: then a second pass of Classify has something to collapse.
func mayCollapse(toks []Token) bool {
	for i := range toks {
	phrase:
		for _, p := range legalPhrases[toks[i].Text] {
			if len(p) > len(toks)-i {
				continue
			}
			for k := 1; k < len(p); k++ {
				if toks[i+k].Text != p[k] {
					continue phrase
				}
			}
			return true
		}
	}
	return false
}

// legalPhrases indexes the legal forms of two or more words by first word.
var legalPhrases = func() map[string][][]string {
	m := map[string][][]string{}
	for k := range legalForms {
		ws := strings.Fields(k)
		if len(ws) > 1 {
			m[ws[0]] = append(m[ws[0]], ws)
		}
	}
	for _, ps := range m { // longest first
		slices.SortFunc(ps, func(a, b []string) int { return len(b) - len(a) })
	}
	return m
}()

// matchLegalForm finds the longest legal form at the start of words and
// returns its length in words and canonical form (0 if none). After an exact
// first word, longer words may carry one typo ("research and ptoduction
// enterprise"), so a misspelt legal form still reads as one.
func matchLegalForm(words []string) (int, string) {
	for _, p := range legalPhrases[words[0]] {
		if len(p) > len(words) {
			continue
		}
		ok := true
		for k := 1; k < len(p); k++ {
			if words[k] != p[k] && (len(p[k]) < 6 || stringscore.OSA(words[k], p[k]) > 1) {
				ok = false
				break
			}
		}
		if ok {
			return len(p), legalForms[strings.Join(p, " ")]
		}
	}
	if canon, ok := legalForms[words[0]]; ok {
		return 1, canon
	}
	return 0, ""
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// HasDigit reports whether s holds an ASCII digit: such words pair only when
// equal ("Institute 625" is not "Institute 629").
func HasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			return true
		}
	}
	return false
}
