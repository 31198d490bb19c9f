package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/chipcheck/chipcheck/internal/engine"
	"github.com/chipcheck/chipcheck/internal/rules"
)

func (a *app) verifyCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Run the policy's Rego unit tests (test_ rules in *_test.rego) against the rule data",
		Long: `Runs every test_ rule under --policies with the rule data of --rules,
using the same compiler settings as evaluation. With --coverage it reports
line coverage per policy file; --threshold fails the run below a percentage.
Exit 0 when all tests pass, 1 when a test fails, 3 when the tests cannot run.`,
		Example: `  chipcheck verify
  chipcheck verify --coverage --threshold 90
  chipcheck verify --run 'nac' -v`,
		Args: cobra.NoArgs,
		RunE: a.runVerify,
	}
	f := cmd.Flags()
	f.Bool("coverage", false, "report line coverage of the policy files")
	f.Float64("threshold", 0, "with --coverage: fail when total coverage is below this percentage")
	f.String("run", "", "only tests whose name matches this regular expression")
	f.BoolP("verbose", "v", false, "list every test, not only failures")
	f.StringP("output", "o", "text", "output format: text or json")
	return cmd
}

func (a *app) runVerify(cmd *cobra.Command, _ []string) error {
	format, err := a.outputFormat(cmd, "text", "json")
	if err != nil {
		return err
	}
	rs, err := rules.LoadDir(a.v.GetString("rules"))
	if err != nil {
		return fail("%v", err)
	}
	rep, err := engine.Test(cmd.Context(), engine.TestOptions{
		PolicyDir: a.v.GetString("policies"), Rules: rs,
		Filter: a.v.GetString("run"), Coverage: a.v.GetBool("coverage") || a.v.GetFloat64("threshold") > 0,
	})
	if err != nil {
		return fail("%v", err)
	}
	if format == "json" {
		if err := a.writeJSON(rep, true); err != nil {
			return fail("%v", err)
		}
	} else {
		for _, r := range rep.Results {
			status := "PASS"
			switch {
			case r.Error != "":
				status = "ERROR"
			case r.Fail:
				status = "FAIL"
			case r.Skip:
				status = "SKIP"
			}
			if status != "PASS" || a.v.GetBool("verbose") {
				fmt.Fprintf(a.stdout, "%-5s %s:%d %s.%s", status, r.File, r.Line, r.Package, r.Name)
				if r.Error != "" {
					fmt.Fprintf(a.stdout, ": %s", r.Error)
				}
				fmt.Fprintln(a.stdout)
			}
		}
		for _, f := range rep.Files {
			fmt.Fprintf(a.stdout, "coverage %6.2f%% %s\n", f.Coverage, f.File)
		}
		fmt.Fprintf(a.stdout, "%d passed, %d failed", rep.Passed, rep.Failed+rep.Errored)
		if rep.Skipped > 0 {
			fmt.Fprintf(a.stdout, ", %d skipped", rep.Skipped)
		}
		if len(rep.Files) > 0 {
			fmt.Fprintf(a.stdout, "; coverage %.2f%%", rep.Coverage)
		}
		fmt.Fprintln(a.stdout)
	}
	if rep.Failed+rep.Errored > 0 {
		return &exitError{code: 1}
	}
	if t := a.v.GetFloat64("threshold"); t > 0 && rep.Coverage < t {
		return &exitError{code: 1, err: fmt.Errorf("coverage %.2f%% is below --threshold %.2f%%", rep.Coverage, t)}
	}
	return nil
}
