package orders

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/engine"
	"github.com/chipcheck/chipcheck/internal/licenses"
	"github.com/chipcheck/chipcheck/internal/policy"
	"github.com/chipcheck/chipcheck/internal/record"
)

// Options configure a Decider.
type Options struct {
	Policy *policy.Policy
	// Evaluator evaluates the policy's queries (Queries): an
	// *engine.Engine prepared with them, or a test's own.
	Evaluator engine.Evaluator
	Facts     FactOptions
	// Now is the clock for chip records without --as-of (today's rules).
	Now func() time.Time
	// Licenses is the license register claims are matched against (nil:
	// none, and every license claim is reviewed as not verified).
	Licenses *licenses.Register
	// VerifyCache re-runs the stages of an order the order cache knows
	// and fails the decision if the findings differ (slow; for tests).
	VerifyCache bool
}

// Decider judges order and chip records. It is safe for concurrent use.
type Decider struct {
	pol   *policy.Policy
	ev    engine.Evaluator
	facts FactOptions
	now   func() time.Time

	classes   sync.Map // view + canonical view -> *itemClass
	nextClass atomic.Int64
	evals     sync.Pool // *orderEval, reused for its buffers

	register *licenses.Register // nil: no register configured; Prepare draws it down per batch

	orders orderCache // findings by order key (ordercache.go)
	verify bool       // re-run the stages on an order cache hit and compare

	letters    []Letter // FactOptions.Letters, each name a licenses.PartyKey
	exporters  sync.Map // exporter name -> addressed's result
	nExporters atomic.Int64
}

// New returns a Decider, once the policy has passed CheckPolicy.
func New(opts Options) (*Decider, error) {
	if opts.Policy == nil || opts.Evaluator == nil {
		return nil, errors.New("orders: a policy and an evaluator are required")
	}
	if err := CheckPolicy(opts.Policy); err != nil {
		return nil, err
	}
	d := &Decider{pol: opts.Policy, ev: opts.Evaluator, facts: opts.Facts, now: opts.Now, register: opts.Licenses, verify: opts.VerifyCache, letters: letterKeys(opts.Facts.Letters)}
	if d.now == nil {
		d.now = time.Now
	}
	return d, nil
}

