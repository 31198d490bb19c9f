package orders

import (
	"slices"
	"strings"

	"github.com/chipcheck/chipcheck/internal/licenses"
	"github.com/chipcheck/chipcheck/internal/rules"
)

// Is-informed letters bind their addressee only. Which letters are
// addressed to an order's exporter is decided here, on normalised legal
// names (licenses.PartyKey: case, punctuation, spacing and legal forms do
// not matter, so "NVIDIA Corp." is "NVIDIA Corporation"), against each
// letter's addressee and aliases in rules/is_informed.yaml. The letters
// stage sees {known, letters}: whether an exporter is known at all, and
// the ids of the letters addressed to it, never the name.

// Letter is an is-informed letter's id and the names of its addressee.
type Letter struct {
	ID    string
	Names []string
}

// LettersOf reads the addressees of the letters of rule data
// (rules/is_informed.yaml, validated on load).
func LettersOf(rs *rules.Set) []Letter {
	var out []Letter
	ii, _ := rs.Data["is_informed"].(map[string]any)
	ls, _ := ii["letters"].([]any)
	for _, x := range ls {
		m, _ := x.(map[string]any)
		id, _ := m["id"].(string)
		l := Letter{ID: id}
		if a, ok := m["addressee"].(string); ok {
			l.Names = append(l.Names, a)
		}
		as, _ := m["aliases"].([]any)
		for _, a := range as {
			if s, ok := a.(string); ok {
				l.Names = append(l.Names, s)
			}
		}
		out = append(out, l)
	}
	return out
}

// exporterOf is the exporter whose letters bind the order: the order's own
// exporter when it names one, else the configured one.
func exporterOf(o *Order, opts FactOptions) string {
	if o.Exporter != nil && strings.TrimSpace(o.Exporter.Name) != "" {
		return o.Exporter.Name
	}
	return strings.TrimSpace(opts.Exporter)
}

// addressed is the exporter projection: whether an exporter is known, and
// the ids of the letters addressed to it, sorted. The result is shared
// between orders and must not be changed.
func (d *Decider) addressed(exporter string) map[string]any {
	if v, ok := d.exporters.Load(exporter); ok {
		return v.(map[string]any)
	}
	ids := []any{}
	key := licenses.PartyKey(exporter)
	if key != "" {
		for _, l := range d.letters {
			if slices.Contains(l.Names, key) {
				ids = append(ids, l.ID)
			}
		}
	}
	slices.SortFunc(ids, func(a, b any) int { return strings.Compare(a.(string), b.(string)) })
	m := map[string]any{"known": key != "", "letters": ids}
	// A book names a handful of exporters; a hostile one naming millions
	// stops being remembered past the bound.
	if d.nExporters.Add(1) <= maxExporters {
		d.exporters.Store(exporter, m)
	}
	return m
}

// maxExporters bounds the exporters whose letters are remembered.
const maxExporters = 1024

// letterKeys is letters with each name as its PartyKey.
func letterKeys(ls []Letter) []Letter {
	out := make([]Letter, len(ls))
	for i, l := range ls {
		out[i] = Letter{ID: l.ID, Names: make([]string, len(l.Names))}
		for j, n := range l.Names {
			out[i].Names[j] = licenses.PartyKey(n)
		}
	}
	return out
}
