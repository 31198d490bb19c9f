package cli

import (
	"fmt"
	"io"
	"math"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"

	"github.com/chipcheck/chipcheck/internal/buildinfo"
	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/report"
	"github.com/chipcheck/chipcheck/internal/runner"
)

func (a *app) checkCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "check FILE|DIR|- ...",
		Short: "Judge order, chip and account_activity records: allow, review or deny, with reasons",
		Long: `Reads order and chip records (YAML, JSON, JSONL, CSV; - for stdin),
classifies every item, determines license requirements, screens every party
against the restricted-party lists, and prints one decision per record.
Account_activity records are linked across the whole batch (shared
identifiers, near-duplicate prompts, sign-up bursts) and each account is
judged with its cluster's facts; they carry no names and are not screened.

Invalid input is reported with file:line:field and exits 3 without deciding
anything (--keep-going judges the valid records, still exit 3); so do an
input with no records (unless --allow-empty) and a record that cannot be
judged (its decision says CHIPCHECK-EVAL-ERROR), whatever --fail-on says.
Decisions are made while the input is read but printed only once all of
it is known to be valid; a run stopped by Ctrl-C or SIGTERM prints none
either (exit 3).

-o FORMAT writes to stdout, -o FORMAT=FILE to a file; repeat it for several
at once. Formats: table (80 columns), json, jsonl, csv, junit, sarif (2.1.0),
github (workflow-command annotations) and markdown (docs/reports.md). Input
problems are findings in every format but the table.`,
		Example: `  chipcheck check fixtures/orders/
  chipcheck check --lists /srv/lists orders/
  chipcheck check orders.csv -o jsonl --as-of 2026-01-10
  cat orders.jsonl | chipcheck check - -o json --fail-on deny
  chipcheck check data/ -o junit=report.xml -o sarif=chipcheck.sarif -o table
  chipcheck check data/ -o github --keep-going`,
		Args: cobra.MinimumNArgs(1),
		RunE: a.runCheck,
	}
	f := cmd.Flags()
	f.StringArrayP("output", "o", []string{report.Table}, "output FORMAT or FORMAT=FILE, repeatable; FORMAT: "+strings.Join(report.CheckFormats, ", "))
	f.String("fail-on", decision.Review, "lowest decision that makes the exit code non-zero: deny, review or none")
	f.String("as-of", "", "judge every record under the rules in force on this date (YYYY-MM-DD) instead of its own date")
	f.String("kind", "", "kind of records that carry none (e.g. every row of a CSV): order, chip, onboarding or account_activity")
	f.String("input-format", "", "format of stdin or of files without a known extension: yaml, json, jsonl or csv")
	f.String("lists", "", "directory of restricted-party list files (trade.gov CSL, OFAC SDN and non-SDN CSVs)")
	f.String("licenses", "", "license register (YAML or CSV file, or a directory of them) that claimed licenses are matched against; without one every license claim is reviewed")
	f.String("exporter", "", "the exporter chipcheck screens for (is-informed letters apply only to their addressee)")
	f.Int("workers", 0, "records judged in parallel (default: one per CPU)")
	f.Int("max-list-age", 0, "review every decision screened against a list snapshot older than this many days (config lists.max_age_days; 0: no limit)")
	f.Bool("keep-going", false, "judge the valid records when others have input problems (which are reported; the exit code is still 3)")
	f.Int("max-problems", 20, "input problems listed on stderr before a count of the rest (0: all)")
	f.Bool("allow-empty", false, "exit 0 when the input holds no record (by default nothing to judge is exit 3)")
	f.String("memory-limit", "", "soft limit on the heap, e.g. 256MiB or 2GiB (default 448MiB while streaming; GOMEMLIMIT/GOGC in the environment otherwise win)")
	addListsOnlyFlag(f)
	f.String("cpuprofile", "", "write a CPU profile to this file")
	f.Bool("verify-cache", false, "re-evaluate every cached stage result and fail on a difference (slow; for tests)")
	f.Bool("cache-stats", false, "print each query's cache hits and misses on stderr at the end")
	_ = f.MarkHidden("cpuprofile")
	_ = f.MarkHidden("cache-stats")
	_ = f.MarkHidden("verify-cache")
	return cmd
}

