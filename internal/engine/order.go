package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/facts"
	"github.com/chipcheck/chipcheck/internal/record"
)

// orderEval runs the stages for one order. What each stage is given is the
// whole of what it may read (documented at the top of each stage's Rego
// package); the cache key encodes exactly that, with item classes as ids.
type orderEval struct {
	e     *Engine
	ctx   context.Context
	f     *facts.Order
	lines []*line
	date  string // the representative date
}

// found is a requirement or reason a stage returned: the object as cached
// (shared, read-only), per-order overrides of its fields, and what it is
// about.
type found struct {
	m     map[string]any
	over  map[string]any
	stage string // the stage that made it (its item view names m["classes"])
	line  int    // the order line it is about (line stage), else -1
	hit   int    // the screening hit it is about, else -1
}

func (f found) get(k string) any {
	if v, ok := f.over[k]; ok {
		return v
	}
	return f.m[k]
}

func tag(ms []map[string]any, stage string) []found {
	out := make([]found, len(ms))
	for i, m := range ms {
		out[i] = found{m: m, stage: stage, line: -1, hit: -1}
	}
	return out
}

// stage runs one stage. key holds the stage's fields beyond date,
// destination and ship_from (common to all but flags), already encoded;
// input builds those fields, called only on a cache miss; items are the
// item classes of the stage's view (nil: the order's).
func (o *orderEval) stage(name string, key []byte, input func(map[string]any), items classSet) ([]found, []found, error) {
	st := o.e.stages[name]
	ord := o.f.Record.Order
	common := name != stageFlags
	if st.view != "" && items == nil {
		items = distinct(o.lines, st.view)
	}
	k := make([]byte, 0, 64+len(key))
	if common {
		k = appendKey(appendKey(appendKey(k, o.date), ord.Destination), ord.ShipFrom)
	}
	k = append(k, key...)
	if st.view != "" {
		k = appendKey(k, items.ids())
	}
	r, err := o.e.run(o.ctx, name, string(k), func() ast.Value {
		in := map[string]any{}
		if common {
			in["date"], in["destination"], in["ship_from"] = o.date, ord.Destination, ord.ShipFrom
		}
		if input != nil {
			input(in)
		}
		if st.view != "" {
			in["items"] = items.values()
		}
		if !common {
			return astInput(in, nil)
		}
		return astInput(in, map[string]*ast.Term{"places": o.places()})
	})
	if err != nil {
		return nil, nil, err
	}
	return tag(r.requirements, name), tag(r.reasons, name), nil
}

// places is the facts of every country written on the order, for a stage
// input (a cache miss).
func (o *orderEval) places() *ast.Term {
	out := ast.NewObject()
	for _, c := range o.f.Countries() {
		if t, err := o.e.placeFacts(o.ctx, c, o.date); err == nil {
			out.Insert(ast.StringTerm(c), t)
		}
	}
	return ast.NewTerm(out)
}

