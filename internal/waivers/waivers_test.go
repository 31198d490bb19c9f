package waivers

import (
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chipcheck/chipcheck/internal/decision"
)

const notWaivable = `
not_waivable:
  - {rule: CHIPCHECK-EVAL-ERROR, why: "not judged"}
  - {rule: EAR-742.6-DEST, why: "license only"}
  - {rule: SCREEN-SDN, min_score: 1, why: "blocked person"}
`

const digest = "2af1bf0b2af1bf0b2af1bf0b2af1bf0b2af1bf0b2af1bf0b2af1bf0b2af1bf0b"

// The fixed clock every test judges expiry on.
var today = time.Date(2026, 12, 3, 23, 0, 0, 0, time.UTC)

var known = map[string]bool{"CHIPCHECK-EVAL-ERROR": true, "EAR-742.6-DEST": true, "SCREEN-SDN": true,
	"SCREEN-EL": true, "SCREEN-POSSIBLE-MATCH": true, "EAR-732-RED-FLAG": true, "NO-LICENSE-REQUIRED": true}

func load(t *testing.T, waivers string) (*Set, error) {
	t.Helper()
	return Load(Options{Rules: []byte(notWaivable + "waivers:\n" + waivers), RulesName: "rules/waivers.yaml",
		Known: func(id string) bool { return known[id] }, Today: today})
}

