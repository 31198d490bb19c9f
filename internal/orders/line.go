package orders

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/engine"
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

// Item views: the judgments of data.chipcheck.item one stage sees (stages.go).
const (
	viewDestination   = "destination"
	viewParty         = "party"
	viewLetters       = "letters"
	viewAuthorization = "authorization" // or "exceptions": the view the order's claim needs (authorization.view)
	viewExceptions    = "exceptions"
	viewLine          = "line"
)

var itemViews = []string{viewDestination, viewParty, viewLetters, viewAuthorization, viewExceptions, viewLine}

// line is an order line's classification and its class in each item view.
// Lines of different SKUs with the same view are one class to the stages
// that see that view, and share their results.
type line struct {
	cls     *Classification
	classes map[string]*itemClass
}

// itemClass is one view of an item's judgments with its class id.
type itemClass struct {
	id   int
	term *ast.Term // the view plus "class": id, for stage inputs
}

// reachesLetters reports whether the item's letters view names a letter
// whose figures or catalog ids reach it. Unreadable means yes: keeping an
// item in the input never hides a letter.
func (c *itemClass) reachesLetters() bool { return namesLetters(c.term) }

// namesLetters reports whether the facts t (an item view or a place's
// facts) name an is-informed letter under "letters"; facts it cannot read
// count as naming one.
func namesLetters(t *ast.Term) bool {
	obj, ok := t.Value.(ast.Object)
	if !ok {
		return true
	}
	v := obj.Get(ast.StringTerm("letters"))
	if v == nil {
		return true
	}
	switch c := v.Value.(type) {
	case ast.Set:
		return c.Len() > 0
	case *ast.Array:
		return c.Len() > 0
	}
	return true
}

// termStrings is the strings of the set or array under key of an object
// term; ok is false when there is no such set or array.
func termStrings(t *ast.Term, key string) (out []string, ok bool) {
	obj, isObj := t.Value.(ast.Object)
	if !isObj {
		return nil, false
	}
	v := obj.Get(ast.StringTerm(key))
	if v == nil {
		return nil, false
	}
	add := func(e *ast.Term) {
		if s, isStr := e.Value.(ast.String); isStr {
			out = append(out, string(s))
		} else {
			ok = false
		}
	}
	ok = true
	switch c := v.Value.(type) {
	case ast.Set:
		c.Foreach(add)
	case *ast.Array:
		c.Foreach(add)
	default:
		return nil, false
	}
	return out, ok
}

// Classify classifies a chip (or, with contains, a computer or assembly) on
// date. The result depends only on the specification and the interval of
// the date between rule dates, which is the cache key.
func (d *Decider) Classify(ctx context.Context, chip *Chip, contains []Contained, date string) (*Classification, error) {
	key := appendSpec([]byte(d.pol.Interval(date)), chip, contains)
	v, err := d.ev.Eval(ctx, queryClassify, key, func() ast.Value { return specInput(date, chip, contains) }, convertClassification)
	if err != nil {
		return nil, err
	}
	return v.(*Classification), nil
}

func convertClassification(v any) (any, error) {
	if v == nil {
		return nil, errors.New("the policy gave no classification")
	}
	var c Classification
	if err := roundTrip(v, &c); err != nil {
		return nil, fmt.Errorf("classification: %w", err)
	}
	return &c, nil
}

// line returns an order line's classification and item classes on date;
// iv is the date's interval and buf scratch space for the key.
func (d *Decider) line(ctx context.Context, it Item, date, iv string, buf *[]byte) (*line, error) {
	*buf = appendSpec(append((*buf)[:0], iv...), it.Chip, it.Contains)
	v, err := d.ev.Eval(ctx, queryLine, *buf, func() ast.Value { return specInput(date, it.Chip, it.Contains) }, d.convertLine)
	if err != nil {
		return nil, err
	}
	return v.(*line), nil
}

func (d *Decider) convertLine(v any) (any, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, errors.New("the policy gave no item judgments")
	}
	c, err := convertClassification(m["classification"])
	if err != nil {
		return nil, err
	}
	views, _ := m["judged"].(map[string]any)
	l := &line{cls: c.(*Classification), classes: make(map[string]*itemClass, len(itemViews))}
	for _, view := range itemViews {
		if l.classes[view], err = d.classOf(view, views[view]); err != nil {
			return nil, err
		}
	}
	return l, nil
}

