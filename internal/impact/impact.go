// Package impact decides one corpus of records twice, under a baseline
// (policies and rules of another directory or git revision) and under the
// current ones, and reports every record whose decision or set of reasons
// changes, grouped by transition (allow→deny, ...) and by rule, with
// examples. It is what a compliance officer runs before a rule change goes
// live, and what CI runs as a gate on policy changes.
package impact

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/runner"
)

// Invalid is the "decision" of a record the baseline refused as input (a
// catalog name it did not know, say). It ranks above deny: a record
// refused before and allowed now is a loosening.
const Invalid = "invalid"

// Options say what to compare.
type Options struct {
	Baseline, Current runner.Options
	Read              runner.ReadOptions
	Paths             []string
	// Examples is how many example records each group keeps (default 5).
	Examples int
}

// Side names the policies and rules one side decided with.
type Side struct {
	Revision string `json:"revision"`
	Policies string `json:"policies"`
	Rules    string `json:"rules"`
}

// Change is one record whose decision or reasons differ.
type Change struct {
	ID   string `json:"id"`
	File string `json:"file"`
	Line int    `json:"line"`
	From string `json:"from"`
	To   string `json:"to"`
	// Added and Removed are reasons ("RULE outcome", "RULE outcome
	// waived") present on one side only.
	Added   []string `json:"added,omitempty"`
	Removed []string `json:"removed,omitempty"`
}

// Transition groups the records whose decision moved the same way.
type Transition struct {
	From     string   `json:"from"`
	To       string   `json:"to"`
	Count    int      `json:"count"`
	Examples []Change `json:"examples"`
}

// Name is "allow→deny"; "deny (reasons)" when only the reasons changed.
func (t Transition) Name() string {
	if t.From == t.To {
		return t.From + " (reasons only)"
	}
	return t.From + "→" + t.To
}

// RuleChange groups the records on which one rule appears or disappears.
type RuleChange struct {
	Rule     string   `json:"rule"`
	Added    int      `json:"added"`   // records on which it now fires (or fires with another outcome)
	Removed  int      `json:"removed"` // records on which it no longer does
	Examples []Change `json:"examples"`
}

// Report is the result of a comparison.
type Report struct {
	Baseline Side `json:"baseline"`
	Current  Side `json:"current"`
	Records  int  `json:"records"` // records decided under the current side
	Changed  int  `json:"changed"`
	// Loosened counts changes towards allow (deny→review, review→allow,
	// invalid→anything, ...); Tightened the opposite; the rest changed
	// their reasons only.
	Loosened    int          `json:"loosened"`
	Tightened   int          `json:"tightened"`
	ReasonsOnly int          `json:"reasons_only"`
	Transitions []Transition `json:"transitions"`
	Rules       []RuleChange `json:"rules"`
	// Errors counts records the current side could not judge.
	Errors int `json:"errors"`
}

// summary is what the comparison keeps of a baseline decision.
type summary struct {
	decision string
	reasons  []string
}

// Run decides the corpus under both sides. Input that the current side
// refuses is an error (as for check); records only the baseline refuses
// are reported as coming from Invalid. A record is matched across the two
// sides by file, line and id.
func Run(ctx context.Context, opts Options) (*Report, error) {
	if opts.Examples <= 0 {
		opts.Examples = 5
	}
	base, err := runner.Load(ctx, opts.Baseline)
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	cur, err := runner.Load(ctx, opts.Current)
	if err != nil {
		return nil, err
	}
	// The baseline decides first and keeps a summary of each decision;
	// each side's records are released as they are decided, so memory
	// never holds both corpora.
	baseRecs, _ := base.Read(ctx, opts.Read, opts.Paths...)
	before := make(map[string]summary, len(baseRecs))
	_, err = base.Decide(ctx, baseRecs, runner.Sink{Emit: func(d decision.Decision, _ []byte) error {
		before[key(d)] = summary{decision: d.Decision, reasons: reasonKeys(d)}
		return nil
	}})
	if err != nil {
		return nil, fmt.Errorf("baseline: %w", err)
	}
	curRecs, probs := cur.Read(ctx, opts.Read, opts.Paths...)
	if len(probs) > 0 {
		return nil, probs
	}
	if len(curRecs) == 0 {
		return nil, fmt.Errorf("no records to compare")
	}
	rep := &Report{Baseline: side(base), Current: side(cur)}
	b := newBuilder(opts.Examples)
	counts, err := cur.Decide(ctx, curRecs, runner.Sink{Emit: func(d decision.Decision, _ []byte) error {
		rep.Records++
		was, ok := before[key(d)]
		if !ok {
			was = summary{decision: Invalid}
		}
		now := reasonKeys(d)
		if was.decision == d.Decision && slices.Equal(was.reasons, now) {
			return nil
		}
		added, removed := diff(now, was.reasons)
		b.add(Change{ID: d.ID, File: d.Source.File, Line: d.Source.Line, From: was.decision, To: d.Decision, Added: added, Removed: removed})
		return nil
	}})
	if err != nil {
		return nil, err
	}
	rep.Errors = counts.Errors
	b.fill(rep)
	return rep, nil
}

