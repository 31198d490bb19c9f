// Package rules loads the YAML rule data of a rules/ directory: the numbers,
// dates and code lists a compliance officer edits. The data reaches Rego as
// data.rules.<file stem>, untyped. Load also decodes every file it knows
// into typed structures (schema.go) and checks them (check.go), so that a
// misspelt key, a number written as text, a date that is not one or a
// name another file does not define is refused with its file and line
// rather than silently turning a deny into an allow. Go reads the typed
// form: the vocabularies input validation needs, the catalog that
// resolves `catalog:` names, the country names the list loaders map to
// codes, and the screening rules.
package rules

import (
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// Set is the rule data of one directory.
type Set struct {
	// Dir is where the files came from, as messages name it: a directory
	// path, or "rules" for the built-in rules.
	Dir   string
	Data  map[string]any    // file stem -> decoded YAML (JSON-compatible values)
	Files map[string][]byte // file name -> bytes as read, for the revision hash

	typed     ruleFiles
	countries map[string]bool   // ISO codes
	names     map[string]string // folded country name or alias -> ISO code
	endUses   map[string]bool
	redFlags  map[string]bool
	catalog   map[string]string // folded id or alias -> entry id
}

// LoadDir reads the rule files of a directory.
func LoadDir(dir string) (*Set, error) {
	if _, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("rules: %w", err)
	}
	return Load(os.DirFS(dir), dir)
}

// Load reads every *.yaml / *.yml file at the top of fsys; dir is how
// messages name the directory. Each file chipcheck knows (schema.go) must
// be there and is validated: when any is invalid, the error is Problems,
// every problem of every file, and no Set is returned. A file it does not
// know is passed to the policies as it is, under data.rules.<stem>. An
// unreadable directory or file is a plain error.
func Load(fsys fs.FS, dir string) (*Set, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("rules: %s: %w", dir, err)
	}
	s := &Set{Dir: dir, Data: map[string]any{}, Files: map[string][]byte{}}
	targets := s.typed.targets()
	decoded := map[string]*decoder{}
	stems := map[string]string{} // stem -> file name
	var probs Problems
	for _, e := range entries {
		ext := path.Ext(e.Name())
		if e.IsDir() || (ext != ".yaml" && ext != ".yml") {
			continue
		}
		file := filepath.Join(dir, e.Name())
		b, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, fmt.Errorf("rules: %s: %w", file, err)
		}
		stem := strings.TrimSuffix(e.Name(), ext)
		if first, dup := stems[stem]; dup {
			probs = append(probs, Problem{File: file, Msg: fmt.Sprintf("a second file for data.rules.%s (the first is %s)", stem, first)})
			continue
		}
		stems[stem] = e.Name()
		s.Files[e.Name()] = b
		v, ps := decodeFile(file, stem, b, targets[stem], decoded)
		probs = append(probs, ps...)
		s.Data[stem] = v
	}
	if len(stems) == 0 {
		return nil, fmt.Errorf("rules: no .yaml files in %s", dir)
	}
	for _, stem := range slices.Sorted(maps.Keys(targets)) {
		if _, ok := stems[stem]; !ok {
			probs = append(probs, Problem{File: filepath.Join(dir, stem+".yaml"), Msg: "missing: chipcheck needs this rule file"})
		}
	}
	c := &checker{r: &s.typed, files: decoded}
	probs = append(probs, c.check()...)
	if len(probs) > 0 {
		sortProblems(probs)
		return nil, probs
	}
	s.index()
	return s, nil
}

// decodeFile reads one file into its data.rules value and, for a file
// chipcheck knows, into target too; decoded records the decoder of each
// file it typed.
func decodeFile(file, stem string, b []byte, target any, decoded map[string]*decoder) (any, Problems) {
	doc, probs := parse(file, b)
	if doc == nil && len(probs) > 0 {
		return nil, probs
	}
	var v any
	if doc != nil {
		var ps Problems
		v, ps = untyped(file, stem, doc)
		if probs = append(probs, ps...); len(ps) > 0 {
			return nil, probs
		}
	}
	if target != nil {
		d := newDecoder(file)
		d.decodeRoot(doc, stem, target)
		decoded[stem] = d
		probs = append(probs, d.probs...)
	}
	return v, probs
}

