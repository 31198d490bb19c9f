package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

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
// It encodes every field of the specification, so that two specifications
// share a key only when they are equal.
func (e *Engine) specKey(chip *record.Chip, contains []record.Contained, date string) string {
	return string(appendSpec(append(make([]byte, 0, 256), e.interval(date)...), chip, contains))
}

func appendSpec(b []byte, chip *record.Chip, contains []record.Contained) []byte {
	if len(contains) > 0 {
		b = append(b, 'C')
		for _, c := range contains {
			b = strconv.AppendFloat(b, c.Count, 'g', -1, 64)
			b = appendStr(b, c.Catalog)
			b = appendChip(b, c.Chip)
		}
		return b
	}
	return appendChip(append(b, 'c'), chip)
}

func appendChip(b []byte, c *record.Chip) []byte {
	if c == nil {
		return append(b, 'n')
	}
	b = append(b, '{')
	for _, s := range []string{c.ID, c.Name, c.Catalog, c.DesignerCountry} {
		b = appendStr(b, s)
	}
	b = appendOptBool(b, c.Datacenter)
	b = appendOptFloat(b, c.DieAreaMM2)
	b = appendOptFloat(b, c.MemoryBandwidthGBs)
	b = appendOptFloat(b, c.InterconnectGBs)
	b = appendPerf(b, c.Performance)
	for _, d := range c.Dies {
		b = append(b, 'd')
		b = appendStr(b, d.Name)
		b = strconv.AppendFloat(b, d.Count, 'g', -1, 64)
		b = appendOptFloat(b, d.DieAreaMM2)
		b = appendPerf(b, d.Performance)
	}
	if c.HBM != nil {
		b = append(b, 'h')
		b = strconv.AppendFloat(b, c.HBM.BandwidthGBs, 'g', -1, 64)
		b = append(b, ',')
		b = strconv.AppendFloat(b, c.HBM.PackageAreaMM2, 'g', -1, 64)
	}
	if c.GP10Named {
		b = append(b, 'g')
	}
	return append(b, '}')
}

func appendPerf(b []byte, ps []record.Perf) []byte {
	b = append(b, '[')
	for _, p := range ps {
		b = appendStr(b, p.Format)
		b = strconv.AppendFloat(b, p.Bits, 'g', -1, 64)
		b = append(b, ',')
		b = strconv.AppendFloat(b, p.TOPS, 'g', -1, 64)
		b = append(b, ';')
	}
	return append(b, ']')
}

func appendStr(b []byte, s string) []byte {
	b = strconv.AppendInt(b, int64(len(s)), 10)
	b = append(b, ':')
	return append(b, s...)
}

func appendOptBool(b []byte, v *bool) []byte {
	switch {
	case v == nil:
		return append(b, '-')
	case *v:
		return append(b, 'T')
	}
	return append(b, 'F')
}

func appendOptFloat(b []byte, v *float64) []byte {
	if v == nil {
		return append(b, '-')
	}
	b = strconv.AppendFloat(b, *v, 'g', -1, 64)
	return append(b, ';')
}

// Classify classifies a chip (or, with contains, a computer or assembly) on
// date. Results are cached per specification and interval between rule
// dates, so a SKU that repeats across an order book is evaluated once.
func (e *Engine) Classify(ctx context.Context, chip *record.Chip, contains []record.Contained, date string) (*Classification, error) {
	key := e.specKey(chip, contains, date)
	if c, ok := e.classCache.get(key); ok && !e.naive {
		return c, nil
	}
	var spec any = chip
	field := "chip"
	if len(contains) > 0 {
		spec, field = contains, "contains"
	}
	b, err := json.Marshal(spec)
	if err != nil {
		return nil, err
	}
	var in map[string]any
	if err := json.Unmarshal(fmt.Appendf(nil, `{"date":%q,%q:%s}`, date, field, b), &in); err != nil {
		return nil, err
	}
	rs, err := e.eval(ctx, e.classify, in)
	if err != nil {
		return nil, fmt.Errorf("classify: %w", err)
	}
	v := single(rs)
	if v == nil {
		return nil, errors.New("classify: the policy gave no result")
	}
	out, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var c Classification
	if err := json.Unmarshal(out, &c); err != nil {
		return nil, fmt.Errorf("classify: %w", err)
	}
	e.classCache.put(key, &c)
	return &c, nil
}

