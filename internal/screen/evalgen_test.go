package screen

import (
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/chipcheck/chipcheck/internal/lists"
	"github.com/chipcheck/chipcheck/internal/screen/internal/realdata"
)

// The evaluation set generator. It builds fixtures/screening/eval.csv from
// the real lists and the hand-written seeds (fixtures/screening/seeds.csv):
//
//	SCREEN_GENERATE_EVAL=1 go test ./internal/screen/ -run TestGenerateEval -v
//
// It is deterministic (fixed PRNG seed, entries in list/id order). It does not
// use the matcher: expected entries are found, and negatives checked, with
// the deliberately simple token sets of genKey below, so the evaluation does
// not grade the matcher against itself.

const (
	evalPath  = "fixtures/screening/eval.csv"
	seedsPath = "fixtures/screening/seeds.csv"
)

var genLegal = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`co company companies ltd limited llc ooo jsc ao oao zao pao pjsc ojsc cjsc
		joint stock inc incorporated corp corporation plc gmbh ag sa srl bv nv pte pvt private pty
		fze fzco fzc est establishment of the and for de la del des du al el a an in on at to by`) {
		genLegal[w] = true
	}
}

// genTokens is a plain token list: ASCII letters and digits, lower case,
// legal forms and stopwords dropped. Non-ASCII letters are kept as is.
func genTokens(s string) []string {
	s = strings.ToLower(strings.NewReplacer("'", "", "?", " ", "’", "").Replace(s))
	var out []string
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if !genLegal[w] {
			out = append(out, w)
		}
	}
	return out
}

// genKey is the sorted token set of a name.
func genKey(s string) string {
	t := genTokens(s)
	sort.Strings(t)
	return strings.Join(slices.Compact(t), " ")
}

var (
	genAffiliate = regexp.MustCompile(`(?i)affiliated entity:\s*`)
	genAKA       = regexp.MustCompile(`(?i),?\s*\(?\b[af]\.k\.a\.?,?\s*`)
	genParen     = regexp.MustCompile(`\([^)]*\)`)
)

// genForms lists the plain forms of an entry's names: published name and
// aliases, the affiliate of an "Affiliated Entity:" row, each part of an
// inline a.k.a., the name without parentheses, and its first comma segment.
func genForms(e *lists.Entry) []string {
	var out []string
	add := func(s string) {
		s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "and "))
		if s != "" {
			out = append(out, s)
		}
	}
	for _, n := range append([]string{e.Name}, e.Aliases...) {
		add(n)
		if loc := genAffiliate.FindStringIndex(n); loc != nil {
			n = n[loc[1]:]
			add(n)
		}
		for _, p := range genAKA.Split(n, -1) {
			add(p)
			add(genParen.ReplaceAllString(p, " "))
			if e.Type != "individual" {
				add(strings.Split(p, ",")[0])
				if i := strings.Index(strings.ToLower(p), "ltd"); i > 0 {
					add(p[:i+3])
				}
			}
		}
	}
	return out
}

type evalCase struct {
	kind, query, country, list, ids, note string
}

type genCorpus struct {
	entries []*lists.Entry
	forms   [][]string          // per entry
	byKey   map[string][]int    // genKey of a form → entries
	df      map[string]int      // plain token → entries containing it
	tokSets [][]map[string]bool // per entry, per form
	// loose spellings: per entry, per form; and loose token → entries
	looseSets [][]map[string]bool
	loosePost map[string][]int
}

