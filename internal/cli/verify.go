package cli

import (
	"errors"

	"github.com/open-policy-agent/opa/v1/cover"
	"github.com/spf13/cobra"

	"github.com/chipcheck/chipcheck/internal/policy"
)

func (a *app) verifyCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "Run the policy's Rego unit tests (test_ rules in *_test.rego) against the rule data",
		Long: `Runs every test_ rule of the policies with the rule data, using the same
compiler settings as evaluation, and reports with OPA's own test reporters:
a failing test shows the expression that failed and the values in it. With
--coverage it reports line coverage per policy file; --threshold fails the
run below a percentage.
Exit 0 when all tests pass, 1 when a test fails or coverage is below the
threshold, 3 when the tests cannot run.`,
		Example: `  chipcheck verify
  chipcheck verify --coverage --threshold 90
  chipcheck verify --run 'nac' -v`,
		Args: cobra.NoArgs,
		RunE: a.runVerify,
	}
	f := cmd.Flags()
	f.Bool("coverage", false, "report line coverage of the policy files")
	f.Float64("threshold", 0, "fail when total line coverage is below this percentage (implies --coverage)")
	f.String("run", "", "only tests whose name matches this regular expression")
	f.BoolP("verbose", "v", false, "list every test, not only failures")
	f.StringP("output", "o", "text", "output format: text or json")
	return cmd
}

func (a *app) runVerify(cmd *cobra.Command, _ []string) error {
	format, err := a.outputFormat(cmd, policy.TestText, policy.TestJSON)
	if err != nil {
		return err
	}
	pol, err := a.policy()
	if err != nil {
		return err
	}
	sum, err := pol.Test(cmd.Context(), policy.TestOptions{
		Filter: a.v.GetString("run"), Verbose: a.v.GetBool("verbose"),
		Coverage: a.v.GetBool("coverage"), MinCoverage: a.v.GetFloat64("threshold"),
		Format: format, Output: a.stdout,
	})
	var below *cover.CoverageThresholdError
	switch {
	case errors.As(err, &below):
		return &exitError{code: 1, err: err}
	case err != nil:
		return fail("%v", err)
	case sum.Bad():
		return &exitError{code: 1}
	}
	return nil
}
