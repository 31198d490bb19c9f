package cli

import (
	"slices"
	"strings"
	"time"

	"github.com/chipcheck/chipcheck/internal/report"
	"github.com/spf13/cobra"
)

// outputFormat returns -o, refused (exit 3) unless it is one of formats.
// check, classify and lists search take it from the config and environment
// too (`output: jsonl`); rules, verify and lists info have formats of their
// own, so they take only their flag.
func (a *app) outputFormat(cmd *cobra.Command, formats ...string) (string, error) {
	f := a.v.GetString("output")
	if n := cmd.Name(); n != "check" && n != "classify" && n != "search" {
		f, _ = cmd.Flags().GetString("output")
	}
	if !slices.Contains(formats, f) {
		return "", fail("-o %q: want one of %s", f, strings.Join(formats, ", "))
	}
	return f, nil
}

// asOf returns --as-of (or as_of from the config) as YYYY-MM-DD, "" when
// unset. YAML reads an unquoted date in chipcheck.yaml as a timestamp.
func (a *app) asOf() (string, error) {
	switch v := a.v.Get("as_of").(type) {
	case nil:
		return "", nil
	case time.Time:
		return v.UTC().Format(time.DateOnly), nil
	}
	s := a.v.GetString("as_of")
	if s == "" {
		return "", nil
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return "", fail("--as-of %q: want a date YYYY-MM-DD", s)
	}
	return s, nil
}

// close finishes an output; a write error is exit 3.
func (a *app) close(out report.Outputter) error {
	if err := out.Close(); err != nil {
		return fail("%v", err)
	}
	return nil
}