func newGenCorpus(c *lists.Corpus) *genCorpus {
	g := &genCorpus{byKey: map[string][]int{}, df: map[string]int{}, loosePost: map[string][]int{}}
	for i := range c.Entries {
		g.entries = append(g.entries, &c.Entries[i])
	}
	sort.Slice(g.entries, func(i, j int) bool {
		a, b := g.entries[i], g.entries[j]
		if a.List != b.List {
			return a.List < b.List
		}
		return a.ID < b.ID
	})
	for i, e := range g.entries {
		fs := genForms(e)
		g.forms = append(g.forms, fs)
		seen := map[string]bool{}
		var sets, loose []map[string]bool
		for _, f := range fs {
			k := genKey(f)
			g.byKey[k] = append(g.byKey[k], i)
			set, lset := map[string]bool{}, map[string]bool{}
			for _, t := range genTokens(f) {
				set[t] = true
				lk := looseKey(t)
				lset[lk] = true
				if !seen[t] {
					seen[t] = true
					g.df[t]++
				}
				if p := g.loosePost[lk]; len(p) == 0 || p[len(p)-1] != i {
					g.loosePost[lk] = append(p, i)
				}
			}
			sets = append(sets, set)
			loose = append(loose, lset)
		}
		g.tokSets = append(g.tokSets, sets)
		g.looseSets = append(g.looseSets, loose)
	}
	return g
}

// idsFor lists the ids, within list, of entries with a form equal to name.
func (g *genCorpus) idsFor(list, name string) []string {
	var ids []string
	for _, i := range g.byKey[genKey(name)] {
		if e := g.entries[i]; e.List == list && !slices.Contains(ids, e.ID) {
			ids = append(ids, e.ID)
		}
	}
	return ids
}

// containing lists entries with a form whose tokens include all of toks,
// comparing tokens by looseKey so "Sergey" counts as "Sergei".
func (g *genCorpus) containing(toks []string, individualsOnly bool) []int {
	if len(toks) == 0 {
		return nil
	}
	var out []int
	for _, i := range g.loosePost[looseKey(toks[0])] {
		if individualsOnly && g.entries[i].Type != "individual" {
			continue
		}
		for _, set := range g.looseSets[i] {
			all := true
			for _, t := range toks {
				if !set[looseKey(t)] {
					all = false
					break
				}
			}
			if all {
				out = append(out, i)
				break
			}
		}
	}
	return out
}

// looseKey spells a token the way common romanisation variants agree
// (y/i, ks/x, kh/h, w/v, ph/f, doubled letters).
func looseKey(t string) string {
	s := strings.NewReplacer("y", "i", "ks", "x", "kh", "h", "w", "v", "ph", "f").Replace(t)
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if i == 0 || s[i] != s[i-1] {
			b = append(b, s[i])
		}
	}
	return string(b)
}

func TestGenerateEval(t *testing.T) {
	if os.Getenv("SCREEN_GENERATE_EVAL") == "" {
		t.Skip("set SCREEN_GENERATE_EVAL=1 to regenerate fixtures/screening/eval.csv")
	}
	_, corp := realData(t)
	g := newGenCorpus(corp)
	var cases []evalCase
	var problems []string

	// 1. hand-written seeds
	f, err := os.Open(realdata.Path(t, seedsPath))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows[1:] {
		kind, query, country, list, target, note := r[0], r[1], r[2], r[3], r[4], r[5]
		if strings.HasPrefix(kind, "negative") {
			if msg := g.checkNegative(kind, query); msg != "" {
				problems = append(problems, fmt.Sprintf("negative %q: %s", query, msg))
				continue
			}
			cases = append(cases, evalCase{kind, query, country, "", "", note + nearest(g, query)})
			continue
		}
		ids := g.idsFor(list, target)
		if len(ids) == 0 {
			problems = append(problems, fmt.Sprintf("seed %q: no %s entry named %q", query, list, target))
			continue
		}
		cases = append(cases, evalCase{kind, query, country, list, strings.Join(ids, "|"), note + "; target " + target})
	}

	// 2. generated from the lists
	rng := rand.New(rand.NewPCG(20261127, 1))
	used := map[int]bool{}
	cases = append(cases, g.genExact(rng, used)...)
	cases = append(cases, g.genAlias(rng, used)...)
	cases = append(cases, g.genTypo(rng, used)...)
	cases = append(cases, g.genWordOrder(rng, used)...)
	cases = append(cases, g.genPunct(rng, used)...)
	cases = append(cases, g.genLegal(rng, used)...)
	cases = append(cases, g.genPartial(rng, used)...)
	cases = append(cases, g.genSwap(rng, used)...)

	for _, p := range problems {
		t.Log("dropped:", p)
	}
	out, err := os.Create(realdata.Path(t, evalPath))
	if err != nil {
		t.Fatal(err)
	}
	w := csv.NewWriter(out)
	w.Write([]string{"kind", "query", "country", "expected_list", "expected_id", "note"})
	counts := map[string]int{}
	for _, c := range cases {
		w.Write([]string{c.kind, c.query, c.country, c.list, c.ids, c.note})
		counts[c.kind]++
	}
	w.Flush()
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %d cases to %s: %v", len(cases), evalPath, counts)
}

