package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/facts"
	"github.com/chipcheck/chipcheck/internal/record"
	"github.com/chipcheck/chipcheck/internal/rules"
)

// repo is a path in the repository, from this package's directory.
func repo(parts ...string) string { return filepath.Join(append([]string{"..", ".."}, parts...)...) }

var (
	realOnce  sync.Once
	realRules *rules.Set
	realEng   *Engine
	realErr   error
)

// realEngine is the engine of the repository's policies/ and rules/, shared by
// the tests that only read from it.
func realEngine(t *testing.T) (*rules.Set, *Engine) {
	t.Helper()
	realOnce.Do(func() {
		if realRules, realErr = rules.LoadDir(repo("rules")); realErr == nil {
			realEng, realErr = New(context.Background(), Options{PolicyDir: repo("policies"), Rules: realRules, VerifyCache: true})
		}
	})
	if realErr != nil {
		t.Fatal(realErr)
	}
	return realRules, realEng
}

func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		out := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(out, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(out, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// tempCopy copies policies/ and rules/ to a temporary directory, to be
// broken by the test.
func tempCopy(t *testing.T) (policyDir, rulesDir string) {
	t.Helper()
	root := t.TempDir()
	policyDir, rulesDir = filepath.Join(root, "policies"), filepath.Join(root, "rules")
	copyDir(t, repo("policies"), policyDir)
	copyDir(t, repo("rules"), rulesDir)
	return policyDir, rulesDir
}

func build(t *testing.T, policyDir, rulesDir string, verify bool) (*Engine, *rules.Set, error) {
	t.Helper()
	rs, err := rules.LoadDir(rulesDir)
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(context.Background(), Options{PolicyDir: policyDir, Rules: rs, VerifyCache: verify})
	return e, rs, err
}

func mustBuild(t *testing.T, policyDir, rulesDir string, verify bool) (*Engine, *rules.Set) {
	t.Helper()
	e, rs, err := build(t, policyDir, rulesDir, verify)
	if err != nil {
		t.Fatal(err)
	}
	return e, rs
}

// appendFile appends text to a file and returns the line number text
// starts on.
func appendFile(t *testing.T, path, text string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > 0 && b[len(b)-1] != '\n' {
		b = append(b, '\n')
	}
	line := strings.Count(string(b), "\n") + 1
	if err := os.WriteFile(path, append(b, text...), 0o644); err != nil {
		t.Fatal(err)
	}
	return line
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// readRecords parses YAML records with the real reader.
func readRecords(t *testing.T, rs *rules.Set, yaml string) []record.Record {
	t.Helper()
	p := filepath.Join(t.TempDir(), "in.yaml")
	writeFile(t, p, yaml)
	recs, probs := record.Read(context.Background(), record.Options{Vocab: rs}, p)
	if len(probs) > 0 {
		t.Fatalf("input problems: %v", probs)
	}
	return recs
}

// hitScreener reports one Entity List hit for every party whose name
// contains "Lanting", so that the screening stage runs.
type hitScreener struct{}

func (hitScreener) Screen(role string, p record.Party) []decision.Hit {
	if !strings.Contains(p.Name, "Lanting") {
		return nil
	}
	return []decision.Hit{{Party: role, PartyName: p.Name, List: "EL", ListName: "Entity List", EntryID: "el-1",
		Entry: "Hangzhou Lanting", Matched: "Hangzhou Lanting", Score: 0.97, Countries: []string{"CN"}}}
}

func decideOrder(t *testing.T, e *Engine, rs *rules.Set, rec *record.Record) decision.Decision {
	t.Helper()
	f, err := facts.ForOrder(rec, facts.Options{Catalog: rs, Screener: hitScreener{}})
	if err != nil {
		t.Fatal(err)
	}
	return e.DecideOrder(context.Background(), f)
}

func ruleIDs(d decision.Decision) []string {
	var out []string
	for _, r := range d.Reasons {
		out = append(out, r.Rule+"="+r.Outcome)
	}
	return out
}

func hasRule(d decision.Decision, id string) bool {
	return slices.ContainsFunc(d.Reasons, func(r decision.Reason) bool { return r.Rule == id })
}

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

// ---------------------------------------------------------------- loading

func TestNewRefusesBrokenPolicy(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string // besides file:line
	}{
		{
			name: "parse error",
			text: "broken := 1 1\n",
			want: []string{"rego_parse_error"},
		},
		{
			name: "unsafe variable",
			text: "broken := x if { x == y }\n",
			want: []string{"rego_unsafe_var_error"},
		},
		{
			name: "undefined function",
			text: "broken := no_such_function(1)\n",
			want: []string{"no_such_function"},
		},
		{
			name: "http.send is banned",
			text: "fetched := http.send({\"method\": \"get\", \"url\": \"https://example.com\"})\n",
			want: []string{"http.send"},
		},
		{
			name: "time.now_ns is banned",
			text: "now := time.now_ns()\n",
			want: []string{"time.now_ns"},
		},
		{
			name: "rand.intn is banned",
			text: "dice := rand.intn(\"x\", 6)\n",
			want: []string{"rand.intn"},
		},
		{
			name: "uuid.rfc4122 is banned",
			text: "id := uuid.rfc4122(\"x\")\n",
			want: []string{"uuid.rfc4122"},
		},
		{
			name: "net.lookup_ip_addr is banned",
			text: "ips := net.lookup_ip_addr(\"example.com\")\n",
			want: []string{"net.lookup_ip_addr"},
		},
		{
			name: "opa.runtime is banned",
			text: "rt := opa.runtime()\n",
			want: []string{"opa.runtime"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			policyDir, rulesDir := tempCopy(t)
			file := filepath.Join(policyDir, "chipcheck", "flags", "flags.rego")
			line := appendFile(t, file, "\n"+tt.text) + 1
			e, _, err := build(t, policyDir, rulesDir, false)
			if err == nil {
				t.Fatalf("New accepted the policy (%d rules)", len(e.Rules()))
			}
			msg := err.Error()
			if at := fmt.Sprintf("flags.rego:%d", line); !strings.Contains(msg, at) {
				t.Errorf("error does not name %s:\n%s", at, msg)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error does not mention %q:\n%s", w, msg)
				}
			}
		})
	}
}

func TestNewRefusesBadMetadata(t *testing.T) {
	const body = `reasons contains r if {
	some code in input.red_flags
	r := {"rule": "TEST", "outcome": "review", "message": code, "citation": "c", "facts": {}}
}
`
	tests := []struct {
		name string
		text string
		want string
	}{
		{
			name: "firing rule without METADATA",
			text: body,
			want: "rule reasons has no METADATA custom.id",
		},
		{
			name: "requirement without METADATA",
			text: "requirements contains {\"key\": \"x\"} if { input.red_flags }\n",
			want: "rule requirements has no METADATA custom.id",
		},
		{
			name: "METADATA without custom.id",
			text: "# METADATA\n# title: No id\n# description: d\n# custom:\n#   citation: c\n" + body,
			want: "has no METADATA custom.id",
		},
		{
			name: "no citation",
			text: "# METADATA\n# title: No citation\n# description: d\n# custom:\n#   id: TEST-NO-CITATION\n" + body,
			want: "rule TEST-NO-CITATION has no custom.citation",
		},
		{
			name: "no description or title",
			text: "# METADATA\n# custom:\n#   id: TEST-NO-DESCRIPTION\n#   citation: c\n" + body,
			want: "rule TEST-NO-DESCRIPTION has no description",
		},
		{
			name: "empty id",
			text: "# METADATA\n# title: t\n# custom:\n#   id: \"\"\n#   citation: c\n" + body,
			want: "custom.id must be a non-empty string",
		},
		{
			name: "id not a string",
			text: "# METADATA\n# title: t\n# custom:\n#   id: 42\n#   citation: c\n" + body,
			want: "custom.id must be a non-empty string",
		},
		{
			name: "duplicate rule id",
			text: "# METADATA\n# title: Again\n# description: d\n# custom:\n#   id: EAR-742.6-DEST\n#   citation: c\n" + body,
			want: "rule id EAR-742.6-DEST is already used at",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			policyDir, rulesDir := tempCopy(t)
			file := filepath.Join(policyDir, "chipcheck", "flags", "flags.rego")
			appendFile(t, file, "\n"+tt.text)
			_, _, err := build(t, policyDir, rulesDir, false)
			if err == nil {
				t.Fatal("New accepted the policy")
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.want) {
				t.Errorf("error does not say %q:\n%s", tt.want, msg)
			}
			if !strings.Contains(msg, "flags.rego:") {
				t.Errorf("error does not name the file and line:\n%s", msg)
			}
		})
	}
}

