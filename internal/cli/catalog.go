package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/chipcheck/chipcheck/internal/report"
	"github.com/chipcheck/chipcheck/internal/rules"
)

func (a *app) catalogCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "catalog [TEXT]",
		Short: "List the chip catalog (rules/catalog.yaml), or the entries whose id, name, alias or vendor contains TEXT",
		Long: `Lists the chips an order can name with catalog: ID (or any alias) instead of
giving their figures. TEXT matches ids, names, aliases and vendors in any case,
ignoring spaces and punctuation ("h100sxm" finds "H100 SXM5"). When nothing
matches, the nearest entries are suggested on stderr. chipcheck classify
shows what an entry classifies as.`,
		Example: `  chipcheck catalog
  chipcheck catalog h100 -o json
  chipcheck catalog huawei`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := a.outputFormat(cmd, report.Formats...)
			if err != nil {
				return err
			}
			rs, err := a.rules()
			if err != nil {
				return err
			}
			text := ""
			if len(args) == 1 {
				text = args[0]
			}
			entries := catalogEntries(rs, text)
			if len(entries) == 0 && text != "" {
				fmt.Fprintf(a.stderr, "chipcheck: no catalog entry matches %q%s\n", text, rs.CatalogHint(text))
			}
			out, err := report.New(format, a.stdout)
			if err != nil {
				return fail("%v", err)
			}
			for _, e := range entries {
				if err := out.Put(e); err != nil {
					return fail("%v", err)
				}
			}
			return a.close(out)
		},
	}
	cmd.Flags().StringP("output", "o", "table", "output format: table, json or jsonl")
	return cmd
}

// catalogEntries is every catalog entry matching text ("" for all), by id.
func catalogEntries(rs *rules.Set, text string) []report.CatalogEntry {
	all := rs.CatalogEntries()
	var out []report.CatalogEntry
	for _, id := range rs.MatchCatalog(text) {
		e := all[id]
		aliases := e.Aliases
		if aliases == nil {
			aliases = []string{}
		}
		out = append(out, report.CatalogEntry{ID: id, Name: e.Name, Vendor: e.Vendor, Aliases: aliases,
			DesignerCountry: e.DesignerCountry, Released: e.Released, HBM: e.HBM != nil, GP10Named: e.GP10Named})
	}
	return out
}
