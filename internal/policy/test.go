package policy

import (
	"context"
	"fmt"
	"io"
	"maps"
	"regexp"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/cover"
	"github.com/open-policy-agent/opa/v1/tester"
	"github.com/open-policy-agent/opa/v1/topdown"
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
	cov := cover.New()
	results, err := p.runTests(ctx, opts.Filter, false, cov, opts.Coverage)
	if err != nil {
		return sum, err
	}
	// Tracing, which shows the values in a failing expression, makes a run
	// several times slower: only the failures run again with it.
	var failed []string
	for _, r := range results {
		if r.Fail {
			failed = append(failed, regexp.QuoteMeta(r.Package+"."+r.Name))
		}
	}
	if len(failed) > 0 && opts.Format != TestJSON {
		traced, err := p.runTests(ctx, "^("+strings.Join(failed, "|")+")$", true, nil, false)
		if err != nil {
			return sum, err
		}
		byName := map[string]*tester.Result{}
		for _, r := range traced {
			byName[r.Package+"."+r.Name] = r
		}
		for i, r := range results {
			if t, ok := byName[r.Package+"."+r.Name]; ok && r.Fail {
				results[i] = t
			}
		}
	}
	for _, r := range results {
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

// runTests runs the tests matching filter, with tracing or not, and with
// coverage recorded into cov when coverage is set.
func (p *Policy) runTests(ctx context.Context, filter string, tracing bool, cov *cover.Cover, coverage bool) ([]*tester.Result, error) {
	modules := maps.Clone(p.modules)
	maps.Copy(modules, p.tests)
	runner := tester.NewRunner().
		// Test rules rewritten so that a failure can show the values of
		// the expression that failed.
		SetCompiler(newCompiler().WithRewriteTestRules(tracing)).
		SetStore(p.store).
		SetModules(modules).
		EnableTracing(tracing).
		Filter(filter).
		SetTimeout(time.Minute)
	if coverage {
		runner = runner.SetCoverageQueryTracer(policyOnly{cov})
	}
	ch, err := runner.RunTests(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("policy tests: %w", err)
	}
	var out []*tester.Result
	for r := range ch {
		out = append(out, r)
	}
	return out, nil
}

// policyOnly passes OPA's coverage tracer only what runs in policy files:
// the tests run too, but their own lines are not policy to cover.
type policyOnly struct{ *cover.Cover }

func (t policyOnly) TraceEvent(e topdown.Event) {
	if e.Location != nil && isTest(e.Location.File) {
		return
	}
	t.Cover.TraceEvent(e)
}

// writeCoverage prints the line coverage of each policy file and in all.
func writeCoverage(w io.Writer, r *cover.Report) {
	for _, f := range sortedKeys(r.Files) {
		fr := r.Files[f]
		fmt.Fprintf(w, "coverage %6.2f%% %s (%d of %d lines)\n", fr.Coverage, f, fr.CoveredLines, fr.CoveredLines+fr.NotCoveredLines)
	}
	fmt.Fprintf(w, "coverage %6.2f%% in all\n", r.Coverage)
}