// TestMetadataLocation: the error points at the rule's own line.
func TestMetadataLocation(t *testing.T) {
	policyDir, rulesDir := tempCopy(t)
	file := filepath.Join(policyDir, "chipcheck", "flags", "flags.rego")
	line := appendFile(t, file, "\n# METADATA\n# title: t\n# custom:\n#   id: TEST-X\nreasons contains r if {\n\tsome r in input.red_flags\n}\n")
	_, _, err := build(t, policyDir, rulesDir, false)
	if err == nil {
		t.Fatal("New accepted a rule without citation")
	}
	if want := fmt.Sprintf("flags.rego:%d: rule TEST-X has no custom.citation", line+5); !strings.Contains(err.Error(), want) {
		t.Errorf("error %q, want %q", err, want)
	}
}

func TestNewAcceptsHelpersWithoutMetadata(t *testing.T) {
	policyDir, rulesDir := tempCopy(t)
	appendFile(t, filepath.Join(policyDir, "chipcheck", "flags", "flags.rego"), "\nflag_count := count(input.red_flags)\n")
	if _, _, err := build(t, policyDir, rulesDir, false); err != nil {
		t.Errorf("a helper rule without METADATA was refused: %v", err)
	}
}

func TestNewErrors(t *testing.T) {
	rs, _ := realEngine(t)
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"no rules", Options{PolicyDir: repo("policies")}, "no rule data"},
		{"missing policy dir", Options{PolicyDir: filepath.Join(t.TempDir(), "nope"), Rules: rs}, "policies"},
		{"no rego files", Options{PolicyDir: t.TempDir(), Rules: rs}, "no .rego files"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(context.Background(), tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("New = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestRules(t *testing.T) {
	_, e := realEngine(t)
	rs := e.Rules()
	if len(rs) < 20 {
		t.Fatalf("%d rules, want the whole policy's", len(rs))
	}
	if !slices.IsSortedFunc(rs, func(a, b Rule) int { return strings.Compare(a.ID, b.ID) }) {
		t.Error("Rules not sorted by id")
	}
	seen := map[string]bool{}
	for _, r := range rs {
		if seen[r.ID] {
			t.Errorf("rule %s listed twice", r.ID)
		}
		seen[r.ID] = true
		if r.Citation == "" || r.Description == "" || r.File == "" || r.Line == 0 {
			t.Errorf("incomplete rule %+v", r)
		}
		if isTest(r.File) {
			t.Errorf("rule %s comes from a test file %s", r.ID, r.File)
		}
	}
	for _, id := range []string{"EAR-742.6-DEST", "EAR-742.6-HQ", "EAR-732-RED-FLAG", "NO-LICENSE-REQUIRED", "ECCN-UNKNOWN", "SCREEN-EL", "SCREEN-NOT-RUN"} {
		r, ok := e.Rule(id)
		if !ok || r.ID != id {
			t.Errorf("Rule(%q) = %+v, %v", id, r, ok)
		}
	}
	if _, ok := e.Rule("NO-SUCH-RULE"); ok {
		t.Error("Rule(NO-SUCH-RULE) found")
	}
	rs[0].ID = "changed"
	if e.Rules()[0].ID == "changed" {
		t.Error("Rules returned the engine's own slice")
	}
}

// ---------------------------------------------------------------- revision

func TestRevision(t *testing.T) {
	basePol, baseRules := tempCopy(t)
	base, _ := mustBuild(t, basePol, baseRules, false)
	if !strings.HasPrefix(base.Revision(), "sha256:") || len(base.Revision()) != len("sha256:")+64 {
		t.Fatalf("Revision = %q", base.Revision())
	}
	_, shipped := realEngine(t)
	if shipped.Revision() != base.Revision() {
		t.Errorf("same policies and rules in another directory: revision %s, want %s", base.Revision(), shipped.Revision())
	}

	tests := []struct {
		name    string
		change  func(t *testing.T, policyDir, rulesDir string)
		changes bool
	}{
		{"rule file edited", func(t *testing.T, _, r string) {
			appendFile(t, filepath.Join(r, "red_flags.yaml"), "# a comment\n")
		}, true},
		{"rule value edited", func(t *testing.T, _, r string) {
			p := filepath.Join(r, "classification.yaml")
			b, _ := os.ReadFile(p)
			writeFile(t, p, strings.Replace(string(b), "tpp_min: 4800", "tpp_min: 4801", 1))
		}, true},
		{"rule file added", func(t *testing.T, _, r string) {
			writeFile(t, filepath.Join(r, "extra.yaml"), "x: 1\n")
		}, true},
		{"policy file edited", func(t *testing.T, p, _ string) {
			appendFile(t, filepath.Join(p, "chipcheck", "flags", "flags.rego"), "# a comment\n")
		}, true},
		{"policy file added", func(t *testing.T, p, _ string) {
			writeFile(t, filepath.Join(p, "chipcheck", "extra", "extra.rego"), "package chipcheck.extra\n\nx := 1\n")
		}, true},
		{"test file edited", func(t *testing.T, p, _ string) {
			appendFile(t, filepath.Join(p, "chipcheck", "lib", "lib_test.rego"), "# a comment\n")
		}, false},
		{"test file added", func(t *testing.T, p, _ string) {
			writeFile(t, filepath.Join(p, "chipcheck", "flags", "extra_test.rego"), "package chipcheck.flags_test\n\ntest_nothing if { true }\n")
		}, false},
		{"non-rego file in policies", func(t *testing.T, p, _ string) {
			writeFile(t, filepath.Join(p, "chipcheck", "NOTES.md"), "notes\n")
		}, false},
		{"non-yaml file in rules", func(t *testing.T, _, r string) {
			writeFile(t, filepath.Join(r, "README.md"), "notes\n")
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, r := tempCopy(t)
			tt.change(t, p, r)
			e, _ := mustBuild(t, p, r, false)
			if changed := e.Revision() != base.Revision(); changed != tt.changes {
				t.Errorf("revision changed = %v, want %v", changed, tt.changes)
			}
		})
	}
}

// ---------------------------------------------------------------- classify

func fp(f float64) *float64 { return &f }
func bp(b bool) *bool       { return &b }

func h100() *record.Chip {
	return &record.Chip{
		ID: "h100", Name: "NVIDIA H100 SXM5 80GB", Datacenter: bp(true), DieAreaMM2: fp(814),
		Performance:        []record.Perf{{Format: "fp8", Bits: 8, TOPS: 1978.9}, {Format: "fp16", Bits: 16, TOPS: 989.4}, {Format: "int8", Bits: 8, TOPS: 1978.9}},
		MemoryBandwidthGBs: fp(3350), InterconnectGBs: fp(900), DesignerCountry: "US",
	}
}

func TestClassify(t *testing.T) {
	_, e := realEngine(t)
	noIC := h100()
	noIC.InterconnectGBs = nil
	a2 := func(dc *bool) *record.Chip {
		return &record.Chip{Name: "npu", Datacenter: dc, DieAreaMM2: fp(250), Performance: []record.Perf{{Format: "int8", Bits: 8, TOPS: 200}}}
	}
	tests := []struct {
		name      string
		chip      *record.Chip
		contains  []record.Contained
		date      string
		eccn      string
		paragraph string
		tpp, pd   *float64
		rule      string
	}{
		{"H100", h100(), nil, "2026-11-20", "3A090.a", "3A090.a.1", fp(15831.2), fp(19.45), "ECCN-3A090.a.1"},
		{"no figures", &record.Chip{Name: "mystery", Datacenter: bp(true), DieAreaMM2: fp(500)}, nil, "2026-11-20", "unknown", "", nil, nil, "ECCN-UNKNOWN"},
		{"before 3A090 existed", h100(), nil, "2022-10-06", "none", "", nil, nil, ""},
		{"oct-2022 with interconnect", h100(), nil, "2023-06-01", "3A090.a", "", nil, nil, ""},
		{"oct-2022 without interconnect", noIC, nil, "2023-06-01", "unknown", "", nil, nil, "ECCN-UNKNOWN"},
		{"a.2 datacenter", a2(bp(true)), nil, "2026-11-20", "3A090.a", "3A090.a.2", fp(1600), fp(6.4), ""},
		{"a.2 datacenter not said", a2(nil), nil, "2026-11-20", "unknown", "", nil, nil, "ECCN-UNKNOWN"},
		{"a.2 not datacenter (Note)", a2(bp(false)), nil, "2026-11-20", "none", "", nil, nil, "ECCN-3A090-NOTE"},
		{"server of H100s", nil, []record.Contained{{Count: 8, Chip: h100()}}, "2026-11-20", "4A090.a", "", fp(15831.2), nil, "ECCN-4A090"},
		{"HBM stack", &record.Chip{Name: "HBM3E", HBM: &record.HBM{BandwidthGBs: 819, PackageAreaMM2: 110}}, nil, "2026-11-20", "3A090.c", "", nil, nil, "ECCN-3A090.c"},
		{"HBM stack before Dec 2024", &record.Chip{Name: "HBM3E", HBM: &record.HBM{BandwidthGBs: 819, PackageAreaMM2: 110}}, nil, "2024-06-01", "none", "", nil, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := e.Classify(context.Background(), tt.chip, tt.contains, tt.date)
			if err != nil {
				t.Fatal(err)
			}
			if c.ECCN != tt.eccn {
				t.Errorf("ECCN = %q, want %q (%s)", c.ECCN, tt.eccn, c.Why())
			}
			if tt.paragraph != "" && c.Paragraph != tt.paragraph {
				t.Errorf("Paragraph = %q, want %q", c.Paragraph, tt.paragraph)
			}
			if tt.tpp != nil && (c.TPP == nil || *c.TPP != *tt.tpp) {
				t.Errorf("TPP = %v, want %v", show(c.TPP), *tt.tpp)
			}
			if tt.pd != nil && (c.PD == nil || *c.PD != *tt.pd) {
				t.Errorf("PD = %v, want %v", show(c.PD), *tt.pd)
			}
			if tt.rule != "" && !slices.ContainsFunc(c.Reasons, func(r decision.Reason) bool { return r.Rule == tt.rule }) {
				t.Errorf("reasons %+v lack %s", c.Reasons, tt.rule)
			}
			if len(c.Reasons) == 0 {
				t.Error("a classification without a reason")
			}
		})
	}
}

func show(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

// TestClassifyCacheKeepsRegimesApart: the cache is per interval between
// rule dates; a chip classified in one regime must not leak into another.
func TestClassifyCacheKeepsRegimesApart(t *testing.T) {
	policyDir, rulesDir := tempCopy(t)
	e, _ := mustBuild(t, policyDir, rulesDir, false)
	noIC := h100()
	noIC.InterconnectGBs = nil
	for _, step := range []struct{ date, want string }{
		{"2023-06-01", "unknown"},
		{"2026-11-20", "3A090.a"},
		{"2023-06-01", "unknown"},
		{"2022-10-06", "none"},
		{"2022-10-07", "unknown"},
		{"2023-11-16", "unknown"},
		{"2023-11-17", "3A090.a"},
	} {
		c, err := e.Classify(context.Background(), noIC, nil, step.date)
		if err != nil {
			t.Fatal(err)
		}
		if c.ECCN != step.want {
			t.Errorf("%s: ECCN %q, want %q", step.date, c.ECCN, step.want)
		}
	}
}

// TestClassifyCacheKeepsSpecsApart: two chips that differ in one field the
// policy reads never share a cached classification.
func TestClassifyCacheKeepsSpecsApart(t *testing.T) {
	policyDir, rulesDir := tempCopy(t)
	e, _ := mustBuild(t, policyDir, rulesDir, false)
	base := func() *record.Chip {
		return &record.Chip{Name: "npu", Datacenter: bp(true), DieAreaMM2: fp(250), Performance: []record.Perf{{Format: "int8", Bits: 8, TOPS: 200}}}
	}
	variants := []struct {
		name   string
		modify func(c *record.Chip)
		want   string
	}{
		{"base (a.2)", func(*record.Chip) {}, "3A090.a"},
		{"datacenter not given", func(c *record.Chip) { c.Datacenter = nil }, "unknown"},
		{"datacenter false", func(c *record.Chip) { c.Datacenter = bp(false) }, "none"},
		{"no die area", func(c *record.Chip) { c.DieAreaMM2 = nil }, "unknown"},
		{"larger die (b.2 / none)", func(c *record.Chip) { c.DieAreaMM2 = fp(1000) }, "none"},
		{"more tops", func(c *record.Chip) { c.Performance[0].TOPS = 600 }, "3A090.a"},
		{"fewer bits", func(c *record.Chip) { c.Performance[0].Bits = 4 }, "none"},
		{"base again", func(*record.Chip) {}, "3A090.a"},
	}
	for _, v := range variants {
		c := base()
		v.modify(c)
		got, err := e.Classify(context.Background(), c, nil, "2026-11-20")
		if err != nil {
			t.Fatal(err)
		}
		if got.ECCN != v.want {
			t.Errorf("%s: ECCN %q, want %q", v.name, got.ECCN, v.want)
		}
	}
}

func TestDecideChip(t *testing.T) {
	_, e := realEngine(t)
	rec := &record.Record{Kind: record.KindChip, ID: "h100", Source: record.Source{File: "chips.yaml", Line: 3}}
	d := e.DecideChip(context.Background(), rec, h100(), "2026-11-20")
	if d.Decision != decision.Allow || len(d.Items) != 1 || d.Items[0].ECCN != "3A090.a" || d.Items[0].SKU != "h100" || d.Items[0].Name != "NVIDIA H100 SXM5 80GB" {
		t.Errorf("DecideChip(H100) = %+v", d)
	}
	if d.Policy.Revision != e.Revision() || d.AsOf != "2026-11-20" || d.Source.Line != 3 {
		t.Errorf("decision metadata %+v", d)
	}
	d = e.DecideChip(context.Background(), rec, &record.Chip{Name: "nothing known"}, "2026-11-20")
	if d.Decision != decision.Review || d.Items[0].ECCN != "unknown" {
		t.Errorf("DecideChip(no figures) = %s %+v, want review unknown", d.Decision, d.Items)
	}
}

// ---------------------------------------------------------------- failing closed

// TestDecideFailsClosed breaks one stage at a time so that it errors at run
// time; the order must then be review with CHIPCHECK-EVAL-ERROR, never
// allow, whatever the other stages said.
func TestDecideFailsClosed(t *testing.T) {
	meta := func(id string) string {
		return "\n# METADATA\n# title: Test\n# description: d\n# custom:\n#   id: " + id + "\n#   citation: c\n"
	}
	tests := []struct {
		name  string
		file  string // under policies/chipcheck
		text  string
		order string
		want  string // in the eval error's message
	}{
		{
			name:  "destination stage built-in error",
			file:  "destination/destination.rego",
			text:  meta("TEST-BOOM") + "reasons contains r if {\n\tn := to_number(input.destination)\n\tr := {\"rule\": \"TEST-BOOM\", \"outcome\": \"allow\", \"message\": sprintf(\"%v\", [n]), \"citation\": \"c\", \"facts\": {}}\n}\n",
			order: orderDE,
			want:  "destination stage",
		},
		{
			name:  "line stage built-in error",
			file:  "line/line.rego",
			text:  meta("TEST-BOOM") + "reasons contains r if {\n\tn := to_number(input.item.eccn)\n\tr := {\"rule\": \"TEST-BOOM\", \"outcome\": \"allow\", \"message\": sprintf(\"%v\", [n]), \"citation\": \"c\", \"facts\": {}}\n}\n",
			order: orderDE,
			want:  "line stage",
		},
		{
			name:  "flags stage conflict",
			file:  "flags/flags.rego",
			text:  "\nfirst := code if { some code in input.red_flags }\n" + meta("TEST-BOOM") + "reasons contains {\"rule\": \"TEST-BOOM\", \"outcome\": \"allow\", \"message\": first, \"citation\": \"c\", \"facts\": {}}\n",
			order: orderDE + "red_flags: [cash_payment, no_web_presence]\n",
			want:  "flags stage",
		},
		{
			name:  "reason without a rule id",
			file:  "flags/flags.rego",
			text:  meta("TEST-NO-RULE") + "reasons contains {\"outcome\": \"allow\", \"message\": code} if { some code in input.red_flags }\n",
			order: orderDE + "red_flags: [cash_payment]\n",
			want:  "reason without rule or outcome",
		},
		{
			name:  "reason without an outcome",
			file:  "flags/flags.rego",
			text:  meta("TEST-NO-OUTCOME") + "reasons contains {\"rule\": \"TEST-NO-OUTCOME\", \"message\": code} if { some code in input.red_flags }\n",
			order: orderDE + "red_flags: [cash_payment]\n",
			want:  "reason without rule or outcome",
		},
		{
			name:  "classification conflict",
			file:  "classify/classify.rego",
			text:  "\nresult := {\"eccn\": \"none\"} if input.chip.name == \"NVIDIA H100 SXM5 80GB\"\n",
			order: orderDE,
			want:  "classify",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			policyDir, rulesDir := tempCopy(t)
			appendFile(t, filepath.Join(policyDir, "chipcheck", filepath.FromSlash(tt.file)), tt.text)
			e, rs := mustBuild(t, policyDir, rulesDir, false)
			recs := readRecords(t, rs, tt.order)
			for round := range 2 { // the second time through the caches
				d := decideOrder(t, e, rs, &recs[0])
				if d.Decision != decision.Review {
					t.Errorf("round %d: decision %q, want review: %v", round, d.Decision, ruleIDs(d))
				}
				if len(d.Reasons) == 0 || d.Reasons[0].Rule != "CHIPCHECK-EVAL-ERROR" || !strings.Contains(d.Reasons[0].Message, tt.want) {
					t.Errorf("round %d: reasons %v, want CHIPCHECK-EVAL-ERROR mentioning %q", round, d.Reasons, tt.want)
				}
			}
		})
	}
}

// TestUnknownOutcomeIsReview: a policy typo in an outcome never allows.
func TestUnknownOutcomeIsReview(t *testing.T) {
	policyDir, rulesDir := tempCopy(t)
	appendFile(t, filepath.Join(policyDir, "chipcheck", "destination", "destination.rego"),
		"\n# METADATA\n# title: Typo\n# description: d\n# custom:\n#   id: TEST-TYPO\n#   citation: c\nreasons contains {\"rule\": \"TEST-TYPO\", \"outcome\": \"alow\", \"message\": \"m\", \"citation\": \"c\"}\n")
	e, rs := mustBuild(t, policyDir, rulesDir, false)
	recs := readRecords(t, rs, orderDE)
	d := decideOrder(t, e, rs, &recs[0])
	if d.Decision != decision.Review || d.Reasons[0].Rule != "TEST-TYPO" {
		t.Errorf("decision %q, reasons %v; want review led by TEST-TYPO", d.Decision, ruleIDs(d))
	}
}

// ---------------------------------------------------------------- cache soundness

// TestVerifyCacheCatchesIncompleteKey adds to the destination stage a rule
// that reads input.places, which holds the facts of every country on the
// order although the stage's cache key covers only date, destination,
// ship_from and items. Two orders that differ only in the buyer's country
// then share a key but not a result: VerifyCache must turn the second into
// an evaluation error (review), and without it the stale result shows.
func TestVerifyCacheCatchesIncompleteKey(t *testing.T) {
	policyDir, rulesDir := tempCopy(t)
	appendFile(t, filepath.Join(policyDir, "chipcheck", "destination", "destination.rego"), `
# METADATA
# title: Test reads the order's countries
# description: reads input.places, which the destination stage's cache key does not cover
# custom:
#   id: TEST-PLACES
#   citation: test
reasons contains r if {
	r := {"rule": "TEST-PLACES", "outcome": "allow", "message": sprintf("%d countries", [count(input.places)]), "citation": "test", "facts": {}}
}
`)
	const orders = `
kind: order
id: SO-1
date: 2026-11-20
ship_from: US
destination: DE
parties:
  buyer: {name: Rheinwerk GmbH, country: DE, headquarters: DE}
end_use: {codes: [ai_training]}
items:
  - {sku: H100, quantity: 8, catalog: nvidia-h100-sxm5-80gb}
---
kind: order
id: SO-2
date: 2026-11-20
ship_from: US
destination: DE
parties:
  buyer: {name: Rheinwerk GmbH, country: FR, headquarters: NL}
end_use: {codes: [ai_training]}
items:
  - {sku: H100, quantity: 8, catalog: nvidia-h100-sxm5-80gb}
`
	message := func(d decision.Decision) string {
		for _, r := range d.Reasons {
			if r.Rule == "TEST-PLACES" {
				return r.Message
			}
		}
		return ""
	}

	verified, rs := mustBuild(t, policyDir, rulesDir, true)
	recs := readRecords(t, rs, orders)
	d1 := decideOrder(t, verified, rs, &recs[0])
	if message(d1) != "2 countries" {
		t.Fatalf("first order: %v", d1.Reasons)
	}
	d2 := decideOrder(t, verified, rs, &recs[1])
	if d2.Decision != decision.Review || d2.Reasons[0].Rule != "CHIPCHECK-EVAL-ERROR" || !strings.Contains(d2.Reasons[0].Message, "cached result differs") {
		t.Errorf("VerifyCache: second order %s %v, want review with CHIPCHECK-EVAL-ERROR (cached result differs)", d2.Decision, d2.Reasons)
	}

	plain, _ := mustBuild(t, policyDir, rulesDir, false)
	decideOrder(t, plain, rs, &recs[0])
	if got := message(decideOrder(t, plain, rs, &recs[1])); got != "2 countries" {
		t.Logf("without VerifyCache the second order says %q", got)
		t.Error("the test policy did not reuse a cached result: the key it relies on being incomplete is not")
	}
}

// TestVerifyCacheRealPolicies: the shipped policies pass VerifyCache on
// every fixture order (any projection missing a field its stage reads
// would give CHIPCHECK-EVAL-ERROR).
func TestVerifyCacheRealPolicies(t *testing.T) {
	rs, e := realEngine(t)
	paths, _ := filepath.Glob(repo("fixtures", "orders", "*.yaml"))
	recs, probs := record.Read(context.Background(), record.Options{Vocab: rs}, paths...)
	if len(probs) > 0 || len(recs) < 50 {
		t.Fatalf("%d fixture orders, problems %v", len(recs), probs)
	}
	for _, asOf := range []string{"", "2023-06-01", "2025-01-20"} {
		for i := range recs {
			f, err := facts.ForOrder(&recs[i], facts.Options{Catalog: rs, Screener: hitScreener{}, AsOf: asOf, Exporter: "Lakeshore Silicon Inc."})
			if err != nil {
				t.Fatal(err)
			}
			d := e.DecideOrder(context.Background(), f)
			if hasRule(d, "CHIPCHECK-EVAL-ERROR") {
				t.Errorf("%s (as of %q): %s", recs[i].ID, asOf, d.Reasons[0].Message)
			}
		}
	}
}

// ---------------------------------------------------------------- keys

func TestKeyOfCanonical(t *testing.T) {
	a := map[string]any{}
	b := map[string]any{}
	keys := []string{"date", "destination", "ship_from", "items", "license", "kinds", "a", "b", "c", "d", "e", "f"}
	for i, k := range keys {
		a[k] = []any{k, float64(i), map[string]any{"x": k, "y": i%2 == 0}}
	}
	for i := len(keys) - 1; i >= 0; i-- {
		k := keys[i]
		b[k] = []any{k, float64(i), map[string]any{"y": i%2 == 0, "x": k}}
	}
	for range 20 { // map iteration order varies from run to run
		if keyOf(a) != keyOf(b) {
			t.Fatal("equal maps built in different orders give different keys")
		}
	}
	if keyOf(json.Number("2.5")) != keyOf(2.5) {
		t.Error("a number as Rego returns it (json.Number) and as Go has it (float64) give different keys")
	}
	if keyOf([]string{"a", "b"}) != keyOf([]any{"a", "b"}) || keyOf([]int{1, 2}) != keyOf([]any{1, 2}) {
		t.Error("typed and untyped slices of the same values give different keys")
	}
}

func TestKeyOfDistinct(t *testing.T) {
	values := []any{
		nil, "", "n", "s0:", "1", "true", "t", "f", "[]", "{}",
		true, false, 0, 1, 10, -1, 1.5, float64(1e21), 0.1,
		json.Number("1"), json.Number("10"),
		[]any{}, []any{nil}, []any{""}, []any{"a", "b"}, []any{"ab"}, []any{"a", "b", "c"}, []any{[]any{"a"}, "b"},
		[]any{"a:b"}, []any{"1:a"}, []any{1, "a"}, []any{"1", "a"},
		map[string]any{}, map[string]any{"a": nil}, map[string]any{"a": ""}, map[string]any{"a": "b"},
		map[string]any{"ab": ""}, map[string]any{"a": "b", "c": "d"}, map[string]any{"a": "bc", "": "d"},
		map[string]any{"a": map[string]any{"b": 1}}, map[string]any{"a.b": 1}, map[string]any{"a": []any{"b", 1}},
		map[string]any{"a": "s1:b"}, map[string]any{"a": []any{"b"}}, map[string]any{"1": "a"}, map[string]any{"a": 1},
		[]int{1, 2, 3}, []string{"1", "2", "3"}, []string{"12", "3"},
	}
	seen := map[string]int{}
	for i, v := range values {
		k := keyOf(v)
		if j, dup := seen[k]; dup {
			// []int{1,2,3} and []any{1,2,3} may share a key; these values are
			// chosen all different.
			t.Errorf("keyOf(%#v) == keyOf(%#v) = %q", v, values[j], k)
		}
		seen[k] = i
	}
}

// TestKeyOfInjective builds many random JSON-like values from a tiny
// alphabet (so that collisions are likely if the encoding is ambiguous)
// and checks that equal keys mean equal values.
func TestKeyOfInjective(t *testing.T) {
	seed := uint64(1)
	rnd := func(n int) int {
		seed = seed*6364136223846793005 + 1442695040888963407
		return int((seed >> 33) % uint64(n))
	}
	strs := []string{"", "a", "b", "ab", ":", "1", "s1:a", ";", "[", "{", "}", "n", "d1;"}
	var gen func(depth int) any
	gen = func(depth int) any {
		switch k := rnd(8); {
		case k == 0:
			return nil
		case k == 1:
			return rnd(2) == 0
		case k == 2:
			return float64(rnd(4)) / 2
		case k == 3 || depth == 0:
			return strs[rnd(len(strs))]
		case k == 4 || k == 5:
			n := rnd(3)
			out := make([]any, n)
			for i := range out {
				out[i] = gen(depth - 1)
			}
			return out
		default:
			m := map[string]any{}
			for range rnd(3) {
				m[strs[rnd(len(strs))]] = gen(depth - 1)
			}
			return m
		}
	}
	canon := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	byKey := map[string]string{}
	for range 20000 {
		v := gen(3)
		k, c := keyOf(v), canon(v)
		if prev, ok := byKey[k]; ok && prev != c {
			t.Fatalf("keyOf collision: %s and %s both give %q", prev, c, k)
		}
		byKey[k] = c
	}
	if len(byKey) < 1000 {
		t.Errorf("only %d distinct values generated", len(byKey))
	}
}

// TestSpecKeyCoversEveryField: the classification and line caches are
// keyed by specKey, so two specifications that differ anywhere must get
// different keys. This catches a field added to record.Chip without being
// added to the key.
func TestSpecKeyCoversEveryField(t *testing.T) {
	e := &Engine{ruleDates: []string{"2022-10-07", "2023-11-17"}}
	chips := map[string]*record.Chip{
		"zero":                {},
		"id":                  {ID: "x"},
		"name":                {Name: "x"},
		"catalog":             {Catalog: "x"},
		"id+name shifted":     {ID: "xy"},
		"name+catalog split":  {Name: "x", Catalog: "y"},
		"name+catalog split2": {Name: "xy"},
		"designer":            {DesignerCountry: "CN"},
		"datacenter true":     {Datacenter: bp(true)},
		"datacenter false":    {Datacenter: bp(false)},
		"die area 0":          {DieAreaMM2: fp(0)},
		"die area 1":          {DieAreaMM2: fp(1)},
		"mem bw":              {MemoryBandwidthGBs: fp(1)},
		"interconnect":        {InterconnectGBs: fp(1)},
		"perf":                {Performance: []record.Perf{{Format: "int8", Bits: 8, TOPS: 1}}},
		"perf tops":           {Performance: []record.Perf{{Format: "int8", Bits: 8, TOPS: 2}}},
		"perf bits":           {Performance: []record.Perf{{Format: "int8", Bits: 4, TOPS: 1}}},
		"perf format":         {Performance: []record.Perf{{Format: "fp8", Bits: 8, TOPS: 1}}},
		"perf two":            {Performance: []record.Perf{{Format: "int8", Bits: 8, TOPS: 1}, {Format: "int8", Bits: 8, TOPS: 1}}},
		"die":                 {Dies: []record.Die{{Count: 1}}},
		"die count":           {Dies: []record.Die{{Count: 2}}},
		"die name":            {Dies: []record.Die{{Name: "x", Count: 1}}},
		"die area":            {Dies: []record.Die{{Count: 1, DieAreaMM2: fp(1)}}},
		"die perf":            {Dies: []record.Die{{Count: 1, Performance: []record.Perf{{Format: "int8", Bits: 8, TOPS: 1}}}}},
		"hbm zero":            {HBM: &record.HBM{}},
		"hbm bw":              {HBM: &record.HBM{BandwidthGBs: 1}},
		"hbm area":            {HBM: &record.HBM{PackageAreaMM2: 1}},
		"gp10":                {GP10Named: true},
	}
	seen := map[string]string{}
	check := func(name, key string) {
		if prev, dup := seen[key]; dup {
			t.Errorf("%s and %s share the spec key %q", prev, name, key)
		}
		seen[key] = name
	}
	for name, c := range chips {
		check(name, e.specKey(c, nil, "2024-01-01"))
	}
	check("nil chip", e.specKey(nil, nil, "2024-01-01"))
	check("zero chip in another interval", e.specKey(&record.Chip{}, nil, "2022-01-01"))
	check("contains one", e.specKey(nil, []record.Contained{{Count: 1, Chip: &record.Chip{}}}, "2024-01-01"))
	check("contains two", e.specKey(nil, []record.Contained{{Count: 2, Chip: &record.Chip{}}}, "2024-01-01"))
	check("contains catalog", e.specKey(nil, []record.Contained{{Count: 1, Catalog: "x"}}, "2024-01-01"))
	check("contains pair", e.specKey(nil, []record.Contained{{Count: 1, Chip: &record.Chip{}}, {Count: 1, Chip: &record.Chip{}}}, "2024-01-01"))

	// Same spec, dates in the same interval: same key.
	c := h100()
	if e.specKey(c, nil, "2024-01-01") != e.specKey(h100(), nil, "2025-06-30") {
		t.Error("equal chips in the same interval give different keys")
	}
}

// ---------------------------------------------------------------- dates

func TestIntervalAndRepresentative(t *testing.T) {
	e := &Engine{ruleDates: []string{"2022-10-07", "2023-11-17", "2024-12-02"}}
	tests := []struct {
		date, interval, rep string
	}{
		{"2000-01-01", "0", "0000-01-01"},
		{"2022-10-06", "0", "0000-01-01"},
		{"2022-10-07", "1", "2022-10-07"},
		{"2022-10-08", "2", "2022-10-07~"},
		{"2023-11-16", "2", "2022-10-07~"},
		{"2023-11-17", "3", "2023-11-17"},
		{"2024-12-01", "4", "2023-11-17~"},
		{"2024-12-02", "5", "2024-12-02"},
		{"2024-12-03", "6", "2024-12-02~"},
		{"2099-12-31", "6", "2024-12-02~"},
	}
	for _, tt := range tests {
		if got := e.interval(tt.date); got != tt.interval {
			t.Errorf("interval(%s) = %s, want %s", tt.date, got, tt.interval)
		}
		if got := e.representative(tt.date); got != tt.rep {
			t.Errorf("representative(%s) = %s, want %s", tt.date, got, tt.rep)
		}
	}
}

// TestRepresentativeStaysInInterval: for every day over the years the rules
// cover, the representative date falls in the same interval, and compares
// with every rule date the way the date itself does.
func TestRepresentativeStaysInInterval(t *testing.T) {
	_, e := realEngine(t)
	if len(e.ruleDates) < 5 || !slices.IsSorted(e.ruleDates) {
		t.Fatalf("ruleDates %v", e.ruleDates)
	}
	for _, want := range []string{"2022-10-07", "2023-11-17", "2024-12-02"} {
		if !slices.Contains(e.ruleDates, want) {
			t.Errorf("ruleDates lack %s: %v", want, e.ruleDates)
		}
	}
	// Every day over the years the rules cover, rule dates and the days
	// either side of them included.
	for t0 := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC); t0.Year() <= 2028; t0 = t0.AddDate(0, 0, 1) {
		date := t0.Format(time.DateOnly)
		rep := e.representative(date)
		if e.interval(rep) != e.interval(date) {
			t.Fatalf("representative(%s) = %s is in interval %s, the date in %s", date, rep, e.interval(rep), e.interval(date))
		}
		// Every comparison a policy may write: <, <=, >=, > with the date
		// on either side (the other two are these).
		for _, rd := range e.ruleDates {
			if (rd <= date) != (rd <= rep) || (date < rd) != (rep < rd) ||
				(date <= rd) != (rep <= rd) || (rd < date) != (rd < rep) {
				t.Fatalf("%s and its representative %s compare differently with rule date %s", date, rep, rd)
			}
		}
	}
}

