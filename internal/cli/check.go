package cli

import (
	"fmt"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"strings"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"

	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/report"
	"github.com/chipcheck/chipcheck/internal/runner"
	"github.com/chipcheck/chipcheck/internal/spool"
)

func (a *app) checkCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "check FILE|DIR|- ...",
		Short: "Judge order (and chip) records: allow, review or deny, with reasons",
		Long: `Reads order and chip records (YAML, JSON, JSONL, CSV; - for stdin),
classifies every item, determines license requirements, screens every party
against the restricted-party lists, and prints one decision per record.

Invalid input is reported with file:line:field and exits 3 without deciding
anything; so do an input with no records (unless --allow-empty) and a record
that cannot be judged (its decision says CHIPCHECK-EVAL-ERROR), whatever
--fail-on says.`,
		Example: `  chipcheck check fixtures/orders/
  chipcheck check --lists /srv/lists orders/
  chipcheck check orders.csv -o jsonl --as-of 2026-01-10
  cat orders.jsonl | chipcheck check - -o json --fail-on deny`,
		Args: cobra.MinimumNArgs(1),
		RunE: a.runCheck,
	}
	f := cmd.Flags()
	f.StringP("output", "o", "table", "output format: "+strings.Join(report.Formats, ", "))
	f.String("fail-on", decision.Review, "lowest decision that makes the exit code non-zero: deny, review or none")
	f.String("as-of", "", "judge every record under the rules in force on this date (YYYY-MM-DD) instead of its own date")
	f.String("kind", "", "kind of records that carry none (e.g. every row of a CSV): order or chip")
	f.String("input-format", "", "format of stdin or of files without a known extension: yaml, json, jsonl or csv")
	f.String("lists", "", "directory of restricted-party list files (trade.gov CSL, OFAC SDN and non-SDN CSVs)")
	f.String("exporter", "", "the exporter chipcheck screens for (is-informed letters apply only to their addressee)")
	f.Int("workers", 0, "records judged in parallel (default: one per CPU)")
	f.Int("max-list-age", 0, "review every decision screened against a list snapshot older than this many days (config lists.max_age_days; 0: no limit)")
	f.Bool("allow-empty", false, "exit 0 when the input holds no record (by default nothing to judge is exit 3)")
	addListsOnlyFlag(f)
	f.String("cpuprofile", "", "write a CPU profile to this file")
	f.Bool("verify-cache", false, "re-evaluate every cached stage result and fail on a difference (slow; for tests)")
	_ = f.MarkHidden("cpuprofile")
	_ = f.MarkHidden("verify-cache")
	return cmd
}

func (a *app) runCheck(cmd *cobra.Command, args []string) error {
	ctx := cmd.Context()
	start := time.Now()
	tuneGC()
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
	// Decisions are made while the input is still being read; an input
	// with a problem must print none, so they are held back until it is
	// known to have none.
	held := spool.New(a.stdout)
	defer held.Close()
	out, err := report.New(v.GetString("output"), held)
	if err != nil {
		return fail("%v", err)
	}
	opts, err := a.options()
	if err != nil {
		return err
	}
	run, err := runner.Load(ctx, opts)
	if err != nil {
		return fail("%v", err)
	}

	var done atomic.Int64
	stop := a.progress(-1, &done)
	sink := runner.Sink{Done: &done, Emit: func(d decision.Decision, _ []byte) error { return out.Put(d) }}
	if enc, ok := out.(report.Encoder); ok {
		// Decisions are encoded in the workers that make them.
		sink.Encode = func(d decision.Decision) ([]byte, error) { return enc.Encode(&d) }
		sink.Emit = func(_ decision.Decision, b []byte) error { return enc.PutEncoded(b) }
	}
	counts, probs, err := run.Check(ctx, runner.CheckOptions{ReadOptions: runner.ReadOptions{Kind: v.GetString("kind"), Format: v.GetString("input_format"), Stdin: a.stdin}}, sink, args...)
	stop()
	if len(probs) > 0 {
		for _, p := range probs {
			fmt.Fprintln(a.stderr, p.Error())
		}
		return fail("%d input problem(s); nothing was decided", len(probs))
	}
	if err == nil && counts.Allow+counts.Review+counts.Deny == 0 && !a.v.GetBool("allow_empty") {
		return fail("no records found in %s; nothing was decided (--allow-empty to accept an empty input)", strings.Join(args, ", "))
	}
	if err == nil {
		err = out.Close()
	}
	if err == nil {
		err = held.Commit()
	}
	if err != nil {
		return fail("%v", err)
	}
	a.summary(counts, time.Since(start), run)
	if code := counts.ExitCode(failOn); code != decision.ExitOK {
		return &exitError{code: code}
	}
	return nil
}

// tuneGC suits a streaming run, whose live heap is a few chunks of
// records plus the bounded caches (about 150 MiB): the collector runs
// half as often as by default, and more often rather than let the heap
// pass 384 MiB, which keeps the peak RSS near 450 MiB however large the
// input. GOGC or GOMEMLIMIT in the environment take precedence
// (docs/performance.md).
func tuneGC() {
	if os.Getenv("GOGC") == "" && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetGCPercent(200)
		debug.SetMemoryLimit(384 << 20)
	}
}
