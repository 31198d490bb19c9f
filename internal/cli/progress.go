package cli

import (
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"

	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/record"
	"github.com/chipcheck/chipcheck/internal/report"
	"github.com/chipcheck/chipcheck/internal/runner"
)

// interactive reports whether stderr is a terminal a person watches: not
// piped, not under CI, not --quiet.
func (a *app) interactive() bool {
	if a.v.GetBool("quiet") || os.Getenv("CI") != "" {
		return false
	}
	f, ok := a.stderr.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// progress shows a bar on stderr for a batch that is still running after a
// second; a total of -1 means not known (a spinner with a count). The
// returned func stops and clears it.
func (a *app) progress(total int, done *atomic.Int64) func() {
	if !a.interactive() || total == 0 || total == 1 {
		return func() {}
	}
	quit := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		select {
		case <-quit:
			return
		case <-time.After(time.Second):
		}
		bar := progressbar.NewOptions(total,
			progressbar.OptionSetWriter(a.stderr),
			progressbar.OptionSetDescription("judging"),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("records"),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish(),
		)
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-quit:
				_ = bar.Set(int(done.Load()))
				_ = bar.Finish()
				return
			case <-t.C:
				_ = bar.Set(int(done.Load()))
			}
		}
	}()
	return func() {
		close(quit)
		<-finished
	}
}

// summary prints the one-line tally of a batch on stderr, and what it was
// decided with: the configuration file, policies, rules and lists.
func (a *app) summary(c decision.Counts, d time.Duration, run *runner.Runner) {
	if a.v.GetBool("quiet") {
		return
	}
	config := "none"
	if a.config != "" {
		config = a.config
	}
	fmt.Fprintf(a.stderr, "chipcheck: %s; %s; config %s\n", report.Summary(c, d.Seconds()), run.Describe(), config)
}

// notEmpty refuses a batch with nothing to judge, unless --allow-empty:
// an empty export or a wrong path must not pass as "nothing denied".
func (a *app) notEmpty(recs []record.Record, args []string) error {
	if len(recs) > 0 || a.v.GetBool("allow_empty") {
		return nil
	}
	return fail("no records found in %s; nothing was decided (--allow-empty to accept an empty input)", strings.Join(args, ", "))
}
