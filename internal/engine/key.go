package engine

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
)

// AppendKey appends the canonical encoding of v (map keys sorted, every
// value typed and length-prefixed) to b: two values share an encoding only
// when they are equal, so it can stand for a query input in a cache key.
func AppendKey(b []byte, v any) []byte {
	switch x := v.(type) {
	case nil:
		return append(b, 'n')
	case string:
		return AppendString(append(b, 's'), x)
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
	// Encoded as ast.InterfaceToValue reads them: a nil []int is null (it
	// goes through JSON), a nil []string or []any the empty array.
	case []int:
		if x == nil {
			return append(b, 'n')
		}
		return appendList(b, x)
	case []string:
		return appendList(b, x)
	case []any:
		return appendList(b, x)
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b = append(b, '{')
		for _, k := range keys {
			b = AppendKey(b, k)
			b = AppendKey(b, x[k])
		}
		return append(b, '}')
	}
	// Anything else is not expected in an input; encode it so that it
	// still cannot collide with another value (Go syntax when it has no
	// JSON, so that two such values never share the empty encoding).
	j, err := json.Marshal(v)
	if err != nil {
		j = fmt.Appendf(nil, "%T %#v", v, v)
	}
	b = append(b, 'j')
	b = strconv.AppendInt(b, int64(len(j)), 10)
	b = append(b, ':')
	return append(b, j...)
}

// AppendString appends s length-prefixed, so that no two sequences of
// strings encode alike.
func AppendString(b []byte, s string) []byte {
	b = strconv.AppendInt(b, int64(len(s)), 10)
	b = append(b, ':')
	return append(b, s...)
}

func appendList[T any](b []byte, xs []T) []byte {
	b = append(b, '[')
	for _, e := range xs {
		b = AppendKey(b, e)
	}
	return append(b, ']')
}
