package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/facts"
	"github.com/chipcheck/chipcheck/internal/record"
)

// Classification is the ECCN of one chip or assembly under one regime.
type Classification struct {
	ECCN      string            `json:"eccn"`
	Paragraph string            `json:"paragraph"`
	TPP       *float64          `json:"tpp"`
	PD        *float64          `json:"pd"`
	Regime    string            `json:"regime"`
	Reasons   []decision.Reason `json:"reasons"`
	Contains  []Classification  `json:"contains,omitempty"`
	Count     float64           `json:"count,omitempty"`
}

// Why is the classification's one-line explanation.
func (c *Classification) Why() string {
	if len(c.Reasons) == 0 {
		return c.ECCN
	}
	return c.Reasons[0].Message
}

// specKey identifies a chip or assembly specification within an interval.
func (e *Engine) specKey(chip *record.Chip, contains []record.Contained, date string) (string, string, []byte, error) {
	var spec any = chip
	field := "chip"
	if len(contains) > 0 {
		spec, field = contains, "contains"
	}
	b, err := json.Marshal(spec)
	if err != nil {
		return "", "", nil, err
	}
	return e.interval(date) + "\x00" + field + "\x00" + string(b), field, b, nil
}

// Classify classifies a chip (or, with contains, a computer or assembly) on
// date. Results are cached per specification and interval between rule
// dates, so a SKU that repeats across an order book is evaluated once.
func (e *Engine) Classify(ctx context.Context, chip *record.Chip, contains []record.Contained, date string) (*Classification, error) {
	key, field, spec, err := e.specKey(chip, contains, date)
	if err != nil {
		return nil, err
	}
	if v, ok := e.classCache.Load(key); ok {
		return v.(*Classification), nil
	}
	var in map[string]any
	if err := json.Unmarshal(fmt.Appendf(nil, `{"date":%q,%q:%s}`, date, field, spec), &in); err != nil {
		return nil, err
	}
	rs, err := e.classify.Eval(ctx, rego.EvalInput(in))
	if err != nil {
		return nil, fmt.Errorf("classify: %w", err)
	}
	v := single(rs)
	if v == nil {
		return nil, errors.New("classify: the policy gave no result")
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var c Classification
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("classify: %w", err)
	}
	e.classCache.Store(key, &c)
	return &c, nil
}

// line is what the engine caches per order-line specification and interval:
// the classification, and the line's Rego input (chip fields, ECCN and the
// item judgments of data.chipcheck.item) without its sku and quantity,
// which no judgment reads.
type line struct {
	class *Classification
	value ast.Object
}

func (e *Engine) line(ctx context.Context, it record.Item, date string) (*line, error) {
	key, _, _, err := e.specKey(it.Chip, it.Contains, date)
	if err != nil {
		return nil, err
	}
	if v, ok := e.lineCache.Load(key); ok {
		return v.(*line), nil
	}
	c, err := e.Classify(ctx, it.Chip, it.Contains, date)
	if err != nil {
		return nil, err
	}
	m := itemInput(it, c)
	rs, err := e.judge.Eval(ctx, rego.EvalInput(map[string]any{"item": m, "date": date}))
	if err != nil {
		return nil, fmt.Errorf("item judgments: %w", err)
	}
	j := single(rs)
	if j == nil {
		return nil, errors.New("item judgments: the policy gave none")
	}
	m["judged"] = j
	v, err := ast.InterfaceToValue(m)
	if err != nil {
		return nil, err
	}
	l := &line{class: c, value: v.(ast.Object)}
	e.lineCache.Store(key, l)
	return l, nil
}

// DecideChip judges a `kind: chip` record: its classification on date,
// review when it cannot be decided.
func (e *Engine) DecideChip(ctx context.Context, rec *record.Record, chip *record.Chip, date string) decision.Decision {
	d := e.newDecision(rec, date)
	c, err := e.Classify(ctx, chip, nil, date)
	if err != nil {
		return failed(d, err)
	}
	d.Items = []decision.Item{{SKU: rec.ID, Name: chip.Name, ECCN: c.ECCN, Paragraph: c.Paragraph, TPP: c.TPP, PD: c.PD}}
	d.Reasons = append(d.Reasons, c.Reasons...)
	d.Finish()
	return d
}

