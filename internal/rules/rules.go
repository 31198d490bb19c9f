// Package rules loads the YAML rule data of a rules/ directory: the numbers,
// dates and code lists a compliance officer edits. The data reaches Rego as
// data.rules.<file stem>; Go reads from it only the vocabularies that input
// validation needs, the catalog that resolves `catalog:` names, and the
// country names the list loaders map to codes.
package rules

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/chipcheck/chipcheck/internal/record"
)

// Set is the rule data of one directory.
type Set struct {
	// Dir is where the files came from, as messages name it: a directory
	// path, or "rules" for the built-in rules.
	Dir   string
	Data  map[string]any    // file stem -> decoded YAML (JSON-compatible values)
	Files map[string][]byte // file name -> bytes as read, for the revision hash

	countries map[string]bool   // ISO codes
	names     map[string]string // folded country name or alias -> ISO code
	endUses   map[string]bool
	redFlags  map[string]bool
	catalog   map[string]*record.Chip // folded id or alias -> entry
}

// LoadDir reads the rule files of a directory.
func LoadDir(dir string) (*Set, error) {
	if _, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("rules: %w", err)
	}
	return Load(os.DirFS(dir), dir)
}

// Load reads every *.yaml / *.yml file at the top of fsys; dir is how
// messages name the directory.
func Load(fsys fs.FS, dir string) (*Set, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("rules: %s: %w", dir, err)
	}
	s := &Set{Dir: dir, Data: map[string]any{}, Files: map[string][]byte{}}
	for _, e := range entries {
		ext := path.Ext(e.Name())
		if e.IsDir() || (ext != ".yaml" && ext != ".yml") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		b, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, fmt.Errorf("rules: %s: %w", path, err)
		}
		var v any
		if err := yaml.Unmarshal(b, &v); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		stem := strings.TrimSuffix(e.Name(), ext)
		if _, dup := s.Data[stem]; dup {
			return nil, fmt.Errorf("%s: a second file for data.rules.%s", path, stem)
		}
		v, err = jsonValue(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		s.Data[stem] = v
		s.Files[e.Name()] = b
	}
	if len(s.Data) == 0 {
		return nil, fmt.Errorf("rules: no .yaml files in %s", dir)
	}
	if err := s.index(); err != nil {
		return nil, err
	}
	return s, nil
}

// jsonValue turns a decoded YAML tree into values OPA accepts: string map
// keys, and dates as the YYYY-MM-DD text they were written as.
func jsonValue(v any) (any, error) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			c, err := jsonValue(e)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			x[k] = c
		}
		return x, nil
	case map[any]any:
		return nil, fmt.Errorf("non-string map key")
	case []any:
		for i, e := range x {
			c, err := jsonValue(e)
			if err != nil {
				return nil, fmt.Errorf("[%d]: %w", i, err)
			}
			x[i] = c
		}
		return x, nil
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format(time.DateOnly), nil
		}
		return x.Format(time.RFC3339), nil
	}
	return v, nil
}

func (s *Set) index() error {
	s.countries, s.names = map[string]bool{}, map[string]string{}
	for code, v := range mapAt(s.Data, "countries") {
		s.countries[code] = true
		s.names[Fold(code)] = code
		m, _ := v.(map[string]any)
		if n, ok := m["name"].(string); ok {
			s.names[Fold(n)] = code
		}
		al, _ := m["aliases"].([]any)
		for _, a := range al {
			if a, ok := a.(string); ok {
				s.names[Fold(a)] = code
			}
		}
	}
	if len(s.countries) == 0 {
		return fmt.Errorf("%s: countries.yaml lists no country codes", s.Dir)
	}
	s.endUses = keys(mapAt(s.Data, "end_use", "codes"))
	s.redFlags = keys(mapAt(s.Data, "red_flags", "flags"))
	s.catalog = map[string]*record.Chip{}
	for id, v := range mapAt(s.Data, "catalog", "entries") {
		c, err := catalogChip(id, v)
		if err != nil {
			return fmt.Errorf("%s: catalog.yaml: entries.%s: %w", s.Dir, id, err)
		}
		names := []string{id}
		if m, ok := v.(map[string]any); ok {
			al, _ := m["aliases"].([]any)
			for _, a := range al {
				if a, ok := a.(string); ok {
					names = append(names, a)
				}
			}
		}
		for _, n := range names {
			if prev, dup := s.catalog[Fold(n)]; dup && prev.ID != id {
				return fmt.Errorf("%s: catalog.yaml: %q names both %s and %s", s.Dir, n, prev.ID, id)
			}
			s.catalog[Fold(n)] = c
		}
	}
	return nil
}

func catalogChip(id string, v any) (*record.Chip, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var c record.Chip
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, err
	}
	c.ID, c.Catalog = id, id
	if c.Name == "" {
		c.Name = id
	}
	return &c, nil
}

// Country reports whether code is a known ISO 3166-1 alpha-2 code.
func (s *Set) Country(code string) bool { return s.countries[code] }

// EndUse reports whether code is a known end-use code.
func (s *Set) EndUse(code string) bool { return s.endUses[code] }

// RedFlag reports whether code is a known red-flag code.
func (s *Set) RedFlag(code string) bool { return s.redFlags[code] }

// Catalog reports whether name is a catalog id or alias.
func (s *Set) Catalog(name string) bool { return s.catalog[Fold(name)] != nil }

// CatalogChip returns a copy of the catalog entry id or alias name refers to.
func (s *Set) CatalogChip(name string) (*record.Chip, bool) {
	c, ok := s.catalog[Fold(name)]
	if !ok {
		return nil, false
	}
	cp := *c
	return &cp, true
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

func keys(m map[string]any) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}

var _ record.Vocabulary = (*Set)(nil)