// checkNegative returns why query is not a clean negative, or "".
func (g *genCorpus) checkNegative(kind, query string) string {
	if ids := g.byKey[genKey(query)]; len(ids) > 0 {
		return "is a listed name: " + g.entries[ids[0]].Name
	}
	toks := genTokens(query)
	switch kind {
	case "negative-person":
		if c := g.containing(toks, false); len(c) > 0 {
			return "all its words are in listed name " + g.entries[c[0]].Name
		}
	case "negative-country", "negative-swap":
		for _, i := range g.containing(toks, false) {
			return "a listed name contains all its words: " + g.entries[i].Name
		}
	}
	return ""
}

// nearest names the listed names sharing the most words with query, for the
// reviewer of the negative (kept in the note).
func nearest(g *genCorpus, query string) string {
	toks := genTokens(query)
	best, bestN := -1, 0
	for i, sets := range g.tokSets {
		for _, set := range sets {
			n := 0
			for _, t := range toks {
				if set[t] {
					n++
				}
			}
			if n > bestN {
				best, bestN = i, n
			}
		}
	}
	if best < 0 {
		return ""
	}
	return fmt.Sprintf("; nearest listed: %s (%s)", g.entries[best].Name, g.entries[best].List)
}

// pool returns entry indices matching keep, in a seeded random order.
func (g *genCorpus) pool(rng *rand.Rand, used map[int]bool, keep func(*lists.Entry) bool) []int {
	var p []int
	for i, e := range g.entries {
		if !used[i] && keep(e) && cleanName(e.Name) {
			p = append(p, i)
		}
	}
	rng.Shuffle(len(p), func(i, j int) { p[i], p[j] = p[j], p[i] })
	return p
}

// cleanName excludes published names carrying boilerplate (the seeds test
// those) or too short to be names.
func cleanName(s string) bool {
	if len(s) > 90 || len(genTokens(s)) == 0 {
		return false
	}
	l := strings.ToLower(s)
	for _, bad := range []string{"affiliated", "a.k.a", "f.k.a", "?", "subordinate", "successor", "entity:"} {
		if strings.Contains(l, bad) {
			return false
		}
	}
	return true
}

func country(e *lists.Entry, n int) string {
	if n%2 == 0 && len(e.Countries) > 0 {
		return e.Countries[0]
	}
	return ""
}

func listIs(codes ...string) func(*lists.Entry) bool {
	return func(e *lists.Entry) bool { return slices.Contains(codes, e.List) }
}

func isType(list, typ string) func(*lists.Entry) bool {
	return func(e *lists.Entry) bool { return e.List == list && e.Type == typ }
}

func (g *genCorpus) positive(kind string, i int, query, country, note string, used map[int]bool) evalCase {
	used[i] = true
	e := g.entries[i]
	ids := g.idsFor(e.List, e.Name)
	if !slices.Contains(ids, e.ID) {
		ids = append([]string{e.ID}, ids...)
	}
	return evalCase{kind, query, country, e.List, strings.Join(ids, "|"), note}
}

type quota struct {
	keep func(*lists.Entry) bool
	n    int
}

