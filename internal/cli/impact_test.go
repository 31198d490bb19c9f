package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chipcheck/chipcheck/internal/impact"
)

// editedRules is a git repository holding a copy of the repository's
// policies/ and rules/, committed, with one rule change on top of the
// commit: Israel leaves Country Group A:6 and the UAE leaves D:4.
//
// Worked by hand on fixtures/orders/destination.yaml (2026-11-20; the
// destination set is D:1 u D:4 u D:5 minus A:5/A:6, plus MO):
//   - SO-dest-04 (H100 to AE) and SO-dest-16 (MI210 to AE): AE is then in
//     no D group, so EAR-742.6-DEST no longer applies: deny -> allow, with
//     NO-LICENSE-REQUIRED in its place (SO-dest-04 keeps the informational
//     Diffusion reason, as AE is not Diffusion-exempt).
//   - SO-dest-05 (H100 to IL): IL is in D:4 and no longer excluded by A:6:
//     EAR-742.6-DEST denies (IL is not D:5, so no HQ): allow -> deny.
//   - No other order of the file ships to, or names a party in, AE or IL.
func editedRules(t *testing.T) string {
	t.Helper()
	root := repoRoot(t)
	dir := t.TempDir()
	for _, sub := range []string{"policies", "rules"} {
		if err := os.CopyFS(filepath.Join(dir, sub), os.DirFS(filepath.Join(root, sub))); err != nil {
			t.Fatal(err)
		}
	}
	gitRun := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	gitRun("init", "-q")
	gitRun("add", "-A")
	gitRun("commit", "-q", "-m", "baseline")
	file := filepath.Join(dir, "rules", "country_groups.yaml")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for old, new := range map[string]string{
		"members: [AL, CY, IL, MT, MX, SG, TW, ZA]": "members: [AL, CY, MT, MX, SG, TW, ZA]",
		"  members: [AE, BH, BY,":                   "  members: [BH, BY,",
	} {
		if !strings.Contains(s, old) {
			t.Fatalf("rules/country_groups.yaml no longer holds %q: rework this test", old)
		}
		s = strings.Replace(s, old, new, 1)
	}
	if err := os.WriteFile(file, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// transitions maps "from→to" to the ids of its examples.
func transitions(t *testing.T, out string) (*impact.Report, map[string][]string) {
	t.Helper()
	var rep impact.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("impact -o json: %v\n%s", err, out)
	}
	got := map[string][]string{}
	for _, tr := range rep.Transitions {
		for _, c := range tr.Examples {
			got[tr.Name()] = append(got[tr.Name()], c.ID)
		}
		if tr.Count != len(got[tr.Name()]) {
			t.Errorf("%s: count %d, %d examples", tr.Name(), tr.Count, len(got[tr.Name()]))
		}
	}
	return &rep, got
}

// TestImpactRuleChangeBothDirections: a real rule change, against a git
// revision, flips known fixtures both ways, and each record says which
// reasons came and went.
func TestImpactRuleChangeBothDirections(t *testing.T) {
	root := repoRoot(t)
	edited := editedRules(t)
	orders := filepath.Join(root, "fixtures", "orders", "destination.yaml")
	lists := filepath.Join(root, "fixtures", "lists")
	r := cliRun(t, "", "impact", "--baseline", "HEAD", "--policies", filepath.Join(edited, "policies"), "--rules", filepath.Join(edited, "rules"),
		"--lists", lists, "-o", "json", "-q", orders)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	rep, got := transitions(t, r.stdout)
	want := map[string][]string{"deny→allow": {"SO-dest-04", "SO-dest-16"}, "allow→deny": {"SO-dest-05"}}
	if len(got) != len(want) || !slices.Equal(got["deny→allow"], want["deny→allow"]) || !slices.Equal(got["allow→deny"], want["allow→deny"]) {
		t.Fatalf("transitions %v, want %v", got, want)
	}
	if rep.Records != 20 || rep.Changed != 3 || rep.Loosened != 2 || rep.Tightened != 1 || rep.ReasonsOnly != 0 {
		t.Errorf("counts %+v", rep)
	}
	if !strings.Contains(rep.Baseline.Rules, "HEAD (") || rep.Baseline.Revision == rep.Current.Revision {
		t.Errorf("baseline %+v, current %+v", rep.Baseline, rep.Current)
	}
	first := rep.Transitions[0].Examples[0] // loosening first
	if first.ID != "SO-dest-04" || !slices.Equal(first.Added, []string{"NO-LICENSE-REQUIRED allow"}) || !slices.Equal(first.Removed, []string{"EAR-742.6-DEST deny"}) {
		t.Errorf("SO-dest-04: %+v", first)
	}
	rules := map[string][2]int{}
	for _, rc := range rep.Rules {
		rules[rc.Rule] = [2]int{rc.Added, rc.Removed}
	}
	if rules["EAR-742.6-DEST"] != [2]int{1, 2} || rules["NO-LICENSE-REQUIRED"] != [2]int{2, 1} || len(rules) != 2 {
		t.Errorf("by rule %v", rules)
	}

	// The same change the other way round, with a directory as baseline:
	// every transition reverses.
	r = cliRun(t, "", "impact", "--baseline", edited, "--policies", filepath.Join(root, "policies"), "--rules", filepath.Join(root, "rules"),
		"--lists", lists, "-o", "json", "-q", orders)
	if r.code != 0 {
		t.Fatalf("directory baseline: exit %d: %s", r.code, r.stderr)
	}
	_, got = transitions(t, r.stdout)
	if !slices.Equal(got["allow→deny"], want["deny→allow"]) || !slices.Equal(got["deny→allow"], want["allow→deny"]) || len(got) != 2 {
		t.Errorf("reversed: %v", got)
	}
}

// TestImpactGatesAndFormats: --fail-on-loosening and --max-changes make it
// a CI gate; markdown is a PR comment; a bad baseline is exit 3.
func TestImpactGatesAndFormats(t *testing.T) {
	root := repoRoot(t)
	edited := editedRules(t)
	base := []string{"impact", "--baseline", "HEAD", "--policies", filepath.Join(edited, "policies"), "--rules", filepath.Join(edited, "rules"),
		"--lists", filepath.Join(root, "fixtures", "lists"), "-q", filepath.Join(root, "fixtures", "orders", "destination.yaml")}
	run := func(extra ...string) cliResult { return cliRun(t, "", append(slices.Clone(base), extra...)...) }

	if r := run("--fail-on-loosening"); r.code != 1 || !strings.Contains(r.stderr, "2 record(s) move towards allow") {
		t.Errorf("--fail-on-loosening: exit %d, %s", r.code, r.stderr)
	}
	if r := run("--max-changes", "3"); r.code != 0 {
		t.Errorf("--max-changes 3: exit %d, %s", r.code, r.stderr)
	}
	if r := run("--max-changes", "2"); r.code != 1 || !strings.Contains(r.stderr, "3 records change, more than --max-changes 2") {
		t.Errorf("--max-changes 2: exit %d, %s", r.code, r.stderr)
	}
	r := run("-o", "markdown")
	for _, s := range []string{"### chipcheck impact", "**3 of 20 records change: 2 towards allow, 1 towards deny, 0 reasons only.**",
		"| deny→allow | 2 | `SO-dest-04` `SO-dest-16` |", "| allow→deny | 1 | `SO-dest-05` |", "| `EAR-742.6-DEST` | 1 | 2 |", "<details>"} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("markdown lacks %q:\n%s", s, r.stdout)
		}
	}
	r = run("-o", "table")
	if !strings.Contains(r.stdout, "deny→allow") || !strings.Contains(r.stdout, "SO-dest-05 ") {
		t.Errorf("table:\n%s", r.stdout)
	}
	for _, bad := range []string{"no-such-revision-xyz", "--help"} {
		args := slices.Clone(base)
		args[2] = bad
		if r := cliRun(t, "", args...); r.code != 3 {
			t.Errorf("--baseline %s: exit %d, %s", bad, r.code, r.stderr)
		}
	}
}