// targets maps the stem of each rule file chipcheck knows to the typed
// form it decodes into.
func (r *ruleFiles) targets() map[string]any {
	return map[string]any{
		"countries":      &r.Countries,
		"country_groups": &r.CountryGroups,
		"classification": &r.Classification,
		"diffusion":      &r.Diffusion,
		"end_use":        &r.EndUse,
		"exceptions":     &r.Exceptions,
		"gp10":           &r.GP10,
		"is_informed":    &r.IsInformed,
		"license":        &r.License,
		"red_flags":      &r.RedFlags,
		"screening":      &r.Screening,
		"catalog":        &r.Catalog,
		"embargoes":      &r.Embargoes,
		"onboarding":     &r.Onboarding,
		"networks":       &r.Networks,
	}
}

// index builds the lookups of the vocabulary and catalog methods from the
// validated rules (so names are known to be unique).
func (s *Set) index() {
	s.countries, s.names = map[string]bool{}, map[string]string{}
	for code, c := range s.typed.Countries {
		s.countries[code] = true
		for _, n := range append([]string{code, c.Name}, c.Aliases...) {
			s.names[Fold(n)] = code
		}
	}
	s.endUses = keys(s.typed.EndUse.Codes)
	s.redFlags = keys(s.typed.RedFlags.Flags)
	s.catalog = map[string]string{}
	for id, e := range s.typed.Catalog.Entries {
		for _, n := range append([]string{id}, e.Aliases...) {
			s.catalog[Fold(n)] = id
		}
	}
}

// Screening returns the screening rules (rules/screening.yaml), matcher
// scores included.
func (s *Set) Screening() Screening {
	sc := s.typed.Screening
	sc.Lists = maps.Clone(sc.Lists)
	return sc
}

// Country reports whether code is a known ISO 3166-1 alpha-2 code.
func (s *Set) Country(code string) bool { return s.countries[code] }

// EndUse reports whether code is a known end-use code.
func (s *Set) EndUse(code string) bool { return s.endUses[code] }

// RedFlag reports whether code is a known red-flag code.
func (s *Set) RedFlag(code string) bool { return s.redFlags[code] }

// Catalog reports whether name is a catalog id or alias.
func (s *Set) Catalog(name string) bool {
	_, ok := s.catalog[Fold(name)]
	return ok
}

// CatalogID returns the id of the catalog entry that name, an id or alias
// in any case and spacing, refers to.
func (s *Set) CatalogID(name string) (string, bool) {
	id, ok := s.catalog[Fold(name)]
	return id, ok
}

// CatalogEntries returns every entry of rules/catalog.yaml by id. The map
// is a copy; the entries share their slices with the Set.
func (s *Set) CatalogEntries() map[string]CatalogEntry {
	return maps.Clone(s.typed.Catalog.Entries)
}

// CountryCode maps a country code, name or alias (as the restricted-party
// lists write them) to its ISO code.
func (s *Set) CountryCode(name string) (string, bool) {
	c, ok := s.names[Fold(name)]
	return c, ok
}

// Codes lists the keys of data.rules.<path...>, sorted (for help texts and
// error messages).
func (s *Set) Codes(path ...string) []string {
	var out []string
	for k := range mapAt(s.Data, path...) {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Number returns the number at data.rules.<path...>.
func (s *Set) Number(path ...string) (float64, error) {
	var v any = s.Data
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return 0, fmt.Errorf("rules: %s: not found", strings.Join(path, "."))
		}
		v = m[p]
	}
	switch n := v.(type) {
	case int:
		return float64(n), nil
	case float64:
		return n, nil
	}
	return 0, fmt.Errorf("rules: %s: want a number, got %T", strings.Join(path, "."), v)
}

// Fold is the comparison form of a name: trimmed, case-folded, inner
// whitespace collapsed.
func Fold(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }

func mapAt(v any, path ...string) map[string]any {
	for _, p := range path {
		m, _ := v.(map[string]any)
		v = m[p]
	}
	m, _ := v.(map[string]any)
	return m
}

func keys[V any](m map[string]V) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}
