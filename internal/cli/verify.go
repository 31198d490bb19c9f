package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/renameio/v2"
	"github.com/open-policy-agent/opa/v1/cover"
	"github.com/spf13/cobra"

	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/policy"
	"github.com/chipcheck/chipcheck/internal/runner"
)

// policyCmd is the rule-editing toolbox: test, check, fmt.
func (a *app) policyCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "policy",
		Short: "Tools for editing the policies and rule data: test, check, fmt",
		Long: `The rule-editing workflow: edit policies/ or rules/, then
  chipcheck policy fmt policies          # lay out Rego as opa fmt does
  chipcheck policy test --coverage       # Rego unit tests, with coverage
  chipcheck policy check                 # METADATA, data references, rule data, waivers
  chipcheck impact --baseline main DATA  # which decisions the change flips`,
	}
	cmd.AddCommand(a.testCmd("test"), a.policyCheckCmd(), a.policyFmtCmd())
	return cmd
}

// verifyCmd is `policy test` under its first name.
func (a *app) verifyCmd() *cobra.Command {
	cmd := a.testCmd("verify")
	cmd.Short = "Same as chipcheck policy test"
	return cmd
}

func (a *app) testCmd(name string) *cobra.Command {
	cmd := &cobra.Command{
		Use:   name,
		Short: "Run the policy's Rego unit tests (test_ rules in *_test.rego) against the rule data",
		Long: `Runs every test_ rule of the policies with the rule data, using the same
compiler settings as evaluation, and reports with OPA's own test reporters:
a failing test is run again with OPA's tracing and shows the expression that
failed with the value of each variable in it (expected and actual). With
--coverage it reports line coverage per policy file; --min-coverage fails
the run below a percentage.
Exit 0 when all tests pass, 1 when a test fails or coverage is below the
minimum, 3 when the tests cannot run.`,
		Example: `  chipcheck ` + name + `
  chipcheck ` + name + ` --coverage --min-coverage 90
  chipcheck ` + name + ` --run 'nac' -v`,
		Args: cobra.NoArgs,
		RunE: a.runVerify,
	}
	f := cmd.Flags()
	f.Bool("coverage", false, "report line coverage of the policy files")
	f.Float64("min-coverage", 0, "fail when total line coverage is below this percentage (implies --coverage)")
	f.Float64("threshold", 0, "same as --min-coverage")
	_ = f.MarkHidden("threshold")
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
		Coverage: a.v.GetBool("coverage"), MinCoverage: max(a.v.GetFloat64("min-coverage"), a.v.GetFloat64("threshold")),
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

func (a *app) policyCheckCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "check [FILE|DIR|- ...]",
		Short: "Check the policies and rule data: METADATA, data.rules references, rule data, waivers",
		Long: `Checks, and reports every problem as file:line: message:
  - the policies compile in strict mode, and every rule that can emit a
    reason carries METADATA with custom.id, custom.citation and a
    description (ids unique);
  - every reference to data.rules names a key rules/ defines, and every
    key of rules/ is read by a policy (or by chipcheck's Go code: the
    catalog, country names, end-use codes, the matcher's numbers, waivers);
  - the rule data is valid against its schema (types, ranges, dates,
    references between files);
  - every waiver is well formed, names a rule the policies declare and may
    waive, and has not expired; given records, every waiver must waive
    something in them (an unused waiver is reported).
Exit 0 when clean, 1 when a problem is found, 3 when it cannot run.`,
		Example: `  chipcheck policy check
  chipcheck policy check --policies policies --rules rules fixtures/orders/`,
		RunE: a.runPolicyCheck,
	}
	f := cmd.Flags()
	f.String("kind", "", "kind of records that carry none: order or chip")
	f.String("input-format", "", "format of stdin or of files without a known extension: yaml, json, jsonl or csv")
	f.String("as-of", "", "judge every record under the rules in force on this date (YYYY-MM-DD)")
	f.String("lists", "", "directory of restricted-party list files (waivers of screening hits match only when screened)")
	f.String("exporter", "", "the exporter chipcheck screens for")
	addListsOnlyFlag(f)
	return cmd
}

// ruleDataReadByGo are the rule files and keys chipcheck's Go code reads
// rather than the policies: the catalog and country names (input
// validation, list loading), end-use codes (input validation), the
// matcher's numbers (internal/screen), the account-linkage numbers
// (internal/networks) and the waivers (internal/waivers).
var ruleDataReadByGo = []string{"catalog", "countries", "end_use.codes", "screening.matcher", "networks.linkage", "waivers"}

