package cli

import (
	"fmt"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"
	"github.com/spf13/cobra"

	"github.com/chipcheck/chipcheck/internal/policy"
	"github.com/chipcheck/chipcheck/internal/runner"
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
			pol, err := a.policy()
			if err != nil {
				return err
			}
			if format == "json" {
				return a.writeJSON(map[string]any{"policy": map[string]any{"revision": pol.Revision(), "policies": pol.Origin().Policies, "rules": pol.Origin().Rules}, "rules": pol.Rules()}, true)
			}
			fmt.Fprintf(a.stdout, "policies: %s; rules: %s; revision %s\n", pol.Origin().Policies, pol.Origin().Rules, pol.Revision())
			tw := table.NewWriter()
			tw.SetStyle(table.StyleLight)
			tw.AppendHeader(table.Row{"Rule", "Citation", "Description"})
			for _, r := range pol.Rules() {
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

// policy loads the configured rule data and compiles the configured
// policies; any failure is exit 3.
func (a *app) policy() (*policy.Policy, error) {
	opts, err := a.options()
	if err != nil {
		return nil, err
	}
	rs, err := runner.LoadRules(opts)
	if err != nil {
		return nil, fail("%v", err)
	}
	pol, err := runner.LoadPolicy(a.ctx(), opts, rs)
	if err != nil {
		return nil, fail("%v", err)
	}
	return pol, nil
}