func (g *genCorpus) genExact(rng *rand.Rand, used map[int]bool) []evalCase {
	var out []evalCase
	for _, q := range []quota{
		{listIs("EL"), 12}, {isType("SDN", "entity"), 8}, {isType("SDN", "individual"), 8},
		{isType("SDN", "vessel"), 1}, {listIs("DPL"), 4}, {listIs("UVL"), 3}, {listIs("MEU"), 3},
		{listIs("CMIC"), 2}, {listIs("SSI"), 2}, {listIs("ISN"), 1}, {listIs("DTC"), 1},
	} {
		for k, i := range g.pool(rng, used, q.keep)[:q.n] {
			e := g.entries[i]
			out = append(out, g.positive("exact", i, strings.TrimSpace(e.Name), country(e, k), "published name", used))
		}
	}
	return out
}

func (g *genCorpus) genAlias(rng *rand.Rand, used map[int]bool) []evalCase {
	var out []evalCase
	for _, q := range []quota{
		{listIs("EL"), 14}, {isType("SDN", "entity"), 12}, {isType("SDN", "individual"), 8},
		{listIs("UVL", "MEU", "DPL", "CMIC", "SSI", "ISN"), 6},
	} {
		n := 0
		for _, i := range g.pool(rng, used, func(e *lists.Entry) bool { return q.keep(e) && len(e.Aliases) > 0 }) {
			e := g.entries[i]
			var alias string
			for _, a := range e.Aliases {
				a = strings.TrimSpace(strings.TrimPrefix(a, "and "))
				if cleanName(a) && len(genKey(a)) >= 5 && genKey(a) != genKey(e.Name) {
					alias = a
					break
				}
			}
			if alias == "" {
				continue
			}
			c := g.positive("alias", i, alias, country(e, n), "alias of "+e.Name, used)
			for _, id := range g.idsFor(e.List, alias) {
				if !strings.Contains(c.ids, id) {
					c.ids += "|" + id
				}
			}
			out = append(out, c)
			if n++; n == q.n {
				break
			}
		}
	}
	return out
}

var keyboardNeighbor = map[byte]string{
	'a': "sq", 'b': "vn", 'c': "xv", 'd': "sf", 'e': "wr", 'f': "dg", 'g': "fh", 'h': "gj",
	'i': "uo", 'j': "hk", 'k': "jl", 'l': "k", 'm': "n", 'n': "bm", 'o': "ip", 'p': "o",
	'q': "w", 'r': "et", 's': "ad", 't': "ry", 'u': "yi", 'v': "cb", 'w': "qe", 'x': "zc",
	'y': "tu", 'z': "x",
}

// typo applies one edit (substitution by a keyboard neighbour, deletion,
// transposition or doubling) away from the first letter of w.
func typo(rng *rand.Rand, w string) string {
	b := []byte(w)
	p := 1 + rng.IntN(len(b)-2)
	switch rng.IntN(4) {
	case 0:
		lc := b[p] | 0x20
		if nb, ok := keyboardNeighbor[lc]; ok {
			r := nb[rng.IntN(len(nb))]
			if b[p] < 'a' {
				r -= 0x20
			}
			b[p] = r
			return string(b)
		}
		fallthrough
	case 1:
		return string(append(b[:p:p], b[p+1:]...))
	case 2:
		b[p], b[p+1] = b[p+1], b[p]
		return string(b)
	default:
		return string(b[:p+1]) + string(b[p:])
	}
}

func isLetters(w string) bool {
	for _, r := range w {
		if !unicode.IsLetter(r) || r > unicode.MaxASCII {
			return false
		}
	}
	return w != ""
}