// CheckPolicy checks that a policy defines every document this domain
// queries (a missing stage would silently judge nothing) and declares the
// rule id of an evaluation error.
func CheckPolicy(pol *policy.Policy) error {
	var missing []string
	for _, doc := range documents() {
		if !pol.Defines(doc) {
			missing = append(missing, doc)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("policies %s define no %s: every stage must be present", pol.Origin().Policies, strings.Join(missing, ", "))
	}
	if _, ok := pol.Rule(decision.EvalErrorRule); !ok {
		return fmt.Errorf("policies %s declare no METADATA for %s", pol.Origin().Policies, decision.EvalErrorRule)
	}
	return nil
}

// Decide judges one order or chip record. It never fails: a record that
// cannot be judged gets a CHIPCHECK-EVAL-ERROR reason.
func (d *Decider) Decide(ctx context.Context, rec *record.Record) decision.Decision {
	switch rec.Kind {
	case KindOrder:
		f, err := ForOrder(rec, d.facts)
		if err == nil {
			err = d.attachLicense(rec, f)
		}
		if err != nil {
			return d.failed(d.newDecision(rec, ""), err)
		}
		return d.decideOrder(ctx, f)
	case KindChip:
		c := ChipOf(rec)
		if c == nil {
			return d.failed(d.newDecision(rec, ""), fmt.Errorf("%s:%d: not a chip record", rec.Source.File, rec.Source.Line))
		}
		chip, err := ResolveChip(c, d.facts.Catalog)
		if err != nil {
			return d.failed(d.newDecision(rec, ""), err)
		}
		date := d.facts.AsOf
		if date == "" {
			date = d.now().UTC().Format(time.DateOnly)
		}
		return d.decideChip(ctx, rec, chip, date)
	}
	return d.failed(d.newDecision(rec, ""), fmt.Errorf("unknown kind %q", rec.Kind))
}

// decideChip judges a `kind: chip` record: its classification on date.
func (d *Decider) decideChip(ctx context.Context, rec *record.Record, chip *Chip, date string) decision.Decision {
	dec := d.newDecision(rec, date)
	c, err := d.Classify(ctx, chip, nil, date)
	if err != nil {
		return d.failed(dec, err)
	}
	dec.Items = []decision.Item{{SKU: rec.ID, Name: chip.Name, ECCN: c.ECCN, Paragraph: c.Paragraph, TPP: c.TPP, PD: c.PD}}
	dec.Reasons = append(dec.Reasons, c.Reasons...)
	dec.Finish()
	return dec
}

// decideOrder judges an order through the stages.
func (d *Decider) decideOrder(ctx context.Context, f *Facts) decision.Decision {
	dec := d.newDecision(f.Record, f.Date)
	dec.Screening = f.Hits
	o := d.orderEval(ctx, f)
	defer d.evals.Put(o)
	iv := d.pol.Interval(f.Date)
	var buf []byte
	for i, it := range f.Items {
		l, err := d.line(ctx, it, f.Date, iv, &buf)
		if err != nil {
			return d.failed(dec, fmt.Errorf("items[%d] %s: %w", i, it.SKU, err))
		}
		o.lines[i] = l
		name := ""
		if it.Chip != nil {
			name = it.Chip.Name
		}
		dec.Items = append(dec.Items, decision.Item{SKU: it.SKU, Name: name, ECCN: l.cls.ECCN, Paragraph: l.cls.Paragraph, TPP: l.cls.TPP, PD: l.cls.PD})
	}
	o.proj.reset(o)
	o.key = o.orderKey(o.key[:0])
	if cached, ok := d.orders.c.Get(o.key); ok && !d.verify {
		d.orders.hits.Add(1)
		o.found = append(o.found, cached...)
	} else {
		// A copy of the key: the stages reuse o.key as scratch space.
		key := string(o.key)
		if err := o.run(); err != nil {
			return d.failed(dec, err)
		}
		if ok {
			if diff := sameFindings(cached, o.found); diff != "" {
				return d.failed(dec, fmt.Errorf("order cache: the cached findings differ from a fresh evaluation: %s", diff))
			}
		} else {
			d.orders.misses.Add(1)
			d.orders.c.Put(key, slices.Clone(o.found))
		}
	}
	if len(o.found) == 0 {
		return d.failed(dec, errors.New("the policy returned no reasons"))
	}
	type keyed struct {
		r   decision.Reason
		key string
	}
	rs := make([]keyed, len(o.found))
	for i, fd := range o.found {
		r, key, err := o.reason(fd)
		if err != nil {
			return d.failed(dec, err)
		}
		rs[i] = keyed{r, key}
	}
	// The key orders the reasons of one rule (decision.Finish keeps it).
	slices.SortStableFunc(rs, func(a, b keyed) int { return cmp.Compare(a.key, b.key) })
	for _, k := range rs {
		dec.Reasons = append(dec.Reasons, k.r)
	}
	dec.Finish()
	return dec
}

func (d *Decider) newDecision(rec *record.Record, date string) decision.Decision {
	return decision.Decision{
		ID:     rec.ID,
		Kind:   rec.Kind,
		Source: decision.Source{File: rec.Source.File, Line: rec.Source.Line},
		Policy: decision.Policy{Revision: d.pol.Revision()},
		AsOf:   date,
	}
}

// failed records an evaluation error on d: it fails closed to review.
func (d *Decider) failed(dec decision.Decision, err error) decision.Decision {
	r, _ := d.pol.Rule(decision.EvalErrorRule)
	dec.Reasons = append(dec.Reasons, decision.EvalError(err, r.Citation))
	dec.Finish()
	return dec
}

// orderEval runs the stages for one order.
type orderEval struct {
	d     *Decider
	ctx   context.Context
	f     *Facts
	lines []*line
	date  string // the representative of the order date

	proj   projection
	places *ast.Term // facts of every country on the order, built on a cache miss
	err    error     // why the places could not be built
	reqs   []found   // the requirements found, each with its own facts
	found  []found   // the reasons
	key    []byte    // scratch space for cache keys
	auth   string    // the item view the authorization judgments read
}

// found is a reason (or requirement) a stage gave, with what it is about
// that the stage cannot say itself.
type found struct {
	m     map[string]any // as the policy gave it: shared, read-only
	enc   []byte         // a requirement's key encoding
	stage *stage
	line  int     // the line a per-line reason is about, else -1
	hit   int     // the hit a per-hit reason is about, else -1
	group []entry // the parties a per-headquarters stage judged
}

// entry is a party, or a party's ultimate parent, whose headquarters is
// given.
type entry struct {
	party  int // index in Facts.Parties
	parent bool
}

func (o *orderEval) at(st *stage) found { return found{stage: st, line: -1, hit: -1} }

// orderEval returns per-order state for f, reusing a pooled one's buffers.
func (d *Decider) orderEval(ctx context.Context, f *Facts) *orderEval {
	o, _ := d.evals.Get().(*orderEval)
	if o == nil {
		o = &orderEval{}
	}
	*o = orderEval{
		d: d, ctx: ctx, f: f, date: d.pol.Representative(f.Date),
		lines: slices.Grow(o.lines[:0], len(f.Items))[:len(f.Items)],
		proj:  projection{buf: o.proj.buf[:0]},
		reqs:  o.reqs[:0],
		found: o.found[:0],
		key:   o.key[:0],
	}
	return o
}

// run evaluates the stages of the table in order: once the requirement
// stages have found every requirement, the second step of each.
func (o *orderEval) run() error {
	second := false
	for _, st := range stages {
		if !st.requirements && !second {
			if err := o.requirementReasons(); err != nil {
				return err
			}
			second = true
		}
		if !o.runs(st) {
			continue
		}
		var err error
		switch st.per {
		case perOrder:
			err = o.eval(st, st.name, o.at(st), nil)
		case perHeadquarters:
			err = o.runHeadquarters(st)
		case perLine:
			err = o.runLines(st)
		case perHit:
			err = o.runHits(st)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// runs reports whether a stage runs for this order.
func (o *orderEval) runs(st *stage) bool {
	switch st.when {
	case claimed:
		return o.f.Order.License != nil || len(o.reqs) == 0
	}
	return true
}

// runHeadquarters evaluates a per-headquarters stage on each country where
// a party or ultimate parent is headquartered, with the parties there.
func (o *orderEval) runHeadquarters(st *stage) error {
	var hqs []string
	groups := map[string][]entry{}
	for i, p := range o.f.Parties {
		for _, e := range []entry{{i, false}, {i, true}} {
			hq := p.Headquarters
			if e.parent {
				hq = parentHQ(p)
			}
			if hq == "" {
				continue
			}
			if _, ok := groups[hq]; !ok {
				hqs = append(hqs, hq)
			}
			groups[hq] = append(groups[hq], e)
		}
	}
	for _, hq := range hqs {
		o.proj.set(fHeadquarters, hq)
		fd := o.at(st)
		fd.group = groups[hq]
		if err := o.eval(st, st.name, fd, nil); err != nil {
			return err
		}
	}
	return nil
}

func parentHQ(p RoleParty) string {
	if p.UltimateParent == nil {
		return ""
	}
	return p.UltimateParent.Headquarters
}

// eval evaluates query (a stage's, or the second step of a requirement
// stage) on the projection fields the stage sees, and records what it
// found, each about what proto says. extra, if set, adds to the key and
// the input what the fields do not hold.
func (o *orderEval) eval(st *stage, query string, proto found, extra *extraInput) error {
	fields, view := st.fields, st.view
	if extra != nil {
		fields, view = reasonFields, viewAuthorization
	}
	if view == viewAuthorization {
		view = o.auth
	}
	var items classSet
	if extra != nil {
		items = extra.items
	} else {
		items = o.distinct(o.lines, view)
	}
	key := o.key[:0]
	for f := fDate; f <= fLast; f <<= 1 {
		if fields&f != 0 {
			key = o.proj.appendKey(key, f)
		}
	}
	if view != "" {
		key = items.appendIDs(key)
	}
	if extra != nil {
		key = append(key, extra.key...)
		if proto.group != nil {
			key = engine.AppendKey(key, o.groupInput(proto.group))
		}
	}
	o.key = key
	v, err := o.d.ev.Eval(o.ctx, query, key, func() ast.Value {
		in := map[string]any{}
		for f := fDate; f <= fLast; f <<= 1 {
			if fields&f != 0 {
				o.proj.input(in, f)
			}
		}
		if extra != nil {
			in["requirement"] = extra.requirement
			if proto.group != nil {
				in["parties"] = o.groupInput(proto.group)
			}
		}
		obj := astValue(in).(ast.Object)
		if view != "" {
			obj.Insert(ast.StringTerm("items"), items.term())
		}
		if fields&fPlace != 0 {
			obj.Insert(ast.StringTerm("places"), o.placeTerm())
		}
		return obj
	}, convertStage)
	if err == nil {
		err = o.err
	}
	if err != nil {
		return fmt.Errorf("%s: %w", query, err)
	}
	res := v.(*stageResult)
	for i, m := range res.requirements {
		fd := proto
		fd.m, fd.enc = m, res.encodings[i]
		o.reqs = append(o.reqs, fd)
	}
	for _, m := range res.reasons {
		fd := proto
		fd.m = m
		o.found = append(o.found, fd)
	}
	return nil
}

// extraInput is what the second step of a requirement stage sees beside
// its fields: the requirement (and its key encoding), and its items in the
// authorization view.
type extraInput struct {
	requirement map[string]any
	key         []byte
	items       classSet
}

// requirementReasons runs the second step of every requirement found: the
// stage that found it writes its reason, seeing the claimed authorization
// and the kinds of all the order's requirements.
func (o *orderEval) requirementReasons() error {
	if err := o.authView(); err != nil {
		return err
	}
	instances := make([]map[string]any, len(o.reqs))
	kinds := []string{}
	for i, rq := range o.reqs {
		instances[i] = o.instance(rq)
		if k, _ := rq.m["kind"].(string); !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	slices.Sort(kinds)
	o.proj.set(fKinds, anys(kinds))
	slim := make([]any, len(instances))
	var ekey []byte
	for i, rq := range o.reqs {
		inst := instances[i]
		items := o.classesOf(o.linesOf(rq, inst["classes"]), o.auth)
		// The instance is the requirement (its encoding cached with the
		// stage's result) and its items.
		ekey = items.appendIDs(append(ekey[:0], rq.enc...))
		if err := o.eval(rq.stage, rq.stage.reasonQuery(), rq, &extraInput{requirement: inst, key: ekey, items: items}); err != nil {
			return err
		}
		slim[i] = map[string]any{"rule": inst["rule"], "kind": inst["kind"], "items": inst["items"], "headquarters": inst["headquarters"]}
	}
	o.proj.set(fRequirements, slim)
	return nil
}

// instance is a requirement as its second step and the authorization stage
// see it: the requirement and its items in the authorization view.
func (o *orderEval) instance(rq found) map[string]any {
	inst := make(map[string]any, len(rq.m)+1)
	for k, v := range rq.m {
		inst[k] = v
	}
	inst["items"] = o.classesOf(o.linesOf(rq, rq.m["classes"]), o.auth).ids()
	return inst
}

// authView asks the policy which item view its authorization judgments
// read for the order's claim.
func (o *orderEval) authView() error {
	claim := o.proj.value(fClaim)
	v, err := o.d.ev.Eval(o.ctx, queryAuthView, o.proj.appendKey(o.key[:0], fClaim), func() ast.Value {
		return astValue(map[string]any{"license": claim})
	}, func(v any) (any, error) {
		s, ok := v.(string)
		if !ok || !slices.Contains(itemViews, s) {
			return nil, fmt.Errorf("authorization.view is %v, not an item view", v)
		}
		return s, nil
	})
	if err != nil {
		return err
	}
	o.auth = v.(string)
	return nil
}

// groupInput is the parties of a per-headquarters stage's group, as its
// second step sees them.
func (o *orderEval) groupInput(group []entry) []any {
	out := make([]any, len(group))
	for i, e := range group {
		p := o.f.Parties[e.party]
		out[i] = map[string]any{"role": p.Role, "parent": e.parent, "country": p.Country}
	}
	return out
}

// classesOf is the distinct classes, in view, of some of the order's lines.
func (o *orderEval) classesOf(lines []int, view string) classSet {
	ls := make([]*line, len(lines))
	for i, l := range lines {
		ls[i] = o.lines[l]
	}
	return o.distinct(ls, view)
}

// runLines evaluates a per-line stage on each line's view.
func (o *orderEval) runLines(st *stage) error {
	codes := o.proj.value(fEndUse)
	for i, l := range o.lines {
		view := l.classes[st.view]
		o.key = engine.AppendKey(o.proj.appendKey(o.key[:0], fEndUse), view.id)
		v, err := o.d.ev.Eval(o.ctx, st.name, o.key, func() ast.Value {
			in := astValue(map[string]any{"end_use": codes}).(ast.Object)
			in.Insert(ast.StringTerm("item"), view.term)
			return in
		}, convertStage)
		if err != nil {
			return fmt.Errorf("%s: %w", st.name, err)
		}
		for _, m := range v.(*stageResult).reasons {
			fd := o.at(st)
			fd.m, fd.line = m, i
			o.found = append(o.found, fd)
		}
	}
	return nil
}

// runHits evaluates the screening stage on each hit, or once to say that
// nothing was screened.
func (o *orderEval) runHits(st *stage) error {
	add := func(in map[string]any, hit int) error {
		v, err := o.d.ev.Eval(o.ctx, st.name, engine.AppendKey(nil, in), func() ast.Value { return astValue(in) }, convertStage)
		if err != nil {
			return fmt.Errorf("%s: %w", st.name, err)
		}
		for _, m := range v.(*stageResult).reasons {
			fd := o.at(st)
			fd.m, fd.hit = m, hit
			o.found = append(o.found, fd)
		}
		return nil
	}
	if !o.f.Screened {
		return add(map[string]any{"screened": false}, -1)
	}
	for i, h := range o.f.Hits {
		if err := add(map[string]any{"hit": HitInput(h), "license": o.proj.value(fClaim)}, i); err != nil {
			return err
		}
	}
	if len(o.f.Parties) == 0 {
		if err := add(map[string]any{"no_party": true}, -1); err != nil {
			return err
		}
	}
	for i, u := range o.f.Unscreened {
		// Offset past the hits: the reason is about this party (reason).
		if err := add(map[string]any{"no_name": map[string]any{"party": u.Party}}, len(o.f.Hits)+i); err != nil {
			return err
		}
	}
	if fo := o.d.facts; fo.MaxListAgeDays > 0 {
		ls := make([]any, len(fo.Lists))
		for i, l := range fo.Lists {
			ls[i] = map[string]any{"id": l.ID, "name": l.Name, "snapshot": l.Snapshot, "age_days": l.AgeDays}
		}
		return add(map[string]any{"lists": ls, "max_age_days": fo.MaxListAgeDays}, -1)
	}
	return nil
}

// placeTerm is the facts of every country written on the order, for a
// stage input (built once per order, on the first cache miss).
func (o *orderEval) placeTerm() *ast.Term {
	if o.places == nil {
		out := ast.NewObject()
		for _, c := range o.f.Countries() {
			t, err := o.d.placeFacts(o.ctx, c, o.f.Date)
			if err != nil {
				// Reported once the stage's evaluation returns (eval).
				o.err = err
				continue
			}
			out.Insert(ast.StringTerm(c), t)
		}
		o.places = ast.NewTerm(out)
	}
	return o.places
}

// stageResult is what a stage query gave.
type stageResult struct {
	requirements []map[string]any
	encodings    [][]byte // each requirement's key encoding
	reasons      []map[string]any
}

func convertStage(v any) (any, error) {
	if m, ok := v.(map[string]any); ok {
		var r stageResult
		var err error
		if r.requirements, err = objects(m["requirements"]); err != nil {
			return nil, fmt.Errorf("requirements: %w", err)
		}
		r.encodings = make([][]byte, len(r.requirements))
		for i, req := range r.requirements {
			r.encodings[i] = engine.AppendKey(nil, req)
		}
		if r.reasons, err = objects(m["reasons"]); err != nil {
			return nil, fmt.Errorf("reasons: %w", err)
		}
		return &r, nil
	}
	rs, err := objects(v)
	if err != nil {
		return nil, err
	}
	return &stageResult{reasons: rs}, nil
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

// classSet is the distinct classes of some of an order's lines in one view.
type classSet []*itemClass

// appendIDs appends the key encoding of cs.ids() to b.
func (cs classSet) appendIDs(b []byte) []byte {
	b = append(b, '[')
	for _, c := range cs {
		b = engine.AppendKey(b, c.id)
	}
	return append(b, ']')
}

func (cs classSet) ids() []int {
	out := make([]int, len(cs))
	for i, c := range cs {
		out[i] = c.id
	}
	return out
}

// term is the classes' values, for a stage input.
func (cs classSet) term() *ast.Term {
	ts := make([]*ast.Term, len(cs))
	for i, c := range cs {
		ts[i] = c.term
	}
	return ast.ArrayTerm(ts...)
}

// distinct is the classes of lines in view, sorted by id.
func (o *orderEval) distinct(lines []*line, view string) classSet {
	if view == "" || view == viewLetters && !o.lettersMayApply() {
		// No letter can apply: the letters stage sees no item.
		return nil
	}
	var cs classSet
	for _, l := range lines {
		c := l.classes[view]
		if view == viewLetters && !c.reachesLetters() {
			// Only items a letter reaches can make it apply (letters.rego
			// reaches): the others are left out, so that orders share the
			// stage's results.
			continue
		}
		if !slices.ContainsFunc(cs, func(x *itemClass) bool { return x.id == c.id }) {
			cs = append(cs, c)
		}
	}
	slices.SortFunc(cs, func(a, b *itemClass) int { return a.id - b.id })
	return cs
}

// linesOf are the order lines a found reason names by item class, in the
// view of the stage that gave it ("all" names every line).
func (o *orderEval) linesOf(fd found, classes any) []int {
	var out []int
	switch cls := classes.(type) {
	case string:
		if cls == "all" {
			for i := range o.lines {
				out = append(out, i)
			}
		}
	case []any:
		for i, l := range o.lines {
			if c := l.classes[fd.stage.view]; c != nil && slices.ContainsFunc(cls, func(x any) bool { n, ok := asInt(x); return ok && n == c.id }) {
				out = append(out, i)
			}
		}
	}
	return out
}
