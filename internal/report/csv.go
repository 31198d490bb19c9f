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
	d, p, ok := asDecision(v)
	if !ok {
		return notDecision(CSV, v)
	}
	if c.cw == nil {
		c.cw = csv.NewWriter(c.w)
	}
	if !c.header {
		c.header = true
		c.cw.Write(csvHeader)
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
			rules = append(rules, r.Rule)
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
	for i := range row {
		row[i] = CSVCell(row[i])
	}
	c.cw.Write(row)
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
