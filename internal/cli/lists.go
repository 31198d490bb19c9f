package cli

import (
	"fmt"
	"os"
	"slices"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/lists"
	"github.com/chipcheck/chipcheck/internal/report"
	"github.com/chipcheck/chipcheck/internal/rules"
	"github.com/chipcheck/chipcheck/internal/runner"
)

func (a *app) listsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "lists",
		Short: "Restricted-party lists: search, info, update",
		Long: `Works with the US restricted-party lists as their publishers distribute
them: the trade.gov Consolidated Screening List (consolidated.csv[.gz]), the
OFAC SDN legacy CSV set (sdn.csv, add.csv, alt.csv, sdn_comments.csv) and the
OFAC consolidated non-SDN set (cons_prim.csv, cons_add.csv, cons_alt.csv,
cons_comments.csv), read from --lists DIR (config lists.dir). All three are
required unless --lists-only names the ones to use (csl, sdn, nonsdn).`,
	}
	cmd.PersistentFlags().String("lists", "", "directory of list files")
	cmd.AddCommand(a.listsSearchCmd(), a.listsInfoCmd(), a.listsUpdateCmd())
	return cmd
}

func (a *app) listsSearchCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   `search "NAME" | --batch FILE`,
		Short: "Search the lists for a name; only hits at or above the review threshold are shown",
		Long: `Searches the lists for one name, or for every row of a CSV (--batch) whose
header names a name column and, optionally, a country column; every other
column (customer_id, ...) is kept in the output. Each query gets a decision
from the screening rule (rules/screening.yaml), as check would give a party
with no licence on file: allow without a hit, the list's outcome for a hit
at or above the deny threshold on a list that restricts exports, review for
any other hit. --fail-on sets the exit code as for check (1 a deny, 2 a
review, 3 the search could not run); it is none unless given.`,
		Example: `  chipcheck lists search "Huawei Tech Co" --country CN -o json --lists /srv/lists
  chipcheck lists search --batch customers.csv -o csv --fail-on review   # header: customer_id,name,country`,
		Args: cobra.MaximumNArgs(1),
		RunE: a.runListsSearch,
	}
	f := cmd.Flags()
	f.String("country", "", "ISO 3166-1 alpha-2 country of the party (a tie-breaker)")
	f.Int("limit", 10, "most hits per query")
	f.String("batch", "", "CSV file of queries with header name,country (- for stdin)")
	f.StringP("output", "o", "table", "output format: table, json, jsonl, or csv with --batch")
	f.String("fail-on", "none", "lowest decision that makes the exit code non-zero: deny, review or none")
	addListsOnlyFlag(f)
	return cmd
}

// addListsOnlyFlag adds --lists-only, the list sets a command loads when the
// directory is not meant to hold all three.
func addListsOnlyFlag(f *pflag.FlagSet) {
	f.StringSlice("lists-only", nil, "load only these list sets (csl, sdn, nonsdn); by default all three are required")
}

func (a *app) runListsSearch(cmd *cobra.Command, args []string) error {
	format, err := a.outputFormat(cmd, append(slices.Clone(report.Formats), report.CSV)...)
	if err != nil {
		return err
	}
	batch := a.v.GetString("batch")
	if (batch == "") == (len(args) == 0) {
		return fail("give one NAME or --batch FILE")
	}
	if format == report.CSV && batch == "" {
		return fail("-o csv: with --batch only (a row per query)")
	}
	// The flag alone: check's fail_on in a config must not turn every
	// search with a hit into a failure.
	failOn, _ := cmd.Flags().GetString("fail-on")
	if err := decision.CheckFailOn(failOn); err != nil {
		return fail("%v", err)
	}
	rs, err := a.rules()
	if err != nil {
		return err
	}
	corpus, err := a.loadCorpus(rs, lists.Options{Only: a.listsOnly()})
	if err != nil {
		return err
	}
	a.warnStale(corpus)
	s, err := runner.NewSearcher(rs, corpus)
	if err != nil {
		return fail("%v", err)
	}
	judged := batch != "" || failOn != "none"
	if judged {
		// The screening policy, not Go, says what the hits amount to.
		opts, err := a.options()
		if err != nil {
			return err
		}
		if err := s.Judge(a.ctx(), opts, rs); err != nil {
			return fail("%v", err)
		}
	}
	var queries []runner.Query
	if batch != "" {
		// A bad batch is refused before anything is written.
		if queries, err = a.readQueries(batch); err != nil {
			return fail("%v", err)
		}
	}
	out, err := report.Open(format, a.stdout, report.Meta{})
	if err != nil {
		return fail("%v", err)
	}
	limit := a.v.GetInt("limit")
	var counts decision.Counts
	if batch == "" {
		hits := s.Search(args[0], a.v.GetString("country"), limit)
		for _, h := range hits {
			if err := out.Put(h); err != nil {
				return fail("%v", err)
			}
		}
		if judged {
			o, err := s.Outcome(a.ctx(), hits)
			if err != nil {
				return fail("%v", err)
			}
			counts.Add(decision.Decision{Decision: o})
		}
	}
	for _, q := range queries {
		var r report.Search
		r.Query.Name, r.Query.Country = q.Name, q.Country
		r.Hits = s.Search(q.Name, q.Country, limit)
		if r.Decision, err = s.Outcome(a.ctx(), r.Hits); err != nil {
			return fail("%v", err)
		}
		r.Input = q.Input
		counts.Add(decision.Decision{Decision: r.Decision})
		if err := out.Put(r); err != nil {
			return fail("%v", err)
		}
	}
	if err := a.close(out); err != nil {
		return err
	}
	if code := counts.ExitCode(failOn); code != decision.ExitOK {
		return &exitError{code: code}
	}
	return nil
}

