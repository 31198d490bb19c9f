package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"

	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/lists"
)

// tableOutput renders a human-readable table of the results: reasons are
// wrapped, not cut, since the rationale is the point of the output.
type tableOutput struct {
	w       *writer
	view    *view
	rows    []table.Row
	caption string
}

// view is how one kind of result reads as a table.
type view struct {
	header   table.Row
	rows     func(v any) []table.Row
	columns  []table.ColumnConfig
	separate bool   // a rule between rows (rows of several lines)
	empty    string // what an empty table says
	caption  func(v any) string
}

func (t *tableOutput) Put(v any) error {
	vw := viewOf(v)
	if vw == nil {
		return fmt.Errorf("report: no table view of %T", v)
	}
	if t.view == nil {
		t.view = vw
	}
	t.rows = append(t.rows, vw.rows(v)...)
	if vw.caption != nil {
		t.caption = vw.caption(v)
	}
	return nil
}

func (t *tableOutput) Close() error {
	if t.view == nil || len(t.rows) == 0 {
		empty := "no records"
		if t.view != nil && t.view.empty != "" {
			empty = t.view.empty
		}
		t.w.WriteString(empty + "\n")
		return t.w.flush()
	}
	tw := table.NewWriter()
	tw.SetStyle(table.StyleLight)
	tw.Style().Options.SeparateRows = t.view.separate
	tw.AppendHeader(t.view.header)
	tw.AppendRows(t.rows)
	tw.SetColumnConfigs(t.view.columns)
	if t.caption != "" {
		tw.SetCaption("%s", t.caption)
	}
	t.w.WriteString(tw.Render() + "\n")
	return t.w.flush()
}

func viewOf(v any) *view {
	switch v.(type) {
	case decision.Decision, *decision.Decision:
		return &decisionView
	case Classification:
		return &classificationView
	case Hit:
		return &hitView
	case Search:
		return &searchView
	case RuleSet:
		return &rulesView
	case lists.ListInfo:
		return &listView
	case CatalogEntry:
		return &catalogView
	}
	return nil
}

func one(r table.Row) []table.Row { return []table.Row{r} }

// The decision table fits 80 columns: a record column (id, decision,
// source, items) and a why column with every deny and review reason, each
// with its licence review policy when it sets one.
const (
	recordWidth = 22
	whyWidth    = 80 - recordWidth - 7 // borders and padding of two columns
)

var decisionView = view{
	header: table.Row{"Record", "Why"},
	rows: func(v any) []table.Row {
		d, ok := v.(decision.Decision)
		if !ok {
			d = *v.(*decision.Decision)
		}
		rec := []string{d.ID, strings.ToUpper(d.Decision), fmt.Sprintf("%s:%d", d.Source.File, d.Source.Line)}
		if items := itemsText(d.Items); items != "" {
			rec = append(rec, items)
		}
		return one(table.Row{wrapHard(strings.Join(rec, "\n"), recordWidth), wrap(reasonsText(d), whyWidth)})
	},
	// No column enforcer: go-pretty's would join the lines wrapped here.
	separate: true,
}

var classificationView = view{
	header: table.Row{"ID", "Name", "ECCN", "TPP", "PD", "Why"},
	rows: func(v any) []table.Row {
		c := v.(Classification)
		why := make([]string, len(c.Reasons))
		for i, r := range c.Reasons {
			why[i] = r.Message
		}
		return one(table.Row{c.ID, c.Name, c.ECCN, fig(c.TPP), fig(c.PD), strings.Join(why, "\n")})
	},
}

var hitView = view{
	header: table.Row{"Score", "List", "Entry", "Matched", "Countries", "Why"},
	rows: func(v any) []table.Row {
		h := v.(Hit)
		return one(table.Row{fmt.Sprintf("%.2f", h.Score), h.List, h.Name + " (" + h.ID + ")", h.Matched, strings.Join(h.Countries, " "), h.Explanation})
	},
	columns: []table.ColumnConfig{
		{Number: 3, WidthMax: 40, WidthMaxEnforcer: text.WrapSoft},
		{Number: 4, WidthMax: 30, WidthMaxEnforcer: text.WrapSoft},
		{Number: 6, WidthMax: 60, WidthMaxEnforcer: text.WrapSoft},
	},
	empty: "no match at or above the review threshold",
}

var searchView = view{
	header: table.Row{"Name", "Country", "Decision", "Hits"},
	rows: func(v any) []table.Row {
		s := v.(Search)
		hits := make([]string, len(s.Hits))
		for i, h := range s.Hits {
			hits[i] = fmt.Sprintf("%.2f %s %s (%s)", h.Score, h.List, h.Name, h.ID)
		}
		if len(hits) == 0 {
			hits = []string{"no match"}
		}
		return one(table.Row{s.Query.Name, s.Query.Country, s.Decision, wrap(strings.Join(hits, "\n"), 60)})
	},
	columns:  []table.ColumnConfig{{Number: 1, WidthMax: 40, WidthMaxEnforcer: text.WrapSoft}},
	separate: true,
}

