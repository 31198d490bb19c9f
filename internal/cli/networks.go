package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/chipcheck/chipcheck/internal/networks"
	"github.com/chipcheck/chipcheck/internal/record"
	"github.com/chipcheck/chipcheck/internal/runner"
)

func (a *app) networksCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "networks FILE|DIR|- ...",
		Short: "Show the networks of linked accounts in account_activity records: members, shared evidence, totals",
		Long: `Reads account_activity records and links the accounts of the whole batch
as chipcheck check does (shared strong identifiers, rare weak identifiers,
near-duplicate prompts; rules/networks.yaml), then prints every cluster of
at least --min-size accounts, largest first: its members, the identifier
values they share, and their combined traffic and behaviour. It judges
nothing: chipcheck check gives each account its decision.

Exit codes: 0 when the records were read and linked; 3 when they could not
be (invalid input, no records unless --allow-empty).`,
		Example: `  chipcheck networks activity.jsonl -o json
  chipcheck networks activity.jsonl --min-size 10`,
		Args: cobra.MinimumNArgs(1),
		RunE: a.runNetworks,
	}
	f := cmd.Flags()
	f.StringP("output", "o", "table", "output format: table, json, jsonl")
	f.Int("min-size", 2, "smallest cluster shown")
	f.Int("evidence", 20, "shared identifier values shown per cluster, the most shared first")
	f.String("input-format", "", "format of stdin or of files without a known extension: yaml, json, jsonl or csv")
	f.Bool("allow-empty", false, "exit 0 when the input holds no record (by default nothing to link is exit 3)")
	return cmd
}

func (a *app) runNetworks(cmd *cobra.Command, args []string) error {
	ctx := cmd.Context()
	start := time.Now()
	format, err := a.outputFormat(cmd, "table", "json", "jsonl")
	if err != nil {
		return err
	}
	minSize, _ := cmd.Flags().GetInt("min-size")
	evidence, _ := cmd.Flags().GetInt("evidence")
	if minSize < 2 || evidence < 0 {
		return fail("--min-size must be at least 2 and --evidence at least 0")
	}
	opts, err := a.options()
	if err != nil {
		return err
	}
	opts.ListsDir = "" // linking screens no one
	run, err := runner.Load(ctx, opts)
	if err != nil {
		return fail("%v", err)
	}
	recs, probs := run.Read(ctx, runner.ReadOptions{Kind: networks.KindActivity, Format: a.v.GetString("input_format"), Stdin: a.stdin}, args...)
	acts := make([]*networks.Activity, 0, len(recs))
	for i := range recs {
		if act := networks.ActivityOf(&recs[i]); act != nil {
			acts = append(acts, act)
			continue
		}
		r := &recs[i]
		probs = append(probs, record.Problem{File: r.Source.File, Line: r.Source.Line, Field: "kind",
			Msg: fmt.Sprintf("%s is not an account_activity record (kind %s); networks links account_activity records", r.ID, r.Kind)})
	}
	for _, p := range probs {
		fmt.Fprintln(a.stderr, p.Error())
	}
	if len(probs) > 0 {
		return fail("%d input problem(s); nothing was linked", len(probs))
	}
	if err := a.notEmpty(recs, args); err != nil {
		return err
	}
	an, err := networks.Analyze(ctx, acts, run.Rules.Networks().Linkage)
	if err != nil {
		return fail("%v", err)
	}
	clusters := an.Clusters(minSize, evidence)
	w := bufio.NewWriter(a.stdout)
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if clusters == nil {
			clusters = []*networks.Cluster{}
		}
		err = enc.Encode(clusters)
	case "jsonl":
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		for _, c := range clusters {
			if err = enc.Encode(c); err != nil {
				break
			}
		}
	default:
		err = clusterTable(w, clusters)
	}
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		return fail("%v", err)
	}
	if !a.v.GetBool("quiet") {
		in := 0
		for _, c := range clusters {
			in += c.Size
		}
		fmt.Fprintf(a.stderr, "chipcheck: %d accounts: %d cluster(s) of at least %d holding %d accounts in %.2fs; rules %s\n",
			len(acts), len(clusters), minSize, in, time.Since(start).Seconds(), run.Policy.Origin().Rules)
	}
	return nil
}

// clusterTable is the terminal view: one row per cluster.
func clusterTable(w *bufio.Writer, cs []*networks.Cluster) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CLUSTER\tACCOUNTS\tORGS\tREQUESTS/DAY\tMEAN COT\tDENIED\tSHARED (most shared first)")
	for _, c := range cs {
		var ev []string
		for _, e := range c.Evidence[:min(3, len(c.Evidence))] {
			ev = append(ev, fmt.Sprintf("%s %s x%d", e.Identifier, e.Value, e.Accounts))
		}
		if c.PromptLinked > 0 {
			ev = append(ev, fmt.Sprintf("near-duplicate prompts x%d", c.PromptLinked))
		}
		cot := "-"
		if c.MeanCoT != nil {
			cot = fmt.Sprintf("%.2f", *c.MeanCoT)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.0f\t%s\t%d\t%s\n", c.ID, c.Size, c.DistinctOrgs, c.RequestsPerDay, cot, len(c.DeniedMembers), strings.Join(ev, "; "))
	}
	return tw.Flush()
}
