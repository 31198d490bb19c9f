package engine

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
)

func key(v any) string { return string(AppendKey(nil, v)) }

// regoValue is v as a query sees it: the engine's callers build inputs
// with ast.InterfaceToValue, so two values are the same input exactly when
// they convert to equal Rego values.
func regoValue(t *testing.T, v any) ast.Value {
	t.Helper()
	x, err := ast.InterfaceToValue(v)
	if err != nil {
		t.Fatalf("%#v: %v", v, err)
	}
	return x
}

func TestAppendKeyCanonical(t *testing.T) {
	a, b := map[string]any{}, map[string]any{}
	keys := []string{"date", "destination", "ship_from", "items", "license", "kinds", "a", "b", "c", "d", "e", "f"}
	for i, k := range keys {
		a[k] = []any{k, float64(i), map[string]any{"x": k, "y": i%2 == 0}}
	}
	for i := len(keys) - 1; i >= 0; i-- {
		k := keys[i]
		b[k] = []any{k, float64(i), map[string]any{"y": i%2 == 0, "x": k}}
	}
	for range 20 { // map iteration order varies from call to call
		if key(a) != key(b) {
			t.Fatal("equal maps built in different orders give different keys")
		}
	}
	same := []struct {
		name string
		a, b any
	}{
		{"json.Number and float64", json.Number("2.5"), 2.5},
		{"json.Number and float64, integral", json.Number("100"), float64(100)},
		{"[]string and []any", []string{"a", "b"}, []any{"a", "b"}},
		{"[]int and []any", []int{1, 2}, []any{1, 2}},
		{"empty []string and []any", []string{}, []any{}},
		{"nested", map[string]any{"x": []string{"a"}}, map[string]any{"x": []any{"a"}}},
	}
	for _, tt := range same {
		if key(tt.a) != key(tt.b) {
			t.Errorf("%s: %q and %q", tt.name, key(tt.a), key(tt.b))
		}
	}
	// Appending continues a key: AppendKey(b, v) is b followed by v's key.
	if got := string(AppendKey([]byte("prefix"), []any{"x"})); got != "prefix"+key([]any{"x"}) {
		t.Errorf("AppendKey on a prefix = %q", got)
	}
}

func TestAppendKeyDistinct(t *testing.T) {
	values := []any{
		nil, "", "n", "s0:", "1", "true", "t", "f", "[]", "{}",
		true, false, 0, 1, 10, -1, 1.5, float64(1e21), 0.1, float64(10),
		json.Number("1.5e3"), json.Number("11"),
		[]any{}, []any{nil}, []any{""}, []any{"a", "b"}, []any{"ab"}, []any{"a", "b", "c"}, []any{[]any{"a"}, "b"},
		[]any{"a:b"}, []any{"1:a"}, []any{1, "a"}, []any{"1", "a"}, []any{[]any{}}, []any{map[string]any{}},
		map[string]any{}, map[string]any{"a": nil}, map[string]any{"a": ""}, map[string]any{"a": "b"},
		map[string]any{"ab": ""}, map[string]any{"a": "b", "c": "d"}, map[string]any{"a": "bc", "": "d"},
		map[string]any{"a": map[string]any{"b": 1}}, map[string]any{"a.b": 1}, map[string]any{"a": []any{"b", 1}},
		map[string]any{"a": "s1:b"}, map[string]any{"a": []any{"b"}}, map[string]any{"1": "a"}, map[string]any{"a": 1},
		[]int{1, 2, 3}, []string{"1", "2", "3"}, []string{"12", "3"}, []int{12, 3},
		struct{ A int }{1}, struct{ A int }{2},
	}
	seen := map[string]int{}
	for i, v := range values {
		k := key(v)
		if j, dup := seen[k]; dup {
			t.Errorf("key(%#v) == key(%#v) = %q", v, values[j], k)
		}
		seen[k] = i
	}
}