func (a *app) runCheck(cmd *cobra.Command, args []string) error {
	ctx := cmd.Context()
	start := time.Now()
	limit, err := memoryLimit(a.v.GetString("memory_limit"))
	if err != nil {
		return err
	}
	gcTuned := tuneGC(limit)
	if p := a.v.GetString("cpuprofile"); p != "" {
		f, err := os.Create(p)
		if err != nil {
			return fail("%v", err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return fail("%v", err)
		}
		defer pprof.StopCPUProfile()
	}
	v := a.v
	failOn := v.GetString("fail_on")
	if err := decision.CheckFailOn(failOn); err != nil {
		return fail("%v", err)
	}
	specs, err := a.outputSpecs()
	if err != nil {
		return err
	}
	if err := a.outputsAreNotInputs(specs, args); err != nil {
		return err
	}
	opts, err := a.options()
	if err != nil {
		return err
	}
	// The first records are read while the lists load; a list that
	// cannot be loaded still fails the run before anything is decided.
	opts.ListsWhileReading = true
	run, err := runner.Load(ctx, opts)
	if err != nil {
		return fail("%v", err)
	}
	meta := report.Meta{Rules: run.Policy.Rules(), FailOn: failOn, Version: buildinfo.Read().String()}
	// Decisions are made while the input is still being read; an input
	// with a problem must print none (unless --keep-going), so every
	// output is held back until the input is known to have none.
	out, err := a.openOutputs(specs, meta, true)
	if err != nil {
		return err
	}
	defer out.abandon() // after Close, nothing; before it, a tool error: nothing is printed
	keepGoing := v.GetBool("keep_going")

	var done atomic.Int64
	stop := a.progress(-1, &done)
	sink := runner.Sink{Done: &done, Emit: func(d decision.Decision, _ []byte) error { return out.Put(d) }}
	if enc := out.encoder(); enc != nil {
		// Decisions are encoded in the workers that make them.
		sink.Encode = func(d decision.Decision) ([]byte, error) { return enc.Encode(&d) }
		sink.Emit = func(_ decision.Decision, b []byte) error { return enc.PutEncoded(b) }
	}
	co := runner.CheckOptions{ReadOptions: runner.ReadOptions{Kind: v.GetString("kind"), Format: v.GetString("input_format"), Stdin: a.stdin}, KeepGoing: keepGoing}
	if gcTuned && limit == 0 {
		// A batch linked as a whole (account networks) is held in memory:
		// the streaming limit would only make the collector run without
		// end, and at GOGC=200 the heap would grow to three times the
		// input held; Go's default lets it grow to twice (a million
		// accounts: 4.1 GiB of RSS at 200, 3.7 at 100, for a few percent
		// more CPU).
		co.OnHold = func() {
			debug.SetMemoryLimit(math.MaxInt64)
			debug.SetGCPercent(100)
		}
	}
	counts, probs, err := run.Check(ctx, co, sink, args...)
	stop()
	if ctx.Err() != nil {
		return fail("interrupted after deciding %d records: no decision is printed, and output files are left as they were", done.Load())
	}
	if err != nil {
		return fail("%v", err)
	}
	decided := counts.Allow + counts.Review + counts.Deny
	if len(probs) > 0 && (!keepGoing || decided == 0) {
		// What was decided before a problem was found is dropped; the
		// machine formats report the problems alone.
		out.abandon()
		pout, err := a.openOutputs(specs, meta, false)
		if err != nil {
			return err
		}
		defer pout.abandon()
		if err := a.reportProblems(pout, probs, v.GetInt("max_problems")); err != nil {
			return fail("%v", err)
		}
		if err := pout.closeFindings(); err != nil {
			return fail("%v", err)
		}
		if keepGoing {
			return fail("%d input problem(s) and no valid record; nothing was decided", len(probs))
		}
		return fail("%d input problem(s); nothing was decided (--keep-going judges the valid records)", len(probs))
	}
	if len(probs) > 0 {
		if err := a.reportProblems(out, probs, v.GetInt("max_problems")); err != nil {
			return fail("%v", err)
		}
	} else if decided == 0 && !v.GetBool("allow_empty") {
		return fail("no records found in %s; nothing was decided (--allow-empty to accept an empty input)", strings.Join(args, ", "))
	}
	if err := out.Close(); err != nil {
		return fail("%v", err)
	}
	a.summary(counts, time.Since(start), run)
	if v.GetBool("cache-stats") {
		printCacheStats(a.stderr, run)
	}
	if len(probs) > 0 {
		return fail("%d input problem(s); the %d valid record(s) were judged (--keep-going)", len(probs), decided)
	}
	if code := counts.ExitCode(failOn); code != decision.ExitOK {
		return &exitError{code: code}
	}
	return nil
}

// tuneGC suits a streaming run, whose live heap is a few chunks of
// records plus the bounded caches (150 to 230 MiB once they are full):
// the collector runs half as often as by default, and more often rather
// than let the heap pass 448 MiB, which keeps the peak RSS near 460 MiB
// however large the input. (At 384 MiB the collector took a third of the
// CPU of a million-order run once the caches were full.) GOGC or
// GOMEMLIMIT in the environment take precedence (docs/performance.md),
// unless --memory-limit gives the limit (limit > 0). It reports whether it
// set them.
func tuneGC(limit int64) bool {
	if limit > 0 {
		debug.SetGCPercent(200)
		debug.SetMemoryLimit(limit)
		return true
	}
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetGCPercent(200)
		debug.SetMemoryLimit(448 << 20)
		return true
	}
	return false
}

// memoryLimit reads --memory-limit: a number of bytes with an optional
// KiB, MiB or GiB (or KB, MB, GB, taken as the same powers of two); ""
// is 0, no flag.
func memoryLimit(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	num, mult := s, int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1 << 10}, {"MB", 1 << 20}, {"GB", 1 << 30}, {"B", 1}} {
		if strings.HasSuffix(strings.ToUpper(s), strings.ToUpper(u.suffix)) {
			num, mult = strings.TrimSpace(s[:len(s)-len(u.suffix)]), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n <= 0 || n > math.MaxInt64/mult || n*mult < 64<<20 {
		return 0, fail("--memory-limit %q: give a size of at least 64MiB, e.g. 512MiB or 2GiB", s)
	}
	return n * mult, nil
}

// printCacheStats prints what the caches saved, per query (--cache-stats:
// for measuring a change to the stages or their keys).
func printCacheStats(w io.Writer, run *runner.Runner) {
	for _, st := range run.CacheStats() {
		if st.Hits+st.Misses > 0 {
			fmt.Fprintf(w, "cache %-36s %9d hits %9d misses %8.2fs evaluating misses\n", st.Query, st.Hits, st.Misses, st.MissTime.Seconds())
		}
	}
}