func (g *genCorpus) genTypo(rng *rand.Rand, used map[int]bool) []evalCase {
	var out []evalCase
	for _, q := range []quota{
		{listIs("EL", "UVL", "MEU", "DPL", "CMIC"), 16}, {isType("SDN", "entity"), 14}, {isType("SDN", "individual"), 20},
	} {
		n := 0
		for _, i := range g.pool(rng, used, q.keep) {
			e := g.entries[i]
			words := strings.Fields(strings.TrimSpace(e.Name))
			// edit the longest plain word of 6+ letters; a second one for long names
			order := make([]int, len(words))
			for k := range order {
				order[k] = k
			}
			sort.SliceStable(order, func(a, b int) bool { return len(words[order[a]]) > len(words[order[b]]) })
			edits := 1
			if len(genTokens(e.Name)) >= 3 && rng.IntN(4) == 0 {
				edits = 2
			}
			done := 0
			for _, k := range order {
				w := strings.Trim(words[k], ",.")
				if done == edits || len(w) < 6 || !isLetters(w) || genLegal[strings.ToLower(w)] {
					continue
				}
				tw := typo(rng, w)
				if g.df[strings.ToLower(tw)] > 0 {
					continue
				}
				words[k] = strings.Replace(words[k], w, tw, 1)
				done++
			}
			if done == 0 {
				continue
			}
			out = append(out, g.positive("typo", i, strings.Join(words, " "), country(e, n), fmt.Sprintf("%d edit(s) of %s", done, e.Name), used))
			if n++; n == q.n {
				break
			}
		}
	}
	return out
}

var legalPrefix = regexp.MustCompile(`^(JOINT STOCK COMPANY|LIMITED LIABILITY COMPANY|OPEN JOINT STOCK COMPANY|PUBLIC JOINT STOCK COMPANY|CLOSED JOINT STOCK COMPANY) (.+)$`)

func (g *genCorpus) genWordOrder(rng *rand.Rand, used map[int]bool) []evalCase {
	var out []evalCase
	n := 0
	for _, i := range g.pool(rng, used, isType("SDN", "individual")) {
		e := g.entries[i]
		last, given, ok := strings.Cut(e.Name, ",")
		if !ok || strings.Contains(given, ",") || len(genTokens(e.Name)) < 2 {
			continue
		}
		q := strings.TrimSpace(given) + " " + strings.TrimSpace(last) // Given LAST
		note := "given name first"
		if n%3 == 2 {
			q = strings.TrimSpace(last) + " " + strings.TrimSpace(given) // LAST Given, no comma
			note = "surname first without comma"
		}
		out = append(out, g.positive("word-order", i, q, country(e, n), note+" of "+e.Name, used))
		if n++; n == 24 {
			break
		}
	}
	n = 0
	for _, i := range g.pool(rng, used, isType("SDN", "entity")) {
		e := g.entries[i]
		m := legalPrefix.FindStringSubmatch(e.Name)
		if m == nil {
			continue
		}
		out = append(out, g.positive("word-order", i, m[2]+" "+m[1], country(e, n), "legal form moved to the end of "+e.Name, used))
		if n++; n == 6 {
			break
		}
	}
	return out
}

var punctRe = regexp.MustCompile(`[,.\-'&()/"]`)

func (g *genCorpus) genPunct(rng *rand.Rand, used map[int]bool) []evalCase {
	var out []evalCase
	n := 0
	for _, i := range g.pool(rng, used, func(e *lists.Entry) bool {
		return e.Type != "vessel" && e.Type != "aircraft" && punctRe.MatchString(e.Name)
	}) {
		e := g.entries[i]
		q := e.Name
		switch n % 3 {
		case 0:
			q = strings.ToLower(punctRe.ReplaceAllString(q, " "))
		case 1:
			q = strings.ToUpper(strings.NewReplacer("-", "", ".", "", ",", "", "'", "").Replace(q))
		default:
			q = strings.NewReplacer(",", " ,", ".", "", "-", " - ", "&", " and ").Replace(q)
		}
		q = strings.Join(strings.Fields(q), " ")
		if q == e.Name {
			continue
		}
		out = append(out, g.positive("punctuation", i, q, country(e, n), "punctuation and case of "+e.Name, used))
		if n++; n == 30 {
			break
		}
	}
	return out
}