// TestStrictDateComparison: engine.go, policies/README.md and the stage
// headers allow a stage to compare the date with a rule date by any of <,
// <=, >=, >. With the date on the left of > (or <=), a date the day after
// a rule date and the rule date itself differ, but they share an interval
// and a representative (the rule date), so the stage cannot tell them
// apart.
func TestStrictDateComparison(t *testing.T) {
	policyDir, rulesDir := tempCopy(t)
	writeFile(t, filepath.Join(rulesDir, "test_dates.yaml"), "cutoff: 2026-03-10\n")
	appendFile(t, filepath.Join(policyDir, "chipcheck", "destination", "destination.rego"), `
# METADATA
# title: Test after cutoff
# description: fires strictly after a rule date
# custom:
#   id: TEST-AFTER-CUTOFF
#   citation: test
reasons contains r if {
	input.date > data.rules.test_dates.cutoff
	r := {"rule": "TEST-AFTER-CUTOFF", "outcome": "allow", "message": "after the cutoff", "citation": "test", "facts": {}}
}
`)
	e, rs := mustBuild(t, policyDir, rulesDir, true)
	for _, step := range []struct {
		date  string
		fires bool
	}{
		{"2026-03-09", false},
		{"2026-03-10", false},
		{"2026-03-11", true},
		{"2026-06-01", true},
	} {
		recs := readRecords(t, rs, strings.Replace(orderDE, "2026-11-20", step.date, 1))
		d := decideOrder(t, e, rs, &recs[0])
		if got := hasRule(d, "TEST-AFTER-CUTOFF"); got != step.fires {
			t.Errorf("%s: TEST-AFTER-CUTOFF fired = %v, want %v", step.date, got, step.fires)
		}
	}
}

