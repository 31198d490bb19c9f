package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/open-policy-agent/opa/v1/ast"
)

// An order is judged in stages (policies/README.md): each stage is one Rego
// package that sees a small, name-free projection of the order and returns
// requirements and reasons. A stage's result depends only on its
// projection, so the engine evaluates each distinct projection once and
// reuses the result; an order book then costs a few cache look-ups per
// order instead of a full policy evaluation.
const (
	stageDestination = "destination"
	stageParty       = "party"
	stageEndUse      = "end_use"
	stageLetters     = "letters"
	stageOrder       = "order" // the whole order, never cached
	stageCoverage    = "coverage"
	stageClaims      = "claims"
	stageClearance   = "clearance"
	stageLine        = "line"
	stageFlags       = "flags"
	stageScreening   = "screening"
)

// stageDef says where a stage's rules are: the package, and the rule sets
// that hold its requirements and its reasons ("" for none).
type stageDef struct {
	name, pkg, requirements, reasons string
	view                             string // the item view it sees (data.chipcheck.item), "" for none
}

var stageDefs = []stageDef{
	{stageDestination, "destination", "requirements", "reasons", "destination"},
	{stageParty, "party", "requirements", "reasons", "party"},
	{stageEndUse, "end_use", "requirements", "reasons", ""},
	{stageLetters, "letters", "requirements", "reasons", "letters"},
	{stageOrder, "order", "requirements", "reasons", ""},
	{stageCoverage, "authorization", "", "coverage", "authorization"},
	{stageClaims, "authorization", "", "claims", "authorization"},
	{stageClearance, "authorization", "", "clearance", "destination"},
	{stageLine, "line", "", "reasons", "line"},
	{stageFlags, "flags", "", "reasons", ""},
	{stageScreening, "screening", "", "reasons", ""},
}

// itemViews are the views of data.chipcheck.item's judgments the stages use.
var itemViews = []string{"destination", "party", "letters", "authorization", "review", "line"}

// maxCacheEntries bounds each cache; past it the cache starts over, which
// costs speed, never correctness.
const maxCacheEntries = 200_000

// cache is a concurrent map of results that starts over when full.
type cache[V any] struct {
	mu sync.RWMutex
	m  map[string]V
}

func (c *cache[V]) get(key string) (V, bool) {
	c.mu.RLock()
	v, ok := c.m[key]
	c.mu.RUnlock()
	return v, ok
}

// getBytes is get without converting key to a string (no allocation).
func (c *cache[V]) getBytes(key []byte) (V, bool) {
	c.mu.RLock()
	v, ok := c.m[string(key)]
	c.mu.RUnlock()
	return v, ok
}

func (c *cache[V]) put(key string, v V) {
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxCacheEntries {
		c.m = map[string]V{}
	}
	c.m[key] = v
	c.mu.Unlock()
}

type stage struct {
	stageDef
	query query
	used  bool // the package has rules

	cache        cache[*stageResult]
	hits, misses atomic.Int64
}

// stageResult is what one stage said about one projection.
type stageResult struct {
	requirements []map[string]any
	reasons      []map[string]any
}

func (e *Engine) prepareStages(ctx context.Context, prep func(string) (query, error)) error {
	e.stages = map[string]*stage{}
	set := func(pkg, rule string) string {
		if rule == "" {
			return "[]"
		}
		return fmt.Sprintf("[r | some r in data.chipcheck.%s.%s]", pkg, rule)
	}
	for _, d := range stageDefs {
		pq, err := prep(fmt.Sprintf(`{"requirements": %s, "reasons": %s}`, set(d.pkg, d.requirements), set(d.pkg, d.reasons)))
		if err != nil {
			return err
		}
		e.stages[d.name] = &stage{stageDef: d, query: pq, used: e.hasRules("chipcheck." + d.pkg)}
	}
	return nil
}

