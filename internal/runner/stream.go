package runner

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/record"
)

// WholeBatch is a Domain whose Prepare needs every record of its kinds at
// once before any is decided (networks of accounts, applications sharing
// an identity document). Once a record of such a domain's kinds is read,
// Check holds the rest of the input and prepares and decides it only at
// the end, so decisions keep their input order and memory grows with the
// input again; an input without such records streams.
type WholeBatch interface {
	Domain
	NeedsWholeBatch() bool
}

// CheckOptions say how Check reads its input and what it does with
// records when the input has problems.
type CheckOptions struct {
	ReadOptions
	// KeepGoing decides the valid records even once a problem is found.
	// Without it, deciding stops at the first problem (reading goes on,
	// to report every one), and the caller must discard what was emitted:
	// an input with a problem decides nothing.
	KeepGoing bool
	// OnHold, if set, is called once, on the reading goroutine, when Check
	// starts holding the input for a WholeBatch domain: memory will grow
	// with the input (the CLI lifts its streaming memory limit).
	OnHold func()
}

// Check reads the records of paths as a stream (record.Stream) and
// decides them as they come: one goroutine reads, the records are parsed
// and decided by one worker per CPU, and the decisions are emitted in
// input order, so memory holds a few chunks of records rather than the
// input. It returns the counts, every input problem (sorted by file and
// line), and the first error of Emit, Encode or a domain's Prepare.
func (r *Runner) Check(ctx context.Context, co CheckOptions, sink Sink, paths ...string) (decision.Counts, record.Problems, error) {
	opts := record.Options{Kinds: r.kinds, Kind: co.Kind, Format: co.Format, Stdin: co.Stdin}
	if r.opts.AsOf == "" {
		opts.Dates = r.DateRange()
	}
	return r.pipeline(ctx, func(ctx context.Context, emit func(record.Chunk) error) error {
		return record.Stream(ctx, opts, emit, paths...)
	}, sink, co.KeepGoing, co.OnHold)
}

// Decide judges recs and emits their decisions in input order, as Check
// does for records it reads. It stops at the first error of Emit, Encode
// or a domain's Prepare. It consumes recs: each record is cleared once it
// is decided.
func (r *Runner) Decide(ctx context.Context, recs []record.Record, sink Sink) (decision.Counts, error) {
	total := len(recs)
	counts, _, err := r.pipeline(ctx, func(ctx context.Context, emit func(record.Chunk) error) error {
		for len(recs) > 0 {
			n := min(len(recs), 4096)
			c := record.Chunk{Recs: slices.Clone(recs[:n])}
			clear(recs[:n])
			recs = recs[n:]
			if err := emit(c); err != nil {
				return err
			}
		}
		return nil
	}, sink, false, nil)
	if err != nil && ctx.Err() != nil {
		err = fmt.Errorf("stopped after %d of %d records: %w", counts.Allow+counts.Review+counts.Deny, total, ctx.Err())
	}
	return counts, err
}

// job is a run of consecutive records that one worker decides.
type job struct {
	recs []record.Record
	out  chan []result
}

type result struct {
	d   decision.Decision
	b   []byte
	err error
}

// errStopped stops the reading once deciding has stopped.
var errStopped = errors.New("stopped")

// pipeline decides the chunks read calls emit with. Three stages run at
// once, joined by bounded channels: read (with its own parsers), then,
// on one goroutine in input order, the duplicate-free chunks go through
// every domain's Prepare and are cut into jobs; the workers decide and
// encode the jobs; this goroutine emits their decisions in input order.
func (r *Runner) pipeline(ctx context.Context, read func(context.Context, func(record.Chunk) error) error, sink Sink, keepGoing bool, onHold func()) (decision.Counts, record.Problems, error) {
	var counts decision.Counts
	workers := r.opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	chunks := make(chan record.Chunk, 1)
	go func() {
		defer close(chunks)
		// read's only error is emit's: deciding stopped, for a reason
		// returned below.
		_ = read(ctx, func(c record.Chunk) error {
			select {
			case chunks <- c:
				return nil
			case <-ctx.Done():
				return errStopped
			}
		})
	}()

	jobs := make(chan *job, workers)
	order := make(chan *job, 2*workers)
	var probs record.Problems
	var prepErr error
	go func() {
		defer close(jobs)
		defer close(order)
		probs, prepErr = r.sequence(ctx, chunks, workers, keepGoing, onHold, func(j *job) bool {
			select {
			case order <- j:
			case <-ctx.Done():
				return false
			}
			jobs <- j // a worker takes every job in order has, so this never waits long
			return true
		})
		if prepErr != nil {
			cancel()
		}
		for range chunks {
			// Let the reader finish.
		}
	}()

	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for j := range jobs {
				res := make([]result, len(j.recs))
				for i := range j.recs {
					if ctx.Err() != nil {
						res[i].err = ctx.Err()
						break
					}
					res[i].d = r.decide(ctx, &j.recs[i])
					if sink.Encode != nil {
						res[i].b, res[i].err = sink.Encode(res[i].d)
					}
					j.recs[i] = record.Record{}
				}
				j.out <- res
			}
		})
	}

	var emitErr error
	for j := range order {
		res := <-j.out
		for i := range res {
			if emitErr != nil {
				break
			}
			if emitErr = res[i].err; emitErr == nil {
				counts.Add(res[i].d)
				emitErr = sink.Emit(res[i].d, res[i].b)
			}
			if sink.Done != nil {
				sink.Done.Add(1)
			}
		}
		if emitErr != nil {
			cancel()
		}
	}
	wg.Wait()
	slices.SortStableFunc(probs, func(a, b record.Problem) int {
		if a.File != b.File {
			if a.File < b.File {
				return -1
			}
			return 1
		}
		return a.Line - b.Line
	})
	if len(probs) == 0 {
		probs = nil
	}
	switch {
	case prepErr != nil:
		return counts, probs, prepErr
	case emitErr != nil:
		return counts, probs, emitErr
	case parent.Err() != nil:
		return counts, probs, fmt.Errorf("stopped: %w", parent.Err())
	}
	return counts, probs, nil
}

