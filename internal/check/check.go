// Package check runs the pipeline over a batch of records: facts, then the
// engine, concurrently, emitting decisions in input order. It is what the
// `check` and `classify` commands (and later the HTTP API) share.
package check

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/engine"
	"github.com/chipcheck/chipcheck/internal/facts"
	"github.com/chipcheck/chipcheck/internal/record"
)

// Options configure a run.
type Options struct {
	Engine  *engine.Engine
	Facts   facts.Options
	Workers int // 0 = GOMAXPROCS
	// Done, if set, is incremented as records complete (for a progress bar).
	Done *atomic.Int64
	// Encode, if set, renders each decision in the worker that made it, so
	// that output formatting runs in parallel too; its result is passed to
	// emit.
	Encode func(decision.Decision) ([]byte, error)
}

// Run judges recs and calls emit with each decision (and its encoding, if
// Options.Encode is set) in input order. It stops at the first error.
func Run(ctx context.Context, opts Options, recs []record.Record, emit func(decision.Decision, []byte) error) error {
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, max(len(recs), 1))

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	type result struct {
		d   decision.Decision
		b   []byte
		err error
	}
	results := make([]*result, len(recs))
	var (
		mu      sync.Mutex
		next    int
		emitErr error
	)
	// flush emits every finished decision at the head of the queue, so
	// memory holds only those waiting for an earlier, slower record.
	flush := func() {
		for next < len(recs) && results[next] != nil && emitErr == nil {
			r := results[next]
			if emitErr = r.err; emitErr == nil {
				emitErr = emit(r.d, r.b)
			}
			results[next] = nil
			next++
		}
		if emitErr != nil {
			cancel()
		}
	}

	var idx atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(idx.Add(1) - 1)
				if i >= len(recs) || ctx.Err() != nil {
					return
				}
				r := &result{d: Decide(ctx, opts, &recs[i])}
				if opts.Encode != nil {
					r.b, r.err = opts.Encode(r.d)
				}
				mu.Lock()
				results[i] = r
				flush()
				mu.Unlock()
				if opts.Done != nil {
					opts.Done.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	if emitErr != nil {
		return emitErr
	}
	if next < len(recs) {
		return fmt.Errorf("check: stopped after %d of %d records: %w", next, len(recs), ctx.Err())
	}
	return nil
}

// Decide judges one record.
func Decide(ctx context.Context, opts Options, rec *record.Record) decision.Decision {
	switch rec.Kind {
	case record.KindOrder:
		f, err := facts.ForOrder(rec, opts.Facts)
		if err != nil {
			return failed(opts.Engine, rec, err)
		}
		return opts.Engine.DecideOrder(ctx, f)
	case record.KindChip:
		chip, err := facts.ResolveChip(rec.Chip, opts.Facts.Catalog)
		if err != nil {
			return failed(opts.Engine, rec, err)
		}
		date := opts.Facts.AsOf
		if date == "" {
			date = time.Now().UTC().Format(time.DateOnly)
		}
		return opts.Engine.DecideChip(ctx, rec, chip, date)
	}
	return failed(opts.Engine, rec, fmt.Errorf("unknown kind %q", rec.Kind))
}

func failed(e *engine.Engine, rec *record.Record, err error) decision.Decision {
	d := decision.Decision{
		ID:      rec.ID,
		Kind:    rec.Kind,
		Source:  decision.Source{File: rec.Source.File, Line: rec.Source.Line},
		Policy:  decision.Policy{Revision: e.Revision()},
		Reasons: []decision.Reason{decision.EvalError(err)},
	}
	d.Finish()
	return d
}
