package runner

import (
	"context"
	crand "crypto/rand"
	"fmt"
	"math/rand/v2"
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