// hasRules reports whether a policy package defines any rule.
func (e *Engine) hasRules(pkg string) bool {
	for _, m := range e.compiler.Modules {
		if strings.TrimPrefix(m.Package.Path.String(), "data.") == pkg && len(m.Rules) > 0 {
			return true
		}
	}
	return false
}

// run evaluates stage name on a projection. key identifies the projection
// exactly; input builds it only when the cache misses.
func (e *Engine) run(ctx context.Context, name, key string, input func() ast.Value) (*stageResult, error) {
	st := e.stages[name]
	if !st.used {
		return &stageResult{}, nil
	}
	if key != "" && !e.naive {
		if r, ok := st.cache.get(key); ok {
			st.hits.Add(1)
			if e.verify {
				return r, e.verifyHit(ctx, st, key, r, input())
			}
			return r, nil
		}
	}
	st.misses.Add(1)
	r, err := e.evalStage(ctx, st, input())
	if err != nil {
		return nil, err
	}
	// A requirement's content, computed once here, stands for it in the
	// cache keys of the authorization stages.
	for _, req := range r.requirements {
		req["_key"] = keyOf(req)
	}
	if key != "" {
		st.cache.put(key, r)
	}
	return r, nil
}

func (e *Engine) evalStage(ctx context.Context, st *stage, in ast.Value) (*stageResult, error) {
	name := st.name
	rs, err := e.eval(ctx, st.query, in)
	if err != nil {
		return nil, fmt.Errorf("%s stage: %w", name, err)
	}
	out, ok := single(rs).(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s stage: the policy gave no result", name)
	}
	r := &stageResult{}
	if r.requirements, err = objects(out["requirements"]); err != nil {
		return nil, fmt.Errorf("%s stage requirements: %w", name, err)
	}
	if r.reasons, err = objects(out["reasons"]); err != nil {
		return nil, fmt.Errorf("%s stage reasons: %w", name, err)
	}
	return r, nil
}

func objects(v any) ([]map[string]any, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("want a list, got %T", v)
	}
	out := make([]map[string]any, len(list))
	for i, x := range list {
		m, ok := x.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("want objects, got %T", x)
		}
		out[i] = m
	}
	return out, nil
}

// keyOf is the cache key of a projection: a canonical encoding (map keys
// sorted) of the whole projection, so that two projections share a key
// only when they are equal.
func keyOf(v any) string {
	return string(appendKey(make([]byte, 0, 256), v))
}

func appendKey(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, 'n')
	case string:
		b = append(b, 's')
		b = strconv.AppendInt(b, int64(len(x)), 10)
		b = append(b, ':')
		return append(b, x...)
	case bool:
		if x {
			return append(b, 't')
		}
		return append(b, 'f')
	case int:
		b = append(b, 'i')
		b = strconv.AppendInt(b, int64(x), 10)
		return append(b, ';')
	case float64:
		b = append(b, 'd')
		b = strconv.AppendFloat(b, x, 'g', -1, 64)
		return append(b, ';')
	case json.Number:
		b = append(b, 'd')
		b = append(b, x...)
		return append(b, ';')
	case []int:
		return appendKeys(b, x)
	case []string:
		return appendKeys(b, x)
	case []any:
		return appendKeys(b, x)
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b = append(b, '{')
		for _, k := range keys {
			b = appendKey(b, k)
			b = appendKey(b, x[k])
		}
		return append(b, '}')
	}
	// Anything else is not expected in a projection; encode it so that it
	// still cannot collide with another value.
	j, _ := json.Marshal(v)
	b = append(b, 'j')
	b = strconv.AppendInt(b, int64(len(j)), 10)
	b = append(b, ':')
	return append(b, j...)
}

func appendKeys[T any](b []byte, xs []T) []byte {
	b = append(b, '[')
	for _, e := range xs {
		b = appendKey(b, e)
	}
	return append(b, ']')
}