// classOf interns one view of an item's judgments: equal views get the same
// class id for the life of the Decider.
func (d *Decider) classOf(view string, v any) (*itemClass, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("item judgments: no %q view", view)
	}
	k := string(engine.AppendKey([]byte(view+"\x00"), m))
	if c, ok := d.classes.Load(k); ok {
		return c.(*itemClass), nil
	}
	id := int(d.nextClass.Add(1))
	val := make(map[string]any, len(m)+1)
	for f, x := range m {
		val[f] = x
	}
	val["class"] = id
	c, _ := d.classes.LoadOrStore(k, &itemClass{id: id, term: ast.NewTerm(astValue(val))})
	return c.(*itemClass), nil
}

// placeFacts returns data.chipcheck.place.facts of a country code on date,
// cached per interval between rule dates.
func (d *Decider) placeFacts(ctx context.Context, country, date string) (*ast.Term, error) {
	key := engine.AppendString([]byte(d.pol.Interval(date)), country)
	v, err := d.ev.Eval(ctx, queryPlace, key, func() ast.Value {
		return ast.NewObject(ast.Item(ast.StringTerm("country"), ast.StringTerm(country)), ast.Item(ast.StringTerm("date"), ast.StringTerm(date)))
	}, convertPlace)
	if err != nil {
		return nil, fmt.Errorf("place facts of %s on %s: %w", country, date, err)
	}
	return v.(*ast.Term), nil
}

// placeFields are what every stage reads of a country's facts: facts
// without one would let a requirement go unnoticed.
var placeFields = []string{"given", "code", "groups", "macau_d5", "d1_d4", "destination", "headquarters", "hbm", "end_use", "diffusion", "letters", "band"}

func convertPlace(v any) (any, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("the policy gave %T, not a country's facts", v)
	}
	for _, k := range placeFields {
		if _, ok := m[k]; !ok {
			return nil, fmt.Errorf("the policy's facts lack %q", k)
		}
	}
	return convertTerm(v)
}

func convertTerm(v any) (any, error) {
	if v == nil {
		return nil, errors.New("the policy gave none")
	}
	av, err := ast.InterfaceToValue(v)
	if err != nil {
		return nil, err
	}
	return ast.NewTerm(av), nil
}

// specInput is the input of the classify and line queries: {date, chip}
// or {date, contains}.
func specInput(date string, chip *Chip, contains []Contained) ast.Value {
	var spec any = chip
	field := "chip"
	if len(contains) > 0 {
		spec, field = contains, "contains"
	}
	in := map[string]any{"date": date}
	var v any
	if err := roundTrip(spec, &v); err != nil {
		// A spec is plain JSON-able data; this cannot happen.
		panic(fmt.Sprintf("orders: chip spec is not JSON: %v", err))
	}
	in[field] = v
	return astValue(in)
}

// roundTrip converts v into out through JSON.
func roundTrip(v, out any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, out)
}

// astValue converts a projection (JSON values only) for Rego.
func astValue(m map[string]any) ast.Value {
	v, err := ast.InterfaceToValue(m)
	if err != nil {
		panic(fmt.Sprintf("orders: projection is not JSON: %v", err))
	}
	return v
}

// appendSpec encodes every field of a chip or assembly specification, so
// that two specifications share a key only when they are equal.
func appendSpec(b []byte, chip *Chip, contains []Contained) []byte {
	if len(contains) > 0 {
		b = append(b, 'C')
		for _, c := range contains {
			b = strconv.AppendFloat(b, c.Count, 'g', -1, 64)
			b = append(b, ';')
			b = engine.AppendString(b, c.Catalog)
			b = appendChip(b, c.Chip)
		}
		return b
	}
	return appendChip(append(b, 'c'), chip)
}

func appendChip(b []byte, c *Chip) []byte {
	if c == nil {
		return append(b, 'n')
	}
	b = append(b, '{')
	for _, s := range []string{c.ID, c.Name, c.Catalog, c.DesignerCountry} {
		b = engine.AppendString(b, s)
	}
	b = appendOptBool(b, c.Datacenter)
	b = appendOptFloat(b, c.DieAreaMM2)
	b = appendOptFloat(b, c.MemoryBandwidthGBs)
	b = appendOptFloat(b, c.InterconnectGBs)
	b = appendPerf(b, c.Performance)
	for _, d := range c.Dies {
		b = append(b, 'd')
		b = engine.AppendString(b, d.Name)
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

func appendPerf(b []byte, ps []Perf) []byte {
	b = append(b, '[')
	for _, p := range ps {
		b = engine.AppendString(b, p.Format)
		b = strconv.AppendFloat(b, p.Bits, 'g', -1, 64)
		b = append(b, ',')
		b = strconv.AppendFloat(b, p.TOPS, 'g', -1, 64)
		b = append(b, ';')
	}
	return append(b, ']')
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
