package cli

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/chipcheck/chipcheck/internal/lists"
	"github.com/chipcheck/chipcheck/internal/rules"
	"github.com/chipcheck/chipcheck/internal/runner"
	"github.com/chipcheck/chipcheck/internal/screen"
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

// hitJSON is one search result (CONTRACT.md "Restricted-party search").
type hitJSON struct {
	Name        string   `json:"name"`
	List        string   `json:"list"`
	ListName    string   `json:"list_name"`
	Score       float64  `json:"score"`
	ID          string   `json:"id"`
	Matched     string   `json:"matched"`
	Countries   []string `json:"countries"`
	Type        string   `json:"type,omitempty"`
	Explanation string   `json:"explanation"`
}

func (a *app) listsSearchCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   `search "NAME" | --batch FILE`,
		Short: "Search the lists for a name; only hits at or above the review threshold are shown",
		Example: `  chipcheck lists search "Huawei Tech Co" --country CN -o json --lists /srv/lists
  chipcheck lists search --batch queries.csv -o jsonl     # CSV header: name,country`,
		Args: cobra.MaximumNArgs(1),
		RunE: a.runListsSearch,
	}
	f := cmd.Flags()
	f.String("country", "", "ISO 3166-1 alpha-2 country of the party (a tie-breaker)")
	f.Int("limit", 10, "most hits per query")
	f.String("batch", "", "CSV file of queries with header name,country (- for stdin)")
	f.StringP("output", "o", "table", "output format: table, json or jsonl")
	addListsOnlyFlag(f)
	return cmd
}

// addListsOnlyFlag adds --lists-only, the list sets a command loads when the
// directory is not meant to hold all three.
func addListsOnlyFlag(f *pflag.FlagSet) {
	f.StringSlice("lists-only", nil, "load only these list sets (csl, sdn, nonsdn); by default all three are required")
}

func (a *app) runListsSearch(cmd *cobra.Command, args []string) error {
	format, err := a.outputFormat(cmd, "table", "json", "jsonl")
	if err != nil {
		return err
	}
	rs, err := a.rules()
	if err != nil {
		return fail("%v", err)
	}
	batch := a.v.GetString("batch")
	if (batch == "") == (len(args) == 0) {
		return fail("give one NAME or --batch FILE")
	}
	corpus, err := a.loadCorpus(rs, lists.Options{Only: a.v.GetStringSlice("lists-only")})
	if err != nil {
		return err
	}
	a.warnStale(corpus)
	ix, min, err := runner.Index(rs, corpus)
	if err != nil {
		return fail("%v", err)
	}
	search := func(name, country string) []hitJSON {
		out := []hitJSON{}
		for _, m := range ix.Search(screen.Query{Name: name, Country: strings.ToUpper(country), Limit: a.v.GetInt("limit"), MinScore: min}) {
			e := m.Entry
			out = append(out, hitJSON{Name: e.Name, List: e.List, ListName: e.ListName, Score: m.Score, ID: e.ID,
				Matched: m.Matched, Countries: nonNil(e.Countries), Type: e.Type, Explanation: m.Explain.String()})
		}
		return out
	}
	if batch == "" {
		hits := search(args[0], a.v.GetString("country"))
		switch format {
		case "json":
			return a.writeJSON(hits, true)
		case "jsonl":
			return a.writeJSON(hits, false)
		}
		return a.hitsTable(hits)
	}
	queries, err := a.readQueries(batch)
	if err != nil {
		return fail("%v", err)
	}
	type result struct {
		Query struct {
			Name    string `json:"name"`
			Country string `json:"country"`
		} `json:"query"`
		Hits []hitJSON `json:"hits"`
	}
	var results []result
	for _, q := range queries {
		var r result
		r.Query.Name, r.Query.Country = q[0], q[1]
		r.Hits = search(q[0], q[1])
		if format == "jsonl" {
			if err := a.writeJSON(r, false); err != nil {
				return fail("%v", err)
			}
			continue
		}
		results = append(results, r)
	}
	if format == "jsonl" {
		return nil
	}
	return a.writeJSON(results, true)
}

// readQueries reads a CSV with header name,country.
func (a *app) readQueries(path string) ([][2]string, error) {
	var r io.Reader = a.stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	ni, ok := col["name"]
	if !ok {
		return nil, fmt.Errorf("%s:1: header has no name column", path)
	}
	ci, hasCountry := col["country"]
	var out [][2]string
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		var q [2]string
		if ni < len(rec) {
			q[0] = rec[ni]
		}
		if hasCountry && ci < len(rec) {
			q[1] = rec[ci]
		}
		if strings.TrimSpace(q[0]) == "" {
			return nil, fmt.Errorf("%s:%d: name: empty", path, line)
		}
		out = append(out, q)
	}
}

