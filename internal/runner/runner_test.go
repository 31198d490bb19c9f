package runner

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"gopkg.in/yaml.v3"

	chipcheck "github.com/chipcheck/chipcheck"
	"github.com/chipcheck/chipcheck/internal/buildinfo"
	"github.com/chipcheck/chipcheck/internal/decision"
	"github.com/chipcheck/chipcheck/internal/lists"
	"github.com/chipcheck/chipcheck/internal/policy"
)

var hex64 = regexp.MustCompile(`^[0-9a-f]{64}$`)

// copies writes the built-in policies and rules to temporary directories.
func copies(t *testing.T) (policyDir, rulesDir string) {
	t.Helper()
	root := t.TempDir()
	policyDir, rulesDir = filepath.Join(root, "policies"), filepath.Join(root, "rules")
	if err := os.CopyFS(policyDir, chipcheck.Policies()); err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(rulesDir, chipcheck.Rules()); err != nil {
		t.Fatal(err)
	}
	return policyDir, rulesDir
}

func TestLoadErrors(t *testing.T) {
	pdir, rdir := copies(t)
	missing := filepath.Join(t.TempDir(), "nope")
	// A policy directory without the flags stage.
	noStage, _ := copies(t)
	for _, f := range []string{"flags.rego", "flags_test.rego"} {
		if err := os.Remove(filepath.Join(noStage, "chipcheck", "flags", f)); err != nil {
			t.Fatal(err)
		}
	}
	// A policy directory that does not compile.
	broken, _ := copies(t)
	if err := os.WriteFile(filepath.Join(broken, "chipcheck", "flags", "broken.rego"), []byte("package chipcheck.flags\n\nx := \n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Rule data that does not validate.
	_, badRules := copies(t)
	if err := os.WriteFile(filepath.Join(badRules, "red_flags.yaml"), []byte("flags: [not, a, map]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"missing policies directory", Options{PoliciesDir: missing}, "nope"},
		{"missing rules directory", Options{RulesDir: missing}, "nope"},
		{"missing lists directory", Options{ListsDir: missing}, "nope"},
		{"unknown list set", Options{ListsDir: fixtureLists(t), ListsOnly: []string{"bogus"}}, "bogus"},
		{"policies without a stage", Options{PoliciesDir: noStage, RulesDir: rdir}, "data.chipcheck.flags.reasons"},
		{"policies that do not compile", Options{PoliciesDir: broken, RulesDir: rdir}, "broken.rego"},
		{"invalid rules", Options{PoliciesDir: pdir, RulesDir: badRules}, "red_flags.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Now = clock
			r, err := Load(context.Background(), tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load = %v, %v; want an error containing %q", r, err, tt.want)
			}
		})
	}
}

// TestPolicyOrigins: decisions say where the policies and rules came from:
// "built-in" by default, the directories when given.
func TestPolicyOrigins(t *testing.T) {
	pdir, rdir := copies(t)
	tests := []struct {
		name                 string
		opts                 Options
		wantPolicy, wantRule string
	}{
		{"built-in", Options{}, policy.BuiltIn, policy.BuiltIn},
		{"policies directory", Options{PoliciesDir: pdir}, pdir, policy.BuiltIn},
		{"rules directory", Options{RulesDir: rdir}, policy.BuiltIn, rdir},
		{"both", Options{PoliciesDir: pdir, RulesDir: rdir}, pdir, rdir},
	}
	var revisions []string
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := load(t, tt.opts)
			recs := readYAML(t, r, smallOrders(2)+"---\nkind: chip\nid: c\ncatalog: nvidia-h100-sxm5-80gb\n")
			var got []decision.Decision
			if _, err := r.Decide(context.Background(), recs, collect(&got)); err != nil {
				t.Fatal(err)
			}
			for _, d := range got {
				if d.Policy.Policies != tt.wantPolicy || d.Policy.Rules != tt.wantRule || d.Policy.Revision != r.Policy.Revision() {
					t.Errorf("%s: policy %+v, want policies %q rules %q", d.ID, d.Policy, tt.wantPolicy, tt.wantRule)
				}
			}
			revisions = append(revisions, r.Policy.Revision())
		})
	}
	// The copies are the built-in files: one revision for all.
	if len(slices.Compact(revisions)) != 1 {
		t.Errorf("revisions %v: a copy of the built-in policies and rules hashes differently", revisions)
	}
}

