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

// Classify classifies a chip (or, with contains, a computer or assembly) on
// date. Results are cached per regime and specification, so a SKU that
// repeats across an order book is evaluated once.
func (e *Engine) Classify(ctx context.Context, chip *record.Chip, contains []record.Contained, date string) (*Classification, error) {
	var spec any = chip
	field := "chip"
	if len(contains) > 0 {
		spec, field = contains, "contains"
	}
	b, err := json.Marshal(spec)
	if err != nil {
		return nil, err
	}
	key := e.interval(date) + "\x00" + field + "\x00" + string(b)
	if v, ok := e.classCache.Load(key); ok {
		return v.(*Classification), nil
	}
	var in map[string]any
	if err := json.Unmarshal(fmt.Appendf(nil, `{"date":%q,%q:%s}`, date, field, b), &in); err != nil {
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
	var c Classification
	if err := remarshal(v, &c); err != nil {
		return nil, fmt.Errorf("classify: %w", err)
	}
	e.classCache.Store(key, &c)
	return &c, nil
}

// DecideChip judges a `kind: chip` record: its classification today (or as
// of date), review when it cannot be decided.
func (e *Engine) DecideChip(ctx context.Context, rec *record.Record, chip *record.Chip, date string) decision.Decision {
	d := e.newDecision(rec, date)
	c, err := e.Classify(ctx, chip, nil, date)
	if err != nil {
		d.Reasons = append(d.Reasons, decision.EvalError(err))
		d.Finish()
		return d
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
	items := make([]any, len(f.Items))
	for i, it := range f.Items {
		c, err := e.Classify(ctx, it.Chip, it.Contains, f.Date)
		if err != nil {
			d.Reasons = append(d.Reasons, decision.EvalError(fmt.Errorf("items[%d] %s: %w", i, it.SKU, err)))
			d.Finish()
			return d
		}
		name := ""
		if it.Chip != nil {
			name = it.Chip.Name
		}
		d.Items = append(d.Items, decision.Item{SKU: it.SKU, Name: name, ECCN: c.ECCN, Paragraph: c.Paragraph, TPP: c.TPP, PD: c.PD})
		items[i] = itemInput(it, c)
	}
	in := orderInput(f, items)
	input, err := ast.InterfaceToValue(in)
	if err == nil {
		var places ast.Object
		places, err = e.placesOf(ctx, f, f.Date)
		if err == nil {
			input.(ast.Object).Insert(ast.InternedTerm("places"), ast.NewTerm(places))
		}
	}
	if err != nil {
		d.Reasons = append(d.Reasons, decision.EvalError(err))
		d.Finish()
		return d
	}
	rs, err := e.order.Eval(ctx, rego.EvalParsedInput(input))
	if err != nil {
		d.Reasons = append(d.Reasons, decision.EvalError(err))
		d.Finish()
		return d
	}
	var reasons []decision.Reason
	if err := remarshal(single(rs), &reasons); err != nil || len(reasons) == 0 {
		if err == nil {
			err = errors.New("the policy returned no reasons")
		}
		d.Reasons = append(d.Reasons, decision.EvalError(err))
		d.Finish()
		return d
	}
	d.Reasons = reasons
	d.Finish()
	return d
}

// places returns the place facts of every country code on the order.
func (e *Engine) placesOf(ctx context.Context, f *facts.Order, date string) (ast.Object, error) {
	obj := ast.NewObject()
	for _, c := range f.Countries() {
		v, err := e.placeFacts(ctx, c, date)
		if err != nil {
			return nil, err
		}
		obj.Insert(ast.StringTerm(c), ast.NewTerm(v))
	}
	return obj, nil
}

func (e *Engine) placeFacts(ctx context.Context, country, date string) (ast.Value, error) {
	key := e.interval(date) + "\x00" + country
	if v, ok := e.placeCache.Load(key); ok {
		return v.(ast.Value), nil
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
	e.placeCache.Store(key, av)
	return av, nil
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

func single(rs rego.ResultSet) any {
	if len(rs) != 1 || len(rs[0].Expressions) != 1 {
		return nil
	}
	return rs[0].Expressions[0].Value
}

func remarshal(v any, out any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, out)
}
