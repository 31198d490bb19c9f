package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/chipcheck/chipcheck/internal/policy"
	"github.com/chipcheck/chipcheck/internal/rules"
)

// testPolicy is a small policy with rule data, enough to exercise the
// engine without the domain.
const testPolicy = `package t

echo := input

double := input.n * 2

limit := data.rules.limits.n

over if input.n > data.rules.limits.n

boom := to_number(input.s)

count_places := count(input.places)
`

var testQueries = []Query{
	{Name: "echo", Text: "data.t.echo"},
	{Name: "double", Text: "data.t.double"},
	{Name: "limit", Text: "data.t.limit"},
	{Name: "over", Text: "data.t.over"},
	{Name: "boom", Text: "data.t.boom"},
	{Name: "places", Text: "data.t.count_places"},
}

func loadPolicy(t testing.TB) *policy.Policy {
	t.Helper()
	p, err := policy.Load(context.Background(), policy.Options{
		Policies: policy.Source{FS: fstest.MapFS{"t.rego": {Data: []byte(testPolicy)}}, Origin: "test"},
		Rules:    &rules.Set{Data: map[string]any{"limits": map[string]any{"n": 10}}, Files: map[string][]byte{}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func newEngine(t testing.TB, verify bool) *Engine {
	t.Helper()
	e, err := New(context.Background(), Options{Policy: loadPolicy(t), Queries: testQueries, VerifyCache: verify})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// in builds an input from a map and counts how often it is built.
func in(m map[string]any, calls *int) func() ast.Value {
	return func() ast.Value {
		*calls++
		v, err := ast.InterfaceToValue(m)
		if err != nil {
			panic(err)
		}
		return v
	}
}

func num(v any) string { return fmt.Sprint(v) }

func TestNewErrors(t *testing.T) {
	p := loadPolicy(t)
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"no policy", Options{Queries: testQueries}, "no policy"},
		{"query does not parse", Options{Policy: p, Queries: []Query{{Name: "bad", Text: "data.t.("}}}, "prepare bad"},
		{"query calls a banned built-in", Options{Policy: p, Queries: []Query{{Name: "now", Text: "time.now_ns()"}}}, "prepare now"},
		{"query calls an unknown function", Options{Policy: p, Queries: []Query{{Name: "f", Text: "data.t.nope(1)"}}}, "prepare f"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(context.Background(), tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New = %v, want an error containing %q", err, tt.want)
			}
		})
	}
	if _, err := New(context.Background(), Options{Policy: p}); err != nil {
		t.Errorf("an engine without queries: %v", err)
	}
}

func TestEval(t *testing.T) {
	e := newEngine(t, true)
	ctx := context.Background()
	tests := []struct {
		name  string
		query string
		input map[string]any
		want  string // fmt.Sprint of the result; "<nil>" when undefined
		err   string
	}{
		{"value", "double", map[string]any{"n": 21}, "42", ""},
		{"rule data", "limit", map[string]any{}, "10", ""},
		{"rule data in a condition", "over", map[string]any{"n": 11}, "true", ""},
		{"undefined is nil", "over", map[string]any{"n": 10}, "<nil>", ""},
		{"undefined input field is nil", "double", map[string]any{}, "<nil>", ""},
		{"strict built-in error", "boom", map[string]any{"s": "x"}, "", "boom"},
		{"unknown query", "nope", map[string]any{}, "", `no query "nope"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			v, err := e.Eval(ctx, tt.query, nil, in(tt.input, &calls), nil)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("Eval = %v, %v; want an error containing %q", v, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if num(v) != tt.want {
				t.Errorf("Eval = %v, want %s", v, tt.want)
			}
		})
	}
}

// TestEvalCache: a key's first evaluation is cached (converted); later
// calls with the key return it without building the input; a nil key is
// never cached; errors are never cached; each query has its own cache.
func TestEvalCache(t *testing.T) {
	e := newEngine(t, false)
	ctx := context.Background()
	converts := 0
	convert := func(v any) (any, error) {
		converts++
		return "converted " + num(v), nil
	}
	steps := []struct {
		name     string
		query    string
		key      []byte
		input    map[string]any
		want     string
		err      bool
		built    bool // the input was built (evaluated)
		converts int  // convert calls so far
	}{
		{"first", "double", []byte("k1"), map[string]any{"n": 1}, "converted 2", false, true, 1},
		{"hit", "double", []byte("k1"), map[string]any{"n": 1}, "converted 2", false, false, 1},
		{"other key", "double", []byte("k2"), map[string]any{"n": 2}, "converted 4", false, true, 2},
		{"first key again", "double", []byte("k1"), map[string]any{"n": 1}, "converted 2", false, false, 2},
		{"same key, other query", "echo", []byte("k1"), map[string]any{"n": 1}, "converted map[n:1]", false, true, 3},
		{"nil key", "double", nil, map[string]any{"n": 1}, "converted 2", false, true, 4},
		{"nil key again", "double", nil, map[string]any{"n": 1}, "converted 2", false, true, 5},
		{"empty key is a key", "double", []byte{}, map[string]any{"n": 3}, "converted 6", false, true, 6},
		{"empty key hit", "double", []byte{}, map[string]any{"n": 3}, "converted 6", false, false, 6},
		{"error", "boom", []byte("e"), map[string]any{"s": "x"}, "", true, true, 6},
		{"error not cached", "boom", []byte("e"), map[string]any{"s": "x"}, "", true, true, 6},
		{"then a value", "boom", []byte("e"), map[string]any{"s": "7"}, "converted 7", false, true, 7},
		{"undefined is cached", "over", []byte("u"), map[string]any{"n": 1}, "converted <nil>", false, true, 8},
		{"undefined hit", "over", []byte("u"), map[string]any{"n": 1}, "converted <nil>", false, false, 8},
	}
	for _, st := range steps {
		built := 0
		v, err := e.Eval(ctx, st.query, st.key, in(st.input, &built), convert)
		if (err != nil) != st.err {
			t.Fatalf("%s: error %v", st.name, err)
		}
		if !st.err && v != st.want {
			t.Errorf("%s: %v, want %s", st.name, v, st.want)
		}
		if (built > 0) != st.built {
			t.Errorf("%s: input built %d times, want built = %v", st.name, built, st.built)
		}
		if converts != st.converts {
			t.Errorf("%s: convert called %d times in all, want %d", st.name, converts, st.converts)
		}
	}
}

// TestEvalCacheKeyNotRetained: the caller may reuse its key buffer after
// Eval returns; the cache keeps its own copy.
func TestEvalCacheKeyNotRetained(t *testing.T) {
	e := newEngine(t, false)
	buf := []byte("aaaa")
	calls := 0
	if _, err := e.Eval(context.Background(), "double", buf, in(map[string]any{"n": 1}, &calls), nil); err != nil {
		t.Fatal(err)
	}
	copy(buf, "bbbb")
	v, err := e.Eval(context.Background(), "double", buf, in(map[string]any{"n": 5}, &calls), nil)
	if err != nil || num(v) != "10" || calls != 2 {
		t.Errorf("after the key buffer was overwritten: %v %v (%d evaluations); the cache kept the caller's buffer", v, err, calls)
	}
	v, err = e.Eval(context.Background(), "double", []byte("aaaa"), in(map[string]any{"n": 9}, &calls), nil)
	if err != nil || num(v) != "2" {
		t.Errorf("the first key: %v %v, want the cached 2", v, err)
	}
}

func TestConvertError(t *testing.T) {
	e := newEngine(t, false)
	bad := errors.New("not a number")
	calls := 0
	for range 2 {
		_, err := e.Eval(context.Background(), "double", []byte("k"), in(map[string]any{"n": 1}, &calls), func(any) (any, error) { return nil, bad })
		if !errors.Is(err, bad) || !strings.Contains(err.Error(), "double") {
			t.Errorf("Eval = %v, want the convert error naming the query", err)
		}
	}
	if calls != 2 {
		t.Errorf("a failed conversion was cached: %d evaluations, want 2", calls)
	}
}

// TestVerifyCacheCatchesIncompleteKey: two inputs that differ in what the
// query reads but share a key. With VerifyCache the second is an error;
// without it the stale result is returned (which is what the check is
// for).
func TestVerifyCacheCatchesIncompleteKey(t *testing.T) {
	first := map[string]any{"places": map[string]any{"US": 1, "DE": 2}}
	second := map[string]any{"places": map[string]any{"US": 1, "FR": 2, "NL": 3}}
	tests := []struct {
		verify   bool
		want     string
		wantErr  string
		sameData bool // the second call has the first's input
	}{
		{verify: true, wantErr: "cached result differs"},
		{verify: false, want: "2"},
		{verify: true, want: "2", sameData: true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("verify=%v same=%v", tt.verify, tt.sameData), func(t *testing.T) {
			e := newEngine(t, tt.verify)
			calls := 0
			key := []byte("destination=DE") // leaves out the places
			v, err := e.Eval(context.Background(), "places", key, in(first, &calls), nil)
			if err != nil || num(v) != "2" {
				t.Fatalf("first: %v %v", v, err)
			}
			in2 := second
			if tt.sameData {
				in2 = first
			}
			v, err = e.Eval(context.Background(), "places", key, in(in2, &calls), nil)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "places") {
					t.Errorf("second: %v %v, want an error containing %q", v, err, tt.wantErr)
				}
				return
			}
			if err != nil || num(v) != tt.want {
				t.Errorf("second: %v %v, want %s", v, err, tt.want)
			}
			wantCalls := 1
			if tt.verify {
				wantCalls = 2 // a verified hit evaluates again
			}
			if calls != wantCalls {
				t.Errorf("input built %d times, want %d", calls, wantCalls)
			}
		})
	}
}

// TestVerifyComparesRawResults: the check compares what the policy gave,
// not the converted value (which may drop what differs).
func TestVerifyComparesRawResults(t *testing.T) {
	e := newEngine(t, true)
	calls := 0
	lossy := func(any) (any, error) { return "same", nil }
	if _, err := e.Eval(context.Background(), "double", []byte("k"), in(map[string]any{"n": 1}, &calls), lossy); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Eval(context.Background(), "double", []byte("k"), in(map[string]any{"n": 2}, &calls), lossy); err == nil {
		t.Error("a hit whose fresh result differs passed verification because the converted values agree")
	}
}

func TestStats(t *testing.T) {
	e := newEngine(t, false)
	ctx := context.Background()
	calls := 0
	for _, k := range []string{"a", "b", "a", "a", "c", "b"} {
		if _, err := e.Eval(ctx, "double", []byte(k), in(map[string]any{"n": 1}, &calls), nil); err != nil {
			t.Fatal(err)
		}
	}
	for range 3 {
		if _, err := e.Eval(ctx, "echo", nil, in(map[string]any{}, &calls), nil); err != nil {
			t.Fatal(err)
		}
	}
	e.Eval(ctx, "boom", []byte("x"), in(map[string]any{"s": "x"}, &calls), nil)
	got := map[string]Stat{}
	for _, s := range e.Stats() {
		got[s.Query] = s
	}
	want := map[string]Stat{
		"double": {Query: "double", Hits: 3, Misses: 3},
		"echo":   {Query: "echo", Hits: 0, Misses: 3},
		"boom":   {Query: "boom", Hits: 0, Misses: 1},
		"limit":  {Query: "limit"},
		"over":   {Query: "over"},
		"places": {Query: "places"},
	}
	if len(got) != len(want) {
		t.Errorf("stats for %d queries, want %d: %v", len(got), len(want), e.Stats())
	}
	for q, w := range want {
		g := got[q]
		// Time is spent exactly when something was evaluated.
		if (g.MissTime > 0) != (w.Misses > 0) {
			t.Errorf("%s: %v spent on %d misses", q, g.MissTime, g.Misses)
		}
		g.MissTime = 0
		if g != w {
			t.Errorf("%s: %+v, want %+v", q, g, w)
		}
	}
}

// TestConcurrentEval: many goroutines on overlapping keys get the right
// values (run with -race), and each key is cached.
func TestConcurrentEval(t *testing.T) {
	e := newEngine(t, true)
	const workers, n = 8, 200
	var wg sync.WaitGroup
	var bad atomic.Int64
	for w := range workers {
		wg.Go(func() {
			for i := range n {
				k := (i + w*37) % 50
				var calls int
				v, err := e.Eval(context.Background(), "double", []byte(fmt.Sprint(k)), func() ast.Value {
					calls++
					return ast.NewObject(ast.Item(ast.StringTerm("n"), ast.IntNumberTerm(k)))
				}, func(v any) (any, error) { return num(v), nil })
				if err != nil || v != fmt.Sprint(2*k) {
					bad.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if bad.Load() > 0 {
		t.Errorf("%d wrong results", bad.Load())
	}
	for _, s := range e.Stats() {
		if s.Query == "double" && (s.Hits+s.Misses != workers*n || s.Misses < 50 || s.Hits == 0) {
			t.Errorf("stats %+v", s)
		}
	}
}

func TestCacheGenerations(t *testing.T) {
	var c Cache[int]
	if _, ok := c.Get([]byte("x")); ok {
		t.Fatal("a zero cache has an entry")
	}
	for i := range maxCacheEntries {
		c.Put(fmt.Sprint(i), i)
	}
	if v, ok := c.Get([]byte("0")); !ok || v != 0 {
		t.Fatal("a full cache lost an entry")
	}
	if len(c.m) != maxCacheEntries || len(c.older) != 0 {
		t.Fatalf("%d entries, %d old", len(c.m), len(c.older))
	}
	c.Put("new", -1)
	if len(c.m) != 1 || len(c.older) != maxCacheEntries {
		t.Errorf("a full generation did not age: %d entries, %d old", len(c.m), len(c.older))
	}
	if v, ok := c.Get([]byte("new")); !ok || v != -1 {
		t.Error("the entry that started the generation is not in it")
	}
	// A hit in the old generation brings the entry back; the next
	// generation change drops everything else old.
	if v, ok := c.Get([]byte("7")); !ok || v != 7 {
		t.Fatal("an old entry is lost")
	}
	for i := range maxCacheEntries {
		c.Put(fmt.Sprint("x", i), i)
	}
	if _, ok := c.Get([]byte("7")); !ok {
		t.Error("an entry in use aged out")
	}
	if _, ok := c.Get([]byte("8")); ok {
		t.Error("an entry not used for two generations is still there")
	}
	if len(c.m)+len(c.older) > 2*maxCacheEntries {
		t.Errorf("the cache grew past its bound: %d + %d entries", len(c.m), len(c.older))
	}
	c.Put("new", -2)
	if v, _ := c.Get([]byte("new")); v != -2 {
		t.Errorf("Put did not replace: %d", v)
	}
}

func TestSingle(t *testing.T) {
	one := rego.ResultSet{{Expressions: []*rego.ExpressionValue{{Value: json.Number("1")}}}}
	tests := []struct {
		name string
		rs   rego.ResultSet
		want any
	}{
		{"undefined", nil, nil},
		{"one", one, json.Number("1")},
		{"two results", append(slices.Clone(one), one[0]), nil},
		{"two expressions", rego.ResultSet{{Expressions: []*rego.ExpressionValue{{Value: 1}, {Value: 2}}}}, nil},
	}
	for _, tt := range tests {
		if got := Single(tt.rs); got != tt.want {
			t.Errorf("%s: Single = %v, want %v", tt.name, got, tt.want)
		}
	}
}
