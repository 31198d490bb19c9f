package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/chipcheck/chipcheck/internal/buildinfo"
	"github.com/chipcheck/chipcheck/internal/report"
)

func (a *app) versionCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the module version and the VCS revision this binary was built from",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, err := a.outputFormat(cmd, "text", "json")
			if err != nil {
				return err
			}
			info := buildinfo.Read()
			if format == "json" {
				b, err := report.Marshal(nil, info)
				if err == nil {
					_, err = a.stdout.Write(append(b, '\n'))
				}
				return err
			}
			_, err = fmt.Fprintf(a.stdout, "chipcheck %s\nmodule %s\ngo %s\n", info, info.Module, info.Go)
			return err
		},
	}
	cmd.Flags().StringP("output", "o", "text", "output format: text or json")
	return cmd
}
