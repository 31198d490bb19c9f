package onboarding

import (
	"cmp"
	"math"
	"slices"
	"strings"
)

// The ownership roll-up. Effective ownership multiplies the stakes along
// each chain from an owner down to the customer and adds the chains up
// (A holds 80% of B, B 80% of the customer: A holds 64%). Walks go up
// from the customer, never follow an entity already on the chain (a
// cycle, reported), and stop after a step budget (a structure that needs
// more is not established). Percentages are rounded to 1e-6 for the
// policy, so that 50% stays exactly 50.

// graph is the ownership graph of one application.
type graph struct {
	owners   map[string][]stake // owned -> its direct owners, in record order
	entities map[string]*Entity
	budget   int // steps one walk may take
}

type stake struct {
	owner string
	pct   float64
}

func newGraph(o *Ownership, budget int) *graph {
	g := &graph{owners: map[string][]stake{}, entities: map[string]*Entity{}, budget: budget}
	if o == nil {
		return g
	}
	g.entities = o.Entities
	for _, e := range o.Edges {
		g.owners[e.Owned] = append(g.owners[e.Owned], stake{e.Owner, e.Pct})
	}
	return g
}

// chain is one path from an owner down to the customer: Nodes[0] is the
// owner the walk stopped at, the last node is the customer; Stakes[i] is
// Nodes[i]'s stake in Nodes[i+1].
type chain struct {
	Nodes  []string
	Stakes []float64
	Pct    float64 // the product, in %
}

// walk is the result of one walk.
type walk struct {
	Pct      float64 // the chains summed, in %
	Chains   []chain
	Cycles   [][]string // each cycle once, from its first entity back to it
	Complete bool       // false when the budget ran out
	// Reach is the effective share of every entity the walk met: its
	// chains down to the customer summed, in %.
	Reach map[string]float64
}

// share walks up from the customer and stops at every entity stop accepts,
// adding the chain that reached it: the share held through those entities
// (counted at the first one met, never twice).
func (g *graph) share(stop func(id string) bool) walk {
	w := walk{Complete: true, Reach: map[string]float64{}}
	steps := g.budget
	seenCycle := map[string]bool{}
	path := []string{customerNode}
	var stakes []float64
	on := map[string]bool{customerNode: true}
	var visit func(n string, p float64)
	visit = func(n string, p float64) {
		for _, s := range g.owners[n] {
			if steps--; steps < 0 {
				w.Complete = false
				return
			}
			if on[s.owner] {
				i := slices.Index(path, s.owner)
				cyc := append(slices.Clone(path[i:]), s.owner)
				if k := cycleKey(cyc); !seenCycle[k] {
					seenCycle[k] = true
					// Written owner first: reversed, as stakes run
					// from owner to owned.
					slices.Reverse(cyc)
					w.Cycles = append(w.Cycles, cyc)
				}
				continue
			}
			q := p * s.pct / 100
			w.Reach[s.owner] += q * 100
			if stop(s.owner) {
				w.Pct += q * 100
				w.keep(path, stakes, s, q*100)
				continue
			}
			path, stakes = append(path, s.owner), append(stakes, s.pct)
			on[s.owner] = true
			visit(s.owner, q)
			on[s.owner] = false
			path, stakes = path[:len(path)-1], stakes[:len(stakes)-1]
			if !w.Complete {
				return
			}
		}
	}
	visit(customerNode, 1)
	w.Pct = round6(min(w.Pct, 100))
	for i := range w.Chains {
		w.Chains[i].Pct = round6(w.Chains[i].Pct)
	}
	for id, v := range w.Reach {
		w.Reach[id] = round6(min(v, 100))
	}
	return w
}

// keep adds the chain of path and its last stake s (q %) to the largest
// maxChains chains, largest first: a hostile graph has billions of chains,
// and only the largest are evidence.
func (w *walk) keep(path []string, stakes []float64, s stake, q float64) {
	if len(w.Chains) == maxChains && q <= w.Chains[maxChains-1].Pct {
		return
	}
	nodes := append(slices.Clone(path), s.owner)
	st := append(slices.Clone(stakes), s.pct)
	slices.Reverse(nodes)
	slices.Reverse(st)
	c := chain{Nodes: nodes, Stakes: st, Pct: q}
	i, _ := slices.BinarySearchFunc(w.Chains, q, func(c chain, q float64) int { return cmp.Compare(q, c.Pct) })
	// After chains of the same share: the first found stays first.
	for i < len(w.Chains) && w.Chains[i].Pct == q {
		i++
	}
	w.Chains = slices.Insert(w.Chains, i, c)
	if len(w.Chains) > maxChains {
		w.Chains = w.Chains[:maxChains]
	}
}

// cycleKey names a cycle whatever entity it was entered at.
func cycleKey(c []string) string {
	ring := c[:len(c)-1]
	i := slices.Index(ring, slices.Min(ring))
	return strings.Join(append(slices.Clone(ring[i:]), ring[:i]...), "\x00")
}

// roots are the entities without owners in the graph: the ultimate owners.
func (g *graph) root(id string) bool { return len(g.owners[id]) == 0 }

// terminal is an owner whose ownership is established: a natural person,
// a government, or a publicly listed company.
func (g *graph) terminal(id string) bool {
	e := g.entities[id]
	return e != nil && (e.Type == NatPerson || e.Type == Government || e.Listed)
}

// aggregate applies a 50%-style rule (OFAC; the BIS Affiliates Rule): an
// entity is tainted when it is listed, or when tainted entities hold at
// least from % of it directly, summed; this spreads up to the customer
// through any chain, cycles included (the set only grows). It returns the
// customer's directly held share by tainted owners and those owners.
func (g *graph) aggregate(listed func(id string) bool, from float64) (float64, []string) {
	tainted := map[string]bool{}
	for id := range g.entities {
		if listed(id) {
			tainted[id] = true
		}
	}
	held := func(n string) float64 {
		s := 0.0
		for _, st := range g.owners[n] {
			if tainted[st.owner] {
				s += st.pct
			}
		}
		return round6(s)
	}
	for changed := true; changed; {
		changed = false
		for id := range g.entities {
			if !tainted[id] && held(id) >= from {
				tainted[id], changed = true, true
			}
		}
	}
	var owners []string
	for _, st := range g.owners[customerNode] {
		if tainted[st.owner] {
			owners = append(owners, st.owner)
		}
	}
	return held(customerNode), owners
}

func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }
