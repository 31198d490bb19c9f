package policy

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"

	chipcheck "github.com/chipcheck/chipcheck"
	"github.com/chipcheck/chipcheck/internal/rules"
)

// ---------------------------------------------------------------- loading

// TestLoadRefusesBrokenPolicy: a policy that does not compile strictly, or
// that calls a network, clock or random built-in, is refused with the file
// and line of the problem.
func TestLoadRefusesBrokenPolicy(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string // besides file:line
	}{
		{"parse error", "broken := 1 1\n", []string{"rego_parse_error"}},
		{"unsafe variable", "broken := x if { x == y }\n", []string{"rego_unsafe_var_error"}},
		{"undefined function", "broken := no_such_function(1)\n", []string{"no_such_function"}},
		{"strict: unused local", "broken if { x := 1; true }\n", []string{"rego_compile_error"}},
		{"strict: deprecated built-in", "broken := any([true])\n", []string{"any"}},
		{"http.send is banned", "fetched := http.send({\"method\": \"get\", \"url\": \"https://example.com\"})\n", []string{"http.send"}},
		{"net.lookup_ip_addr is banned", "ips := net.lookup_ip_addr(\"example.com\")\n", []string{"net.lookup_ip_addr"}},
		{"opa.runtime is banned", "rt := opa.runtime()\n", []string{"opa.runtime"}},
		{"time.now_ns is banned", "now := time.now_ns()\n", []string{"time.now_ns"}},
		{"rand.intn is banned", "dice := rand.intn(\"x\", 6)\n", []string{"rand.intn"}},
		{"uuid.rfc4122 is banned", "id := uuid.rfc4122(\"x\")\n", []string{"uuid.rfc4122"}},
		{"trace is banned", "traced if trace(\"x\")\n", []string{"trace"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pfs := mapFS(t, chipcheck.Policies())
			line := appendTo(t, pfs, flagsFile, "\n"+tt.text) + 1
			p, err := loadFS(t, pfs, chipcheck.Rules(), "copy")
			if err == nil {
				t.Fatalf("Load accepted the policy (%d rules)", len(p.Rules()))
			}
			msg := err.Error()
			if at := fmt.Sprintf("copy/%s:%d", flagsFile, line); !strings.Contains(msg, at) {
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

// TestLoadRefusesEveryNondeterministicBuiltin: OPA marks the built-ins
// whose result may depend on the network, the clock or randomness as
// non-deterministic; a decision must depend only on its input and rule
// data, so Load must refuse a policy calling any of them.
func TestLoadRefusesEveryNondeterministicBuiltin(t *testing.T) {
	var names []string
	for _, b := range ast.CapabilitiesForThisVersion().Builtins {
		if b.Nondeterministic {
			names = append(names, b.Name)
		}
	}
	if len(names) < 5 {
		t.Fatalf("OPA marks only %v non-deterministic", names)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			b := ast.BuiltinMap[name]
			args := make([]string, len(b.Decl.FuncArgs().Args))
			for i := range args {
				args[i] = fmt.Sprintf("input.a%d", i)
			}
			call := fmt.Sprintf("%s(%s)", name, strings.Join(args, ", "))
			text := "package chipcheck.x\n\nx := " + call + "\n"
			if b.Decl.Result() == nil { // a relation without output: use as a condition
				text = "package chipcheck.x\n\nx if " + call + "\n"
			}
			if _, err := mini(t, map[string]string{"x.rego": text}, nil); err == nil {
				t.Errorf("Load accepted a policy calling %s (non-deterministic: network, clock or randomness)", name)
			} else if !strings.Contains(err.Error(), name) {
				t.Errorf("the error does not name %s: %v", name, err)
			}
		})
	}
}

func TestLoadRefusesBadMetadata(t *testing.T) {
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
		{"firing rule without METADATA", body, "rule reasons has no METADATA custom.id"},
		{"requirement without METADATA", "requirements contains {\"key\": \"x\"} if { input.red_flags }\n", "rule requirements has no METADATA custom.id"},
		{"METADATA without custom.id", "# METADATA\n# title: No id\n# description: d\n# custom:\n#   citation: c\n" + body, "has no METADATA custom.id"},
		{"no citation", "# METADATA\n# title: No citation\n# description: d\n# custom:\n#   id: TEST-NO-CITATION\n" + body, "rule TEST-NO-CITATION has no custom.citation"},
		{"citation not a string", "# METADATA\n# title: t\n# description: d\n# custom:\n#   id: TEST-NUM-CITATION\n#   citation: 740\n" + body, "rule TEST-NUM-CITATION has no custom.citation"},
		{"no description or title", "# METADATA\n# custom:\n#   id: TEST-NO-DESCRIPTION\n#   citation: c\n" + body, "rule TEST-NO-DESCRIPTION has no description"},
		{"empty id", "# METADATA\n# title: t\n# custom:\n#   id: \"\"\n#   citation: c\n" + body, "custom.id must be a non-empty string"},
		{"id not a string", "# METADATA\n# title: t\n# custom:\n#   id: 42\n#   citation: c\n" + body, "custom.id must be a non-empty string"},
		{"duplicate rule id", "# METADATA\n# title: Again\n# description: d\n# custom:\n#   id: EAR-742.6-DEST\n#   citation: c\n" + body, "rule id EAR-742.6-DEST is already used at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pfs := mapFS(t, chipcheck.Policies())
			appendTo(t, pfs, flagsFile, "\n"+tt.text)
			_, err := loadFS(t, pfs, chipcheck.Rules(), "copy")
			if err == nil {
				t.Fatal("Load accepted the policy")
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.want) {
				t.Errorf("error does not say %q:\n%s", tt.want, msg)
			}
			if !strings.Contains(msg, "copy/"+flagsFile+":") {
				t.Errorf("error does not name the file and line:\n%s", msg)
			}
		})
	}
}

