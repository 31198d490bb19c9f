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

	"github.com/chipcheck/chipcheck/internal/facts"
	"github.com/chipcheck/chipcheck/internal/lists"
	"github.com/chipcheck/chipcheck/internal/rules"
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
cons_comments.csv), read from --lists DIR (config lists.dir).`,
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
		Example: `  chipcheck lists search "Huawei Tech Co" --country CN -o json --lists ../shared/data/lists
  chipcheck lists search --batch queries.csv -o jsonl     # CSV header: name,country`,
		Args: cobra.MaximumNArgs(1),
		RunE: a.runListsSearch,
	}
	f := cmd.Flags()
	f.String("country", "", "ISO 3166-1 alpha-2 country of the party (a tie-breaker)")
	f.Int("limit", 10, "most hits per query")
	f.String("batch", "", "CSV file of queries with header name,country (- for stdin)")
	f.StringP("output", "o", "table", "output format: table, json or jsonl")
	return cmd
}

func (a *app) runListsSearch(cmd *cobra.Command, args []string) error {
	format, err := a.outputFormat(cmd, "table", "json", "jsonl")
	if err != nil {
		return err
	}
	rs, err := rules.LoadDir(a.v.GetString("rules"))
	if err != nil {
		return fail("%v", err)
	}
	batch := a.v.GetString("batch")
	if (batch == "") == (len(args) == 0) {
		return fail("give one NAME or --batch FILE")
	}
	ix, min, err := a.loadIndex(rs)
	if err != nil {
		return err
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
		Short: "Each loaded list: files, snapshot date, entries, sha256",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, err := a.outputFormat(cmd, "table", "json")
			if err != nil {
				return err
			}
			rs, err := rules.LoadDir(a.v.GetString("rules"))
			if err != nil {
				return fail("%v", err)
			}
			corpus, err := a.loadCorpus(rs)
			if err != nil {
				return err
			}
			if format == "json" {
				return a.writeJSON(corpus.Lists, true)
			}
			tw := table.NewWriter()
			tw.SetStyle(table.StyleLight)
			tw.AppendHeader(table.Row{"List", "Snapshot", "Entries", "Files", "SHA-256", "Skipped"})
			for _, l := range corpus.Lists {
				var skipped []string
				for k, v := range l.Skipped {
					skipped = append(skipped, fmt.Sprintf("%s=%d", k, v))
				}
				slices.Sort(skipped)
				tw.AppendRow(table.Row{l.Name, l.Snapshot, l.Entries, strings.Join(l.Files, "\n"), l.SHA256, strings.Join(skipped, "\n")})
			}
			return a.writeTable(tw)
		},
	}
	cmd.Flags().StringP("output", "o", "table", "output format: table or json")
	return cmd
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
			rs, err := rules.LoadDir(a.v.GetString("rules"))
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
				fmt.Fprintf(a.stdout, "%s: %d entries, snapshot %s, sha256 %s\n", l.Name, l.Entries, l.Snapshot, l.SHA256)
			}
			return nil
		},
	}
	cmd.Flags().String("mirror", "", "base URL of an internal mirror holding the files under their directory names")
	return cmd
}

// loadCorpus loads the lists of lists.dir; any failure is exit 3.
func (a *app) loadCorpus(rs *rules.Set) (*lists.Corpus, error) {
	dir := a.v.GetString("lists.dir")
	if dir == "" {
		return nil, fail("no lists directory: give --lists DIR (or set lists.dir / CHIPCHECK_LISTS_DIR)")
	}
	c, err := lists.LoadDir(a.ctx(), dir, lists.Options{CountryCode: rs.CountryCode})
	if err != nil {
		return nil, fail("%v", err)
	}
	return c, nil
}

func (a *app) loadIndex(rs *rules.Set) (*screen.Index, float64, error) {
	opts, min, err := screen.FromRules(screen.DefaultOptions(), rs.Number)
	if err != nil {
		return nil, 0, fail("%v", err)
	}
	corpus, err := a.loadCorpus(rs)
	if err != nil {
		return nil, 0, err
	}
	ix, err := screen.NewIndex(corpus.Entries, opts)
	if err != nil {
		return nil, 0, fail("%v", err)
	}
	return ix, min, nil
}

// screener returns the party screener for check, or nil when no lists are
// configured (the policy then reports that screening did not run).
func (a *app) screener(rs *rules.Set) (facts.Screener, error) {
	if a.v.GetString("lists.dir") == "" {
		return nil, nil
	}
	ix, min, err := a.loadIndex(rs)
	if err != nil {
		return nil, err
	}
	return &screen.Screener{Index: ix, MinScore: min}, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
