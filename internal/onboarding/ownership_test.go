package onboarding

import (
	"slices"
	"testing"
	"time"
)

// own builds an ownership of edges "owner>owned:pct" and entities
// id -> {hq, type}.
func own(edges []Edge, ents map[string]Entity) *Ownership {
	o := &Ownership{Status: "verified", Edges: edges, Entities: map[string]*Entity{}}
	for id, e := range ents {
		e.ID = id
		if e.Type == "" {
			e.Type = Company
		}
		o.Entities[id] = &e
		o.EntityOrder = append(o.EntityOrder, id)
	}
	slices.Sort(o.EntityOrder)
	return o
}

func TestShare(t *testing.T) {
	cn := func(g *graph) func(string) bool {
		return func(id string) bool { return g.entities[id] != nil && g.entities[id].HQ == "CN" }
	}
	tests := []struct {
		name       string
		o          *Ownership
		stop       func(g *graph) func(string) bool
		pct        float64
		chains     int
		cycles     int
		incomplete bool
	}{
		{name: "chain multiplies: 80% of 80% is 64%",
			o:    own([]Edge{{"holdco", "customer", 80}, {"parent", "holdco", 80}}, map[string]Entity{"holdco": {HQ: "KY"}, "parent": {HQ: "CN"}}),
			stop: cn, pct: 64, chains: 1},
		{name: "paths add up to exactly 50%: 30% direct + 50% of 40%",
			o:    own([]Edge{{"a", "customer", 30}, {"a", "b", 50}, {"b", "customer", 40}}, map[string]Entity{"a": {HQ: "CN"}, "b": {HQ: "SG"}}),
			stop: cn, pct: 50, chains: 2},
		{name: "counted at the first restricted company, never twice",
			o:    own([]Edge{{"y", "customer", 60}, {"x", "y", 100}}, map[string]Entity{"x": {HQ: "CN"}, "y": {HQ: "CN"}}),
			stop: cn, pct: 60, chains: 1},
		{name: "25% exactly: 50% of 50%",
			o:    own([]Edge{{"a", "customer", 50}, {"b", "a", 50}}, map[string]Entity{"a": {HQ: "SG"}, "b": {HQ: "CN"}}),
			stop: cn, pct: 25, chains: 1},
		{name: "a cycle above the restricted owner is not reached",
			o:    own([]Edge{{"a", "customer", 100}, {"b", "a", 50}, {"a", "b", 50}}, map[string]Entity{"a": {HQ: "SG"}, "b": {HQ: "CN"}}),
			stop: cn, pct: 50, chains: 1},
		{name: "the roots walk reports the cycle once and does not follow it",
			o:    own([]Edge{{"a", "customer", 100}, {"b", "a", 50}, {"a", "b", 50}}, map[string]Entity{"a": {HQ: "SG"}, "b": {HQ: "CN"}}),
			stop: func(g *graph) func(string) bool { return g.root }, pct: 0, cycles: 1},
		{name: "a cycle of the roots walk: nobody at the top",
			o:    own([]Edge{{"a", "customer", 100}, {"b", "a", 100}, {"c", "b", 100}, {"a", "c", 100}}, map[string]Entity{"a": {}, "b": {}, "c": {}}),
			stop: func(g *graph) func(string) bool { return g.root }, pct: 0, cycles: 1},
		{name: "a self-feeding loop through the customer's owner",
			o:    own([]Edge{{"a", "customer", 60}, {"b", "customer", 40}, {"a", "b", 100}, {"b", "a", 40}}, map[string]Entity{"a": {HQ: "CN"}, "b": {HQ: "SG"}}),
			stop: cn, pct: 100, chains: 2},
		{name: "the same loop walked to the roots: two cycle entries, one cycle",
			o:    own([]Edge{{"a", "customer", 60}, {"b", "customer", 40}, {"a", "b", 100}, {"b", "a", 40}}, map[string]Entity{"a": {HQ: "CN"}, "b": {HQ: "SG"}}),
			stop: func(g *graph) func(string) bool { return g.root }, pct: 0, cycles: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newGraph(tt.o, 100000)
			w := g.share(tt.stop(g))
			if w.Pct != tt.pct || len(w.Chains) != tt.chains || len(w.Cycles) != tt.cycles || w.Complete == tt.incomplete {
				t.Errorf("share = %v%% chains %d cycles %v complete %v; want %v%% chains %d cycles %d complete %v",
					w.Pct, len(w.Chains), w.Cycles, w.Complete, tt.pct, tt.chains, tt.cycles, !tt.incomplete)
			}
			for i := 1; i < len(w.Chains); i++ {
				if w.Chains[i].Pct > w.Chains[i-1].Pct {
					t.Errorf("chains not largest first: %v", w.Chains)
				}
			}
		})
	}
}