func side(r *runner.Runner) Side {
	o := r.Policy.Origin()
	return Side{Revision: r.Policy.Revision(), Policies: o.Policies, Rules: o.Rules}
}

// key identifies a record in both runs: where it is and its id.
func key(d decision.Decision) string {
	return fmt.Sprintf("%s\x00%d\x00%s", d.Source.File, d.Source.Line, d.ID)
}

// reasonKeys is d's reasons as a sorted multiset of "RULE outcome[ waived]":
// a reworded message is not a change, a new rule, outcome or waiver is.
func reasonKeys(d decision.Decision) []string {
	out := make([]string, len(d.Reasons))
	for i, r := range d.Reasons {
		out[i] = r.Rule + " " + r.Outcome
		if r.Waived != "" {
			out[i] += " waived"
		}
	}
	slices.Sort(out)
	return out
}

// diff returns the elements of a not in b and of b not in a (multisets,
// both sorted).
func diff(a, b []string) (onlyA, onlyB []string) {
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || (i < len(a) && a[i] < b[j]):
			onlyA = append(onlyA, a[i])
			i++
		case i == len(a) || b[j] < a[i]:
			onlyB = append(onlyB, b[j])
			j++
		default:
			i++
			j++
		}
	}
	return onlyA, onlyB
}

// severity ranks decisions, Invalid (refused input) above deny.
func severity(d string) int {
	if d == Invalid {
		return 3
	}
	return decision.Severity(d)
}

// Loosening reports whether c moves towards allow.
func (c Change) Loosening() bool { return severity(c.To) < severity(c.From) }

// builder groups changes as they come (in input order).
type builder struct {
	examples    int
	rep         Report
	transitions map[[2]string]*Transition
	rules       map[string]*RuleChange
}

func newBuilder(examples int) *builder {
	return &builder{examples: examples, transitions: map[[2]string]*Transition{}, rules: map[string]*RuleChange{}}
}

func (b *builder) add(c Change) {
	b.rep.Changed++
	switch {
	case c.Loosening():
		b.rep.Loosened++
	case severity(c.To) > severity(c.From):
		b.rep.Tightened++
	default:
		b.rep.ReasonsOnly++
	}
	t := b.transitions[[2]string{c.From, c.To}]
	if t == nil {
		t = &Transition{From: c.From, To: c.To}
		b.transitions[[2]string{c.From, c.To}] = t
	}
	t.Count++
	if len(t.Examples) < b.examples {
		t.Examples = append(t.Examples, c)
	}
	// A rule counts once per record and direction, however many of its
	// reasons (hits, say) changed.
	touched := map[string]bool{}
	for dir, list := range [][]string{c.Added, c.Removed} {
		seen := map[string]bool{}
		for _, k := range list {
			rule, _, _ := strings.Cut(k, " ")
			if seen[rule] {
				continue
			}
			seen[rule] = true
			rc := b.rules[rule]
			if rc == nil {
				rc = &RuleChange{Rule: rule}
				b.rules[rule] = rc
			}
			if dir == 0 {
				rc.Added++
			} else {
				rc.Removed++
			}
			if !touched[rule] && len(rc.Examples) < b.examples {
				rc.Examples = append(rc.Examples, c)
			}
			touched[rule] = true
		}
	}
}

// fill writes the groups into rep: transitions loosening first, then by
// count; rules by records touched.
func (b *builder) fill(rep *Report) {
	rep.Changed, rep.Loosened, rep.Tightened, rep.ReasonsOnly = b.rep.Changed, b.rep.Loosened, b.rep.Tightened, b.rep.ReasonsOnly
	rep.Transitions = []Transition{}
	for _, t := range b.transitions {
		rep.Transitions = append(rep.Transitions, *t)
	}
	slices.SortFunc(rep.Transitions, func(x, y Transition) int {
		lx, ly := severity(x.To) < severity(x.From), severity(y.To) < severity(y.From)
		switch {
		case lx != ly && lx:
			return -1
		case lx != ly:
			return 1
		case x.Count != y.Count:
			return y.Count - x.Count
		}
		return strings.Compare(x.Name(), y.Name())
	})
	rep.Rules = []RuleChange{}
	for _, rc := range b.rules {
		rep.Rules = append(rep.Rules, *rc)
	}
	slices.SortFunc(rep.Rules, func(x, y RuleChange) int {
		if n := (y.Added + y.Removed) - (x.Added + x.Removed); n != 0 {
			return n
		}
		return strings.Compare(x.Rule, y.Rule)
	})
}
