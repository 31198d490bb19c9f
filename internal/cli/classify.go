package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/orders"
	"github.com/chipcheck/chipcheck/internal/record"
	"github.com/chipcheck/chipcheck/internal/report"
	"github.com/chipcheck/chipcheck/internal/runner"
)

func (a *app) classifyCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "classify FILE|DIR|- ...",
		Short: "Classify chip records under ECCN 3A090/4A090 (TPP, PD, paragraph)",
		Example: `  chipcheck classify fixtures/chips/h100.yaml -o json
  chipcheck classify --as-of 2023-06-01 fixtures/chips/`,
		Args: cobra.MinimumNArgs(1),
		RunE: a.runClassify,
	}
	f := cmd.Flags()
	f.StringP("output", "o", "table", "output format: table, json, jsonl")
	f.String("fail-on", decision.Review, "lowest decision that makes the exit code non-zero (an unknown ECCN is review)")
	f.String("as-of", "", "classify under the rules in force on this date (default: today)")
	f.String("input-format", "", "format of stdin: yaml, json, jsonl or csv")
	f.Bool("allow-empty", false, "exit 0 when the input holds no record (by default nothing to classify is exit 3)")
	return cmd
}

func (a *app) runClassify(cmd *cobra.Command, args []string) error {
	ctx := cmd.Context()
	start := time.Now()
	format, err := a.outputFormat(cmd, report.Formats...)
	if err != nil {
		return err
	}
	failOn := a.v.GetString("fail_on")
	if err := decision.CheckFailOn(failOn); err != nil {
		return fail("%v", err)
	}
	opts, err := a.options()
	if err != nil {
		return err
	}
	opts.ListsDir = "" // classification screens no one
	run, err := runner.Load(ctx, opts)
	if err != nil {
		return fail("%v", err)
	}
	recs, probs := run.Read(ctx, runner.ReadOptions{Kind: orders.KindChip, Format: a.v.GetString("input_format"), Stdin: a.stdin}, args...)
	for _, r := range recs {
		if r.Kind != orders.KindChip {
			probs = append(probs, record.Problem{File: r.Source.File, Line: r.Source.Line, Field: "kind", Msg: fmt.Sprintf("%s is not a chip record (kind %s); classify takes chip records", r.ID, r.Kind)})
		}
	}
	for _, p := range probs {
		fmt.Fprintln(a.stderr, p.Error())
	}
	if len(probs) > 0 {
		return fail("%d input problem(s); nothing was classified", len(probs))
	}
	if err := a.notEmpty(recs, args); err != nil {
		return err
	}
	out, err := report.New(format, a.stdout)
	if err != nil {
		return fail("%v", err)
	}
	counts, err := run.Decide(ctx, recs, runner.Sink{
		Emit: func(d decision.Decision, _ []byte) error { return out.Put(report.Classified(d)) },
	})
	if err == nil {
		err = out.Close()
	}
	if err != nil {
		return fail("%v", err)
	}
	a.summary(counts, time.Since(start), run)
	if code := counts.ExitCode(failOn); code != decision.ExitOK {
		return &exitError{code: code}
	}
	return nil
}
