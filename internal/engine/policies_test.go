package engine

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chipcheck/chipcheck/internal/rules"
)

// minCoverage is the line coverage every policy file must keep.
const minCoverage = 90.0

// TestPolicies runs the Rego unit tests of policies/ against the rule data
// of rules/ (as `chipcheck verify --coverage` does), fails on any failing
// test, and reports and enforces line coverage per policy file.
func TestPolicies(t *testing.T) {
	rs, err := rules.LoadDir("../../rules")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Test(context.Background(), TestOptions{PolicyDir: "../../policies", Rules: rs, Coverage: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Results {
		if r.Error != "" || r.Fail {
			t.Errorf("%s:%d %s.%s failed %s", r.File, r.Line, r.Package, r.Name, r.Error)
		}
	}
	t.Logf("%d Rego tests passed, %d failed, %d skipped; coverage %.2f%%", rep.Passed, rep.Failed+rep.Errored, rep.Skipped, rep.Coverage)
	for _, f := range rep.Files {
		t.Logf("coverage %6.2f%% %s", f.Coverage, f.File)
		if f.Coverage < minCoverage && f.Covered+f.Missed > 0 {
			t.Errorf("%s: line coverage %.2f%% is below %.0f%%", f.File, f.Coverage, minCoverage)
		}
	}
}

// TestEveryPolicyHasTests checks that every policy file with rules has a
// _test.rego beside it.
func TestEveryPolicyHasTests(t *testing.T) {
	err := filepath.WalkDir("../../policies", func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".rego") || strings.HasSuffix(p, "_test.rego") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if !strings.Contains(string(b), " if ") && !strings.Contains(string(b), " := ") {
			return nil // no rules (the empty whole-order stage)
		}
		test := strings.TrimSuffix(p, ".rego") + "_test.rego"
		if _, err := os.Stat(test); err != nil {
			t.Errorf("%s has no %s", p, filepath.Base(test))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