// sequence takes the chunks in input order: it keeps their problems,
// prepares their records (each domain's Prepare, in input order, chunk
// after chunk, with the batch's record.Batch) and hands them to submit
// in jobs. After a problem, unless keepGoing, it only reads on.
func (r *Runner) sequence(ctx context.Context, chunks <-chan record.Chunk, workers int, keepGoing bool, onHold func(), submit func(*job) bool) (record.Problems, error) {
	var probs record.Problems
	batches := map[Domain]*record.Batch{}
	whole := false           // holding: a WholeBatch domain's record was read
	var held []record.Record // the rest of the input from then on
	prepare := func(recs []record.Record) error {
		byDomain := map[Domain][]*record.Record{}
		var order []Domain
		for i := range recs {
			d, ok := r.domains[recs[i].Kind]
			if !ok {
				return fmt.Errorf("%s:%d: no domain judges kind %q", recs[i].Source.File, recs[i].Source.Line, recs[i].Kind)
			}
			if _, seen := byDomain[d]; !seen {
				order = append(order, d)
			}
			byDomain[d] = append(byDomain[d], &recs[i])
		}
		for _, d := range order {
			b := batches[d]
			if b == nil {
				b = &record.Batch{}
				batches[d] = b
			}
			if err := d.Prepare(ctx, b, byDomain[d]); err != nil {
				return err
			}
			b.Chunk++
		}
		return nil
	}
	// dispatch prepares recs and cuts them into jobs small enough that
	// every worker gets some, large enough to amortise the hand-over.
	dispatch := func(recs []record.Record) error {
		if len(recs) == 0 {
			return nil
		}
		if err := prepare(recs); err != nil {
			return err
		}
		size := min(max((len(recs)+4*workers-1)/(4*workers), 1), 256)
		for len(recs) > 0 {
			n := min(size, len(recs))
			if !submit(&job{recs: recs[:n:n], out: make(chan []result, 1)}) {
				return nil
			}
			recs = recs[n:]
		}
		return nil
	}
	early, err := r.await(chunks)
	if err != nil {
		return probs, err
	}
	take := func(yield func(record.Chunk) bool) {
		for _, c := range early {
			if !yield(c) {
				return
			}
		}
		early = nil // let the chunks' records go once decided
		for c := range chunks {
			if !yield(c) {
				return
			}
		}
	}
	for c := range take {
		probs = append(probs, c.Probs...)
		if len(probs) > 0 && !keepGoing {
			held = nil
			continue
		}
		if !whole && r.needsWholeBatch(c.Recs) {
			whole = true
			if onHold != nil {
				onHold()
			}
		}
		if whole {
			held = append(held, c.Recs...)
		} else if err := dispatch(c.Recs); err != nil {
			return probs, err
		}
	}
	if len(probs) > 0 && !keepGoing {
		return probs, nil
	}
	return probs, dispatch(held)
}

// maxEarly is how many chunks (of up to 1,024 records) are read ahead
// while the lists load (Options.ListsWhileReading).
const maxEarly = 16

// await waits for what Load left loading, taking up to maxEarly chunks
// meanwhile so that reading goes on; it returns them, to be sequenced
// first. A load error is returned once it is known: no record is then
// prepared or decided.
func (r *Runner) await(chunks <-chan record.Chunk) ([]record.Chunk, error) {
	if r.loaded == nil {
		return nil, nil
	}
	var early []record.Chunk
	for len(early) < maxEarly && chunks != nil {
		select {
		case <-r.loaded:
			return early, r.loadErr
		case c, ok := <-chunks:
			if !ok {
				chunks = nil
				break
			}
			early = append(early, c)
		}
	}
	return early, r.ready()
}

// needsWholeBatch reports whether one of recs belongs to a domain that
// needs the whole input before deciding any record.
func (r *Runner) needsWholeBatch(recs []record.Record) bool {
	for i := range recs {
		if w, ok := r.domains[recs[i].Kind].(WholeBatch); ok && w.NeedsWholeBatch() {
			return true
		}
	}
	return false
}