var legalSwaps = []struct {
	re   *regexp.Regexp
	with []string
}{
	{regexp.MustCompile(`(?i)\bCo\.?,? Ltd\.?$`), []string{"Company Limited", "Co Ltd", "Company Ltd."}},
	{regexp.MustCompile(`(?i)\bCompany Limited$`), []string{"Co., Ltd.", "Co Ltd"}},
	{regexp.MustCompile(`(?i)\bLimited Liability Company\b`), []string{"LLC", "OOO"}},
	{regexp.MustCompile(`(?i)\bLLC$`), []string{"Limited Liability Company", "OOO", "L.L.C."}},
	{regexp.MustCompile(`(?i)\bOOO\b`), []string{"LLC"}},
	{regexp.MustCompile(`(?i)\b(Open |Public |Closed )?Joint[ -]Stock Company\b`), []string{"JSC", "AO"}},
	{regexp.MustCompile(`(?i)\b(JSC|OJSC|PJSC|OAO|AO|ZAO|PAO)\b`), []string{"Joint Stock Company", "JSC", "AO"}},
	{regexp.MustCompile(`(?i)\bInc\.?$`), []string{"Incorporated", ""}},
	{regexp.MustCompile(`(?i)\bCorporation$`), []string{"Corp.", "Corp"}},
	{regexp.MustCompile(`(?i)\bCorp\.?$`), []string{"Corporation"}},
	{regexp.MustCompile(`(?i)\bLtd\.?$`), []string{"Limited", ""}},
	{regexp.MustCompile(`(?i)\bLimited$`), []string{"Ltd.", "Ltd"}},
	{regexp.MustCompile(`(?i)\bGmbH$`), []string{""}},
	{regexp.MustCompile(`(?i)\bS\.?A\.?$`), []string{"SA", ""}},
}

func (g *genCorpus) genLegal(rng *rand.Rand, used map[int]bool) []evalCase {
	var out []evalCase
	n := 0
	for _, i := range g.pool(rng, used, func(e *lists.Entry) bool { return e.Type == "entity" }) {
		e := g.entries[i]
		name := strings.TrimSpace(e.Name)
		for _, s := range legalSwaps {
			if loc := s.re.FindStringIndex(name); loc != nil {
				with := s.with[rng.IntN(len(s.with))]
				q := strings.Join(strings.Fields(name[:loc[0]]+with+name[loc[1]:]), " ")
				q = strings.Trim(q, " ,")
				if q == name || len(genTokens(q)) == 0 {
					break
				}
				out = append(out, g.positive("legal-suffix", i, q, country(e, n), "legal form variant of "+e.Name, used))
				n++
				break
			}
		}
		if n == 30 {
			break
		}
	}
	return out
}

