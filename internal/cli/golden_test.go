package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/chipcheck/chipcheck/internal/decision"
)

// expectFile is one file of fixtures/expected: hand-worked decisions for
// the records of one input, and the options they were worked under.
type expectFile struct {
	Input   []string          `yaml:"input"`   // paths relative to fixtures/
	Options map[string]string `yaml:"options"` // extra flags: exporter, as-of, kind, licenses (under fixtures/)
	Records map[string]expect `yaml:"records"` // by record id
}

type expect struct {
	Decision string            `yaml:"decision"`
	Reasons  map[string]any    `yaml:"reasons"` // rule id -> outcome, or list of outcomes
	Items    map[string]string `yaml:"items"`   // sku -> eccn
	Why      string            `yaml:"why"`
}

// TestGolden runs every fixture through the CLI and compares each decision,
// the exact set of rules that fired with their outcomes, and the item ECCNs
// with the expectations worked by hand in fixtures/expected.
func TestGolden(t *testing.T) {
	root := repoRoot(t)
	files, _ := filepath.Glob(filepath.Join(root, "fixtures", "expected", "*.yaml"))
	if len(files) == 0 {
		t.Fatal("no fixtures/expected/*.yaml")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			var ef expectFile
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if err := yaml.Unmarshal(b, &ef); err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			args := []string{"check", "-o", "json", "--fail-on", "none", "-q", "--verify-cache",
				"--policies", filepath.Join(root, "policies"), "--rules", filepath.Join(root, "rules"),
				"--lists", filepath.Join(root, "fixtures", "lists")}
			for k, v := range ef.Options {
				if k == "licenses" { // a path under fixtures/
					v = filepath.Join(root, "fixtures", v)
				}
				args = append(args, "--"+k, v)
			}
			for _, in := range ef.Input {
				args = append(args, filepath.Join(root, "fixtures", in))
			}
			var stdout, stderr bytes.Buffer
			if code := Main(args, nil, &stdout, &stderr); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			var ds []decision.Decision
			if err := json.Unmarshal(stdout.Bytes(), &ds); err != nil {
				t.Fatalf("decisions: %v\n%s", err, stdout.String())
			}
			seen := map[string]bool{}
			for _, d := range ds {
				seen[d.ID] = true
				want, ok := ef.Records[d.ID]
				if !ok {
					t.Errorf("%s (%s:%d): no hand-worked expectation", d.ID, d.Source.File, d.Source.Line)
					continue
				}
				compare(t, d, want)
			}
			for id := range ef.Records {
				if !seen[id] {
					t.Errorf("%s: expected but not in the input", id)
				}
			}
		})
	}
}

func compare(t *testing.T, d decision.Decision, want expect) {
	t.Helper()
	got := map[string][]string{}
	for _, r := range d.Reasons {
		if !slices.Contains(got[r.Rule], r.Outcome) {
			got[r.Rule] = append(got[r.Rule], r.Outcome)
		}
	}
	wantR := map[string][]string{}
	for id, v := range want.Reasons {
		switch x := v.(type) {
		case string:
			wantR[id] = []string{x}
		case []any:
			for _, o := range x {
				wantR[id] = append(wantR[id], o.(string))
			}
		}
	}
	for _, m := range []map[string][]string{got, wantR} {
		for k := range m {
			sort.Strings(m[k])
		}
	}
	var diffs []string
	if d.Decision != want.Decision {
		diffs = append(diffs, "decision "+d.Decision+", want "+want.Decision)
	}
	for id, o := range wantR {
		if !slices.Equal(got[id], o) {
			diffs = append(diffs, id+": got "+strings.Join(got[id], ",")+", want "+strings.Join(o, ","))
		}
	}
	for id, o := range got {
		if _, ok := wantR[id]; !ok {
			diffs = append(diffs, id+": fired ("+strings.Join(o, ",")+") but not expected")
		}
	}
	for _, it := range d.Items {
		if w, ok := want.Items[it.SKU]; ok && w != it.ECCN {
			diffs = append(diffs, "item "+it.SKU+": eccn "+it.ECCN+", want "+w)
		}
	}
	if len(diffs) > 0 {
		var msgs []string
		for _, r := range d.Reasons {
			msgs = append(msgs, "  "+r.Rule+" "+r.Outcome+": "+r.Message)
		}
		t.Errorf("%s (%s:%d):\n  %s\nreasons:\n%s\nhand-worked: %s", d.ID, d.Source.File, d.Source.Line,
			strings.Join(diffs, "\n  "), strings.Join(msgs, "\n"), want.Why)
	}
}

func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found")
		}
		dir = parent
	}
}
