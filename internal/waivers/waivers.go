// Package waivers exempts named records and parties from named rules after
// the policies have decided. A waived reason stays on the decision, marked
// with the waiver's id, and the outcome is recomputed from the reasons
// that are not waived. Waivers live in rules/waivers.yaml (with the list
// of rules no waiver may touch) and, optionally, in a file of their own.
//
// A waiver matches no more than it names: one rule id, and either one
// record (its id and the sha256 of its content), or one party (its name,
// compared ignoring case and spacing), or one party's hit on one list
// entry. A malformed waiver is an error, never ignored; an expired one
// does not apply.
package waivers

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/chipcheck/chipcheck/internal/decision"
)

// File is the rule file that holds the not_waivable list and waivers.
const File = "waivers.yaml"

// Waiver is one exemption.
type Waiver struct {
	ID     string `yaml:"id" json:"id"`
	Rule   string `yaml:"rule" json:"rule"`
	Record string `yaml:"record" json:"record,omitempty"`
	// SHA256 pins a record waiver to the record's content
	// (provenance.input_sha256 of its decision): another record reusing
	// the id is not waived.
	SHA256 string `yaml:"sha256" json:"sha256,omitempty"`
	Party  string `yaml:"party" json:"party,omitempty"`
	// EntryID narrows a party waiver to the party's hit on one list entry.
	EntryID       string `yaml:"entry_id" json:"entry_id,omitempty"`
	Justification string `yaml:"justification" json:"justification"`
	Approver      string `yaml:"approver" json:"approver"`
	Ticket        string `yaml:"ticket" json:"ticket"`
	Expires       string `yaml:"expires" json:"expires"` // YYYY-MM-DD, the last day it applies
	// Where it was written, for messages.
	File string `yaml:"-" json:"file"`
	Line int    `yaml:"-" json:"line"`
}

// Scope says what the waiver names: "record", "party" or "party+entry".
func (w *Waiver) Scope() string {
	switch {
	case w.Record != "":
		return "record"
	case w.EntryID != "":
		return "party+entry"
	}
	return "party"
}

// NotWaivable is a rule no waiver may exempt: always, or, with MinScore,
// a hit scoring at least that (an exact list match scores 1).
type NotWaivable struct {
	Rule     string   `yaml:"rule"`
	MinScore *float64 `yaml:"min_score"`
	Why      string   `yaml:"why"`
}

// doc is the shape of a waivers file.
type doc struct {
	NotWaivable []NotWaivable `yaml:"not_waivable"`
	Waivers     []yaml.Node   `yaml:"waivers"`
}

// Options say what to load.
type Options struct {
	// Rules is rules/waivers.yaml as read ("" or nil: none); RulesName
	// names it in messages.
	Rules     []byte
	RulesName string
	// Extra is another file of waivers (only `waivers:`), e.g. from the
	// configuration; ExtraName names it.
	Extra     []byte
	ExtraName string
	// Known reports whether a rule id is declared by the policies; a
	// waiver of an unknown rule is refused. nil accepts every id.
	Known func(id string) bool
	// Today is the date expiry is judged on.
	Today time.Time
}

// Set is the waivers in force, safe for concurrent use.
type Set struct {
	notWaivable []NotWaivable
	active      []*Waiver
	expired     []*Waiver
	used        map[string]*atomic.Int64 // by waiver id, active ones only
}

// evalErrorRule can never be waived, whatever the data says: a record that
// could not be judged has no decision to exempt.
const evalErrorRule = decision.EvalErrorRule