// reasons runs every stage and returns what they found, not yet decorated.
func (o *orderEval) reasons() ([]found, error) {
	ord := o.f.Record.Order
	var reqs, reasons []found
	add := func(rq, rs []found, err error) error {
		reqs = append(reqs, rq...)
		reasons = append(reasons, rs...)
		return err
	}

	// Requirements.
	if err := add(o.stage(stageDestination, nil, nil, nil)); err != nil {
		return nil, err
	}
	for _, p := range o.f.Parties {
		if err := o.partyRequirements(p, p.Headquarters, false, &reqs); err != nil {
			return nil, err
		}
		if up := p.UltimateParent; up != nil {
			if err := o.partyRequirements(p, up.Headquarters, true, &reqs); err != nil {
				return nil, err
			}
		}
	}
	codes := anys(ord.EndUse.Codes)
	endUser := ""
	if eu := ord.Parties.EndUser; eu != nil {
		endUser = eu.Country
	}
	if err := add(o.stage(stageEndUse, appendKey(appendKey(nil, codes), endUser), func(in map[string]any) {
		in["end_use"], in["end_user"] = codes, map[string]any{"country": endUser}
	}, nil)); err != nil {
		return nil, err
	}
	if o.f.Exporter != "" {
		var hqs []any
		for _, p := range o.f.Parties {
			h := map[string]any{"role": p.Role, "headquarters": p.Headquarters}
			if up := p.UltimateParent; up != nil {
				h["ultimate_parent"] = map[string]any{"headquarters": up.Headquarters}
			}
			hqs = append(hqs, h)
		}
		if err := add(o.stage(stageLetters, appendKey(appendKey(nil, o.f.Exporter), hqs), func(in map[string]any) {
			in["exporter"], in["parties"] = o.f.Exporter, hqs
		}, nil)); err != nil {
			return nil, err
		}
	}
	if o.e.stages[stageOrder].used {
		r, err := o.e.run(o.ctx, stageOrder, "", func() ast.Value { return astInput(o.whole(), nil) })
		if err != nil {
			return nil, err
		}
		reqs, reasons = append(reqs, tag(r.requirements, stageOrder)...), append(reasons, tag(r.reasons, stageOrder)...)
	}

	// Authorization: each requirement on its own, then the claimed license
	// or exception, or why nothing is needed.
	slices.SortFunc(reqs, func(a, b found) int { return strings.Compare(fmt.Sprint(a.get("key")), fmt.Sprint(b.get("key"))) })
	// The number itself never decides anything; it is added to the facts
	// of the reasons (see reason) so that orders share cached results.
	lic := map[string]any{}
	if l := ord.License; l != nil {
		lic["type"], lic["numbered"], lic["notified"], lic["notice_problem"] = l.Type, strings.TrimSpace(l.Number) != "", false, nil
		if n, ok := days(l.NotifiedOn, o.f.Date); ok {
			p, err := o.e.noticeProblem(o.ctx, n)
			if err != nil {
				return nil, err
			}
			lic["notified"], lic["notice_problem"] = true, p
		}
	}
	// Screening first: claims and clearance must know of a listed party.
	var listed []any
	if !o.f.Screened {
		r, err := o.e.run(o.ctx, stageScreening, "not screened", func() ast.Value {
			return astInput(map[string]any{"screened": false}, nil)
		})
		if err != nil {
			return nil, err
		}
		reasons = append(reasons, tag(r.reasons, stageScreening)...)
	}
	for i, h := range o.f.Hits {
		in := map[string]any{"hit": hitInput(h), "license": lic}
		r, err := o.e.run(o.ctx, stageScreening, keyOf(in), func() ast.Value { return astInput(in, nil) })
		if err != nil {
			return nil, err
		}
		for _, m := range r.reasons {
			reasons = append(reasons, found{m: m, stage: stageScreening, line: -1, hit: i})
			listed = append(listed, map[string]any{"rule": m["rule"], "outcome": m["outcome"]})
		}
	}
	var kinds []any
	for _, r := range reqs {
		if k := r.get("kind"); !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	slices.SortFunc(kinds, func(a, b any) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
	lk := appendKey(appendKey(nil, lic), kinds)
	// Coverage and claims see the items' exception eligibility only when
	// the order claims a License Exception; otherwise the lighter "review"
	// view.
	covView := "review"
	if l := ord.License; l != nil && (l.Type == "NAC" || l.Type == "ACA") {
		covView = "authorization"
	}
	for _, r := range reqs {
		cs, ids := o.translate(r, covView)
		slim := map[string]any{"kind": r.get("kind"), "rule": r.get("rule"), "classes": ids,
			"headquarters": r.get("headquarters"), "party_country": r.get("party_country")}
		_, cov, err := o.stage(stageCoverage, appendKey(append([]byte(nil), lk...), slim), func(in map[string]any) {
			in["license"], in["kinds"], in["requirements"] = lic, kinds, []any{slim}
		}, cs)
		if err != nil {
			return nil, err
		}
		for _, st := range cov {
			reasons = append(reasons, requirementReason(r, st.m))
		}
	}
	if l := ord.License; l != nil && l.Type != "" {
		all := make([]any, len(reqs))
		var ck []byte
		for i, r := range reqs {
			_, ids := o.translate(r, covView)
			m := map[string]any{"rule": r.get("rule"), "kind": r.get("kind"), "classes": ids,
				"headquarters": r.get("headquarters"), "party_country": r.get("party_country")}
			all[i] = m
			ck = appendKey(ck, m)
		}
		if err := add(o.stage(stageClaims, appendKey(append(append([]byte(nil), lk...), ck...), listed), func(in map[string]any) {
			in["license"], in["kinds"], in["requirements"], in["screening"] = lic, kinds, all, listed
		}, distinct(o.lines, covView))); err != nil {
			return nil, err
		}
	}
	if len(reqs) == 0 {
		if err := add(o.stage(stageClearance, appendKey(nil, listed), func(in map[string]any) {
			in["requirements"], in["screening"] = []any{}, listed
		}, nil)); err != nil {
			return nil, err
		}
	}

	// Reasons about single lines, flags and hits.
	ck := appendKey(nil, codes)
	for i, l := range o.lines {
		view := l.classes["line"]
		r, err := o.e.run(o.ctx, stageLine, string(appendKey(append([]byte(nil), ck...), view.id)), func() ast.Value {
			return astInput(map[string]any{"end_use": codes, "item": view.value}, nil)
		})
		if err != nil {
			return nil, err
		}
		for _, m := range r.reasons {
			reasons = append(reasons, found{m: m, stage: stageLine, line: i, hit: -1})
		}
	}
	if len(ord.RedFlags) > 0 {
		flags := anys(ord.RedFlags)
		if err := add(o.stage(stageFlags, appendKey(nil, flags), func(in map[string]any) { in["red_flags"] = flags }, nil)); err != nil {
			return nil, err
		}
	}
	return reasons, nil
}

// partyRequirements asks the party stage about one headquarters country
// and makes the requirements it returns this party's (or its parent's).
func (o *orderEval) partyRequirements(p facts.Party, hq string, parent bool, reqs *[]found) error {
	if hq == "" {
		return nil
	}
	rq, _, err := o.stage(stageParty, appendKey(nil, hq), func(in map[string]any) { in["headquarters"] = hq }, nil)
	if err != nil {
		return err
	}
	subject := "the " + p.Role + " is "
	if parent {
		subject = "the " + p.Role + "'s ultimate parent is "
	}
	for _, r := range rq {
		facts := map[string]any{"party": p.Role}
		if f, ok := r.m["facts"].(map[string]any); ok {
			for k, v := range f {
				facts[k] = v
			}
		}
		r.over = map[string]any{
			"key":           fmt.Sprintf("%v/%s/%v", r.m["key"], p.Role, parent),
			"message":       subject + fmt.Sprint(r.m["message"]),
			"party":         map[string]any{"role": p.Role, "parent": parent},
			"party_country": p.Country,
			"facts":         facts,
		}
		*reqs = append(*reqs, r)
	}
	return nil
}

// requirementReason is a requirement's reason: its rule, citation and
// message, completed by the status the coverage stage gave it.
func requirementReason(req found, status map[string]any) found {
	m := map[string]any{
		"rule":     req.get("rule"),
		"citation": req.get("citation"),
		"classes":  req.get("classes"),
		"party":    req.get("party"),
		"outcome":  status["outcome"],
		"message":  fmt.Sprintf("%v; %v", req.get("message"), status["message"]),
	}
	facts := map[string]any{}
	for _, src := range []any{req.get("facts"), status["facts"]} {
		if f, ok := src.(map[string]any); ok {
			for k, v := range f {
				facts[k] = v
			}
		}
	}
	m["facts"] = facts
	return found{m: m, stage: req.stage, line: -1, hit: -1}
}

// linesOf are the order lines a found requirement or reason names by item
// class (in the view of the stage that made it).
func (o *orderEval) linesOf(f found) []int {
	var out []int
	switch cls := f.get("classes").(type) {
	case string: // "all"
		for i := range o.lines {
			out = append(out, i)
		}
	case []any:
		view := ""
		if st := o.e.stages[f.stage]; st != nil {
			view = st.view
		}
		for i, l := range o.lines {
			if c := l.classes[view]; c != nil && slices.ContainsFunc(cls, func(x any) bool { n, ok := asInt(x); return ok && n == c.id }) {
				out = append(out, i)
			}
		}
	}
	return out
}

// translate finds the classes, in view to, of the lines a requirement
// names.
func (o *orderEval) translate(req found, to string) (classSet, []int) {
	var lines []*line
	for _, i := range o.linesOf(req) {
		lines = append(lines, o.lines[i])
	}
	cs := distinct(lines, to)
	return cs, cs.ids()
}

// reason turns what a stage found into a decision reason, adding to its
// facts the order's items, party or hit it refers to (stages see classes
// and roles, not SKUs and names).
func (o *orderEval) reason(f found) (decision.Reason, error) {
	r := decision.Reason{}
	r.Rule, _ = f.get("rule").(string)
	r.Outcome, _ = f.get("outcome").(string)
	r.Message, _ = f.get("message").(string)
	r.Citation, _ = f.get("citation").(string)
	if r.Rule == "" || r.Outcome == "" {
		return r, fmt.Errorf("reason without rule or outcome: %v", f.m)
	}
	facts := map[string]any{}
	if m, ok := f.get("facts").(map[string]any); ok {
		for k, v := range m {
			facts[k] = v
		}
	}
	lines := o.linesOf(f)
	if f.line >= 0 {
		lines = []int{f.line}
	}
	if len(lines) > 0 {
		items := make([]any, len(lines))
		for j, i := range lines {
			l := o.lines[i]
			items[j] = map[string]any{"sku": o.f.Items[i].SKU, "eccn": l.cls.ECCN, "tpp": ptr(l.cls.TPP), "pd": ptr(l.cls.PD)}
		}
		facts["items"] = items
	}
	if p, ok := f.get("party").(map[string]any); ok {
		role, _ := p["role"].(string)
		parent, _ := p["parent"].(bool)
		facts["party"] = o.partyFacts(role, parent)
	}
	if f.hit >= 0 {
		h := o.f.Hits[f.hit]
		facts["party"] = map[string]any{"role": h.Party, "name": h.PartyName}
	}
	_, authorized := facts["authorized_by"]
	if l := o.f.Record.Order.License; l != nil && (authorized || f.stage == stageClaims || f.hit >= 0) {
		lf := map[string]any{"type": l.Type}
		if n := strings.TrimSpace(l.Number); n != "" {
			lf["number"] = n
			if authorized || r.Outcome == decision.Allow && f.stage == stageClaims {
				// Cite the authorization the stage could not see.
				r.Message += fmt.Sprintf(" (%s %s)", l.Type, n)
			}
		}
		if l.NotifiedOn != "" {
			lf["notified_on"] = l.NotifiedOn
			if n, ok := days(l.NotifiedOn, o.f.Date); ok {
				lf["notice_days"] = n
			}
		}
		facts["license"] = lf
	}
	if len(facts) > 0 {
		r.Facts = facts
	}
	return r, nil
}

func (o *orderEval) partyFacts(role string, parent bool) map[string]any {
	for _, p := range o.f.Parties {
		if p.Role != role {
			continue
		}
		m := map[string]any{"role": role, "name": p.Name}
		if up := p.UltimateParent; up != nil && parent {
			m["ultimate_parent"] = up.Name
		}
		return m
	}
	return map[string]any{"role": role}
}

// whole is the whole-order stage's input.
func (o *orderEval) whole() map[string]any {
	ord := o.f.Record.Order
	items := make([]any, len(o.lines))
	for i, l := range o.lines {
		m := map[string]any{"sku": o.f.Items[i].SKU, "quantity": o.f.Items[i].Quantity}
		for k, v := range l.value {
			m[k] = v
		}
		items[i] = m
	}
	order := map[string]any{
		"id": ord.ID, "date": o.f.Date, "ship_from": ord.ShipFrom, "destination": ord.Destination,
		"end_use": map[string]any{"codes": anys(ord.EndUse.Codes)}, "red_flags": anys(ord.RedFlags),
	}
	if ord.Exporter != nil {
		order["exporter"] = partyInput("exporter", *ord.Exporter)
	}
	if l := ord.License; l != nil {
		order["license"] = map[string]any{"type": l.Type, "number": l.Number, "notified_on": l.NotifiedOn}
	}
	parties := make([]any, len(o.f.Parties))
	for i, p := range o.f.Parties {
		parties[i] = partyInput(p.Role, p.Party)
	}
	hits := make([]any, len(o.f.Hits))
	for i, h := range o.f.Hits {
		hits[i] = hitInput(h)
	}
	return map[string]any{"order": order, "items": items, "parties": parties, "screening": hits,
		"screened": o.f.Screened, "config": map[string]any{"exporter": o.f.Exporter}}
}

// itemInput is an order line's chip fields and classification, without
// the sku and quantity.
func itemInput(it record.Item, c *Classification) map[string]any {
	m := map[string]any{}
	if it.Chip != nil {
		chipInput(m, it.Chip)
	}
	classInput(m, c)
	if len(it.Contains) > 0 {
		cs := make([]any, len(it.Contains))
		for i, ct := range it.Contains {
			cm := map[string]any{"count": ct.Count}
			if ct.Chip != nil {
				chipInput(cm, ct.Chip)
			}
			if i < len(c.Contains) {
				classInput(cm, &c.Contains[i])
			}
			cs[i] = cm
		}
		m["contains"] = cs
	}
	return m
}

func chipInput(m map[string]any, c *record.Chip) {
	set(m, "name", c.Name)
	set(m, "catalog", c.Catalog)
	set(m, "designer_country", c.DesignerCountry)
	if c.Datacenter != nil {
		m["datacenter"] = *c.Datacenter
	}
	if c.GP10Named {
		m["gp10_named"] = true
	}
	if c.MemoryBandwidthGBs != nil {
		m["memory_bandwidth_gbs"] = *c.MemoryBandwidthGBs
	}
	if c.InterconnectGBs != nil {
		m["interconnect_gbs"] = *c.InterconnectGBs
	}
}

func classInput(m map[string]any, c *Classification) {
	m["eccn"] = c.ECCN
	m["paragraph"] = c.Paragraph
	m["tpp"] = ptr(c.TPP)
	m["pd"] = ptr(c.PD)
	m["why"] = c.Why()
}

func partyInput(role string, p record.Party) map[string]any {
	m := map[string]any{"role": role, "name": p.Name}
	set(m, "country", p.Country)
	set(m, "address", p.Address)
	set(m, "headquarters", p.Headquarters)
	if up := p.UltimateParent; up != nil {
		u := map[string]any{"name": up.Name}
		set(u, "country", up.Country)
		set(u, "headquarters", up.Headquarters)
		m["ultimate_parent"] = u
	}
	return m
}

func hitInput(h decision.Hit) map[string]any {
	return map[string]any{
		"party":               h.Party,
		"list":                h.List,
		"list_name":           h.ListName,
		"entry_id":            h.EntryID,
		"entry":               h.Entry,
		"matched":             h.Matched,
		"score":               h.Score,
		"countries":           anys(h.Countries),
		"explanation":         h.Explanation,
		"license_requirement": h.LicenseRequirement,
		"license_policy":      h.LicensePolicy,
		"federal_register":    h.FederalRegister,
	}
}

func ptr(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

func set(m map[string]any, k, v string) {
	if v != "" {
		m[k] = v
	}
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// asInt reads a number as Rego returns it.
func asInt(x any) (int, bool) {
	switch n := x.(type) {
	case json.Number:
		i, err := n.Int64()
		return int(i), err == nil
	case float64:
		return int(n), true
	case int:
		return n, true
	}
	return 0, false
}
