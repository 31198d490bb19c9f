package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chipcheck/chipcheck/internal/decision"
)

// rulesWithWaivers copies rules/ and appends waivers to its waivers.yaml.
func rulesWithWaivers(t *testing.T, waivers string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "rules")
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(repoRoot(t), "rules"))); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "waivers.yaml")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(b), "waivers: []\n", "waivers:\n"+waivers, 1)
	if s == string(b) {
		t.Fatal("rules/waivers.yaml has no `waivers: []` line to replace")
	}
	if err := os.WriteFile(file, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

const fixtureWaivers = `
  - {id: W-16, rule: SCREEN-POSSIBLE-MATCH, party: "inspur group company limited", justification: "CMIC restricts securities; cleared", approver: "J. Doe", ticket: "COMP-16", expires: 2099-12-31}
  - {id: W-28-CMIC, rule: SCREEN-POSSIBLE-MATCH, party: "Huawei Technologies Düsseldorf GmbH", entry_id: "30947", justification: "not the CMIC entity", approver: "J. Doe", ticket: "COMP-28", expires: 2099-12-31}
  - {id: W-SDN-EXACT, rule: SCREEN-SDN, party: "Zhuhai Zhenrong Co., Ltd.", justification: "attempt", approver: "J. Doe", ticket: "COMP-11", expires: 2099-12-31}
  - {id: W-SDN-FUZZY, rule: SCREEN-SDN, party: "Beijing Xinghua Hengcheng", justification: "a different company, checked", approver: "J. Doe", ticket: "COMP-18", expires: 2099-12-31}
  - {id: W-OLD, rule: SCREEN-POSSIBLE-MATCH, party: "Presidency of Defense Industries", justification: "lapsed", approver: "J. Doe", ticket: "COMP-29", expires: 2020-01-01}
`

// TestWaiversOnFixtures: a waived finding stays on the decision, marked
// with the waiver's id; the outcome comes from the rest; a party-and-entry
// waiver leaves the party's other hits; an exact SDN hit and an expired
// waiver change nothing; policy check reports the expired and the unused.
func TestWaiversOnFixtures(t *testing.T) {
	root := repoRoot(t)
	rules := rulesWithWaivers(t, fixtureWaivers)
	args := []string{"check", "--policies", filepath.Join(root, "policies"), "--rules", rules, "--lists", filepath.Join(root, "fixtures", "lists"),
		"-o", "json", "-q", "--fail-on", "none", filepath.Join(root, "fixtures", "orders", "screening.yaml")}
	r := cliRun(t, "", args...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	byID := map[string]decision.Decision{}
	for _, d := range cliDecisions(t, r.stdout) {
		byID[d.ID] = d
	}
	waived := func(id string) map[string]string {
		out := map[string]string{}
		for _, r := range byID[id].Reasons {
			out[r.Rule+"/"+str(r.Facts["entry_id"])] = r.Waived
		}
		return out
	}
	cases := []struct {
		id, decision string
		waived       map[string]string
	}{
		{"SO-scr-16", "allow", map[string]string{"SCREEN-POSSIBLE-MATCH/30949": "W-16", "NO-LICENSE-REQUIRED/": ""}},
		{"SO-scr-28", "review", map[string]string{"SCREEN-POSSIBLE-MATCH/30947": "W-28-CMIC", "SCREEN-POSSIBLE-MATCH/5a0e0f67bbbc0e2eda6f6c70be08c1e3f2d86b35": "", "NO-LICENSE-REQUIRED/": ""}},
		{"SO-scr-11", "deny", map[string]string{"SCREEN-SDN/27063": ""}},
		{"SO-scr-18", "allow", map[string]string{"SCREEN-SDN/43195": "W-SDN-FUZZY"}},
		{"SO-scr-29", "review", map[string]string{"SCREEN-POSSIBLE-MATCH/27016": "", "NO-LICENSE-REQUIRED/": ""}},
	}
	for _, c := range cases {
		d := byID[c.id]
		got := waived(c.id)
		if d.Decision != c.decision || len(got) != len(c.waived) {
			t.Errorf("%s: %s %v, want %s %v", c.id, d.Decision, got, c.decision, c.waived)
			continue
		}
		for k, v := range c.waived {
			if got[k] != v {
				t.Errorf("%s: %s waived %q, want %q", c.id, k, got[k], v)
			}
		}
	}

	// policy check: the expired waiver, and, given the records, the ones
	// that waived nothing (the exact SDN hit is never waived).
	r = cliRun(t, "", "policy", "check", "--policies", filepath.Join(root, "policies"), "--rules", rules,
		"--lists", filepath.Join(root, "fixtures", "lists"), filepath.Join(root, "fixtures", "orders", "screening.yaml"))
	if r.code != 1 {
		t.Fatalf("policy check: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"waiver W-OLD expired on 2020-01-01 (ticket COMP-29)", "waiver W-SDN-EXACT (SCREEN-SDN, party Zhuhai Zhenrong Co., Ltd.) waived nothing"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("policy check lacks %q:\n%s", want, r.stdout)
		}
	}
	if n := strings.Count(strings.TrimSpace(r.stdout), "\n") + 1; n != 2 {
		t.Errorf("policy check: %d problems, want 2:\n%s", n, r.stdout)
	}
}

// TestWaiversRefused: a waiver of a rule that may not be waived stops
// every command (exit 3), naming the file and line.
func TestWaiversRefused(t *testing.T) {
	root := repoRoot(t)
	rules := rulesWithWaivers(t, "  - {id: W-1, rule: EAR-742.6-DEST, party: X, justification: j, approver: a, ticket: t, expires: 2099-01-01}\n")
	r := cliRun(t, "", "check", "--policies", filepath.Join(root, "policies"), "--rules", rules, "-q", filepath.Join(root, "fixtures", "orders", "destination.yaml"))
	if r.code != 3 || !strings.Contains(r.stderr, "waivers.yaml:") || !strings.Contains(r.stderr, "EAR-742.6-DEST may not be waived") {
		t.Errorf("exit %d: %s", r.code, r.stderr)
	}
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// TestWaiversFile: --waivers adds waivers from a file of their own, under
// the not_waivable list of rules/waivers.yaml; it may not change that list.
func TestWaiversFile(t *testing.T) {
	root := repoRoot(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "waivers.yaml")
	putFile(t, file, "waivers:\n  - {id: W-16, rule: SCREEN-POSSIBLE-MATCH, party: \"Inspur Group Company Limited\", justification: j, approver: a, ticket: t, expires: 2099-12-31}\n")
	args := []string{"check", "--policies", filepath.Join(root, "policies"), "--rules", filepath.Join(root, "rules"), "--lists", filepath.Join(root, "fixtures", "lists"),
		"-o", "json", "-q", "--fail-on", "none", "--waivers", file, filepath.Join(root, "fixtures", "orders", "screening.yaml")}
	r := cliRun(t, "", args...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, d := range cliDecisions(t, r.stdout) {
		if d.ID == "SO-scr-16" && (d.Decision != "allow" || d.Reasons[0].Waived != "W-16") {
			t.Errorf("SO-scr-16: %s %+v", d.Decision, d.Reasons[0])
		}
	}
	putFile(t, file, "not_waivable: []\nwaivers: []\n")
	if r := cliRun(t, "", args...); r.code != 3 || !strings.Contains(r.stderr, "only rules/waivers.yaml says which rules may not be waived") {
		t.Errorf("a waivers file with not_waivable: exit %d, %s", r.code, r.stderr)
	}
}