func TestShareChainEvidence(t *testing.T) {
	g := newGraph(own([]Edge{{"holdco", "customer", 80}, {"parent", "holdco", 80}}, map[string]Entity{"holdco": {HQ: "KY"}, "parent": {HQ: "CN"}}), 100)
	w := g.share(g.root)
	c := w.Chains[0]
	if !slices.Equal(c.Nodes, []string{"parent", "holdco", "customer"}) || !slices.Equal(c.Stakes, []float64{80, 80}) || c.Pct != 64 {
		t.Errorf("chain = %+v", c)
	}
	if w.Reach["parent"] != 64 || w.Reach["holdco"] != 80 {
		t.Errorf("reach = %v", w.Reach)
	}
	// Two paths to one owner add up: 30% direct + 50% of 40%.
	g = newGraph(own([]Edge{{"a", "customer", 30}, {"a", "b", 50}, {"b", "customer", 40}}, map[string]Entity{"a": {}, "b": {}}), 100)
	if r := g.share(g.root).Reach; r["a"] != 50 || r["b"] != 40 {
		t.Errorf("reach = %v", r)
	}
}

// TestShareBudget: 2^30 paths through a ladder of 30 rungs end at the
// step budget, quickly, marked incomplete.
func TestShareBudget(t *testing.T) {
	var edges []Edge
	ents := map[string]Entity{}
	prev := []string{"customer"}
	for i := range 30 {
		next := []string{string(rune('a'+i%26)) + "1-" + itoa(i), string(rune('a'+i%26)) + "2-" + itoa(i)}
		for _, n := range next {
			ents[n] = Entity{HQ: "SG"}
			for _, p := range prev {
				edges = append(edges, Edge{n, p, 50})
			}
		}
		prev = next
	}
	g := newGraph(own(edges, ents), 10000)
	start := time.Now()
	w := g.share(g.root)
	if w.Complete {
		t.Errorf("a walk of 2^30 paths completed within 10000 steps: %v%%", w.Pct)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("the budgeted walk took %v", d)
	}
	if g2 := newGraph(own(edges[:8], ents), 10000); !g2.share(g2.root).Complete {
		t.Error("a small graph did not complete")
	}
}

func itoa(i int) string { return string(rune('0'+i/10)) + string(rune('0'+i%10)) }

func TestAggregate(t *testing.T) {
	sdn := func(ids ...string) func(string) bool { return func(id string) bool { return slices.Contains(ids, id) } }
	tests := []struct {
		name   string
		o      *Ownership
		listed []string
		pct    float64
		owners []string
	}{
		{name: "owned 50% by a blocked owner makes the holdco blocked: its whole stake counts",
			o:      own([]Edge{{"a", "customer", 50}, {"s", "a", 50}, {"s", "customer", 10}}, map[string]Entity{"a": {}, "s": {}}),
			listed: []string{"s"}, pct: 60, owners: []string{"a", "s"}},
		{name: "49% is not blocked",
			o:      own([]Edge{{"a", "customer", 50}, {"s", "a", 49}, {"s", "customer", 10}}, map[string]Entity{"a": {}, "s": {}}),
			listed: []string{"s"}, pct: 10, owners: []string{"s"}},
		{name: "several blocked owners summed",
			o:      own([]Edge{{"s1", "customer", 25}, {"s2", "customer", 25}, {"x", "customer", 50}}, map[string]Entity{"s1": {}, "s2": {}, "x": {}}),
			listed: []string{"s1", "s2"}, pct: 50, owners: []string{"s1", "s2"}},
		{name: "through a cycle: blocked status spreads, the loop ends",
			o:      own([]Edge{{"a", "customer", 100}, {"b", "a", 50}, {"a", "b", 50}, {"s", "b", 50}}, map[string]Entity{"a": {}, "b": {}, "s": {}}),
			listed: []string{"s"}, pct: 100, owners: []string{"a"}},
		{name: "none listed", o: own([]Edge{{"a", "customer", 100}}, map[string]Entity{"a": {}}), pct: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newGraph(tt.o, 1000)
			pct, owners := g.aggregate(sdn(tt.listed...), 50)
			slices.Sort(owners)
			if pct != tt.pct || !slices.Equal(owners, tt.owners) {
				t.Errorf("aggregate = %v%% %v, want %v%% %v", pct, owners, tt.pct, tt.owners)
			}
		})
	}
}

