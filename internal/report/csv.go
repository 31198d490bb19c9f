package report

import (
	"encoding/csv"
	"strconv"
	"strings"
)

// csvHeader is the columns of -o csv: one row per decision or input
// problem, streamed.
var csvHeader = []string{"type", "id", "kind", "decision", "file", "line", "field", "rules", "licence", "reasons", "citations", "items"}

// csvOutput writes one row per decision (its findings joined by "; " in
// rules, reasons and citations) and one per input problem (type problem).
type csvOutput struct {
	w      *writer
	cw     *csv.Writer
	header bool
}

func (c *csvOutput) Put(v any) error {
	if c.cw == nil {
		c.cw = csv.NewWriter(c.w)
	}
	if s, ok := v.(Search); ok {
		return c.write(searchHeader(s), searchRow(s))
	}
	d, p, ok := asDecision(v)
	if !ok {
		return notDecision(CSV, v)
	}
	var row []string
	if p != nil {
		row = []string{"problem", "", "", "error", p.File, strconv.Itoa(p.Line), p.Field, ProblemRule, "", p.Message, "", ""}
	} else {
		rs := findings(d)
		if len(rs) == 0 {
			rs = d.Reasons
		}
		var rules, licence, reasons, cites, items []string
		for _, r := range rs {
			if r.Waived != "" {
				rules = append(rules, r.Rule+" [waived: "+r.Waived+"]")
			} else {
				rules = append(rules, r.Rule)
			}
			if lp := licencePolicy(r); lp != "" {
				licence = append(licence, r.Rule+": "+lp)
			}
			reasons = append(reasons, r.Message)
			cites = append(cites, r.Citation)
		}
		for _, h := range d.Screening {
			reasons = append(reasons, hitLine(h))
		}
		for _, it := range d.Items {
			items = append(items, it.SKU+" "+it.ECCN)
		}
		row = []string{"decision", d.ID, d.Kind, d.Decision, d.Source.File, strconv.Itoa(d.Source.Line), "",
			strings.Join(rules, "; "), strings.Join(licence, "; "), strings.Join(reasons, "; "), strings.Join(cites, "; "), strings.Join(items, "; ")}
	}
	return c.write(csvHeader, row)
}

// write writes the header before the first row, then row, defused.
func (c *csvOutput) write(header, row []string) error {
	if !c.header {
		c.header = true
		c.cw.Write(defuse(header))
	}
	c.cw.Write(defuse(row))
	c.cw.Flush()
	if err := c.cw.Error(); err != nil {
		return err
	}
	return c.w.err
}

func (c *csvOutput) Close() error {
	if !c.header {
		// An empty run still says what its columns would have been.
		c.w.WriteString(strings.Join(csvHeader, ",") + "\n")
	}
	return c.w.flush()
}

// searchColumns follow a batch search's own columns in -o csv.
var searchColumns = []string{"decision", "hits", "best_score", "best_list", "best_entry", "best_id", "best_matched"}

// searchHeader is the input's columns, then the search's.
func searchHeader(s Search) []string {
	h := make([]string, 0, len(s.Input)+len(searchColumns))
	for _, c := range s.Input {
		h = append(h, c.Name)
	}
	return append(h, searchColumns...)
}

// searchRow is the input row as given, then the decision, the number of
// hits and the best one.
func searchRow(s Search) []string {
	r := make([]string, 0, len(s.Input)+len(searchColumns))
	for _, c := range s.Input {
		r = append(r, c.Value)
	}
	r = append(r, s.Decision, strconv.Itoa(len(s.Hits)))
	if len(s.Hits) == 0 {
		return append(r, "", "", "", "", "")
	}
	h := s.Hits[0]
	return append(r, strconv.FormatFloat(h.Score, 'f', 3, 64), h.List, h.Name, h.ID, h.Matched)
}

func defuse(row []string) []string {
	out := make([]string, len(row))
	for i, s := range row {
		out[i] = CSVCell(s)
	}
	return out
}

// CSVCell defuses a cell a spreadsheet would run as a formula (one
// starting with = + - @ or a tab or carriage return) with a leading
// apostrophe: record ids and party names come from the input, and a CSV
// report is opened in spreadsheets.
func CSVCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