func (g *genCorpus) genPartial(rng *rand.Rand, used map[int]bool) []evalCase {
	var out []evalCase
	n := 0
	for _, i := range g.pool(rng, used, func(e *lists.Entry) bool {
		return e.Type == "entity" && e.List != "SDN" || e.Type == "entity" && rng.IntN(3) == 0
	}) {
		e := g.entries[i]
		words := strings.Fields(genParen.ReplaceAllString(strings.Split(e.Name, ",")[0], " "))
		if len(genTokens(e.Name)) < 3 {
			continue
		}
		// Drop what a person drops when naming a company from memory: legal
		// forms and generic words (in 15 or more entries); keep the rest.
		var keep, kt []string
		rare, dropped := false, false
		for _, w := range words {
			t := genTokens(w)
			if len(t) != 1 {
				continue
			}
			if g.df[t[0]] >= 15 {
				dropped = true
				continue
			}
			keep = append(keep, strings.Trim(w, ",.()"))
			kt = append(kt, t[0])
			if g.df[t[0]] <= 3 && len(t[0]) >= 5 {
				rare = true
			}
		}
		// one remaining word must be a coined name, not an English word
		// that happens to be rare on the lists ("Ferry", "Posts")
		if unnaturalPartial[e.Name] {
			continue
		}
		single := len(kt) == 1 && g.df[kt[0]] == 1 && len(kt[0]) >= 7
		if !rare || !dropped || len(kt) == 0 || len(kt) == 1 && !single {
			continue
		}
		if len(g.containing(kt, false)) > 3 {
			continue
		}
		out = append(out, g.positive("partial", i, strings.Join(keep, " "), country(e, n), "distinctive words of "+e.Name, used))
		if n++; n == 20 {
			break
		}
	}
	n = 0
	for _, i := range g.pool(rng, used, isType("SDN", "individual")) {
		e := g.entries[i]
		last, given, ok := strings.Cut(e.Name, ",")
		gw := strings.Fields(given)
		if !ok || len(gw) < 2 || strings.Contains(given, ",") {
			continue
		}
		lt := genTokens(last)
		if len(lt) != 1 || g.df[lt[0]] > 3 {
			continue
		}
		q := gw[0] + " " + strings.TrimSpace(last)
		if len(g.containing(genTokens(q), true)) > 3 {
			continue
		}
		out = append(out, g.positive("partial", i, q, country(e, n), "given name and surname of "+e.Name, used))
		if n++; n == 10 {
			break
		}
	}
	return out
}

// unnaturalPartial are entries whose generated partial was reviewed and
// found not to name the party ("Turfan Municipality" is the city, not its
// police bureau).
var unnaturalPartial = map[string]bool{
	"Turfan Municipality Public Security Bureau":                true,
	"Guangxin Shipbuilding and Heavy Industry Co., Ltd.":        true,
	"Beijing University of Posts and Telecommunications (BUPT)": true,
}

// inventedBrands are made-up company words, none of them in the lists.
var inventedBrands = []string{
	"Brightwell", "Sunmoor", "Veltrona", "Nordlicht", "Quillon", "Tessaro", "Marendo", "Lumivex",
	"Corvanta", "Peldra", "Ostrava", "Fenwright", "Galdor", "Harrowgate", "Istrana", "Jovell",
	"Kestrel", "Larkspur", "Mirabel", "Norwick", "Oberlin", "Pentland", "Quorra", "Redhaven",
	"Silvaro", "Torrance", "Ulmara", "Vexford", "Wrenfield", "Yarrowby", "Zephyrine", "Ambervale",
}

func (g *genCorpus) genSwap(rng *rand.Rand, used map[int]bool) []evalCase {
	var out []evalCase
	n := 0
	for _, i := range g.pool(rng, used, func(e *lists.Entry) bool { return e.Type == "entity" }) {
		e := g.entries[i]
		words := strings.Fields(strings.Split(e.Name, ",")[0])
		toks := genTokens(e.Name)
		if len(toks) < 2 || len(words) > 6 {
			continue
		}
		rareAt, generic := -1, 0
		for k, w := range words {
			t := genTokens(w)
			if len(t) != 1 {
				continue
			}
			switch {
			case g.df[t[0]] <= 3 && len(t[0]) >= 5 && rareAt < 0:
				rareAt = k
			case g.df[t[0]] >= 20:
				generic++
			}
		}
		if rareAt < 0 || generic < 1 || generic+1 < len(toks) {
			continue
		}
		brand := inventedBrands[n%len(inventedBrands)]
		if g.df[strings.ToLower(brand)] > 0 {
			continue
		}
		words[rareAt] = brand
		q := strings.Join(words, " ")
		if msg := g.checkNegative("negative-swap", q); msg != "" {
			continue
		}
		used[i] = true
		out = append(out, evalCase{"negative-swap", q, country(e, n), "", "", "distinctive word of " + e.Name + " replaced"})
		if n++; n == 30 {
			break
		}
	}
	return out
}