// line is what the engine caches per order-line specification and interval:
// the classification, the line with its item judgments (chip fields,
// classification and judgments, without sku and quantity; the whole-order
// stage's view) and its class in each item view.
type line struct {
	cls     *Classification
	value   map[string]any
	classes map[string]*itemClass
}

// line returns the cached line of an order line; iv is interval(date) and
// buf scratch space for the key.
func (e *Engine) line(ctx context.Context, it record.Item, date, iv string, buf *[]byte) (*line, error) {
	*buf = appendSpec(append((*buf)[:0], iv...), it.Chip, it.Contains)
	if l, ok := e.lineCache.getBytes(*buf); ok && !e.naive {
		return l, nil
	}
	key := string(*buf)
	c, err := e.Classify(ctx, it.Chip, it.Contains, date)
	if err != nil {
		return nil, err
	}
	m := itemInput(it, c)
	rs, err := e.eval(ctx, e.judge, map[string]any{"item": m, "date": date})
	if err != nil {
		return nil, fmt.Errorf("item judgments: %w", err)
	}
	j := single(rs)
	if j == nil {
		return nil, errors.New("item judgments: the policy gave none")
	}
	m["judged"] = j
	views, _ := j.(map[string]any)
	l := &line{cls: c, value: m, classes: map[string]*itemClass{}}
	for _, v := range itemViews {
		if l.classes[v], err = e.classOf(v, views[v]); err != nil {
			return nil, err
		}
	}
	e.lineCache.put(key, l)
	return l, nil
}

// placeFacts returns data.chipcheck.place.facts of a country code on date,
// cached (converted for Rego) per interval between rule dates.
func (e *Engine) placeFacts(ctx context.Context, country, date string) (*ast.Term, error) {
	key := e.interval(date) + "\x00" + country
	if v, ok := e.placeCache.Load(key); ok && !e.naive {
		return v.(*ast.Term), nil
	}
	rs, err := e.eval(ctx, e.place, map[string]any{"country": country, "date": date})
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

// noticeProblem is data.chipcheck.authorization.notice_problem for a
// notification days before the order date, cached per day count.
func (e *Engine) noticeProblem(ctx context.Context, days int) (any, error) {
	if v, ok := e.noticeCache.Load(days); ok && !e.naive {
		return v, nil
	}
	rs, err := e.eval(ctx, e.notice, map[string]any{"notice_days": days})
	if err != nil {
		return nil, fmt.Errorf("notice: %w", err)
	}
	v := single(rs)
	e.noticeCache.Store(days, v)
	return v, nil
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

// DecideOrder judges an order through the stages. It never fails: an
// evaluation error, or a policy that says nothing, makes the decision
// review.
func (e *Engine) DecideOrder(ctx context.Context, f *facts.Order) decision.Decision {
	d := e.newDecision(f.Record, f.Date)
	d.Screening = f.Hits
	lines := make([]*line, len(f.Items))
	iv := e.interval(f.Date)
	var buf []byte
	for i, it := range f.Items {
		l, err := e.line(ctx, it, f.Date, iv, &buf)
		if err != nil {
			return failed(d, fmt.Errorf("items[%d] %s: %w", i, it.SKU, err))
		}
		lines[i] = l
		name := ""
		if it.Chip != nil {
			name = it.Chip.Name
		}
		d.Items = append(d.Items, decision.Item{SKU: it.SKU, Name: name, ECCN: l.cls.ECCN, Paragraph: l.cls.Paragraph, TPP: l.cls.TPP, PD: l.cls.PD})
	}
	o := &orderEval{e: e, ctx: ctx, f: f, lines: lines, date: e.representative(f.Date)}
	raw, err := o.reasons()
	if err != nil {
		return failed(d, err)
	}
	if len(raw) == 0 {
		return failed(d, errors.New("the policy returned no reasons"))
	}
	for _, f := range raw {
		r, err := o.reason(f)
		if err != nil {
			return failed(d, err)
		}
		d.Reasons = append(d.Reasons, r)
	}
	d.Finish()
	return d
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

// days counts whole days from a to b (YYYY-MM-DD).
func days(a, b string) (int, bool) {
	ta, err1 := time.Parse(time.DateOnly, a)
	tb, err2 := time.Parse(time.DateOnly, b)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return int(tb.Sub(ta).Hours() / 24), true
}
