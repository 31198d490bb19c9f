package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"

	"github.com/chipcheck/chipcheck/internal/decision"
)

// table renders a human-readable table; reasons are wrapped, not cut, since
// the rationale is the point of the output.
type tableWriter struct {
	w    io.Writer
	rows []table.Row
}

func (t *tableWriter) Write(d decision.Decision) error {
	t.rows = append(t.rows, table.Row{
		d.ID,
		d.Decision,
		wrap(itemsText(d.Items), 28),
		wrap(reasonsText(d), 80),
		fmt.Sprintf("%s:%d", d.Source.File, d.Source.Line),
	})
	return nil
}

func (t *tableWriter) Close() error {
	tw := table.NewWriter()
	tw.SetStyle(table.StyleLight)
	tw.Style().Options.SeparateRows = true
	tw.AppendHeader(table.Row{"ID", "Decision", "Items", "Why", "Source"})
	tw.AppendRows(t.rows)
	tw.SetColumnConfigs([]table.ColumnConfig{
		{Number: 5, WidthMax: 30, WidthMaxEnforcer: text.WrapHard},
	})
	if len(t.rows) == 0 {
		_, err := io.WriteString(t.w, "no records\n")
		return err
	}
	// Render to a string: go-pretty's output mirror drops write errors.
	_, err := io.WriteString(t.w, tw.Render()+"\n")
	return err
}

// wrap wraps each line of s on its own: go-pretty's column wrapping would
// run separate reasons together.
func wrap(s string, width int) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = text.WrapSoft(l, width)
	}
	return strings.Join(lines, "\n")
}
