package engine

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/cover"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/tester"

	"github.com/chipcheck/chipcheck/internal/rules"
)

// TestOptions select the Rego unit tests to run.
type TestOptions struct {
	PolicyDir string
	Rules     *rules.Set
	Filter    string // regular expression on test names; "" = all
	Coverage  bool
}

// TestResult is one Rego test_ rule.
type TestResult struct {
	Package  string        `json:"package"`
	Name     string        `json:"name"`
	File     string        `json:"file"`
	Line     int           `json:"line"`
	Fail     bool          `json:"fail,omitempty"`
	Error    string        `json:"error,omitempty"`
	Skip     bool          `json:"skip,omitempty"`
	Duration time.Duration `json:"duration"`
}

// FileCoverage is the line coverage of one policy file.
type FileCoverage struct {
	File     string  `json:"file"`
	Coverage float64 `json:"coverage"` // percent
	Covered  int     `json:"covered_lines"`
	Missed   int     `json:"not_covered_lines"`
}

// TestReport is the outcome of a test run.
type TestReport struct {
	Results  []TestResult   `json:"results"`
	Passed   int            `json:"passed"`
	Failed   int            `json:"failed"`
	Errored  int            `json:"errored"`
	Skipped  int            `json:"skipped"`
	Coverage float64        `json:"coverage,omitempty"` // percent over policy files, tests excluded
	Files    []FileCoverage `json:"files,omitempty"`
}

// Test runs the policy's Rego unit tests (test_ rules in *_test.rego) with
// the same compiler settings and rule data as evaluation. An error means the
// tests could not run at all (e.g. a compile error).
func Test(ctx context.Context, opts TestOptions) (*TestReport, error) {
	e, err := New(ctx, Options{PolicyDir: opts.PolicyDir, Rules: opts.Rules})
	if err != nil {
		return nil, err
	}
	compiler := ast.NewCompiler().WithStrict(true).WithCapabilities(capabilities())
	store := inmem.NewFromObjectWithOpts(e.data, inmem.OptReturnASTValuesOnRead(true))
	cov := cover.New()
	runner := tester.NewRunner().
		SetCompiler(compiler).
		SetStore(store).
		SetModules(e.modules).
		Filter(opts.Filter).
		SetTimeout(time.Minute)
	if opts.Coverage {
		runner = runner.SetCoverageQueryTracer(cov)
	}
	ch, err := runner.RunTests(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("policy tests: %w", err)
	}
	rep := &TestReport{}
	for r := range ch {
		tr := TestResult{Package: r.Package, Name: r.Name, Fail: r.Fail, Skip: r.Skip, Duration: r.Duration}
		if r.Location != nil {
			tr.File, tr.Line = r.Location.File, r.Location.Row
		}
		switch {
		case r.Error != nil:
			tr.Error = r.Error.Error()
			rep.Errored++
		case r.Skip:
			rep.Skipped++
		case r.Fail:
			rep.Failed++
		default:
			rep.Passed++
		}
		rep.Results = append(rep.Results, tr)
	}
	sort.Slice(rep.Results, func(i, j int) bool {
		a, b := rep.Results[i], rep.Results[j]
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	if opts.Coverage {
		policy := map[string]*ast.Module{}
		for f, m := range e.modules {
			if !isTest(f) {
				policy[f] = m
			}
		}
		cr := cov.Report(policy)
		covered, missed := 0, 0
		for f, fr := range cr.Files {
			if isTest(f) {
				continue // the tracer also sees the tests themselves
			}
			rep.Files = append(rep.Files, FileCoverage{File: f, Coverage: fr.Coverage, Covered: fr.CoveredLines, Missed: fr.NotCoveredLines})
			covered, missed = covered+fr.CoveredLines, missed+fr.NotCoveredLines
		}
		if covered+missed > 0 {
			rep.Coverage = 100 * float64(covered) / float64(covered+missed)
		}
		sort.Slice(rep.Files, func(i, j int) bool { return rep.Files[i].File < rep.Files[j].File })
	}
	return rep, nil
}
