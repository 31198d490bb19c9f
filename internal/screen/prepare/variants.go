package prepare

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/chipcheck/chipcheck/internal/lists"
)

// Source is one name an entry is indexed under.
type Source struct {
	Display string // the published text it comes from, trimmed
	Alias   bool   // from an alias (or a name hidden in the primary name)
	// Qualifier is what was cut from the published name to make this one
	// when that is part of the name rather than an alias of it: the
	// parentheticals of "Huawei Device (Dongguan) Co., Ltd.". A query equal
	// to the shorter name is not equal to the listed one.
	Qualifier string
}

var (
	// leadingMarker is alias-list noise before a name: "and Da-Jiang
	// Innovations", "f.k.a. Sibirskaya Neftyanaya Kompaniya OAO".
	leadingMarker = regexp.MustCompile(`(?i)^\s*(?:and\s+|(?:a\.?\s?k\.?\s?a|f\.?\s?k\.?\s?a|n\.?\s?k\.?\s?a)\.?,?\s*:?\s+|formerly(?:\s+known\s+as)?\s*:?\s+|also\s+known\s+as\s*:?\s+)`)
	// successorTail is the Nonproliferation and Entity List boilerplate "and
	// any successor, sub-unit, or subsidiary thereof" and its variants.
	successorTail = regexp.MustCompile(`(?i),?\s+(?:and|including)\s+(?:any|its|all)\s+(?:successors?|sub-?units?|subsidiar(?:y|ies)|affiliates?)\b.*$`)
	// affiliated splits "Huawei Technologies Co., Ltd. (Huawei). Affiliated
	// Entity: Huawei Marine Networks Co., Ltd.": the listed party is the
	// affiliate; the parent has its own rows.
	affiliated = regexp.MustCompile(`(?i)\baffiliated\s+entit(?:y|ies)\s*:\s*`)
	// akaInline splits "Chitron Electronics Company Ltd., a.k.a. Chi-Chung
	// Electronics Company Ltd." into the names it carries.
	akaInline = regexp.MustCompile(`(?i)[,;(]?\s*\b(?:a\.\s?k\.\s?a\.?|f\.\s?k\.\s?a\.?|n\.\s?k\.\s?a\.?|formerly known as|also known as)\s*[,:]?\s+`)
	parens    = regexp.MustCompile(`\(([^()]*)\)`)
)

// placeAcronyms are all-capital parentheticals that qualify a name with a
// place rather than abbreviate it ("Huawei Technologies (UK) Co., Ltd.").
var placeAcronyms = map[string]bool{"UK": true, "USA": true, "US": true, "UAE": true, "PRC": true, "HK": true, "DPRK": true, "ROK": true, "FZE": true, "LLC": true}

// EntryNames lists the names an entry is indexed under: its primary name and
// aliases, each cleaned of list boilerplate, plus the names hidden in them:
// the affiliate of an "Affiliated Entity:" row, each name of an inline
// "a.k.a.", the name without its parenthetical, an acronym or short name given
// in parentheses, and the name without an address tail ("Chengdu Huawei
// Technologies Co., Ltd., Chengdu, Sichuan").
func EntryNames(e *lists.Entry) []Source {
	var out []Source
	seen := map[string]bool{}
	add := func(s string, alias bool, qualifier string) {
		s = tidy(s)
		if s == "" || seen[strings.ToLower(s)] {
			return
		}
		seen[strings.ToLower(s)] = true
		out = append(out, Source{Display: s, Alias: alias, Qualifier: qualifier})
	}
	person := e.Type == "individual"
	// Each regexp runs only on text holding a word it needs (mayContain):
	// most names hold none, and running every regexp on every name was the
	// dearest part of building an index.
	expand := func(published string, alias bool) {
		s := strings.TrimSpace(published)
		if s != "" && strings.IndexByte("aAfFnN", s[0]) >= 0 {
			s = leadingMarker.ReplaceAllString(s, "")
		}
		if mayContain(s, "successor", "subunit", "sub-unit", "subsidiar", "affiliate") {
			s = successorTail.ReplaceAllString(s, "")
		}
		if mayContain(s, "affiliated") {
			if loc := affiliated.FindStringIndex(s); loc != nil {
				s = s[loc[1]:]
				alias = true
			}
		}
		if person {
			add(s, alias, "")
			return
		}
		parts := []string{s}
		if mayContain(s, "k.", "known as") {
			parts = akaInline.Split(s, -1)
		}
		for k, p := range parts {
			a := alias || k > 0
			add(p, a, "")
			bare, qualifier := p, "" // p without its parentheticals, and those that qualify it
			if strings.IndexByte(p, '(') >= 0 {
				if m := parens.FindAllStringSubmatchIndex(p, -1); m != nil {
					var aliases, qualifiers []string
					for _, g := range m {
						inner := strings.TrimSpace(p[g[2]:g[3]])
						if parentheticalAlias(inner, p[:g[0]]) || parentheticalAlias(inner, s) {
							aliases = append(aliases, inner)
						} else if inner != "" {
							qualifiers = append(qualifiers, inner)
						}
					}
					bare, qualifier = parens.ReplaceAllString(p, " "), strings.Join(qualifiers, " ")
					add(bare, a, qualifier)
					for _, inner := range aliases {
						add(inner, true, "")
					}
				}
			}
			if cut := addressTailCut(bare); cut != "" {
				add(cut, a, qualifier) // an address is not part of the name
			}
		}
	}
	expand(e.Name, false)
	for _, a := range e.Aliases {
		expand(a, true)
	}
	return out
}