// TestMetadataLocation: the error points at the rule's own line, and a
// duplicate id names where the id was first used.
func TestMetadataLocation(t *testing.T) {
	tests := []struct {
		name string
		text string
		want func(line int) string
	}{
		{
			name: "no citation",
			text: "\n# METADATA\n# title: t\n# custom:\n#   id: TEST-X\nreasons contains r if {\n\tsome r in input.red_flags\n}\n",
			want: func(line int) string {
				return fmt.Sprintf("copy/%s:%d: rule TEST-X has no custom.citation", flagsFile, line+5)
			},
		},
		{
			name: "duplicate names both places",
			text: "\n# METADATA\n# title: t\n# description: d\n# custom:\n#   id: TEST-DUP\n#   citation: c\nreasons contains 1 if input.x\n" +
				"\n# METADATA\n# title: t\n# description: d\n# custom:\n#   id: TEST-DUP\n#   citation: c\nreasons contains 2 if input.y\n",
			want: func(line int) string {
				return fmt.Sprintf("copy/%s:%d: rule id TEST-DUP is already used at copy/%s:%d", flagsFile, line+15, flagsFile, line+7)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pfs := mapFS(t, chipcheck.Policies())
			line := appendTo(t, pfs, flagsFile, tt.text)
			_, err := loadFS(t, pfs, chipcheck.Rules(), "copy")
			if err == nil {
				t.Fatal("Load accepted the policy")
			}
			if want := tt.want(line); !strings.Contains(err.Error(), want) {
				t.Errorf("error:\n%s\nwant it to contain %q", err, want)
			}
		})
	}
}

func TestLoadAcceptsHelpersWithoutMetadata(t *testing.T) {
	pfs := mapFS(t, chipcheck.Policies())
	appendTo(t, pfs, flagsFile, "\nflag_count := count(input.red_flags)\n\nflagged(code) if code in input.red_flags\n")
	p, err := loadFS(t, pfs, chipcheck.Rules(), "copy")
	if err != nil {
		t.Fatalf("a helper rule without METADATA was refused: %v", err)
	}
	if !p.Defines("data.chipcheck.flags.flag_count") {
		t.Error("the helper is not defined")
	}
}