var (
	idRE   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	hashRE = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// Load reads and checks the waivers. Every problem (an unknown key, a
// missing field, a bad date, a waiver of a rule that may not be waived,
// two waivers with one id) is reported, with file and line, in one error.
func Load(opts Options) (*Set, error) {
	s := &Set{used: map[string]*atomic.Int64{}}
	var probs []string
	var ws []*Waiver
	if len(opts.Rules) > 0 {
		d, p := parse(opts.RulesName, opts.Rules)
		probs = append(probs, p...)
		s.notWaivable = d.NotWaivable
		for i, nw := range d.NotWaivable {
			switch {
			case nw.Rule == "" || nw.Why == "":
				probs = append(probs, fmt.Sprintf("%s: not_waivable.%d: rule and why are required", opts.RulesName, i))
			case opts.Known != nil && !opts.Known(nw.Rule):
				// A misspelt id here would make the rule waivable.
				probs = append(probs, fmt.Sprintf("%s: not_waivable.%d: %s is not a rule id the policies declare", opts.RulesName, i, nw.Rule))
			}
		}
		ws = append(ws, decodeWaivers(opts.RulesName, d.Waivers, &probs)...)
	}
	if len(opts.Extra) > 0 {
		d, p := parse(opts.ExtraName, opts.Extra)
		probs = append(probs, p...)
		var top map[string]any
		if _ = yaml.Unmarshal(opts.Extra, &top); top["not_waivable"] != nil || len(d.NotWaivable) > 0 {
			probs = append(probs, fmt.Sprintf("%s: not_waivable: only rules/%s says which rules may not be waived", opts.ExtraName, File))
		}
		ws = append(ws, decodeWaivers(opts.ExtraName, d.Waivers, &probs)...)
		if len(opts.Rules) == 0 {
			probs = append(probs, fmt.Sprintf("%s: waivers need rules/%s with its not_waivable list", opts.ExtraName, File))
		}
	}
	if len(ws) > 0 && len(s.notWaivable) == 0 {
		probs = append(probs, fmt.Sprintf("%s: not_waivable: required when there are waivers", opts.RulesName))
	}
	today := opts.Today.UTC().Format(time.DateOnly)
	seen := map[string]*Waiver{}
	for _, w := range ws {
		at := fmt.Sprintf("%s:%d", w.File, w.Line)
		for _, p := range s.problems(w, opts.Known) {
			probs = append(probs, fmt.Sprintf("%s: waiver %s: %s", at, w.ID, p))
		}
		if prev, dup := seen[w.ID]; dup && w.ID != "" {
			probs = append(probs, fmt.Sprintf("%s: waiver id %s is already used at %s:%d", at, w.ID, prev.File, prev.Line))
		}
		seen[w.ID] = w
		if w.Expires < today {
			s.expired = append(s.expired, w)
			continue
		}
		s.active = append(s.active, w)
		s.used[w.ID] = new(atomic.Int64)
	}
	if len(probs) > 0 {
		return nil, fmt.Errorf("waivers:\n  %s", strings.Join(probs, "\n  "))
	}
	return s, nil
}

// parse decodes a waivers file strictly: an unknown key is an error.
func parse(name string, b []byte) (doc, []string) {
	var d doc
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	// An empty file (io.EOF) holds no waivers.
	if err := dec.Decode(&d); err != nil && !errors.Is(err, io.EOF) {
		return doc{}, []string{fmt.Sprintf("%s: %v", name, err)}
	}
	return d, nil
}

// decodeWaivers decodes each waiver strictly, remembering its line.
func decodeWaivers(name string, nodes []yaml.Node, probs *[]string) []*Waiver {
	var out []*Waiver
	for i := range nodes {
		n := &nodes[i]
		w := &Waiver{}
		// Node.Decode does not refuse unknown keys: check them here.
		if n.Kind != yaml.MappingNode {
			*probs = append(*probs, fmt.Sprintf("%s:%d: waivers.%d: want a mapping", name, n.Line, i))
			continue
		}
		for j := 0; j+1 < len(n.Content); j += 2 {
			k := n.Content[j]
			if !slices.Contains(waiverKeys, k.Value) {
				*probs = append(*probs, fmt.Sprintf("%s:%d: waivers.%d.%s: unknown key (known: %s)", name, k.Line, i, k.Value, strings.Join(waiverKeys, ", ")))
			}
			if v := n.Content[j+1]; v.Kind != yaml.ScalarNode {
				*probs = append(*probs, fmt.Sprintf("%s:%d: waivers.%d.%s: want a single value", name, v.Line, i, k.Value))
			}
		}
		if err := n.Decode(w); err != nil {
			*probs = append(*probs, fmt.Sprintf("%s:%d: waivers.%d: %v", name, n.Line, i, err))
			continue
		}
		w.File, w.Line = name, n.Line
		out = append(out, w)
	}
	return out
}

var waiverKeys = []string{"id", "rule", "record", "sha256", "party", "entry_id", "justification", "approver", "ticket", "expires"}

// problems lists what is wrong with one waiver.
func (s *Set) problems(w *Waiver, known func(string) bool) []string {
	var out []string
	if !idRE.MatchString(w.ID) {
		out = append(out, "id: want letters, digits, '.', '_' or '-' (at most 64)")
	}
	switch {
	case w.Rule == "":
		out = append(out, "rule: required")
	case w.Rule == evalErrorRule:
		out = append(out, "rule: "+evalErrorRule+" can never be waived")
	case known != nil && !known(w.Rule):
		out = append(out, fmt.Sprintf("rule: %s is not a rule id the policies declare", w.Rule))
	}
	for _, nw := range s.notWaivable {
		if nw.Rule == w.Rule && nw.MinScore == nil {
			out = append(out, fmt.Sprintf("rule: %s may not be waived (%s)", w.Rule, nw.Why))
		}
	}
	switch {
	case w.Record != "" && w.Party != "":
		out = append(out, "record and party: name one or the other")
	case w.Record == "" && w.Party == "":
		out = append(out, "record or party: required")
	case w.Record != "" && !hashRE.MatchString(w.SHA256):
		out = append(out, "sha256: a record waiver needs the record's provenance.input_sha256 (64 hex digits)")
	case w.Record != "" && w.EntryID != "":
		out = append(out, "entry_id: only with party")
	case w.Party != "" && w.SHA256 != "":
		out = append(out, "sha256: only with record")
	case w.Party != "" && fold(w.Party) == "":
		out = append(out, "party: blank")
	}
	for k, v := range map[string]string{"justification": w.Justification, "approver": w.Approver, "ticket": w.Ticket} {
		if strings.TrimSpace(v) == "" {
			out = append(out, k+": required")
		}
	}
	if _, err := time.Parse(time.DateOnly, w.Expires); err != nil {
		out = append(out, fmt.Sprintf("expires: want a date YYYY-MM-DD, got %q", w.Expires))
	}
	slices.Sort(out)
	return out
}

// Apply marks the reasons of d that an active waiver covers and
// recomputes d's outcome from the reasons left. digest is the sha256 of
// the record's content. A nil Set waives nothing.
func (s *Set) Apply(d *decision.Decision, digest string) {
	if s == nil || len(s.active) == 0 {
		return
	}
	changed := false
	for i := range d.Reasons {
		r := &d.Reasons[i]
		if r.Waived != "" || !s.waivable(r) {
			continue
		}
		for _, w := range s.active {
			if w.matches(d.ID, digest, r) {
				r.Waived = w.ID
				s.used[w.ID].Add(1)
				changed = true
				break
			}
		}
	}
	if changed {
		d.Finish()
	}
}

// waivable reports whether any waiver may exempt r.
func (s *Set) waivable(r *decision.Reason) bool {
	if r.Rule == evalErrorRule {
		return false
	}
	for _, nw := range s.notWaivable {
		if nw.Rule != r.Rule {
			continue
		}
		if nw.MinScore == nil {
			return false
		}
		// A hit without a readable score is treated as exact.
		score, ok := number(r.Facts["score"])
		if !ok || score >= *nw.MinScore {
			return false
		}
	}
	return true
}

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int:
		return float64(n), true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}