// TestDecideAcrossRuleDates: the same order on either side of a rule date,
// decided in turn by one engine, gets each side's rules (no cache leak).
func TestDecideAcrossRuleDates(t *testing.T) {
	policyDir, rulesDir := tempCopy(t)
	e, rs := mustBuild(t, policyDir, rulesDir, true)
	order := func(date string) string {
		return fmt.Sprintf(`
kind: order
id: SO-AE-%s
date: %s
ship_from: US
destination: AE
parties:
  buyer: {name: Dune Ridge FZ-LLC, country: AE, headquarters: AE}
end_use: {codes: [ai_training]}
items:
  - {sku: H100, quantity: 8, catalog: nvidia-h100-sxm5-80gb}
`, date, date)
	}
	for _, step := range []struct {
		date string
		dest bool // EAR-742.6-DEST fires
	}{
		{"2023-11-17", true},
		{"2023-11-16", false},
		{"2026-11-20", true},
		{"2023-06-01", false},
		{"2023-11-17", true},
	} {
		recs := readRecords(t, rs, order(step.date))
		d := decideOrder(t, e, rs, &recs[0])
		if got := hasRule(d, "EAR-742.6-DEST"); got != step.dest {
			t.Errorf("%s: EAR-742.6-DEST fired = %v, want %v: %v", step.date, got, step.dest, ruleIDs(d))
		}
		if hasRule(d, "CHIPCHECK-EVAL-ERROR") {
			t.Errorf("%s: %v", step.date, d.Reasons)
		}
	}
}

