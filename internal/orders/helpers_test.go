package orders

import (
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	chipcheck "github.com/chipcheck/chipcheck"
	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/engine"
	"github.com/chipcheck/chipcheck/internal/policy"
	"github.com/chipcheck/chipcheck/internal/record"
	"github.com/chipcheck/chipcheck/internal/rules"
	"github.com/chipcheck/chipcheck/internal/screen"
)

// The tests decide with the policies and rules embedded in the binary (the
// files of policies/ and rules/ when it was built), or with an in-memory
// copy of them a test changes.

var (
	sharedOnce  sync.Once
	sharedRules *rules.Set
	sharedPol   *policy.Policy
	sharedErr   error
)

// shared is the built-in rule data and policy, for tests that only read
// them (each builds its own engine and Decider: caches are per engine).
func shared(t testing.TB) (*rules.Set, *policy.Policy) {
	t.Helper()
	sharedOnce.Do(func() {
		if sharedRules, sharedErr = rules.Load(chipcheck.Rules(), "rules"); sharedErr != nil {
			return
		}
		sharedPol, sharedErr = policy.Load(context.Background(), policy.Options{
			Policies: policy.Source{FS: chipcheck.Policies(), Origin: policy.BuiltIn}, Rules: sharedRules, RulesOrigin: policy.BuiltIn,
		})
	})
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return sharedRules, sharedPol
}

// memFS copies every file of fsys into memory, for a test to change.
func memFS(t testing.TB, fsys fs.FS) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		m[p] = &fstest.MapFile{Data: b}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// appendRego appends text to a policy file of m.
func appendRego(t testing.TB, m fstest.MapFS, file, text string) {
	t.Helper()
	f, ok := m[file]
	if !ok {
		t.Fatalf("no policy file %s", file)
	}
	m[file] = &fstest.MapFile{Data: append(append(slices.Clip(f.Data), '\n'), text...)}
}

// compile loads policies and rules from memory.
func compile(t testing.TB, pfs, rfs fs.FS) (*rules.Set, *policy.Policy) {
	t.Helper()
	rs, err := rules.Load(rfs, "rules")
	if err != nil {
		t.Fatal(err)
	}
	pol, err := policy.Load(context.Background(), policy.Options{Policies: policy.Source{FS: pfs, Origin: "test"}, Rules: rs, RulesOrigin: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return rs, pol
}

// edited is the built-in policy with text appended to some of its files
// (path under policies/ -> text).
func edited(t testing.TB, edits map[string]string) (*rules.Set, *policy.Policy) {
	t.Helper()
	pfs := memFS(t, chipcheck.Policies())
	for file, text := range edits {
		appendRego(t, pfs, file, text)
	}
	return compile(t, pfs, chipcheck.Rules())
}

// decider builds an engine (verifying every cache hit when verify) and a
// Decider over pol.
func decider(t testing.TB, pol *policy.Policy, facts FactOptions, verify bool) (*Decider, *engine.Engine) {
	t.Helper()
	eng, err := engine.New(context.Background(), engine.Options{Policy: pol, Queries: Queries(), VerifyCache: verify})
	if err != nil {
		t.Fatal(err)
	}
	d, err := New(Options{Policy: pol, Evaluator: eng, Facts: facts, VerifyCache: verify})
	if err != nil {
		t.Fatal(err)
	}
	return d, eng
}

// readYAML parses YAML records with the real reader and validator.
func readYAML(t testing.TB, rs *rules.Set, text string) []record.Record {
	t.Helper()
	p := filepath.Join(t.TempDir(), "in.yaml")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	recs, probs := record.Read(context.Background(), record.Options{Kinds: Kinds(rs)}, p)
	if len(probs) > 0 {
		t.Fatalf("input problems: %v", probs)
	}
	return recs
}

// fixtureRecords reads the shipped fixture orders (and is-informed orders).
func fixtureRecords(t testing.TB, rs *rules.Set) []record.Record {
	t.Helper()
	root := filepath.Join("..", "..", "fixtures")
	recs, probs := record.Read(context.Background(), record.Options{Kinds: Kinds(rs)}, filepath.Join(root, "orders"), filepath.Join(root, "is-informed"))
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	if len(recs) < 50 {
		t.Fatalf("only %d fixture records", len(recs))
	}
	return recs
}

// lantingScreener reports one Entity List hit for every party whose name
// contains "Lanting", so that the screening stage sees hits.
type lantingScreener struct{}

func (lantingScreener) Screen(role string, p Party) []decision.Hit {
	if !strings.Contains(p.Name, "Lanting") {
		return nil
	}
	return []decision.Hit{{Party: role, PartyName: p.Name, List: "EL", ListName: "Entity List", EntryID: "el-1",
		Entry: "Hangzhou Lanting", Matched: "Hangzhou Lanting", Score: 0.97, Countries: []string{"CN"}}}
}

func (lantingScreener) Screenable(name string) bool { return screen.Screenable(name) }

// cleanScreener screens every party and finds nothing.
type cleanScreener struct{}

func (cleanScreener) Screen(string, Party) []decision.Hit { return nil }

func (cleanScreener) Screenable(name string) bool { return screen.Screenable(name) }

func outcomes(d decision.Decision) []string {
	var out []string
	for _, r := range d.Reasons {
		out = append(out, r.Rule+"="+r.Outcome)
	}
	return out
}

func hasRule(d decision.Decision, id string) bool {
	return slices.ContainsFunc(d.Reasons, func(r decision.Reason) bool { return r.Rule == id })
}

func reasonOf(d decision.Decision, id string) (decision.Reason, bool) {
	i := slices.IndexFunc(d.Reasons, func(r decision.Reason) bool { return r.Rule == id })
	if i < 0 {
		return decision.Reason{}, false
	}
	return d.Reasons[i], true
}

func encode(t testing.TB, d decision.Decision) string {
	t.Helper()
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

const evalError = "CHIPCHECK-EVAL-ERROR"

// meta is a METADATA block declaring a rule id.
func meta(id string) string {
	return "\n# METADATA\n# title: Test " + id + "\n# description: d\n# custom:\n#   id: " + id + "\n#   citation: c\n"
}

// orderDE is an order that every stage but letters and screening hits
// judges: to DE (no license requirement), allow.
const orderDE = `
kind: order
id: SO-DE
date: 2026-11-20
ship_from: US
destination: DE
parties:
  buyer: {name: Rheinwerk GmbH, country: DE, headquarters: DE}
end_use: {codes: [ai_training]}
items:
  - {sku: H100, quantity: 8, catalog: nvidia-h100-sxm5-80gb}
`

func fp(f float64) *float64 { return &f }
func bp(b bool) *bool       { return &b }

// h100 is the NVIDIA H100 SXM5 as the old catalog gave it.
func h100() *Chip {
	return &Chip{
		ID: "h100", Name: "NVIDIA H100 SXM5 80GB", Datacenter: bp(true), DieAreaMM2: fp(814),
		Performance:        []Perf{{Format: "fp8", Bits: 8, TOPS: 1978.9}, {Format: "fp16", Bits: 16, TOPS: 989.4}, {Format: "int8", Bits: 8, TOPS: 1978.9}},
		MemoryBandwidthGBs: fp(3350), InterconnectGBs: fp(900), DesignerCountry: "US",
	}
}
