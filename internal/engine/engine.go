// Package engine evaluates a compiled policy: it prepares each query once
// and caches results by a key that identifies their input exactly. It knows
// nothing of orders, records or output; a domain package declares its
// queries and builds their inputs and keys.
package engine

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/chipcheck/chipcheck/internal/policy"
)

// Query is a Rego query a domain evaluates, by name.
type Query struct {
	Name string
	Text string // e.g. "data.chipcheck.place.facts"
}

// Convert turns a query's result (nil when undefined) into the value callers
// use; the cache keeps the converted value, so it runs once per key.
type Convert func(result any) (any, error)

// Evaluator is what a domain evaluates with: the Engine, or, in benchmarks
// and tests, an evaluator without preparation or caches.
type Evaluator interface {
	// Eval evaluates the named query on the input that input builds. key,
	// when not nil, must identify that input exactly: a later call with
	// the same key may return the same value without calling input.
	Eval(ctx context.Context, query string, key []byte, input func() ast.Value, convert Convert) (any, error)
}

// Options configure an Engine.
type Options struct {
	Policy  *policy.Policy
	Queries []Query
	// VerifyCache re-evaluates every cache hit and reports a difference
	// as an error: a check (on in the tests) that every key carries
	// everything its query reads. It removes the speed-up.
	VerifyCache bool
}

// Engine evaluates prepared queries with per-query caches. It is safe for
// concurrent use.
type Engine struct {
	queries map[string]*prepared
	verify  bool
}

type prepared struct {
	name         string
	pq           rego.PreparedEvalQuery
	cache        Cache[entry]
	hits, misses atomic.Int64
	missTime     atomic.Int64 // nanoseconds spent evaluating misses
}

// entry is a cached result, converted, and as the policy gave it when
// hits are verified.
type entry struct {
	raw, val any
}

// New prepares every query against the policy. A query that does not
// prepare is an error.
func New(ctx context.Context, opts Options) (*Engine, error) {
	if opts.Policy == nil {
		return nil, fmt.Errorf("engine: no policy")
	}
	e := &Engine{queries: make(map[string]*prepared, len(opts.Queries)), verify: opts.VerifyCache}
	for _, q := range opts.Queries {
		pq, err := rego.New(
			rego.Query(q.Text),
			rego.Compiler(opts.Policy.Compiler()),
			rego.Store(opts.Policy.Store()),
			rego.StrictBuiltinErrors(true),
		).PrepareForEval(ctx)
		if err != nil {
			return nil, fmt.Errorf("engine: prepare %s (%s): %w", q.Name, q.Text, err)
		}
		e.queries[q.Name] = &prepared{name: q.Name, pq: pq}
	}
	return e, nil
}

// Eval implements Evaluator.
func (e *Engine) Eval(ctx context.Context, query string, key []byte, input func() ast.Value, convert Convert) (any, error) {
	q := e.queries[query]
	if q == nil {
		return nil, fmt.Errorf("engine: no query %q", query)
	}
	if key != nil {
		if ent, ok := q.cache.Get(key); ok {
			q.hits.Add(1)
			if e.verify {
				if err := q.verifyHit(ctx, key, ent, input()); err != nil {
					return nil, err
				}
			}
			return ent.val, nil
		}
	}
	q.misses.Add(1)
	start := time.Now()
	raw, err := q.eval(ctx, input())
	q.missTime.Add(int64(time.Since(start)))
	if err != nil {
		return nil, err
	}
	val := raw
	if convert != nil {
		if val, err = convert(raw); err != nil {
			return nil, fmt.Errorf("%s: %w", q.name, err)
		}
	}
	if key != nil {
		ent := entry{val: val}
		if e.verify {
			ent.raw = raw // kept only to compare with fresh evaluations
		}
		q.cache.Put(string(key), ent)
	}
	return val, nil
}

func (q *prepared) eval(ctx context.Context, in ast.Value) (any, error) {
	rs, err := q.pq.Eval(ctx, rego.EvalParsedInput(in))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", q.name, err)
	}
	return Single(rs), nil
}

// verifyHit re-evaluates a cache hit and fails if the fresh result differs.
func (q *prepared) verifyHit(ctx context.Context, key []byte, cached entry, in ast.Value) error {
	fresh, err := q.eval(ctx, in)
	if err != nil {
		return err
	}
	if string(AppendKey(nil, fresh)) != string(AppendKey(nil, cached.raw)) {
		return fmt.Errorf("%s: the cached result differs from a fresh evaluation of the same key %q", q.name, key)
	}
	return nil
}

// Stat is one query's cache use.
type Stat struct {
	Query        string
	Hits, Misses int64
	// MissTime is the time spent building inputs for and evaluating the
	// misses.
	MissTime time.Duration
}

// Stats reports, per query, how many evaluations the cache saved and how
// many it could not.
func (e *Engine) Stats() []Stat {
	out := make([]Stat, 0, len(e.queries))
	for _, q := range e.queries {
		out = append(out, Stat{Query: q.name, Hits: q.hits.Load(), Misses: q.misses.Load(), MissTime: time.Duration(q.missTime.Load())})
	}
	return out
}

// Single is the value of a result set with one result of one expression,
// nil otherwise (an undefined query).
func Single(rs rego.ResultSet) any {
	if len(rs) != 1 || len(rs[0].Expressions) != 1 {
		return nil
	}
	return rs[0].Expressions[0].Value
}

// maxCacheEntries bounds each generation of each cache. A cached result
// takes about 2 KiB, and a million-order book has hundreds of thousands
// of distinct projections for the busiest stages, so the bound is what
// keeps memory flat however long the input (docs/performance.md); two
// generations keep the projections in use while the rare ones age out.
const maxCacheEntries = 8192

// Cache is a concurrent map of results in two generations: when the
// current one is full it becomes the old one, and a hit in the old one
// moves the entry back, so a bounded cache keeps what is in use.
type Cache[V any] struct {
	// Size bounds each generation (entries); 0 means maxCacheEntries.
	Size     int
	mu       sync.RWMutex
	m, older map[string]V
}

// Get looks key up without converting it to a string (no allocation).
func (c *Cache[V]) Get(key []byte) (V, bool) {
	c.mu.RLock()
	v, ok := c.m[string(key)]
	if !ok {
		v, ok = c.older[string(key)]
		if ok {
			c.mu.RUnlock()
			c.Put(string(key), v)
			return v, true
		}
	}
	c.mu.RUnlock()
	return v, ok
}

func (c *Cache[V]) size() int {
	if c.Size > 0 {
		return c.Size
	}
	return maxCacheEntries
}

// Put stores v under key.
func (c *Cache[V]) Put(key string, v V) {
	c.mu.Lock()
	if c.m == nil {
		c.m = make(map[string]V, 256)
	} else if _, ok := c.m[key]; !ok && len(c.m) >= c.size() {
		c.older, c.m = c.m, make(map[string]V, c.size())
	}
	c.m[key] = v
	c.mu.Unlock()
}
