package cli

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/impact"
	"github.com/chipcheck/chipcheck/internal/record"
	"github.com/chipcheck/chipcheck/internal/runner"
)

func (a *app) impactCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "impact --baseline REV|DIR FILE|DIR ...",
		Short: "Decide records under a baseline and the current policies and rules, and report what changes",
		Long: `Decides the same records twice: under a baseline (a git revision, whose
policies/ and rules/ are extracted with git archive, or a directory holding
policies/ and/or rules/) and under the current policies and rules (the
built-in ones, or --policies/--rules). Reports every record whose decision
or set of reasons (rule id, outcome, waived) changes, grouped by transition
(allow→deny, ...) and by rule, with examples.

The corpus is record files as check reads them. Decision logs (-o jsonl)
are not a corpus: a decision names its input by sha256 but does not carry it.

Exit 0, or 1 when a gate trips (--fail-on-loosening: any record moves
towards allow; --max-changes N: more than N records change), 3 when the
comparison cannot be made (invalid input under the current rules, a
baseline that does not load, a record the current side cannot judge).`,
		Example: `  chipcheck impact --baseline origin/main fixtures/orders/
  chipcheck impact --baseline HEAD~1 --policies policies --rules rules orders/ -o markdown
  chipcheck impact --baseline /srv/rules-2026-11 orders.jsonl --fail-on-loosening --max-changes 50`,
		Args: cobra.MinimumNArgs(1),
		RunE: a.runImpact,
	}
	f := cmd.Flags()
	f.String("baseline", "", "git revision or directory to compare against (required)")
	f.StringP("output", "o", "table", "output format: "+strings.Join(impact.Formats, ", "))
	f.Bool("fail-on-loosening", false, "exit 1 when any record moves towards allow")
	f.Int("max-changes", -1, "exit 1 when more than this many records change (-1: no limit)")
	f.Int("examples", 5, "example records shown per transition and per rule")
	f.String("as-of", "", "judge every record under the rules in force on this date (YYYY-MM-DD)")
	f.String("kind", "", "kind of records that carry none: order or chip")
	f.String("input-format", "", "format of stdin or of files without a known extension: yaml, json, jsonl or csv")
	f.String("lists", "", "directory of restricted-party list files")
	f.String("exporter", "", "the exporter chipcheck screens for")
	f.Int("workers", 0, "records judged in parallel (default: one per CPU)")
	f.Int("max-list-age", 0, "review every decision screened against a list snapshot older than this many days")
	addListsOnlyFlag(f)
	_ = cmd.MarkFlagRequired("baseline")
	return cmd
}

func (a *app) runImpact(cmd *cobra.Command, args []string) error {
	ctx := cmd.Context()
	start := time.Now()
	tuneGC(0)
	format, _ := cmd.Flags().GetString("output")
	if format != "table" && format != "json" && format != "markdown" {
		return fail("-o %q: want one of %s", format, strings.Join(impact.Formats, ", "))
	}
	if slices.Contains(args, "-") {
		return fail("impact reads its input once per side: give files or directories, not -")
	}
	cur, err := a.options()
	if err != nil {
		return err
	}
	// Both sides judge with one clock: waiver expiry and decision dates
	// must not differ between them.
	now := time.Now()
	cur.Now = func() time.Time { return now }
	base, err := impact.Resolve(ctx, a.v.GetString("baseline"), impact.ResolveOptions{PoliciesPath: cur.PoliciesDir, RulesPath: cur.RulesDir})
	if err != nil {
		return fail("%v", err)
	}
	defer base.Close()
	bopts := cur
	if base.PoliciesDir != "" {
		bopts.PoliciesDir = base.PoliciesDir
	}
	if base.RulesDir != "" {
		bopts.RulesDir = base.RulesDir
	}
	examples, _ := cmd.Flags().GetInt("examples")
	rep, err := impact.Run(ctx, impact.Options{
		Baseline: bopts, Current: cur, Paths: args, Examples: examples,
		Read: runner.ReadOptions{Kind: a.v.GetString("kind"), Format: a.v.GetString("input_format"), Stdin: a.stdin},
	})
	var probs record.Problems
	if errors.As(err, &probs) {
		for _, p := range probs {
			fmt.Fprintln(a.stderr, p.Error())
		}
		return fail("%d input problem(s); nothing was compared", len(probs))
	}
	if err != nil {
		return fail("%v", err)
	}
	if base.PoliciesName != "" {
		rep.Baseline.Policies = base.PoliciesName
	}
	if base.RulesName != "" {
		rep.Baseline.Rules = base.RulesName
	}
	if err := rep.Write(a.stdout, format); err != nil {
		return fail("%v", err)
	}
	if !a.v.GetBool("quiet") {
		fmt.Fprintf(a.stderr, "chipcheck impact: %s in %.2fs; baseline %s\n", rep.Headline(), time.Since(start).Seconds(), base.Name)
	}
	if rep.Errors > 0 {
		return fail("%d record(s) could not be judged under the current policies and rules", rep.Errors)
	}
	var tripped []string
	if fl, _ := cmd.Flags().GetBool("fail-on-loosening"); fl && rep.Loosened > 0 {
		tripped = append(tripped, fmt.Sprintf("%d record(s) move towards allow (--fail-on-loosening)", rep.Loosened))
	}
	if mc, _ := cmd.Flags().GetInt("max-changes"); mc >= 0 && rep.Changed > mc {
		tripped = append(tripped, fmt.Sprintf("%d records change, more than --max-changes %d", rep.Changed, mc))
	}
	if len(tripped) > 0 {
		return &exitError{code: decision.ExitDeny, err: errors.New(strings.Join(tripped, "; "))}
	}
	return nil
}
