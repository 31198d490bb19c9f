package orders

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	chipcheck "github.com/chipcheck/chipcheck"
	"github.com/chipcheck/chipcheck/internal/engine"
	"github.com/chipcheck/chipcheck/internal/policy"
	"github.com/chipcheck/chipcheck/internal/rules"
)

// evalErrorMeta declares CHIPCHECK-EVAL-ERROR, as New requires.
const evalErrorMeta = "package chipcheck.lib\n\n# METADATA\n# title: Not judged\n# description: d\n# custom:\n#   id: CHIPCHECK-EVAL-ERROR\n#   citation: stub citation\neval_error := 1\n"

// stubPolicy defines every document of docs (data.chipcheck.<pkg>.<rule>)
// as an empty set, with METADATA where a rule needs it, and declares
// CHIPCHECK-EVAL-ERROR when evalError is set.
func stubPolicy(t *testing.T, docs []string, evalError ...bool) (*policy.Policy, error) {
	t.Helper()
	byPkg := map[string][]string{}
	for _, d := range docs {
		parts := strings.Split(strings.TrimPrefix(d, "data.chipcheck."), ".")
		if len(parts) != 2 {
			t.Fatalf("document %s", d)
		}
		byPkg[parts[0]] = append(byPkg[parts[0]], parts[1])
	}
	m := fstest.MapFS{}
	for pkg, names := range byPkg {
		text := "package chipcheck." + pkg + "\n"
		for _, n := range names {
			if n == "reasons" || n == "requirements" {
				text += meta("STUB-"+strings.ToUpper(pkg+"-"+n)) + n + " contains 1 if input.never\n"
			} else {
				text += "\n" + n + " := 1 if input.never\n"
			}
		}
		m[pkg+"/"+pkg+".rego"] = &fstest.MapFile{Data: []byte(text)}
	}
	if len(evalError) == 0 || evalError[0] {
		m["lib/lib.rego"] = &fstest.MapFile{Data: []byte(evalErrorMeta)}
	}
	return policy.Load(context.Background(), policy.Options{Policies: policy.Source{FS: m, Origin: "stub"}, Rules: &rules.Set{Data: map[string]any{}, Files: map[string][]byte{}}})
}

// TestNewRefusesMissingStage: a policy that lacks any document a stage
// queries is refused (a missing stage would silently judge nothing).
func TestNewRefusesMissingStage(t *testing.T) {
	docs := documents()
	for _, want := range []string{
		"data.chipcheck.classify.result", "data.chipcheck.item.line", "data.chipcheck.place.facts",
		"data.chipcheck.destination.requirements", "data.chipcheck.destination.requirement_reasons",
		"data.chipcheck.party.requirements", "data.chipcheck.end_use.requirements", "data.chipcheck.letters.requirements",
		"data.chipcheck.authorization.reasons", "data.chipcheck.screening.reasons", "data.chipcheck.line.reasons", "data.chipcheck.flags.reasons",
	} {
		if !slices.Contains(docs, want) {
			t.Errorf("documents() lacks %s", want)
		}
	}
	// Every query reads documents the list names (a requirement stage
	// need not give reasons of its own).
	optional := map[string]bool{}
	for _, st := range stages {
		if st.requirements {
			optional[st.doc("reasons")] = true
		}
	}
	for _, q := range Queries() {
		for _, ref := range strings.FieldsFunc(q.Text, func(r rune) bool { return strings.ContainsRune(` []{}|:,"`, r) }) {
			if strings.HasPrefix(ref, "data.") && !slices.Contains(docs, ref) && !optional[ref] {
				t.Errorf("query %s reads %s, which New does not require", q.Name, ref)
			}
		}
	}

	all, err := stubPolicy(t, docs)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(Options{Policy: all, Evaluator: &engine.Engine{}}); err != nil {
		t.Fatalf("a policy defining every document was refused: %v", err)
	}
	for _, missing := range docs {
		t.Run(missing, func(t *testing.T) {
			pol, err := stubPolicy(t, slices.DeleteFunc(slices.Clone(docs), func(d string) bool { return d == missing }))
			if err != nil {
				t.Fatal(err)
			}
			_, err = New(Options{Policy: pol, Evaluator: &engine.Engine{}})
			if err == nil || !strings.Contains(err.Error(), missing) || !strings.Contains(err.Error(), "stub") {
				t.Errorf("New = %v, want an error naming %s and the policies", err, missing)
			}
		})
	}
}

// TestNewRefusesPolicyWithoutAStage: the built-in policies with one stage
// file removed are refused, naming the stage's documents.
func TestNewRefusesPolicyWithoutAStage(t *testing.T) {
	tests := []struct {
		stage string
		want  []string
	}{
		{"flags", []string{"data.chipcheck.flags.reasons"}},
		{"line", []string{"data.chipcheck.line.reasons"}},
		{"end_use", []string{"data.chipcheck.end_use.requirements", "data.chipcheck.end_use.requirement_reasons"}},
	}
	for _, tt := range tests {
		t.Run(tt.stage, func(t *testing.T) {
			pfs := memFS(t, chipcheck.Policies())
			for _, f := range []string{"chipcheck/%[1]s/%[1]s.rego", "chipcheck/%[1]s/%[1]s_test.rego"} {
				delete(pfs, fmt.Sprintf(f, tt.stage))
			}
			_, pol := compile(t, pfs, chipcheck.Rules())
			_, err := New(Options{Policy: pol, Evaluator: &engine.Engine{}})
			if err == nil {
				t.Fatal("New accepted policies without the stage")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not name %s: %v", w, err)
				}
			}
		})
	}
}

// TestNewNeedsEvalErrorMetadata: the rule id of an evaluation error is
// declared in the policy's METADATA like every other; a policy without it
// is refused.
func TestNewNeedsEvalErrorMetadata(t *testing.T) {
	pol, err := stubPolicy(t, documents(), false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(Options{Policy: pol, Evaluator: &engine.Engine{}}); err == nil || !strings.Contains(err.Error(), "CHIPCHECK-EVAL-ERROR") {
		t.Errorf("New = %v, want an error naming CHIPCHECK-EVAL-ERROR", err)
	}
}

func TestNewNeedsPolicyAndEvaluator(t *testing.T) {
	_, pol := shared(t)
	for _, opts := range []Options{{}, {Policy: pol}, {Evaluator: &engine.Engine{}}} {
		if _, err := New(opts); err == nil {
			t.Errorf("New(%+v) accepted", opts)
		}
	}
}