// readQueries reads the CSV of a batch search from a file, or stdin for -.
func (a *app) readQueries(path string) ([]runner.Query, error) {
	if path == "-" {
		return runner.ReadQueries(a.stdin, "<stdin>")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return runner.ReadQueries(f, path)
}

func (a *app) listsInfoCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "info",
		Short: "Each loaded list: snapshot date and age, entries, files, sha256, manifest status",
		Long: `Loads the lists as check does and reports each: its snapshot date and age
in days, entries, files, sha256, and how it compares with the directory's
manifest (` + lists.ManifestName + `), which records what was last accepted there.
A load refuses a list that fell by more than a fifth since the manifest
recorded it; --accept records the lists as they are instead, for a
directory whose lists were replaced on purpose. A list older than 30 days
is reported on stderr.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, err := a.outputFormat(cmd, "table", "json")
			if err != nil {
				return err
			}
			rs, err := a.rules()
			if err != nil {
				return fail("%v", err)
			}
			corpus, err := a.loadCorpus(rs, lists.Options{Only: a.listsOnly(), Accept: a.v.GetBool("accept")})
			if err != nil {
				return err
			}
			a.warnStale(corpus)
			out, err := report.New(format, a.stdout)
			if err != nil {
				return fail("%v", err)
			}
			for _, l := range corpus.Lists {
				if err := out.Put(l); err != nil {
					return fail("%v", err)
				}
			}
			return a.close(out)
		},
	}
	f := cmd.Flags()
	f.StringP("output", "o", "table", "output format: table or json")
	f.Bool("accept", false, "record the lists as they are in the directory's manifest, even if one shrank: they were replaced on purpose")
	addListsOnlyFlag(f)
	return cmd
}

// warnStale says on stderr which lists are older than lists.StaleAfterDays.
func (a *app) warnStale(c *lists.Corpus) {
	dir := a.path("lists.dir")
	for _, l := range c.Lists {
		switch {
		case l.AgeDays < 0:
			fmt.Fprintf(a.stderr, "chipcheck: warning: %s: snapshot date unknown: run `chipcheck lists update --lists %s`\n", l.Name, dir)
		case l.AgeDays > lists.StaleAfterDays:
			fmt.Fprintf(a.stderr, "chipcheck: warning: %s snapshot %s is %d days old (more than %d): run `chipcheck lists update --lists %s`\n",
				l.Name, l.Snapshot, l.AgeDays, lists.StaleAfterDays, dir)
		}
	}
}

func (a *app) listsUpdateCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "update",
		Short: "Download the official list files into --lists DIR (atomically; refuses a list that shrank by more than half)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, err := a.outputFormat(cmd, report.Table, report.JSON)
			if err != nil {
				return err
			}
			dir := a.path("lists.dir")
			if dir == "" {
				return fail("lists update: give --lists DIR")
			}
			rs, err := a.rules()
			if err != nil {
				return fail("%v", err)
			}
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return fail("%v", err)
			}
			infos, err := runner.UpdateLists(cmd.Context(), dir, a.v.GetString("mirror"), rs)
			if err != nil {
				return fail("lists update: %v (the files in %s are unchanged)", err, dir)
			}
			out, err := report.New(format, a.stdout)
			if err != nil {
				return fail("%v", err)
			}
			for _, l := range infos {
				if err := out.Put(l); err != nil {
					return fail("%v", err)
				}
			}
			return a.close(out)
		},
	}
	cmd.Flags().String("mirror", "", "base URL of an internal mirror holding the files under their directory names")
	cmd.Flags().StringP("output", "o", "table", "output format: table or json")
	return cmd
}

// rules loads the configured rule data; any failure is exit 3.
func (a *app) rules() (*rules.Set, error) {
	opts, err := a.options()
	if err != nil {
		return nil, err
	}
	rs, err := runner.LoadRules(opts)
	if err != nil {
		return nil, fail("%v", err)
	}
	return rs, nil
}

// loadCorpus loads the lists of lists.dir with opts; any failure is exit
// 3. Warnings that did not stop the load (a manifest that could not be
// written) go to stderr.
func (a *app) loadCorpus(rs *rules.Set, opts lists.Options) (*lists.Corpus, error) {
	dir := a.path("lists.dir")
	if dir == "" {
		return nil, fail("no lists directory: give --lists DIR (or set lists.dir / CHIPCHECK_LISTS_DIR)")
	}
	c, err := runner.LoadLists(a.ctx(), dir, rs, opts)
	if err != nil {
		return nil, fail("%v", err)
	}
	for _, w := range c.Warnings {
		fmt.Fprintf(a.stderr, "chipcheck: warning: %s\n", w)
	}
	return c, nil
}