// ---------------------------------------------------------------- concurrency

// TestConcurrentDecisions: a fresh engine deciding the fixture orders from
// many goroutines at once gives the same decisions as another deciding
// them one by one (run with -race).
func TestConcurrentDecisions(t *testing.T) {
	policyDir, rulesDir := tempCopy(t)
	seqEng, rs := mustBuild(t, policyDir, rulesDir, false)
	parEng, _ := mustBuild(t, policyDir, rulesDir, false)
	paths, _ := filepath.Glob(repo("fixtures", "orders", "*.yaml"))
	recs, probs := record.Read(context.Background(), record.Options{Vocab: rs}, paths...)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	encode := func(d decision.Decision) string {
		b, err := json.Marshal(d)
		if err != nil {
			t.Error(err)
		}
		return string(b)
	}
	opts := facts.Options{Catalog: rs, Screener: hitScreener{}, Exporter: "Lakeshore Silicon Inc."}
	want := make([]string, len(recs))
	for i := range recs {
		f, err := facts.ForOrder(&recs[i], opts)
		if err != nil {
			t.Fatal(err)
		}
		want[i] = encode(seqEng.DecideOrder(context.Background(), f))
	}

	const workers = 16
	got := make([][]string, workers)
	var wg sync.WaitGroup
	for w := range workers {
		got[w] = make([]string, len(recs))
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each goroutine walks the orders from a different start.
			for j := range recs {
				i := (j + w*7) % len(recs)
				f, err := facts.ForOrder(&recs[i], opts)
				if err != nil {
					t.Error(err)
					return
				}
				got[w][i] = encode(parEng.DecideOrder(context.Background(), f))
			}
		}()
	}
	wg.Wait()
	for w := range workers {
		for i := range recs {
			if got[w][i] != want[i] {
				t.Errorf("goroutine %d, %s:\n got %s\nwant %s", w, recs[i].ID, got[w][i], want[i])
			}
		}
	}
	stats := parEng.CacheStats()
	var hits int64
	for _, s := range stats {
		hits += s[0]
	}
	if hits == 0 {
		t.Errorf("no stage cache hits in %d concurrent decisions: %v", workers*len(recs), stats)
	}
}
