package cli

import (
	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"
	"github.com/spf13/cobra"
)

func (a *app) rulesCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List every rule that can fire: its id, citation and description (from # METADATA)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, err := a.outputFormat(cmd, "table", "json")
			if err != nil {
				return err
			}
			_, eng, err := a.loadEngine(cmd.Context(), false)
			if err != nil {
				return err
			}
			if format == "json" {
				return a.writeJSON(eng.Rules(), true)
			}
			tw := table.NewWriter()
			tw.SetStyle(table.StyleLight)
			tw.AppendHeader(table.Row{"Rule", "Citation", "Description"})
			for _, r := range eng.Rules() {
				tw.AppendRow(table.Row{r.ID, r.Citation, r.Description})
			}
			tw.SetColumnConfigs([]table.ColumnConfig{
				{Number: 2, WidthMax: 40, WidthMaxEnforcer: text.WrapSoft},
				{Number: 3, WidthMax: 70, WidthMaxEnforcer: text.WrapSoft},
			})
			return a.writeTable(tw)
		},
	}
	cmd.Flags().StringP("output", "o", "table", "output format: table or json")
	return cmd
}