// mayContain reports whether s may match a case-insensitive regexp that
// needs one of words (lower-case ASCII): always for non-ASCII text, where
// (?i) also folds "ſ" to "s" and "K" (Kelvin) to "k".
func mayContain(s string, words ...string) bool {
	if !IsASCII(s) {
		return true
	}
	l := strings.ToLower(s)
	for _, w := range words {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// tidy trims spaces, stray punctuation and unbalanced brackets left by
// splitting.
func tidy(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	s = strings.Trim(s, " ,;:.-")
	if strings.Count(s, "(") < strings.Count(s, ")") {
		s = strings.TrimSuffix(s, ")")
	}
	if strings.Count(s, "(") > strings.Count(s, ")") {
		s = strings.TrimPrefix(s, "(")
	}
	return strings.Trim(s, " ,;:.-")
}

// parentheticalAlias decides whether text in parentheses names the party
// (an acronym like "SMIC", or a short form like "Huawei" that repeats the
// name's first word) rather than qualifying it ("Thailand", "Beijing").
func parentheticalAlias(inner, before string) bool {
	if inner == "" || len(inner) > 60 {
		return false
	}
	words := strings.Fields(inner)
	if len(words) == 1 && len(inner) >= 3 && !placeAcronyms[inner] {
		upper := true
		for _, r := range inner {
			if unicode.IsLetter(r) && !unicode.IsUpper(r) {
				upper = false
			}
		}
		if upper {
			return true
		}
	}
	bw := strings.Fields(before)
	if len(bw) == 0 {
		return false
	}
	first := strings.ToLower(strings.Trim(bw[0], ",.\""))
	for _, w := range strings.FieldsFunc(strings.ToLower(inner), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if w == first && len(w) >= 3 {
			return true
		}
	}
	return false
}

// addressTailCut returns the name up to its last legal form when an address
// tail follows ("X Co., Ltd., Chengdu, Sichuan" → "X Co., Ltd."), or the first
// comma segment when the tail carries digits ("Huawei Technologies Bahrain,
// Building 647 ..."); "" when there is nothing to cut. A tail naming a
// sub-unit ("Huawei Technologies Co., Ltd., Beijing Research Institute") is
// not an address: cutting it would give the sub-unit its parent's name.
func addressTailCut(s string) string {
	segs := strings.Split(s, ",")
	if len(segs) < 2 {
		return ""
	}
	last := -1
	for i, seg := range segs {
		ws := strings.Fields(strings.ToLower(seg))
		if len(ws) == 0 {
			continue
		}
		w := strings.Trim(ws[len(ws)-1], ".()")
		if _, ok := legalForms[w]; ok {
			last = i
		}
	}
	tail := strings.Join(segs[max(last, 0)+1:], ",")
	for _, w := range strings.Fields(strings.ToLower(tail)) {
		if subUnitWords[strings.Trim(w, ".()")] {
			return ""
		}
	}
	if last >= 0 && last < len(segs)-1 {
		return strings.Join(segs[:last+1], ",")
	}
	if last < 0 && strings.IndexFunc(tail, unicode.IsDigit) >= 0 {
		return segs[0]
	}
	return ""
}

// subUnitWords mark a comma tail that names part of an organisation.
var subUnitWords = map[string]bool{
	"institute": true, "lab": true, "laboratory": true, "research": true, "center": true,
	"centre": true, "branch": true, "department": true, "office": true, "academy": true,
	"factory": true, "plant": true, "university": true, "school": true, "bureau": true,
	"division": true, "subsidiary": true, "company": true, "group": true, "openlab": true,
}