// itemClass is the name-free identity of an order line as some stages see
// it: one view of data.chipcheck.item's judgments. Lines of different SKUs
// with the same view are one class there and share the stages' results.
type itemClass struct {
	id    int
	value map[string]any // the view plus "class": id
}

func (e *Engine) classOf(view string, v any) (*itemClass, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("item judgments: no %q view", view)
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	k := view + "\x00" + string(b)
	if c, ok := e.classes.Load(k); ok {
		return c.(*itemClass), nil
	}
	id := int(e.nextClass.Add(1))
	val := map[string]any{"class": id}
	for f, x := range m {
		val[f] = x
	}
	c, _ := e.classes.LoadOrStore(k, &itemClass{id: id, value: val})
	return c.(*itemClass), nil
}

// classSet is the distinct classes of an order's lines for one stage.
type classSet []*itemClass

func (cs classSet) ids() []int {
	out := make([]int, len(cs))
	for i, c := range cs {
		out[i] = c.id
	}
	return out
}

func (cs classSet) values() []any {
	out := make([]any, len(cs))
	for i, c := range cs {
		out[i] = c.value
	}
	return out
}

func distinct(lines []*line, view string) classSet {
	var cs classSet
	for _, l := range lines {
		c := l.classes[view]
		if !slices.ContainsFunc(cs, func(x *itemClass) bool { return x.id == c.id }) {
			cs = append(cs, c)
		}
	}
	slices.SortFunc(cs, func(a, b *itemClass) int { return a.id - b.id })
	return cs
}

// representative is a string standing for every date of date's interval
// (see interval): a rule date stands for itself; a date between rule dates
// becomes the earlier rule date plus "~", which sorts after that rule date
// and before the next day, so it compares with every rule date (by <, <=,
// >=, >) as the date does. The stages compare dates only with rule dates,
// so they cannot tell date and its representative apart.
func (e *Engine) representative(date string) string {
	n, found := slices.BinarySearch(e.ruleDates, date)
	if found {
		return date
	}
	if n == 0 {
		return "0000-01-01"
	}
	return e.ruleDates[n-1] + "~"
}

// CacheStats reports, per stage, how many evaluations the cache saved and
// how many it could not.
func (e *Engine) CacheStats() map[string][2]int64 {
	out := map[string][2]int64{}
	for name, st := range e.stages {
		out[name] = [2]int64{st.hits.Load(), st.misses.Load()}
	}
	return out
}

// verifyHit re-evaluates a cache hit and fails if the fresh result differs:
// a check (Options.VerifyCache, on in the tests) that every projection
// carries everything its stage reads.
func (e *Engine) verifyHit(ctx context.Context, st *stage, key string, cached *stageResult, in ast.Value) error {
	fresh, err := e.evalStage(ctx, st, in)
	if err != nil {
		return err
	}
	strip := func(ms []map[string]any) []any {
		out := make([]any, len(ms))
		for i, m := range ms {
			c := map[string]any{}
			for k, v := range m {
				if k != "_key" {
					c[k] = v
				}
			}
			out[i] = c
		}
		return out
	}
	if keyOf([]any{strip(cached.requirements), strip(cached.reasons)}) != keyOf([]any{strip(fresh.requirements), strip(fresh.reasons)}) {
		return fmt.Errorf("%s stage: the cached result differs from a fresh evaluation of the same projection %q", st.name, key)
	}
	return nil
}

// astInput converts a projection for Rego, with extra (already converted)
// members such as the place facts.
func astInput(m map[string]any, extra map[string]*ast.Term) ast.Value {
	v, err := ast.InterfaceToValue(m)
	if err != nil {
		// Projections hold only JSON values; this cannot happen.
		panic(fmt.Sprintf("engine: projection is not JSON: %v", err))
	}
	obj := v.(ast.Object)
	for k, t := range extra {
		obj.Insert(ast.StringTerm(k), t)
	}
	return obj
}