func mustLoad(t *testing.T, waivers string) *Set {
	t.Helper()
	s, err := load(t, waivers)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func w(fields string) string {
	return "  - {justification: cleared, approver: J. Doe, ticket: COMP-1, " + fields + "}\n"
}

func hit(rule, outcome, party, entry string, score float64) decision.Reason {
	return decision.Reason{Rule: rule, Outcome: outcome, Facts: map[string]any{
		"party": map[string]any{"role": "buyer", "name": party}, "entry_id": entry, "score": score}}
}

func order(reasons ...decision.Reason) decision.Decision {
	d := decision.Decision{ID: "SO-1", Reasons: append(reasons, decision.Reason{Rule: "NO-LICENSE-REQUIRED", Outcome: "allow"})}
	d.Finish()
	return d
}

func TestApply(t *testing.T) {
	cases := []struct {
		name    string
		waivers string
		reasons []decision.Reason
		digest  string
		want    string   // decision after waivers
		waived  []string // waiver id per reason, in Finish order
	}{
		{"party waiver clears its possible match",
			w(`id: W1, rule: SCREEN-POSSIBLE-MATCH, party: "acme  TRADING gmbh", expires: 2026-12-31`),
			[]decision.Reason{hit("SCREEN-POSSIBLE-MATCH", "review", "Acme Trading GmbH", "30947", 0.9)}, digest,
			"allow", []string{"W1", ""}},
		{"party waiver does not reach another party",
			w(`id: W1, rule: SCREEN-POSSIBLE-MATCH, party: "Acme Trading GmbH", expires: 2026-12-31`),
			[]decision.Reason{hit("SCREEN-POSSIBLE-MATCH", "review", "Acme Trading GmbH Berlin", "30947", 0.9)}, digest,
			"review", []string{"", ""}},
		{"party waiver does not reach another rule",
			w(`id: W1, rule: SCREEN-POSSIBLE-MATCH, party: "Acme Trading GmbH", expires: 2026-12-31`),
			[]decision.Reason{hit("SCREEN-EL", "deny", "Acme Trading GmbH", "30947", 0.97)}, digest,
			"deny", []string{"", ""}},
		{"party and entry: only that entry's hit",
			w(`id: W1, rule: SCREEN-EL, party: "Acme Trading GmbH", entry_id: "e1", expires: 2026-12-31`),
			[]decision.Reason{hit("SCREEN-EL", "deny", "Acme Trading GmbH", "e1", 0.97), hit("SCREEN-EL", "deny", "Acme Trading GmbH", "e2", 0.96)}, digest,
			"deny", []string{"W1", "", ""}},
		{"expires at the end of its day: today is its last",
			w(`id: W1, rule: SCREEN-POSSIBLE-MATCH, party: "Acme Trading GmbH", expires: 2026-12-03`),
			[]decision.Reason{hit("SCREEN-POSSIBLE-MATCH", "review", "Acme Trading GmbH", "30947", 0.9)}, digest,
			"allow", []string{"W1", ""}},
		{"expired yesterday: the finding counts",
			w(`id: W1, rule: SCREEN-POSSIBLE-MATCH, party: "Acme Trading GmbH", expires: 2026-12-02`),
			[]decision.Reason{hit("SCREEN-POSSIBLE-MATCH", "review", "Acme Trading GmbH", "30947", 0.9)}, digest,
			"review", []string{"", ""}},
		{"record waiver pinned to the record's content",
			w(`id: W1, rule: EAR-732-RED-FLAG, record: SO-1, sha256: ` + digest + `, expires: 2026-12-31`),
			[]decision.Reason{{Rule: "EAR-732-RED-FLAG", Outcome: "review"}}, digest,
			"allow", []string{"W1", ""}},
		{"record waiver: same id, other content",
			w(`id: W1, rule: EAR-732-RED-FLAG, record: SO-1, sha256: ` + digest + `, expires: 2026-12-31`),
			[]decision.Reason{{Rule: "EAR-732-RED-FLAG", Outcome: "review"}}, strings.Repeat("0", 64),
			"review", []string{"", ""}},
		{"one of two findings waived: the other decides",
			w(`id: W1, rule: SCREEN-POSSIBLE-MATCH, party: "Acme Trading GmbH", expires: 2026-12-31`),
			[]decision.Reason{hit("SCREEN-POSSIBLE-MATCH", "review", "Acme Trading GmbH", "1", 0.9), {Rule: "EAR-732-RED-FLAG", Outcome: "review"}}, digest,
			"review", []string{"", "W1", ""}},
		{"exact SDN hit is never waived",
			w(`id: W1, rule: SCREEN-SDN, party: "Acme Trading GmbH", expires: 2026-12-31`),
			[]decision.Reason{hit("SCREEN-SDN", "deny", "Acme Trading GmbH", "1", 1)}, digest,
			"deny", []string{"", ""}},
		{"SDN hit below exact may be waived",
			w(`id: W1, rule: SCREEN-SDN, party: "Acme Trading GmbH", expires: 2026-12-31`),
			[]decision.Reason{hit("SCREEN-SDN", "deny", "Acme Trading GmbH", "1", 0.96)}, digest,
			"allow", []string{"W1", ""}},
		{"a party waiver does not reach a finding about its ultimate parent",
			w(`id: W1, rule: EAR-732-RED-FLAG, party: "Acme Trading GmbH", expires: 2026-12-31`),
			[]decision.Reason{{Rule: "EAR-732-RED-FLAG", Outcome: "review", Facts: map[string]any{
				"party": map[string]any{"role": "buyer", "name": "Acme Trading GmbH", "ultimate_parent": "Parent Holdings"}}}}, digest,
			"review", []string{"", ""}},
		{"a waiver naming the parent reaches it",
			w(`id: W1, rule: EAR-732-RED-FLAG, party: "Parent Holdings", expires: 2026-12-31`),
			[]decision.Reason{{Rule: "EAR-732-RED-FLAG", Outcome: "review", Facts: map[string]any{
				"party": map[string]any{"role": "buyer", "name": "Acme Trading GmbH", "ultimate_parent": "Parent Holdings"}}}}, digest,
			"allow", []string{"W1", ""}},
		{"a reason without a party is not reached by a party waiver",
			w(`id: W1, rule: EAR-732-RED-FLAG, party: "Acme Trading GmbH", expires: 2026-12-31`),
			[]decision.Reason{{Rule: "EAR-732-RED-FLAG", Outcome: "review"}}, digest,
			"review", []string{"", ""}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := mustLoad(t, c.waivers)
			d := order(c.reasons...)
			s.Apply(&d, c.digest)
			if d.Decision != c.want {
				t.Errorf("decision %s, want %s", d.Decision, c.want)
			}
			var got []string
			for _, r := range d.Reasons {
				got = append(got, r.Waived)
			}
			if strings.Join(got, ",") != strings.Join(c.waived, ",") {
				t.Errorf("waived %q, want %q", got, c.waived)
			}
		})
	}
}

// TestEvalErrorNeverWaived: even with no not_waivable list in the data
// and a waiver forged past Load, an evaluation error stays.
func TestEvalErrorNeverWaived(t *testing.T) {
	s := &Set{active: []*Waiver{{ID: "W1", Rule: decision.EvalErrorRule, Record: "SO-1", SHA256: digest}}}
	s.used = map[string]*atomic.Int64{"W1": new(atomic.Int64)}
	d := order(decision.EvalError(errors.New("boom"), "c"))
	s.Apply(&d, digest)
	if d.Decision != "review" || d.Reasons[0].Waived != "" {
		t.Fatalf("evaluation error waived: %+v", d)
	}
}

