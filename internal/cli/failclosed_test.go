package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chipcheck/chipcheck/bench/book"
)

// The fail-closed promises, tried as a user or an attacker would: each of
// these once said allow, exit 0.

// writeFile writes text to a new file in dir and returns its path.
func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// allowOrder is internal/cli/testdata/allow.yaml with one line replaced.
func allowOrder(t *testing.T, old, new string) string {
	t.Helper()
	b, err := os.ReadFile(cliData(t, "allow.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("allow.yaml has no %q", old)
	}
	return writeFile(t, t.TempDir(), "order.yaml", strings.Replace(string(b), old, new, 1))
}

func TestFailClosedInputs(t *testing.T) {
	csv := "kind,id,date,ship_from,destination,parties.buyer.name,parties.buyer.headquarter,items.sku,items.quantity,items.catalog\n" +
		"order,SO-1,2026-11-20,US,DE,Acme GmbH,CN,H100,1,nvidia-h100-sxm5-80gb\n"
	tests := []struct {
		name  string
		file  func(t *testing.T) string
		extra []string
		want  string // on stderr
	}{
		{"misspelt key", func(t *testing.T) string {
			return allowOrder(t, "headquarters: DE}", "headquarters: DE, ultimate_parnet: {name: X, headquarters: CN}}")
		}, nil, `parties.buyer.ultimate_parnet: unknown field "ultimate_parnet"; did you mean "ultimate_parent"?`},
		{"unknown CSV column", func(t *testing.T) string { return writeFile(t, t.TempDir(), "o.csv", csv) },
			nil, `parties.buyer.headquarter: unknown field "headquarter"; did you mean "headquarters"?`},
		{"fractional quantity", func(t *testing.T) string { return allowOrder(t, "quantity: 16", "quantity: 1.5") },
			nil, "items.0.quantity: must be a whole number, got 1.5"},
		{"date typo, year 0026", func(t *testing.T) string { return allowOrder(t, "date: 2026-11-20", "date: 0026-11-20") },
			nil, "date: 0026-11-20 is outside 2000-01-01 to"},
		{"catalog and inline figures", func(t *testing.T) string {
			return allowOrder(t, "catalog: nvidia-h100-sxm5-80gb}", "chip: {catalog: nvidia-h20, performance: [{format: fp8, bits: 8, tops: 2000}]}}")
		}, nil, `items.0.chip.performance: given with catalog "nvidia-h20"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := cliRun(t, "", cliCheckArgs(t, append(tt.extra, "-q", "--fail-on", "none", tt.file(t))...)...)
			if r.code != 3 || r.stdout != "" || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want 3, nothing decided, and %q", r.code, r.stdout, r.stderr, tt.want)
			}
		})
	}
	// An explicit --as-of judges a record of any date under the rules of
	// that date: the date bound guards against typos, not old records.
	r := cliRun(t, "", cliCheckArgs(t, "-q", "-o", "jsonl", "--fail-on", "none", "--as-of", "2026-11-20", allowOrder(t, "date: 2026-11-20", "date: 1999-12-31"))...)
	if r.code != 0 || len(cliJSONL(t, r.stdout)) != 1 {
		t.Errorf("--as-of with an old date: exit %d, %s %s", r.code, r.stdout, r.stderr)
	}
}

// A record the policy cannot judge is reported and the run exits 3, even
// with --fail-on none: chipcheck could not do its job.
func TestEvaluationErrorExits3(t *testing.T) {
	root := repoRoot(t)
	pol := t.TempDir()
	if err := os.CopyFS(pol, os.DirFS(filepath.Join(root, "policies"))); err != nil {
		t.Fatal(err)
	}
	flags := filepath.Join(pol, "chipcheck", "flags", "flags.rego")
	b, err := os.ReadFile(flags)
	if err != nil {
		t.Fatal(err)
	}
	// A policy edit that fails at evaluation: a division by zero for any
	// order with a red flag.
	broken := strings.Replace(string(b), "some code in input.red_flags", "some code in input.red_flags\n\t1 / (count(input.red_flags) - count(input.red_flags)) > 0", 1)
	if broken == string(b) {
		t.Fatal("flags.rego changed: update the test")
	}
	writeFile(t, filepath.Dir(flags), "flags.rego", broken)
	order := allowOrder(t, "end_use: {codes: [ai_training]}", "end_use: {codes: [ai_training]}\nred_flags: [cash_payment]")
	for _, failOn := range []string{"none", "deny", "review"} {
		r := cliRun(t, "", "check", "--policies", pol, "--rules", filepath.Join(root, "rules"), "-o", "jsonl", "--fail-on", failOn, order)
		ds := cliJSONL(t, r.stdout)
		if r.code != 3 || len(ds) != 1 || ds[0].Decision != "review" || ds[0].Reasons[0].Rule != "CHIPCHECK-EVAL-ERROR" {
			t.Errorf("--fail-on %s: exit %d, %s; want 3 and a review saying CHIPCHECK-EVAL-ERROR", failOn, r.code, r.stdout)
		}
		if !strings.Contains(r.stderr, "1 could not be judged") {
			t.Errorf("--fail-on %s: the summary does not say a record could not be judged: %q", failOn, r.stderr)
		}
	}
}

// A policy package deleted, or a stage emptied, is refused by every
// command that loads the policies: check, verify and rules.
func TestMissingStageRefused(t *testing.T) {
	root := repoRoot(t)
	pol := t.TempDir()
	if err := os.CopyFS(pol, os.DirFS(filepath.Join(root, "policies"))); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"party.rego", "party_test.rego"} {
		if err := os.Remove(filepath.Join(pol, "chipcheck", "party", f)); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{
		{"check", cliData(t, "allow.yaml")}, {"verify"}, {"rules"},
	} {
		r := cliRun(t, "", append(args, "--policies", pol, "--rules", filepath.Join(root, "rules"))...)
		if r.code != 3 || !strings.Contains(r.stderr, "data.chipcheck.party.requirements") {
			t.Errorf("%s without the party stage: exit %d, stderr %q; want 3 naming the missing stage", args[0], r.code, r.stderr)
		}
	}
}

// A party with nothing to screen is reviewed, never skipped.
func TestBlankPartyNameReviewed(t *testing.T) {
	for _, name := range []string{`""`, `"  "`, `"-- ., --"`} {
		order := allowOrder(t, "name: Rheinwerk Rechenzentrum GmbH", "name: "+name)
		r := cliRun(t, "", cliCheckArgs(t, "-q", "-o", "jsonl", "--fail-on", "none", order)...)
		ds := cliJSONL(t, r.stdout)
		if r.code != 0 || len(ds) != 1 || ds[0].Decision != "review" || !strings.Contains(r.stdout, "SCREEN-NO-NAME") {
			t.Errorf("buyer named %s: exit %d, %s; want review SCREEN-NO-NAME", name, r.code, r.stdout)
		}
	}
}

// Configuration is never read silently: an unknown key is refused with
// its line, and the summary names the file a run read.
func TestConfigFileStrictAndNamed(t *testing.T) {
	dir := t.TempDir()
	cfg := writeFile(t, dir, "chipcheck.yaml", "output: jsonl\nfail_onn: none\nlists:\n  dirr: /x\n")
	r := cliRun(t, "", cliCheckArgs(t, "--config", cfg, cliData(t, "allow.yaml"))...)
	for _, want := range []string{cfg + `:2: fail_onn: unknown key; did you mean "fail_on"?`, cfg + `:4: lists.dirr: unknown key; did you mean "lists.dir"?`} {
		if r.code != 3 || !strings.Contains(r.stderr, want) {
			t.Errorf("exit %d, stderr %q; want 3 and %q", r.code, r.stderr, want)
		}
	}
	cfg = writeFile(t, dir, "chipcheck.yaml", "fail_on: none\n")
	r = cliRun(t, "", cliCheckArgs(t, "--config", cfg, "-o", "jsonl", cliData(t, "deny.yaml"))...)
	if r.code != 0 || !strings.Contains(r.stderr, "; config "+cfg) {
		t.Errorf("exit %d, stderr %q; want 0 (fail_on none) and the summary naming %s", r.code, r.stderr, cfg)
	}
}

// Decisions are made while the input is read, but one invalid record at
// the end of a long stdin still prints none: what was decided (more than
// the spool holds in memory) is dropped, and stdout has only the problem
// findings. The same input without the bad line prints every decision.
func TestLateProblemPrintsNothing(t *testing.T) {
	var sb strings.Builder
	o := book.Default
	o.Orders = 4000
	if err := book.Write(&sb, o); err != nil {
		t.Fatal(err)
	}
	good := sb.String()
	bad := good + `{"kind":"order","id":"LATE","date":"2026-11-20","destination":"DE","items":[{"sku":"x","quantity":-1,"catalog":"nvidia-h20"}]}` + "\n"
	args := cliCheckArgs(t, "-q", "-o", "jsonl", "--fail-on", "none", "--as-of", "2026-11-20", "-")
	r := cliRun(t, bad, args...)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	onlyProblems := len(lines) == 2
	for _, l := range lines {
		onlyProblems = onlyProblems && strings.HasPrefix(l, `{"problem":`)
	}
	if r.code != 3 || !onlyProblems || !strings.Contains(r.stderr, "<stdin>:4001: items.0.quantity") {
		t.Errorf("exit %d, stdout %.300q, stderr %q; want 3, the two problems and no decision, the late problem", r.code, r.stdout, r.stderr)
	}
	r = cliRun(t, good, args...)
	if r.code != 0 || strings.Count(r.stdout, "\n") != 4000 {
		t.Errorf("valid input: exit %d, %d lines, stderr %q", r.code, strings.Count(r.stdout, "\n"), r.stderr)
	}
}
