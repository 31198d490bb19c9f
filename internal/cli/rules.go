package cli

import (
	"github.com/spf13/cobra"

	"github.com/chipcheck/chipcheck/internal/policy"
	"github.com/chipcheck/chipcheck/internal/report"
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
			var set report.RuleSet
			set.Policy.Revision, set.Policy.Policies, set.Policy.Rules = pol.Revision(), pol.Origin().Policies, pol.Origin().Rules
			set.Rules = pol.Rules()
			out, err := report.New(format, a.stdout)
			if err != nil {
				return fail("%v", err)
			}
			if err := out.Put(set); err != nil {
				return fail("%v", err)
			}
			return a.close(out)
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