var rulesView = view{
	header: table.Row{"Rule", "Citation", "Description"},
	rows: func(v any) []table.Row {
		var rows []table.Row
		for _, r := range v.(RuleSet).Rules {
			rows = append(rows, table.Row{r.ID, r.Citation, r.Description})
		}
		return rows
	},
	columns: []table.ColumnConfig{
		{Number: 2, WidthMax: 40, WidthMaxEnforcer: text.WrapSoft},
		{Number: 3, WidthMax: 70, WidthMaxEnforcer: text.WrapSoft},
	},
	caption: func(v any) string {
		p := v.(RuleSet).Policy
		return fmt.Sprintf("policies: %s; rules: %s; revision %s", p.Policies, p.Rules, p.Revision)
	},
}

var catalogView = view{
	header: table.Row{"ID", "Name", "Vendor", "Aliases", "Released"},
	rows: func(v any) []table.Row {
		e := v.(CatalogEntry)
		released := ""
		if e.Released != nil {
			released = fmt.Sprint(*e.Released)
		}
		name := e.Name
		if e.GP10Named {
			name += " (GP10)"
		}
		return one(table.Row{e.ID, wrap(name, 28), e.Vendor, wrap(strings.Join(e.Aliases, ", "), 30), released})
	},
	separate: true,
	empty:    "no catalog entry",
}

var listView = view{
	header: table.Row{"List", "Snapshot", "Age (days)", "Entries", "Files", "SHA-256", "Manifest", "Skipped"},
	rows: func(v any) []table.Row {
		l := v.(lists.ListInfo)
		var skipped []string
		for k, n := range l.Skipped {
			skipped = append(skipped, fmt.Sprintf("%s=%d", k, n))
		}
		slices.Sort(skipped)
		return one(table.Row{l.Name, l.Snapshot, l.AgeDays, l.Entries, strings.Join(l.Files, "\n"), l.SHA256, manifestText(l.Manifest), strings.Join(skipped, "\n")})
	},
}

// manifestText is a list's manifest status for the info table.
func manifestText(m lists.ManifestCheck) string {
	since := ""
	if len(m.Seen) >= 10 {
		since = " since " + m.Seen[:10]
	}
	switch m.Status {
	case lists.ManifestUnchanged:
		return "unchanged" + since
	case lists.ManifestRecorded:
		return fmt.Sprintf("recorded: %d", m.Counted)
	case lists.ManifestNotSaved:
		if m.Recorded > 0 {
			return fmt.Sprintf("not saved: %d, was %d", m.Counted, m.Recorded)
		}
		return fmt.Sprintf("not saved: %d", m.Counted)
	}
	return fmt.Sprintf("%s: %d, was %d", m.Status, m.Counted, m.Recorded)
}

// itemsText is "SKU 3A090.a; SKU2 none" for the table view.
func itemsText(items []decision.Item) string {
	parts := make([]string, 0, len(items))
	for _, it := range items {
		parts = append(parts, fmt.Sprintf("%s %s", it.SKU, it.ECCN))
	}
	return strings.Join(parts, "\n")
}

// reasonsText lists every reason that is not allow (an allow decision's
// reasons, which say why), one per line, then the screening hits.
func reasonsText(d decision.Decision) string {
	return strings.Join(whyText(&d), "\n")
}

// wrapHard wraps each line of s at width, breaking words (paths, ids)
// that are longer.
func wrapHard(s string, width int) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = text.WrapHard(l, width)
	}
	return strings.Join(lines, "\n")
}

// wrap wraps each line of s on its own: go-pretty's column wrapping would
// run separate reasons together.
func wrap(s string, width int) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = wrapWords(l, width)
	}
	return strings.Join(lines, "\n")
}

// wrapWords breaks s at spaces into lines of at most width runes; a word
// longer than width is broken where it must be.
func wrapWords(s string, width int) string {
	var out []string
	var line []rune
	for _, w := range strings.Fields(s) {
		word := []rune(w)
		if len(line) > 0 && len(line)+1+len(word) > width {
			out = append(out, string(line))
			line = line[:0]
		}
		if len(line) > 0 {
			line = append(line, ' ')
		}
		line = append(line, word...)
		for len(line) > width {
			out = append(out, string(line[:width]))
			line = append([]rune(nil), line[width:]...)
		}
	}
	if len(line) > 0 || len(out) == 0 {
		out = append(out, string(line))
	}
	return strings.Join(out, "\n")
}

func fig(f *float64) string {
	if f == nil {
		return "-"
	}
	return fmt.Sprintf("%g", *f)
}