func (w *Waiver) matches(id, digest string, r *decision.Reason) bool {
	if w.Rule != r.Rule {
		return false
	}
	if w.Record != "" {
		return w.Record == id && w.SHA256 == digest
	}
	// The party a reason is about: its ultimate parent when the reason
	// says so (facts.party.ultimate_parent), else the party itself; a
	// waiver of the party does not reach findings about its parent.
	party, _ := r.Facts["party"].(map[string]any)
	name, _ := party["name"].(string)
	if up, ok := party["ultimate_parent"]; ok {
		name, _ = up.(string)
	}
	if name == "" || fold(name) != fold(w.Party) {
		return false
	}
	if w.EntryID != "" {
		e, _ := r.Facts["entry_id"].(string)
		return e == w.EntryID
	}
	return true
}

// fold compares party names ignoring case and spacing only: anything
// looser would let a waiver reach parties it does not name.
func fold(s string) string { return strings.Join(strings.Fields(strings.ToLower(s)), " ") }

// Active lists the waivers in force; Expired those past their date.
func (s *Set) Active() []*Waiver  { return slices.Clone(s.active) }
func (s *Set) Expired() []*Waiver { return slices.Clone(s.expired) }

// Unused lists the active waivers that have waived nothing so far.
func (s *Set) Unused() []*Waiver {
	var out []*Waiver
	for _, w := range s.active {
		if s.used[w.ID].Load() == 0 {
			out = append(out, w)
		}
	}
	return out
}

// NotWaivableRules lists the rules no waiver may exempt (data and the
// evaluation error).
func (s *Set) NotWaivableRules() []NotWaivable {
	return append([]NotWaivable{{Rule: evalErrorRule, Why: "a record that could not be judged has no decision to waive"}}, s.notWaivable...)
}
