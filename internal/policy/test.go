package policy

import (
	"context"
	"fmt"
	"io"
	"maps"
	"regexp"
	"time"

	"github.com/open-policy-agent/opa/v1/cover"
	"github.com/open-policy-agent/opa/v1/tester"
)

// Test output formats.
const (
	TestText = "text" // OPA's pretty reporter: failures with the failing expression and its values
	TestJSON = "json" // OPA's JSON reporter; with coverage, its JSON coverage report
)

// TestOptions select and report the Rego unit tests.
type TestOptions struct {
	Filter  string // regular expression on test names; "" = all
	Verbose bool   // list every test, not only failures
	// Coverage reports line coverage of the policy files (tests excluded);
	// MinCoverage (percent) fails the run below it.
	Coverage    bool
	MinCoverage float64
	Format      string    // TestText or TestJSON
	Output      io.Writer // where the report goes; nil discards it
}

// TestSummary counts a test run.
type TestSummary struct {
	Passed, Failed, Errored, Skipped int
	// Coverage is OPA's coverage report of the policy files, when asked for.
	Coverage *cover.Report
}

// Bad reports whether any test failed or could not run.
func (s TestSummary) Bad() bool { return s.Failed+s.Errored > 0 }

// Test runs the policies' Rego unit tests (test_ rules in *_test.rego) with
// the compiler settings and rule data of evaluation, and reports them with
// OPA's own reporters. The error is non-nil when the tests could not run at
// all, or when coverage is below opts.MinCoverage (a
// *cover.CoverageThresholdError); failing tests are counted in the summary.
func (p *Policy) Test(ctx context.Context, opts TestOptions) (TestSummary, error) {
	var sum TestSummary
	if opts.Filter != "" {
		if _, err := regexp.Compile(opts.Filter); err != nil {
			return sum, fmt.Errorf("test filter: %w", err)
		}
	}
	if opts.Output == nil {
		opts.Output = io.Discard
	}
	opts.Coverage = opts.Coverage || opts.MinCoverage > 0
	modules := maps.Clone(p.modules)
	maps.Copy(modules, p.tests)
	cov := cover.New()
	runner := tester.NewRunner().
		// Test rules rewritten so that a failure can show the values of
		// the expression that failed.
		SetCompiler(newCompiler().WithRewriteTestRules(true)).
		SetStore(p.store).
		SetModules(modules).
		EnableTracing(true).
		Filter(opts.Filter).
		SetTimeout(time.Minute)
	if opts.Coverage {
		runner = runner.SetCoverageQueryTracer(cov)
	}
	ch, err := runner.RunTests(ctx, nil)
	if err != nil {
		return sum, fmt.Errorf("policy tests: %w", err)
	}
	// Count the results, then hand them to the reporter.
	var results []*tester.Result
	for r := range ch {
		switch {
		case r.Error != nil:
			sum.Errored++
		case r.Skip:
			sum.Skipped++
		case r.Fail:
			sum.Failed++
		default:
			sum.Passed++
		}
		results = append(results, r)
	}
	replay := make(chan *tester.Result, len(results))
	for _, r := range results {
		replay <- r
	}
	close(replay)

	var rep tester.Reporter = tester.PrettyReporter{Output: opts.Output, Verbose: opts.Verbose, FailureLine: true, LocalVars: true}
	if opts.Format == TestJSON {
		rep = tester.JSONReporter{Output: opts.Output}
	}
	if opts.Coverage {
		r := cov.Report(p.modules)
		sum.Coverage = &r
		if opts.Format == TestJSON && !sum.Bad() {
			// OPA's coverage reporter: the report, or the threshold error.
			return sum, tester.JSONCoverageReporter{Cover: cov, Modules: p.modules, Output: opts.Output, Threshold: opts.MinCoverage}.Report(replay)
		}
	}
	if err := rep.Report(replay); err != nil {
		return sum, err
	}
	if sum.Coverage != nil && opts.Format != TestJSON {
		writeCoverage(opts.Output, sum.Coverage)
	}
	if sum.Coverage != nil && sum.Coverage.Coverage < opts.MinCoverage {
		return sum, &cover.CoverageThresholdError{Coverage: sum.Coverage.Coverage, Threshold: opts.MinCoverage}
	}
	return sum, nil
}

// writeCoverage prints the line coverage of each policy file and in all.
func writeCoverage(w io.Writer, r *cover.Report) {
	for _, f := range sortedKeys(r.Files) {
		fr := r.Files[f]
		fmt.Fprintf(w, "coverage %6.2f%% %s (%d of %d lines)\n", fr.Coverage, f, fr.CoveredLines, fr.CoveredLines+fr.NotCoveredLines)
	}
	fmt.Fprintf(w, "coverage %6.2f%% in all\n", r.Coverage)
}
