package report

import (
	"fmt"
	"strings"

	"github.com/chipcheck/chipcheck/internal/decision"
)

// Markdown for a pull-request comment or a job summary: the tally, then a
// table of the deny and review findings, then the input problems. Allow
// decisions are only counted, so memory holds the findings, not the batch.
// A pull-request comment holds 65,536 characters: each table stops at
// markdownRows rows and says how many it left out (the other formats have
// them all).

const markdownRows = 100

type markdownOutput struct {
	w        *writer
	meta     Meta
	counts   decision.Counts
	rows     []string // finding rows, at most markdownRows
	problems []string // problem rows, at most markdownRows

	findingCount, problemCount int
}

func (m *markdownOutput) Put(v any) error {
	d, p, ok := asDecision(v)
	if !ok {
		return notDecision(Markdown, v)
	}
	if p != nil {
		m.problemCount++
		if len(m.problems) == markdownRows {
			return nil
		}
		m.problems = append(m.problems, fmt.Sprintf("| %s | %s | %s |", mdCode(location(p.File, p.Line)), mdCell(p.Field), mdCell(p.Message)))
		return nil
	}
	m.counts.Add(*d)
	for _, r := range findings(d) {
		m.findingCount++
		if len(m.rows) == markdownRows {
			continue
		}
		rule := mdCode(r.Rule)
		if lp := licencePolicy(r); lp != "" {
			rule += "<br>" + mdCell(lp)
		}
		if r.Waived != "" {
			rule += "<br>waived " + mdCell(r.Waived)
		}
		m.rows = append(m.rows, fmt.Sprintf("| %s | %s | %s | %s | %s |", mdCell(d.ID), outcomeOf(r), rule,
			mdCell(r.Message+" ["+r.Citation+"]"), mdCode(location(d.Source.File, d.Source.Line))))
	}
	return nil
}

func (m *markdownOutput) Close() error {
	c := m.counts
	var sb strings.Builder
	fmt.Fprintf(&sb, "## chipcheck: %d deny, %d review, %d allow", c.Deny, c.Review, c.Allow)
	if m.problemCount > 0 {
		fmt.Fprintf(&sb, ", %d input problem(s)", m.problemCount)
	}
	sb.WriteString("\n\n")
	if c.Errors > 0 {
		fmt.Fprintf(&sb, "**%d record(s) could not be judged** (%s): the run failed.\n\n", c.Errors, decision.EvalErrorRule)
	}
	if len(m.rows) > 0 {
		sb.WriteString("| Record | Outcome | Rule | Why | Source |\n|---|---|---|---|---|\n")
		for _, r := range m.rows {
			sb.WriteString(r + "\n")
		}
		sb.WriteString(more(m.findingCount-len(m.rows), "finding"))
	} else if c.Deny+c.Review+c.Allow > 0 {
		sb.WriteString("No deny or review finding.\n\n")
	}
	if len(m.problems) > 0 {
		sb.WriteString("### Input problems (nothing in them was judged)\n\n| Source | Field | Problem |\n|---|---|---|\n")
		for _, r := range m.problems {
			sb.WriteString(r + "\n")
		}
		sb.WriteString(more(m.problemCount-len(m.problems), "input problem"))
	}
	m.w.WriteString(sb.String())
	return m.w.flush()
}

// more ends a table: a blank line, after a count of the rows left out.
func more(n int, what string) string {
	if n <= 0 {
		return "\n"
	}
	return fmt.Sprintf("\n… and %d more %s(s): see the other reports (-o sarif, junit, jsonl).\n\n", n, what)
}

func location(file string, line int) string {
	if line > 0 {
		return fmt.Sprintf("%s:%d", file, line)
	}
	return file
}

var mdEscaper = strings.NewReplacer("\\", "\\\\", "|", "\\|", "<", "&lt;", ">", "&gt;", "&", "&amp;", "`", "\\`", "*", "\\*", "_", "\\_", "[", "\\[", "]", "\\]", "\r\n", "<br>", "\n", "<br>", "\r", "<br>")

// mdCell makes text from a record safe in a table cell: it can neither end
// the cell or the row nor inject HTML, links or emphasis.
func mdCell(s string) string { return mdEscaper.Replace(s) }

// mdCode is s as inline code; a backtick in s is replaced, since inline
// code has no escape.
func mdCode(s string) string {
	if s == "" {
		return ""
	}
	s = strings.NewReplacer("`", "'", "|", "\\|", "\n", " ", "\r", " ").Replace(s)
	return "`" + s + "`"
}
