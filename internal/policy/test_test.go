package policy

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/cover"
)

// miniPolicy has three rules of one line each; its tests cover one of them
// (and read the rule data), so its line coverage is well below 50%.
var miniPolicy = map[string]string{
	"m/m.rego": `package chipcheck.m

double(x) := 2 * x

half(x) := x / 2

big if input.n > data.rules.limits.n
`,
	"m/m_test.rego": `package chipcheck.m

test_double if double(2) == 4

test_rule_data if data.rules.limits.n == 100
`,
}

var miniFailing = map[string]string{
	"m/m.rego": miniPolicy["m/m.rego"],
	"m/m_test.rego": `package chipcheck.m

test_double if double(2) == 4

test_wrong if double(2) == 5

c := 1 if input.x

c := 2 if input.x

test_error if c with input.x as true
`,
}

func loadMini(t *testing.T, files map[string]string) *Policy {
	t.Helper()
	p, err := mini(t, files, map[string]any{"limits": map[string]any{"n": 100}})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// policyCoverage is the line coverage of miniPolicy's policy file, worked
// by hand: of its three rules (one line each) the tests run one.
const policyCoverage = 100.0 / 3

// TestTestCoverageThreshold: MinCoverage above the achieved coverage is a
// *cover.CoverageThresholdError in either format; below it, none. (The
// thresholds are far from the coverage with or without the test files.)
func TestTestCoverageThreshold(t *testing.T) {
	p := loadMini(t, miniPolicy)
	tests := []struct {
		name    string
		format  string
		min     float64
		failing bool
	}{
		{"text above", TestText, 70, true},
		{"json above", TestJSON, 70, true},
		{"text 100", TestText, 100, true},
		{"json 100", TestJSON, 100, true},
		{"text below", TestText, 20, false},
		{"json below", TestJSON, 20, false},
		{"no threshold", TestText, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out strings.Builder
			// Coverage is not asked for: MinCoverage implies it.
			sum, err := p.Test(context.Background(), TestOptions{MinCoverage: tt.min, Format: tt.format, Output: &out})
			var te *cover.CoverageThresholdError
			if tt.failing {
				if !errors.As(err, &te) {
					t.Fatalf("err = %v (%T), want *cover.CoverageThresholdError", err, err)
				}
				if te.Threshold != tt.min || te.Coverage >= tt.min {
					t.Errorf("threshold error %+v, want threshold %.2f", te, tt.min)
				}
			} else if err != nil {
				t.Fatalf("err = %v, want none", err)
			}
			if sum.Passed != 2 || sum.Bad() {
				t.Errorf("summary %+v", sum)
			}
			if (sum.Coverage != nil) != (tt.min > 0) {
				t.Errorf("coverage report %v with MinCoverage %v", sum.Coverage, tt.min)
			}
			if tt.format == TestJSON && !tt.failing {
				var rep cover.Report
				if err := json.Unmarshal([]byte(out.String()), &rep); err != nil || rep.Files["mini/m/m.rego"] == nil {
					t.Errorf("JSON coverage report %q: %v", out.String(), err)
				}
			}
			if tt.format == TestText && tt.min > 0 && !strings.Contains(out.String(), "mini/m/m.rego") {
				t.Errorf("text report names no policy file:\n%s", out.String())
			}
		})
	}
}

// TestTestCoverageExcludesTests: coverage, and the threshold it is held
// to, are of the policy files only (TestOptions.Coverage: "tests
// excluded"). The tests' own lines, all run, must not raise it: miniPolicy
// covers 1 of 3 policy lines, so a threshold of 50% fails.
func TestTestCoverageExcludesTests(t *testing.T) {
	p := loadMini(t, miniPolicy)
	for _, format := range []string{TestText, TestJSON} {
		t.Run(format, func(t *testing.T) {
			sum, err := p.Test(context.Background(), TestOptions{MinCoverage: 50, Format: format})
			if sum.Coverage == nil {
				t.Fatal("no coverage report")
			}
			for f := range sum.Coverage.Files {
				if isTest(f) {
					t.Errorf("the coverage report counts the test file %s", f)
				}
			}
			if c := sum.Coverage.Coverage; c < policyCoverage-0.01 || c > policyCoverage+0.01 {
				t.Errorf("coverage %.2f%%, want %.2f%% (1 of the policy's 3 lines)", c, policyCoverage)
			}
			var te *cover.CoverageThresholdError
			if !errors.As(err, &te) {
				t.Errorf("MinCoverage 50 with %.2f%% of the policy covered: err = %v, want *cover.CoverageThresholdError", policyCoverage, err)
			}
		})
	}
}

// TestTestCountsFailures: failing and erroring tests are counted, not
// returned as an error, and the report says which failed.
func TestTestCountsFailures(t *testing.T) {
	tests := []struct {
		name                    string
		files                   map[string]string
		opts                    TestOptions
		passed, failed, errored int
		report                  []string
	}{
		{"all pass", miniPolicy, TestOptions{Verbose: true}, 2, 0, 0, []string{"test_double", "test_rule_data"}},
		// A failure shows the expression that failed and its values.
		{"failures", miniFailing, TestOptions{}, 1, 1, 1, []string{"test_wrong: FAIL", "test_error: ERROR", "mini/m/m_test.rego:5", "double(2) == 5"}},
		{"filter", miniFailing, TestOptions{Filter: "double"}, 1, 0, 0, nil},
		{"json", miniFailing, TestOptions{Format: TestJSON}, 1, 1, 1, []string{`"name": "test_wrong"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := loadMini(t, tt.files)
			var out strings.Builder
			tt.opts.Output = &out
			sum, err := p.Test(context.Background(), tt.opts)
			if err != nil {
				t.Fatalf("Test: %v", err)
			}
			if sum.Passed != tt.passed || sum.Failed != tt.failed || sum.Errored != tt.errored {
				t.Errorf("summary %+v, want %d passed, %d failed, %d errored", sum, tt.passed, tt.failed, tt.errored)
			}
			if sum.Bad() != (tt.failed+tt.errored > 0) {
				t.Errorf("Bad() = %v", sum.Bad())
			}
			if sum.Coverage != nil {
				t.Error("a coverage report that was not asked for")
			}
			for _, w := range tt.report {
				if !strings.Contains(out.String(), w) {
					t.Errorf("report lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
}

func TestTestErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		opts  TestOptions
		want  string
	}{
		{"bad filter", miniPolicy, TestOptions{Filter: "("}, "test filter"},
		// Tests compile with the evaluation's capabilities: a test may
		// not call what a policy may not.
		{"banned built-in in a test", map[string]string{
			"m/m.rego":      miniPolicy["m/m.rego"],
			"m/m_test.rego": "package chipcheck.m\n\ntest_now if time.now_ns() > 0\n",
		}, TestOptions{}, "time.now_ns"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := loadMini(t, tt.files)
			_, err := p.Test(context.Background(), tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Test = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}
