package orders

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/chipcheck/chipcheck/internal/decision"
)

// reason turns what a stage found into a decision reason, adding to its
// facts the record's own values it is about (stages see classes, roles and
// whether a number is given, never SKUs, names and numbers), and returns
// the key that orders it among reasons of its rule.
func (o *orderEval) reason(fd found) (decision.Reason, string, error) {
	r := decision.Reason{}
	r.Rule, _ = fd.m["rule"].(string)
	r.Outcome, _ = fd.m["outcome"].(string)
	r.Message, _ = fd.m["message"].(string)
	r.Citation, _ = fd.m["citation"].(string)
	key, _ := fd.m["key"].(string)
	if r.Rule == "" || r.Outcome == "" {
		return r, "", fmt.Errorf("%s stage: a reason without rule or outcome: %v", fd.stage.name, fd.m)
	}
	if _, ok := o.d.pol.Rule(r.Rule); !ok {
		return r, "", fmt.Errorf("%s stage: reason %s: no rule declares this id in its METADATA", fd.stage.name, r.Rule)
	}
	facts := map[string]any{}
	if m, ok := fd.m["facts"].(map[string]any); ok {
		for k, v := range m {
			facts[k] = v
		}
	}
	about, _ := fd.m["about"].(map[string]any)
	lines := o.linesOf(fd, about["classes"])
	if fd.line >= 0 {
		lines = []int{fd.line}
	}
	if len(lines) > 0 {
		items := make([]any, len(lines))
		for j, i := range lines {
			l := o.lines[i]
			items[j] = map[string]any{"sku": o.f.Items[i].SKU, "eccn": l.cls.ECCN, "tpp": ptr(l.cls.TPP), "pd": ptr(l.cls.PD)}
		}
		facts["items"] = items
	}
	if i, ok := asInt(about["party"]); ok {
		if i < 0 || i >= len(fd.group) {
			return r, "", fmt.Errorf("%s: reason %s is about party %d of %d", fd.stage.name, r.Rule, i, len(fd.group))
		}
		facts["party"] = o.partyFacts(fd.group[i])
	}
	if fd.hit >= 0 {
		// A hit, or past the hits a party with nothing to screen.
		h := o.f.party(fd.hit)
		facts["party"] = map[string]any{"role": h.Party, "name": h.PartyName}
	}
	if about["license"] == true {
		if l := o.f.Order.License; l != nil {
			lf := map[string]any{"type": l.Type}
			number := strings.TrimSpace(l.Number)
			if number != "" {
				lf["number"] = number
			}
			if l.NotifiedOn != "" {
				lf["notified_on"] = l.NotifiedOn
				if n, ok := noticeDays(o.f, l.NotifiedOn); ok {
					lf["notice_days"] = n
				}
			}
			facts["license"] = lf
			r.Message = strings.ReplaceAll(r.Message, licenseNumber, number)
		}
	}
	if len(facts) > 0 {
		r.Facts = facts
	}
	return r, key, nil
}

// licenseNumber is lib.license_number: where a message names the order's
// license number.
const licenseNumber = "{license.number}"

// partyFacts names the party (and, for a parent, its ultimate parent) a
// per-party reason is about.
func (o *orderEval) partyFacts(e entry) map[string]any {
	p := o.f.Parties[e.party]
	m := map[string]any{"role": p.Role, "name": p.Name}
	if up := p.UltimateParent; up != nil && e.parent {
		m["ultimate_parent"] = up.Name
	}
	return m
}

// HitInput is a hit as the screening stage (data.chipcheck.screening) sees it.
func HitInput(h decision.Hit) map[string]any {
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

// days counts whole days from a to b (YYYY-MM-DD).
func days(a, b string) (int, bool) {
	ta, err1 := time.Parse(time.DateOnly, a)
	tb, err2 := time.Parse(time.DateOnly, b)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return int(tb.Sub(ta).Hours() / 24), true
}
