package runner

import (
	"context"
	crand "crypto/rand"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/record"
)

// Sink receives the decisions of a batch.
type Sink struct {
	// Emit is called with each decision, in input order, and its encoding
	// when Encode is set.
	Emit func(d decision.Decision, encoded []byte) error
	// Encode, if set, renders each decision in the worker that made it,
	// so that output formatting runs in parallel too.
	Encode func(decision.Decision) ([]byte, error)
	// Done, if set, counts decided records (for a progress bar).
	Done *atomic.Int64
}

// Decide judges recs and emits their decisions in input order. Each domain
// first computes its batch-level facts over all of its records. It stops
// at the first error of Emit, Encode or a domain's Prepare. It consumes
// recs: each record is cleared once its decision is emitted.
func (r *Runner) Decide(ctx context.Context, recs []record.Record, sink Sink) (decision.Counts, error) {
	var counts decision.Counts
	byDomain := map[Domain][]*record.Record{}
	for i := range recs {
		d, ok := r.domains[recs[i].Kind]
		if !ok {
			return counts, fmt.Errorf("%s:%d: no domain judges kind %q", recs[i].Source.File, recs[i].Source.Line, recs[i].Kind)
		}
		byDomain[d] = append(byDomain[d], &recs[i])
	}
	for d, rs := range byDomain {
		if err := d.Prepare(ctx, rs); err != nil {
			return counts, err
		}
	}

	workers := r.opts.Workers
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
			res := results[next]
			if emitErr = res.err; emitErr == nil {
				counts.Add(res.d)
				emitErr = sink.Emit(res.d, res.b)
			}
			results[next] = nil
			// The record is done with: let the collector have it now
			// rather than hold the whole batch to the end.
			recs[next] = record.Record{}
			next++
		}
		if emitErr != nil {
			cancel()
		}
	}
	var idx atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(idx.Add(1) - 1)
				if i >= len(recs) || ctx.Err() != nil {
					return
				}
				rec := &recs[i]
				res := &result{d: r.decide(ctx, rec)}
				if sink.Encode != nil {
					res.b, res.err = sink.Encode(res.d)
				}
				mu.Lock()
				results[i] = res
				flush()
				mu.Unlock()
				if sink.Done != nil {
					sink.Done.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if emitErr != nil {
		return counts, emitErr
	}
	if next < len(recs) {
		return counts, fmt.Errorf("stopped after %d of %d records: %w", next, len(recs), ctx.Err())
	}
	return counts, nil
}

// decide judges one record and says where the decision came from. A panic
// while judging it is that record's evaluation error.
func (r *Runner) decide(ctx context.Context, rec *record.Record) (d decision.Decision) {
	defer func() {
		if p := recover(); p != nil {
			d = decision.Decision{ID: rec.ID, Kind: rec.Kind, Source: decision.Source{File: rec.Source.File, Line: rec.Source.Line},
				Policy: decision.Policy{Revision: r.Policy.Revision()}, Reasons: []decision.Reason{decision.EvalError(fmt.Errorf("panic: %v", p), r.evalCitation())}}
			d.Finish()
			r.stamp(&d, rec)
		}
	}()
	d = r.domains[rec.Kind].Decide(ctx, rec)
	r.stamp(&d, rec)
	return d
}

// stamp records where d came from.
func (r *Runner) stamp(d *decision.Decision, rec *record.Record) {
	origin := r.Policy.Origin()
	d.Policy.Policies, d.Policy.Rules = origin.Policies, origin.Rules
	p := r.provenance
	p.EvaluatedAt = r.opts.Now().UTC().Format(time.RFC3339Nano)
	p.InputSHA256 = rec.Digest
	p.DecisionID = newID()
	d.Provenance = &p
	r.waivers.Apply(d, rec.Digest)
}

// ids are random sources for decision ids, each seeded from crypto/rand:
// a UUIDv7 (time-ordered, 74 random bits) without a system call per id.
var ids = sync.Pool{New: func() any {
	var seed [32]byte
	if _, err := crand.Read(seed[:]); err != nil {
		panic(fmt.Sprintf("runner: no randomness for decision ids: %v", err))
	}
	return rand.NewChaCha8(seed)
}}

func newID() string {
	r := ids.Get().(*rand.ChaCha8)
	defer ids.Put(r)
	id, err := uuid.NewV7FromReader(r)
	if err != nil {
		// ChaCha8 reads never fail.
		panic(err)
	}
	return id.String()
}

// evalCitation is the citation the policy declares for an evaluation error.
func (r *Runner) evalCitation() string {
	rule, _ := r.Policy.Rule(decision.EvalErrorRule)
	return rule.Citation
}
