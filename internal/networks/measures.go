package networks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"
)

// measureChunk bounds the values one evaluation of the above query
// judges, so that its input stays small however large the batch.
const measureChunk = 4096

// shown holds, per measure, the values of the batch above the measure's
// threshold, each with its text as the policy's messages show it.
type shown [nMeasures]map[float64]string

// over is the mask of the measures of ms that are above their thresholds.
func (s *shown) over(ms *[nMeasures]float64) uint8 {
	var over uint8
	for m, v := range ms {
		if _, ok := s[m][v]; ok && v >= 0 {
			over |= 1 << m
		}
	}
	return over
}

// token is where a message shows the value of measure m (the policy's
// shown).
func token(m int) string {
	return "{" + measureNames[m][0] + "." + measureNames[m][1] + "}"
}

// judgeMeasures asks the policy which values of each measure in the batch
// are above their thresholds: each distinct value is judged once (the
// above query). Go never compares a measure with a threshold itself.
func (d *Domain) judgeMeasures(ctx context.Context, an *Analysis) (*shown, error) {
	var s shown
	var errs [nMeasures]error
	// One measure per goroutine: its distinct values, then their judgment.
	parallel(nMeasures, func(m int) {
		seen := map[float64]struct{}{}
		var vals []float64
		for i := range an.acts {
			if v := an.measures(int32(i))[m]; v >= 0 {
				if _, ok := seen[v]; !ok {
					seen[v] = struct{}{}
					vals = append(vals, v)
				}
			}
		}
		s[m] = map[float64]string{}
		for off := 0; off < len(vals) && errs[m] == nil; off += measureChunk {
			chunk := vals[off:min(off+measureChunk, len(vals))]
			errs[m] = d.above(ctx, measureNames[m], chunk, s[m])
		}
	})
	if err := errors.Join(errs[:]...); err != nil {
		return nil, err
	}
	return &s, nil
}

// above evaluates the above query on vals, values of the measure name, and
// adds those above its threshold to shown. A measure the policy does not
// judge has none above.
func (d *Domain) above(ctx context.Context, name [2]string, vals []float64, shown map[float64]string) error {
	xs := make([]any, len(vals))
	for k, v := range vals {
		xs[k] = v
	}
	in := map[string]any{name[0]: map[string]any{name[1]: xs}}
	res, err := d.ev.Eval(ctx, queryAbove, nil, func() ast.Value {
		v, err := ast.InterfaceToValue(in)
		if err != nil {
			// The input is built of maps, slices and numbers.
			panic(err)
		}
		return v
	}, nil)
	if err != nil {
		return fmt.Errorf("network policy: judging %s.%s: %w", name[0], name[1], err)
	}
	groups, _ := res.(map[string]any)
	group, ok := groups[name[0]].(map[string]any)
	if !ok {
		return fmt.Errorf("network policy: %s judges no %s measures", aboveDoc, name[0])
	}
	list, ok := group[name[1]]
	if !ok {
		return nil
	}
	pairs, ok := list.([]any)
	if !ok {
		return fmt.Errorf("network policy: %s.%s.%s is %T, not a list", aboveDoc, name[0], name[1], list)
	}
	for _, x := range pairs {
		p, _ := x.([]any)
		if len(p) != 2 {
			return fmt.Errorf("network policy: %s.%s.%s: %v is not [position, text]", aboveDoc, name[0], name[1], x)
		}
		k, err := asIndex(p[0], len(vals))
		text, ok := p[1].(string)
		if err != nil || !ok {
			return fmt.Errorf("network policy: %s.%s.%s: %v is not [position, text]", aboveDoc, name[0], name[1], x)
		}
		shown[vals[k]] = text
	}
	return nil
}

// asIndex reads a position the policy returned: a whole number below n.
func asIndex(x any, n int) (int, error) {
	num, ok := x.(json.Number)
	if !ok {
		return 0, fmt.Errorf("%v is not a position", x)
	}
	k, err := num.Int64()
	if err != nil || k < 0 || k >= int64(n) {
		return 0, fmt.Errorf("%v is not a position among %d values", x, n)
	}
	return int(k), nil
}