// DecideOrder judges an order. It never fails: an evaluation error, or a
// policy that says nothing, makes the decision review.
func (e *Engine) DecideOrder(ctx context.Context, f *facts.Order) decision.Decision {
	d := e.newDecision(f.Record, f.Date)
	d.Screening = f.Hits
	items := make([]*ast.Term, len(f.Items))
	for i, it := range f.Items {
		l, err := e.line(ctx, it, f.Date)
		if err != nil {
			return failed(d, fmt.Errorf("items[%d] %s: %w", i, it.SKU, err))
		}
		c := l.class
		name := ""
		if it.Chip != nil {
			name = it.Chip.Name
		}
		d.Items = append(d.Items, decision.Item{SKU: it.SKU, Name: name, ECCN: c.ECCN, Paragraph: c.Paragraph, TPP: c.TPP, PD: c.PD})
		obj := ast.NewObject(
			ast.Item(ast.InternedTerm("sku"), ast.StringTerm(it.SKU)),
			ast.Item(ast.InternedTerm("quantity"), ast.FloatNumberTerm(it.Quantity)),
		)
		l.value.Foreach(func(k, v *ast.Term) { obj.Insert(k, v) })
		items[i] = ast.NewTerm(obj)
	}
	input, err := e.orderInput(ctx, f, items)
	if err != nil {
		return failed(d, err)
	}
	rs, err := e.order.Eval(ctx, rego.EvalParsedInput(input))
	if err != nil {
		return failed(d, err)
	}
	reasons, err := toReasons(single(rs))
	if err == nil && len(reasons) == 0 {
		err = errors.New("the policy returned no reasons")
	}
	if err != nil {
		return failed(d, err)
	}
	d.Reasons = reasons
	d.Finish()
	return d
}

// placeFacts returns data.chipcheck.place.facts for a country code on date.
func (e *Engine) placeFacts(ctx context.Context, country, date string) (*ast.Term, error) {
	key := e.interval(date) + "\x00" + country
	if v, ok := e.placeCache.Load(key); ok {
		return v.(*ast.Term), nil
	}
	rs, err := e.place.Eval(ctx, rego.EvalInput(map[string]any{"country": country, "date": date}))
	if err != nil {
		return nil, fmt.Errorf("place facts of %s on %s: %w", country, date, err)
	}
	v := single(rs)
	if v == nil {
		return nil, fmt.Errorf("place facts of %s on %s: the policy gave none", country, date)
	}
	av, err := ast.InterfaceToValue(v)
	if err != nil {
		return nil, err
	}
	t := ast.NewTerm(av)
	e.placeCache.Store(key, t)
	return t, nil
}

func (e *Engine) newDecision(rec *record.Record, date string) decision.Decision {
	return decision.Decision{
		ID:     rec.ID,
		Kind:   rec.Kind,
		Source: decision.Source{File: rec.Source.File, Line: rec.Source.Line},
		Policy: decision.Policy{Revision: e.revision},
		AsOf:   date,
	}
}

// failed records an evaluation error on d: it fails closed to review.
func failed(d decision.Decision, err error) decision.Decision {
	d.Reasons = append(d.Reasons, decision.EvalError(err))
	d.Finish()
	return d
}

func single(rs rego.ResultSet) any {
	if len(rs) != 1 || len(rs[0].Expressions) != 1 {
		return nil
	}
	return rs[0].Expressions[0].Value
}

// toReasons reads the policy's reasons without a JSON round trip.
func toReasons(v any) ([]decision.Reason, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("reasons: want a set, got %T", v)
	}
	out := make([]decision.Reason, 0, len(list))
	for _, x := range list {
		m, ok := x.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("reason: want an object, got %T", x)
		}
		r := decision.Reason{}
		r.Rule, _ = m["rule"].(string)
		r.Outcome, _ = m["outcome"].(string)
		r.Message, _ = m["message"].(string)
		r.Citation, _ = m["citation"].(string)
		r.Facts, _ = m["facts"].(map[string]any)
		if r.Rule == "" || r.Outcome == "" {
			return nil, fmt.Errorf("reason without rule or outcome: %v", m)
		}
		out = append(out, r)
	}
	return out, nil
}