func (a *app) hitsTable(hits []hitJSON) error {
	if len(hits) == 0 {
		_, err := fmt.Fprintln(a.stdout, "no match at or above the review threshold")
		return err
	}
	tw := table.NewWriter()
	tw.SetStyle(table.StyleLight)
	tw.AppendHeader(table.Row{"Score", "List", "Entry", "Matched", "Countries", "Why"})
	for _, h := range hits {
		tw.AppendRow(table.Row{fmt.Sprintf("%.2f", h.Score), h.List, h.Name + " (" + h.ID + ")", h.Matched, strings.Join(h.Countries, " "), h.Explanation})
	}
	tw.SetColumnConfigs([]table.ColumnConfig{
		{Number: 3, WidthMax: 40, WidthMaxEnforcer: text.WrapSoft},
		{Number: 4, WidthMax: 30, WidthMaxEnforcer: text.WrapSoft},
		{Number: 6, WidthMax: 60, WidthMaxEnforcer: text.WrapSoft},
	})
	return a.writeTable(tw)
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
			corpus, err := a.loadCorpus(rs, lists.Options{Only: a.v.GetStringSlice("lists-only"), Accept: a.v.GetBool("accept")})
			if err != nil {
				return err
			}
			a.warnStale(corpus)
			if format == "json" {
				return a.writeJSON(corpus.Lists, true)
			}
			tw := table.NewWriter()
			tw.SetStyle(table.StyleLight)
			tw.AppendHeader(table.Row{"List", "Snapshot", "Age (days)", "Entries", "Files", "SHA-256", "Manifest", "Skipped"})
			for _, l := range corpus.Lists {
				var skipped []string
				for k, v := range l.Skipped {
					skipped = append(skipped, fmt.Sprintf("%s=%d", k, v))
				}
				slices.Sort(skipped)
				tw.AppendRow(table.Row{l.Name, l.Snapshot, l.AgeDays, l.Entries, strings.Join(l.Files, "\n"), l.SHA256, manifestText(l.Manifest), strings.Join(skipped, "\n")})
			}
			return a.writeTable(tw)
		},
	}
	f := cmd.Flags()
	f.StringP("output", "o", "table", "output format: table or json")
	f.Bool("accept", false, "record the lists as they are in the directory's manifest, even if one shrank: they were replaced on purpose")
	addListsOnlyFlag(f)
	return cmd
}

// manifestText is a list's manifest status for the info table.
func manifestText(m lists.ManifestCheck) string {
	since := ""
	if len(m.Seen) >= 10 {
		since = " since " + m.Seen[:10]
	}
	switch m.Status {
	case lists.ManifestUnchanged:
		return "unchanged" + since
	case lists.ManifestRecorded:
		return fmt.Sprintf("recorded: %d", m.Counted)
	case lists.ManifestNotSaved:
		if m.Recorded > 0 {
			return fmt.Sprintf("not saved: %d, was %d", m.Counted, m.Recorded)
		}
		return fmt.Sprintf("not saved: %d", m.Counted)
	}
	return fmt.Sprintf("%s: %d, was %d", m.Status, m.Counted, m.Recorded)
}

// warnStale says on stderr which lists are older than lists.StaleAfterDays.
func (a *app) warnStale(c *lists.Corpus) {
	dir := a.v.GetString("lists.dir")
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
			dir := a.v.GetString("lists.dir")
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
			infos, err := lists.Update(cmd.Context(), dir, lists.UpdateOptions{
				Mirror:  a.v.GetString("mirror"),
				Options: lists.Options{CountryCode: rs.CountryCode},
			})
			if err != nil {
				return fail("lists update: %v (the files in %s are unchanged)", err, dir)
			}
			for _, l := range infos {
				fmt.Fprintf(a.stdout, "%s: %d entries, snapshot %s (%d days old), sha256 %s, manifest %s\n",
					l.Name, l.Entries, l.Snapshot, l.AgeDays, l.SHA256, manifestText(l.Manifest))
			}
			return nil
		},
	}
	cmd.Flags().String("mirror", "", "base URL of an internal mirror holding the files under their directory names")
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
	dir := a.v.GetString("lists.dir")
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

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
