package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/spf13/cobra"

	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/record"
	"github.com/chipcheck/chipcheck/internal/runner"
)

// classified is the per-chip output of `classify` (CONTRACT.md).
type classified struct {
	ID        string            `json:"id"`
	Name      string            `json:"name"`
	ECCN      string            `json:"eccn"`
	Paragraph string            `json:"paragraph,omitempty"`
	TPP       *float64          `json:"tpp"`
	PD        *float64          `json:"pd"`
	Reasons   []decision.Reason `json:"reasons"`
}

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
	return cmd
}

func (a *app) runClassify(cmd *cobra.Command, args []string) error {
	ctx := cmd.Context()
	start := time.Now()
	format, err := a.outputFormat(cmd, "table", "json", "jsonl")
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
	recs, probs := run.Read(ctx, runner.ReadOptions{Kind: record.KindChip, Format: a.v.GetString("input_format"), Stdin: a.stdin}, args...)
	for _, p := range probs {
		fmt.Fprintln(a.stderr, p.Error())
	}
	if len(probs) > 0 {
		return fail("%d input problem(s); nothing was classified", len(probs))
	}
	var out []classified
	counts, err := run.Decide(ctx, recs, runner.Sink{
		Emit: func(d decision.Decision, _ []byte) error {
			c := classified{ID: d.ID, Reasons: d.Reasons}
			if d.Kind != record.KindChip {
				return fmt.Errorf("%s:%d: %s is a %s record; classify takes chip records", d.Source.File, d.Source.Line, d.ID, d.Kind)
			}
			if len(d.Items) == 1 {
				it := d.Items[0]
				c.Name, c.ECCN, c.Paragraph, c.TPP, c.PD = it.Name, it.ECCN, it.Paragraph, it.TPP, it.PD
			} else {
				c.ECCN = "unknown"
			}
			out = append(out, c)
			return nil
		},
	})
	if err != nil {
		return fail("%v", err)
	}
	if err := a.printClassified(format, out); err != nil {
		return fail("%v", err)
	}
	a.summary(counts, time.Since(start))
	if code := counts.ExitCode(failOn); code != decision.ExitOK {
		return &exitError{code: code}
	}
	return nil
}

func (a *app) printClassified(format string, cs []classified) error {
	switch format {
	case "json":
		if cs == nil {
			cs = []classified{}
		}
		return a.writeJSON(cs, true)
	case "jsonl":
		for _, c := range cs {
			if err := a.writeJSON(c, false); err != nil {
				return err
			}
		}
		return nil
	}
	tw := table.NewWriter()
	tw.SetStyle(table.StyleLight)
	tw.AppendHeader(table.Row{"ID", "Name", "ECCN", "TPP", "PD", "Why"})
	for _, c := range cs {
		why := make([]string, len(c.Reasons))
		for i, r := range c.Reasons {
			why[i] = r.Message
		}
		tw.AppendRow(table.Row{c.ID, c.Name, c.ECCN, fig(c.TPP), fig(c.PD), strings.Join(why, "\n")})
	}
	return a.writeTable(tw)
}

func fig(f *float64) string {
	if f == nil {
		return "-"
	}
	return fmt.Sprintf("%g", *f)
}
