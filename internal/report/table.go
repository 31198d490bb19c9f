package report

import (
	"fmt"
	"io"

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
		itemsText(d.Items),
		reasonsText(d),
		fmt.Sprintf("%s:%d", d.Source.File, d.Source.Line),
	})
	return nil
}

func (t *tableWriter) Close() error {
	tw := table.NewWriter()
	tw.SetOutputMirror(t.w)
	tw.SetStyle(table.StyleLight)
	tw.Style().Options.SeparateRows = true
	tw.AppendHeader(table.Row{"ID", "Decision", "Items", "Why", "Source"})
	tw.AppendRows(t.rows)
	tw.SetColumnConfigs([]table.ColumnConfig{
		{Number: 3, WidthMax: 28, WidthMaxEnforcer: text.WrapSoft},
		{Number: 4, WidthMax: 80, WidthMaxEnforcer: text.WrapSoft},
		{Number: 5, WidthMax: 30, WidthMaxEnforcer: text.WrapHard},
	})
	if len(t.rows) == 0 {
		_, err := io.WriteString(t.w, "no records\n")
		return err
	}
	tw.Render()
	return nil
}