func TestIDReuse(t *testing.T) {
	app := func(id, date, reg, doc string) *Application {
		a := &Application{ID: id, Date: date, Customer: Customer{Registration: &Registration{Country: "SG", Number: reg}}}
		a.Users = []User{{UserID: "u-" + id, IDDoc: &IDDoc{NumberHMAC: doc}}}
		return a
	}
	apps := []*Application{
		app("a", "2026-07-01", "R1", "hm:1"),
		app("b", "2026-08-15", "R2", "hm:1"),   // another organisation, 45 days later
		app("c", "2026-08-20", "R1", "hm:1"),   // the first organisation again: its own document
		app("d", "2026-06-01", "R3", "hm:1"),   // earlier than a, later in the input
		app("e", "2026-08-01", " r2 ", "hm:2"), // same registration as b, written otherwise
	}
	got := idReuse(apps)
	want := map[int][]reuse{
		0: {{holder: "user u-a", other: "d", otherDate: "2026-06-01", days: 30}},
		1: {{holder: "user u-b", other: "a", otherDate: "2026-07-01", days: 45}, {holder: "user u-b", other: "d", otherDate: "2026-06-01", days: 75}},
		2: {{holder: "user u-c", other: "b", otherDate: "2026-08-15", days: 5}, {holder: "user u-c", other: "d", otherDate: "2026-06-01", days: 80}},
	}
	for i := range apps {
		if !slices.Equal(got[i], want[i]) {
			t.Errorf("%s: reuses %+v, want %+v", apps[i].ID, got[i], want[i])
		}
	}
}

// TestOwnershipInputPersonsCount: an owner declared a natural person but
// based in a restricted country still counts, so that calling a parent a
// person does not hide it.
func TestOwnershipInputPersonsCount(t *testing.T) {
	rs := builtinRules(t)
	a := &Application{Customer: Customer{Type: LegalEntity}, Ownership: own([]Edge{{"p", "customer", 60}, {"q", "customer", 40}},
		map[string]Entity{"p": {Type: NatPerson, HQ: "CN"}, "q": {Type: NatPerson, HQ: "US"}})}
	in := ownershipInput(a, rs.Onboarding(), nil)
	if r := in["restricted"].(map[string]any); r["pct"] != 60.0 {
		t.Errorf("restricted = %v", r)
	}
	if in["unestablished_pct"] != 0.0 || in["required"] != true {
		t.Errorf("ownership = %v", in)
	}
}

// TestIDReuseSameNumberOtherName: another organisation that gives the same
// registration number is not the same organisation.
func TestIDReuseSameNumberOtherName(t *testing.T) {
	mk := func(id, name string) *Application {
		return &Application{ID: id, Date: "2026-07-01", Customer: Customer{LegalName: name, Registration: &Registration{Country: "SG", Number: "R1"}},
			Users: []User{{UserID: "u", IDDoc: &IDDoc{NumberHMAC: "hm:1"}}}}
	}
	got := idReuse([]*Application{mk("a", "Alpha Pte. Ltd."), mk("b", "ALPHA PTE LTD"), mk("c", "Gamma Pte. Ltd.")})
	if len(got[1]) != 0 || len(got[2]) != 2 {
		t.Errorf("reuses = %+v", got)
	}
}