// handWorked reads fixtures/expected (decisions worked by hand).
type expectFile struct {
	Input   []string          `yaml:"input"`
	Options map[string]string `yaml:"options"`
	Records map[string]struct {
		Decision string            `yaml:"decision"`
		Reasons  map[string]any    `yaml:"reasons"` // rule id -> outcome, or a list of outcomes
		Items    map[string]string `yaml:"items"`   // sku -> eccn
		Why      string            `yaml:"why"`
	} `yaml:"records"`
}

func readExpected(t *testing.T) map[string]expectFile {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join("..", "..", "fixtures", "expected", "*.yaml"))
	if len(files) < 10 {
		t.Fatalf("%d files in fixtures/expected", len(files))
	}
	out := map[string]expectFile{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var ef expectFile
		if err := yaml.Unmarshal(b, &ef); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[filepath.Base(f)] = ef
	}
	return out
}

// reasonSet is "RULE=outcome" for every rule that fired, sorted, distinct.
func reasonSet(d decision.Decision) []string {
	var out []string
	for _, r := range d.Reasons {
		out = append(out, r.Rule+"="+r.Outcome)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func wantSet(reasons map[string]any) []string {
	var out []string
	for id, v := range reasons {
		switch x := v.(type) {
		case string:
			out = append(out, id+"="+x)
		case []any:
			for _, o := range x {
				out = append(out, fmt.Sprintf("%s=%v", id, o))
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// TestHandWorkedFixtures decides every input of fixtures/expected through
// the runner, with the built-in policies and with a directory copy of
// them, screening against fixtures/lists, and compares each decision, the
// rules that fired with their outcomes and the item ECCNs with the
// decisions worked by hand. The two runs must agree in every field but
// the policies' origin and the run's ids and times.
func TestHandWorkedFixtures(t *testing.T) {
	expected := readExpected(t)
	listsDir := fixtureLists(t)
	pdir, rdir := copies(t)
	type loaded struct{ builtin, copy *Runner }
	runners := map[string]loaded{}
	runnerFor := func(o map[string]string) loaded {
		key := o["exporter"] + "|" + o["as-of"] + "|" + o["licenses"]
		if l, ok := runners[key]; ok {
			return l
		}
		opts := Options{Exporter: o["exporter"], AsOf: o["as-of"], ListsDir: listsDir, VerifyCache: true, Workers: 3}
		if o["licenses"] != "" {
			opts.Licenses = filepath.Join("..", "..", "fixtures", filepath.FromSlash(o["licenses"]))
		}
		l := loaded{builtin: load(t, opts)}
		opts.PoliciesDir, opts.RulesDir = pdir, rdir
		l.copy = load(t, opts)
		runners[key] = l
		return l
	}
	names := make([]string, 0, len(expected))
	for name := range expected {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		ef := expected[name]
		t.Run(name, func(t *testing.T) {
			for k := range ef.Options {
				if k != "exporter" && k != "as-of" && k != "kind" && k != "licenses" {
					t.Fatalf("option %s: the test does not know it", k)
				}
			}
			l := runnerFor(ef.Options)
			var paths []string
			for _, in := range ef.Input {
				paths = append(paths, filepath.Join("..", "..", "fixtures", filepath.FromSlash(in)))
			}
			recs, probs := l.builtin.Read(context.Background(), ReadOptions{Kind: ef.Options["kind"]}, paths...)
			if len(probs) > 0 {
				t.Fatal(probs)
			}
			var fromBuiltin, fromCopy []decision.Decision
			if _, err := l.builtin.Decide(context.Background(), slices.Clone(recs), collect(&fromBuiltin)); err != nil {
				t.Fatal(err)
			}
			if _, err := l.copy.Decide(context.Background(), slices.Clone(recs), collect(&fromCopy)); err != nil {
				t.Fatal(err)
			}
			if len(fromBuiltin) != len(recs) || len(fromCopy) != len(recs) {
				t.Fatalf("%d and %d decisions of %d records", len(fromBuiltin), len(fromCopy), len(recs))
			}
			seen := map[string]bool{}
			for i, d := range fromBuiltin {
				seen[d.ID] = true
				a, _ := json.Marshal(withoutRun(d))
				b, _ := json.Marshal(withoutRun(fromCopy[i]))
				if !bytes.Equal(a, b) {
					t.Errorf("%s: built-in and directory copy differ:\n%s\n%s", d.ID, a, b)
				}
				if fromCopy[i].Policy.Policies != pdir || d.Policy.Policies != policy.BuiltIn {
					t.Errorf("%s: policy origins %+v and %+v", d.ID, d.Policy, fromCopy[i].Policy)
				}
				want, ok := ef.Records[d.ID]
				if !ok {
					t.Errorf("%s (%s:%d): no hand-worked expectation", d.ID, d.Source.File, d.Source.Line)
					continue
				}
				var diffs []string
				if d.Decision != want.Decision {
					diffs = append(diffs, "decision "+d.Decision+", want "+want.Decision)
				}
				if got, w := reasonSet(d), wantSet(want.Reasons); !slices.Equal(got, w) {
					diffs = append(diffs, fmt.Sprintf("reasons %v, want %v", got, w))
				}
				for _, it := range d.Items {
					if w, ok := want.Items[it.SKU]; ok && w != it.ECCN {
						diffs = append(diffs, "item "+it.SKU+": eccn "+it.ECCN+", want "+w)
					}
				}
				if len(diffs) > 0 {
					t.Errorf("%s (%s:%d):\n  %s\nhand-worked: %s", d.ID, d.Source.File, d.Source.Line, strings.Join(diffs, "\n  "), want.Why)
				}
			}
			for id := range ef.Records {
				if !seen[id] {
					t.Errorf("%s: expected but not in the input", id)
				}
			}
		})
	}
}

// TestProvenance: every decision says which input it judged (the record's
// digest), when (the runner's clock, UTC), with which lists, exporter and
// tool, under a fresh time-ordered id.
func TestProvenance(t *testing.T) {
	listsDir := fixtureLists(t)
	tests := []struct {
		name  string
		opts  Options
		lists bool
	}{
		{"with lists and exporter", Options{ListsDir: listsDir, Exporter: "NVIDIA Corporation"}, true},
		{"without lists", Options{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := load(t, tt.opts)
			recs := readYAML(t, r, smallOrders(6)+"---\nkind: chip\nid: c\ncatalog: nvidia-h100-sxm5-80gb\n")
			var got []decision.Decision
			if _, err := withWorkers(r, 3).Decide(context.Background(), slices.Clone(recs), collect(&got)); err != nil {
				t.Fatal(err)
			}
			seen := map[string]bool{}
			var prev uuid.UUID
			for i, d := range got {
				p := d.Provenance
				if p == nil {
					t.Fatalf("%s: no provenance", d.ID)
				}
				id, err := uuid.Parse(p.DecisionID)
				if err != nil || id.Version() != 7 || id.Variant() != uuid.RFC4122 {
					t.Errorf("%s: decision id %q is not a UUIDv7 (%v)", d.ID, p.DecisionID, err)
				}
				if seen[p.DecisionID] {
					t.Errorf("decision id %s used twice", p.DecisionID)
				}
				seen[p.DecisionID] = true
				if i > 0 {
					// Time-ordered: no id's millisecond is before an
					// earlier-emitted one's by more than the batch took.
					if tp, tc := time.Unix(prev.Time().UnixTime()), time.Unix(id.Time().UnixTime()); tc.Before(tp.Add(-time.Minute)) {
						t.Errorf("decision ids not time-ordered: %s after %s", id, prev)
					}
				}
				prev = id
				if want := "2026-11-20T08:30:00.123456789Z"; p.EvaluatedAt != want {
					t.Errorf("%s: evaluated_at %q, want the runner's clock in UTC %q", d.ID, p.EvaluatedAt, want)
				}
				if p.InputSHA256 != recs[i].Digest || !hex64.MatchString(p.InputSHA256) {
					t.Errorf("%s: input_sha256 %q, want the record's digest %q", d.ID, p.InputSHA256, recs[i].Digest)
				}
				if p.Exporter != tt.opts.Exporter {
					t.Errorf("%s: exporter %q, want %q", d.ID, p.Exporter, tt.opts.Exporter)
				}
				if p.Chipcheck == "" || p.Chipcheck != buildinfo.Read().String() {
					t.Errorf("%s: chipcheck %q, want %q", d.ID, p.Chipcheck, buildinfo.Read().String())
				}
				if p.Lists == nil {
					t.Errorf("%s: lists is nil (prints null)", d.ID)
				}
				if !tt.lists {
					if len(p.Lists) != 0 {
						t.Errorf("%s: lists %+v without lists", d.ID, p.Lists)
					}
					continue
				}
				if len(p.Lists) == 0 || len(p.Lists) != len(r.Lists.Lists) {
					t.Fatalf("%s: lists %+v, want the %d loaded", d.ID, p.Lists, len(r.Lists.Lists))
				}
				for j, l := range p.Lists {
					li := r.Lists.Lists[j]
					if l.ID != li.ID || l.Name != li.Name || l.Snapshot != li.Snapshot || l.SHA256 != li.SHA256 || l.ID == "" || l.SHA256 == "" {
						t.Errorf("%s: list %d %+v, want %+v", d.ID, j, l, li)
					}
				}
			}
			// Each decision has its own provenance.
			if len(got) > 1 && got[0].Provenance == got[1].Provenance {
				t.Error("decisions share one provenance")
			}
		})
	}
}

// TestInputDigestFollowsContent: the same record written in YAML and in
// JSON (keys in another order) has one input_sha256; a record that
// differs in one value has another.
func TestInputDigestFollowsContent(t *testing.T) {
	r := builtin(t)
	dir := t.TempDir()
	files := map[string]string{
		"a.yaml": "kind: order\nid: SO-1\ndate: 2026-11-20\nship_from: US\ndestination: DE\nparties:\n  buyer: {name: B, country: DE}\nend_use: {codes: [ai_training]}\nitems:\n  - {sku: H100, quantity: 8, catalog: nvidia-h100-sxm5-80gb}\n",
		"b.json": `{"items": [{"catalog": "nvidia-h100-sxm5-80gb", "quantity": 8, "sku": "H100"}], "end_use": {"codes": ["ai_training"]}, "parties": {"buyer": {"country": "DE", "name": "B"}}, "destination": "DE", "ship_from": "US", "date": "2026-11-20", "id": "SO-1", "kind": "order"}`,
		"c.yaml": "kind: order\nid: SO-1\ndate: 2026-11-20\nship_from: US\ndestination: DE\nparties:\n  buyer: {name: B, country: DE}\nend_use: {codes: [ai_training]}\nitems:\n  - {sku: H100, quantity: 9, catalog: nvidia-h100-sxm5-80gb}\n",
	}
	digest := map[string]string{}
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		recs, probs := r.Read(context.Background(), ReadOptions{}, p)
		if len(probs) > 0 || len(recs) != 1 {
			t.Fatalf("%s: %v", name, probs)
		}
		var got []decision.Decision
		if _, err := r.Decide(context.Background(), recs, collect(&got)); err != nil {
			t.Fatal(err)
		}
		digest[name] = got[0].Provenance.InputSHA256
	}
	if digest["a.yaml"] != digest["b.json"] || digest["a.yaml"] == "" {
		t.Errorf("one record in YAML and JSON: input_sha256 %s and %s", digest["a.yaml"], digest["b.json"])
	}
	if digest["a.yaml"] == digest["c.yaml"] {
		t.Error("records that differ in a quantity share input_sha256")
	}
}

// TestLoadRealLists screens against the real SDN snapshot: a party whose
// name and country are an SDN entry's (BANCO NACIONAL DE CUBA, entry 306
// of sdn.csv, with an address in Panama in add.csv) gets SCREEN-SDN, and
// the decisions name the SDN files.
func TestLoadRealLists(t *testing.T) {
	dir := needReal(t)
	r := load(t, Options{ListsDir: dir, ListsOnly: []string{lists.SetSDN}})
	recs := readYAML(t, r, `
kind: order
id: SO-BNC
date: 2026-11-20
ship_from: US
destination: DE
parties:
  buyer: {name: Banco Nacional de Cuba, country: PA}
end_use: {codes: [ai_training]}
items:
  - {sku: H100, quantity: 8, catalog: nvidia-h100-sxm5-80gb}
`)
	var got []decision.Decision
	if _, err := r.Decide(context.Background(), recs, collect(&got)); err != nil {
		t.Fatal(err)
	}
	d := got[0]
	i := slices.IndexFunc(d.Reasons, func(x decision.Reason) bool { return x.Rule == "SCREEN-SDN" })
	if i < 0 || d.Reasons[i].Outcome != decision.Deny || d.Decision != decision.Deny {
		t.Errorf("%s %v, want SCREEN-SDN deny; screening %+v", d.Decision, reasonSet(d), d.Screening)
	}
	if !slices.ContainsFunc(d.Screening, func(h decision.Hit) bool { return h.EntryID == "306" || strings.Contains(h.EntryID, "306") }) {
		t.Errorf("screening %+v lacks SDN entry 306", d.Screening)
	}
	if len(d.Provenance.Lists) == 0 {
		t.Fatal("no lists on the decision")
	}
	for _, l := range d.Provenance.Lists {
		if l.SHA256 == "" || l.Snapshot == "" {
			t.Errorf("list %+v", l)
		}
	}
}

// realLists is the shared snapshot directory, relative to this package.
var realLists = cmp.Or(os.Getenv("CHIPCHECK_SHARED_LISTS"), filepath.Join("..", "..", "..", "shared", "data", "lists"))

// needReal returns the shared snapshot directory. When it is not there the
// test is skipped, except under CI (CI set): a run that is meant to check
// the real lists must not pass without them.
func needReal(t testing.TB) string {
	t.Helper()
	if _, err := os.Stat(filepath.Join(realLists, "sdn.csv")); err != nil {
		msg := fmt.Sprintf("real list snapshots not found at %s (../shared/data/lists from the repository root, or CHIPCHECK_SHARED_LISTS): %v", realLists, err)
		if os.Getenv("CI") != "" {
			t.Fatal(msg + "; CI is set, so this fails instead of skipping")
		}
		t.Skip(msg)
	}
	return realLists
}

// TestRead: Read returns the valid records of every path (stdin too) in
// input order, with their digests, and every problem with its file.
func TestRead(t *testing.T) {
	r := builtin(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.yaml"), []byte(smallOrders(3)), 0o644); err != nil {
		t.Fatal(err)
	}
	stdin := strings.NewReader(`{"kind": "chip", "id": "c", "catalog": "nvidia-h100-sxm5-80gb"}`)
	recs, probs := r.Read(context.Background(), ReadOptions{Stdin: stdin, Format: "json"}, filepath.Join(dir, "a.yaml"), "-")
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	var got []string
	for _, rec := range recs {
		got = append(got, rec.Kind+":"+rec.ID)
		if !hex64.MatchString(rec.Digest) {
			t.Errorf("%s: digest %q", rec.ID, rec.Digest)
		}
	}
	if want := []string{"order:SO-000", "order:SO-001", "order:SO-002", "chip:c"}; !slices.Equal(got, want) {
		t.Errorf("records %v, want %v", got, want)
	}
	_, probs = r.Read(context.Background(), ReadOptions{}, filepath.Join(dir, "missing.yaml"))
	if len(probs) == 0 {
		t.Error("no problem for a missing file")
	}
	// Problems name the file.
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("kind: order\nid: SO-X\ndestination: ZZ\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	recs, probs = r.Read(context.Background(), ReadOptions{}, bad)
	if len(recs) != 0 || len(probs) == 0 || probs[0].File != bad {
		t.Errorf("invalid record: %d records, problems %v", len(recs), probs)
	}
}

// TestReadDateRange: without --as-of a record's date must be one the rules
// can judge (from 2000-01-01 to five years past the latest rule date); a
// typo such as 0026 or 2206 is an input problem. With --as-of the record's
// date is not what is judged, and any date is read.
func TestReadDateRange(t *testing.T) {
	r := builtin(t)
	last, err := time.Parse(time.DateOnly, r.Policy.LastDate())
	if err != nil || r.Policy.LastDate() < "2025-05-13" {
		t.Fatalf("LastDate %q", r.Policy.LastDate())
	}
	limit := last.AddDate(5, 0, 0).Format(time.DateOnly)
	if got := r.DateRange(); got != [2]string{"2000-01-01", limit} {
		t.Errorf("DateRange = %v, want 2000-01-01 to %s", got, limit)
	}
	asOf := load(t, Options{AsOf: "2026-11-20"})
	order := func(date string) string {
		return "kind: order\nid: SO-1\ndate: " + date + "\nship_from: US\ndestination: DE\nparties:\n  buyer: {name: B, country: DE}\nend_use: {codes: [ai_training]}\nitems:\n  - {sku: H100, quantity: 8, catalog: nvidia-h100-sxm5-80gb}\n"
	}
	tests := []struct {
		date string
		ok   bool
	}{
		{"2026-11-20", true},
		{"2000-01-01", true},
		{"1999-12-31", false},
		{"0026-11-20", false},
		{limit, true},
		{last.AddDate(5, 0, 1).Format(time.DateOnly), false},
		{"2206-11-20", false},
	}
	for _, tt := range tests {
		t.Run(tt.date, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "in.yaml")
			if err := os.WriteFile(p, []byte(order(tt.date)), 0o644); err != nil {
				t.Fatal(err)
			}
			recs, probs := r.Read(context.Background(), ReadOptions{}, p)
			if ok := len(probs) == 0 && len(recs) == 1; ok != tt.ok {
				t.Errorf("read = %v (%v), want %v", ok, probs, tt.ok)
			}
			if !tt.ok && len(probs) > 0 && !strings.Contains(probs[0].Msg, "--as-of") {
				t.Errorf("problem %q does not say how to judge it anyway", probs[0].Msg)
			}
			recs, probs = asOf.Read(context.Background(), ReadOptions{}, p)
			if len(probs) > 0 || len(recs) != 1 {
				t.Errorf("with --as-of: %v", probs)
			}
		})
	}
}

func TestDescribe(t *testing.T) {
	if got, want := load(t, Options{}).Describe(), "policies built-in, rules built-in, lists none (not screened)"; got != want {
		t.Errorf("Describe = %q, want %q", got, want)
	}
	pdir, rdir := copies(t)
	listsDir := fixtureLists(t)
	got := load(t, Options{PoliciesDir: pdir, RulesDir: rdir, ListsDir: listsDir}).Describe()
	if want := fmt.Sprintf("policies %s, rules %s, lists %s (oldest snapshot ", pdir, rdir, listsDir); !strings.HasPrefix(got, want) {
		t.Errorf("Describe = %q, want it to start %q", got, want)
	}
	reg := filepath.Join("..", "..", "fixtures", "licenses")
	if got, want := load(t, Options{Licenses: reg}).Describe(), "policies built-in, rules built-in, lists none (not screened), licenses "+reg+" (5)"; got != want {
		t.Errorf("Describe = %q, want %q", got, want)
	}
}

// TestMaxListAge: with MaxListAgeDays, every order screened against a list
// older than that gets SCREEN-LIST-STALE (review) naming the list; without
// it, or with a maximum no list reaches, none does.
func TestMaxListAge(t *testing.T) {
	later := func() time.Time { return time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC) } // every snapshot is years old
	listsDir := fixtureLists(t)
	tests := []struct {
		name  string
		max   int
		stale bool
	}{
		{"no maximum", 0, false},
		{"a maximum no list reaches", 100000, false},
		{"a day", 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := load(t, Options{ListsDir: listsDir, MaxListAgeDays: tt.max, Now: later, AsOf: "2026-11-20"})
			for _, l := range r.Lists.Lists {
				if l.AgeDays < 365 {
					t.Fatalf("list %s is %d days old on %s", l.ID, l.AgeDays, later())
				}
			}
			recs := readYAML(t, r, smallOrders(3))
			var got []decision.Decision
			if _, err := r.Decide(context.Background(), recs, collect(&got)); err != nil {
				t.Fatal(err)
			}
			for _, d := range got {
				var named []string
				for _, x := range d.Reasons {
					if x.Rule == "SCREEN-LIST-STALE" {
						if x.Outcome != decision.Review {
							t.Errorf("%s: %+v", d.ID, x)
						}
						named = append(named, fmt.Sprint(x.Facts["list"]))
					}
				}
				if !tt.stale {
					if len(named) > 0 {
						t.Errorf("%s: SCREEN-LIST-STALE for %v", d.ID, named)
					}
					continue
				}
				if len(named) != len(r.Lists.Lists) || d.Decision == decision.Allow {
					t.Errorf("%s: %s, SCREEN-LIST-STALE for %v, want one per list loaded (%d)", d.ID, d.Decision, named, len(r.Lists.Lists))
				}
			}
		})
	}
}

// TestLoadPolicyRefusesIncompletePolicies: every command loads policies
// through LoadPolicy, which refuses a policy that lacks a stage, not only
// Load.
func TestLoadPolicyRefusesIncompletePolicies(t *testing.T) {
	rs, err := LoadRules(Options{})
	if err != nil {
		t.Fatal(err)
	}
	pdir, _ := copies(t)
	if _, err := LoadPolicy(context.Background(), Options{PoliciesDir: pdir}, rs); err != nil {
		t.Fatalf("a complete copy: %v", err)
	}
	for _, f := range []string{"line.rego", "line_test.rego"} {
		if err := os.Remove(filepath.Join(pdir, "chipcheck", "line", f)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := LoadPolicy(context.Background(), Options{PoliciesDir: pdir}, rs); err == nil || !strings.Contains(err.Error(), "data.chipcheck.line.reasons") {
		t.Errorf("LoadPolicy = %v, want an error naming data.chipcheck.line.reasons", err)
	}
}