// TestAppendKeyNilAndEmpty: nil slices and maps become null or empty
// collections in a Rego input, as ast.InterfaceToValue has it (a nil []int
// is null, a nil []string or []any is []); values that are different
// inputs must not share a key.
func TestAppendKeyNilAndEmpty(t *testing.T) {
	values := []struct {
		name string
		v    any
	}{
		{"nil", nil},
		{"[]any(nil)", []any(nil)}, {"[]any{}", []any{}},
		{"[]string(nil)", []string(nil)}, {"[]string{}", []string{}},
		{"[]int(nil)", []int(nil)}, {"[]int{}", []int{}},
		{"map(nil)", map[string]any(nil)}, {"map{}", map[string]any{}},
		{"{items: []int(nil)}", map[string]any{"items": []int(nil)}}, {"{items: []int{}}", map[string]any{"items": []int{}}},
		{"{items: []any(nil)}", map[string]any{"items": []any(nil)}}, {"{items: nil}", map[string]any{"items": nil}},
	}
	for i, a := range values {
		for _, b := range values[i+1:] {
			if key(a.v) == key(b.v) && ast.Compare(regoValue(t, a.v), regoValue(t, b.v)) != 0 {
				t.Errorf("%s (Rego %v) and %s (Rego %v) share the key %q", a.name, regoValue(t, a.v), b.name, regoValue(t, b.v), key(a.v))
			}
		}
	}
}

// TestAppendKeyInjective builds many random JSON-like values from a tiny
// alphabet (so that an ambiguous encoding would collide) and checks that
// equal keys mean equal inputs.
func TestAppendKeyInjective(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	strs := []string{"", "a", "b", "ab", ":", "1", "1:", "s1:a", ";", "[", "]", "{", "}", "n", "d1;", "i1;", "t", "2:ab"}
	nums := []json.Number{"0", "1", "1.5", "10", "-1"}
	var gen func(depth int) any
	gen = func(depth int) any {
		switch k := rnd.IntN(12); {
		case k == 0:
			return nil
		case k == 1:
			return rnd.IntN(2) == 0
		case k == 2:
			return float64(rnd.IntN(4)) / 2
		case k == 3:
			return rnd.IntN(12) - 1
		case k == 4:
			return nums[rnd.IntN(len(nums))]
		case k == 5 || depth == 0:
			return strs[rnd.IntN(len(strs))]
		case k == 6 && rnd.IntN(4) == 0:
			return []string(nil)
		case k == 7 && rnd.IntN(4) == 0:
			return []int(nil)
		case k == 6:
			out := make([]string, rnd.IntN(3))
			for i := range out {
				out[i] = strs[rnd.IntN(len(strs))]
			}
			return out
		case k == 7:
			out := make([]int, rnd.IntN(3))
			for i := range out {
				out[i] = rnd.IntN(12)
			}
			return out
		case k <= 9:
			out := make([]any, rnd.IntN(3))
			for i := range out {
				out[i] = gen(depth - 1)
			}
			return out
		default:
			m := map[string]any{}
			for range rnd.IntN(3) {
				m[strs[rnd.IntN(len(strs))]] = gen(depth - 1)
			}
			return m
		}
	}
	byKey := map[string]any{}
	for range 30000 {
		v := gen(3)
		k := key(v)
		if prev, ok := byKey[k]; ok {
			if ast.Compare(regoValue(t, prev), regoValue(t, v)) != 0 {
				t.Fatalf("collision: %#v and %#v both give %q", prev, v, k)
			}
			continue
		}
		byKey[k] = v
	}
	if len(byKey) < 3000 {
		t.Errorf("only %d distinct keys generated", len(byKey))
	}
}

// TestAppendStringSequences: length-prefixed strings never run into each
// other, so a sequence of strings has one reading.
func TestAppendStringSequences(t *testing.T) {
	seqs := [][]string{
		{}, {""}, {"", ""}, {"a"}, {"ab"}, {"a", "b"}, {"1:a"}, {"1", "a"}, {"", "1:a"},
		{"10:aaaaaaaaa", ""}, {"1", "0:"}, {"10:"}, {strings.Repeat("x", 10)}, {strings.Repeat("x", 9), "x"},
	}
	seen := map[string][]string{}
	for _, s := range seqs {
		var b []byte
		for _, x := range s {
			b = AppendString(b, x)
		}
		if prev, dup := seen[string(b)]; dup {
			t.Errorf("%q and %q both encode as %q", prev, s, b)
		}
		seen[string(b)] = s
	}
	if got := string(AppendString([]byte("x"), "abc")); got != "x3:abc" {
		t.Errorf("AppendString = %q, want x3:abc", got)
	}
	for _, s := range []string{"", "é", "a\x00b"} {
		if fmt.Sprintf("s%s", AppendString(nil, s)) != key(s) {
			t.Errorf("AppendKey(%q) is not 's' and AppendString", s)
		}
	}
}