func TestLoadRefuses(t *testing.T) {
	cases := map[string]struct{ waivers, want string }{
		"not waivable":        {w(`id: W1, rule: EAR-742.6-DEST, party: X, expires: 2026-12-31`), "EAR-742.6-DEST may not be waived"},
		"eval error":          {w(`id: W1, rule: CHIPCHECK-EVAL-ERROR, party: X, expires: 2026-12-31`), "can never be waived"},
		"unknown rule":        {w(`id: W1, rule: SCREEN-ELL, party: X, expires: 2026-12-31`), "SCREEN-ELL is not a rule id"},
		"unknown key":         {w(`id: W1, rule: SCREEN-EL, party: X, expires: 2026-12-31, partie: Y`), "waivers.0.partie: unknown key"},
		"no scope":            {w(`id: W1, rule: SCREEN-EL, expires: 2026-12-31`), "record or party: required"},
		"both scopes":         {w(`id: W1, rule: SCREEN-EL, party: X, record: R, sha256: ` + digest + `, expires: 2026-12-31`), "name one or the other"},
		"record unpinned":     {w(`id: W1, rule: SCREEN-EL, record: R, expires: 2026-12-31`), "sha256: a record waiver needs"},
		"entry without party": {w(`id: W1, rule: SCREEN-EL, record: R, sha256: ` + digest + `, entry_id: e, expires: 2026-12-31`), "entry_id: only with party"},
		"bad date":            {w(`id: W1, rule: SCREEN-EL, party: X, expires: 2026-13-01`), `expires: want a date`},
		"no expiry":           {w(`id: W1, rule: SCREEN-EL, party: X`), `expires: want a date`},
		"no approver":         {"  - {id: W1, rule: SCREEN-EL, party: X, justification: j, ticket: t, expires: 2026-12-31}\n", "approver: required"},
		"duplicate id":        {w(`id: W1, rule: SCREEN-EL, party: X, expires: 2026-12-31`) + w(`id: W1, rule: SCREEN-EL, party: Y, expires: 2026-12-31`), "waiver id W1 is already used at rules/waivers.yaml:"},
		"list as party":       {w(`id: W1, rule: SCREEN-EL, party: [X, Y], expires: 2026-12-31`), "want a single value"},
		"blank party":         {w(`id: W1, rule: SCREEN-EL, party: "  ", expires: 2026-12-31`), "party: blank"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := load(t, c.waivers)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want an error containing %q", err, c.want)
			}
		})
	}
}

func TestNotWaivableMustBeKnown(t *testing.T) {
	_, err := Load(Options{Rules: []byte("not_waivable: [{rule: SCREEN-SDNN, why: x}]\nwaivers: []\n"), RulesName: "w.yaml",
		Known: func(id string) bool { return known[id] }, Today: today})
	if err == nil || !strings.Contains(err.Error(), "SCREEN-SDNN is not a rule id") {
		t.Fatalf("got %v", err)
	}
}

func TestExtraFile(t *testing.T) {
	base := Options{Rules: []byte(notWaivable + "waivers: []\n"), RulesName: "rules/waivers.yaml", Today: today}
	ok := base
	ok.Extra, ok.ExtraName = []byte("waivers:\n"+w(`id: W9, rule: SCREEN-EL, party: X, expires: 2027-01-01`)), "mine.yaml"
	s, err := Load(ok)
	if err != nil || len(s.Active()) != 1 {
		t.Fatalf("extra file: %v", err)
	}
	bad := base
	bad.Extra, bad.ExtraName = []byte("not_waivable: []\nwaivers: []\n"), "mine.yaml"
	if _, err := Load(bad); err == nil || !strings.Contains(err.Error(), "only rules/waivers.yaml says") {
		t.Fatalf("extra not_waivable: %v", err)
	}
	alone := Options{Extra: ok.Extra, ExtraName: "mine.yaml", Today: today}
	if _, err := Load(alone); err == nil || !strings.Contains(err.Error(), "need rules/waivers.yaml") {
		t.Fatalf("extra without rules: %v", err)
	}
}

func TestExpiredAndUnused(t *testing.T) {
	s := mustLoad(t, w(`id: OLD, rule: SCREEN-EL, party: X, expires: 2026-11-30`)+
		w(`id: USED, rule: SCREEN-EL, party: X, expires: 2027-01-01`)+
		w(`id: IDLE, rule: SCREEN-EL, party: Y, expires: 2027-01-01`))
	d := order(hit("SCREEN-EL", "deny", "X", "e", 0.97))
	s.Apply(&d, digest)
	ids := func(ws []*Waiver) string {
		var out []string
		for _, w := range ws {
			out = append(out, w.ID)
		}
		return strings.Join(out, ",")
	}
	if got := ids(s.Expired()); got != "OLD" {
		t.Errorf("expired %q", got)
	}
	if got := ids(s.Unused()); got != "IDLE" {
		t.Errorf("unused %q", got)
	}
}