func TestLoadErrors(t *testing.T) {
	rs, _ := builtin(t)
	empty := t.TempDir()
	file := filepath.Join(t.TempDir(), "file.rego")
	if err := os.WriteFile(file, []byte("package x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	onlyTests := fstest.MapFS{"a_test.rego": {Data: []byte("package a\n\ntest_x if true\n")}}
	notRego := fstest.MapFS{"README.md": {Data: []byte("x")}}
	tests := []struct {
		name string
		load func() error
		want string
	}{
		{"no rules", func() error {
			_, err := Load(context.Background(), Options{Policies: Source{FS: chipcheck.Policies(), Origin: BuiltIn}})
			return err
		}, "no rule data"},
		{"no policies", func() error {
			_, err := Load(context.Background(), Options{Rules: rs})
			return err
		}, "no policies"},
		{"missing directory", func() error {
			_, err := Dir(filepath.Join(empty, "nope"))
			return err
		}, "policies"},
		{"a file, not a directory", func() error {
			_, err := Dir(file)
			return err
		}, "is not a directory"},
		{"no .rego files in a directory", func() error {
			src, err := Dir(empty)
			if err != nil {
				return err
			}
			_, err = Load(context.Background(), Options{Policies: src, Rules: rs})
			return err
		}, "no .rego files"},
		{"only tests", func() error {
			_, err := Load(context.Background(), Options{Policies: Source{FS: onlyTests, Origin: "t"}, Rules: rs})
			return err
		}, "no .rego files"},
		{"no rego at all", func() error {
			_, err := Load(context.Background(), Options{Policies: Source{FS: notRego, Origin: "t"}, Rules: rs})
			return err
		}, "no .rego files"},
		{"canceled context", func() error {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			_, err := Load(ctx, Options{Policies: Source{FS: chipcheck.Policies(), Origin: BuiltIn}, Rules: rs})
			return err
		}, "context canceled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.load()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// TestRules: the METADATA index lists every firing rule once, complete,
// sorted, from policy files only.
func TestRules(t *testing.T) {
	_, p := builtin(t)
	rs := p.Rules()
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
		if isTest(r.File) || !strings.HasPrefix(r.File, "policies/chipcheck/") && !strings.HasPrefix(r.File, "policies/access/") {
			t.Errorf("rule %s comes from %s", r.ID, r.File)
		}
	}
	for _, tt := range []struct{ id, file string }{
		{"EAR-742.6-DEST", "policies/chipcheck/destination/destination.rego"},
		{"EAR-742.6-HQ", "policies/chipcheck/party/party.rego"},
		{"EAR-732-RED-FLAG", "policies/chipcheck/flags/flags.rego"},
		{"NO-LICENSE-REQUIRED", "policies/chipcheck/authorization/authorization.rego"},
		{"ECCN-UNKNOWN", "policies/chipcheck/classify/classify.rego"},
		{"SCREEN-EL", "policies/chipcheck/screening/screening.rego"},
		{"SCREEN-NOT-RUN", "policies/chipcheck/screening/screening.rego"},
		{"NETWORK-DENIED-LINK", "policies/access/network/network.rego"},
	} {
		r, ok := p.Rule(tt.id)
		if !ok || r.ID != tt.id || r.File != tt.file {
			t.Errorf("Rule(%q) = %+v, %v; want it from %s", tt.id, r, ok, tt.file)
		}
	}
	if r, ok := p.Rule("EAR-732-RED-FLAG"); ok && (r.Citation != "15 CFR Part 732, Supp. 3" || r.Title != "Red flag") {
		t.Errorf("EAR-732-RED-FLAG METADATA read as %+v", r)
	}
	if _, ok := p.Rule("NO-SUCH-RULE"); ok {
		t.Error("Rule(NO-SUCH-RULE) found")
	}
	rs[0].ID = "changed"
	if p.Rules()[0].ID == "changed" {
		t.Error("Rules returned the policy's own slice")
	}
}

// TestDescriptionDefaultsToTitle: METADATA with a title and no description
// is complete; the title stands for the description.
func TestDescriptionDefaultsToTitle(t *testing.T) {
	p, err := mini(t, map[string]string{"x.rego": "package chipcheck.x\n\n# METADATA\n# title: Only a title\n# custom:\n#   id: X-1\n#   citation: c\nreasons contains 1 if input.x\n"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := p.Rule("X-1"); !ok || r.Description != "Only a title" || r.File != "mini/x.rego" || r.Line != 8 {
		t.Errorf("Rule(X-1) = %+v, %v", r, ok)
	}
}

func TestDefines(t *testing.T) {
	_, p := builtin(t)
	tests := []struct {
		ref  string
		want bool
	}{
		{"data.chipcheck.flags.reasons", true},
		{"data.chipcheck.destination.requirements", true},
		{"data.chipcheck.destination.requirement_reasons", true},
		{"data.chipcheck.classify.result", true},
		{"data.chipcheck.place.facts", true},
		{"data.chipcheck.flags.requirements", false},
		{"data.chipcheck.nope.reasons", false},
		{"data.chipcheck.flags", false}, // a package, not a rule
		{"not a ref ((", false},
	}
	for _, tt := range tests {
		if got := p.Defines(tt.ref); got != tt.want {
			t.Errorf("Defines(%q) = %v, want %v", tt.ref, got, tt.want)
		}
	}
}

func TestOriginAndData(t *testing.T) {
	rs, p := builtin(t)
	if o := p.Origin(); o.Policies != BuiltIn || o.Rules != BuiltIn {
		t.Errorf("Origin = %+v", o)
	}
	if p.Data()["rules"] == nil || fmt.Sprint(p.Data()["rules"]) != fmt.Sprint(rs.Data) {
		t.Error("Data()[rules] is not the rule data")
	}
	dir := t.TempDir()
	if err := os.CopyFS(dir, chipcheck.Policies()); err != nil {
		t.Fatal(err)
	}
	src, err := Dir(dir)
	if err != nil {
		t.Fatal(err)
	}
	q, err := Load(context.Background(), Options{Policies: src, Rules: rs, RulesOrigin: "/some/rules"})
	if err != nil {
		t.Fatal(err)
	}
	if o := q.Origin(); o.Policies != dir || o.Rules != "/some/rules" {
		t.Errorf("Origin = %+v, want %s and /some/rules", o, dir)
	}
	if r, _ := q.Rule("EAR-742.6-DEST"); !strings.HasPrefix(r.File, filepath.ToSlash(dir)+"/chipcheck/") {
		t.Errorf("a rule of a directory is located at %s, want under %s", r.File, dir)
	}
}

// ---------------------------------------------------------------- revision

func TestRevision(t *testing.T) {
	_, shipped := builtin(t)
	if !strings.HasPrefix(shipped.Revision(), "sha256:") || len(shipped.Revision()) != len("sha256:")+64 {
		t.Fatalf("Revision = %q", shipped.Revision())
	}

	// A copy of the built-in policies and rules on disk hashes alike.
	root := t.TempDir()
	pdir, rdir := filepath.Join(root, "policies"), filepath.Join(root, "rules")
	if err := os.CopyFS(pdir, chipcheck.Policies()); err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(rdir, chipcheck.Rules()); err != nil {
		t.Fatal(err)
	}
	rs, err := rules.LoadDir(rdir)
	if err != nil {
		t.Fatal(err)
	}
	src, err := Dir(pdir)
	if err != nil {
		t.Fatal(err)
	}
	copied, err := Load(context.Background(), Options{Policies: src, Rules: rs, RulesOrigin: rdir})
	if err != nil {
		t.Fatal(err)
	}
	if copied.Revision() != shipped.Revision() {
		t.Errorf("a directory copy of the built-in policies and rules: revision %s, want the built-in %s", copied.Revision(), shipped.Revision())
	}

	tests := []struct {
		name    string
		change  func(t *testing.T, p, r fstest.MapFS)
		changes bool
	}{
		{"nothing", func(*testing.T, fstest.MapFS, fstest.MapFS) {}, false},
		{"rule file edited", func(t *testing.T, _, r fstest.MapFS) { appendTo(t, r, "red_flags.yaml", "# a comment\n") }, true},
		{"rule value edited", func(t *testing.T, _, r fstest.MapFS) {
			b := string(r["classification.yaml"].Data)
			if !strings.Contains(b, "4800") {
				t.Fatal("classification.yaml has no 4800")
			}
			r["classification.yaml"] = &fstest.MapFile{Data: []byte(strings.Replace(b, "4800", "4801", 1))}
		}, true},
		{"rule file added", func(t *testing.T, _, r fstest.MapFS) { r["extra.yaml"] = &fstest.MapFile{Data: []byte("x: 1\n")} }, true},
		{"policy file edited", func(t *testing.T, p, _ fstest.MapFS) { appendTo(t, p, flagsFile, "# a comment\n") }, true},
		{"policy file added", func(t *testing.T, p, _ fstest.MapFS) {
			p["chipcheck/extra/extra.rego"] = &fstest.MapFile{Data: []byte("package chipcheck.extra\n\nx := 1\n")}
		}, true},
		{"test file edited", func(t *testing.T, p, _ fstest.MapFS) { appendTo(t, p, "chipcheck/lib/lib_test.rego", "# a comment\n") }, false},
		{"test file added", func(t *testing.T, p, _ fstest.MapFS) {
			p["chipcheck/flags/extra_test.rego"] = &fstest.MapFile{Data: []byte("package chipcheck.flags_test\n\ntest_nothing if { true }\n")}
		}, false},
		{"non-rego file in policies", func(t *testing.T, p, _ fstest.MapFS) {
			p["chipcheck/NOTES.md"] = &fstest.MapFile{Data: []byte("notes\n")}
		}, false},
		{"non-yaml file in rules", func(t *testing.T, _, r fstest.MapFS) { r["README.md"] = &fstest.MapFile{Data: []byte("notes\n")} }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, r := mapFS(t, chipcheck.Policies()), mapFS(t, chipcheck.Rules())
			tt.change(t, p, r)
			pol, err := loadFS(t, p, r, "copy")
			if err != nil {
				t.Fatal(err)
			}
			if changed := pol.Revision() != shipped.Revision(); changed != tt.changes {
				t.Errorf("revision changed = %v, want %v", changed, tt.changes)
			}
		})
	}
}

// TestRevisionSeparatesFiles: moving bytes from one file to the next, or
// from a policy to the rules, changes the revision (files are framed).
func TestRevisionSeparatesFiles(t *testing.T) {
	load := func(files map[string]string, ruleFiles map[string][]byte) string {
		m := fstest.MapFS{}
		for p, text := range files {
			m[p] = &fstest.MapFile{Data: []byte(text)}
		}
		p, err := Load(context.Background(), Options{Policies: Source{FS: m, Origin: "m"}, Rules: &rules.Set{Data: map[string]any{}, Files: ruleFiles}})
		if err != nil {
			t.Fatal(err)
		}
		return p.Revision()
	}
	const a, b = "package a\n\nx := 1\n", "package b\n\ny := 2\n"
	revs := map[string]string{
		"two files":           load(map[string]string{"a.rego": a, "b.rego": b}, nil),
		"renamed":             load(map[string]string{"a.rego": a, "c.rego": b}, nil),
		"bytes moved":         load(map[string]string{"a.rego": a + "\n", "b.rego": b[:len(b)-1]}, nil),
		"one file":            load(map[string]string{"a.rego": a}, nil),
		"rule file":           load(map[string]string{"a.rego": a}, map[string][]byte{"b.rego": []byte(b)}),
		"rule file, no bytes": load(map[string]string{"a.rego": a}, map[string][]byte{"x.yaml": nil}),
	}
	seen := map[string]string{}
	for name, rev := range revs {
		if prev, dup := seen[rev]; dup {
			t.Errorf("%s and %s share revision %s", prev, name, rev)
		}
		seen[rev] = name
	}
	if again := load(map[string]string{"b.rego": b, "a.rego": a}, nil); again != revs["two files"] {
		t.Error("the same files give another revision")
	}
}

// ---------------------------------------------------------------- dates

func TestIntervalAndRepresentative(t *testing.T) {
	p, err := mini(t, map[string]string{"x.rego": "package x\n\nx := 1\n"}, map[string]any{
		"a": map[string]any{"from": "2023-11-17", "list": []any{"2022-10-07", "not a date", "2024-13-01", 5}},
		"b": []any{map[string]any{"until": "2024-12-02", "again": "2022-10-07"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"2022-10-07", "2023-11-17", "2024-12-02"}; !slices.Equal(p.dates, want) {
		t.Fatalf("rule dates %v, want %v", p.dates, want)
	}
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
	if got := p.LastDate(); got != "2024-12-02" {
		t.Errorf("LastDate = %q, want 2024-12-02", got)
	}
	if q, err := mini(t, map[string]string{"x.rego": "package x\n\nx := 1\n"}, map[string]any{"a": "no dates"}); err != nil || q.LastDate() != "" || q.Interval("2024-01-01") != "0" || q.Representative("2024-01-01") != "0000-01-01" {
		t.Errorf("without rule dates: %v, LastDate %q", err, q.LastDate())
	}
	for _, tt := range tests {
		if got := p.Interval(tt.date); got != tt.interval {
			t.Errorf("Interval(%s) = %s, want %s", tt.date, got, tt.interval)
		}
		if got := p.Representative(tt.date); got != tt.rep {
			t.Errorf("Representative(%s) = %s, want %s", tt.date, got, tt.rep)
		}
	}
}

// TestDatesFrom: with DatesFrom, only the dates of rule files the named
// packages read split the intervals; another domain's dates do not, and a
// reference to the whole of data.rules keeps every date.
func TestDatesFrom(t *testing.T) {
	data := map[string]any{
		"orders_rules": map[string]any{"from": "2024-01-01"},
		"other_rules":  map[string]any{"from": "2024-06-01"},
	}
	load := func(files map[string]string) *Policy {
		t.Helper()
		m := fstest.MapFS{}
		for p, text := range files {
			m[p] = &fstest.MapFile{Data: []byte(text)}
		}
		p, err := Load(context.Background(), Options{Policies: Source{FS: m, Origin: "mini"}, Rules: &rules.Set{Data: data, Files: map[string][]byte{}},
			RulesOrigin: "mini", DatesFrom: []string{"data.chipcheck"}})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	p := load(map[string]string{
		"a.rego": "package chipcheck.a\n\nx := data.rules.orders_rules.from\n",
		"b.rego": "package access.b\n\ny := data.rules.other_rules.from\n",
	})
	if want := []string{"2024-01-01"}; !slices.Equal(p.dates, want) {
		t.Errorf("dates %v, want %v (access.b's file left out)", p.dates, want)
	}
	if p.Interval("2024-05-01") != p.Interval("2024-07-01") || p.LastDate() != "2024-06-01" {
		t.Errorf("another domain's date splits an interval, or LastDate %q is not the latest of all", p.LastDate())
	}
	whole := load(map[string]string{"a.rego": "package chipcheck.a\n\nx := data.rules\n"})
	if want := []string{"2024-01-01", "2024-06-01"}; !slices.Equal(whole.dates, want) {
		t.Errorf("a reference to all of data.rules: dates %v, want %v", whole.dates, want)
	}
}

// TestRepresentativeStaysInInterval: for every day over the years the
// rules cover, the representative falls in the date's interval and
// compares with every rule date the way the date does.
func TestRepresentativeStaysInInterval(t *testing.T) {
	_, p := builtin(t)
	if len(p.dates) < 5 || !slices.IsSorted(p.dates) {
		t.Fatalf("rule dates %v", p.dates)
	}
	for _, want := range []string{"2022-10-07", "2023-11-17", "2024-12-02", "2025-01-13", "2025-05-13"} {
		if !slices.Contains(p.dates, want) {
			t.Errorf("rule dates lack %s: %v", want, p.dates)
		}
	}
	first, _ := time.Parse(time.DateOnly, p.dates[0])
	last, _ := time.Parse(time.DateOnly, p.dates[len(p.dates)-1])
	for d := first.AddDate(-1, 0, 0); !d.After(last.AddDate(1, 0, 0)); d = d.AddDate(0, 0, 1) {
		date := d.Format(time.DateOnly)
		rep := p.Representative(date)
		if p.Interval(rep) != p.Interval(date) {
			t.Fatalf("Representative(%s) = %s is in interval %s, the date in %s", date, rep, p.Interval(rep), p.Interval(date))
		}
		for _, rd := range p.dates {
			if (rd <= date) != (rd <= rep) || (date < rd) != (rep < rd) ||
				(date <= rd) != (rep <= rd) || (rd < date) != (rd < rep) {
				t.Fatalf("%s and its representative %s compare differently with rule date %s", date, rep, rd)
			}
		}
	}
}

// ---------------------------------------------------------------- tests

// minCoverage is the line coverage every policy file must keep.
const minCoverage = 90.0

// TestPolicies runs the Rego unit tests of the built-in policies with the
// built-in rule data (as `chipcheck verify --coverage` does), fails on any
// failing test, and enforces line coverage per policy file.
func TestPolicies(t *testing.T) {
	_, p := builtin(t)
	tests := 0
	for _, m := range p.tests {
		for _, r := range m.Rules {
			if strings.HasPrefix(r.Head.Ref().String(), "test_") {
				tests++
			}
		}
	}
	var out strings.Builder
	sum, err := p.Test(context.Background(), TestOptions{Coverage: true, Output: &out})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Bad() {
		t.Errorf("%d Rego tests failed, %d errored:\n%s", sum.Failed, sum.Errored, out.String())
	}
	if ran := sum.Passed + sum.Failed + sum.Errored + sum.Skipped; ran < 100 || ran < tests {
		t.Errorf("%d Rego tests ran, want the %d defined", ran, tests)
	}
	if sum.Coverage == nil || len(sum.Coverage.Files) == 0 {
		t.Fatal("no coverage report")
	}
	t.Logf("%d Rego tests passed, %d failed, %d errored, %d skipped", sum.Passed, sum.Failed, sum.Errored, sum.Skipped)
	for _, file := range slices.Sorted(maps.Keys(sum.Coverage.Files)) {
		fr := sum.Coverage.Files[file]
		if isTest(file) {
			continue // TestTestCoverageExcludesTests
		}
		t.Logf("coverage %6.2f%% %s", fr.Coverage, file)
		if fr.CoveredLines+fr.NotCoveredLines > 0 && fr.Coverage < minCoverage {
			t.Errorf("%s: line coverage %.2f%% is below %.0f%%", file, fr.Coverage, minCoverage)
		}
	}
	// Every policy file with rules is in the report.
	for name, m := range p.modules {
		if len(m.Rules) > 0 && sum.Coverage.Files[name] == nil {
			t.Errorf("%s is not in the coverage report", name)
		}
	}
}

// TestEveryPolicyHasTests: every policy file with rules has a _test.rego
// beside it.
func TestEveryPolicyHasTests(t *testing.T) {
	_, p := builtin(t)
	if len(p.modules) < 10 {
		t.Fatalf("%d policy modules", len(p.modules))
	}
	for name, m := range p.modules {
		if len(m.Rules) == 0 {
			continue
		}
		test := strings.TrimSuffix(name, ".rego") + "_test.rego"
		if p.tests[test] == nil {
			t.Errorf("%s has no %s", name, test)
		}
	}
}
