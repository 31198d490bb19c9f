package impact

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Formats are the report formats Write knows.
var Formats = []string{"table", "json", "markdown"}

// Write renders rep in format.
func (rep *Report) Write(w io.Writer, format string) error {
	bw := bufio.NewWriter(w)
	switch format {
	case "json":
		enc := json.NewEncoder(bw)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	case "markdown":
		rep.markdown(bw)
	case "table", "":
		rep.table(bw)
	default:
		return fmt.Errorf("-o %q: want one of %s", format, strings.Join(Formats, ", "))
	}
	return bw.Flush()
}

// Headline is the one-line summary.
func (rep *Report) Headline() string {
	return fmt.Sprintf("%d of %d records change: %d towards allow, %d towards deny, %d reasons only",
		rep.Changed, rep.Records, rep.Loosened, rep.Tightened, rep.ReasonsOnly)
}

func (c Change) where() string { return fmt.Sprintf("%s:%d", c.File, c.Line) }

func (c Change) delta() string {
	var parts []string
	for _, a := range c.Added {
		parts = append(parts, "+"+a)
	}
	for _, r := range c.Removed {
		parts = append(parts, "-"+r)
	}
	return strings.Join(parts, ", ")
}

func (rep *Report) table(w io.Writer) {
	fmt.Fprintf(w, "baseline %s (policies %s, rules %s)\n", short(rep.Baseline.Revision), rep.Baseline.Policies, rep.Baseline.Rules)
	fmt.Fprintf(w, "current  %s (policies %s, rules %s)\n", short(rep.Current.Revision), rep.Current.Policies, rep.Current.Rules)
	fmt.Fprintln(w, rep.Headline())
	if rep.Changed == 0 {
		return
	}
	fmt.Fprintln(w, "\nBY TRANSITION")
	for _, t := range rep.Transitions {
		fmt.Fprintf(w, "  %-26s %7d\n", t.Name(), t.Count)
		for _, c := range t.Examples {
			fmt.Fprintf(w, "      %s %s: %s\n", c.ID, c.where(), c.delta())
		}
	}
	fmt.Fprintln(w, "\nBY RULE                                 added removed")
	for _, r := range rep.Rules {
		fmt.Fprintf(w, "  %-36s %7d %7d\n", r.Rule, r.Added, r.Removed)
		for _, c := range r.Examples {
			fmt.Fprintf(w, "      %s %s: %s→%s\n", c.ID, c.where(), c.From, c.To)
		}
	}
}

// markdown is written for a pull-request comment: a summary, two tables,
// and the examples folded away.
func (rep *Report) markdown(w io.Writer) {
	fmt.Fprintln(w, "### chipcheck impact")
	fmt.Fprintln(w)
	fmt.Fprintf(w, "**%s.**\n\n", md(rep.Headline()))
	fmt.Fprintf(w, "Baseline `%s` (policies %s, rules %s); current `%s` (policies %s, rules %s).\n",
		short(rep.Baseline.Revision), md(rep.Baseline.Policies), md(rep.Baseline.Rules),
		short(rep.Current.Revision), md(rep.Current.Policies), md(rep.Current.Rules))
	if rep.Changed == 0 {
		return
	}
	fmt.Fprintln(w, "\n| transition | records | examples |\n|---|---:|---|")
	for _, t := range rep.Transitions {
		var ex []string
		for _, c := range t.Examples {
			ex = append(ex, "`"+md(c.ID)+"`")
		}
		fmt.Fprintf(w, "| %s | %d | %s |\n", md(t.Name()), t.Count, strings.Join(ex, " "))
	}
	fmt.Fprintln(w, "\n| rule | added on | removed from |\n|---|---:|---:|")
	for _, r := range rep.Rules {
		fmt.Fprintf(w, "| `%s` | %d | %d |\n", md(r.Rule), r.Added, r.Removed)
	}
	fmt.Fprintln(w, "\n<details><summary>Examples</summary>")
	fmt.Fprintln(w)
	for _, t := range rep.Transitions {
		fmt.Fprintf(w, "**%s**\n\n", md(t.Name()))
		for _, c := range t.Examples {
			fmt.Fprintf(w, "- `%s` (%s): %s\n", md(c.ID), md(c.where()), md(c.delta()))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "</details>")
}

// md keeps record text from breaking the Markdown around it (tables,
// code spans, HTML).
func md(s string) string {
	return strings.NewReplacer("|", `\|`, "`", "'", "<", "&lt;", ">", "&gt;", "\n", " ", "\r", " ").Replace(s)
}

func short(rev string) string {
	if len(rev) > 19 {
		return rev[:19]
	}
	return rev
}
