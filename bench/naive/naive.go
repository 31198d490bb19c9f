// Package naive is the benchmarks' baseline evaluator: it evaluates every
// query as a first attempt would, with OPA's Eval (no prepared queries: each
// evaluation parses, compiles and plans its query), no caches, and rule data
// converted on every read. bench/orderbook measures the engine against it,
// and its test checks that both decide alike.
package naive

import (
	"context"
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"

	"github.com/chipcheck/chipcheck/internal/engine"
	"github.com/chipcheck/chipcheck/internal/policy"
)

// Evaluator implements engine.Evaluator without preparation or caches.
type Evaluator struct {
	pol     *policy.Policy
	store   storage.Store
	queries map[string]string
}

// New returns an evaluator of queries against pol.
func New(pol *policy.Policy, queries []engine.Query) *Evaluator {
	e := &Evaluator{pol: pol, store: inmem.NewFromObject(pol.Data()), queries: map[string]string{}}
	for _, q := range queries {
		e.queries[q.Name] = q.Text
	}
	return e
}

// Eval implements engine.Evaluator; it ignores the key.
func (e *Evaluator) Eval(ctx context.Context, query string, _ []byte, input func() ast.Value, convert engine.Convert) (any, error) {
	text, ok := e.queries[query]
	if !ok {
		return nil, fmt.Errorf("naive: no query %q", query)
	}
	rs, err := rego.New(rego.Query(text), rego.Compiler(e.pol.Compiler()), rego.Store(e.store), rego.ParsedInput(input())).Eval(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", query, err)
	}
	v := engine.Single(rs)
	if convert == nil {
		return v, nil
	}
	return convert(v)
}