func (a *app) runPolicyCheck(cmd *cobra.Command, args []string) error {
	ctx := cmd.Context()
	opts, err := a.options()
	if err != nil {
		return err
	}
	var problems []string
	report := func() error {
		for _, p := range problems {
			fmt.Fprintln(a.stdout, p)
		}
		if len(problems) > 0 {
			return &exitError{code: 1, err: fmt.Errorf("policy check: %d problem(s)", len(problems))}
		}
		return nil
	}
	rs, err := runner.LoadRules(opts)
	if err != nil {
		problems = append(problems, err.Error())
		return report()
	}
	pol, err := runner.LoadPolicy(ctx, opts, rs)
	if err != nil {
		problems = append(problems, err.Error())
		return report()
	}
	refs := pol.DataRefs()
	problems = append(problems, pol.Undefined(refs)...)
	problems = append(problems, pol.Unread(refs, ruleDataReadByGo)...)
	ws, err := runner.LoadWaivers(opts, rs, pol)
	if err != nil {
		problems = append(problems, err.Error())
		return report()
	}
	for _, w := range ws.Expired() {
		problems = append(problems, fmt.Sprintf("%s:%d: waiver %s expired on %s (ticket %s): renew it or remove it", w.File, w.Line, w.ID, w.Expires, w.Ticket))
	}
	if len(args) > 0 {
		run, err := runner.Load(ctx, opts)
		if err != nil {
			return fail("%v", err)
		}
		recs, probs := run.Read(ctx, runner.ReadOptions{Kind: a.v.GetString("kind"), Format: a.v.GetString("input_format"), Stdin: a.stdin}, args...)
		if len(probs) > 0 {
			for _, p := range probs {
				fmt.Fprintln(a.stderr, p.Error())
			}
			return fail("%d input problem(s); waiver use not checked", len(probs))
		}
		if _, err := run.Decide(ctx, recs, runner.Sink{Emit: func(decision.Decision, []byte) error { return nil }}); err != nil {
			return fail("%v", err)
		}
		for _, w := range run.Waivers().Unused() {
			problems = append(problems, fmt.Sprintf("%s:%d: waiver %s (%s, %s %s) waived nothing in the given records", w.File, w.Line, w.ID, w.Rule, w.Scope(), w.Record+w.Party))
		}
	}
	if err := report(); err != nil {
		return err
	}
	if !a.v.GetBool("quiet") {
		fmt.Fprintf(a.stderr, "policy check: ok: %d rules with METADATA, %d references to data.rules, %d active waiver(s); checked %s\n",
			len(pol.Rules()), len(refs), len(ws.Active()), time.Now().UTC().Format(time.DateOnly))
	}
	return nil
}

func (a *app) policyFmtCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "fmt [DIR|FILE.rego ...]",
		Short: "Format Rego files as opa fmt does (in place; --check only lists them)",
		Long: `Lays out every .rego file under the paths (default: --policies, else
./policies) with OPA's formatter, as opa fmt does for Rego v1, and writes
back the files that change, naming each. With --check nothing is written:
the files that are not formatted are listed and the exit code is 1.`,
		Example: `  chipcheck policy fmt policies
  chipcheck policy fmt --check policies    # in CI`,
		RunE: a.runPolicyFmt,
	}
	cmd.Flags().Bool("check", false, "write nothing; list unformatted files and exit 1 if there are any")
	return cmd
}

func (a *app) runPolicyFmt(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		dir := a.path("policies")
		if dir == "" {
			dir = "policies"
		}
		args = []string{dir}
	}
	check, _ := cmd.Flags().GetBool("check")
	var files []string
	for _, p := range args {
		err := filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.HasSuffix(path, ".rego") {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return fail("policy fmt: %v", err)
		}
	}
	var changed []string
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			return fail("policy fmt: %v", err)
		}
		out, err := policy.Format(f, src)
		if err != nil {
			return fail("policy fmt: %v", err)
		}
		if bytes.Equal(src, out) {
			continue
		}
		changed = append(changed, f)
		fmt.Fprintln(a.stdout, f)
		if !check {
			// Replaced whole or not at all: a policy file cut short by a
			// crash would no longer compile.
			if err := renameio.WriteFile(linkTarget(f), out, 0o644, renameio.WithExistingPermissions()); err != nil {
				return fail("policy fmt: %v", err)
			}
		}
	}
	if check && len(changed) > 0 {
		return &exitError{code: 1, err: fmt.Errorf("policy fmt: %d file(s) not formatted; run chipcheck policy fmt", len(changed))}
	}
	return nil
}
